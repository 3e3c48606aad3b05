"""Bookings: every booking rule lives here, and nowhere else.

Other domains import the public functions (``desk_bookings_between``,
``bookings_out``, ...); the HTTP layers call the rest. Rules are per site: how far
ahead, opening hours, closures and public holidays, capacity cap, restricted
spaces, approval. Each broken rule raises a domain error with a stable code.

Concurrency: a booking transaction starts with ``lock_for_write`` (SQLite's write
lock), then checks, then inserts. On PostgreSQL check-then-insert is serialised per
space (and for desks per person) with transaction-scoped advisory locks, so that
colliding requests queue instead of deadlocking in the exclusion constraints of
migration 0002, which keep the last word: their violation becomes the same 409/422 the
checks give. The capacity cap, which no constraint can express, is serialised per site
the same way.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    and_,
    bindparam,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload
from sqlalchemy.sql.elements import BindParameter

from werkplek.audit.models import AuditEvent
from werkplek.audit.services import record
from werkplek.bookings.models import (
    ACTIVE_STATUS_VALUES,
    Booking,
    BookingParticipant,
    BookingSeries,
    BookingStatus,
    ParticipantResponse,
)
from werkplek.bookings.schemas import (
    MAX_DECLINE_REASON,
    MAX_MOVE_REASON,
    BookingIn,
    BookingOut,
    ParticipantOut,
    RecurrenceIn,
    RescheduleIn,
    SkippedDate,
)
from werkplek.clock import AMSTERDAM, Clock, days_through, local_midnight, local_today, zone_named
from werkplek.config import Settings
from werkplek.db import ids_param, in_ids, is_postgres, lock_for_write, one_of, select_rows
from werkplek.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    read_instant,
)
from werkplek.i18n import _, format_percent
from werkplek.labels import short_date
from werkplek.notifications import services as notify
from werkplek.people.models import Person, Role, TeamMembership
from werkplek.people.services import (
    CurrentUser,
    PersonChoices,
    current_user_for,
    person_choices,
    person_names,
)
from werkplek.rooms.models import Closure, Site, Space, SpaceKind
from werkplek.rooms.services import (
    DayPart,
    SiteDay,
    closures_between,
    day_part_window,
    get_space,
    is_bookable_by,
    site_day,
    space_closed_on,
)
from werkplek.visitors.models import BookingVisitor
from werkplek.webhooks import services as webhooks
from werkplek.webhooks.models import WebhookEvent

DESK_KINDS = (SpaceKind.DESK, SpaceKind.QUIET_DESK)
ROOM_KINDS = (SpaceKind.MEETING_ROOM, SpaceKind.RESIDENT_ROOM)
DESK_KIND_VALUES = tuple(kind.value for kind in DESK_KINDS)
ROOM_KIND_VALUES = tuple(kind.value for kind in ROOM_KINDS)

CHECK_IN_OPENS_BEFORE = timedelta(minutes=30)
"""How long before its start a booking can be checked in."""
ROOM_START_GRACE = timedelta(minutes=15)
"""A room booking may start this long ago (a meeting that has just begun)."""
MAX_RECURRENCE_DAYS = 366
SPACE_CONSTRAINT = "ex_bookings_space_overlap"
PERSON_DESK_CONSTRAINT = "ex_bookings_person_desk_overlap"


# --- errors -------------------------------------------------------------------------------


class BookingConflict(Conflict):
    """The space is already held (by an active booking) for part of the time."""

    code = "booking_conflict"


class BookingRuleBroken(InvalidInput):
    """A booking rule says no; ``code`` names the rule."""


class BookingStateError(Conflict):
    """The booking is not in a state that allows this (cancelled, not pending, ...)."""


def _no_longer_active() -> BookingStateError:
    """Cancelled, declined, lapsed or released: nothing more can be done with the booking."""
    return BookingStateError(_("This booking is no longer active."), code="booking_not_active")


def _already_ended() -> BookingRuleBroken:
    return BookingRuleBroken(
        _("This booking has already ended."), field="booking", code="in_the_past"
    )


def require_open(booking: Booking, now: datetime) -> None:
    """Refuse a booking that is no longer active (409) or over (422)."""
    if not _is_active(booking):
        raise _no_longer_active()
    if booking.end_at <= now:
        raise _already_ended()


def _fmt_time(instant: datetime, zone: ZoneInfo) -> str:
    return instant.astimezone(zone).strftime("%H:%M")


# --- small helpers ------------------------------------------------------------------------


def _zone(site: Site) -> ZoneInfo:
    return zone_named(site.timezone)


#: Every booking starts and ends within one local day of its site (day parts within
#: opening hours), and a local day lasts 25 hours at the most (when the clocks go back).
#: A booking that overlaps a period therefore starts less than this before it; saying so
#: lets a start-time index find a period's bookings instead of every later one.
LONGEST_BOOKING = timedelta(hours=25)


def overlaps(
    start: datetime | ColumnElement[Any], end: datetime | ColumnElement[Any]
) -> ColumnElement[bool]:
    """Bookings that overlap [start, end)."""
    return and_(Booking.start_at < end, Booking.end_at > start)


def active() -> ColumnElement[bool]:
    """Bookings still active (``ACTIVE_STATUS_VALUES``)."""
    return one_of(Booking.status, ACTIVE_STATUS_VALUES)


def _for_or_by(actor: CurrentUser) -> ColumnElement[bool]:
    """Bookings the actor holds or made for someone else."""
    return or_(Booking.booked_for_id == actor.id, Booking.booked_by_id == actor.id)


def _is_active(booking: Booking) -> bool:
    return booking.status in ACTIVE_STATUS_VALUES


def _advisory_key(*parts: object) -> int:
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def touch(booking: Booking, now: datetime) -> None:
    """Every change bumps the iCalendar SEQUENCE and the update time (feeds read both)."""
    booking.sequence = (booking.sequence or 0) + 1
    booking.updated_at = now


async def _team_ids_of(session: AsyncSession, person_id: int) -> set[int]:
    rows = await session.execute(
        select(TeamMembership.team_id).where(TeamMembership.person_id == person_id)
    )
    return set(rows.scalars())


# --- who may do what ----------------------------------------------------------------------


def may_book_for_anyone(actor: CurrentUser) -> bool:
    """The KCC and facilities book for any colleague (admins always)."""
    return actor.has_role(Role.KCC, Role.FACILITIES)


async def may_book_for(session: AsyncSession, actor: CurrentUser, person_id: int) -> bool:
    """Employees book for themselves; team leads also for their team; KCC and facilities
    for anyone."""
    if person_id == actor.id or may_book_for_anyone(actor):
        return True
    if not actor.lead_team_ids:
        return False
    return bool(await _team_ids_of(session, person_id) & actor.lead_team_ids)


async def may_see(session: AsyncSession, actor: CurrentUser, booking: Booking) -> bool:
    """Own bookings (for or by), a led team's bookings, and all for facilities."""
    if actor.id in (booking.booked_for_id, booking.booked_by_id):
        return True
    if actor.has_role(Role.FACILITIES):
        return True
    if booking.booked_for_id is None or not actor.lead_team_ids:
        return False
    return bool(await _team_ids_of(session, booking.booked_for_id) & actor.lead_team_ids)


def _visible_to(actor: CurrentUser) -> ColumnElement[bool] | None:
    """The same rule as ``may_see``, as a WHERE clause (None: everything)."""
    if actor.has_role(Role.FACILITIES):
        return None
    own = _for_or_by(actor)
    if not actor.lead_team_ids:
        return own
    team_members = select(TeamMembership.person_id).where(
        TeamMembership.team_id.in_(sorted(actor.lead_team_ids))
    )
    return or_(own, Booking.booked_for_id.in_(team_members))


def may_book_for_others(actor: CurrentUser) -> bool:
    """Whether ``actor`` books for anyone but themselves: team leads and those of
    ``may_book_for_anyone``."""
    return bool(actor.lead_team_ids) or may_book_for_anyone(actor)


async def bookable_people(
    session: AsyncSession, actor: CurrentUser, *, containing: str = "", keep: int | None = None
) -> PersonChoices:
    """The colleagues ``actor`` may book for: a led team's members, or everyone (KCC,
    facilities), as options of a select (see ``person_choices``)."""
    among = Person.id != actor.id
    if not may_book_for_anyone(actor):
        members = select(TeamMembership.person_id).where(
            TeamMembership.team_id.in_(sorted(actor.lead_team_ids))
        )
        among = and_(among, Person.id.in_(members))
    return await person_choices(session, among=among, containing=containing, keep=keep)


# --- reading ------------------------------------------------------------------------------


async def get_booking(session: AsyncSession, actor: CurrentUser, booking_id: int) -> Booking:
    """A booking the actor may see; others' bookings are 404, as if they did not exist."""
    booking = await session.get(Booking, booking_id)
    if booking is None or not await may_see(session, actor, booking):
        raise NotFound(_("No such booking."))
    return booking


_Query = TypeVar("_Query", bound=Select[Any])


@dataclass(frozen=True)
class BookingQuery:
    """Filters for ``list_bookings``. With no person, site or space, it lists one's own."""

    person_id: int | None = None
    site_id: int | None = None
    space_id: int | None = None
    first_day: date | None = None
    last_day: date | None = None
    statuses: tuple[str, ...] = ()
    is_desk: bool | None = None  # None: desks and rooms
    limit: int = 200
    offset: int = 0


async def list_bookings(
    session: AsyncSession, clock: Clock, actor: CurrentUser, query: BookingQuery
) -> Sequence[Booking]:
    statement = await _bookings_where(session, clock, actor, query, select(Booking))
    statement = statement.order_by(Booking.start_at, Booking.id)
    return (
        (await session.execute(statement.limit(query.limit).offset(query.offset))).scalars().all()
    )


async def count_bookings(
    session: AsyncSession, clock: Clock, actor: CurrentUser, query: BookingQuery
) -> int:
    """How many bookings ``list_bookings`` finds in all its pages."""
    statement = await _bookings_where(
        session, clock, actor, query, select(func.count()).select_from(Booking)
    )
    return (await session.execute(statement)).scalar_one()


async def _bookings_where(
    session: AsyncSession, clock: Clock, actor: CurrentUser, query: BookingQuery, statement: _Query
) -> _Query:
    """``statement`` limited to the bookings of ``query`` that ``actor`` may see."""
    if query.person_id is not None and not (
        query.person_id == actor.id
        or actor.has_role(Role.FACILITIES)
        or await _team_ids_of(session, query.person_id) & actor.lead_team_ids
    ):
        raise Forbidden(_("You may not see this person's bookings."), field="person")
    first_day = query.first_day or local_today(clock)
    if query.last_day and query.last_day < first_day:
        raise InvalidInput(
            _("The end date is before the start date.")
            if query.first_day
            else _("The end date is before today, the start date when none is given."),
            field="to",
        )
    if query.person_id is None and query.site_id is None and query.space_id is None:
        statement = statement.where(_for_or_by(actor))
    else:
        visible = _visible_to(actor)
        if visible is not None:
            statement = statement.where(visible)
    if query.person_id is not None:
        statement = statement.where(Booking.booked_for_id == query.person_id)
    if query.site_id is not None:
        statement = statement.where(Booking.site_id == query.site_id)
    if query.space_id is not None:
        statement = statement.where(Booking.space_id == query.space_id)
    statement = statement.where(Booking.end_at > local_midnight(first_day))
    if query.last_day is not None:
        statement = statement.where(
            Booking.start_at < local_midnight(query.last_day + timedelta(days=1))
        )
    if query.statuses:
        statement = statement.where(Booking.status.in_(query.statuses))
    if query.is_desk is not None:
        statement = statement.where(Booking.is_desk.is_(query.is_desk))
    return statement


#: How many bookings a page of one's upcoming or earlier bookings shows.
BOOKINGS_PAGE_SIZE = 50


@dataclass(frozen=True)
class SiteDayBookings:
    """A page of the bookings at a site on one day; ``total``: on all pages."""

    bookings: Sequence[Booking]
    total: int


#: The most bookings a site's day exports as CSV at once: more than a site holds in a day.
SITE_DAY_EXPORT_LIMIT = 10_000


