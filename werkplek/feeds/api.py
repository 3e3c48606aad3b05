"""JSON API and the calendar endpoints: /api/feeds, /feeds/{token}.ics, booking invites,
and /api/presence/import (absences from an .ics file)."""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Annotated, Any

from litestar import Controller, HttpMethod, Request, Response, delete, get, post, route
from litestar.di import Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_304_NOT_MODIFIED

from werkplek.config import Settings
from werkplek.feeds import services
from werkplek.feeds.schemas import (
    FeedTokenCreated,
    FeedTokenIn,
    FeedTokenOut,
    PresenceImportOut,
)
from werkplek.i18n import _
from werkplek.web import (
    ClockDep,
    DbDep,
    SettingsDep,
    UserDep,
    login_required,
    provide_user,
    read_uploaded_file,
)

CALENDAR_MEDIA_TYPE = "text/calendar"  # Litestar adds "; charset=utf-8" to text types
FEED_CACHE_CONTROL = "private, max-age=0, must-revalidate"
#: An exported year of leave is a few kilobytes; this is far more than any real file.
IMPORT_MAX_BYTES = 2 * 1024 * 1024


def feed_urls(request: Request[Any, Any, Any], settings: Settings, token: str) -> tuple[str, str]:
    """The https (or http) URL of a feed and the same as webcal:// for one-click subscribing.

    ``WERKPLEK_PUBLIC_URL`` wins over the address the request came in on (behind a proxy
    that is often an internal one)."""
    base = (settings.public_url or str(request.base_url)).rstrip("/")
    url = f"{base}/feeds/{token}.ics"
    return url, "webcal://" + url.split("://", 1)[1]


def created_out(
    request: Request[Any, Any, Any], settings: Settings, created: services.CreatedToken
) -> FeedTokenCreated:
    url, webcal_url = feed_urls(request, settings, created.token)
    return FeedTokenCreated(
        id=created.row.id,
        scope=created.scope,
        created_at=created.row.created_at,
        token=created.token,
        url=url,
        webcal_url=webcal_url,
    )


class FeedTokensController(Controller):
    path = "/api/feeds"
    tags = ["feeds"]
    guards = [login_required]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get("/", summary="My calendar subscriptions (the URLs themselves are never shown again)")
    async def list_tokens(self, db: DbDep, user: UserDep) -> list[FeedTokenOut]:
        return await services.list_tokens(db, user)

    @post(
        "/",
        summary="Create a calendar subscription URL for a person, team, site or space",
        description=(
            "The answer holds the token and its URL; only a hash is stored, so it cannot "
            "be shown again. A person may subscribe to their own feed (admins to anyone's), "
            "KCC agents and admins to any team's, team leads to their teams', anyone to a "
            "site's or a space's."
        ),
        status_code=HTTP_201_CREATED,
    )
    async def create_token(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        data: JSONBody[FeedTokenIn],
    ) -> FeedTokenCreated:
        return created_out(request, settings, await services.create_token(db, clock, user, data))

    @delete(
        "/{token_id:int}", summary="Revoke a calendar subscription; its URL answers 404 at once"
    )
    async def revoke_token(
        self, db: DbDep, clock: ClockDep, user: UserDep, token_id: FromPath[int]
    ) -> None:
        await services.revoke_token(db, clock, user, token_id)


def _matches_etag(header: str, etag: str) -> bool:
    """If-None-Match with weak comparison: any listed tag (W/ or not) or ``*``."""
    for candidate in header.split(","):
        tag = candidate.strip()
        if tag == "*":
            return True
        tag = tag.removeprefix("W/").strip('"')
        if tag == etag:
            return True
    return False


def _not_modified_since(header: str, last_modified: datetime) -> bool:
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:
        return False
    return last_modified <= since


def client_holds(request: Request[Any, Any, Any]) -> services.ClientHolds:
    """Whether the request's If-None-Match (or, without it, If-Modified-Since) names a body."""
    if_none_match = request.headers.get("if-none-match")
    if_modified_since = request.headers.get("if-modified-since")

    def holds(etag: str, last_modified: datetime) -> bool:
        if if_none_match is not None:
            return _matches_etag(if_none_match, etag)
        return if_modified_since is not None and _not_modified_since(
            if_modified_since, last_modified
        )

    return holds


