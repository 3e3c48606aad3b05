"""Door displays of rooms and lobby screens of sites ("deurbordjes").

Facilities make a display link per room (a door display) or per site (a lobby screen):
a secret URL that a tablet shows without anyone logging in, revocable at any time. What a
display shows is decided here: whether a room is free, busy or closed now and until
when, today's meetings (what they are about and who holds them only for ordinary meeting
rooms, never for resident rooms), and which meeting may be checked in from the door.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.audit.services import record
from werkplek.bookings import services as bookings
from werkplek.bookings.models import ACTIVE_STATUS_VALUES, Booking
from werkplek.clock import Clock, local_midnight
from werkplek.config import Settings
from werkplek.db import is_postgres, lock_for_write, one_of
from werkplek.displays.models import DisplayKind, DisplayLink
from werkplek.displays.schemas import DisplayLinkIn, DisplayLinkOut
from werkplek.errors import InvalidInput, NotFound, refuse_all, required_name
from werkplek.i18n import _
from werkplek.people.models import Person, Role
from werkplek.people.security import new_token, token_hash
from werkplek.people.services import CurrentUser
from werkplek.rooms import services as rooms
from werkplek.rooms.models import Closure, Floor, Site, Space, SpaceKind

#: The spaces a display shows: rooms one books by the hour, not desks.
ROOM_KINDS = (SpaceKind.MEETING_ROOM.value, SpaceKind.RESIDENT_ROOM.value)
#: How often a display's last visit is written down: it asks every 30 seconds.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)
#: What a door display's "scan to book" offers: a slot starting on a quarter hour, of at
#: least a quarter and at most an hour.
QUARTER_HOUR = timedelta(minutes=15)
LONGEST_SCAN_SLOT = timedelta(hours=1)


class DisplayNotFound(NotFound):
    """An unknown or revoked display token; the answer tells nothing more."""


def display_not_found() -> DisplayNotFound:
    return DisplayNotFound(_("This page does not exist."))


# --- display links ------------------------------------------------------------------------


def link_out(link: DisplayLink, space_name: str | None) -> DisplayLinkOut:
    return DisplayLinkOut(
        id=link.id,
        kind=DisplayKind(link.kind),
        site_id=link.site_id,
        space_id=link.space_id,
        space_name=space_name,
        label=link.label,
        created_by_id=link.created_by_id,
        created_at=link.created_at,
        last_seen_at=link.last_seen_at,
        revoked_at=link.revoked_at,
    )


@dataclass(frozen=True)
class CreatedLink:
    """A new link and its token, which is never stored and so never shown again."""

    link: DisplayLinkOut
    token: str


async def display_rooms(session: AsyncSession, site_id: int) -> Sequence[Space]:
    """The site's active meeting and resident rooms, by name: what its displays show."""
    return (
        await session.scalars(
            select(Space)
            .where(Space.site_id == site_id, Space.active, one_of(Space.kind, ROOM_KINDS))
            .order_by(Space.name, Space.id)
        )
    ).all()


async def create_link(
    session: AsyncSession, clock: Clock, actor: CurrentUser, data: DisplayLinkIn
) -> CreatedLink:
    """A door display link for one of the site's rooms, or a lobby screen link for the
    site (no ``space_id``). Facilities only."""
    actor.require(Role.FACILITIES)
    site = await session.get(Site, data.site_id)
    if site is None:
        raise InvalidInput(_("Choose an existing site."), field="site_id")
    problems = []
    try:
        label = required_name(data.label, field="label")
    except InvalidInput as problem:
        problems.append(problem)
    space = await session.get(Space, data.space_id) if data.space_id is not None else None
    if data.space_id is not None and (
        space is None or space.site_id != site.id or space.kind not in ROOM_KINDS
    ):
        problems.append(
            InvalidInput(_("Choose a meeting or resident room of this site."), field="space_id")
        )
    refuse_all(problems)
    token = new_token()
    link = DisplayLink(
        kind=(DisplayKind.ROOM if space is not None else DisplayKind.LOBBY).value,
        site_id=site.id,
        space_id=space.id if space is not None else None,
        label=label,
        token_hash=token_hash(token),
        created_by_id=actor.id,
        created_at=clock.now(),
    )
    session.add(link)
    await session.flush()
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="create",
        object_type="display_link",
        object_id=link.id,
        site_id=site.id,
        space_id=link.space_id,
        label=label,
    )
    return CreatedLink(link_out(link, space.name if space is not None else None), token)