def _site_day_query(
    actor: CurrentUser,
    site_id: int,
    day: date,
    *,
    is_desk: bool | None,
    statuses: tuple[str, ...],
    offset: int,
    limit: int,
) -> BookingQuery:
    """The bookings at a site on ``day`` (desks, rooms or both; any status unless
    ``statuses`` says), by starting time: facilities see every booking."""
    actor.require(Role.FACILITIES)
    return BookingQuery(
        site_id=site_id,
        first_day=day,
        last_day=day,
        statuses=statuses,
        is_desk=is_desk,
        limit=limit,
        offset=offset,
    )


async def site_day_bookings(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    site_id: int,
    day: date,
    *,
    is_desk: bool | None = None,
    statuses: tuple[str, ...] = (),
    offset: int = 0,
) -> SiteDayBookings:
    """A page (``BOOKINGS_PAGE_SIZE``) from ``offset`` of the bookings at a site on
    ``day`` (``_site_day_query``), with how many there are on all pages: the facilities'
    overview of who is expected where."""
    query = _site_day_query(
        actor,
        site_id,
        day,
        is_desk=is_desk,
        statuses=statuses,
        offset=offset,
        limit=BOOKINGS_PAGE_SIZE,
    )
    return SiteDayBookings(
        await list_bookings(session, clock, actor, query),
        await count_bookings(session, clock, actor, query),
    )


async def site_day_export(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    site_id: int,
    day: date,
    *,
    is_desk: bool | None = None,
    statuses: tuple[str, ...] = (),
) -> Sequence[Booking]:
    """Every booking at a site on ``day`` (``_site_day_query``, up to
    ``SITE_DAY_EXPORT_LIMIT``) for the CSV file: one list, so no count of pages."""
    query = _site_day_query(
        actor,
        site_id,
        day,
        is_desk=is_desk,
        statuses=statuses,
        offset=0,
        limit=SITE_DAY_EXPORT_LIMIT,
    )
    return await list_bookings(session, clock, actor, query)


@dataclass(frozen=True)
class BookingPage:
    """A page of bookings; ``last_id``: the last of them when more follow (the next page
    starts after it), else None."""

    bookings: Sequence[Booking]
    last_id: int | None


async def _page_of_bookings(
    session: AsyncSession,
    actor: CurrentUser,
    conditions: list[ColumnElement[bool]],
    *,
    newest_first: bool,
    after: int | None,
    limit: int,
) -> BookingPage:
    """The bookings meeting ``conditions`` by start (and id), a page at a time; the page
    starts after booking ``after`` of the previous one, not at an offset, so that bookings
    starting or ending meanwhile shift nothing."""
    if after is not None:
        mark = await get_booking(session, actor, after)
        if newest_first:
            later = or_(
                Booking.start_at < mark.start_at,
                and_(Booking.start_at == mark.start_at, Booking.id < mark.id),
            )
        else:
            later = or_(
                Booking.start_at > mark.start_at,
                and_(Booking.start_at == mark.start_at, Booking.id > mark.id),
            )
        conditions = [*conditions, later]
    order = (
        (Booking.start_at.desc(), Booking.id.desc())
        if newest_first
        else (Booking.start_at, Booking.id)
    )
    statement = select(Booking).where(*conditions).order_by(*order).limit(limit + 1)
    found = (await session.execute(statement)).scalars().all()
    shown = found[:limit]
    return BookingPage(shown, shown[-1].id if len(found) > limit else None)


async def upcoming_bookings(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    *,
    after: int | None = None,
    limit: int = BOOKINGS_PAGE_SIZE,
) -> BookingPage:
    """Active bookings for or by the actor that have not ended yet, soonest first."""
    return await _page_of_bookings(
        session,
        actor,
        [_for_or_by(actor), active(), Booking.end_at > clock.now()],
        newest_first=False,
        after=after,
        limit=limit,
    )


async def earlier_bookings(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    *,
    before: int | None = None,
    limit: int = BOOKINGS_PAGE_SIZE,
) -> BookingPage:
    """The actor's bookings that ``upcoming_bookings`` leaves out, newest first: those
    over, and those cancelled, released as a no-show, declined or lapsed (a released booking of
    today would otherwise vanish without a word)."""
    return await _page_of_bookings(
        session,
        actor,
        [_for_or_by(actor), or_(Booking.end_at <= clock.now(), ~active())],
        newest_first=True,
        after=before,
        limit=limit,
    )


async def todays_bookings(
    session: AsyncSession, clock: Clock, actor: CurrentUser
) -> Sequence[Booking]:
    """The actor's own active bookings today (local) that have not ended."""
    today = local_today(clock)
    statement = (
        select(Booking)
        .where(
            Booking.booked_for_id == actor.id,
            active(),
            Booking.end_at > clock.now(),
            Booking.start_at < local_midnight(today + timedelta(days=1)),
        )
        .order_by(Booking.start_at, Booking.id)
    )
    return (await session.execute(statement)).scalars().all()


#: How far ahead the home page looks for one's next bookings once today has none left.
NEXT_BOOKINGS_DAYS = 14


async def next_days_bookings(
    session: AsyncSession, clock: Clock, actor: CurrentUser
) -> Sequence[Booking]:
    """The actor's own active bookings on the first day after today that has any (local),
    within ``NEXT_BOOKINGS_DAYS``."""
    tomorrow = local_today(clock) + timedelta(days=1)
    statement = (
        select(Booking)
        .where(
            Booking.booked_for_id == actor.id,
            active(),
            Booking.start_at >= local_midnight(tomorrow),
            Booking.start_at < local_midnight(tomorrow + timedelta(days=NEXT_BOOKINGS_DAYS)),
        )
        .order_by(Booking.start_at, Booking.id)
    )
    upcoming = (await session.execute(statement)).scalars().all()
    if not upcoming:
        return []
    first_day = upcoming[0].start_at.astimezone(AMSTERDAM).date()
    return [b for b in upcoming if b.start_at.astimezone(AMSTERDAM).date() == first_day]


async def home_today(
    session: AsyncSession, clock: Clock, settings: Settings, user: CurrentUser
) -> dict[str, Any]:
    """The home page block of one's bookings: today's that have not ended, with check-in
    and check-out; once today has none left (in the evening, say), those of the next day
    that has any."""
    bookings = await todays_bookings(session, clock, user)
    next_day = None
    if not bookings:
        bookings = await next_days_bookings(session, clock, user)
        if bookings:
            next_day = bookings[0].start_at.astimezone(AMSTERDAM).date()
    now = clock.now()
    return {
        "today_bookings": await bookings_out(session, bookings),
        "today_checkin_ids": {b.id for b in bookings if can_check_in(b, user.id, now)},
        "today_checkout_ids": {b.id for b in bookings if can_check_out(b, user, now)},
        "bookings_day": next_day,
    }


def _lapsed(cutoff: datetime, now: datetime) -> ColumnElement[bool]:
    """Requests facilities did not decide in time, as a WHERE clause; ``cutoff`` is ``now``
    less the no-show grace period. A request lapses when the booking, had it been
    confirmed, would have been released as a no-show (``release_deadline``), or at its end
    if that comes first: facilities can still approve a meeting that has just begun, while
    a request nobody decides stops holding its slot soon after its start."""
    return and_(
        Booking.status == BookingStatus.PENDING.value,
        or_(and_(Booking.start_at <= cutoff, Booking.updated_at <= cutoff), Booking.end_at <= now),
    )


async def pending_bookings(
    session: AsyncSession, clock: Clock, actor: CurrentUser, grace: timedelta
) -> Sequence[Booking]:
    """Bookings waiting for approval that have not lapsed (``_lapsed``), for facilities."""
    actor.require(Role.FACILITIES)
    statement = (
        select(Booking)
        .where(_awaiting_decision(clock.now(), grace))
        .order_by(Booking.start_at, Booking.id)
    )
    return (await session.execute(statement)).scalars().all()


def _awaiting_decision(now: datetime, grace: timedelta) -> ColumnElement[bool]:
    """Requests facilities may still decide: waiting for approval and not lapsed."""
    return and_(Booking.status == BookingStatus.PENDING.value, ~_lapsed(now - grace, now))


async def home_approvals(
    session: AsyncSession, clock: Clock, settings: Settings, user: CurrentUser
) -> dict[str, Any]:
    """The home page block of facilities: how many requests wait for their decision (as
    many as the approval queue lists)."""
    if not user.has_role(Role.FACILITIES):
        return {"approvals_waiting": 0}
    return {
        "approvals_waiting": (
            await session.execute(
                select(func.count()).where(_awaiting_decision(clock.now(), settings.no_show_grace))
            )
        ).scalar_one()
    }


def release_deadline(booking: Booking, grace: timedelta) -> datetime | None:
    """When an unchecked confirmed booking is released as a no-show.

    The grace period runs from the start, or from when the booking was made or
    approved (its last change) if that was later: a desk booked at 10:00 for the
    morning is not released at once.
    """
    if booking.status != BookingStatus.CONFIRMED.value or booking.checked_in_at is not None:
        return None
    return max(booking.start_at, booking.updated_at) + grace


def check_in_deadline(booking: Booking, now: datetime, grace: timedelta) -> datetime | None:
    """What to check in on the booking before: nothing when it is over or checked in;
    else its no-show release (``release_deadline``), or its end if that comes first, since
    check-in closes at the end (``check_in_open``) and a booking shorter than the grace
    period is over before it would be released."""
    if booking.end_at <= now:
        return None
    deadline = release_deadline(booking, grace)
    return None if deadline is None else min(deadline, booking.end_at)


def check_in_before(
    booking: Booking, person_id: int, now: datetime, grace: timedelta
) -> datetime | None:
    """What the pages tell ``person_id`` to check in on the booking before: nothing unless
    it is theirs, else its ``check_in_deadline``."""
    if booking.booked_for_id != person_id:
        return None
    return check_in_deadline(booking, now, grace)


def check_in_open(booking: Booking, now: datetime) -> bool:
    """Whether the booking can be checked in on now: confirmed, and from
    ``CHECK_IN_OPENS_BEFORE`` its start until its end."""
    return (
        booking.status == BookingStatus.CONFIRMED.value
        and booking.start_at - CHECK_IN_OPENS_BEFORE <= now < booking.end_at
    )


def can_check_in(booking: Booking, person_id: int, now: datetime) -> bool:
    """Whether ``person_id`` can check in on the booking now: only its holder can, since
    checking in says one is there (see ``check_in``); a room's door display may for
    whoever stands at it (``check_in_at_display``)."""
    return booking.booked_for_id == person_id and check_in_open(booking, now)


def can_cancel(booking: Booking, now: datetime) -> bool:
    """Active and not ended; once checked in and under way, leaving early is checking out
    (``can_check_out``), so that the time used stays on record."""
    return _is_active(booking) and booking.end_at > now and not _in_use(booking, now)


def _in_use(booking: Booking, now: datetime) -> bool:
    """Checked in and under way: what checking out ends."""
    return (
        booking.status == BookingStatus.CHECKED_IN.value and booking.start_at < now < booking.end_at
    )


def may_check_out(booking: Booking, actor: CurrentUser) -> bool:
    """Whether ``actor`` may check out on the booking (see ``check_out``): its holder, and
    facilities for one who left without checking out."""
    return booking.booked_for_id == actor.id or actor.has_role(Role.FACILITIES)


def can_check_out(booking: Booking, actor: CurrentUser, now: datetime) -> bool:
    """Whether ``actor`` can check out on the booking now (``may_check_out``, and it is
    checked in and under way)."""
    return may_check_out(booking, actor) and _in_use(booking, now)


def booked_message(booking: BookingOut, *, moved: bool = False) -> str:
    """What a page says after booking, or after moving a desk booking (``moved``: the new
    one): a space that needs approval is only requested, and may yet be declined or lapse
    (``expire_requests_after``). A room's comes with its time, which no form field keeps;
    the page's heading names the day."""
    space = booking.space_name
    if booking.day_part is None:
        space = f"{space}, {booking.local_start:%H:%M}–{booking.local_end:%H:%M}"
    if booking.status == BookingStatus.PENDING.value:
        return _(
            "Requested: %(space)s. The booking is final once facilities approve it.",
            space=space,
        )
    if moved:
        return _("Moved to %(space)s.", space=space)
    return _("Booked: %(space)s.", space=space)


# Built once: the places every booking answer names (a space's site is its booking's site).
_PLACES = (
    select(Space.id, Space.name, Space.kind, Site.name.label("site_name"), Site.timezone)
    .join(Site, Site.id == Space.site_id)
    .where(in_ids(Space.id, ids_param("space_ids")))
)


