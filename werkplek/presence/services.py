"""Presence: where people work per day part, how to reach them, the KCC finder, callback notes.

Where someone is during a day part is resolved in this order:
an explicit entry > an active desk booking (office at its site) > the weekly pattern > unknown.

Every read for a list of people (KCC search, team board) loads its data in a fixed
number of queries: the people, then per round one query each for entries with
reachability, desk bookings and patterns, each with their sites' names. Nothing is
queried per person.
These reads run on every KCC search, so their statements are built once (with bound
parameters) and select columns rather than ORM objects; days are resolved only when
something asks for them.
"""

from __future__ import annotations

import difflib
import enum
import logging
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Date,
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    delete,
    exists,
    func,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, raiseload, selectinload
from sqlalchemy.sql.base import ExecutableOption
from sqlalchemy.sql.elements import BindParameter

from werkplek.audit.services import record
from werkplek.bookings.services import DeskBooking, desk_bookings_between, meetings_under_way
from werkplek.clock import AMSTERDAM, Clock, days_through, in_amsterdam, local_today
from werkplek.config import Settings
from werkplek.db import (
    constant,
    contains_folded,
    ids_param,
    in_ids,
    joined_strings,
    lock_for_write,
    rows_changed,
    select_rows,
    split_ids,
    split_joined,
)
from werkplek.errors import Forbidden, InvalidInput, NotFound, refuse_all
from werkplek.i18n import N_, _
from werkplek.labels import WEEKDAY_NAMES, clock_time, day_and_date
from werkplek.notifications import services as notify
from werkplek.people.models import Person, PersonTopic, Role, Team, TeamMembership
from werkplek.people.services import CurrentUser, search_text
from werkplek.presence import callback_notes
from werkplek.presence.models import (
    DayReachability,
    PresencePart,
    WeeklyPattern,
    WorkKind,
    WorkLocation,
)
from werkplek.presence.schemas import (
    BackupOut,
    BoardDayOut,
    BoardMemberOut,
    BoardOut,
    Channels,
    DayIn,
    DayOut,
    PartIn,
    PartOut,
    PatternDayOut,
    PatternIn,
    PatternOut,
    PatternSlotOut,
    PersonRef,
    StatusOut,
    TeamRef,
)
from werkplek.rooms.models import Site, SiteKind
from werkplek.rooms.services import DayPart, is_public_holiday
from werkplek.visits.services import ActiveVisit, active_visits_at, open_visits_during
from werkplek.webhooks import services as webhooks
from werkplek.webhooks.models import WebhookEvent

logger = logging.getLogger("werkplek.presence")

#: Morning ends and afternoon starts here (Europe/Amsterdam) for presence.
DAY_SPLIT = time(13, 0)
#: Reachable hours when neither the day nor the weekly pattern says otherwise.
DEFAULT_REACHABLE_FROM = time(8, 30)
DEFAULT_REACHABLE_UNTIL = time(17, 0)
#: How far back a day may be read or changed.
PAST_DAYS_LIMIT = 31
#: The most days one request for a person's days answers.
DAYS_AT_ONCE = 31
#: How far ahead "next reachable" looks.
NEXT_REACHABLE_DAYS = 14
#: A status first reads today up to this many working days ahead: most people are
#: reachable again within them, also on a Thursday evening when they do not work on
#: Fridays; only for the others are the days up to the look-ahead read as well.
NEAR_WORKING_DAYS = 2
SEARCH_MIN_LENGTH = 2
SEARCH_LIMIT = 50
OFFICE_SITE_KINDS = frozenset({SiteKind.CENTRAL_OFFICE.value, SiteKind.SATELLITE.value})
PARTS = (PresencePart.MORNING, PresencePart.AFTERNOON)
WORKWEEK = 5
_DIGITS = re.compile(r"\d")


class OutsidePlanningHorizon(InvalidInput):
    code = "outside_planning_horizon"


class BackupAbsent(InvalidInput):
    code = "backup_absent"


class VisitPlanned(InvalidInput):
    code = "visit_planned"


async def check_no_visit(
    session: AsyncSession,
    person: Person,
    half_days: Iterable[tuple[date, PresencePart]],
    field: str,
) -> None:
    """Someone with a field visit planned or under way cannot be absent then: the visit
    would raise an overdue alert for a colleague who is not there (as a visit cannot be
    planned for someone absent: ``visits.services``). Refused at ``field``, naming the
    first such visit, to be cancelled or handed over first."""
    wanted = [(day, part.value) for day, part in half_days]
    visits = await open_visits_during(session, person.id, wanted)
    if visits:
        visit = visits[0]
        raise VisitPlanned(
            _(
                "%(name)s has a field visit in %(area)s on %(day)s at %(time)s: cancel it "
                "first, and plan it anew for whoever goes instead.",
                name=person.name,
                area=visit.area,
                day=day_and_date(visit.planned_start.astimezone(AMSTERDAM).date()),
                time=clock_time(visit.planned_start),
            ),
            field=field,
            visit_id=visit.id,
        )


class Visibility(enum.IntEnum):
    """How much of someone's presence a viewer may see."""

    COLLEAGUE = 1  # in a municipal location or not, reachability, desk unless hidden
    CONTACT = 2  # KCC and team leads: also home/on location/absent and the area
    FULL = 3  # the person and admins: also the private absence reason and a hidden desk


# --- small helpers ------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def local_instant(day: date, at: time, zone: ZoneInfo = AMSTERDAM) -> datetime:
    """A wall-clock time as an instant; kept, as a search asks for the same few hundreds."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def end_of_day(day: date) -> datetime:
    return local_instant(day + timedelta(days=1), time(0))


def part_at(at: datetime) -> PresencePart:
    local = at.astimezone(AMSTERDAM)
    return PresencePart.MORNING if local.time() < DAY_SPLIT else PresencePart.AFTERNOON


def working_days_after(day: date, count: int) -> date:
    """The ``count``-th working day (Monday to Friday) after ``day``."""
    while count:
        day += timedelta(days=1)
        count -= day.weekday() < WORKWEEK
    return day


def week_of(day: date) -> list[date]:
    """Monday to Friday of the week that holds ``day``."""
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=n) for n in range(WORKWEEK)]


def planning_day(today: date) -> date:
    """The day whose week one plans on ``today``: today from Monday to Friday, the coming
    Monday at the weekend, when the week that holds Saturday and Sunday is over."""
    if today.weekday() >= WORKWEEK:
        return today + timedelta(days=7 - today.weekday())
    return today


def planning_window(clock: Clock, settings: Settings) -> tuple[date, date]:
    """The first and the last day one can see or plan today (``check_horizon``)."""
    today = local_today(clock)
    return (
        today - timedelta(days=PAST_DAYS_LIMIT),
        today + timedelta(days=settings.planning_horizon_days),
    )


def check_horizon(clock: Clock, settings: Settings, day: date, field_name: str = "date") -> None:
    first, last = planning_window(clock, settings)
    if day > last:
        raise OutsidePlanningHorizon(
            _(
                "Plan at most %(days)s days ahead.",
                days=settings.planning_horizon_days,
            ),
            field=field_name,
        )
    if day < first:
        raise OutsidePlanningHorizon(
            _(
                "Days more than %(days)s days ago can no longer be shown or changed.",
                days=PAST_DAYS_LIMIT,
            ),
            field=field_name,
        )


def visibility_for(viewer: CurrentUser, person: Person | Contact) -> Visibility:
    if viewer.id == person.id or viewer.is_admin:
        return Visibility.FULL
    if is_contact_for(viewer, _team_ids(person)):
        return Visibility.CONTACT
    return Visibility.COLLEAGUE


def is_contact_for(viewer: CurrentUser, team_ids: Collection[int]) -> bool:
    """Whether ``viewer`` sees where members of ``team_ids`` are beyond "in or not" (home,
    on location, absent): the KCC, team leads, and the leads of one of those teams."""
    return viewer.has_role(Role.KCC, Role.TEAMLEAD) or not viewer.lead_team_ids.isdisjoint(team_ids)


def _team_ids(person: Person | Contact) -> frozenset[int]:
    if isinstance(person, Contact):
        return person.team_ids
    return frozenset(m.team_id for m in person.memberships)


def may_manage(viewer: CurrentUser, person: Person) -> bool:
    """The person, an admin, or a lead of one of the person's teams may set their days."""
    if viewer.id == person.id or viewer.is_admin:
        return True
    return bool(viewer.lead_team_ids & _team_ids(person))


def sees_absence_reason(viewer: CurrentUser, person: Person) -> bool:
    """Only the person and admins see and record the reason for an absence."""
    return visibility_for(viewer, person) is Visibility.FULL


def may_plan_team(viewer: CurrentUser, team_id: int) -> bool:
    """Whether ``viewer`` may set the days of every member of a team (``may_manage`` for
    each of them): its leads and admins."""
    return viewer.is_admin or team_id in viewer.lead_team_ids


def board_team_of(viewer: CurrentUser, person: Person) -> int | None:
    """The team board a colleague's week leads back to: the lowest-numbered of their teams
    the viewer leads, else (an admin) of all their teams; None without a team."""
    teams = _team_ids(person)
    return min(teams & viewer.lead_team_ids or teams, default=None)


def person_ref(person: Person | Contact) -> PersonRef:
    return PersonRef(id=person.id, name=person.name)


def channels_of(person: Person | Contact) -> Channels:
    return Channels(phone=person.phone, mobile=person.mobile, chat_handle=person.chat_handle)


# --- loading presence data in a fixed number of queries -----------------------------------


@dataclass(frozen=True)
class SiteInfo:
    id: int
    name: str
    kind: str


class BookedDesk(NamedTuple):
    site_id: int
    desk: str


class EntryRow(NamedTuple):
    """What someone said about a half day (a ``WorkLocation`` row)."""

    person_id: int
    date: date
    day_part: str
    kind: str
    site_id: int | None
    area: str | None
    absence_reason: str | None
    updated_at: datetime
    updated_by_id: int | None = None  # who set it, when not the person (a lead, an admin)


class ReachabilityRow(NamedTuple):
    """Someone's hours, note and backup for one date (a ``DayReachability`` row)."""

    person_id: int
    date: date
    reachable_from: time | None
    reachable_until: time | None
    note: str
    backup_id: int | None


class PatternRow(NamedTuple):
    """Someone's usual weekday (a ``WeeklyPattern`` row)."""

    person_id: int
    weekday: int
    morning_kind: str | None
    morning_site_id: int | None
    morning_area: str | None
    afternoon_kind: str | None
    afternoon_site_id: int | None
    afternoon_area: str | None
    reachable_from: time | None
    reachable_until: time | None