async def list_links(
    session: AsyncSession, actor: CurrentUser, site_id: int
) -> list[DisplayLinkOut]:
    """The site's display links, newest first, revoked ones too. Facilities only."""
    actor.require(Role.FACILITIES)
    rows = await session.execute(
        select(DisplayLink, Space.name)
        .outerjoin(Space, Space.id == DisplayLink.space_id)
        .where(DisplayLink.site_id == site_id)
        .order_by(DisplayLink.created_at.desc(), DisplayLink.id.desc())
    )
    return [link_out(link, space_name) for link, space_name in rows.all()]


async def revoke_link(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    link_id: int,
    *,
    site_id: int | None = None,
) -> None:
    """Revoke a display link (of ``site_id``, when given): its URL answers 404 from now
    on. Revoking it again changes nothing. Facilities only."""
    actor.require(Role.FACILITIES)
    link = await session.get(DisplayLink, link_id)
    if link is None or (site_id is not None and link.site_id != site_id):
        raise NotFound(_("No such display link."), field="link_id")
    if link.revoked_at is not None:
        return
    link.revoked_at = clock.now()
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="revoke",
        object_type="display_link",
        object_id=link.id,
        site_id=link.site_id,
        label=link.label,
    )


async def open_link(session: AsyncSession, token: str) -> DisplayLink:
    """The active link of ``token``; ``DisplayNotFound`` for an unknown or revoked one."""
    link = await session.scalar(
        select(DisplayLink).where(
            DisplayLink.token_hash == token_hash(token), DisplayLink.revoked_at.is_(None)
        )
    )
    if link is None:
        raise display_not_found()
    return link


async def _note_seen(session: AsyncSession, clock: Clock, link: DisplayLink) -> None:
    """Write when the display last asked (at most once a minute), in a transaction of its
    own that starts as a writer. It is bookkeeping: when SQLite stays locked, a later
    request writes it instead."""
    now = clock.now()
    if link.last_seen_at is not None and now - link.last_seen_at < LAST_SEEN_RESOLUTION:
        return
    await session.commit()
    try:
        await lock_for_write(session)
        await session.execute(
            update(DisplayLink).where(DisplayLink.id == link.id).values(last_seen_at=now)
        )
        await session.commit()
    except OperationalError:
        if is_postgres(session):
            raise
        await session.rollback()


# --- free or busy -------------------------------------------------------------------------


class RoomState(enum.StrEnum):
    FREE = "free"
    BUSY = "busy"
    CLOSED = "closed"


@dataclass(frozen=True)
class RoomDay:
    """A room's hours today as instants, or (``opens`` None) why it is closed all day."""

    opens: datetime | None
    closes: datetime | None
    closed_reason: str | None = None


def room_day(site: Site, space: Space, day: rooms.SiteDay, closures: Sequence[Closure]) -> RoomDay:
    """The room's day: closed when it is out of use, closed itself, or its site is closed
    (a closure, a public holiday, a weekday without hours); else the site's hours."""
    if not (space.active and site.active):
        return RoomDay(None, None, _("Not in use"))
    closure = rooms.space_closed_on(closures, space.id, day.day)
    if closure is not None:
        return RoomDay(None, None, closure.reason or _("Closed"))
    if day.opens is None or day.closes is None:
        return RoomDay(None, None, day.reason)
    return RoomDay(
        rooms.local_to_utc(site, day.day, day.opens), rooms.local_to_utc(site, day.day, day.closes)
    )


@dataclass(frozen=True)
class RoomNow:
    """Whether a room is free, busy or closed now, and until when (``until``, an instant
    today; None: for the rest of the day). ``reason`` says why it is closed."""

    state: RoomState
    until: datetime | None
    reason: str | None = None


