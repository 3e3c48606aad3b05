"""Single sign-on with OpenID Connect (Microsoft Entra ID, Keycloak, any standard provider).

The authorization code flow with PKCE (S256):

1. ``begin_login`` makes a fresh state, nonce and code verifier and the provider's
   authorization URL. The three values travel in a signed cookie that lives ten
   minutes, so any app instance can finish the login and the callback only works
   in the browser that started it.
2. ``finish_login`` checks the state, exchanges the code (with the verifier) at the
   token endpoint and verifies the ID token: signature against the provider's JWKS,
   issuer, audience, expiry and nonce (Authlib's ``CodeIDToken`` on ``joserfc``).
3. The claims find the person: by the link (issuer, ``sub``) once it exists, else by
   e-mail address on the first single sign-on login (then linked), else a new person
   is created. Deactivated people are refused. Roles named in ``WERKPLEK_OIDC_ROLE_MAP``
   follow the provider's groups claim on every login; other roles stay as set here.

Every refusal is logged and written to the audit log. The provider's metadata and keys
are read once at start-up (``sso_lifespan``), where a broken configuration stops the
app with a message naming the setting.
"""

from __future__ import annotations

import functools
import hmac
import logging
import ssl
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
from authlib.common.security import generate_token
from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import ClaimError, InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from litestar import Litestar
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.audit.services import record
from werkplek.clock import Clock
from werkplek.config import Settings, SettingsError
from werkplek.db import lock_for_write
from werkplek.errors import DomainError
from werkplek.i18n import N_, _, using_language
from werkplek.people.models import ExternalIdentity, Person, PersonRole
from werkplek.people.security import seal, unseal

logger = logging.getLogger("werkplek.sso")

CALLBACK_PATH = "/login/oidc/callback"
FLOW_COOKIE = "werkplek_oidc"
#: What the flow cookie is sealed for (``security.seal``).
FLOW_PURPOSE = "oidc-flow"
FLOW_COOKIE_PATH = "/login/oidc"
FLOW_LIFETIME = timedelta(minutes=10)
STARTUP_TIMEOUT_SECONDS = 5.0
REQUEST_TIMEOUT_SECONDS = 10.0
CLOCK_SKEW_SECONDS = 60
ASYMMETRIC_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)


class SingleSignOnRefused(DomainError):
    """The provider's answer does not let this person in; ``reason`` is for the log."""

    status_code = 403
    code = "sso_refused"

    def __init__(self, message: str, *, reason: str, **params: Any) -> None:
        super().__init__(message, **params)
        self.reason = reason


@dataclass
class Provider:
    """What discovery told about the provider, and its current signing keys."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    end_session_endpoint: str | None
    algorithms: list[str]
    basic_client_auth: bool
    keys: KeySet
    http: httpx.AsyncClient

    @property
    def logout_origin(self) -> str | None:
        if not self.end_session_endpoint:
            return None
        parts = urlsplit(self.end_session_endpoint)
        return f"{parts.scheme}://{parts.netloc}"


# --- start-up -----------------------------------------------------------------------------


async def _get_json(http: httpx.AsyncClient, url: str, what: str) -> dict[str, Any]:
    """The JSON object at ``url``; ``what`` says what it is (translated here)."""
    try:
        response = await http.get(
            url, headers={"Accept": "application/json"}, timeout=STARTUP_TIMEOUT_SECONDS
        )
        response.raise_for_status()
        data = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise SettingsError(
            _(
                "WERKPLEK_OIDC_DISCOVERY_URL: cannot read %(what)s at %(url)s: %(error)s",
                what=_(what),
                url=url,
                error=f"{type(exc).__name__}: {exc}",
            )
        ) from exc
    if not isinstance(data, dict):
        raise SettingsError(
            _(
                "WERKPLEK_OIDC_DISCOVERY_URL: %(what)s at %(url)s is not an object",
                what=_(what),
                url=url,
            )
        )
    return data


async def discover(settings: Settings, http: httpx.AsyncClient) -> Provider:
    """Read the provider's discovery document and keys; SettingsError when that fails,
    in the installation's language."""
    with using_language(settings.default_language):
        return await _discover(settings, http)