@dataclass
class PresenceData:
    """Everything needed to resolve some people's days over a date range."""

    first: date
    last: date
    entries: dict[tuple[int, date, str], EntryRow] = field(default_factory=dict)
    reachability: dict[tuple[int, date], ReachabilityRow] = field(default_factory=dict)
    bookings: dict[tuple[int, date, str], BookedDesk] = field(default_factory=dict)
    patterns: dict[tuple[int, int], PatternRow] = field(default_factory=dict)
    sites: dict[int, SiteInfo] = field(default_factory=dict)

    def add(self, other: PresenceData) -> None:
        """Take in what was loaded for other people."""
        self.entries.update(other.entries)
        self.reachability.update(other.reachability)
        self.bookings.update(other.bookings)
        self.patterns.update(other.patterns)
        self.sites.update(other.sites)


def _booked_parts(
    start_at: datetime, end_at: datetime, day_part: str | None, zone: ZoneInfo, split: time
) -> list[tuple[date, PresencePart]]:
    """The (date, half day) pairs a desk booking covers, in the site's time zone."""
    local_start = start_at.astimezone(zone)
    if day_part == DayPart.MORNING.value:
        return [(local_start.date(), PresencePart.MORNING)]
    if day_part == DayPart.AFTERNOON.value:
        return [(local_start.date(), PresencePart.AFTERNOON)]
    if day_part == DayPart.DAY.value:
        return [(local_start.date(), part) for part in PARTS]
    local_end = end_at.astimezone(zone)
    covered: list[tuple[date, PresencePart]] = []
    day = local_start.date()
    while datetime.combine(day, time(0), tzinfo=zone) < local_end:
        day_start = datetime.combine(day, time(0), tzinfo=zone)
        split_at = datetime.combine(day, split, tzinfo=zone)
        day_end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
        if local_start < split_at and local_end > day_start:
            covered.append((day, PresencePart.MORNING))
        if local_start < day_end and local_end > split_at:
            covered.append((day, PresencePart.AFTERNOON))
        day += timedelta(days=1)
    return covered


async def desk_slots_between(
    session: AsyncSession, person_ids: Iterable[int], first_day: date, last_day: date
) -> dict[tuple[int, date, str], BookedDesk]:
    """Active desk bookings of these people, per (person, date, half day), in one query.

    The bookings domain answers which desks are held (``desk_bookings_between``);
    presence only needs where and which desk, per half day in Europe/Amsterdam.
    """
    bookings = await desk_bookings_between(session, person_ids, first_day, last_day)
    return _desk_slots(bookings, first_day, last_day)


def _desk_slots(
    bookings: Iterable[DeskBooking], first_day: date, last_day: date
) -> dict[tuple[int, date, str], BookedDesk]:
    found: dict[tuple[int, date, str], BookedDesk] = {}
    for booking in bookings:
        for day, part in _booked_parts(
            booking.start_at, booking.end_at, booking.day_part, AMSTERDAM, DAY_SPLIT
        ):
            if first_day <= day <= last_day:
                key = (booking.person_id, day, part.value)
                found.setdefault(key, BookedDesk(booking.site_id, booking.space_name))
    return found


_IDS = ids_param("ids")
_ENTRY_COLUMNS = [getattr(WorkLocation, name) for name in EntryRow._fields]
_REACH_COLUMNS = [getattr(DayReachability, name) for name in ReachabilityRow._fields[2:]]


def _nulls(*columns: Any) -> list[Any]:
    """NULLs of the columns' types, to fill the other statement's columns of a union."""
    return [cast(null(), column.type) for column in columns]


#: Entries, with the name and kind of their site (a day's statuses show both; no
#: statement of its own for the sites), and the days' reachability: one statement for
#: the same people and dates. A row of reachability has no day part; each takes the
#: other's columns as NULLs.
_DAYS = union_all(
    select(*_ENTRY_COLUMNS, Site.name, Site.kind, *_nulls(*_REACH_COLUMNS))
    .outerjoin(Site, Site.id == WorkLocation.site_id)
    .where(
        in_ids(WorkLocation.person_id, _IDS),
        WorkLocation.date >= bindparam("first"),
        WorkLocation.date <= bindparam("last"),
    ),
    select(
        DayReachability.person_id,
        DayReachability.date,
        *_nulls(*_ENTRY_COLUMNS[2:], Site.name, Site.kind),
        *_REACH_COLUMNS,
    ).where(
        in_ids(DayReachability.person_id, _IDS),
        DayReachability.date >= bindparam("first"),
        DayReachability.date <= bindparam("last"),
    ),
)
_ENTRY_WIDTH = len(EntryRow._fields)
_REACH_AT = _ENTRY_WIDTH + 2  # after the site's name and kind
_morning_site, _afternoon_site = aliased(Site), aliased(Site)
#: Patterns with the names and kinds of their morning's and afternoon's sites.
_PATTERNS = (
    select(
        *(getattr(WeeklyPattern, name) for name in PatternRow._fields),
        _morning_site.name,
        _morning_site.kind,
        _afternoon_site.name,
        _afternoon_site.kind,
    )
    .outerjoin(_morning_site, _morning_site.id == WeeklyPattern.morning_site_id)
    .outerjoin(_afternoon_site, _afternoon_site.id == WeeklyPattern.afternoon_site_id)
    .where(in_ids(WeeklyPattern.person_id, _IDS))
)
_PATTERN_WIDTH = len(PatternRow._fields)


def _add_site(
    sites: dict[int, SiteInfo], site_id: int | None, name: str | None, kind: str | None
) -> None:
    if site_id is not None and name is not None and kind is not None and site_id not in sites:
        sites[site_id] = SiteInfo(site_id, name, kind)


async def load_presence(
    session: AsyncSession,
    person_ids: Iterable[int],
    first: date,
    last: date,
    *,
    known: PresenceData | None = None,
) -> PresenceData:
    """Entries and reachability, desk bookings, patterns, each with their sites' names and
    kinds: three queries.

    ``known`` is what was loaded for these people before, for other days: their weekly
    patterns are in it already.
    """
    ids = sorted(set(person_ids))
    data = PresenceData(first=first, last=last)
    if not ids:
        return data
    days = {"ids": ids, "first": first, "last": last}
    sites = data.sites
    for row in (await select_rows(session, _DAYS, days)).all():
        if row.day_part is None:
            reach = ReachabilityRow._make((row.person_id, row.date, *row[_REACH_AT:]))
            data.reachability[(reach.person_id, reach.date)] = reach
            continue
        entry = EntryRow._make(row[:_ENTRY_WIDTH])
        data.entries[(entry.person_id, entry.date, entry.day_part)] = entry
        _add_site(sites, entry.site_id, *row[_ENTRY_WIDTH:_REACH_AT])
    bookings = await desk_bookings_between(session, ids, first, last)
    for booking in bookings:
        _add_site(sites, booking.site_id, booking.site_name, booking.site_kind)
    data.bookings = _desk_slots(bookings, first, last)
    if known is None:
        for row in (await select_rows(session, _PATTERNS, {"ids": ids})).all():
            pattern = PatternRow._make(row[:_PATTERN_WIDTH])
            data.patterns[(pattern.person_id, pattern.weekday)] = pattern
            morning_name, morning_kind, afternoon_name, afternoon_kind = row[_PATTERN_WIDTH:]
            _add_site(sites, pattern.morning_site_id, morning_name, morning_kind)
            _add_site(sites, pattern.afternoon_site_id, afternoon_name, afternoon_kind)
    return data


# --- resolving a day ----------------------------------------------------------------------


class Slot(NamedTuple):
    """Where someone is during one half day, and where that came from.

    A named tuple, as a frozen dataclass costs several times as much to make, and a KCC
    search or a team board makes hundreds of them."""

    kind: WorkKind | None  # None: unknown
    source: str  # entry | booking | pattern | none
    site_id: int | None = None
    area: str | None = None
    absence_reason: str | None = None
    desk: str | None = None

    @property
    def is_working(self) -> bool:
        return self.kind is not None and self.kind.is_working


UNKNOWN = Slot(kind=None, source="none")


class DayView(NamedTuple):
    """Someone's resolved day (a named tuple, as ``Slot``)."""

    person_id: int
    day: date
    morning: Slot
    afternoon: Slot
    reachable_from: time
    reachable_until: time
    note: str
    backup_id: int | None
    hours_source: str = "default"  # day | pattern | default
    backup_source: str = "none"  # day | person | none

    def slot(self, part: PresencePart) -> Slot:
        return self.morning if part is PresencePart.MORNING else self.afternoon


def _site_kind_for_booking(data: PresenceData, site_id: int) -> WorkKind:
    site = data.sites.get(site_id)
    if site is not None and site.kind == SiteKind.FIELD_BASE.value:
        return WorkKind.FIELD_BASE
    return WorkKind.OFFICE


_WORK_KINDS = {kind.value: kind for kind in WorkKind}  # faster than WorkKind(value)


def resolve_slot(data: PresenceData, person_id: int, day: date, part: PresencePart) -> Slot:
    """Explicit entry > desk booking > weekly pattern > unknown."""
    pattern = data.patterns.get((person_id, day.weekday()))
    return _resolve_slot(data, person_id, day, part, _usual(pattern, day))


def _absent_all_day(data: PresenceData, person_id: int, day: date) -> bool:
    """Absent both half days, by the day itself or the usual week."""
    return all(resolve_slot(data, person_id, day, part).kind is WorkKind.ABSENT for part in PARTS)


async def days_absent(session: AsyncSession, person_id: int, first: date, last: date) -> set[date]:
    """The days from ``first`` through ``last`` on which the person is absent both half
    days, by the day itself or their usual week."""
    data = await load_presence(session, [person_id], first, last)
    return {day for day in days_through(first, last) if _absent_all_day(data, person_id, day)}


async def absent_all_day(session: AsyncSession, person_ids: Collection[int], day: date) -> set[int]:
    """Those of ``person_ids`` absent both half days of ``day``, by the day itself or their
    usual week."""
    data = await load_presence(session, person_ids, day, day)
    return {person_id for person_id in person_ids if _absent_all_day(data, person_id, day)}


def _usual(pattern: PatternRow | None, day: date) -> PatternRow | None:
    """The weekday's pattern where it says where someone is on ``day``: not on a public
    holiday."""
    return pattern if pattern is not None and not is_public_holiday(day) else None


