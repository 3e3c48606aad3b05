"""Who is asking, in which language, and is the request genuine (CSRF).

Runs before routing for every HTTP request:
- a ``Authorization: Bearer`` API token, or the session cookie, identifies the user;
- unsafe methods with a session cookie must carry the session's CSRF token, as the
  ``X-CSRF-Token`` header (htmx sends it) or the ``_csrf`` form field;
- anonymous forms (the login form) use a double-submit cookie;
- every response gets the security headers.
"""

from __future__ import annotations

import hmac
import html
import json
import secrets
from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.datastructures import MutableScopeHeaders
from litestar.enums import RequestEncodingType
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.clock import Clock
from werkplek.db import REQUEST_SESSION, mark_identity_read
from werkplek.i18n import _, negotiate_language, set_language
from werkplek.people.services import CurrentUser, user_for_api_token, user_for_session_token

SESSION_COOKIE = "werkplek_session"
ANON_CSRF_COOKIE = "werkplek_csrf"
LANGUAGE_COOKIE = "werkplek_lang"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Pages whose URL holds their credential (a room display's token, ``werkplek.displays``):
#: a tablet at a door has no login, so no session is read, no cookie set and no form token
#: asked; whoever knows the URL may use it, whatever else their browser sends.
TOKEN_PAGE_PREFIXES = ("/display/",)
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}
SECURITY_HEADER_PAIRS = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]


def content_security_policy(sso: Any) -> str:
    """The policy; the logout form may lead on to the single sign-on provider's logout page."""
    origin = getattr(sso, "logout_origin", None)
    if not origin:
        return CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY.replace("form-action 'self'", f"form-action 'self' {origin}")


def security_headers(sso: Any) -> dict[str, str]:
    """The headers every page and answer carries, with the policy for this app's sign-on."""
    return {**SECURITY_HEADERS, "content-security-policy": content_security_policy(sso)}


def is_token_page(request: Request[Any, Any, Any]) -> bool:
    """Whether the request is for a page whose URL is its credential (``TOKEN_PAGE_PREFIXES``)."""
    return request.url.path.startswith(TOKEN_PAGE_PREFIXES)


def _refusal(path: str, code: str, message: str) -> tuple[Any, Any]:
    """A 403 before routing: JSON for the API, a small page for people."""
    if path.startswith("/api/"):
        content_type = b"application/json; charset=utf-8"
        body = json.dumps({"error": code, "message": message})
    else:
        content_type = b"text/html; charset=utf-8"
        body = (
            f'<!doctype html><meta charset="utf-8"><title>403</title>'
            f'<p role="alert">{html.escape(message)}</p><p><a href="/">Werkplek</a></p>'
        )
    return (
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [(b"content-type", content_type), *SECURITY_HEADER_PAIRS],
        },
        {"type": "http.response.body", "body": body.encode()},
    )


def set_request_language(request: Request[Any, Any, Any], chosen: str | None) -> None:
    """Answer in the person's ``chosen`` language, else the cookie's, the browser's or the
    installation's (``negotiate_language``)."""
    set_language(
        negotiate_language(
            chosen,
            request.cookies.get(LANGUAGE_COOKIE),
            request.headers.get("accept-language"),
            request.app.state.settings.default_language,
        )
    )


@dataclass(frozen=True)
class Credentials:
    """What a request identifies its caller with: an API token, else the session cookie."""

    via: str  # "token" or "session"
    secret: str

    @classmethod
    def of(cls, request: Request[Any, Any, Any]) -> Credentials | None:
        authorization = request.headers.get("authorization", "")
        if authorization.lower().startswith("bearer ") and (bearer := authorization[7:].strip()):
            return cls("token", bearer)
        cookie = request.cookies.get(SESSION_COOKIE)
        return cls("session", cookie) if cookie else None

    async def user(self, db: AsyncSession, clock: Clock) -> CurrentUser | None:
        if self.via == "token":
            return await user_for_api_token(db, clock, self.secret)
        return await user_for_session_token(db, clock, self.secret)


class SecurityMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        litestar_app = scope["litestar_app"]
        request: Request[Any, Any, Any] = litestar_app.request_class(scope, receive)
        state = litestar_app.state
        credentials = None if is_token_page(request) else Credentials.of(request)
        if credentials is None:
            await self._respond(request, None, None, receive, send)
            return
        # One connection and transaction per request: the handler's ``db`` dependency goes
        # on in the session that identified the caller (``werkplek.web.provide_db``).
        async with state.sessionmaker() as db:
            user = await credentials.user(db, state.clock)
            via = credentials.via
            mark_identity_read(db)
            scope[REQUEST_SESSION] = db  # type: ignore[literal-required]
            await self._respond(request, user, via, receive, send)

    async def _respond(
        self,
        request: Request[Any, Any, Any],
        user: CurrentUser | None,
        via: str | None,
        receive: Receive,
        send: Send,
    ) -> None:
        scope = request.scope
        state = scope["litestar_app"].state
        scope["user"] = user
        scope["auth"] = via
        token_page = is_token_page(request)
        # A display serves a place, not whoever set up its tablet: the installation's language.
        place_language = request.app.state.settings.default_language if token_page else None
        set_request_language(request, user.language if user else place_language)
        anonymous_csrf = request.cookies.get(ANON_CSRF_COOKIE)
        set_anonymous_cookie = False
        if user is None and not anonymous_csrf and not token_page:
            anonymous_csrf = secrets.token_urlsafe(24)
            set_anonymous_cookie = True
        scope["anonymous_csrf"] = anonymous_csrf  # type: ignore[typeddict-unknown-key]

        if request.method not in SAFE_METHODS and not token_page:
            problem = await self._check_unsafe_request(request, user, via, anonymous_csrf)
            if problem is not None:
                start, body = _refusal(request.url.path, *problem)
                await send(start)
                await send(body)
                return

        secure = state.settings.secure_cookies
        security = security_headers(state.get("sso"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                for name, value in security.items():
                    headers.setdefault(name, value)
                # Only pages carry forms; a feed or API answer needs no cookie.
                if set_anonymous_cookie and headers.get("content-type", "").startswith("text/html"):
                    cookie = (
                        f"{ANON_CSRF_COOKIE}={anonymous_csrf}; Path=/; HttpOnly; SameSite=Strict"
                    )
                    headers.add("set-cookie", cookie + ("; Secure" if secure else ""))
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _check_unsafe_request(
        self,
        request: Request[Any, Any, Any],
        user: CurrentUser | None,
        via: str | None,
        anonymous_csrf: str | None,
    ) -> tuple[str, str] | None:
        """None when the request may go on, else (error code, message)."""
        if via == "token":
            if user is not None and user.read_only:
                return "read_only_token", _("This API token may only read.")
            return None
        expected = user.csrf_token if user is not None else anonymous_csrf
        sent = request.headers.get("x-csrf-token")
        content_type, _params = request.content_type
        if not sent and content_type in {
            RequestEncodingType.URL_ENCODED,
            RequestEncodingType.MULTI_PART,
        }:
            form = await request.form()
            value = form.get("_csrf")
            sent = value if isinstance(value, str) else None
        if user is None and request.url.path.startswith("/api/"):
            return None  # no cookie is involved; the route's guard answers 401
        if expected and sent and hmac.compare_digest(expected, sent):
            return None
        return "csrf_failed", _("The form has expired. Reload the page and try again.")