async def _discover(settings: Settings, http: httpx.AsyncClient) -> Provider:
    url = settings.oidc_discovery_url
    metadata = await _get_json(http, url, N_("the discovery document"))
    missing = [
        name
        for name in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
        if not isinstance(metadata.get(name), str) or not metadata[name]
    ]
    if missing:
        raise SettingsError(
            _(
                "WERKPLEK_OIDC_DISCOVERY_URL: the discovery document at %(url)s lacks %(fields)s",
                url=url,
                fields=", ".join(missing),
            )
        )
    keys = _key_set(await _get_json(http, metadata["jwks_uri"], N_("the key set (jwks_uri)")))
    advertised = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
    algorithms = [alg for alg in advertised if alg in ASYMMETRIC_ALGORITHMS]
    if not algorithms:
        raise SettingsError(
            _(
                "WERKPLEK_OIDC_DISCOVERY_URL: the provider signs ID tokens only with "
                "%(algorithms)s; Werkplek needs RS256 or another public-key method",
                algorithms=", ".join(map(str, advertised)),
            )
        )
    auth_methods = metadata.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    end_session = metadata.get("end_session_endpoint")
    return Provider(
        issuer=metadata["issuer"],
        authorization_endpoint=metadata["authorization_endpoint"],
        token_endpoint=metadata["token_endpoint"],
        jwks_uri=metadata["jwks_uri"],
        end_session_endpoint=end_session if isinstance(end_session, str) and end_session else None,
        algorithms=algorithms,
        basic_client_auth="client_secret_basic" in auth_methods,
        keys=keys,
        http=http,
    )


def _key_set(data: dict[str, Any]) -> KeySet:
    try:
        return KeySet.import_key_set(data)  # type: ignore[arg-type]
    except (JoseError, ValueError, KeyError, TypeError) as exc:
        raise SettingsError(
            _(
                "WERKPLEK_OIDC_DISCOVERY_URL: the provider's key set cannot be read: %(error)s",
                error=exc,
            )
        ) from exc


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context for the process: loading the CA certificates takes a few tenths."""
    return ssl.create_default_context()


@asynccontextmanager
async def sso_lifespan(app: Litestar) -> AsyncIterator[None]:
    """Check the single sign-on settings and reach the provider before serving."""
    settings: Settings = app.state.settings
    app.state.sso = None
    async with AsyncExitStack() as stack:
        try:
            settings.check_single_sign_on()
            if settings.oidc_enabled:
                http = httpx.AsyncClient(timeout=REQUEST_TIMEOUT_SECONDS, verify=_tls())
                await stack.enter_async_context(http)
                app.state.sso = await discover(settings, http)
        except SettingsError as exc:
            logger.critical("Werkplek cannot start: %s", exc)  # one line above the traceback
            raise
        try:
            yield
        finally:
            app.state.sso = None


# --- logging in ---------------------------------------------------------------------------


def begin_login(
    settings: Settings, clock: Clock, provider: Provider, *, redirect_uri: str, next_path: str
) -> tuple[str, str]:
    """The provider's authorization URL and the flow cookie's value."""
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    url = add_params_to_uri(
        provider.authorization_endpoint,
        [
            ("response_type", "code"),
            ("client_id", settings.oidc_client_id),
            ("redirect_uri", redirect_uri),
            ("scope", settings.oidc_scopes),
            ("state", state),
            ("nonce", nonce),
            ("code_challenge", create_s256_code_challenge(verifier)),
            ("code_challenge_method", "S256"),
        ],
    )
    expires = clock.now() + FLOW_LIFETIME
    cookie = seal(
        settings.secret_key,
        FLOW_PURPOSE,
        {
            "state": state,
            "nonce": nonce,
            "verifier": verifier,
            "next": next_path,
            "exp": int(expires.timestamp()),
        },
    )
    return url, cookie


@dataclass(frozen=True)
class Completed:
    person: Person
    id_token: str
    next_path: str


async def finish_login(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    provider: Provider,
    *,
    flow_cookie: str | None,
    params: Mapping[str, str],
    redirect_uri: str,
) -> Completed:
    """Turn the provider's callback into a person, or refuse (logged and audited)."""
    try:
        return await _finish_login(
            session,
            clock,
            settings,
            provider,
            flow_cookie=flow_cookie,
            params=params,
            redirect_uri=redirect_uri,
        )
    except SingleSignOnRefused as exc:
        await lock_for_write(session)
        logger.warning(
            "single sign-on refused: %s (%s)", exc.reason, exc.params.get("subject") or "-"
        )
        await record(
            session,
            clock,
            actor_id=exc.params.get("person_id"),
            action="login_refused",
            object_type="person",
            object_id=exc.params.get("person_id") or "-",
            method="oidc",
            reason=exc.reason,
            subject=exc.params.get("subject"),
        )
        raise