def _resolve_slot(
    data: PresenceData, person_id: int, day: date, part: PresencePart, pattern: PatternRow | None
) -> Slot:
    """``resolve_slot`` with the day's pattern (``_usual``) looked up once for both halves."""
    key = (person_id, day, part)  # a StrEnum member: the same key as its value
    booking = data.bookings.get(key)
    entry = data.entries.get(key)
    if entry is not None:
        kind = _WORK_KINDS[entry.kind]
        desk = (
            booking.desk
            if booking is not None and kind.needs_site and booking.site_id == entry.site_id
            else None
        )
        return Slot(kind, "entry", entry.site_id, entry.area, entry.absence_reason, desk)
    if booking is not None:
        kind = _site_kind_for_booking(data, booking.site_id)
        return Slot(kind, "booking", booking.site_id, desk=booking.desk)
    if pattern is not None:
        if part is PresencePart.MORNING:
            kind_value = pattern.morning_kind
            site_id, area = pattern.morning_site_id, pattern.morning_area
        else:
            kind_value = pattern.afternoon_kind
            site_id, area = pattern.afternoon_site_id, pattern.afternoon_area
        if kind_value is not None:
            kind = _WORK_KINDS[kind_value]
            if not kind.needs_site or site_id is not None:  # a removed site leaves a gap
                return Slot(kind, "pattern", site_id, area)
    return UNKNOWN


def resolve_day(
    data: PresenceData, person_id: int, day: date, default_backup_id: int | None
) -> DayView:
    reach = data.reachability.get((person_id, day))
    pattern = data.patterns.get((person_id, day.weekday()))
    reachable_from, reachable_until = DEFAULT_REACHABLE_FROM, DEFAULT_REACHABLE_UNTIL
    hours_source = "default"
    if pattern is not None and pattern.reachable_from and pattern.reachable_until:
        reachable_from, reachable_until = pattern.reachable_from, pattern.reachable_until
        hours_source = "pattern"
    if reach is not None and reach.reachable_from and reach.reachable_until:
        reachable_from, reachable_until = reach.reachable_from, reach.reachable_until
        hours_source = "day"
    own_backup = reach.backup_id if reach is not None else None
    usual = _usual(pattern, day)
    return DayView(
        person_id,
        day,
        _resolve_slot(data, person_id, day, PresencePart.MORNING, usual),
        _resolve_slot(data, person_id, day, PresencePart.AFTERNOON, usual),
        reachable_from,
        reachable_until,
        reach.note if reach is not None else "",
        own_backup or default_backup_id,
        hours_source,
        "day" if own_backup else ("person" if default_backup_id else "none"),
    )


def reachable_windows(view: DayView) -> list[tuple[datetime, datetime]]:
    """The instants (UTC) someone is reachable on a day: working half days within their hours.

    Adjacent windows are merged, so a working morning and afternoon make one window.
    """
    return list(_day_windows(view))


def _day_windows(view: DayView) -> tuple[tuple[datetime, datetime], ...]:
    return _windows(
        view.day,
        view.reachable_from,
        view.reachable_until,
        view.morning.is_working,
        view.afternoon.is_working,
    )


@lru_cache(maxsize=4096)
def _windows(
    day: date, reachable_from: time, reachable_until: time, morning: bool, afternoon: bool
) -> tuple[tuple[datetime, datetime], ...]:
    """``reachable_windows`` of a day from what they depend on; kept, as most people of a
    search or board share their hours and working half days."""
    windows: list[tuple[datetime, datetime]] = []
    hours_start = local_instant(day, reachable_from)
    hours_end = local_instant(day, reachable_until)
    split = local_instant(day, DAY_SPLIT)
    parts = ((morning, local_instant(day, time(0)), split), (afternoon, split, end_of_day(day)))
    for working, part_start, part_end in parts:
        if not working:
            continue
        start, end = max(part_start, hours_start), min(part_end, hours_end)
        if start >= end:
            continue
        if windows and windows[-1][1] == start:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return tuple(windows)


class Reachability(NamedTuple):
    reachable_now: bool
    until: datetime | None  # when the current state (reachable or not) ends
    next_reachable: datetime | None  # None when reachable now or not within the look-ahead


def reachability_at(views: Iterable[DayView], at: datetime) -> Reachability:
    """Reachable at ``at``?  Until when, and if not, when next (from consecutive day views)."""
    for view in views:
        for start, end in _day_windows(view):
            if end <= at:
                continue
            if start <= at:
                return Reachability(True, end, None)
            return Reachability(False, start, start)
    return Reachability(False, None, None)


# --- showing a slot to a viewer -----------------------------------------------------------


def part_out(
    slot: Slot,
    part: PresencePart,
    data: PresenceData,
    visibility: Visibility,
    hide_desk: bool,
) -> PartOut:
    """A half day as the viewer may see it (privacy by role, desk hiding)."""
    if slot.kind is None:
        return PartOut(day_part=part.value, kind="unknown", source=slot.source)
    site = data.sites.get(slot.site_id) if slot.site_id is not None else None
    show_desk = visibility is Visibility.FULL or not hide_desk
    if visibility is Visibility.COLLEAGUE and not slot.kind.needs_site:
        # Not in, and nothing more: not even that it is a field visit.
        source = "entry" if slot.source == "visit" else slot.source
        return PartOut(day_part=part.value, kind="not_in", source=source)
    return PartOut(
        day_part=part.value,
        kind=slot.kind.value,
        source=slot.source,
        site_id=slot.site_id,
        site_name=site.name if site is not None else None,
        desk=slot.desk if show_desk else None,
        area=slot.area if visibility >= Visibility.CONTACT else None,
        absence_reason=slot.absence_reason if visibility is Visibility.FULL else None,
    )


def reach_by(person: Person | Contact, slot: Slot) -> list[str]:
    """The channels to try now, best first: the desk phone only makes sense at a site."""
    order = (
        ["phone", "mobile", "chat_handle"]
        if slot.kind is not None and slot.kind.needs_site
        else ["mobile", "chat_handle", "phone"]
    )
    return [name for name in order if getattr(person, name)]


# --- people lookups -----------------------------------------------------------------------


def _plain_people() -> list[ExecutableOption]:
    """Options to load people without their roles, topics and teams (fewer queries)."""
    return [raiseload(Person.roles), raiseload(Person.topics), raiseload(Person.memberships)]


async def _people_by_id(session: AsyncSession, ids: Iterable[int]) -> dict[int, Person]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = await session.execute(
        select(Person).where(Person.id.in_(wanted)).options(*_plain_people())
    )
    return {person.id: person for person in rows.scalars()}


async def get_active_person(session: AsyncSession, person_id: int) -> Person:
    person = await session.get(Person, person_id)
    if person is None or not person.active:
        raise NotFound(_("No such person."), field="person")
    return person


class Contact(NamedTuple):
    """Someone as a status or a board shows them, read as columns (no ORM objects; a
    named tuple, as ``Slot``)."""

    id: int
    name: str
    active: bool
    phone: str | None
    mobile: str | None
    chat_handle: str | None
    hide_desk: bool
    backup_id: int | None
    team_ids: frozenset[int] = frozenset()
    teams: tuple[str, ...] = ()  # names, sorted
    topics: tuple[str, ...] = ()


_CONTACT = (Person.id, Person.name, Person.active, Person.phone, Person.mobile,
            Person.chat_handle, Person.hide_desk, Person.backup_id)  # fmt: skip
_WIDTH = len(_CONTACT)
#: Between names in one text: team names and topics may hold commas.
_NAMES = "\x1f"
_any_team = aliased(TeamMembership)
#: A person's team ids as one text ("3,17"), correlated to the person of the statement.
_TEAM_IDS = (
    select(joined_strings(cast(_any_team.team_id, String), ","))
    .where(_any_team.person_id == Person.id)
    .scalar_subquery()
)
_backup = aliased(Person)
#: People with their teams and topics (for the finder and a status) and their usual
#: backup, whom a status shows next to them: one statement.
_WITH_BACKUP = select(
    *_CONTACT,
    *(getattr(_backup, c.key) for c in _CONTACT),
    _TEAM_IDS.label("team_ids"),
    select(joined_strings(Team.name, _NAMES))
    .join(_any_team, _any_team.team_id == Team.id)
    .where(_any_team.person_id == Person.id)
    .scalar_subquery()
    .label("team_names"),
    select(joined_strings(PersonTopic.topic, _NAMES))
    .where(PersonTopic.person_id == Person.id)
    .scalar_subquery()
    .label("topics"),
).outerjoin(_backup, _backup.id == Person.backup_id)
_CONTACTS_BY_ID = select(*_CONTACT).where(in_ids(Person.id, _IDS))


def _contact(row: Sequence[Any]) -> Contact:
    return Contact(*row[:_WIDTH])


def _names_of(joined: str | None) -> tuple[str, ...]:
    return tuple(sorted(split_joined(joined, _NAMES), key=str.casefold))


def _with_backups(rows: Iterable[Any]) -> tuple[list[Contact], dict[int, Contact]]:
    """Split rows of ``_WITH_BACKUP`` into the people, with their teams and topics, and
    their usual backups by id."""
    people, backups = [], {}
    for row in rows:
        people.append(
            Contact._make(
                (
                    *row[:_WIDTH],
                    split_ids(row.team_ids),
                    _names_of(row.team_names),
                    _names_of(row.topics),
                )
            )
        )
        if row[_WIDTH] is not None:
            backups[row[_WIDTH]] = _contact(row[_WIDTH:])
    return people, backups


# --- status of people at an instant -------------------------------------------------------


@dataclass
class StatusBundle:
    """Statuses of several people (and their backups) at one instant.

    Days are resolved when asked for: a status needs today and the days up to the
    next reachable moment, seldom the whole look-ahead.
    """

    at: datetime
    data: PresenceData
    people: dict[int, Contact]  # those asked about and their backups
    last_days: dict[int, date]  # per person, the last day their status looks at
    visits: dict[int, ActiveVisit] = field(default_factory=dict)  # field visits under way
    meetings: dict[int, datetime] = field(default_factory=dict)  # in a meeting until
    resolved: dict[tuple[int, date], DayView] = field(default_factory=dict)
    states: dict[int, Reachability] = field(default_factory=dict)  # per person, at ``at``
    local_at: datetime = field(init=False)  # ``at`` in Europe/Amsterdam
    today: date = field(init=False)  # of ``at``, in Europe/Amsterdam
    part: PresencePart = field(init=False)  # the half day of ``at``

    def __post_init__(self) -> None:
        self.local_at = self.at.astimezone(AMSTERDAM)
        self.today = self.local_at.date()
        self.part = part_at(self.at)

    def view(self, person_id: int, day: date) -> DayView:
        view = self.resolved.get((person_id, day))
        if view is None:
            default_backup = self.people[person_id].backup_id
            view = resolve_day(self.data, person_id, day, default_backup)
            self.resolved[(person_id, day)] = view
        return view

    def views_from(self, person_id: int, day: date) -> Iterator[DayView]:
        last = self.last_days[person_id]
        while day <= last:
            yield self.view(person_id, day)
            day += timedelta(days=1)

    def slot_now(self, person_id: int) -> Slot:
        """Where someone is at ``at``: a field visit under way is on location in its area
        (never the address), else the half day of today's plan."""
        visit = self.visits.get(person_id)
        if visit is not None:
            return Slot(WorkKind.ON_LOCATION, "visit", area=visit.area)
        return self.view(person_id, self.today).slot(self.part)

    def reachability(self, person_id: int) -> Reachability:
        """Whether someone is reachable at ``at``, until when, and if not, when next."""
        state = self.states.get(person_id)
        if state is None:
            state = reachability_at(self.views_from(person_id, self.today), self.at)
            visit = self.visits.get(person_id)
            if visit is not None:
                state = _on_visit(state, visit, self.at)
            self.states[person_id] = state
        return state


