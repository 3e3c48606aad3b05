"""HTTP plumbing shared by every domain: dependencies, guards, errors, page rendering."""

from __future__ import annotations

import re
import sys
from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import date
from functools import cache
from http import HTTPStatus
from typing import Any, TypeAlias, TypeVar
from urllib.parse import quote, urlencode, urlsplit

import msgspec
from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.datastructures import State, UploadFile
from litestar.di import NamedDependency
from litestar.enums import MediaType, RequestEncodingType
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    SerializationException,
    ValidationException,
)
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.handlers.base import BaseRouteHandler
from litestar.params import ParameterKwarg
from litestar.response import Redirect, Stream, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from litestar.types import Logger, Scope
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.clock import Clock
from werkplek.config import Settings
from werkplek.db import REQUEST_SESSION, lock_for_write
from werkplek.errors import DomainError, TooLarge
from werkplek.formats import PATTERN_MESSAGES
from werkplek.i18n import N_, _, current_language
from werkplek.navigation import current_href, for_someone_else, menu_of, nav_items_for
from werkplek.people.middleware import (
    SAFE_METHODS,
    Credentials,
    security_headers,
    set_request_language,
)
from werkplek.people.models import Role
from werkplek.people.services import CurrentUser, search_text

S = TypeVar("S", bound=msgspec.Struct)
D = TypeVar("D", date, None)

JSON_PREFIXES = ("/api/", "/feeds/", "/health", "/schema")


def wants_json(request: Request[Any, Any, Any]) -> bool:
    return request.url.path.startswith(JSON_PREFIXES)


# --- dependencies -------------------------------------------------------------------------

# Handlers name what they need with these (Litestar injects by parameter name: ``db``,
# ``clock``, ``settings``, ``user``), so no dependency is inferred from a bare annotation.
DbDep: TypeAlias = NamedDependency[AsyncSession]
ClockDep: TypeAlias = NamedDependency[Clock]
SettingsDep: TypeAlias = NamedDependency[Settings]
UserDep: TypeAlias = NamedDependency[CurrentUser]
OptionalUserDep: TypeAlias = NamedDependency[CurrentUser | None]


async def provide_db(request: Request[Any, Any, Any]) -> AsyncGenerator[AsyncSession, None]:
    """One session per request: committed when the handler succeeds, else rolled back.

    It is the session that identified the caller when there is one (opened and closed by
    ``SecurityMiddleware``), so a request uses one connection and one transaction. A
    request that may change something (not GET, HEAD or OPTIONS) is a writer from its
    start (``lock_for_write``): on SQLite a transaction that read first is refused its
    first write when another writer committed in between, so a service that does not take
    the lock itself would fail under concurrent use, with a 503.
    """
    async with AsyncExitStack() as stack:
        shared: AsyncSession | None = request.scope.get(REQUEST_SESSION)  # type: ignore[assignment]
        session: AsyncSession = (
            shared
            if shared is not None
            else await stack.enter_async_context(request.app.state.sessionmaker())
        )
        if request.method not in SAFE_METHODS:
            await lock_for_write(session)
        try:
            yield session
        except Exception:
            await session.rollback()
            raise
        else:
            await session.commit()


def provide_clock(state: State) -> Clock:
    clock: Clock = state.clock
    return clock


def provide_settings(state: State) -> Settings:
    settings: Settings = state.settings
    return settings


def provide_user(request: Request[Any, Any, Any]) -> CurrentUser:
    user = request.scope.get("user")
    if not isinstance(user, CurrentUser):
        raise NotAuthorizedException(_("Please log in."))
    return user


def provide_optional_user(request: Request[Any, Any, Any]) -> CurrentUser | None:
    user = request.scope.get("user")
    return user if isinstance(user, CurrentUser) else None


# --- guards -------------------------------------------------------------------------------
# Coroutines, not plain functions: Litestar runs a synchronous guard in its thread pool,
# a hop to another thread and back on every request it guards.


async def login_required(
    connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler
) -> None:
    if not isinstance(connection.scope.get("user"), CurrentUser):
        raise NotAuthorizedException(_("Please log in."))