async def _finish_login(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    provider: Provider,
    *,
    flow_cookie: str | None,
    params: Mapping[str, str],
    redirect_uri: str,
) -> Completed:
    flow = unseal(settings.secret_key, FLOW_PURPOSE, clock, flow_cookie)
    if flow is None or not hmac.compare_digest(str(flow["state"]), params.get("state", "")):
        raise SingleSignOnRefused(
            _(
                "This login took too long or was started in another browser window. "
                "Please log in again."
            ),
            reason="state_mismatch" if flow else "no_login_in_progress",
        )
    if params.get("error"):
        raise SingleSignOnRefused(
            _(
                "The identity provider did not log you in: %(problem)s",
                problem=params.get("error_description") or params["error"],
            ),
            reason=f"provider_error:{params['error']}"[:60],
        )
    if not params.get("code"):
        raise SingleSignOnRefused(
            _("The identity provider sent no login code. Please log in again."),
            reason="no_code",
        )
    tokens = await _exchange_code(
        settings, provider, params["code"], str(flow["verifier"]), redirect_uri
    )
    claims = await verify_id_token(
        settings,
        clock,
        provider,
        tokens["id_token"],
        nonce=str(flow["nonce"]),
        access_token=tokens.get("access_token"),
    )
    person = await person_for_claims(session, clock, settings, provider.issuer, claims)
    return Completed(person=person, id_token=tokens["id_token"], next_path=str(flow["next"]))


async def _exchange_code(
    settings: Settings, provider: Provider, code: str, verifier: str, redirect_uri: str
) -> dict[str, Any]:
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": verifier,
    }
    auth: httpx.Auth | None = None
    if settings.oidc_client_secret and provider.basic_client_auth:
        # RFC 6749 2.3.1: both parts are form-encoded before they go into the header.
        auth = httpx.BasicAuth(
            quote(settings.oidc_client_id, safe=""), quote(settings.oidc_client_secret, safe="")
        )
    else:
        data["client_id"] = settings.oidc_client_id
        if settings.oidc_client_secret:
            data["client_secret"] = settings.oidc_client_secret
    try:
        response = await provider.http.post(
            provider.token_endpoint,
            data=data,
            headers={"Accept": "application/json"},
            auth=auth or httpx.USE_CLIENT_DEFAULT,
        )
        tokens = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        logger.warning("token request to %s failed: %s", provider.token_endpoint, exc)
        raise SingleSignOnRefused(
            _("The identity provider could not be reached. Please try again in a moment."),
            reason="token_request_failed",
        ) from exc
    if response.status_code != 200 or not isinstance(tokens, dict):
        logger.warning("token endpoint answered %s: %s", response.status_code, str(tokens)[:300])
        raise SingleSignOnRefused(
            _("The identity provider refused the login. Please log in again."),
            reason=f"token_error:{tokens.get('error') if isinstance(tokens, dict) else '-'}"[:60],
        )
    if not isinstance(tokens.get("id_token"), str):
        raise SingleSignOnRefused(
            _("The identity provider sent no ID token; is the scope openid requested?"),
            reason="no_id_token",
        )
    return tokens