def _on_visit(state: Reachability, visit: ActiveVisit, at: datetime) -> Reachability:
    """A field visit under way is work, whatever the day's plan says: reachable at least
    until its planned end (an overdue visit: until nobody knows when)."""
    visit_end = visit.until if visit.until > at else None
    if not state.reachable_now or state.until is None or visit_end is None:
        return Reachability(True, visit_end, None)
    return Reachability(True, max(state.until, visit_end), None)


async def _statuses(
    session: AsyncSession,
    people: Sequence[Contact],
    at: datetime,
    backups: dict[int, Contact],
    *,
    first: date | None = None,
    last: date | None = None,
) -> StatusBundle:
    """Load people and ``backups`` from ``first`` to ``last`` and the next few days, and
    further up to the look-ahead for whoever is not reachable again within them.

    A backup chosen for today that is not among ``backups`` is loaded in a second round.
    """
    today = at.astimezone(AMSTERDAM).date()
    first = min(first or today, today)
    last = max(last or today, working_days_after(today, NEAR_WORKING_DAYS))
    known = {person.id: person for person in people}
    contacts = backups | known
    data = await load_presence(session, contacts, first, last)
    todays = (data.reachability.get((person_id, today)) for person_id in known)
    extra = {r.backup_id for r in todays if r is not None and r.backup_id} - contacts.keys()
    if extra:
        rows = await select_rows(session, _CONTACTS_BY_ID, {"ids": sorted(extra)})
        contacts |= {row.id: _contact(row) for row in rows}
        data.add(await load_presence(session, extra, today, last))
    bundle = StatusBundle(
        at=at,
        data=data,
        people=contacts,
        last_days=dict.fromkeys(contacts, last),
        visits=await active_visits_at(session, known, at),
        meetings=await meetings_under_way(session, known, at),
    )
    await _look_ahead(session, bundle, today + timedelta(days=NEXT_REACHABLE_DAYS))
    return bundle


async def _look_ahead(session: AsyncSession, bundle: StatusBundle, ahead: date) -> None:
    """Load the days up to ``ahead`` for the people of ``bundle`` who are not reachable
    again within the days it holds (one round of queries, for them only)."""
    waiting = [
        person_id
        for person_id, last in bundle.last_days.items()
        if last < ahead and bundle.reachability(person_id).until is None
    ]
    if not waiting:
        return
    after = min(bundle.last_days[person_id] for person_id in waiting) + timedelta(days=1)
    bundle.data.add(await load_presence(session, waiting, after, ahead, known=bundle.data))
    bundle.last_days.update(dict.fromkeys(waiting, ahead))
    for person_id in waiting:
        del bundle.states[person_id]  # to be found again in the days just loaded


def _backup_out(bundle: StatusBundle, backup_id: int | None) -> BackupOut | None:
    backup = bundle.people.get(backup_id) if backup_id is not None else None
    if backup is None or not backup.active:
        return None
    state = bundle.reachability(backup.id)
    return BackupOut(
        id=backup.id,
        name=backup.name,
        reachable_now=state.reachable_now,
        next_reachable=in_amsterdam(state.next_reachable),
        channels=channels_of(backup),
        reach_by=reach_by(backup, bundle.slot_now(backup.id)) if state.reachable_now else [],
    )


class Now(NamedTuple):
    """Where someone is at the bundle's instant, as the viewer may see it, and reachability."""

    view: DayView  # today
    slot: Slot
    location: PartOut
    state: Reachability

    def reach_by(self, person: Contact) -> list[str]:
        """The channels to try now, best first; none when not reachable now. In a meeting
        a chat message comes first: it can be read there, a call would interrupt."""
        if not self.state.reachable_now:
            return []
        channels = reach_by(person, self.slot)
        if self.location.meeting_until is not None and "chat_handle" in channels:
            channels.remove("chat_handle")
            channels.insert(0, "chat_handle")
        return channels


def now_of(bundle: StatusBundle, person: Contact, visibility: Visibility) -> Now:
    view = bundle.view(person.id, bundle.today)
    slot = bundle.slot_now(person.id)
    visit = bundle.visits.get(person.id)
    location = part_out(slot, bundle.part, bundle.data, visibility, person.hide_desk)
    if visit is not None and location.kind == WorkKind.ON_LOCATION.value:
        location.visit_until = in_amsterdam(visit.until)
    meeting_until = bundle.meetings.get(person.id)
    # A field visit says where they are (a booked resident room may be its place).
    if meeting_until is not None and visit is None and slot.kind is not WorkKind.ABSENT:
        location.meeting_until = in_amsterdam(meeting_until)
    state = bundle.reachability(person.id)
    return Now(view, slot, location, state)


def status_out(bundle: StatusBundle, person: Contact, viewer: CurrentUser) -> StatusOut:
    now = now_of(bundle, person, visibility_for(viewer, person))
    until = in_amsterdam(now.state.until)
    return StatusOut(
        person=person_ref(person),
        teams=list(person.teams),
        topics=list(person.topics),
        at=bundle.local_at,
        day_part=now.location.day_part,
        location=now.location,
        reachable_now=now.state.reachable_now,
        reach_by=now.reach_by(person),
        until=until,
        next_reachable=in_amsterdam(now.state.next_reachable),
        note=now.view.note,
        channels=channels_of(person),
        backup=_backup_out(bundle, now.view.backup_id),
        until_visit_ends=until is not None and until == now.location.visit_until,
    )


_ACTIVE_WITH_BACKUP_BY_ID = _WITH_BACKUP.where(Person.id == bindparam("id"))


async def _status_of(
    session: AsyncSession, viewer: CurrentUser, person_id: int, at: datetime
) -> StatusOut:
    rows = (await select_rows(session, _ACTIVE_WITH_BACKUP_BY_ID, {"id": person_id})).all()
    people, backups = _with_backups(rows)
    if not people or not people[0].active:
        raise NotFound(_("No such person."), field="person")
    bundle = await _statuses(session, people, at, backups)
    return status_out(bundle, people[0], viewer)


async def person_status(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    viewer: CurrentUser,
    person_id: int,
    at: datetime | None = None,
) -> StatusOut:
    at = (at or clock.now()).astimezone(UTC)
    check_horizon(clock, settings, at.astimezone(AMSTERDAM).date(), "at")
    return await _status_of(session, viewer, person_id, at)


# --- KCC finder ---------------------------------------------------------------------------


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_too_short(query: str) -> bool:
    """Something typed, but too little to search for (spaces alone are nothing)."""
    return 0 < len(search_text(query)) < SEARCH_MIN_LENGTH


def _search_pattern(query: str) -> str | None:
    """The LIKE pattern for a query, or None when it is too short to search for."""
    text = search_text(query).lower()
    return _like(text) if len(text) >= SEARCH_MIN_LENGTH else None


_PATTERN: BindParameter[str] = bindparam("pattern")
_NAME_MATCHES = contains_folded(Person.name, _PATTERN)
_TOPIC_MATCHES = contains_folded(PersonTopic.topic, _PATTERN)
_TEAM_MATCHES = contains_folded(Team.name, _PATTERN)
_MEMBERS_OF_MATCHING_TEAMS = (
    select(TeamMembership.person_id)
    .join(Team, Team.id == TeamMembership.team_id)
    .where(_TEAM_MATCHES)
)
#: Everyone whose name, team or topic contains the pattern (case-insensitive), once, with
#: their relevance: 0 found by name, 1 by team or topic (told by the branch that found
#: them, not by matching every found name again). The three matches are united before
#: persons is read, so that each is a scan of its own table (an OR of them makes
#: PostgreSQL filter every person through both subqueries).
_MATCHED_UNITED = union_all(
    select(Person.id.label("id"), literal_column("0").label("relevance")).where(_NAME_MATCHES),
    select(PersonTopic.person_id, literal_column("1")).where(_TOPIC_MATCHES),
    _MEMBERS_OF_MATCHING_TEAMS.add_columns(literal_column("1")),
).subquery()
_MATCHED = (
    select(_MATCHED_UNITED.c.id, func.min(_MATCHED_UNITED.c.relevance).label("relevance"))
    .group_by(_MATCHED_UNITED.c.id)
    .subquery("matched")
)
_TODAY: BindParameter[date] = bindparam("today", type_=Date())
_WEEKDAY: BindParameter[int] = bindparam("weekday", type_=Integer())
_PART: BindParameter[str] = bindparam("part", type_=String())
#: Written into the statement: the partial indexes' condition must be visible to the
#: planner whatever the parameters.
_ABSENT = constant(WorkKind.ABSENT.value)
_SET_NOW = and_(
    WorkLocation.person_id == Person.id,
    WorkLocation.date == _TODAY,
    WorkLocation.day_part == _PART,
)
#: Marked absent for the half day under way: by the day itself, or else by the usual
#: week. A cheap first cut of who is reachable (``_finder_rank`` has the whole rule).
#: Each test reads only absent rows (``ix_work_locations_absent``,
#: ``ix_weekly_patterns_absent``); whether the day says otherwise is asked only of the
#: few whose usual week is absent.
_ABSENT_NOW = or_(
    exists().where(_SET_NOW, WorkLocation.kind == _ABSENT),
    and_(
        exists().where(
            WeeklyPattern.person_id == Person.id,
            WeeklyPattern.weekday == _WEEKDAY,
            or_(WeeklyPattern.morning_kind == _ABSENT, WeeklyPattern.afternoon_kind == _ABSENT),
            case(
                {PresencePart.MORNING.value: WeeklyPattern.morning_kind},
                value=_PART,
                else_=WeeklyPattern.afternoon_kind,
            )
            == _ABSENT,
        ),
        ~exists().where(_SET_NOW),
    ),
)
#: The first matches, with how many there are in all: chosen before their backups are
#: joined, which then are looked up one by one instead of all people being hashed. When
#: a team or topic has more people than are shown, those not marked absent right now are
#: chosen first, so that the KCC sees someone it can put a caller through to.
_FOUND = (
    select(Person.id, _MATCHED.c.relevance, func.count().over().label("total"))
    .join(_MATCHED, _MATCHED.c.id == Person.id)
    .where(Person.active.is_(True))
    .order_by(
        _MATCHED.c.relevance,
        case((and_(_MATCHED.c.relevance == 1, _ABSENT_NOW), 1), else_=0),
        Person.name,
        Person.id,
    )
    .limit(bindparam("limit"))
    .subquery()
)
_FOUND_WITH_BACKUP = (
    _WITH_BACKUP.add_columns(_FOUND.c.total, _FOUND.c.relevance)
    .join(_FOUND, _FOUND.c.id == Person.id)
    .order_by(_FOUND.c.relevance, Person.name, Person.id)
)