def room_now(now: datetime, meetings: Sequence[Booking], day: RoomDay) -> RoomNow:
    """``meetings``: the room's active bookings of today by start. Busy lasts until the
    end of the meeting under way, or of the last one following it without a gap; free
    lasts until the next meeting begins, or else until closing time."""
    if day.opens is None or day.closes is None:
        return RoomNow(RoomState.CLOSED, None, day.closed_reason)
    current = next((m for m in meetings if m.start_at <= now < m.end_at), None)
    if current is not None:
        until = current.end_at
        for meeting in meetings:  # by start, so a chain is followed link by link
            if meeting.start_at <= until < meeting.end_at:
                until = meeting.end_at
        return RoomNow(RoomState.BUSY, until)
    if now < day.opens:
        return RoomNow(RoomState.CLOSED, day.opens, _("Outside opening hours"))
    if now >= day.closes:
        return RoomNow(RoomState.CLOSED, None, _("Outside opening hours"))
    following = [m.start_at for m in meetings if m.start_at > now]
    return RoomNow(RoomState.FREE, min([*following, day.closes]))


def next_meeting(now: datetime, meetings: Sequence[Booking], state: RoomNow) -> datetime | None:
    """When the room's next meeting begins: the first to begin after now, past the
    meetings that keep it busy now (``room_now``); None when none follows today."""
    after = state.until if state.state is RoomState.BUSY and state.until else now
    return next((m.start_at for m in meetings if m.start_at > now and m.start_at >= after), None)


def next_quarter_hour(at: datetime) -> datetime:
    """``at`` rounded up to a quarter hour; itself when it is one. Rounded in UTC, which
    is the same as in the site's zone: Europe/Amsterdam is a whole hour off UTC, in
    summer and in winter."""
    past = timedelta(minutes=at.minute % 15, seconds=at.second, microseconds=at.microsecond)
    return at if not past else at - past + QUARTER_HOUR


@dataclass(frozen=True)
class FreeSlot:
    """A stretch of time a room is free to book, as UTC instants."""

    start: datetime
    end: datetime


def next_free_slot(
    now: datetime,
    meetings: Sequence[Booking],
    day: RoomDay,
    longest: timedelta = LONGEST_SCAN_SLOT,
) -> FreeSlot | None:
    """What a door display offers to book by scanning: the first free stretch of the rest
    of today. It starts at the next quarter hour (from now, from opening time, or from the
    end of the meetings in the way) and lasts until the next meeting, closing time or
    ``longest``, whichever comes first. A gap shorter than a quarter hour is passed over;
    None when nothing of at least a quarter hour is left today, or the room is closed all
    day. ``meetings``: the room's active bookings of today by start (``room_now``)."""
    if day.opens is None or day.closes is None:
        return None
    start = next_quarter_hour(max(now, day.opens))
    ahead: datetime | None = None
    for meeting in meetings:  # by start: each one either leaves a gap before it or pushes on
        if meeting.end_at <= start:
            continue
        if meeting.start_at >= start + QUARTER_HOUR:
            ahead = meeting.start_at
            break
        start = max(start, next_quarter_hour(meeting.end_at))
    end = min(day.closes, start + longest, *([ahead] if ahead is not None else []))
    return FreeSlot(start, end) if end - start >= QUARTER_HOUR else None


def state_headline(state: RoomNow) -> str:
    """The word in large letters: "Vrij", "Bezet", "Gesloten"."""
    return {
        RoomState.FREE: _("Free"),
        RoomState.BUSY: _("Busy"),
        RoomState.CLOSED: _("Closed"),
    }[state.state]


def state_detail(state: RoomNow, zone: ZoneInfo) -> str:
    """The line under it: "Vrij tot 14:00", "Bezet tot 11:30", "Opent om 07:30" or why
    the room is closed."""
    until = state.until.astimezone(zone).strftime("%H:%M") if state.until else ""
    if state.state is RoomState.FREE:
        return _("Free until %(time)s", time=until)
    if state.state is RoomState.BUSY:
        return _("Busy until %(time)s", time=until)
    if state.until is not None:
        return _("Opens at %(time)s", time=until)
    return state.reason or _("Closed")