_CLAIM_PROBLEMS = {
    "aud": "wrong_audience",
    "azp": "wrong_audience",
    "iss": "wrong_issuer",
    "nonce": "wrong_nonce",
    "exp": "expired",
    "iat": "issued_in_the_future",
    "nbf": "not_yet_valid",
}


def _claim_message(reason: str) -> str:
    messages = {
        "wrong_audience": _("The login was meant for another application (wrong audience)."),
        "wrong_issuer": _("The login came from an unexpected identity provider (wrong issuer)."),
        "wrong_nonce": _("The login does not belong to this attempt (wrong nonce)."),
        "expired": _("The login has expired. Please log in again."),
    }
    return messages.get(reason, _("The identity provider's answer could not be verified."))


async def verify_id_token(
    settings: Settings,
    clock: Clock,
    provider: Provider,
    id_token: str,
    *,
    nonce: str,
    access_token: str | None,
) -> dict[str, Any]:
    """The ID token's claims once its signature, issuer, audience, expiry and nonce hold."""
    try:
        try:
            token = jwt.decode(id_token, provider.keys, algorithms=provider.algorithms)
        except InvalidKeyIdError:
            provider.keys = await _fresh_keys(provider)  # the provider rotated its keys
            token = jwt.decode(id_token, provider.keys, algorithms=provider.algorithms)
        claims = CodeIDToken(
            token.claims,
            token.header,
            {
                "iss": {"essential": True, "value": provider.issuer},
                "aud": {"essential": True, "value": settings.oidc_client_id},
                "sub": {"essential": True},
            },
            {"nonce": nonce, "client_id": settings.oidc_client_id, "access_token": access_token},
        )
        claims.validate(now=int(clock.now().timestamp()), leeway=CLOCK_SKEW_SECONDS)
    except ClaimError as exc:
        reason = _CLAIM_PROBLEMS.get(exc.claim, f"invalid_claim:{exc.claim}")
        raise SingleSignOnRefused(_claim_message(reason), reason=reason) from exc
    except JoseError as exc:
        reason = f"invalid_token:{exc.error}"[:60]
        raise SingleSignOnRefused(_claim_message(reason), reason=reason) from exc
    return dict(claims)


async def _fresh_keys(provider: Provider) -> KeySet:
    try:
        response = await provider.http.get(provider.jwks_uri)
        response.raise_for_status()
        return KeySet.import_key_set(response.json())
    except (httpx.HTTPError, ValueError, JoseError) as exc:
        raise SingleSignOnRefused(
            _("The identity provider could not be reached. Please try again in a moment."),
            reason="jwks_unavailable",
        ) from exc


# --- claims to a person -------------------------------------------------------------------


def _email_from(claims: Mapping[str, Any]) -> str | None:
    """The e-mail claim; Entra ID accounts without a mailbox carry it as preferred_username."""
    for name in ("email", "preferred_username", "upn"):
        value = claims.get(name)
        if isinstance(value, str) and "@" in value and len(value) <= 254:
            return value.strip().lower()
    return None


def _name_from(claims: Mapping[str, Any], email: str) -> str:
    name = claims.get("name")
    if not isinstance(name, str) or not name.strip():
        parts = [claims.get("given_name"), claims.get("family_name")]
        name = " ".join(part for part in parts if isinstance(part, str) and part.strip())
    return (name.strip() or email)[:200]


def groups_from(claims: Mapping[str, Any], claim: str) -> set[str]:
    """The groups claim as a set: a list, or one string of names; Keycloak's "/path" as "path"."""
    value = claims.get(claim)
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    if not isinstance(value, list):
        return set()
    return {item.strip().lstrip("/") for item in value if isinstance(item, str) and item.strip()}


def mapped_roles(settings: Settings, current: set[str], groups: set[str]) -> set[str]:
    """Roles after a login: those in the map follow the groups; the others stay."""
    managed = {role for _group, role in settings.oidc_role_map}
    granted = {role for group, role in settings.oidc_role_map if group.lstrip("/") in groups}
    return (current - managed) | granted