async def find_people(session: AsyncSession, query: str, limit: int = SEARCH_LIMIT) -> list[Person]:
    """Active people whose name, team or topic contains ``query`` (case-insensitive),
    those whose name does first."""
    pattern = _search_pattern(query)
    if pattern is None:
        return []
    statement = (
        select(Person)
        .join(_MATCHED, _MATCHED.c.id == Person.id)
        .where(Person.active.is_(True))
        .options(
            raiseload(Person.roles), selectinload(Person.topics), selectinload(Person.memberships)
        )
        .order_by(_MATCHED.c.relevance, Person.name, Person.id)
        .limit(limit)
    )
    return list((await session.execute(statement, {"pattern": pattern})).scalars())


@dataclass(frozen=True)
class SearchResults:
    """The first matches of a search with their statuses, how many matched in all, and,
    when nobody matched, what may have been meant (``spelling_suggestions``)."""

    statuses: list[StatusOut]
    total: int
    suggestions: list[str] = field(default_factory=list)

    @property
    def more(self) -> int:
        """How many matched beyond those shown."""
        return self.total - len(self.statuses)


def _finder_rank(status: StatusOut, found_by_name: bool) -> tuple[int, int, float]:
    """Where a match stands in the finder: people found by name first (by name, as the
    query gives it), then those found by team or topic, reachable now first, then by when
    they are next reachable: a caller with a question on a topic needs someone now."""
    if found_by_name:
        return (0, 0, 0.0)
    if status.reachable_now:
        return (1, 0, 0.0)
    if status.next_reachable is not None:
        return (1, 1, status.next_reachable.timestamp())
    return (1, 2, 0.0)


async def kcc_search(
    session: AsyncSession, clock: Clock, viewer: CurrentUser, query: str
) -> SearchResults:
    """The first ``SEARCH_LIMIT`` matches, each with their status now, how to reach them,
    when next reachable and their backup: those found by name first, then those found by
    team or topic, reachable ones first (``_finder_rank``). Only a search that finds
    nobody looks for what may have been meant (``spelling_suggestions``)."""
    pattern = _search_pattern(query)
    if pattern is None:
        return SearchResults([], 0)
    now = clock.now()
    today = local_today(clock)
    found = (
        await select_rows(
            session,
            _FOUND_WITH_BACKUP,
            {
                "pattern": pattern,
                "limit": SEARCH_LIMIT,
                "today": today,
                "weekday": today.weekday(),
                "part": part_at(now).value,
            },
        )
    ).all()
    people, backups = _with_backups(found)
    if not people:
        return SearchResults([], 0, await spelling_suggestions(session, query))
    bundle = await _statuses(session, people, now, backups)
    by_name = {row.id for row in found if row.relevance == 0}
    statuses = sorted(  # stable: by name within each rank
        (status_out(bundle, person, viewer) for person in people),
        key=lambda status: _finder_rank(status, status.person.id in by_name),
    )
    return SearchResults(statuses, total=found[0].total)


#: How close a word must be to a query to be offered as what was meant (difflib's ratio:
#: "jansen" and "janssen" 0.92, "pasport" and "paspoort" 0.93, "jan" and "jon" 0.67).
SUGGESTION_CUTOFF = 0.8
SUGGESTIONS_SHOWN = 3
_WORDS_OF_NAMES = select(Person.name).where(Person.active.is_(True))
_TOPICS = select(PersonTopic.topic).join(Person).where(Person.active.is_(True)).distinct()
_TEAMS = select(Team.name)


async def spelling_suggestions(session: AsyncSession, query: str) -> list[str]:
    """What a search that found nobody may have meant: up to ``SUGGESTIONS_SHOWN`` names,
    words of names, topics and teams that are spelled almost like it ("Janssen" for
    "jansen", heard on the phone), closest first. Each finds someone, being taken from
    the active people, their topics and the teams; the KCC may search them all anyway."""
    wanted = search_text(query).lower()
    if len(wanted) < SEARCH_MIN_LENGTH:
        return []
    names = (await session.scalars(_WORDS_OF_NAMES)).all()
    candidates: dict[str, str] = {}  # lower case: as written
    for text in [
        *names,
        *(word for name in names for word in name.split()),
        *(await session.scalars(_TOPICS)).all(),
        *(await session.scalars(_TEAMS)).all(),
    ]:
        candidates.setdefault(text.lower(), text)
    # Only words of a length that can be close enough (difflib's ratio is at most
    # 2 * shorter / (both lengths)): most of the thousands of words are not compared at all.
    shortest = len(wanted) * SUGGESTION_CUTOFF / (2 - SUGGESTION_CUTOFF)
    longest = len(wanted) * (2 - SUGGESTION_CUTOFF) / SUGGESTION_CUTOFF
    close = difflib.get_close_matches(
        wanted,
        [text for text in candidates if shortest <= len(text) <= longest],
        n=SUGGESTIONS_SHOWN,
        cutoff=SUGGESTION_CUTOFF,
    )
    return [candidates[match] for match in close]


# --- team board ---------------------------------------------------------------------------

_TEAM_NAME = select(Team.name).where(Team.id == bindparam("team"))
#: The team's active members, each with the ids of all their teams (for visibility), and
#: the team's name (read on its own only for a team without active members).
_MEMBERS = (
    select(
        *_CONTACT,
        TeamMembership.is_lead,
        _TEAM_IDS.label("team_ids"),
        Team.name.label("team_name"),
    )
    .join(TeamMembership, TeamMembership.person_id == Person.id)
    .join(Team, Team.id == TeamMembership.team_id)
    .where(TeamMembership.team_id == bindparam("team"), Person.active.is_(True))
    .order_by(Person.name, Person.id)
)


async def team_members(
    session: AsyncSession, team_id: int
) -> tuple[str, list[tuple[Contact, bool]]]:
    """A team's name and its active members by name, each with whether they lead it;
    404 for no such team."""
    rows = (await select_rows(session, _MEMBERS, {"team": team_id})).all()
    team_name = (
        rows[0].team_name
        if rows
        else (await select_rows(session, _TEAM_NAME, {"team": team_id})).scalar_one_or_none()
    )
    if team_name is None:
        raise NotFound(_("No such team."))
    return team_name, [
        (_contact(row)._replace(team_ids=split_ids(row.team_ids)), row.is_lead) for row in rows
    ]


async def team_board(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    viewer: CurrentUser,
    team_id: int,
    day: date | None = None,
) -> BoardOut:
    """Who of a team is reachable now, and where everyone is per half day in the week of
    ``day`` (by default the week one plans: at the weekend the coming one)."""
    day = day or planning_day(local_today(clock))
    check_horizon(clock, settings, day)
    team_name, members_of_team = await team_members(session, team_id)
    people = [person for person, _is_lead in members_of_team]
    days = week_of(day)
    at = clock.now()
    bundle = await _statuses(session, people, at, {}, first=days[0], last=days[-1])
    members = []
    for person, is_lead in members_of_team:
        visibility = visibility_for(viewer, person)
        now = now_of(bundle, person, visibility)
        week = [bundle.view(person.id, board_day) for board_day in days]
        members.append(
            BoardMemberOut(
                person=person_ref(person),
                is_lead=is_lead,
                reachable_now=now.state.reachable_now,
                next_reachable=in_amsterdam(now.state.next_reachable),
                now=now.location,
                channels=channels_of(person),
                reach_by=now.reach_by(person),
                days=[
                    BoardDayOut(
                        date=view.day,
                        morning=part_out(
                            view.morning,
                            PresencePart.MORNING,
                            bundle.data,
                            visibility,
                            person.hide_desk,
                        ),
                        afternoon=part_out(
                            view.afternoon,
                            PresencePart.AFTERNOON,
                            bundle.data,
                            visibility,
                            person.hide_desk,
                        ),
                    )
                    for view in week
                ],
            )
        )
    return BoardOut(
        team=TeamRef(id=team_id, name=team_name),
        date=day,
        days=days,
        members=members,
        at=at.astimezone(AMSTERDAM),
    )


def present_per_part(board: BoardOut) -> dict[str, int]:
    """How many of the board's members are at a municipal location (office or field
    base) on each half day, by ``<date>-<day part>``."""
    present: dict[str, int] = {}
    for member in board.members:
        for board_day in member.days:
            for part in (board_day.morning, board_day.afternoon):
                if part.kind in (WorkKind.OFFICE.value, WorkKind.FIELD_BASE.value):
                    key = f"{board_day.date.isoformat()}-{part.day_part}"
                    present[key] = present.get(key, 0) + 1
    return present


# --- one person's days --------------------------------------------------------------------


async def manageable_person(session: AsyncSession, viewer: CurrentUser, person_id: int) -> Person:
    """The active person whose days ``viewer`` may see and set (``may_manage``)."""
    person = await get_active_person(session, person_id)
    if not may_manage(viewer, person):
        raise Forbidden(
            _(
                "You may only see and change your own days; those of a colleague only as the"
                " lead of their team."
            )
        )
    return person


def set_by_id(data: PresenceData, person_id: int, day: date) -> int | None:
    """Who else than the person set their half days of ``day`` (the latest change), if
    anyone did: a team lead or an admin."""
    entries = [e for part in PARTS if (e := data.entries.get((person_id, day, part.value)))]
    latest = max(entries, key=lambda entry: entry.updated_at, default=None)
    if latest is None or latest.updated_by_id == person_id:
        return None
    return latest.updated_by_id


def day_out(
    data: PresenceData,
    view: DayView,
    person: Person,
    viewer: CurrentUser,
    backup: Person | None,
    set_by: Person | None = None,
) -> DayOut:
    visibility = visibility_for(viewer, person)
    return DayOut(
        person=person_ref(person),
        date=view.day,
        parts=[
            part_out(view.slot(part), part, data, visibility, person.hide_desk) for part in PARTS
        ],
        reachable_from=view.reachable_from,
        reachable_until=view.reachable_until,
        hours_source=view.hours_source,
        note=view.note,
        backup=person_ref(backup) if backup is not None else None,
        backup_source=view.backup_source if backup is not None else "none",
        set_by=person_ref(set_by) if set_by is not None else None,
    )