class Place(NamedTuple):
    """A space as a booking answer names it (the shape of a ``_PLACES`` row)."""

    id: int
    name: str
    kind: str
    site_name: str
    timezone: str


@dataclass
class Known:
    """Names a caller has already loaded, so that ``bookings_out`` need not query them."""

    places: dict[int, Place] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)


async def bookings_out(
    session: AsyncSession,
    bookings: Sequence[Booking],
    *,
    grace: timedelta | None = None,
    known: Known | None = None,
) -> list[BookingOut]:
    """Bookings as API output, with space, site and people names.

    Two queries for any count; none for the names in ``known`` (what the caller loaded).
    """
    if not bookings:
        return []
    known = known or Known()
    places: dict[int, Any] = dict(known.places)
    if missing_places := sorted({b.space_id for b in bookings} - places.keys()):
        rows = await select_rows(session, _PLACES, {"space_ids": missing_places})
        places |= {row.id: row for row in rows}
    person_ids = {p for b in bookings for p in (b.booked_for_id, b.booked_by_id) if p}
    names = known.names | await person_names(session, person_ids - known.names.keys())
    invited = await participants_out(session, bookings)
    result = []
    for booking in bookings:
        place = places[booking.space_id]
        zone = ZoneInfo(place.timezone or "Europe/Amsterdam")
        local_start = booking.start_at.astimezone(zone)
        result.append(
            BookingOut(
                id=booking.id,
                space_id=booking.space_id,
                space_name=place.name,
                space_kind=SpaceKind(place.kind),
                site_id=booking.site_id,
                site_name=place.site_name,
                booked_for_id=booking.booked_for_id,
                booked_for_name=names.get(booking.booked_for_id or 0),
                booked_by_id=booking.booked_by_id,
                booked_by_name=names.get(booking.booked_by_id or 0),
                start=booking.start_at,
                end=booking.end_at,
                local_start=local_start,
                local_end=booking.end_at.astimezone(zone),
                date=local_start.date(),
                day_part=DayPart(booking.day_part) if booking.day_part else None,
                status=BookingStatus(booking.status),
                title=booking.title,
                attendees=booking.attendees,
                series_id=booking.series_id,
                checked_in_at=booking.checked_in_at,
                release_at=release_deadline(booking, grace) if grace is not None else None,
                created_at=booking.created_at,
                updated_at=booking.updated_at,
                sequence=booking.sequence,
                participants=invited.get(booking.id, []),
            )
        )
    return result


@dataclass(frozen=True)
class DeskBooking:
    """An active desk booking, as other domains (presence) need it."""

    booking_id: int
    person_id: int
    site_id: int
    space_id: int
    space_name: str
    date: date
    day_part: str | None
    start_at: datetime
    end_at: datetime
    status: str
    site_name: str  # what presence shows and needs of the site (read with it)
    site_kind: str


#: Run for every KCC search and team board, so built once and read as columns.
_PEOPLES_DESK_BOOKINGS = (
    select(
        Booking.id,
        Booking.booked_for_id,
        Booking.site_id,
        Booking.space_id,
        Space.name,
        Site.timezone,
        Booking.day_part,
        Booking.start_at,
        Booking.end_at,
        Booking.status,
        Site.name,
        Site.kind,
    )
    .join(Space, Space.id == Booking.space_id)
    .join(Site, Site.id == Booking.site_id)
    .where(
        Booking.is_desk.is_(True),
        active(),
        in_ids(Booking.booked_for_id, ids_param("ids")),
        overlaps(bindparam("start"), bindparam("end")),
        Booking.start_at > bindparam("earliest_start"),  # see LONGEST_BOOKING
    )
    .order_by(Booking.start_at, Booking.id)
)


#: How far beyond an instant ``meetings_under_way`` looks for a meeting that follows on.
MEETINGS_AHEAD = timedelta(hours=12)
_HELD_OR_INVITED = (BookingStatus.CONFIRMED.value, BookingStatus.CHECKED_IN.value)
_MEETINGS_FROM = (
    select(Booking.booked_for_id.label("person_id"), Booking.start_at, Booking.end_at)
    .where(
        Booking.is_desk.is_(False),
        one_of(Booking.status, _HELD_OR_INVITED),
        in_ids(Booking.booked_for_id, ids_param("ids")),
        Booking.end_at > bindparam("at"),
        Booking.start_at < bindparam("until"),
    )
    .union_all(
        select(BookingParticipant.person_id, Booking.start_at, Booking.end_at)
        .join(Booking, Booking.id == BookingParticipant.booking_id)
        .where(
            in_ids(BookingParticipant.person_id, ids_param("ids")),
            BookingParticipant.response != ParticipantResponse.DECLINED.value,
            one_of(Booking.status, _HELD_OR_INVITED),
            Booking.end_at > bindparam("at"),
            Booking.start_at < bindparam("until"),
        )
    )
    .order_by("start_at")
)


async def meetings_under_way(
    session: AsyncSession, person_ids: Iterable[int], at: datetime
) -> dict[int, datetime]:
    """Per person in a meeting at ``at``, until when: a room booking they hold or are
    invited to and did not decline (confirmed or checked in), under way then, and any that
    follow on without a break (one query). A request waiting for approval is no meeting
    yet; a desk is none."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    window = {"ids": ids, "at": at, "until": at + MEETINGS_AHEAD}
    busy: dict[int, datetime] = {}
    for person_id, start, end in await select_rows(session, _MEETINGS_FROM, window):
        assert person_id is not None  # filtered by the IN clauses above
        until = busy.get(person_id, at)
        if start <= until < end:
            busy[person_id] = end
    return busy


async def desk_bookings_between(
    session: AsyncSession, person_ids: Iterable[int], first_day: date, last_day: date
) -> list[DeskBooking]:
    """Active desk bookings of these people that touch the local days first..last (one query)."""
    ids = sorted(set(person_ids))
    if not ids:
        return []
    start = local_midnight(first_day)
    window = {
        "ids": ids,
        "start": start,
        "end": local_midnight(last_day + timedelta(days=1)),
        "earliest_start": start - LONGEST_BOOKING,
    }
    found = []
    for row in (await select_rows(session, _PEOPLES_DESK_BOOKINGS, window)).all():
        (booking_id, person_id, site_id, space_id, space_name, zone_name,
         day_part, start_at, end_at, status, site_name, site_kind) = row  # fmt: skip
        assert person_id is not None  # filtered by the IN clause above
        found.append(
            DeskBooking(
                booking_id=booking_id,
                person_id=person_id,
                site_id=site_id,
                space_id=space_id,
                space_name=space_name,
                date=start_at.astimezone(ZoneInfo(zone_name or "Europe/Amsterdam")).date(),
                day_part=day_part,
                start_at=start_at,
                end_at=end_at,
                status=status,
                site_name=site_name,
                site_kind=site_kind,
            )
        )
    return found


async def desks_held(
    session: AsyncSession, person_id: int, start: datetime, end: datetime
) -> list[DeskBooking]:
    """The person's active desk bookings overlapping [start, end): while they hold one, no
    other desk can be booked for them then (one desk per person per moment)."""
    first_day, last_day = (instant.astimezone(AMSTERDAM).date() for instant in (start, end))
    return [
        booking
        for booking in await desk_bookings_between(session, [person_id], first_day, last_day)
        if booking.start_at < end and booking.end_at > start
    ]


# --- making bookings ----------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One occurrence: a local date and its [start, end) in UTC."""

    day: date
    start: datetime
    end: datetime
    day_part: DayPart | None


@dataclass
class _Request:
    """A validated booking request, shared by all its occurrences."""

    actor: CurrentUser
    space: Space
    site: Site
    person_id: int
    title: str
    attendees: int
    status: str
    closures: Sequence[Closure] = ()
    #: The colleagues invited to each booking made (``checked_participants``).
    participants: list[int] = field(default_factory=list)


@dataclass
class BookingResult:
    created: list[Booking] = field(default_factory=list)
    #: The colleagues invited to the bookings made, by person id.
    participants: list[int] = field(default_factory=list)
    skipped: list[SkippedDate] = field(default_factory=list)
    series: BookingSeries | None = None
    #: The space, its site and the people, as the rules loaded them (for ``bookings_out``).
    known: Known = field(default_factory=Known)


def _local_instant(name: str, value: str, zone: ZoneInfo) -> datetime:
    """A room booking's ``start`` or ``end`` in the site's zone, refused at ``name`` unless
    it is a moment that exists (``read_instant``), in whole minutes."""
    parsed = read_instant(value, name, zone)
    if parsed.second or parsed.microsecond:
        raise BookingRuleBroken(
            _("Choose a time in whole minutes."), field=name, code="invalid_time"
        )
    return parsed