def shows_who_and_what(space: Space) -> bool:
    """Whether the room's display names its meetings' subjects and holders: only an
    ordinary meeting room's. A resident room's (spreekkamer) meetings are with residents,
    so its display shows times only."""
    return space.kind == SpaceKind.MEETING_ROOM.value


# --- what a display shows -----------------------------------------------------------------


@dataclass(frozen=True)
class Meeting:
    """One of today's meetings as a display lists it; ``subject`` and ``host`` are None
    where the room may not show them (``shows_who_and_what``). Times are local."""

    booking_id: int
    start: datetime
    end: datetime
    subject: str | None
    host: str | None
    status: str
    under_way: bool


@dataclass(frozen=True)
class CheckInOffer:
    """The meeting the door display offers to check in on, and until when (local)."""

    booking_id: int
    start: datetime
    end: datetime
    before: datetime | None


@dataclass(frozen=True)
class RoomBoard:
    """What a door display shows; ``book``: the slot its QR code offers to book
    (``next_free_slot``, local times), if any."""

    label: str
    site_id: int
    site_name: str
    space_id: int
    room_name: str
    capacity: int
    resident_room: bool
    now: datetime
    state: RoomNow
    headline: str
    detail: str
    meetings: list[Meeting]
    check_in: CheckInOffer | None
    book: FreeSlot | None


@dataclass(frozen=True)
class LobbyRoom:
    """A room on a lobby screen; ``next_start``: the next meeting's start (local,
    ``next_meeting``)."""

    name: str
    capacity: int
    state: RoomNow
    headline: str
    detail: str
    next_start: datetime | None


@dataclass(frozen=True)
class LobbyBoard:
    """What a lobby screen shows: the site's rooms floor by floor."""

    label: str
    site_name: str
    now: datetime
    floors: list[tuple[Floor | None, list[LobbyRoom]]]


@dataclass(frozen=True)
class _Today:
    site: Site
    zone: ZoneInfo
    day: rooms.SiteDay
    closures: Sequence[Closure]
    start: datetime
    end: datetime


async def _today(session: AsyncSession, clock: Clock, site_id: int) -> _Today:
    site = await rooms.get_site(session, site_id)
    zone = ZoneInfo(site.timezone)
    today = clock.now().astimezone(zone).date()
    closures = await rooms.closures_on(session, site.id, today)
    return _Today(
        site,
        zone,
        rooms.site_day(site, today, closures),
        closures,
        local_midnight(today, zone),
        local_midnight(today + timedelta(days=1), zone),
    )


async def _meetings(
    session: AsyncSession, space_ids: Sequence[int], start: datetime, end: datetime
) -> list[tuple[Booking, str | None]]:
    """The spaces' active bookings overlapping [start, end) by start, with the name of
    whom each is for."""
    if not space_ids:
        return []
    rows = await session.execute(
        select(Booking, Person.name)
        .outerjoin(Person, Person.id == Booking.booked_for_id)
        .where(
            Booking.space_id.in_(space_ids),
            one_of(Booking.status, ACTIVE_STATUS_VALUES),
            Booking.start_at < end,
            Booking.end_at > start,
        )
        .order_by(Booking.start_at, Booking.id)
    )
    return [(booking, name) for booking, name in rows.all()]


def _meeting(
    booking: Booking, host: str | None, space: Space, now: datetime, zone: ZoneInfo
) -> Meeting:
    shown = shows_who_and_what(space)
    return Meeting(
        booking_id=booking.id,
        start=booking.start_at.astimezone(zone),
        end=booking.end_at.astimezone(zone),
        subject=(booking.title or None) if shown else None,
        host=host if shown else None,
        status=booking.status,
        under_way=booking.start_at <= now < booking.end_at,
    )


def check_in_offer(
    meetings: Sequence[Booking], now: datetime, grace: timedelta, zone: ZoneInfo
) -> CheckInOffer | None:
    """The first of the room's meetings that can be checked in on now and is not yet
    (``bookings.check_in_open``): the one under way, or one beginning soon."""
    booking = next((m for m in meetings if bookings.check_in_open(m, now)), None)
    if booking is None:
        return None
    before = bookings.check_in_deadline(booking, now, grace)
    return CheckInOffer(
        booking.id,
        booking.start_at.astimezone(zone),
        booking.end_at.astimezone(zone),
        before.astimezone(zone) if before is not None else None,
    )


