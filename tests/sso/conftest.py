"""Single sign-on against a real OpenID provider (``oidc-provider-mock`` in a thread),
and the people sync.

The settings here switch single sign-on on; the app reads the provider's discovery
document when a test client starts it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import httpx
import oidc_provider_mock
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from werkplek.config import Settings

CLIENT_ID = "werkplek"
CLIENT_SECRET = "provider-secret"
ROLE_MAP = (("werkplek-kcc", "kcc"), ("werkplek-facilitair", "facilities"))


@pytest.fixture(scope="session")
def provider_url() -> Iterator[str]:
    with oidc_provider_mock.run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def settings(database_url: str, provider_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        environment="test",
        secret_key="test-secret-key-that-is-long-enough-123",
        secure_cookies=False,
        scheduler_enabled=False,
        oidc_discovery_url=f"{provider_url}/.well-known/openid-configuration",
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
        oidc_role_map=ROLE_MAP,
    )


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


@dataclass
class Provider:
    """Drives the mock provider as its user would: claims first, then the consent form."""

    url: str
    http: httpx.AsyncClient

    async def set_user(self, sub: str, **claims: Any) -> None:
        response = await self.http.put(f"{self.url}/users/{quote(sub, safe='')}", json=claims)
        assert response.status_code == 204

    async def authorize(self, authorize_url: str, sub: str) -> str:
        """Submit the provider's form for ``sub``; the URL it sends the browser back to."""
        response = await self.http.post(authorize_url, data={"sub": sub})
        assert response.status_code == 302, response.text
        return response.headers["location"]


@pytest.fixture
async def provider(provider_url: str) -> AsyncIterator[Provider]:
    async with httpx.AsyncClient(verify=False) as http:  # plain http on localhost
        yield Provider(provider_url, http)


async def sso_login(
    client: AsyncTestClient[Litestar], provider: Provider, sub: str, next_path: str = "/"
) -> httpx.Response:
    """Run the whole flow in the browser (the test client); the app's final answer."""
    start = await client.get(f"/login/oidc?next={quote(next_path)}", follow_redirects=False)
    assert start.status_code in (302, 303), start.text
    callback = await provider.authorize(start.headers["location"], sub)
    return await client.get(path_and_query(callback), follow_redirects=False)