def room_times(data: BookingIn, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """A room booking's start and end in the site's zone (``zone``): given, well formed,
    in whole minutes, the end after the start; else refused at the field."""
    if data.start is None:
        raise BookingRuleBroken(_("Choose a start time."), field="start", code="missing_start")
    if data.end is None:
        raise BookingRuleBroken(_("Choose an end time."), field="end", code="missing_end")
    start = _local_instant("start", data.start, zone)
    end = _local_instant("end", data.end, zone)
    if end <= start:
        raise BookingRuleBroken(
            _("The end must be after the start."), field="end", code="invalid_time_range"
        )
    return start, end


_SPACE_AND_SITE = (
    select(Space, Site)
    .join(Site, Site.id == Space.site_id)
    .options(joinedload(Space.restricted_to), joinedload(Site.opening_hours))
    .where(Space.id == bindparam("space_id"))
)


async def load_space(session: AsyncSession, space_id: int) -> tuple[Space, Site]:
    """The space, its team restrictions, its site and the site's hours, in one query;
    refused at ``space_id`` when it is unknown, or it or its site is out of use."""
    found = (await session.execute(_SPACE_AND_SITE, {"space_id": space_id})).unique().first()
    if found is None:
        raise BookingRuleBroken(_("No such space."), field="space_id", code="unknown_space")
    space, site = found
    if not space.active:
        raise BookingRuleBroken(
            _("This space cannot be booked at the moment."),
            field="space_id",
            code="space_inactive",
        )
    if not site.active:
        raise BookingRuleBroken(
            _("This site cannot be booked at the moment."),
            field="space_id",
            code="site_inactive",
        )
    return space, site


def require_bookable_by(space: Space, person: CurrentUser) -> None:
    """Refuse a space reserved for teams ``person`` is not in, at ``space_id``."""
    if not is_bookable_by(space, person):
        raise BookingRuleBroken(
            _("This space is reserved for other teams."),
            field="space_id",
            code="restricted_space",
        )


async def _check_request(
    session: AsyncSession, actor: CurrentUser, data: BookingIn
) -> tuple[_Request, CurrentUser]:
    """The rules that hold for every occurrence: shape, person, space, capacity."""
    space, site = await load_space(session, data.space_id)
    is_desk = SpaceKind(space.kind).is_desk
    if is_desk:
        if data.start is not None or data.end is not None:
            raise BookingRuleBroken(
                _("A desk is booked by date and day part, not by start and end time."),
                field="start" if data.start is not None else "end",
                code="wrong_booking_kind",
            )
        if data.date is None:
            raise BookingRuleBroken(_("Choose a date."), field="date", code="missing_date")
        if data.day_part is None:
            raise BookingRuleBroken(
                _("Choose a morning, an afternoon or the whole day."),
                field="day_part",
                code="missing_day_part",
            )
        if data.attendees != 1:
            raise BookingRuleBroken(
                _("A desk seats exactly one person."), field="attendees", code="over_capacity"
            )
    else:
        if data.day_part is not None or data.date is not None:
            raise BookingRuleBroken(
                _("A room is booked by start and end time, not by day part."),
                field="day_part" if data.day_part is not None else "date",
                code="wrong_booking_kind",
            )
        room_times(data, _zone(site))
        if data.attendees > space.capacity:
            raise BookingRuleBroken(
                _(
                    "This room holds at most %(capacity)s people.",
                    capacity=space.capacity,
                ),
                field="attendees",
                code="over_capacity",
                capacity=space.capacity,
            )

    person_id = data.booked_for_id if data.booked_for_id is not None else actor.id
    target = actor
    if person_id != actor.id:
        person = await session.get(Person, person_id)
        if person is None or not person.active:
            raise BookingRuleBroken(
                _("No such colleague."), field="booked_for_id", code="unknown_person"
            )
        if not await may_book_for(session, actor, person_id):
            raise Forbidden(
                _("You may only book for yourself."),
                field="booked_for_id",
                code="not_allowed_to_book_for",
            )
        target = current_user_for(person)
    # The space is for the person who will use it; facilities may place anyone anywhere.
    if not actor.has_role(Role.FACILITIES):
        require_bookable_by(space, target)
    participants = await checked_participants(session, data.participants, person_id, space)
    needs_approval = space.requires_approval and not actor.has_role(Role.FACILITIES)
    request = _Request(
        actor=actor,
        space=space,
        site=site,
        person_id=person_id,
        title=data.title.strip(),
        attendees=data.attendees,
        status=(BookingStatus.PENDING if needs_approval else BookingStatus.CONFIRMED).value,
        participants=participants,
    )
    return request, target


# --- participants as a booking is made, changed or read -----------------------------------


def no_participants_at_desk() -> BookingRuleBroken:
    """The refusal of participants on a desk booking."""
    return BookingRuleBroken(
        _("Only a room booking can have participants; a desk seats one person."),
        field="participants",
        code="wrong_booking_kind",
    )


async def checked_participants(
    session: AsyncSession, person_ids: Sequence[int] | None, holder_id: int, space: Space
) -> list[int]:
    """The colleagues to invite to a booking of ``space`` held for ``holder_id``: without
    the holder, each once, refused at ``participants`` when one is unknown or no longer
    active (``unknown_person``), when they do not fit in the room with the holder
    (``over_capacity``, the room's rule), or when the space is a desk."""
    if not person_ids:
        return []
    if SpaceKind(space.kind).is_desk:
        raise no_participants_at_desk()
    wanted = sorted(set(person_ids) - {holder_id})
    found = set(
        (
            await session.execute(
                select(Person.id).where(Person.id.in_(wanted), Person.active.is_(True))
            )
        ).scalars()
    )
    if unknown := [person_id for person_id in wanted if person_id not in found]:
        raise BookingRuleBroken(
            _("No such colleague."), field="participants", code="unknown_person", ids=unknown
        )
    if len(wanted) + 1 > space.capacity:
        raise BookingRuleBroken(
            _(
                "This room holds at most %(capacity)s people, the person it is booked for "
                "included.",
                capacity=space.capacity,
            ),
            field="participants",
            code="over_capacity",
            capacity=space.capacity,
        )
    return wanted


async def add_participants(
    session: AsyncSession, clock: Clock, bookings: Sequence[Booking], person_ids: Sequence[int]
) -> None:
    """Invite ``person_ids`` (checked: ``checked_participants``) to each of ``bookings``;
    their answers wait."""
    now = clock.now()
    session.add_all(
        BookingParticipant(booking_id=booking.id, person_id=person_id, created_at=now)
        for booking in bookings
        for person_id in person_ids
    )
    await session.flush()


async def participant_ids(session: AsyncSession, booking_id: int) -> list[int]:
    """The active colleagues invited to a booking."""
    rows = await session.execute(
        select(BookingParticipant.person_id)
        .join(Person, Person.id == BookingParticipant.person_id)
        .where(BookingParticipant.booking_id == booking_id, Person.active.is_(True))
        .order_by(BookingParticipant.person_id)
    )
    return list(rows.scalars())


_PARTICIPANTS = (
    select(
        BookingParticipant.booking_id,
        BookingParticipant.person_id,
        Person.name,
        BookingParticipant.response,
        BookingParticipant.responded_at,
    )
    .join(Person, Person.id == BookingParticipant.person_id)
    .where(in_ids(BookingParticipant.booking_id, ids_param("booking_ids")))
    .order_by(Person.name, Person.id)
)


async def participants_out(
    session: AsyncSession, bookings: Sequence[Booking]
) -> dict[int, list[ParticipantOut]]:
    """Per room booking, who is invited and what they answered (one query)."""
    rooms = sorted(b.id for b in bookings if not b.is_desk)
    found: dict[int, list[ParticipantOut]] = {}
    if not rooms:
        return found
    rows = await select_rows(session, _PARTICIPANTS, {"booking_ids": rooms})
    for booking_id, person_id, name, response, responded_at in rows:
        found.setdefault(booking_id, []).append(
            ParticipantOut(
                person_id=person_id,
                name=name,
                response=ParticipantResponse(response),
                responded_at=responded_at,
            )
        )
    return found


# --- making bookings: days, rules, conflicts, storing -------------------------------------


def _occurrence_days(first: date, recurrence: RecurrenceIn | None) -> list[date]:
    if recurrence is None:
        return [first]
    if recurrence.until < first:
        raise BookingRuleBroken(
            _("The repeat end date is before the first date."),
            field="recurrence.until",
            code="invalid_recurrence",
        )
    if (recurrence.until - first).days > MAX_RECURRENCE_DAYS:
        raise BookingRuleBroken(
            _("A booking repeats for at most a year."),
            field="recurrence.until",
            code="invalid_recurrence",
        )
    weekdays = set(recurrence.weekdays)
    return [day for day in days_through(first, recurrence.until) if day.weekday() in weekdays]


async def series_dates_not_booked(
    session: AsyncSession, actor: CurrentUser, series_id: int
) -> list[date]:
    """The dates of a weekly booking the actor made that it skipped (taken, closed, too
    far ahead): its weekdays from its first date to its end without a booking of it."""
    series = await session.get(BookingSeries, series_id)
    if series is None or series.created_by_id != actor.id:
        raise NotFound(_("No such booking."))
    weekdays = [int(day) for day in series.weekdays.split(",")]
    rows = await session.execute(
        select(Booking.start_at, Site.timezone)
        .join(Site, Site.id == Booking.site_id)
        .where(Booking.series_id == series.id)
    )
    booked = {start.astimezone(ZoneInfo(zone or "Europe/Amsterdam")).date() for start, zone in rows}
    days = _occurrence_days(series.first_date, RecurrenceIn(weekdays=weekdays, until=series.until))
    return [day for day in days if day not in booked]


def _closed_day_error(day: SiteDay, field_name: str) -> BookingRuleBroken:
    return BookingRuleBroken(
        _(
            "The site is closed on %(date)s: %(reason)s.",
            date=short_date(day.day),
            reason=day.reason,
        ),
        field=field_name,
        code="site_closed",
        reason=day.reason or "",
    )


def _desk_slot(request: _Request, day: date, part: DayPart) -> Slot:
    info = site_day(request.site, day, request.closures)
    if not info.is_open:
        raise _closed_day_error(info, "date")
    start, end = day_part_window(request.site, info, part)
    if end <= start:  # the site opens after its split, or closes before it, that day
        assert info.opens is not None and info.closes is not None
        raise BookingRuleBroken(
            _(
                "On %(date)s the site is open only from %(opens)s to %(closes)s; "
                "choose another day part.",
                date=short_date(day),
                opens=info.opens.strftime("%H:%M"),
                closes=info.closes.strftime("%H:%M"),
            ),
            field="day_part",
            code="day_part_closed",
        )
    return Slot(day=day, start=start, end=end, day_part=part)


def _room_slot(request: _Request, day: date, starts: time, ends: time) -> Slot:
    zone = _zone(request.site)
    info = site_day(request.site, day, request.closures)
    if not info.is_open:
        raise _closed_day_error(info, "start")
    assert info.opens is not None and info.closes is not None
    if starts < info.opens or ends > info.closes:
        raise BookingRuleBroken(
            _(
                "The site is open from %(opens)s to %(closes)s on this day.",
                opens=info.opens.strftime("%H:%M"),
                closes=info.closes.strftime("%H:%M"),
            ),
            field="start" if starts < info.opens else "end",
            code="outside_opening_hours",
            opens=info.opens.strftime("%H:%M"),
            closes=info.closes.strftime("%H:%M"),
        )
    return Slot(
        day=day,
        start=datetime.combine(day, starts, tzinfo=zone).astimezone(UTC),
        end=datetime.combine(day, ends, tzinfo=zone).astimezone(UTC),
        day_part=None,
    )


def last_bookable_day(clock: Clock, site: Site) -> date:
    """The last date a booking at ``site`` may fall on: ``max_days_ahead`` days from today
    there."""
    return local_today(clock, _zone(site)) + timedelta(days=site.max_days_ahead)


def too_far_ahead_message(site: Site) -> str:
    """Why a date after ``last_bookable_day`` cannot be booked."""
    return _("You can book at most %(days)s days ahead at this site.", days=site.max_days_ahead)


def _check_dates(request: _Request, clock: Clock, slot: Slot) -> None:
    """Not in the past, not too far ahead, space not closed."""
    now = clock.now()
    field_name = "date" if slot.day_part is not None else "start"
    # A room may be booked for a meeting that began a few minutes ago, never one that is over.
    if slot.day_part is not None:
        past_field = "date" if slot.end <= now else None
    elif slot.start < now - ROOM_START_GRACE:
        past_field = "start"
    else:
        past_field = "end" if slot.end <= now else None
    if past_field is not None:
        raise BookingRuleBroken(
            _("This time has already passed."), field=past_field, code="in_the_past"
        )
    if slot.day > last_bookable_day(clock, request.site):
        raise BookingRuleBroken(
            too_far_ahead_message(request.site),
            field=field_name,
            code="too_far_ahead",
            max_days_ahead=request.site.max_days_ahead,
        )
    closure = space_closed_on(request.closures, request.space.id, slot.day)
    if closure is not None:
        raise BookingRuleBroken(
            _(
                "This space is closed on %(date)s: %(reason)s.",
                date=short_date(slot.day),
                reason=closure.reason or _("Closed"),
            ),
            field=field_name,
            code="space_closed",
        )


_SPACE_CONFLICTS = (
    select(Booking)
    .where(
        Booking.space_id == bindparam("space_id"),
        active(),
        overlaps(bindparam("start"), bindparam("end")),
    )
    .order_by(Booking.start_at)
)
# A desk also conflicts with another desk of the same person at that time.
_DESK_CONFLICTS = (
    select(Booking)
    .where(
        or_(
            Booking.space_id == bindparam("space_id"),
            and_(Booking.booked_for_id == bindparam("person_id"), Booking.is_desk.is_(True)),
        ),
        active(),
        overlaps(bindparam("start"), bindparam("end")),
    )
    .order_by(Booking.start_at)
)


async def _conflicts(
    session: AsyncSession, request: _Request, slot: Slot
) -> tuple[Booking | None, Booking | None]:
    """The first active booking of the space overlapping the slot, and for a desk the first
    desk of the same person overlapping it (one query)."""
    is_desk = request.space.kind in DESK_KIND_VALUES
    found = (
        await session.execute(
            _DESK_CONFLICTS if is_desk else _SPACE_CONFLICTS,
            {
                "space_id": request.space.id,
                "person_id": request.person_id,
                "start": slot.start,
                "end": slot.end,
            },
        )
    ).scalars()
    same_space, same_person = None, None
    for booking in found:
        if booking.space_id == request.space.id:
            same_space = same_space or booking
        elif is_desk:
            same_person = same_person or booking
    return same_space, same_person


def _when(existing: Booking, zone: ZoneInfo) -> dict[str, str]:
    """A booking's date and times in the site's zone, for the messages that name it."""
    return {
        "date": short_date(existing.start_at.astimezone(zone).date()),
        "start": _fmt_time(existing.start_at, zone),
        "end": _fmt_time(existing.end_at, zone),
    }


def _times(existing: Booking, zone: ZoneInfo) -> dict[str, str]:
    """A booking's instants, also in the site's zone, for API clients (``details``)."""
    return {
        "start": existing.start_at.isoformat(),
        "end": existing.end_at.isoformat(),
        "local_start": existing.start_at.astimezone(zone).isoformat(),
        "local_end": existing.end_at.astimezone(zone).isoformat(),
    }


def _conflict_error(existing: Booking, zone: ZoneInfo, actor_id: int) -> BookingConflict:
    """The space is taken then; it says so when the booking in the way is the actor's own
    (a second click, or a meeting booked twice), so they need not look for someone else.
    Whose else it is stays unsaid: booking a desk for a colleague must not tell the KCC
    which desk that colleague, who may hide it, holds."""
    when = _when(existing, zone)
    return BookingConflict(
        _("You already booked this space on %(date)s from %(start)s to %(end)s.", **when)
        if actor_id in (existing.booked_for_id, existing.booked_by_id)
        else _("This space is already booked on %(date)s from %(start)s to %(end)s.", **when),
        field="space_id",
        **_times(existing, zone),
    )


def _has_desk_error(existing: Booking, zone: ZoneInfo, for_self: bool) -> BookingRuleBroken:
    when = _when(existing, zone)
    message = (
        _("You already have a desk booked on %(date)s from %(start)s to %(end)s.", **when)
        if for_self
        else _(
            "This colleague already has a desk booked on %(date)s from %(start)s to %(end)s.",
            **when,
        )
    )
    return BookingRuleBroken(
        message,
        field="booked_for_id" if not for_self else "date",
        code="already_has_desk",
        **_times(existing, zone),
    )


async def active_desk_count(session: AsyncSession, site_id: int) -> int:
    """How many desks in use the site has, as the capacity cap counts them."""
    return int(
        (
            await session.execute(
                select(func.count(Space.id)).where(
                    Space.site_id == site_id,
                    one_of(Space.kind, DESK_KIND_VALUES),
                    Space.active.is_(True),
                )
            )
        ).scalar_one()
    )


def cap_limit(desks: int, percent: int) -> int:
    """How many desks may be booked per day part: ``percent`` % of them rounded down, since
    a cap is a most, yet at least one while there are desks: a cap limits how busy a site
    gets and does not close it (one desk at 50 % would otherwise take no booking at all)."""
    return max(desks * percent // 100, min(desks, 1))


def day_halves(site: Site, info: SiteDay) -> list[tuple[DayPart, datetime, datetime]]:
    """The morning and the afternoon of the site's day, each with its start and end."""
    return [
        (part, *day_part_window(site, info, part)) for part in (DayPart.MORNING, DayPart.AFTERNOON)
    ]


async def _check_capacity_cap(session: AsyncSession, request: _Request, slot: Slot) -> None:
    percent = request.site.capacity_cap_percent
    if percent is None:
        return
    if is_postgres(session):
        # No constraint can count: serialise the count-then-insert per site.
        await session.execute(_LOCK, {"key": _advisory_key("capacity-cap", request.site.id)})
    limit = cap_limit(await active_desk_count(session, request.site.id), percent)
    info = site_day(request.site, slot.day, request.closures)
    for part, start, end in day_halves(request.site, info):
        if not (slot.start < end and slot.end > start):
            continue
        # People, not bookings: someone who moved desks mid-morning holds two that day
        # part, one after the other. A booking whose holder was erased counts on its own.
        others = (
            await session.execute(
                select(
                    func.count(func.distinct(func.coalesce(Booking.booked_for_id, -Booking.id)))
                ).where(
                    Booking.site_id == request.site.id,
                    Booking.is_desk.is_(True),
                    active(),
                    overlaps(start, end),
                    Booking.booked_for_id.is_distinct_from(request.person_id),
                )
            )
        ).scalar_one()
        if others + 1 > limit:
            raise BookingRuleBroken(
                _(
                    "At most %(percent)s of the desks at this site may be booked; "
                    "that limit is reached for this day part.",
                    percent=format_percent(percent),
                ),
                field="day_part",
                code="capacity_cap_reached",
                day_part=part.value,
                limit=limit,
            )


async def _conflict_from_integrity(
    session: AsyncSession, request: _Request, slot: Slot, exc: IntegrityError
) -> DomainError:
    """An exclusion constraint said no (another transaction got there first)."""
    zone = _zone(request.site)
    existing, mine = await _conflicts(session, request, slot)
    if existing is not None:
        return _conflict_error(existing, zone, request.actor.id)
    if mine is not None:
        return _has_desk_error(mine, zone, request.person_id == request.actor.id)
    text = str(exc.orig if exc.orig is not None else exc)
    if PERSON_DESK_CONSTRAINT in text:
        return BookingRuleBroken(
            _("You already have a desk booked at that time."),
            field="date",
            code="already_has_desk",
        )
    if SPACE_CONSTRAINT in text:
        return BookingConflict(
            _("This space has just been booked by someone else."),
            field="space_id",
            start=slot.start.isoformat(),
            end=slot.end.isoformat(),
        )
    raise exc


async def _insert_single(
    session: AsyncSession, request: _Request, slot: Slot, booking: Booking
) -> None:
    """Insert a booking made on its own, outside any savepoint (two statements less): a
    collision ends the request, so nothing needs to go on in this transaction after it.

    The failed flush leaves the transaction to be rolled back, with what it loaded
    expired: the booking that won is looked up, with the space and its site, in the
    next one (on the same connection: a second one could wait for a pool that the
    requests in the same race hold).
    """
    space_id, site_id = request.space.id, request.site.id
    session.add(booking)
    try:
        await session.flush()
    except IntegrityError as exc:
        await session.rollback()
        again = replace(
            request,
            space=await session.get_one(Space, space_id),
            site=await session.get_one(Site, site_id),
        )
        raise await _conflict_from_integrity(session, again, slot, exc) from exc


async def _insert_in_savepoint(
    session: AsyncSession, request: _Request, slot: Slot, booking: Booking
) -> None:
    """Insert a booking in a savepoint of its own, so that a collision undoes only this
    booking and the transaction goes on: a series' next occurrence, or whatever a caller
    that books in a savepoint (a team day's next member) does after it."""
    try:
        async with session.begin_nested():
            session.add(booking)
    except IntegrityError as exc:
        raise await _conflict_from_integrity(session, request, slot, exc) from exc


_LOCK_KEY: BindParameter[int] = bindparam("key", type_=BigInteger())
_LOCK = select(func.pg_advisory_xact_lock(_LOCK_KEY))
_LOCK_SPACE_AND_DESK_OF = select(
    func.pg_advisory_xact_lock(_LOCK_KEY),
    func.pg_advisory_xact_lock(bindparam("desk_of_key", type_=BigInteger())),
)


async def _queue_for(session: AsyncSession, request: _Request, is_desk: bool) -> None:
    """On PostgreSQL, serialise check-then-insert per space (and for a desk per person)
    with transaction-scoped advisory locks, always in that order and before the capacity
    cap's. Without them, transactions inserting colliding bookings at the same moment
    each wait in the exclusion constraint for the other to end, and PostgreSQL breaks
    that deadlock with an error instead of the 409 the check gives once the other has
    committed. SQLite's write lock (``lock_for_write``) serialises already."""
    if not is_postgres(session):
        return
    space_key = _advisory_key("space", request.space.id)
    if is_desk:
        desk_of_key = _advisory_key("desk-of", request.person_id)
        await session.execute(
            _LOCK_SPACE_AND_DESK_OF, {"key": space_key, "desk_of_key": desk_of_key}
        )
    else:
        await session.execute(_LOCK, {"key": space_key})


async def _book_slot(
    session: AsyncSession,
    clock: Clock,
    request: _Request,
    slot: Slot,
    series: BookingSeries | None,
) -> Booking:
    _check_dates(request, clock, slot)
    is_desk = request.space.kind in DESK_KIND_VALUES
    await _queue_for(session, request, is_desk)
    zone = _zone(request.site)
    existing, mine = await _conflicts(session, request, slot)
    if existing is not None:
        raise _conflict_error(existing, zone, request.actor.id)
    if mine is not None:
        raise _has_desk_error(mine, zone, request.person_id == request.actor.id)
    if is_desk:
        await _check_capacity_cap(session, request, slot)
    now = clock.now()
    booking = Booking(
        space_id=request.space.id,
        site_id=request.site.id,
        is_desk=is_desk,
        booked_for_id=request.person_id,
        booked_by_id=request.actor.id,
        start_at=slot.start,
        end_at=slot.end,
        day_part=slot.day_part.value if slot.day_part else None,
        status=request.status,
        title=request.title,
        attendees=request.attendees,
        series_id=series.id if series else None,
        created_at=now,
        updated_at=now,
        sequence=0,
    )
    if series is None and not session.in_nested_transaction():
        await _insert_single(session, request, slot, booking)
    else:
        await _insert_in_savepoint(session, request, slot, booking)
    await record(
        session,
        clock,
        actor_id=request.actor.id,
        action="create",
        object_type="booking",
        object_id=booking.id,
        space_id=booking.space_id,
        booked_for_id=booking.booked_for_id,
        start=booking.start_at.isoformat(),
        end=booking.end_at.isoformat(),
        status=booking.status,
        series_id=booking.series_id,
    )
    return booking


async def create_booking(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    data: BookingIn,
    *,
    from_waitlist: bool = False,
) -> BookingResult:
    """Book a space once, or weekly with ``recurrence``, and tell the holder (or, for a
    space that needs approval, facilities); the confirmation says so ``from_waitlist``.

    A single booking raises the rule it breaks. A recurring one books every
    occurrence it can and reports the others as skipped (never double-booked);
    if none can be booked, it raises ``no_bookable_dates`` with the reasons.
    """
    result = await _create_booking(session, clock, actor, data)
    await notify.bookings_created(session, clock, result.created, from_waitlist=from_waitlist)
    await notify.participants_invited(session, clock, result.created, result.participants)
    return result


async def _create_booking(
    session: AsyncSession, clock: Clock, actor: CurrentUser, data: BookingIn
) -> BookingResult:
    """``create_booking`` without the mail: a move tells the holder in one mail of its own."""
    await lock_for_write(session)
    request, target = await _check_request(session, actor, data)
    zone = _zone(request.site)
    if data.day_part is not None:
        assert data.date is not None
        first = data.date
        part = DayPart(data.day_part)
        make_slot = lambda day: _desk_slot(request, day, part)  # noqa: E731
    else:
        local_start, local_end = room_times(data, zone)
        if local_end.date() != local_start.date():
            raise BookingRuleBroken(
                _("A room booking starts and ends on the same day."),
                field="end",
                code="outside_opening_hours",
            )
        first = local_start.date()
        starts, ends = local_start.time(), local_end.time()
        make_slot = lambda day: _room_slot(request, day, starts, ends)  # noqa: E731
    days = _occurrence_days(first, data.recurrence)
    if not days:
        raise BookingRuleBroken(
            _("No date in this period falls on the chosen weekdays."),
            field="recurrence.weekdays",
            code="invalid_recurrence",
        )
    request.closures = await closures_between(
        session, request.site.id, days[0], days[-1], space_id=request.space.id
    )
    space, site = request.space, request.site
    result = BookingResult(
        known=Known(
            places={space.id: Place(space.id, space.name, space.kind, site.name, site.timezone)},
            names={actor.id: actor.name, target.id: target.name},
        )
    )
    if data.recurrence is not None:
        result.series = BookingSeries(
            created_by_id=actor.id,
            weekdays=",".join(str(d) for d in sorted(set(data.recurrence.weekdays))),
            first_date=days[0],
            until=data.recurrence.until,
            created_at=clock.now(),
        )
        session.add(result.series)
        await session.flush()
    for day in days:
        try:
            slot = make_slot(day)
            result.created.append(await _book_slot(session, clock, request, slot, result.series))
        except (BookingRuleBroken, BookingConflict) as exc:
            if data.recurrence is None:
                raise
            result.skipped.append(
                SkippedDate(date=day, error=exc.code, message=exc.message, field=exc.field)
            )
    if not result.created:
        raise BookingRuleBroken(
            _("None of the dates could be booked."),
            field="recurrence",
            code="no_bookable_dates",
            skipped=[
                {"date": s.date.isoformat(), "error": s.error, "message": s.message}
                for s in result.skipped
            ],
        )
    if request.participants:
        await add_participants(session, clock, result.created, request.participants)
        result.participants = request.participants
    if result.series is not None:
        await record(
            session,
            clock,
            actor_id=actor.id,
            action="create",
            object_type="booking_series",
            object_id=result.series.id,
            bookings=[b.id for b in result.created],
            skipped=[s.date.isoformat() for s in result.skipped],
        )
    await webhooks.emit_bookings(session, clock, WebhookEvent.BOOKING_CREATED, result.created)
    return result


# --- changing bookings --------------------------------------------------------------------


async def get_for_change(session: AsyncSession, actor: CurrentUser, booking_id: int) -> Booking:
    """A booking the actor may see (``get_booking``), under the write lock, to change it."""
    await lock_for_write(session)
    return await get_booking(session, actor, booking_id)


async def cancel_booking(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    booking_id: int,
    *,
    whole_series: bool = False,
) -> list[Booking]:
    """Cancel a booking (and, with ``whole_series``, its later occurrences); frees the space.
    The holder is told, and by whom when it was someone else."""
    booking = await get_for_change(session, actor, booking_id)
    targets = await _cancel(session, clock, actor, booking, whole_series=whole_series)
    await notify.bookings_cancelled(session, clock, targets, actor.id)
    return targets


async def later_in_series(session: AsyncSession, booking: Booking) -> list[Booking]:
    """The active bookings of ``booking``'s weekly series that start after it, soonest
    first (none for a booking without a series)."""
    if booking.series_id is None:
        return []
    rows = await session.execute(
        select(Booking)
        .where(
            Booking.series_id == booking.series_id,
            Booking.id != booking.id,
            Booking.start_at > booking.start_at,
            active(),
        )
        .order_by(Booking.start_at)
    )
    return list(rows.scalars())


async def _cancel(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    booking: Booking,
    *,
    whole_series: bool = False,
) -> list[Booking]:
    """``cancel_booking`` without the mail: a move tells the holder in one mail of its own."""
    now = clock.now()
    require_open(booking, now)
    if _in_use(booking, now):
        raise BookingStateError(
            _("You are checked in and the booking is under way; check out instead."),
            code="checked_in",
        )
    targets = [booking]
    if whole_series:
        targets.extend(await later_in_series(session, booking))
    for target in targets:
        target.status = BookingStatus.CANCELLED.value
        target.cancelled_at = now
        touch(target, now)
        await record(
            session,
            clock,
            actor_id=actor.id,
            action="cancel",
            object_type="booking",
            object_id=target.id,
        )
    await session.flush()
    await webhooks.emit_bookings(session, clock, WebhookEvent.BOOKING_CANCELLED, targets)
    return targets


def movable_desk(held: Sequence[DeskBooking], part: DayPart, now: datetime) -> DeskBooking | None:
    """The desk booking a desk page offers to move ("Move here"): the one desk the person
    holds for exactly this day part that has not ended. One ended by checking out (or by
    an earlier move) is still held, since its time was used, but has nothing left to move."""
    current = _one_left(held, now)
    return current if current is not None and current.day_part == part.value else None


def desk_held_for_another_part(
    held: Sequence[DeskBooking], part: DayPart, now: datetime
) -> DeskBooking | None:
    """The one desk held when it is booked for another day part than ``part``: a page
    showing ``part`` cannot move it (a whole day's booking moves as a whole day, not from
    the morning) and says which day part to choose."""
    current = _one_left(held, now)
    if current is None or current.day_part in (None, part.value):
        return None
    return current


def _one_left(held: Sequence[DeskBooking], now: datetime) -> DeskBooking | None:
    """The one desk booking of ``held`` that has not ended, if there is exactly one."""
    current = [booking for booking in held if booking.end_at > now]
    return current[0] if len(current) == 1 else None


async def may_move(session: AsyncSession, actor: CurrentUser, booking: Booking) -> bool:
    """Whether ``actor`` may move the booking (``move_desk_booking``): whoever may cancel
    it, and once it is checked in only whoever may check it out."""
    if booking.status == BookingStatus.CHECKED_IN.value and not may_check_out(booking, actor):
        return False
    return await may_see(session, actor, booking)


async def may_move_desk(session: AsyncSession, actor: CurrentUser, desk: DeskBooking) -> bool:
    """``may_move`` for the desk a desk page offers to move (``movable_desk``): one's own
    always, a colleague's (booking for them) only when the API would not refuse it."""
    if desk.person_id == actor.id:
        return True
    booking = await session.get(Booking, desk.booking_id)
    return booking is not None and await may_move(session, actor, booking)


def _reason_within(reason: str, limit: int) -> str:
    """``reason`` without surrounding spaces, told to someone by mail; longer than ``limit``
    characters it is refused with 422 ``reason_too_long`` at ``reason``."""
    reason = reason.strip()
    if len(reason) > limit:
        raise InvalidInput(
            _("Too long: at most %(max)s characters.", max=limit),
            field="reason",
            code="reason_too_long",
        )
    return reason


async def move_desk_booking(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    booking_id: int,
    space_id: int,
    reason: str = "",
) -> BookingResult:
    """Move a desk booking to another desk for the same date and day part, in one
    transaction, so that a move the rules refuse (the desk is taken meanwhile, say) leaves
    the old booking as it was.

    Before it is under way, the old booking is cancelled and the new one booked for the
    whole day part. Once checked in and under way, the old one is checked out instead
    (``check_out``: the time used stays on record) and the new one booked from that minute
    to the old end. A checked-in booking moves checked in, so that it is never released as
    a no-show; a desk that needs approval therefore cannot take it over.

    The holder gets one mail saying from which desk to which it moved, who moved it when
    that was someone else, and ``reason`` when given (at most ``MAX_MOVE_REASON``
    characters, else 422 ``reason_too_long`` before anything changes)
    (``notifications.services.booking_moved``), instead of a cancellation and a
    confirmation. The audit log records a ``move`` of the old booking, from which space to
    which, next to its cancellation (or check-out) and the new booking.

    Who may cancel the booking may move it until it is checked in. A checked-in booking
    carries its check-in to the new desk (and, under way, is checked out of the old one),
    so then only those who may check it out may move it: its holder, and facilities
    (``may_check_out``); others are refused with 403 ``not_the_holder``.
    """
    reason = _reason_within(reason, MAX_MOVE_REASON)
    booking = await get_for_change(session, actor, booking_id)
    _require_holder_once_checked_in(
        booking,
        actor,
        _("Only the person this booking is for, or facilities, can move it once it is checked in."),
    )
    if booking.day_part is None:
        raise BookingRuleBroken(
            _("Only a desk booking can move to another desk."),
            field="booking",
            code="not_a_desk_booking",
        )
    if booking.space_id == space_id:
        raise BookingRuleBroken(
            _("This desk is already booked for you."), field="space_id", code="same_desk"
        )
    space, _site = await load_space(session, space_id)
    if not SpaceKind(space.kind).is_desk:
        raise BookingRuleBroken(
            _("A desk booking can only move to another desk."),
            field="space_id",
            code="not_a_desk",
        )
    site = await session.get(Site, booking.site_id)
    assert site is not None  # a booking's site is never deleted while it is held
    wanted = BookingIn(
        space_id=space_id,
        date=booking.start_at.astimezone(_zone(site)).date(),
        day_part=DayPart(booking.day_part),
        booked_for_id=booking.booked_for_id,
    )
    checked_in = booking.status == BookingStatus.CHECKED_IN.value
    if _in_use(booking, clock.now()):
        end = booking.end_at
        await _check_out(session, clock, actor, booking)
        result = await _book_rest(session, clock, actor, wanted, booking.end_at, end)
    else:
        await _cancel(session, clock, actor, booking)
        result = await _create_booking(session, clock, actor, wanted)
    (moved,) = result.created
    if checked_in:
        if moved.status == BookingStatus.PENDING.value:
            raise BookingRuleBroken(
                _("You are checked in: a desk that needs approval cannot take over your booking."),
                field="space_id",
                code="needs_approval",
            )
        await check_in_booking(session, clock, actor.id, moved)
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="move",
        object_type="booking",
        object_id=booking.id,
        from_space_id=booking.space_id,
        to_space_id=moved.space_id,
        new_booking_id=moved.id,
    )
    await notify.booking_moved(session, clock, booking, moved, actor, reason)
    return result


def _require_holder_once_checked_in(booking: Booking, actor: CurrentUser, message: str) -> None:
    """A checked-in booking carries its check-in when it moves or changes, so then only
    those who may check it out may do so (``may_check_out``): 403 ``not_the_holder``."""
    if booking.status == BookingStatus.CHECKED_IN.value and not may_check_out(booking, actor):
        raise Forbidden(message, field="booking", code="not_the_holder")


def can_reschedule(booking: Booking, actor: CurrentUser, now: datetime) -> bool:
    """Whether a page offers ``actor`` to change the booking (``reschedule_room_booking``):
    a room booking that is active and not over, checked in only for its holder and
    facilities. The pages list only bookings the actor may see, which is who may cancel."""
    return (
        not booking.is_desk
        and _is_active(booking)
        and booking.end_at > now
        and (booking.status != BookingStatus.CHECKED_IN.value or may_check_out(booking, actor))
    )


async def reschedule_room_booking(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    booking_id: int,
    changes: RescheduleIn,
    *,
    tell: bool = True,
) -> BookingResult:
    """Change a room booking's date, start, end or room (a field of ``changes`` left out
    stays as it is), in one transaction, so that a change the rules refuse leaves the
    booking as it was.

    Before it begins, the old booking is cancelled and a new one booked with the same
    holder, subject and attendees, by every rule of a new booking (``create_booking``):
    the new time may overlap the old one in the same room, since the old one no longer
    holds it by then. The new booking stays in the old one's weekly series. A
    checked-in booking (checked in before its start) carries its check-in when the new
    one can be checked in now; a change that would turn a booking into a request for
    approval is refused (422 ``needs_approval``): the booking is kept rather than
    traded for a request that may be declined.

    Once under way (begun), only the end can change (422 ``under_way`` at the field
    that would change): the booking keeps its id, start and check-in and gets its new
    end in place, checked against the opening hours and, when it grows, against the
    bookings after it (409 ``booking_conflict``); a room that needs approval is extended
    only by facilities. Shortening it to a time past is checking out instead.

    A change that changes nothing is refused (422 ``unchanged``), a desk booking too
    (422 ``not_a_room_booking``: it moves to another desk instead). Who may cancel the
    booking may change it; a checked-in one only its holder and facilities (403
    ``not_the_holder``). The audit log records a ``reschedule`` of the old booking with
    its old and new place and times. The participants come along, by the rules of a new
    booking's (the new room must hold them), and answer again. The holder gets one mail
    saying from when to when it changed (``notifications.services.booking_rescheduled``),
    each participant one with the new request (``participants_rescheduled``); neither
    with ``tell`` false, for a caller that tells of several changes in one mail each
    (``series_changes``).
    """
    booking = await get_for_change(session, actor, booking_id)
    if booking.is_desk:
        raise BookingRuleBroken(
            _("Only a room booking can be changed; a desk booking can move to another desk."),
            field="booking",
            code="not_a_room_booking",
        )
    now = clock.now()
    require_open(booking, now)
    _require_holder_once_checked_in(
        booking,
        actor,
        _(
            "Only the person this booking is for, or facilities, can change it once it is "
            "checked in."
        ),
    )
    start, end = _time_of_day("start", changes.start), _time_of_day("end", changes.end)
    site = await session.get(Site, booking.site_id)
    assert site is not None  # a booking's site is never deleted while it is held
    zone = _zone(site)
    old_start, old_end = booking.start_at.astimezone(zone), booking.end_at.astimezone(zone)
    old: dict[str, Any] = {
        "date": old_start.date(),
        "start": old_start.time(),
        "end": old_end.time(),
        "space_id": booking.space_id,
    }
    asked: dict[str, Any] = {
        "date": changes.date,
        "start": start,
        "end": end,
        "space_id": changes.space_id,
    }
    new = {name: old[name] if value is None else value for name, value in asked.items()}
    if new == old:
        raise BookingRuleBroken(
            _("Nothing would change: choose another date, time or room."),
            field="booking",
            code="unchanged",
        )
    was = (booking.space_id, booking.start_at, booking.end_at)
    if booking.start_at <= now:
        changed = [name for name in ("date", "start", "space_id") if new[name] != old[name]]
        if changed:
            raise BookingRuleBroken(
                _("This booking is under way: only its end can be changed."),
                field=changed[0],
                code="under_way",
            )
        result = await _change_end(session, clock, actor, booking, new["end"])
    else:
        result = await _replace_room_booking(session, clock, actor, booking, new)
    (changed_to,) = result.created
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="reschedule",
        object_type="booking",
        object_id=booking.id,
        from_space_id=was[0],
        to_space_id=changed_to.space_id,
        from_start=was[1].isoformat(),
        from_end=was[2].isoformat(),
        to_start=changed_to.start_at.isoformat(),
        to_end=changed_to.end_at.isoformat(),
        new_booking_id=changed_to.id,
    )
    if tell:
        await notify.booking_rescheduled(
            session, clock, booking, changed_to, actor, was_start=was[1], was_end=was[2]
        )
        await notify.participants_rescheduled(
            session,
            clock,
            booking,
            changed_to,
            await participant_ids(session, changed_to.id),
            was_start=was[1],
            was_end=was[2],
        )
    return result