async def days_of(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    viewer: CurrentUser,
    person_id: int,
    first: date,
    last: date,
) -> list[DayOut]:
    """Several days of one person (oneself, or a team member for their lead)."""
    check_horizon(clock, settings, first, "from")
    check_horizon(clock, settings, last, "to")
    if last < first:
        raise InvalidInput(_("The end date is before the start date."), field="to")
    if (last - first).days + 1 > DAYS_AT_ONCE:  # both ends count
        raise InvalidInput(
            _("Ask for at most %(days)s days at once.", days=DAYS_AT_ONCE), field="to"
        )
    person = await manageable_person(session, viewer, person_id)
    data = await load_presence(session, [person.id], first, last)
    views = [
        resolve_day(data, person.id, first + timedelta(days=n), person.backup_id)
        for n in range((last - first).days + 1)
    ]
    setters = {view.day: set_by_id(data, person.id, view.day) for view in views}
    named = await _people_by_id(
        session, {v.backup_id for v in views if v.backup_id} | {i for i in setters.values() if i}
    )
    return [
        day_out(
            data,
            view,
            person,
            viewer,
            named.get(view.backup_id or 0),
            named.get(setters[view.day] or 0),
        )
        for view in views
    ]


#: Work kinds at a site where one may need a desk.
_AT_A_DESK = frozenset({WorkKind.OFFICE.value, WorkKind.FIELD_BASE.value})


def desks_to_book(day: DayOut, today: date, desk_site_ids: Collection[int]) -> dict[str, str]:
    """The half days of ``day`` (today or later) planned at an office or field base that
    has desks (``desk_site_ids``) without a desk booked, each with the day part to book;
    when both halves are so at the same site, the morning alone, with ``day``. My week
    offers to book them, so that planning an office day leads to a desk."""
    if day.date < today:
        return {}
    open_parts = [
        part
        for part in day.parts
        if part.kind in _AT_A_DESK and part.site_id in desk_site_ids and part.desk is None
    ]
    if len(open_parts) == 2 and open_parts[0].site_id == open_parts[1].site_id:
        return {open_parts[0].day_part: DayPart.DAY.value}
    return {part.day_part: part.day_part for part in open_parts}


async def get_day(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    viewer: CurrentUser,
    person_id: int,
    day: date,
) -> DayOut:
    check_horizon(clock, settings, day)
    return (await days_of(session, clock, settings, viewer, person_id, day, day))[0]


def _expand_parts(parts: Sequence[PartIn]) -> dict[PresencePart, PartIn]:
    expanded: dict[PresencePart, PartIn] = {}
    for item in parts:
        targets = (
            list(PARTS) if item.day_part is DayPart.DAY else [PresencePart(item.day_part.value)]
        )
        for part in targets:
            if part in expanded:
                raise InvalidInput(_("A day part is given twice."), field="parts")
            expanded[part] = item
    return expanded


def _clean_area(area: str | None) -> str | None:
    cleaned = " ".join((area or "").split())
    return cleaned or None


async def _sites_by_id(session: AsyncSession, ids: Iterable[int | None]) -> dict[int, Site]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = await session.execute(select(Site).where(Site.id.in_(wanted)))
    return {site.id: site for site in rows.scalars()}


def check_location(
    kind: WorkKind, site_id: int | None, area: str | None, sites: dict[int, Site]
) -> str | None:
    """Refuse a site that does not fit the kind, and an area that is not a place name.

    Returns the cleaned area.
    """
    if kind.needs_site:
        site = sites.get(site_id) if site_id is not None else None
        if site_id is None:
            raise InvalidInput(_("Choose a site."), field="site_id")
        if site is None or not site.active:
            raise InvalidInput(_("Unknown site."), field="site_id")
        if kind is WorkKind.OFFICE and site.kind not in OFFICE_SITE_KINDS:
            raise InvalidInput(
                _("%(site)s is not an office; choose an office or satellite.", site=site.name),
                field="site_id",
            )
        if kind is WorkKind.FIELD_BASE and site.kind != SiteKind.FIELD_BASE.value:
            raise InvalidInput(_("%(site)s is not a field base.", site=site.name), field="site_id")
    elif site_id is not None:
        raise InvalidInput(
            _("A site goes only with work at an office or field base."), field="site_id"
        )
    cleaned = _clean_area(area)
    if kind is WorkKind.ON_LOCATION:
        if cleaned is None:
            raise InvalidInput(_("Name the area or village for work on location."), field="area")
        if _DIGITS.search(cleaned):
            raise InvalidInput(
                _("Give an area or village name only, never an address."), field="area"
            )
    elif cleaned is not None:
        raise InvalidInput(_("An area goes only with work on location."), field="area")
    return cleaned


def _check_hours(reachable_from: time | None, reachable_until: time | None) -> None:
    if (reachable_from is None) != (reachable_until is None):
        raise InvalidInput(
            _("Give both the start and the end of the reachable hours."),
            field="reachable_until" if reachable_until is None else "reachable_from",
        )
    if (
        reachable_from is not None
        and reachable_until is not None
        and (reachable_from >= reachable_until)
    ):
        raise InvalidInput(
            _("Reachable from must be before reachable until."), field="reachable_until"
        )


async def set_day(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    actor: CurrentUser,
    person_id: int,
    day: date,
    data: DayIn,
) -> DayOut:
    """Replace what a person said about a day; half days left out fall back again."""
    await lock_for_write(session)
    person = await manageable_person(session, actor, person_id)
    check_horizon(clock, settings, day)
    parts = _expand_parts(data.parts)
    private_ok = sees_absence_reason(actor, person)
    sites = await _sites_by_id(session, (item.site_id for item in parts.values()))
    cleaned: dict[PresencePart, tuple[PartIn, str | None, str | None]] = {}
    # A place and the reachable hours are refused together, so one save names both.
    problems: list[InvalidInput] = []
    for part, item in parts.items():
        try:
            area = check_location(item.kind, item.site_id, item.area, sites)
        except InvalidInput as problem:
            if all(problem.message != seen.message for seen in problems):
                problems.append(problem)
            continue
        reason = " ".join((item.absence_reason or "").split()) or None
        if reason is not None and item.kind is not WorkKind.ABSENT:
            raise InvalidInput(
                _("An absence reason goes only with an absence."), field="absence_reason"
            )
        if reason is not None and not private_ok:
            raise Forbidden(
                _("Only the person themselves records the reason for an absence."),
                field="absence_reason",
            )
        cleaned[part] = (item, area, reason)
    try:
        _check_hours(data.reachable_from, data.reachable_until)
    except InvalidInput as problem:
        problems.append(problem)
    refuse_all(problems)
    absent = [part for part, (item, _a, _r) in cleaned.items() if item.kind is WorkKind.ABSENT]
    await check_no_visit(session, person, [(day, part) for part in absent], "parts")
    note = " ".join(data.note.split())

    existing = {
        entry.day_part: entry
        for entry in (
            await session.execute(
                select(WorkLocation).where(
                    WorkLocation.person_id == person.id, WorkLocation.date == day
                )
            )
        ).scalars()
    }
    now = clock.now()
    if data.backup_id is not None:
        planned = {
            part: (item.kind, item.site_id, area) for part, (item, area, _r) in cleaned.items()
        }
        await _check_backup(session, person, day, data.backup_id, planned, now)

    await session.execute(
        delete(WorkLocation).where(WorkLocation.person_id == person.id, WorkLocation.date == day)
    )
    for part, (item, area, reason) in cleaned.items():
        previous = existing.get(part.value)
        if (
            reason is None
            and not private_ok
            and item.kind is WorkKind.ABSENT
            and previous is not None
            and previous.kind == WorkKind.ABSENT.value
        ):
            reason = previous.absence_reason  # a team lead keeps the reason they cannot see
        session.add(
            WorkLocation(
                person_id=person.id,
                date=day,
                day_part=part.value,
                kind=item.kind.value,
                site_id=item.site_id,
                area=area,
                absence_reason=reason,
                updated_by_id=actor.id,
                updated_at=now,
            )
        )
    reach = (
        await session.execute(
            select(DayReachability).where(
                DayReachability.person_id == person.id, DayReachability.date == day
            )
        )
    ).scalar_one_or_none()
    named_before = reach.backup_id if reach is not None else None
    keeps_reachability = data.reachable_from is not None or note or data.backup_id is not None
    if keeps_reachability:
        if reach is None:
            reach = DayReachability(person_id=person.id, date=day)
            session.add(reach)
        reach.reachable_from = data.reachable_from
        reach.reachable_until = data.reachable_until
        reach.note = note
        reach.backup_id = data.backup_id
        reach.updated_at = now
    elif reach is not None:
        await session.delete(reach)
    await session.flush()
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="set_day",
        object_type="presence",
        object_id=person.id,
        date=day.isoformat(),
        parts={part.value: item.kind.value for part, (item, _a, _r) in cleaned.items()},
    )
    # A half day set before and left out now is back to the usual week: null, so that a
    # receiver forgets what it was told about it.
    changed: dict[str, dict[str, Any] | None] = dict.fromkeys(existing)
    changed.update(
        (part.value, {"kind": item.kind.value, "site_id": item.site_id})
        for part, (item, _a, _r) in cleaned.items()
    )
    event = webhooks.presence_data(person.id, day, changed)
    await webhooks.emit(session, clock, WebhookEvent.PRESENCE_CHANGED, [event])
    if named_before != data.backup_id:
        await tell_backups(
            session,
            clock,
            actor,
            person,
            taken=[(day, named_before)] if named_before is not None else [],
            named=[(day, data.backup_id, note)] if data.backup_id is not None else [],
        )
    return await get_day(session, clock, settings, actor, person.id, day)


def _days_by_backup(
    days: Iterable[tuple[date, int, dict[str, str]]], today: date
) -> dict[int, list[dict[str, str]]]:
    """(day, backup, what a mail says of the day) as each backup's days from ``today`` on,
    in order: the days gone by no longer matter to them."""
    found: dict[int, list[dict[str, str]]] = {}
    for day, backup_id, said in sorted(days, key=lambda row: (row[0], row[1])):
        if day >= today:
            found.setdefault(backup_id, []).append({"date": day.isoformat(), **said})
    return found