def role_required(*roles: Role) -> Any:
    """A guard admitting people with any of ``roles`` (admins always)."""

    async def guard(
        connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler
    ) -> None:
        user = connection.scope.get("user")
        if not isinstance(user, CurrentUser):
            raise NotAuthorizedException(_("Please log in."))
        if not user.has_role(*roles):
            raise PermissionDeniedException(_("You are not allowed to do this."))

    guard.__name__ = "requires_" + "_or_".join(role.value for role in roles)
    guard.roles = frozenset(roles)  # type: ignore[attr-defined]  # read by the authorisation tests
    return guard


# --- pages --------------------------------------------------------------------------------


def page(
    request: Request[Any, Any, Any],
    template_name: str,
    *,
    status_code: int = 200,
    **context: Any,
) -> Template:
    """Render a page (or an htmx partial) with the common context."""
    user = request.scope.get("user")
    viewer = user if isinstance(user, CurrentUser) else None
    nav_items = nav_items_for(viewer)
    menu = menu_of(nav_items, viewer)
    nav_current = current_href(
        nav_items,
        request.url.path,
        someone_else=for_someone_else(viewer, request.query_params),
    )
    return Template(
        template_name=template_name,
        status_code=status_code,
        context={
            "user": viewer,
            "csrf_token": csrf_token_for(request),
            "lang": current_language(),
            "path": request.url.path,
            # the page as asked for, to come back to (after switching language)
            "here": f"{request.url.path}?{request.url.query}"
            if request.url.query
            else request.url.path,
            "nav_items": nav_items,
            "nav_everyday": menu.everyday,
            "nav_manage": menu.manage,
            "nav_personal": menu.personal,
            "nav_current": nav_current,
            "nav_in_manage": any(item.href == nav_current for item in menu.manage),
            "nav_in_personal": any(item.href == nav_current for item in menu.personal),
            **context,
        },
    )


def csrf_token_for(request: Request[Any, Any, Any]) -> str:
    user = request.scope.get("user")
    if isinstance(user, CurrentUser) and user.csrf_token:
        return user.csrf_token
    return str(request.scope.get("anonymous_csrf") or "")


def is_htmx(request: Request[Any, Any, Any]) -> bool:
    return request.headers.get("hx-request") == "true"


# --- errors -------------------------------------------------------------------------------


def _error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": code, "message": message, **{k: v for k, v in extra.items() if v is not None}}


def _error_page(request: Request[Any, Any, Any], status_code: int, message: str) -> Template:
    return page(request, "error.html", status_code=status_code, message=message)