def _time_of_day(name: str, value: str | None) -> time | None:
    """A change's local time of day (HH:MM or HH:MM:SS), refused at ``name`` unless in
    whole minutes without an offset."""
    if value is None:
        return None
    try:
        parsed = time.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None or parsed.second or parsed.microsecond or parsed.tzinfo:
        raise BookingRuleBroken(
            _("Choose a time in whole minutes, local time at the site."),
            field=name,
            code="invalid_time",
        )
    return parsed


async def _replace_room_booking(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    booking: Booking,
    new: dict[str, Any],
) -> BookingResult:
    """Cancel a room booking that has not begun and book its new time (``new``: date,
    start, end and space_id) as ``reschedule_room_booking`` says."""
    wanted = BookingIn(
        space_id=new["space_id"],
        # Without an offset: read in the new room's zone (``room_times``).
        start=datetime.combine(new["date"], new["start"]).isoformat(),
        end=datetime.combine(new["date"], new["end"]).isoformat(),
        booked_for_id=booking.booked_for_id,
        title=booking.title,
        attendees=booking.attendees,
        participants=await participant_ids(session, booking.id),
    )
    checked_in = booking.status == BookingStatus.CHECKED_IN.value
    was_request = booking.status == BookingStatus.PENDING.value
    await _cancel(session, clock, actor, booking)
    result = await _create_booking(session, clock, actor, wanted)
    (changed_to,) = result.created
    changed_to.series_id = booking.series_id
    # The visitors expected come to the meeting at its new time or room.
    await session.execute(
        update(BookingVisitor)
        .where(BookingVisitor.booking_id == booking.id)
        .values(booking_id=changed_to.id)
    )
    if changed_to.status == BookingStatus.PENDING.value and not was_request:
        raise BookingRuleBroken(
            _(
                "This room needs approval by facilities, so the booking cannot be changed "
                "to it at once; it stays as it was. Book the new time as a request instead."
            ),
            field="space_id",
            code="needs_approval",
        )
    if checked_in and changed_to.start_at - CHECK_IN_OPENS_BEFORE <= clock.now():
        await check_in_booking(session, clock, actor.id, changed_to)
    return result