async def _days_with_backups(
    session: AsyncSession, column: Any, ids: Iterable[int], since: date
) -> list[tuple[int, date, int]]:
    """(person, day, backup) of the days from ``since`` on with a backup whose ``column``
    (the person or the backup) is one of ``ids``, by person and day."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    rows = await select_rows(
        session,
        select(DayReachability.person_id, DayReachability.date, DayReachability.backup_id)
        .where(in_ids(column, ids_param("ids")), DayReachability.date >= since)
        .order_by(DayReachability.person_id, DayReachability.date),
        {"ids": wanted},
    )
    return [(person_id, day, backup_id) for person_id, day, backup_id in rows if backup_id]


async def days_backed_up_by(
    session: AsyncSession, backup_ids: Iterable[int], since: date
) -> list[tuple[int, date, int]]:
    """(person, day, backup) of the days from ``since`` on whose backup is one of
    ``backup_ids``, by person and day."""
    return await _days_with_backups(session, DayReachability.backup_id, backup_ids, since)


async def backup_days_of(
    session: AsyncSession, person_ids: Iterable[int], since: date
) -> list[tuple[int, date, int]]:
    """(person, day, backup) of the days from ``since`` on of ``person_ids`` that have a
    backup, by person and day."""
    return await _days_with_backups(session, DayReachability.person_id, person_ids, since)


async def tell_backups(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    person: Person,
    *,
    taken: Iterable[tuple[date, int]] = (),
    named: Iterable[tuple[date, int, str]] = (),
) -> None:
    """Mail each colleague one save takes off as ``person``'s backup for days (``taken``:
    the day and the backup it had) that they no longer are, and each it newly names
    (``named``: the day, the backup and the day's note) that they are, once each, listing
    their days from today on; not the actor, who knows. A day the colleague was not told
    the opposite of yet is taken out of that mail instead. Never the absence reason
    (``notify.backup_taken_back``, ``notify.backup_named``)."""
    today = local_today(clock)
    about = {"absent": person.name, "by_themselves": actor.id == person.id}
    dropped = _days_by_backup(((day, backup_id, {}) for day, backup_id in taken), today)
    for backup_id, dates in dropped.items():
        await notify.backup_taken_back(
            session,
            clock,
            backup_id,
            about | {"changed_by": actor.name, "dates": dates},
            person_id=person.id,
            changed_by=actor.id,
        )
    new = _days_by_backup(((day, b, {"note": note}) for day, b, note in named), today)
    for backup_id, dates in new.items():
        await notify.backup_named(
            session,
            clock,
            backup_id,
            about | {"reported_by": actor.name, "dates": dates},
            person_id=person.id,
            named_by=actor.id,
        )


async def backup_colleague(session: AsyncSession, person: Person, backup_id: int) -> Person:
    """The colleague ``person`` names as their backup: someone else, and active."""
    if backup_id == person.id:
        raise InvalidInput(_("A person cannot be their own backup."), field="backup_id")
    backup = await session.get(Person, backup_id)
    if backup is None or not backup.active:
        raise InvalidInput(_("Unknown backup colleague."), field="backup_id")
    return backup


#: The half days a person sets on a day, as they will be stored: kind, site and area.
PlannedParts = dict[PresencePart, tuple[WorkKind, int | None, str | None]]


async def _check_backup(
    session: AsyncSession,
    person: Person,
    day: date,
    backup_id: int,
    planned: PlannedParts,
    now: datetime,
) -> None:
    """The backup must be someone else, active, and not absent when the person is away.

    ``planned`` are the person's explicit half days of ``day`` after the change.
    """
    backup = await backup_colleague(session, person, backup_id)
    data = await load_presence(session, [person.id, backup_id], day, day)
    # The person's day as it will be after this change.
    for part in PARTS:
        data.entries.pop((person.id, day, part.value), None)
    for part, (kind, site_id, area) in planned.items():
        data.entries[(person.id, day, part.value)] = EntryRow(
            person.id, day, part.value, kind.value, site_id, area, None, now
        )
    own = resolve_day(data, person.id, day, None)
    away_parts = [part for part in PARTS if own.slot(part).kind is WorkKind.ABSENT] or list(PARTS)
    theirs = resolve_day(data, backup_id, day, None)
    if any(theirs.slot(part).kind is WorkKind.ABSENT for part in away_parts):
        raise BackupAbsent(
            _(
                "%(name)s is absent on this day; choose another backup colleague.",
                name=backup.name,
            ),
            field="backup_id",
        )


@dataclass(frozen=True)
class WeekCopy:
    """What copying last week did.

    In half days: ``copied`` filled in; ``kept`` as they were because this week already
    had them (set by hand, or a desk booking); ``unavailable`` left as they were because
    last week's site no longer takes that work (closed, or no longer an office or field
    base), so that copying stores nothing one could not set by hand. In days:
    ``backups_left_out`` did not get last week's backup colleague, who is absent that day
    or no longer active (their hours and note are copied all the same); the person's
    usual backup applies there.
    """

    copied: int
    kept: int
    unavailable: int
    backups_left_out: int


def _still_a_valid_location(entry: WorkLocation, sites: dict[int, Site]) -> bool:
    """Whether ``entry``'s kind, site and area could be set by hand today."""
    try:
        check_location(WorkKind(entry.kind), entry.site_id, entry.area, sites)
    except InvalidInput:
        return False
    return True


_Dated = TypeVar("_Dated", WorkLocation, DayReachability)


async def _days_of(
    session: AsyncSession, model: type[_Dated], person_id: int, first: date, last: date
) -> Sequence[_Dated]:
    """One person's ``model`` rows (work locations or reachability) from ``first`` to ``last``."""
    rows = await session.execute(
        select(model).where(model.person_id == person_id, model.date >= first, model.date <= last)
    )
    return rows.scalars().all()


async def copy_previous_week(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    actor: CurrentUser,
    person_id: int,
    week_day: date,
) -> WeekCopy:
    """Fill the open half days of the week of ``week_day`` from last week's entries.

    A half day this week that has an entry or a desk booking is kept; so is a day's
    reachable hours, note and backup: they are copied only onto days without any entry
    or hours of their own. Half days last week left on automatic stay automatic.
    What could not be set by hand is not copied: a half day at a site that no longer
    takes that work stays as it was, and a backup who is absent that day (or no longer
    active) is left out, so that the person's usual backup applies.
    """
    await lock_for_write(session)
    person = await manageable_person(session, actor, person_id)
    target = week_of(week_day)
    for day in (target[0], target[-1]):
        check_horizon(clock, settings, day, "week")
    shift = timedelta(days=7)
    first = target[0] - shift
    entries = await _days_of(session, WorkLocation, person.id, first, target[-1])
    reaches = await _days_of(session, DayReachability, person.id, first, target[-1])
    desks = await desk_slots_between(session, [person.id], target[0], target[-1])
    set_days = {e.date for e in entries if e.date >= target[0]}
    set_days |= {r.date for r in reaches if r.date >= target[0]}
    taken = {(e.date, e.day_part) for e in entries if e.date >= target[0]}
    taken |= {(day, part) for _person_id, day, part in desks}
    last_week = [e for e in entries if e.date < target[0]]
    open_half_days = [e for e in last_week if (e.date + shift, e.day_part) not in taken]
    sites = await _sites_by_id(session, (e.site_id for e in open_half_days))
    to_copy = [e for e in open_half_days if _still_a_valid_location(e, sites)]
    now = clock.now()
    # Each day's hours, note and backup, with the backup checked as set_day does against
    # the day as it will be after copying; a backup who fails the check is left out.
    reaches_to_copy: list[tuple[DayReachability, int | None]] = []
    backups_left_out = 0
    for reach in reaches:
        if reach.date >= target[0] or reach.date + shift in set_days:
            continue
        backup_id = reach.backup_id
        if backup_id is not None:
            day = reach.date + shift
            planned: PlannedParts = {
                PresencePart(e.day_part): (WorkKind(e.kind), e.site_id, e.area)
                for e in to_copy
                if e.date == reach.date
            }
            try:
                await _check_backup(session, person, day, backup_id, planned, now)
            except InvalidInput:
                backup_id = None
                backups_left_out += 1
        if reach.reachable_from is not None or reach.note or backup_id is not None:
            reaches_to_copy.append((reach, backup_id))
    result = WeekCopy(
        copied=len(to_copy),
        kept=len(last_week) - len(open_half_days),
        unavailable=len(open_half_days) - len(to_copy),
        backups_left_out=backups_left_out,
    )
    if not to_copy and not reaches_to_copy:
        return result
    private_ok = sees_absence_reason(actor, person)
    for entry in to_copy:
        session.add(
            WorkLocation(
                person_id=person.id,
                date=entry.date + shift,
                day_part=entry.day_part,
                kind=entry.kind,
                site_id=entry.site_id,
                area=entry.area,
                absence_reason=entry.absence_reason if private_ok else None,
                updated_by_id=actor.id,
                updated_at=now,
            )
        )
    for reach, backup_id in reaches_to_copy:
        session.add(
            DayReachability(
                person_id=person.id,
                date=reach.date + shift,
                reachable_from=reach.reachable_from,
                reachable_until=reach.reachable_until,
                note=reach.note,
                backup_id=backup_id,
                updated_at=now,
            )
        )
    await session.flush()
    copied: dict[date, dict[str, dict[str, Any]]] = {
        reach.date + shift: {} for reach, _backup_id in reaches_to_copy
    }
    for entry in to_copy:
        copied.setdefault(entry.date + shift, {})[entry.day_part] = {
            "kind": entry.kind,
            "site_id": entry.site_id,
        }
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="copy_week",
        object_type="presence",
        object_id=person.id,
        week=target[0].isoformat(),
        days=sorted(day.isoformat() for day in copied),
        kept_half_days=result.kept,
        unavailable_half_days=result.unavailable,
        backups_left_out=result.backups_left_out,
    )
    await webhooks.emit(
        session,
        clock,
        WebhookEvent.PRESENCE_CHANGED,
        [webhooks.presence_data(person.id, day, parts) for day, parts in sorted(copied.items())],
    )
    # This week's days had no backup of their own (else they were not copied onto).
    await tell_backups(
        session,
        clock,
        actor,
        person,
        named=[(r.date + shift, b, r.note) for r, b in reaches_to_copy if b is not None],
    )
    return result


# --- weekly pattern -----------------------------------------------------------------------


def _slot_out(
    kind: str | None, site_id: int | None, area: str | None, sites: dict[int, Site]
) -> PatternSlotOut | None:
    if kind is None:
        return None
    site = sites.get(site_id) if site_id is not None else None
    return PatternSlotOut(
        kind=WorkKind(kind),
        site_id=site_id,
        site_name=site.name if site is not None else None,
        area=area,
    )