def domain_error_handler(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    message = exc.message  # translated where it was raised
    if wants_json(request):
        details = {
            k: v for k, v in exc.params.items() if isinstance(v, str | int | float | list | dict)
        }
        return Response(
            _error_body(exc.code, message, field=exc.field, details=details or None),
            status_code=exc.status_code,
        )
    return _error_page(request, exc.status_code, message)


def validation_error_handler(
    request: Request[Any, Any, Any], exc: ValidationException
) -> Response[Any]:
    """400 naming each field with what is wrong with it, in the caller's language (msgspec's
    own text stays as ``detail``)."""
    fields = []
    api = wants_json(request)
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            key = str(item.get("key") or "")
            text = str(item.get("message") or "")
            message = form_problem(text, api=api)[1]
            in_body = key in {"", "data"}
            name = (_body_field(text) or "body") if in_body else (_public_name(request, key) or key)
            fields.append({"field": name, "message": message, "detail": text})
    if not fields and (missing := _MISSING_PARAMETER.match(str(exc.detail))):
        fields.append({"field": missing[1], "message": _("Fill this in."), "detail": exc.detail})
    names = ", ".join(f["field"] for f in fields if f["field"]) or "-"
    message = _("Invalid input in: %(fields)s.", fields=names)
    if wants_json(request):
        return Response(_error_body("validation_error", message, fields=fields), status_code=400)
    return _error_page(request, 400, message)


def _public_name(request: Request[Any, Any, Any], key: str) -> str:
    """The name a client sends (``from``), not the Python parameter (``from_date``)."""
    parameter = request.route_handler.parsed_fn_signature.parameters.get(key)
    kwarg = parameter.kwarg_definition if parameter else None
    return (kwarg.name or "") if isinstance(kwarg, ParameterKwarg) else ""


def _field_from(message: str) -> str:
    """The path msgspec names (``... - at `$.parts[0].kind` ``), or ""."""
    marker = "at `$."
    if marker in message:
        return message.split(marker, 1)[1].split("`", 1)[0]
    return ""


def _body_field(text: str) -> str:
    """The field of a JSON body msgspec's text is about, with its path (``parts[0].kind``)."""
    within = _field_from(text)
    if named := _MISSING.match(text) or _UNKNOWN.match(text):
        return f"{within}.{named[1]}" if within else named[1]
    return within


def _login_to(target: str) -> str:
    """The login page, going on to ``target`` (a path with its query) once logged in."""
    return f"/login?next={quote(target, safe='/')}"


def _page_of(request: Request[Any, Any, Any]) -> str:
    """The path and query of the page asked for: for a part of a page htmx asks for, of
    the page it came from (``HX-Current-URL``; only its path and query, so the login goes
    nowhere but this site)."""
    page = urlsplit(request.headers.get("hx-current-url", ""))
    if not page.path.startswith("/"):
        return request.url.path + _query_of(request)
    return page.path + (f"?{page.query}" if page.query else "")


def _query_of(request: Request[Any, Any, Any]) -> str:
    """The request's query string with its "?", so a link keeps its site, date or week."""
    query = request.url.query
    return f"?{query}" if query else ""


def _http_error_message(exc: HTTPException) -> str:
    """What an HTTP error says, in the request's language: Litestar's own English texts
    give way to ours."""
    status = exc.status_code
    defaults = {
        401: _("Please log in."),
        403: _("You are not allowed to do this."),
        404: _("This page does not exist."),
        405: _("This method is not allowed here."),
        # a body over its route's limit, found before the handler could name the field
        413: _("The file or form sent is too large."),
    }
    generic = (str(status), HTTPStatus(status).phrase)
    if isinstance(exc, NotFoundException) or not exc.detail or exc.detail in generic:
        return defaults.get(status, exc.detail)
    return exc.detail


async def _unrouted_caller(request: Request[Any, Any, Any]) -> CurrentUser | None:
    """Who sent a request no route answers, found as the middleware finds them (bearer
    token, else login session), in the one connection this request opens; None when
    neither is sent or known, or while the database is away (the answer still goes out)."""
    credentials = Credentials.of(request)
    if credentials is None:
        return None
    state = request.app.state
    try:
        async with state.sessionmaker() as db:
            return await credentials.user(db, state.clock)
    except Exception as error:
        if not is_database_outage(error):
            raise
        return None


def _http_error_code(status: int) -> str:
    return {401: "not_authenticated", 403: "forbidden", 404: "not_found"}.get(status, "http_error")


def _unrouted_error_page(request: Request[Any, Any, Any], exc: HTTPException) -> Stream:
    """The error page, or for the API its JSON answer, to a path or method no route
    answers. Litestar raises that before the middleware has identified the caller, so this
    does so itself: the answer speaks the caller's language, a page keeps the menu and the
    name of whoever is logged in and gets the security headers the middleware would have
    added."""
    as_json = wants_json(request)

    async def body() -> AsyncIterator[bytes]:
        user = await _unrouted_caller(request)
        request.scope["user"] = user
        set_request_language(request, user.language if user else None)
        message = _http_error_message(exc)
        if as_json:
            yield msgspec.json.encode(_error_body(_http_error_code(exc.status_code), message))
            return
        template = _error_page(request, exc.status_code, message)
        engine = request.app.template_engine
        assert engine is not None and template.template_name is not None
        html = engine.get_template(template.template_name).render(
            **template.create_template_context(request)
        )
        yield html.encode()

    if as_json:
        return Stream(
            body(), status_code=exc.status_code, media_type=MediaType.JSON, headers=exc.headers
        )
    headers = {**security_headers(request.app.state.get("sso")), **(exc.headers or {})}
    return Stream(body(), status_code=exc.status_code, media_type=MediaType.HTML, headers=headers)


def http_error_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    if isinstance(exc, NotAuthorizedException) and not wants_json(request):
        login = _login_to(_page_of(request))
        if is_htmx(request):
            # A part of a page asked for in the background (a board's refresh every minute)
            # once the log-in has expired: the whole page goes to the login, which leads
            # back to it, rather than the login page into that part.
            return Response(b"", status_code=status, headers={"HX-Redirect": login})
        return Redirect(path=login)
    if "user" not in request.scope:  # Litestar answered before the middleware ran
        return _unrouted_error_page(request, exc)
    message = _http_error_message(exc)
    code = _http_error_code(status)
    details = None
    if isinstance(exc.__cause__, SerializationException):  # a body that is not JSON
        code, message = "invalid_json", _("The request body is not valid JSON.")
        details = {"reason": exc.detail}
    if wants_json(request):
        body = _error_body(code, message, details=details)
        return Response(body, status_code=status, headers=exc.headers)
    return _error_page(request, status, message)


try:  # the PostgreSQL driver's ways of saying the server went away, or a value is unusable
    from asyncpg.exceptions import CharacterNotInRepertoireError as _PgBadCharacter
    from asyncpg.exceptions import InsufficientResourcesError as _PgInsufficientResources
    from asyncpg.exceptions import InterfaceError as _PgInterfaceError
    from asyncpg.exceptions import InternalClientError as _PgInternalClientError
    from asyncpg.exceptions import NumericValueOutOfRangeError as _PgOutOfRange
    from asyncpg.exceptions import OperatorInterventionError as _PgOperatorIntervention
    from asyncpg.exceptions import PostgresConnectionError as _PgConnectionError
    from asyncpg.exceptions import UntranslatableCharacterError as _PgUntranslatable
    from asyncpg.exceptions._base import DataError as _PgArgumentError

    _DRIVER_OUTAGES: tuple[type[BaseException], ...] = (
        _PgConnectionError,
        _PgOperatorIntervention,
        _PgInterfaceError,
        _PgInternalClientError,  # a call on a connection that broke half-way
        _PgInsufficientResources,  # too many connections, disk full, out of memory
    )
    _DRIVER_BAD_VALUES: tuple[type[BaseException], ...] = (
        _PgArgumentError,  # e.g. a number beyond the column's range, found before sending
        _PgOutOfRange,
        _PgBadCharacter,  # e.g. a NUL character in text
        _PgUntranslatable,
    )
except ImportError:  # pragma: no cover - asyncpg is a dependency
    _DRIVER_OUTAGES = _DRIVER_BAD_VALUES = ()


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and its causes (SQLAlchemy's ``orig``, ``__cause__``, ``__context__``)."""
    found: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in found):
        found.append(current)
        orig = getattr(current, "orig", None)
        current = (
            orig if isinstance(orig, BaseException) else current.__cause__ or current.__context__
        )
    return found


def is_bad_value(exc: BaseException) -> bool:
    """The request carried a value the database cannot take: a number beyond its range, a
    NUL character in text. A client error (400), whichever route it came through."""
    return any(isinstance(error, (OverflowError, *_DRIVER_BAD_VALUES)) for error in _chain(exc))


def is_database_outage(exc: BaseException) -> bool:
    """The database is unreachable, restarting, locked or the connection broke: retryable.

    A connection refused while connecting is a bare ``ConnectionRefusedError``, a server
    restart shows as the driver's own errors, SQLite's "database is locked" as an
    ``OperationalError``, and a worker whose every pooled connection stayed busy for the
    pool's timeout as a ``PoolTimeout``.
    """
    outages = (
        OperationalError,
        InterfaceError,
        ConnectionError,
        TimeoutError,
        PoolTimeout,
        *_DRIVER_OUTAGES,
    )
    return any(
        isinstance(error, outages)
        or (isinstance(error, DBAPIError) and error.connection_invalidated)
        for error in _chain(exc)
    )


def log_exception(logger: Logger, scope: Scope, _traceback: list[str]) -> None:
    """How Litestar logs an exception a request raised (``LoggingConfig``): with its
    traceback, as it does itself, but not a value the database cannot take
    (``is_bad_value``), which the client sent and which is answered 400 like any other
    client error (those are not logged: ``disable_stack_trace``). Litestar cannot tell it
    by its class or status, being the driver's error, and logged a traceback for every
    out-of-range id a client sent."""
    raised = sys.exc_info()[1]
    if raised is not None and is_bad_value(raised):
        return
    logger.exception(
        "Uncaught exception (connection_type=%s, path=%r):", scope["type"], scope["path"]
    )


def database_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """The database is unreachable or busy: 503, so clients retry; never a bare 500."""
    if is_bad_value(exc):
        message = _("A value in the request is out of range or contains forbidden characters.")
        if wants_json(request):
            return Response(_error_body("invalid_value", message), status_code=400)
        return _error_page(request, 400, message)
    is_outage = is_database_outage(exc)
    status = 503 if is_outage else HTTP_500_INTERNAL_SERVER_ERROR
    message = (
        _("The database is temporarily unavailable. Please try again in a moment.")
        if is_outage
        else _("Something went wrong on our side.")
    )
    request.logger.exception("database error")
    if wants_json(request):
        return Response(
            _error_body("database_unavailable" if is_outage else "internal_error", message),
            status_code=status,
            headers={"Retry-After": "5"} if is_outage else None,
        )
    return _error_page(request, status, message)


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Any other failure: a 500 in our own words, a page with the menu for people and the
    API's error shape for programs, not Litestar's bare JSON. Litestar has logged the
    traceback before this runs."""
    message = _("Something went wrong on our side.")
    if wants_json(request):
        return Response(_error_body("internal_error", message), status_code=500)
    return _error_page(request, 500, message)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: domain_error_handler,
    ValidationException: validation_error_handler,
    HTTPException: http_error_handler,
    DBAPIError: database_error_handler,
    ConnectionError: database_error_handler,  # e.g. refused while connecting to PostgreSQL
    PoolTimeout: database_error_handler,  # no pooled connection came free in time
    OverflowError: database_error_handler,  # SQLite: an integer beyond 64 bits
    **dict.fromkeys(_DRIVER_OUTAGES, database_error_handler),
    Exception: internal_error_handler,
}


# --- forms --------------------------------------------------------------------------------


def int_or_none(value: Any) -> int | None:
    """A page's optional number from the query string; nonsense counts as not given."""
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def date_or(value: Any, default: D) -> date | D:
    """A page's date from the query string, or ``default`` when absent or malformed."""
    try:
        return date.fromisoformat(str(value)) if value else default
    except ValueError:
        return default


@dataclass(frozen=True)
class PeopleSearch:
    """The box before a form's select of people (``fields.person_select``, at most one per form).

    ``text``: what it says, as searched for; the select offers those whose name or e-mail
    address contains it. ``asked``: the form was sent to look people up, not to be saved
    (without the script, which looks people up as one types): by its Search button, or
    with a search other than the one the select was drawn with (``found``), as when one
    types a name and presses Enter, which presses the form's hidden default button. The
    form is then shown again with everything typed and the people narrowed, and nothing
    is saved. The note, question or phone number on the form stay in the body of the
    POST, never in an address that gets logged."""

    text: str
    asked: bool


#: The fields of that box, its Search button and the search the select was drawn with
#: (only without the script), sent with every form that has one.
PEOPLE_SEARCH_FIELDS = ("find", "find_people", "found")


def people_search(values: Mapping[str, Any]) -> PeopleSearch:
    """The search of a form's select of people in its submitted ``values`` (a form or a
    query string; at most 100 characters of it are searched for). A search that differs
    from the one drawn only in case narrows nothing, so it is no new search."""
    box, button, drawn = PEOPLE_SEARCH_FIELDS
    text = _searched(values.get(box))
    changed = drawn in values and text.lower() != _searched(values.get(drawn)).lower()
    return PeopleSearch(text=text, asked=bool(values.get(button)) or changed)


def _searched(value: Any) -> str:
    """A search box's value as it is searched for."""
    return search_text(str(value or "")[:100])


class FormInvalid(Exception):
    """A page form failed validation; ``errors`` maps field names to translated messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


async def read_form(
    request: Request[Any, Any, Any], list_fields: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The submitted form as a dict; ``list_fields`` keep every value (checkbox groups)."""
    form = await request.form()
    values: dict[str, Any] = {}
    for key in form:
        if key == "_csrf":
            continue
        if key in list_fields:
            values[key] = [v for v in form.getall(key) if v != ""]
        else:
            values[key] = form.get(key)
    for key in list_fields:
        values.setdefault(key, [])
    return values


async def read_uploaded_file(request: Request[Any, Any, Any], too_large: str) -> bytes | None:
    """The file of a multipart ``file`` field (None when the form has none), or the raw
    request body. A body over the route's ``request_max_body_size`` is refused at the
    field with the ``too_large`` message, where Litestar would answer a bare 413."""
    try:
        content_type, _params = request.content_type
        if content_type != RequestEncodingType.MULTI_PART:
            return await request.body()
        upload = (await request.form()).get("file")
        return await upload.read() if isinstance(upload, UploadFile) else None
    except RequestEntityTooLarge:
        raise TooLarge(too_large, field="file") from None


def read_query(
    request: Request[Any, Any, Any], list_fields: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The query string as a dict of first values; ``list_fields`` keep every value."""
    values: dict[str, Any] = dict(request.query_params)
    for key in list_fields:
        values[key] = request.query_params.getall(key, [])
    return values


def page_links(filters: dict[str, Any], total: int, offset: int, size: int) -> dict[str, str]:
    """Query strings of the previous and next pages of a list of ``size`` a page (only those
    that exist), each keeping the ``filters`` as given, so paging changes nothing else."""
    links = {}
    base = {key: value for key, value in filters.items() if key != "offset" and value}
    if offset > 0:
        links["previous"] = "?" + urlencode({**base, **_offset(max(0, offset - size))})
    if offset + size < total:
        links["next"] = "?" + urlencode({**base, **_offset(offset + size)})
    return links


def _offset(offset: int) -> dict[str, int]:
    return {"offset": offset} if offset else {}


def convert_form(
    raw: dict[str, Any], struct_type: type[S], *, empty_is_none: tuple[str, ...] = ()
) -> S:
    """Validate form values into a msgspec struct; empty optional fields take their default.
    The search of a select of people (``PEOPLE_SEARCH_FIELDS``) is the page's, not data."""
    cleaned = {key: value for key, value in raw.items() if key not in PEOPLE_SEARCH_FIELDS}
    for info in msgspec.structs.fields(struct_type):
        value = cleaned.get(info.encode_name)
        if isinstance(value, str) and value.strip() == "":
            if info.encode_name in empty_is_none:
                cleaned[info.encode_name] = None
            elif not info.required:
                del cleaned[info.encode_name]
    try:
        return msgspec.convert(cleaned, struct_type, strict=False)
    except msgspec.ValidationError as exc:
        problems = _field_problems(cleaned, struct_type) or dict([form_problem(str(exc))])
        raise FormInvalid(problems) from exc


def _field_problems(values: dict[str, Any], struct_type: type[msgspec.Struct]) -> dict[str, str]:
    """Every field's own problem, each checked alone: msgspec stops at the first, and a
    form with three wrong values should say so once, not in three rounds. Empty when
    each value is right on its own (the struct's checks across fields refused it)."""
    problems: dict[str, str] = {}
    for info in msgspec.structs.fields(struct_type):
        if info.encode_name not in values:
            if info.required:
                problems[info.encode_name] = _("Fill this in.")
            continue
        try:
            msgspec.convert(
                {info.encode_name: values[info.encode_name]},
                _single_field(struct_type, info.name),
                strict=False,
            )
        except msgspec.ValidationError as exc:
            problems[info.encode_name] = form_problem(str(exc))[1]
    return problems


@cache
def _single_field(struct_type: type[msgspec.Struct], name: str) -> type[msgspec.Struct]:
    """A struct of ``struct_type``'s field ``name`` alone, with its type and constraints."""
    info = next(info for info in msgspec.structs.fields(struct_type) if info.name == name)
    return msgspec.defstruct(
        f"{struct_type.__name__}_{name}", [(name, info.type)], rename={name: info.encode_name}
    )


_MISSING = re.compile(r"^Object missing required field `([^`]+)`")
_UNKNOWN = re.compile(r"^Object contains unknown field `([^`]+)`")
_MISSING_PARAMETER = re.compile(r"^Missing required \w+ parameter '([^']+)'")
_BOUND = re.compile(r"^Expected `(int|float)` (>=|>|<=|<) (\S+)")
_TEXT_LENGTH = re.compile(r"^Expected `str` of length (>=|<=) (\d+)")
#: A body's field ends its text with where it is (`` - at `$.phone` ``); a query parameter's
#: text has no such end.
_PATTERN = re.compile(r"^Expected `str` matching regex '(.*)'(?: - at |$)")


def _plain(number: str) -> str:
    return number.removesuffix(".0")


_BOUND_MESSAGES = {
    ">=": N_("Enter %(limit)s or more."),
    ">": N_("Enter more than %(limit)s."),
    "<=": N_("Enter %(limit)s or less."),
    "<": N_("Enter less than %(limit)s."),
}
#: msgspec's text begins with these for a value of the wrong kind.
_KIND_MESSAGES = (
    ("Expected `int`", N_("Enter a whole number.")),
    ("Expected `float`", N_("Enter a number.")),
    # before "date", which its text starts with
    ("Invalid RFC3339 encoded datetime", N_("Enter a valid date and time.")),
    ("Invalid RFC3339 encoded date", N_("Enter a valid date.")),
    ("Invalid RFC3339 encoded time", N_("Enter a time as hh:mm.")),
    ("Expected `time` with no timezone", N_("Enter a local time, without a UTC offset.")),
    ("Invalid enum value", N_("Choose one of the options.")),
)
#: Where the API takes another form than a page's field (a page sends 09:30, JSON 09:30:00).
_API_KIND_MESSAGES = (
    ("Invalid RFC3339 encoded time", N_("Enter a time as hh:mm:ss.")),
    ("Expected `object", N_("Send a JSON object ({...}) here.")),
)


#: msgspec writes a pattern in its text as Python's repr would, backslashes doubled.
_PATTERN_TEXTS = {
    pattern.replace("\\", "\\\\"): message for pattern, message in PATTERN_MESSAGES.items()
}


def form_problem(text: str, *, api: bool = False) -> tuple[str, str]:
    """The field and a message for people from msgspec's text about a form's value
    (``Expected `int` >= 1 - at `$.attendees```): what is wrong, not only that it is;
    ``api``: about a JSON body's value."""
    missing = _MISSING.match(text)
    if missing:
        return missing[1], _("Fill this in.")
    if unknown := _UNKNOWN.match(text):
        return unknown[1], _("Unknown field.")
    path = _field_from(text)
    field_name = path.split(".")[0].split("[")[0] or "form"
    if bound := _BOUND.match(text):
        return field_name, _(_BOUND_MESSAGES[bound[2]], limit=_plain(bound[3]))
    if length := _TEXT_LENGTH.match(text):
        if length[1] == ">=":
            if length[2] == "1":
                return field_name, _("Fill this in.")
            return field_name, _("Enter at least %(count)s characters.", count=length[2])
        if path.endswith("]"):  # one of a list's texts (topics, separated by commas)
            return field_name, _("Enter at most %(count)s characters for each.", count=length[2])
        return field_name, _("Enter at most %(count)s characters.", count=length[2])
    if (pattern := _PATTERN.match(text)) and pattern[1] in _PATTERN_TEXTS:
        return field_name, _(_PATTERN_TEXTS[pattern[1]])
    kinds = (*_API_KIND_MESSAGES, *_KIND_MESSAGES) if api else _KIND_MESSAGES
    message = next(
        (message for start, message in kinds if text.startswith(start)),
        N_("This value is not valid."),
    )
    return field_name, _(message)


def form_error(exc: DomainError) -> dict[str, str]:
    """A domain error as form errors, keyed by its field (or ``form``); every problem of
    one refused together (``errors.refuse_all``)."""
    listed = exc.params.get("fields")
    if isinstance(listed, list):
        return {item["field"] or "form": item["message"] for item in listed}
    return {exc.field or "form": exc.message}


async def refusal(db: AsyncSession, exc: FormInvalid | DomainError) -> tuple[dict[str, str], int]:
    """The errors by field and the status a refused page form is drawn again with: 422 for
    values that failed validation; a domain error's own status, after rolling back what the
    refused change may have written (which expires what the session had loaded)."""
    if isinstance(exc, FormInvalid):
        return exc.errors, 422
    await db.rollback()
    return form_error(exc), exc.status_code