async def _change_end(
    session: AsyncSession, clock: Clock, actor: CurrentUser, booking: Booking, end: time
) -> BookingResult:
    """Give a room booking under way a new end (local ``end`` on its day), in place, as
    ``reschedule_room_booking`` says."""
    now = clock.now()
    space, site = await load_space(session, booking.space_id)
    zone = _zone(site)
    start = booking.start_at.astimezone(zone)
    request = _Request(
        actor=actor,
        space=space,
        site=site,
        person_id=booking.booked_for_id or actor.id,
        title=booking.title,
        attendees=booking.attendees,
        status=booking.status,
    )
    request.closures = await closures_between(
        session, site.id, start.date(), start.date(), space_id=space.id
    )
    slot = replace(_room_slot(request, start.date(), start.time(), end), start=booking.start_at)
    if slot.end <= now:
        raise BookingRuleBroken(
            _("This time has already passed; to end the booking now, check out."),
            field="end",
            code="in_the_past",
        )
    if slot.end > booking.end_at:
        if space.requires_approval and not actor.has_role(Role.FACILITIES):
            raise BookingRuleBroken(
                _("This room needs approval: only facilities can make the booking longer."),
                field="end",
                code="needs_approval",
            )
        await _queue_for(session, request, is_desk=False)
        # Only the time added can meet another booking; this one ends where it begins.
        existing, _mine = await _conflicts(session, request, replace(slot, start=booking.end_at))
        if existing is not None:
            raise _conflict_error(existing, zone, actor.id)
    booking.end_at = slot.end
    touch(booking, now)
    # Another time: the participants answer again, as to the new booking of a change before.
    await session.execute(
        update(BookingParticipant)
        .where(BookingParticipant.booking_id == booking.id)
        .values(response=ParticipantResponse.PENDING.value, responded_at=None)
    )
    try:
        await session.flush()
    except IntegrityError as exc:  # the constraint's last word, as ``_insert_single``'s
        await session.rollback()
        raise BookingConflict(
            _("This space has just been booked by someone else."), field="end"
        ) from exc
    await webhooks.emit_bookings(session, clock, WebhookEvent.BOOKING_CHANGED, [booking])
    return BookingResult(created=[booking])


