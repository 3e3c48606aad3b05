"""Presence: where people work per day part and how to reach them.

Where someone is during a day part is resolved in this order:
an explicit entry > an active desk booking (office at its site) > the weekly pattern > unknown.

Every read for a list of people (KCC search, team board) loads its data in a fixed
number of queries: the people, then per round one query each for entries with
reachability, desk bookings and patterns, each with their sites' names. Nothing is
queried per person.
These reads run on every KCC search, so their statements are built once (with bound
parameters) and select columns rather than ORM objects; days are resolved only when
something asks for them.

The KCC finder and the team board build on this module in ``presence.finder``; setting one
person's days, copying last week, backups named for days and the weekly pattern in
``presence.days``; callback notes in ``presence.callback_notes``.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import String, bindparam, cast, delete, null, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, raiseload
from sqlalchemy.sql.base import ExecutableOption

from werkplek.audit.services import record
from werkplek.bookings.services import DeskBooking, desk_bookings_between, meetings_under_way
from werkplek.clock import AMSTERDAM, Clock, days_through, in_amsterdam, local_today
from werkplek.config import Settings
from werkplek.db import (
    ids_param,
    in_ids,
    joined_strings,
    lock_for_write,
    rows_changed,
    select_rows,
    split_ids,
    split_joined,
)
from werkplek.errors import InvalidInput, NotFound
from werkplek.i18n import N_, _
from werkplek.labels import WEEKDAY_NAMES, clock_time, day_and_date
from werkplek.people.models import Person, PersonTopic, Role, Team, TeamMembership
from werkplek.people.services import CurrentUser
from werkplek.presence import callback_notes
from werkplek.presence.models import (
    DayReachability,
    PresencePart,
    WeeklyPattern,
    WorkKind,
    WorkLocation,
)
from werkplek.presence.schemas import BackupOut, Channels, DayOut, PartOut, PersonRef, StatusOut
from werkplek.rooms.models import Site, SiteKind
from werkplek.rooms.services import DayPart, is_public_holiday
from werkplek.visits.services import ActiveVisit, active_visits_at, open_visits_during

logger = logging.getLogger("werkplek.presence")

#: Morning ends and afternoon starts here (Europe/Amsterdam) for presence.
DAY_SPLIT = time(13, 0)
#: Reachable hours when neither the day nor the weekly pattern says otherwise.
DEFAULT_REACHABLE_FROM = time(8, 30)
DEFAULT_REACHABLE_UNTIL = time(17, 0)
#: How far back a day may be read or changed.
PAST_DAYS_LIMIT = 31
#: How far ahead "next reachable" looks.
NEXT_REACHABLE_DAYS = 14
#: A status first reads today up to this many working days ahead: most people are
#: reachable again within them, also on a Thursday evening when they do not work on
#: Fridays; only for the others are the days up to the look-ahead read as well.
NEAR_WORKING_DAYS = 2
OFFICE_SITE_KINDS = frozenset({SiteKind.CENTRAL_OFFICE.value, SiteKind.SATELLITE.value})
PARTS = (PresencePart.MORNING, PresencePart.AFTERNOON)
WORKWEEK = 5


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


# --- people lookups -----------------------------------------------------------------------


def _plain_people() -> list[ExecutableOption]:
    """Options to load people without their roles, topics and teams (fewer queries)."""
    return [raiseload(Person.roles), raiseload(Person.topics), raiseload(Person.memberships)]


async def people_by_id(session: AsyncSession, ids: Iterable[int]) -> dict[int, Person]:
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
CONTACTS_WITH_BACKUP = select(
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


def contacts_with_backups(rows: Iterable[Any]) -> tuple[list[Contact], dict[int, Contact]]:
    """Split rows of ``CONTACTS_WITH_BACKUP`` into the people, with their teams and topics, and
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


async def load_statuses(
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


_ACTIVE_WITH_BACKUP_BY_ID = CONTACTS_WITH_BACKUP.where(Person.id == bindparam("id"))


async def _status_of(
    session: AsyncSession, viewer: CurrentUser, person_id: int, at: datetime
) -> StatusOut:
    rows = (await select_rows(session, _ACTIVE_WITH_BACKUP_BY_ID, {"id": person_id})).all()
    people, backups = contacts_with_backups(rows)
    if not people or not people[0].active:
        raise NotFound(_("No such person."), field="person")
    bundle = await load_statuses(session, people, at, backups)
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
    backups = await people_by_id(session, [view.backup_id] if view.backup_id else [])
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