async def get_pattern(session: AsyncSession, viewer: CurrentUser, person_id: int) -> PatternOut:
    person = await manageable_person(session, viewer, person_id)
    rows = (
        (
            await session.execute(
                select(WeeklyPattern)
                .where(WeeklyPattern.person_id == person.id)
                .order_by(WeeklyPattern.weekday)
            )
        )
        .scalars()
        .all()
    )
    sites = await _sites_by_id(
        session, [r.morning_site_id for r in rows] + [r.afternoon_site_id for r in rows]
    )
    return PatternOut(
        person=person_ref(person),
        days=[
            PatternDayOut(
                weekday=row.weekday,
                morning=_slot_out(row.morning_kind, row.morning_site_id, row.morning_area, sites),
                afternoon=_slot_out(
                    row.afternoon_kind, row.afternoon_site_id, row.afternoon_area, sites
                ),
                reachable_from=row.reachable_from,
                reachable_until=row.reachable_until,
            )
            for row in rows
        ],
    )


async def set_pattern(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    person_id: int,
    data: PatternIn,
) -> PatternOut:
    """Replace the whole weekly pattern."""
    await lock_for_write(session)
    person = await manageable_person(session, actor, person_id)
    sites = await _sites_by_id(
        session,
        [slot.site_id for day in data.days for slot in (day.morning, day.afternoon) if slot],
    )
    rows: list[WeeklyPattern] = []
    problems: list[InvalidInput] = []
    seen: set[int] = set()
    for day in data.days:
        if day.weekday in seen:
            raise InvalidInput(_("A weekday is listed twice."), field="days")
        seen.add(day.weekday)
        try:
            _check_hours(day.reachable_from, day.reachable_until)
        except InvalidInput as exc:
            message = _(
                "On %(day)s: %(problem)s", day=_(WEEKDAY_NAMES[day.weekday]), problem=exc.message
            )
            problems.append(InvalidInput(message, field=f"days.{day.weekday}.{exc.field}"))
        row = WeeklyPattern(
            person_id=person.id,
            weekday=day.weekday,
            reachable_from=day.reachable_from,
            reachable_until=day.reachable_until,
        )
        for part_name in ("morning", "afternoon"):
            slot = getattr(day, part_name)
            if slot is None:
                continue
            try:
                area = check_location(slot.kind, slot.site_id, slot.area, sites)
            except InvalidInput as exc:
                message = _(PATTERN_PART_ERRORS[part_name], day=_(WEEKDAY_NAMES[day.weekday]),
                            problem=exc.message)  # fmt: skip
                field_name = f"days.{day.weekday}.{part_name}.{exc.field}"
                problems.append(InvalidInput(message, field=field_name))
                continue
            setattr(row, f"{part_name}_kind", slot.kind.value)
            setattr(row, f"{part_name}_site_id", slot.site_id)
            setattr(row, f"{part_name}_area", area)
        if day.morning is None and day.afternoon is None and day.reachable_from is None:
            continue
        rows.append(row)
    refuse_all(problems)
    await session.execute(delete(WeeklyPattern).where(WeeklyPattern.person_id == person.id))
    session.add_all(rows)
    await session.flush()
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="set_pattern",
        object_type="presence",
        object_id=person.id,
        weekdays=sorted(row.weekday for row in rows),
    )
    return await get_pattern(session, actor, person.id)


# --- retention ----------------------------------------------------------------------------


async def _record_purge(
    session: AsyncSession, clock: Clock, object_type: str, removed: int, cutoff: date
) -> None:
    """Audit what a retention purge removed, if anything, and from before when."""
    if removed:
        await record(
            session,
            clock,
            actor_id=None,
            action="purge",
            object_type=object_type,
            object_id="*",
            removed=removed,
            before=cutoff.isoformat(),
        )


async def presence_retention_job(session: AsyncSession, clock: Clock, settings: Settings) -> None:
    """Scheduler job: remove callback notes and work locations past their retention time."""
    await lock_for_write(session)
    notes = await callback_notes.purge_callback_notes(session, clock, settings)
    days = await purge_work_locations(session, clock, settings)
    if notes or days:
        logger.info("presence retention: removed %s callback notes, %s day rows", notes, days)


async def purge_work_locations(session: AsyncSession, clock: Clock, settings: Settings) -> int:
    """Remove work locations and reachability older than the retention time."""
    cutoff = local_today(clock) - timedelta(days=settings.retention_work_location_days)
    removed = 0
    for model in (WorkLocation, DayReachability):
        removed += await rows_changed(session, delete(model).where(model.date < cutoff))
    await _record_purge(session, clock, "presence", removed, cutoff)
    return removed


# --- what pages need ----------------------------------------------------------------------


async def workplace_sites(session: AsyncSession) -> list[Site]:
    """Active offices, satellites and field bases, for choosing where one works."""
    kinds = [*OFFICE_SITE_KINDS, SiteKind.FIELD_BASE.value]
    rows = await session.execute(
        select(Site).where(Site.active.is_(True), Site.kind.in_(kinds)).order_by(Site.name)
    )
    return list(rows.scalars())


async def backup_candidates(session: AsyncSession, person_id: int) -> list[Person]:
    """Colleagues from one's own teams, plus one's default backup."""
    person = await get_active_person(session, person_id)
    team_ids = [m.team_id for m in person.memberships]
    statement = (
        select(Person)
        .where(
            Person.active.is_(True),
            Person.id != person.id,
            or_(
                Person.id.in_(
                    select(TeamMembership.person_id).where(TeamMembership.team_id.in_(team_ids))
                ),
                Person.id == (person.backup_id or 0),
            ),
        )
        .options(*_plain_people())
        .order_by(Person.name)
    )
    return list((await session.execute(statement)).scalars())


async def site_of_today(
    session: AsyncSession, clock: Clock, person_id: int, sites: Sequence[Site]
) -> Site | None:
    """The site of ``sites`` where someone works today: the half day now first (their own
    day, a desk booking or their usual week, as ``resolve_day`` tells), else a site of their
    usual weekday; None when neither names one of ``sites``. Reception's list and the
    evacuation page open on it: reception and the BHV mostly keep to one building."""
    today = local_today(clock)
    data = await load_presence(session, [person_id], today, today)
    day = resolve_day(data, person_id, today, None)
    now = part_at(clock.now())
    site_ids = [day.slot(part).site_id for part in sorted(PARTS, key=now.__ne__)]
    usual = data.patterns.get((person_id, today.weekday()))
    if usual is not None:
        site_ids += [usual.morning_site_id, usual.afternoon_site_id]
    by_id = {site.id: site for site in sites}
    return next((by_id[i] for i in site_ids if i is not None and i in by_id), None)


async def my_status_today(session: AsyncSession, clock: Clock, user: CurrentUser) -> StatusOut:
    """The home page block: where I am today and whether the KCC can reach me now."""
    return await _status_of(session, user, user.id, clock.now())


async def my_planned_day(session: AsyncSession, clock: Clock, user: CurrentUser) -> DayOut:
    """The home page block's day: today, or at the weekend the coming Monday, whose plan
    matters more than a Saturday's 'unknown'."""
    person = await get_active_person(session, user.id)
    day = planning_day(local_today(clock))
    data = await load_presence(session, [person.id], day, day)
    view = resolve_day(data, person.id, day, person.backup_id)
    backups = await _people_by_id(session, [view.backup_id] if view.backup_id else [])
    return day_out(data, view, person, user, backups.get(view.backup_id or 0))


# --- display helpers (translated, Europe/Amsterdam) ---------------------------------------


#: A weekly pattern's error for one half day: "On Monday morning: ...", which Dutch
#: writes as one word ("Op maandagochtend: ...").
PATTERN_PART_ERRORS = {
    "morning": N_("On %(day)s morning: %(problem)s"),
    "afternoon": N_("On %(day)s afternoon: %(problem)s"),
}
SHORT_WEEKDAYS = [N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun")]
SHORT_MONTHS = [N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"), N_("Jul"),
                N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec")]  # fmt: skip
MONTHS = [N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
          N_("July"), N_("August"), N_("September"), N_("October"), N_("November"),
          N_("December")]  # fmt: skip


def day_label(day: date) -> str:
    """'Monday 23 November' (Dutch: 'maandag 23 november'), translated."""
    return f"{_(WEEKDAY_NAMES[day.weekday()])} {day.day} {_(MONTHS[day.month - 1])}"


def day_heading(day: date) -> str:
    """A day label that starts a heading or a sentence: 'Maandag 23 november'."""
    text = day_label(day)
    return text[:1].upper() + text[1:]


def short_day(day: date) -> str:
    """'Mon 23 Nov' (Dutch: 'ma 23 nov'), translated: never 23/11, which reads as a month
    first in the United States."""
    return f"{_(SHORT_WEEKDAYS[day.weekday()])} {day.day} {_(SHORT_MONTHS[day.month - 1])}"


def hhmm(value: time | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(AMSTERDAM).time()
    return value.strftime("%H:%M")


def when_formatter(clock: Clock) -> Callable[[datetime | None], str]:
    """An instant as '13:00' today, 'tomorrow 08:30', else 'Mon 30 Nov 08:30'."""
    today = local_today(clock)

    def when(at: datetime | None) -> str:
        if at is None:
            return ""
        local = at.astimezone(AMSTERDAM)
        if local.date() == today:
            return hhmm(local)
        if local.date() == today + timedelta(days=1):
            return _("tomorrow %(time)s", time=hhmm(local))
        return f"{short_day(local.date())} {hhmm(local)}"

    return when


def formatters(clock: Clock) -> dict[str, Any]:
    """Formatting helpers the presence templates call, and the week one plans today."""
    today = local_today(clock)
    planned = week_of(planning_day(today))
    return {
        "day_label": day_label,
        "day_heading": day_heading,
        "short_day": short_day,
        "hhmm": hhmm,
        "when": when_formatter(clock),
        "today": today,
        "planned_week": planned[0],
        "planned_week_name": _("This week") if planned[0] <= today else _("Coming week"),
    }


# --- home page blocks ---------------------------------------------------------------------

HOME_NOTES_SHOWN = 5


async def home_status(
    session: AsyncSession, clock: Clock, settings: Settings, user: CurrentUser
) -> dict[str, Any]:
    """'My status today': whether I can be reached now and where I am per half day (at the
    weekend: on the coming Monday)."""
    return {
        "presence_status": await my_status_today(session, clock, user),
        "presence_day": await my_planned_day(session, clock, user),
        "presence_fmt": formatters(clock),
    }


async def home_notes(
    session: AsyncSession, clock: Clock, settings: Settings, user: CurrentUser
) -> dict[str, Any]:
    """Open callback notes for me, newest first."""
    notes = await callback_notes.callback_notes_for(session, user, limit=HOME_NOTES_SHOWN)
    count = (
        await callback_notes.count_open_callback_notes(session, user.id)
        if len(notes) == HOME_NOTES_SHOWN
        else len(notes)
    )
    return {
        "presence_open_notes": notes,
        "presence_open_note_count": count,
        "presence_fmt": formatters(clock),
    }
