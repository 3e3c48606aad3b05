"""ID tokens that must not let anyone in: wrong audience, issuer or nonce, expired, forged.

A tiny provider of our own (discovery, JWKS and a token endpoint, served in a thread)
hands out tokens this test mints with its own key, so each test changes one claim;
the app verifies them with its real code.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import werkzeug.serving
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from werkzeug.wrappers import Request, Response

from tests.sso.conftest import CLIENT_ID, CLIENT_SECRET, path_and_query, query_of
from werkplek.audit.models import AuditEvent
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.people.models import LoginSession

Client = AsyncTestClient[Litestar]


@dataclass
class TokenProvider:
    url: str
    key: RSAKey
    claims: dict[str, Any] = field(default_factory=dict)  # for the next token
    signing_key: RSAKey | None = None  # another key: a forged signature

    def wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        if request.path == "/.well-known/openid-configuration":
            body: dict[str, Any] = {
                "issuer": self.url,
                "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token",
                "jwks_uri": f"{self.url}/jwks",
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        elif request.path == "/jwks":
            body = KeySet([self.key]).as_dict(private=False)
        elif request.path == "/token" and request.method == "POST":
            key = self.signing_key or self.key
            header = {"alg": "RS256", "kid": self.key.kid}
            body = {"access_token": "opaque", "token_type": "Bearer"}
            body["id_token"] = jwt.encode(header, self.claims, key)
        else:
            return Response(status=404)(environ, start_response)
        return Response(json.dumps(body), mimetype="application/json")(environ, start_response)


@pytest.fixture(scope="session")
def token_provider() -> Iterator[TokenProvider]:
    key = RSAKey.generate_key(2048, parameters={"kid": "werkplek-test"})
    server = werkzeug.serving.make_server("127.0.0.1", 0, lambda e, s: provider.wsgi(e, s))
    provider = TokenProvider(url=f"http://127.0.0.1:{server.server_port}", key=key)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield provider
    server.shutdown()
    thread.join()


@pytest.fixture
def settings(database_url: str, token_provider: TokenProvider) -> Settings:
    return Settings(
        database_url=database_url,
        environment="test",
        secret_key="test-secret-key-that-is-long-enough-123",
        secure_cookies=False,
        scheduler_enabled=False,
        oidc_discovery_url=f"{token_provider.url}/.well-known/openid-configuration",
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
    )


async def log_in_with(
    client: Client, token_provider: TokenProvider, clock: FixedClock, **changes: Any
) -> Any:
    """Start a login, let the provider answer with a token whose claims have ``changes``."""
    start = await client.get("/login/oidc", follow_redirects=False)
    query = query_of(start.headers["location"])
    now = int(clock.now().timestamp())
    claims = {
        "iss": token_provider.url,
        "aud": CLIENT_ID,
        "sub": "sub-hanna",
        "email": "hanna@gemeente.nl",
        "name": "Hanna",
        "iat": now,
        "exp": now + 300,
        "nonce": query["nonce"],
    }
    token_provider.claims = {k: v for k, v in {**claims, **changes}.items() if v is not None}
    callback = f"/login/oidc/callback?code=any&state={query['state']}"
    return await client.get(path_and_query(callback), follow_redirects=False)


async def refusals(db: AsyncSession) -> list[object]:
    await db.rollback()
    rows = (
        await db.execute(select(AuditEvent).where(AuditEvent.action == "login_refused"))
    ).scalars()
    return [row.details["reason"] for row in rows]


async def test_a_correct_token_logs_in(
    client: Client, token_provider: TokenProvider, clock: FixedClock
) -> None:
    response = await log_in_with(client, token_provider, clock)
    assert response.status_code in (302, 303)
    assert response.headers["location"] == "/"


async def test_a_token_for_another_audience_is_refused_logged_and_audited(
    client: Client,
    db: AsyncSession,
    token_provider: TokenProvider,
    clock: FixedClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="werkplek.sso"):
        response = await log_in_with(client, token_provider, clock, aud="another-app")

    assert response.status_code == 403
    assert "bedoeld voor een andere toepassing" in response.text
    assert "single sign-on refused: wrong_audience" in caplog.text
    assert await refusals(db) == ["wrong_audience"]
    assert (await db.execute(select(LoginSession))).first() is None


async def test_the_refusal_speaks_the_persons_language(
    client: Client, token_provider: TokenProvider, clock: FixedClock
) -> None:
    client.cookies.set("werkplek_lang", "en")
    response = await log_in_with(client, token_provider, clock, aud="another-app")
    assert "The login was meant for another application (wrong audience)." in response.text


async def test_without_an_end_session_endpoint_logout_stays_here(
    client: Client, db: AsyncSession, token_provider: TokenProvider, clock: FixedClock
) -> None:
    await log_in_with(client, token_provider, clock)
    csrf = (await db.execute(select(LoginSession.csrf_token))).scalar_one()
    response = await client.post("/logout", data={"_csrf": csrf}, follow_redirects=False)
    assert response.headers["location"] == "/login"


async def test_a_token_from_another_issuer_is_refused(
    client: Client, db: AsyncSession, token_provider: TokenProvider, clock: FixedClock
) -> None:
    response = await log_in_with(client, token_provider, clock, iss="https://evil.example")
    assert response.status_code == 403
    assert "verkeerde issuer" in response.text
    assert await refusals(db) == ["wrong_issuer"]


async def test_a_token_with_another_nonce_is_refused(
    client: Client, db: AsyncSession, token_provider: TokenProvider, clock: FixedClock
) -> None:
    response = await log_in_with(client, token_provider, clock, nonce="from-another-login")
    assert response.status_code == 403
    assert "verkeerde nonce" in response.text
    assert await refusals(db) == ["wrong_nonce"]


async def test_a_token_without_a_nonce_is_refused(
    client: Client, db: AsyncSession, token_provider: TokenProvider, clock: FixedClock
) -> None:
    response = await log_in_with(client, token_provider, clock, nonce=None)
    assert response.status_code == 403
    assert await refusals(db) == ["wrong_nonce"]


async def test_an_expired_token_is_refused(
    client: Client, db: AsyncSession, token_provider: TokenProvider, clock: FixedClock
) -> None:
    past = int(clock.now().timestamp()) - 600
    response = await log_in_with(client, token_provider, clock, iat=past - 300, exp=past)
    assert response.status_code == 403
    assert "is verlopen" in response.text
    assert await refusals(db) == ["expired"]


async def test_a_token_signed_with_another_key_is_refused(
    client: Client, db: AsyncSession, token_provider: TokenProvider, clock: FixedClock
) -> None:
    token_provider.signing_key = RSAKey.generate_key(2048)
    try:
        response = await log_in_with(client, token_provider, clock)
    finally:
        token_provider.signing_key = None
    assert response.status_code == 403
    assert "kon niet worden gecontroleerd" in response.text
    assert await refusals(db) == ["invalid_token:bad_signature"]