async def display_board(
    session: AsyncSession, clock: Clock, settings: Settings, token: str
) -> RoomBoard | LobbyBoard:
    """What the display of ``token`` shows now: a room's door display or a site's lobby
    screen; ``DisplayNotFound`` for an unknown or revoked token."""
    link = await open_link(session, token)
    if link.space_id is None:
        return await lobby_board(session, clock, link)
    return await room_board(session, clock, settings, link, link.space_id)


async def room_board(
    session: AsyncSession, clock: Clock, settings: Settings, link: DisplayLink, space_id: int
) -> RoomBoard:
    """What the door display ``link`` (of the room ``space_id``) shows now."""
    space = await rooms.get_space(session, space_id)
    today = await _today(session, clock, link.site_id)
    await _note_seen(session, clock, link)
    now = clock.now()
    rows = await _meetings(session, [space.id], today.start, today.end)
    held = [booking for booking, _name in rows]
    day = room_day(today.site, space, today.day, today.closures)
    state = room_now(now, held, day)
    book = next_free_slot(now, held, day)
    return RoomBoard(
        label=link.label,
        site_id=today.site.id,
        site_name=today.site.name,
        space_id=space.id,
        room_name=space.name,
        capacity=space.capacity,
        resident_room=space.kind == SpaceKind.RESIDENT_ROOM.value,
        now=now.astimezone(today.zone),
        state=state,
        headline=state_headline(state),
        detail=state_detail(state, today.zone),
        meetings=[
            _meeting(booking, name, space, now, today.zone)
            for booking, name in rows
            if booking.end_at > now
        ],
        check_in=check_in_offer(held, now, settings.no_show_grace, today.zone),
        book=FreeSlot(book.start.astimezone(today.zone), book.end.astimezone(today.zone))
        if book is not None
        else None,
    )


async def lobby_board(session: AsyncSession, clock: Clock, link: DisplayLink) -> LobbyBoard:
    """What the lobby screen ``link`` shows now."""
    today = await _today(session, clock, link.site_id)
    await _note_seen(session, clock, link)
    now = clock.now()
    spaces = await display_rooms(session, link.site_id)
    held: dict[int, list[Booking]] = {}
    for booking, _name in await _meetings(session, [s.id for s in spaces], today.start, today.end):
        held.setdefault(booking.space_id, []).append(booking)
    listed = []
    for space in spaces:
        meetings = held.get(space.id, [])
        state = room_now(now, meetings, room_day(today.site, space, today.day, today.closures))
        following = next_meeting(now, meetings, state)
        listed.append(
            (
                space.floor_id,
                LobbyRoom(
                    name=space.name,
                    capacity=space.capacity,
                    state=state,
                    headline=state_headline(state),
                    detail=state_detail(state, today.zone),
                    next_start=following.astimezone(today.zone) if following else None,
                ),
            )
        )
    floors = await rooms.list_floors(session, link.site_id)
    grouped = rooms.by_floor(listed, floors, lambda item: item[0])
    return LobbyBoard(
        label=link.label,
        site_name=today.site.name,
        now=now.astimezone(today.zone),
        floors=[(floor, [room for _floor_id, room in items]) for floor, items in grouped],
    )


async def check_in_from_display(
    session: AsyncSession, clock: Clock, token: str, booking_id: int
) -> Booking:
    """Check in on a meeting of the door display's room, as its "Inchecken" button does,
    under the bookings' rules (``bookings.check_in_at_display``: confirmed, from shortly
    before its start until its end; checking in again changes nothing)."""
    await lock_for_write(session)
    link = await open_link(session, token)
    booking = await session.get(Booking, booking_id)
    if link.space_id is None or booking is None or booking.space_id != link.space_id:
        raise NotFound(_("This meeting is not in this room."), field="booking_id")
    return await bookings.check_in_at_display(session, clock, booking, link.id)