async def _book_rest(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    data: BookingIn,
    start: datetime,
    end: datetime,
) -> BookingResult:
    """Book a desk for [start, end) of the day part ``data`` names: the rest of a booking
    checked out to move. A whole day's rest that begins in the afternoon is an
    afternoon's, as ``check_out`` makes a whole day ended in the morning a morning's."""
    request, _target = await _check_request(session, actor, data)
    assert data.date is not None and data.day_part is not None  # a desk booking's
    request.closures = await closures_between(
        session, request.site.id, data.date, data.date, space_id=request.space.id
    )
    part = data.day_part
    if part is DayPart.DAY and start.astimezone(_zone(request.site)).time() >= (
        request.site.day_split
    ):
        part = DayPart.AFTERNOON
    slot = replace(_desk_slot(request, data.date, part), start=start, end=end)
    booking = await _book_slot(session, clock, request, slot, None)
    await webhooks.emit_bookings(session, clock, WebhookEvent.BOOKING_CREATED, [booking])
    return BookingResult(created=[booking])


async def check_in(
    session: AsyncSession, clock: Clock, actor: CurrentUser, booking_id: int
) -> Booking:
    """Confirm presence; a checked-in booking is never released. Checking in twice is fine.

    Only the holder (the person the booking is for) checks in: checking in says one is at
    the space, so a colleague who booked it for them, their team lead or facilities may
    see the booking but not check in on it (403 ``not_the_holder``)."""
    booking = await get_for_change(session, actor, booking_id)
    if booking.booked_for_id != actor.id:
        raise Forbidden(
            _("Only the person this booking is for can check in."),
            field="booking",
            code="not_the_holder",
        )
    return await check_in_booking(session, clock, actor.id, booking)


async def check_in_at_display(
    session: AsyncSession, clock: Clock, booking: Booking, display_link_id: int
) -> Booking:
    """Check in on a booking from its room's door display. Nobody logs in at a door, so
    the audit event names the display (``display_link_id``) instead of a person; which
    booking the display may check in on is the displays' rule."""
    return await check_in_booking(session, clock, None, booking, display_link_id=display_link_id)


async def check_in_booking(
    session: AsyncSession,
    clock: Clock,
    actor_id: int | None,
    booking: Booking,
    **details: Any,
) -> Booking:
    """Check in on ``booking`` by the rules of its status and time; whether ``actor_id``
    (None: a door display) may is for the caller to decide (``check_in``,
    ``check_in_at_display``, ``availability.book_walk_in``). ``details``: what the audit
    event says besides who checked in."""
    now = clock.now()
    if booking.status == BookingStatus.CHECKED_IN.value:
        return booking
    if booking.status == BookingStatus.PENDING.value:
        raise BookingStateError(
            _("This booking is still waiting for approval."), code="awaiting_approval"
        )
    if booking.status != BookingStatus.CONFIRMED.value:
        raise _no_longer_active()
    if now < booking.start_at - CHECK_IN_OPENS_BEFORE:
        site = await session.get(Site, booking.site_id)
        assert site is not None  # a booking's site is never deleted while it is held
        raise BookingRuleBroken(
            _(
                "You can check in from %(time)s.",
                time=_fmt_time(booking.start_at - CHECK_IN_OPENS_BEFORE, _zone(site)),
            ),
            field="booking",
            code="check_in_too_early",
        )
    if now >= booking.end_at:
        raise _already_ended()
    booking.status = BookingStatus.CHECKED_IN.value
    booking.checked_in_at = now
    touch(booking, now)
    await record(
        session,
        clock,
        actor_id=actor_id,
        action="check_in",
        object_type="booking",
        object_id=booking.id,
        **details,
    )
    await webhooks.emit_bookings(session, clock, WebhookEvent.BOOKING_CHECKED_IN, [booking])
    return booking


async def check_out(
    session: AsyncSession, clock: Clock, actor: CurrentUser, booking_id: int
) -> Booking:
    """Leave early: a checked-in booking ends now (to the minute), so the rest of its time
    is free for others while what was used stays on record. A whole-day desk booking
    ended before the afternoon begins becomes a morning's.

    Checking out says one has left, so the holder does it; facilities, who manage the
    space, may too, for one who went home without checking out and left it looking taken.
    Whoever else may see the booking (who booked it for the holder, their team lead) is
    refused with 403 ``not_the_holder``, as on check-in (``may_check_out``). A holder
    checked out by facilities is told by mail, as of a cancellation by someone else: one
    still there has lost the rest of their time."""
    booking = await get_for_change(session, actor, booking_id)
    if not may_check_out(booking, actor):
        raise Forbidden(
            _("Only the person this booking is for, or facilities, can check out."),
            field="booking",
            code="not_the_holder",
        )
    await _check_out(session, clock, actor, booking)
    if booking.booked_for_id != actor.id:
        await notify.checked_out_by_other(session, clock, booking, actor.id)
    return booking


async def _check_out(
    session: AsyncSession, clock: Clock, actor: CurrentUser, booking: Booking
) -> Booking:
    now = clock.now()
    if booking.status == BookingStatus.CONFIRMED.value:
        raise BookingStateError(
            _("Nobody has checked in for this booking; cancel it instead."),
            code="not_checked_in",
        )
    if booking.status != BookingStatus.CHECKED_IN.value:
        raise _no_longer_active()
    if now >= booking.end_at:
        raise _already_ended()
    if now <= booking.start_at:
        raise BookingRuleBroken(
            _("This booking has not begun yet; cancel it instead."),
            field="booking",
            code="not_begun",
        )
    end = now.replace(second=0, microsecond=0)
    booking.end_at = end if end > booking.start_at else now
    if booking.day_part == DayPart.DAY.value:
        site = await session.get(Site, booking.site_id)
        assert site is not None  # a booking's site is never deleted while it is held
        if booking.end_at.astimezone(_zone(site)).time() <= site.day_split:
            booking.day_part = DayPart.MORNING.value
    touch(booking, now)
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="check_out",
        object_type="booking",
        object_id=booking.id,
    )
    await webhooks.emit_bookings(session, clock, WebhookEvent.BOOKING_CHECKED_OUT, [booking])
    return booking


async def current_booking_at(
    session: AsyncSession, clock: Clock, actor: CurrentUser, space_id: int
) -> Booking | None:
    """The actor's booking of this space that can be checked in now (or already is)."""
    now = clock.now()
    return (
        await session.execute(
            select(Booking)
            .where(
                Booking.space_id == space_id,
                Booking.booked_for_id == actor.id,
                active(),
                Booking.start_at <= now + CHECK_IN_OPENS_BEFORE,
                Booking.end_at > now,
            )
            .order_by(Booking.start_at)
            .limit(1)
        )
    ).scalar_one_or_none()


def no_current_booking(space: Space) -> str:
    """What the QR page of ``space`` tells one who holds no booking of it now, calling a
    desk a desk and any other space a room, as the booking pages do."""
    if SpaceKind(space.kind).is_desk:
        return _("You have no booking for this desk right now.")
    return _("You have no booking for this room right now.")


async def check_in_at_space(
    session: AsyncSession, clock: Clock, actor: CurrentUser, space_id: int
) -> Booking:
    """Check in on one's current booking of a space (what the QR code on it leads to)."""
    await lock_for_write(session)
    booking = await current_booking_at(session, clock, actor, space_id)
    if booking is None:
        raise NotFound(
            no_current_booking(await get_space(session, space_id)),
            field="space_id",
            code="no_current_booking",
        )
    return await check_in_booking(session, clock, actor.id, booking)


async def _decide(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    booking_id: int,
    approve: bool,
    reason: str = "",
) -> Booking:
    actor.require(Role.FACILITIES)
    booking = await get_for_change(session, actor, booking_id)
    if booking.status != BookingStatus.PENDING.value:
        raise BookingStateError(_("This booking is not waiting for approval."), code="not_pending")
    now = clock.now()
    if approve and booking.end_at <= now:
        raise _already_ended()
    booking.status = (BookingStatus.CONFIRMED if approve else BookingStatus.DECLINED).value
    booking.decided_by_id = actor.id
    touch(booking, now)
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="approve" if approve else "decline",
        object_type="booking",
        object_id=booking.id,
    )
    await session.flush()
    await notify.booking_decided(session, clock, booking, reason)
    # Declined, the space is free again.
    event = WebhookEvent.BOOKING_APPROVED if approve else WebhookEvent.BOOKING_CANCELLED
    await webhooks.emit_bookings(session, clock, event, [booking])
    return booking