async def person_for_claims(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    issuer: str,
    claims: Mapping[str, Any],
) -> Person:
    """Find (or create) the person these verified claims are about, and bring them up to date."""
    await lock_for_write(session)
    now = clock.now()
    subject = str(claims["sub"])
    email = _email_from(claims)
    identity = (
        await session.execute(
            select(ExternalIdentity).where(
                ExternalIdentity.issuer == issuer, ExternalIdentity.subject == subject
            )
        )
    ).scalar_one_or_none()
    person = await session.get(Person, identity.person_id) if identity else None
    created = False
    if person is None:
        if email is None:
            raise SingleSignOnRefused(
                _(
                    "The identity provider did not send your e-mail address; "
                    "ask the administrator to add the email claim."
                ),
                reason="no_email",
                subject=subject,
            )
        if claims.get("email_verified") is False:
            raise SingleSignOnRefused(
                _("The identity provider has not verified your e-mail address."),
                reason="email_not_verified",
                subject=subject,
            )
        person = (
            await session.execute(select(Person).where(func.lower(Person.email) == email))
        ).scalar_one_or_none()
        if person is None:
            person = Person(
                email=email,
                name=_name_from(claims, email),
                language=settings.default_language,
                active=True,
                hide_desk=False,
                created_at=now,
            )
            person.roles, person.memberships, person.topics = [], [], []
            session.add(person)
            await session.flush()
            created = True
            await record(
                session,
                clock,
                actor_id=None,
                action="create",
                object_type="person",
                object_id=person.id,
                email=email,
                source="oidc",
            )
    if not person.active:
        raise SingleSignOnRefused(
            _("Your account has been deactivated. Contact the administrator if this is wrong."),
            reason="deactivated",
            subject=subject,
            person_id=person.id,
        )
    if identity is None:
        identity = ExternalIdentity(
            person_id=person.id, issuer=issuer, subject=subject, created_at=now, last_login_at=now
        )
        session.add(identity)
        await record(
            session,
            clock,
            actor_id=None,
            action="link",
            object_type="person",
            object_id=person.id,
            issuer=issuer,
            subject=subject,
        )
    identity.last_login_at = now
    await _update_from_claims(session, clock, settings, person, claims, email, created)
    return person


async def _update_from_claims(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    person: Person,
    claims: Mapping[str, Any],
    email: str | None,
    created: bool,
) -> None:
    """The provider is the source of name, e-mail address and mapped roles."""
    changed: list[str] = []
    if email and email != person.email.lower():
        taken = (
            await session.execute(
                select(Person.id).where(func.lower(Person.email) == email, Person.id != person.id)
            )
        ).first()
        if taken is None:
            person.email = email
            changed.append("email")
    name = _name_from(claims, email or person.email)
    if not created and name != person.name:
        person.name = name
        changed.append("name")
    if settings.oidc_role_map:
        current = {role.role for role in person.roles}
        wanted = mapped_roles(settings, current, groups_from(claims, settings.oidc_role_claim))
        if wanted != current:
            person.roles = [PersonRole(role=role) for role in sorted(wanted)]
            changed.append("roles")
    if changed:
        await session.flush()
        await record(
            session,
            clock,
            actor_id=None,
            action="update",
            object_type="person",
            object_id=person.id,
            fields=changed,
            source="oidc",
        )


# --- logging out --------------------------------------------------------------------------


def logout_url(
    settings: Settings, provider: Provider, id_token: str, post_logout_redirect_uri: str
) -> str | None:
    """Where to send the browser to end the provider's session too, if it can."""
    if not provider.end_session_endpoint:
        return None
    return str(
        add_params_to_uri(
            provider.end_session_endpoint,
            [
                ("id_token_hint", id_token),
                ("post_logout_redirect_uri", post_logout_redirect_uri),
                ("client_id", settings.oidc_client_id),
            ],
        )
    )