@route(
    "/feeds/{filename:str}",
    # HEAD too: some calendar apps check a subscription's address before reading it.
    http_method=[HttpMethod.GET, HttpMethod.HEAD],
    tags=["feeds"],
    summary="A calendar feed (iCalendar); the token in the URL is the credential",
    description=(
        "Subscribe to `/feeds/{token}.ics` in Outlook, Google Calendar or Thunderbird. "
        "Answers 304 to a matching If-None-Match or If-Modified-Since, 404 for an unknown, "
        "revoked or no longer permitted token (all alike). While nothing the feed is built "
        "from has changed, a 304 is answered without building it again; a change shows at "
        "the next request, and revoking a token acts at once."
    ),
    opt={"public": True},
    media_type=CALENDAR_MEDIA_TYPE,
)
async def read_feed(
    request: Request[Any, Any, Any],
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
    filename: FromPath[str],
) -> Response[bytes]:
    token = filename.removesuffix(".ics")
    if token == filename or not token:
        raise services.feed_not_found()
    holds = client_holds(request)
    feed = await services.read_feed(db, clock, settings, token, holds)
    headers = {
        "ETag": f'W/"{feed.etag}"',
        "Last-Modified": format_datetime(feed.last_modified, usegmt=True),
        "Cache-Control": FEED_CACHE_CONTROL,
    }
    if feed.body is None or holds(feed.etag, feed.last_modified):
        return Response(b"", status_code=HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(feed.body, media_type=CALENDAR_MEDIA_TYPE, headers=headers)


def invite_response(body: bytes, booking_id: int) -> Response[bytes]:
    return Response(
        body,
        media_type=CALENDAR_MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="werkplek-booking-{booking_id}.ics"',
            "Cache-Control": "private, no-store",
        },
    )


@get(
    "/api/bookings/{booking_id:int}/invite.ics",
    tags=["feeds"],
    summary="One booking as an .ics file to add to a calendar",
    guards=[login_required],
    dependencies={"user": Provide(provide_user, sync_to_thread=False)},
    media_type=CALENDAR_MEDIA_TYPE,
)
async def booking_invite(db: DbDep, user: UserDep, booking_id: FromPath[int]) -> Response[bytes]:
    return invite_response(await services.booking_invite(db, user, booking_id), booking_id)


async def read_upload(request: Request[Any, Any, Any]) -> bytes:
    """The .ics from a multipart ``file`` field, or the raw request body."""
    too_large = _("The file is too large to be an exported calendar.")
    payload = await read_uploaded_file(request, too_large)
    if payload is None:
        raise services.InvalidCalendar(
            _("Choose an .ics file to import."), field="file", code="file_missing"
        )
    if len(payload) > IMPORT_MAX_BYTES:
        raise services.InvalidCalendar(too_large, field="file")
    return payload


@post(
    "/api/presence/import",
    tags=["presence"],
    summary="Mark me absent for the events of an .ics file (e.g. leave exported from Outlook)",
    description=(
        "Send the file as multipart field `file` or as a `text/calendar` body. All-day "
        "events mark both half days of each day, timed events the half days they overlap "
        "(08:00–13:00, 13:00–17:00 Amsterdam). Free time marks nothing: a timed event "
        "marked free (`TRANSP:TRANSPARENT`) or any event Outlook shows as working elsewhere "
        "(counted in `free_events`); an all-day event counts even when marked free, as "
        "Google Calendar and Outlook save holidays and leave that way. Cancelled events are "
        "left out. A file that cannot be read is refused with "
        "400 and nothing is imported. Days outside the planning horizon are skipped and "
        "listed. `dry_run=true` answers what would be marked without changing anything."
    ),
    guards=[login_required],
    dependencies={"user": Provide(provide_user, sync_to_thread=False)},
    status_code=200,
    request_max_body_size=IMPORT_MAX_BYTES + 64 * 1024,
)
async def import_absences(
    request: Request[Any, Any, Any],
    db: DbDep,
    clock: ClockDep,
    settings: SettingsDep,
    user: UserDep,
    dry_run: Annotated[
        bool,
        QueryParameter(
            description="`true`: answer what would be marked, and change nothing. Default `false`.",
        ),
    ] = False,
) -> PresenceImportOut:
    payload = await read_upload(request)
    return await services.import_absences(db, clock, settings, user, payload, dry_run=dry_run)


ROUTES = [FeedTokensController, read_feed, booking_invite, import_absences]