async def approve_booking(
    session: AsyncSession, clock: Clock, actor: CurrentUser, booking_id: int
) -> Booking:
    return await _decide(session, clock, actor, booking_id, approve=True)


async def decline_booking(
    session: AsyncSession, clock: Clock, actor: CurrentUser, booking_id: int, reason: str = ""
) -> Booking:
    """Decline a request; the slot it held is free again. ``reason`` goes to the requester
    (at most ``MAX_DECLINE_REASON`` characters, else 422 ``reason_too_long`` before
    anything changes)."""
    reason = _reason_within(reason, MAX_DECLINE_REASON)
    return await _decide(session, clock, actor, booking_id, approve=False, reason=reason)


async def release_no_shows_after(
    session: AsyncSession, clock: Clock, grace: timedelta
) -> list[Booking]:
    """Release confirmed bookings nobody checked in to within ``grace`` (see
    ``release_deadline``); returns them. Checked-in bookings are never released.

    A booking already over when the job finds it (shorter than the grace, made or
    approved shortly before its end, or the scheduler was not running) is released too,
    so that the occupancy figures count it as the no-show it was however late the job
    came: a booking nobody checked in to would otherwise count as used once it ended
    (``past_confirmed``) when a longer one is counted released. Its holder is not mailed,
    though: "your desk was released" after the booking ended helps nobody. Webhooks hear
    of every release, as the booking's status changed either way."""
    await lock_for_write(session)
    now = clock.now()
    cutoff = now - grace
    overdue = (
        await session.execute(
            select(Booking)
            .where(
                Booking.status == BookingStatus.CONFIRMED.value,
                Booking.checked_in_at.is_(None),
                Booking.start_at <= cutoff,
                Booking.updated_at <= cutoff,
            )
            .order_by(Booking.start_at)
            .with_for_update(skip_locked=True)
        )
    ).scalars()
    released = []
    for booking in overdue:
        booking.status = BookingStatus.RELEASED.value
        touch(booking, now)
        await record(
            session,
            clock,
            actor_id=None,
            action="release",
            object_type="booking",
            object_id=booking.id,
            reason="no_show",
        )
        released.append(booking)
    await session.flush()
    # The cancelled invite takes it out of the holder's calendar.
    still_on = [booking for booking in released if booking.end_at > now]
    await notify.bookings_cancelled(session, clock, still_on, None, reason="no_show")
    await webhooks.emit_bookings(session, clock, WebhookEvent.BOOKING_CANCELLED, released)
    return released


async def expire_requests_after(
    session: AsyncSession, clock: Clock, grace: timedelta
) -> list[Booking]:
    """Let the requests facilities did not decide in time lapse (``_lapsed``), so that
    they no longer hold their slot, and tell the requesters; returns them. Their status
    is ``lapsed``, not ``declined``: nobody decided, so ``decided_by_id`` stays empty and
    the audit log says why (a ``decline`` by nobody, for the reason ``lapsed``)."""
    await lock_for_write(session)
    now = clock.now()
    lapsed = list(
        (
            await session.execute(
                select(Booking)
                .where(_lapsed(now - grace, now))
                .order_by(Booking.start_at)
                .with_for_update(skip_locked=True)
            )
        ).scalars()
    )
    for booking in lapsed:
        booking.status = BookingStatus.LAPSED.value
        touch(booking, now)
        await record(
            session,
            clock,
            actor_id=None,
            action="decline",
            object_type="booking",
            object_id=booking.id,
            reason="lapsed",
        )
    await session.flush()
    for booking in lapsed:
        await notify.booking_decided(session, clock, booking)
    await webhooks.emit_bookings(session, clock, WebhookEvent.BOOKING_CANCELLED, lapsed)
    return lapsed


async def expire_requests(session: AsyncSession, clock: Clock, settings: Settings) -> None:
    """Scheduler job: requests not decided within ``no_show_grace_minutes`` of their start
    lapse."""
    await expire_requests_after(session, clock, settings.no_show_grace)


async def cancel_bookings_of_leavers(
    session: AsyncSession,
    clock: Clock,
    person_ids: Sequence[int],
    *,
    dry_run: bool = False,
    actor_id: int | None = None,
) -> list[Booking]:
    """Cancel the bookings held for people who were deactivated (they left), so the
    desks and rooms are free for others; returns them (on a dry run: would cancel).
    ``actor_id``: the administrator who deactivated them (None: the import or erasure).

    Only bookings that have not started yet: one under way, or past, is history and stays.
    Bookings they made for others stay too.
    """
    if not person_ids:
        return []
    await lock_for_write(session)
    bookings = await bookings_of_leavers(session, clock, person_ids)
    if dry_run:
        return bookings
    await _cancel_held(session, clock, actor_id, bookings, "person_deactivated")
    # Nor are they expected at meetings that have not begun.
    await session.execute(
        delete(BookingParticipant).where(
            BookingParticipant.person_id.in_(person_ids),
            BookingParticipant.booking_id.in_(
                select(Booking.id).where(Booking.start_at > clock.now(), active())
            ),
        )
    )
    return bookings


async def bookings_of_leavers(
    session: AsyncSession, clock: Clock, person_ids: Sequence[int]
) -> list[Booking]:
    """The bookings held for ``person_ids`` that deactivating them cancels (those that have
    not begun), soonest first, as ``cancel_bookings_of_leavers`` finds them."""
    return await _not_begun(session, clock, Booking.booked_for_id.in_(person_ids))


async def cancel_displaced_bookings(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    held_there: Sequence[ColumnElement[bool]],
    *,
    reason: str,
    explanation: str = "",
) -> list[Booking]:
    """Cancel the bookings that have not begun and match ``held_there`` (a place facilities
    closed, took out of use, restricted or made smaller), and tell their holders why:
    ``reason`` is ``closure``, ``site_withdrawn``, ``space_withdrawn``,
    ``space_restricted`` or ``space_capacity``, ``explanation`` the closure's reason as
    facilities wrote it. A booking under way stays: it is history by the time anyone
    could act on it."""
    await lock_for_write(session)
    bookings = await _not_begun(session, clock, *held_there)
    await _cancel_held(session, clock, actor.id, bookings, reason)
    await notify.bookings_cancelled(
        session, clock, bookings, actor.id, reason=reason, explanation=explanation
    )
    return bookings


def starting_on(first: date, last: date) -> list[ColumnElement[bool]]:
    """Bookings that start on the local days ``first`` to ``last``."""
    return [
        Booking.start_at >= local_midnight(first),
        Booking.start_at < local_midnight(last + timedelta(days=1)),
    ]


def _held_for_on(person_id: int, first: date, last: date) -> list[ColumnElement[bool]]:
    """Bookings held for ``person_id`` that start on the local days ``first`` to ``last``."""
    return [Booking.booked_for_id == person_id, *starting_on(first, last)]


async def cancel_desks_while_absent(
    session: AsyncSession,
    clock: Clock,
    actor_id: int,
    person_id: int,
    first: date,
    last: date,
) -> list[Booking]:
    """Cancel the desk bookings held for someone who reported being absent from ``first``
    to ``last``, so the desks are free for others, and tell them (a desk under way stays,
    as the no-show release deals with it); returns them, soonest first."""
    bookings = await _not_begun(
        session, clock, Booking.is_desk.is_(True), *_held_for_on(person_id, first, last)
    )
    await _cancel_held(session, clock, actor_id, bookings, "absent")
    await notify.bookings_cancelled(session, clock, bookings, actor_id, reason="absent")
    return bookings


@dataclass(frozen=True)
class NotRestored:
    """A desk booking an absence cancelled that could not be booked again, and why."""

    booking: Booking
    refusal: DomainError


@dataclass(frozen=True)
class DesksRestored:
    """What ``restore_desks_after_absence`` booked again (the new bookings, soonest first)
    and what it could not."""

    booked: list[Booking]
    not_restored: list[NotRestored]


async def _cancelled_for_absence(
    session: AsyncSession, clock: Clock, person_id: int, first: date, last: date
) -> list[Booking]:
    """The desk bookings of ``person_id`` on the local days ``first`` to ``last`` that an
    absence cancelled (audited with reason ``absent``) and that have not begun: for each
    time, the one cancelled last (an absence reported, withdrawn and reported again
    cancelled a booking for it twice), soonest first."""
    cancelled = (
        await session.execute(
            select(Booking)
            .where(
                Booking.is_desk.is_(True),
                Booking.status == BookingStatus.CANCELLED.value,
                Booking.start_at > clock.now(),
                *_held_for_on(person_id, first, last),
            )
            .order_by(Booking.cancelled_at.desc(), Booking.id.desc())
        )
    ).scalars()
    by_id = {str(booking.id): booking for booking in cancelled}
    if not by_id:
        return []
    cancels = await session.execute(
        select(AuditEvent.object_id, AuditEvent.details).where(
            AuditEvent.object_type == "booking",
            AuditEvent.action == "cancel",
            AuditEvent.object_id.in_(by_id),
        )
    )
    for_absence = {object_id for object_id, details in cancels if details.get("reason") == "absent"}
    latest: dict[tuple[datetime, datetime], Booking] = {}
    for object_id, booking in by_id.items():
        if object_id in for_absence:
            latest.setdefault((booking.start_at, booking.end_at), booking)
    return sorted(latest.values(), key=lambda booking: booking.start_at)


async def restore_desks_after_absence(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    person_id: int,
    days: Collection[date],
) -> DesksRestored:
    """Book again the desks an absence cancelled on ``days`` (local dates), now that it is
    withdrawn for them: each that has not begun, the same desk and half day, where every
    rule of a new booking still allows it (the desk may have been taken or closed since;
    each try in a savepoint of its own). The holder gets one confirmation for them all."""
    restored = DesksRestored([], [])
    for old in await _cancelled_for_absence(session, clock, person_id, min(days), max(days)):
        day = old.start_at.astimezone(_zone(await session.get_one(Site, old.site_id))).date()
        if day not in days:
            continue
        wanted = BookingIn(
            space_id=old.space_id,
            date=day,
            day_part=DayPart(old.day_part) if old.day_part else DayPart.DAY,
            booked_for_id=person_id,
        )
        try:
            async with session.begin_nested():
                result = await _create_booking(session, clock, actor, wanted)
        except DomainError as refusal:
            restored.not_restored.append(NotRestored(old, refusal))
            continue
        restored.booked.extend(result.created)
    await notify.bookings_created(session, clock, restored.booked)
    return restored


async def rooms_held_while_absent(
    session: AsyncSession, clock: Clock, person_id: int, first: date, last: date
) -> list[Booking]:
    """The room bookings that have not begun held for someone absent from ``first`` to
    ``last``: meetings they may want to hand over or cancel themselves, soonest first."""
    return await _not_begun(
        session, clock, Booking.is_desk.is_(False), *_held_for_on(person_id, first, last)
    )


async def _not_begun(
    session: AsyncSession, clock: Clock, *where: ColumnElement[bool]
) -> list[Booking]:
    """The active bookings matching ``where`` that have not begun, soonest first."""
    statement = select(Booking).where(*where, Booking.start_at > clock.now(), active())
    return list((await session.execute(statement.order_by(Booking.start_at))).scalars())


async def _cancel_held(
    session: AsyncSession,
    clock: Clock,
    actor_id: int | None,
    bookings: Sequence[Booking],
    reason: str,
) -> None:
    """Cancel bookings their holders did not cancel themselves; each is audited with ``reason``."""
    now = clock.now()
    for booking in bookings:
        booking.status = BookingStatus.CANCELLED.value
        booking.cancelled_at = now
        touch(booking, now)
        await record(
            session,
            clock,
            actor_id=actor_id,
            action="cancel",
            object_type="booking",
            object_id=booking.id,
            reason=reason,
        )
    await session.flush()
    await webhooks.emit_bookings(session, clock, WebhookEvent.BOOKING_CANCELLED, bookings)


async def release_no_shows(session: AsyncSession, clock: Clock, settings: Settings) -> None:
    """Scheduler job: free the spaces of no-shows after ``no_show_grace_minutes``."""
    await release_no_shows_after(session, clock, settings.no_show_grace)
