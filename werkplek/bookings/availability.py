"""Availability: what is free where and when, by the booking rules of ``services``.

The desks of a site (or floor) per day part and the rooms with their busy and free times on
a day, as the booking pages, the floor plan and the API show them; how the desk page groups
and filters them; the day a booking page opens on; and the walk-in a desk's QR page offers,
the day parts of today it can be booked and checked in at once.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
from sqlalchemy import Select, Text, bindparam, cast, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from werkplek.bookings.models import Booking
from werkplek.bookings.schemas import (
    BookingIn,
    BusyOut,
    CapOut,
    DayPartWindow,
    DeskHolderOut,
    DeskStatusOut,
    IntervalOut,
    RoomStatusOut,
)
from werkplek.bookings.services import (
    CHECK_IN_OPENS_BEFORE,
    DESK_KIND_VALUES,
    DESK_KINDS,
    ROOM_KINDS,
    BookingRuleBroken,
    active,
    active_desk_count,
    cap_limit,
    check_in_booking,
    create_booking,
    day_halves,
    desks_held,
    last_bookable_day,
    load_space,
    overlaps,
    too_far_ahead_message,
)
from werkplek.clock import AMSTERDAM, Clock, local_midnight, local_today, zone_named
from werkplek.db import ids_param, in_ids, lock_for_write, one_of, select_rows
from werkplek.errors import InvalidInput, NotFound
from werkplek.i18n import _
from werkplek.people.models import Person, Role, TeamMembership
from werkplek.people.services import CurrentUser
from werkplek.rooms.models import (
    Amenity,
    Closure,
    Floor,
    SafetyFeature,
    Site,
    Space,
    SpaceKind,
    SpaceTeam,
)
from werkplek.rooms.services import (
    DayPart,
    SiteDay,
    by_floor,
    closures_between,
    closures_on,
    day_part_window,
    is_bookable_by,
    site_day,
    teams_admit,
)


@dataclass
class DeskAvailability:
    site: Site
    day: SiteDay
    windows: list[DayPartWindow]
    cap: CapOut | None
    desks: list[DeskStatusOut]
    #: The last date the site can be booked for, and why ``day`` cannot if it has passed
    #: or is after it.
    last_day: date
    not_bookable: str | None

    def window(self, part: DayPart) -> DayPartWindow | None:
        """The hours of ``part`` that day; None when the site is closed."""
        return next((window for window in self.windows if window.day_part is part), None)


def first_day_part(availability: DeskAvailability, now: datetime) -> DayPart:
    """The day part a desk page shows unless one is chosen: the whole day, or once the
    morning has ended the afternoon (a whole day then counts as past, so no desk would
    show free)."""
    for window in availability.windows:
        if window.day_part is DayPart.MORNING and window.end <= now:
            return DayPart.AFTERNOON
    return DayPart.DAY


def free_desks(desks: Sequence[DeskStatusOut], part: DayPart) -> list[DeskStatusOut]:
    """The desks free for the whole of ``part`` (the whole day: morning and afternoon)."""
    return [desk for desk in desks if getattr(desk, part.value) == "free"]


@dataclass(frozen=True)
class TeammateDesk:
    """A colleague of one's teams at a desk listed: where one's team sits that day."""

    name: str
    desk: str
    day_part: DayPart  # the whole day when they hold it morning and afternoon


def teammates_seated(desks: Sequence[DeskStatusOut]) -> list[TeammateDesk]:
    """The colleagues of one's teams holding any of ``desks``, by name, so that one can
    choose a desk near them."""
    found = []
    for desk in desks:
        morning, afternoon = desk.morning_holder, desk.afternoon_holder
        if morning and afternoon and morning.person_id == afternoon.person_id:
            if morning.teammate:
                found.append(TeammateDesk(morning.name, desk.name, DayPart.DAY))
            continue
        for holder, part in ((morning, DayPart.MORNING), (afternoon, DayPart.AFTERNOON)):
            if holder and holder.teammate:
                found.append(TeammateDesk(holder.name, desk.name, part))
    return sorted(found, key=lambda seated: (seated.name.casefold(), seated.desk))


def rooms_free_between(
    rooms: Sequence[RoomStatusOut], start: datetime, end: datetime
) -> list[RoomStatusOut]:
    """The rooms one may book for the whole of [start, end): free all that time."""
    return [
        room
        for room in rooms
        if room.bookable
        and not room.closed
        and any(free.start <= start and end <= free.end for free in room.free)
    ]


@dataclass(frozen=True)
class DeskGroup:
    """Desks the desk page lists under one heading: one's favourites, a floor, or the
    desks on no floor (neither ``favourites`` nor a ``floor``)."""

    desks: list[DeskStatusOut]
    free: list[DeskStatusOut]  # those of ``desks`` free for the day part shown
    only_free: bool  # whether only the free ones are listed
    floor: Floor | None = None
    favourites: bool = False

    @property
    def listed(self) -> list[DeskStatusOut]:
        return self.free if self.only_free else self.desks


def desk_groups(
    desks: Sequence[DeskStatusOut],
    floors: Sequence[Floor],
    favourite_ids: Container[int],
    part: DayPart,
    *,
    only_free: bool = False,
) -> list[DeskGroup]:
    """One's favourite desks first, then the others ``by_floor``; a group with nothing
    to list is left out."""
    favourite = [desk for desk in desks if desk.space_id in favourite_ids]
    others = [desk for desk in desks if desk.space_id not in favourite_ids]
    groups = [DeskGroup(favourite, free_desks(favourite, part), only_free, favourites=True)]
    groups += [
        DeskGroup(on_floor, free_desks(on_floor, part), only_free, floor)
        for floor, on_floor in by_floor(others, floors, lambda desk: desk.floor_id)
    ]
    return [group for group in groups if group.listed]


@dataclass
class RoomAvailability:
    site: Site
    day: SiteDay
    rooms: list[RoomStatusOut]
    #: The last date the site can be booked for, and why ``day`` cannot if it has passed
    #: or is after it.
    last_day: date
    not_bookable: str | None


def _horizon(clock: Clock, site: Site, day: date) -> tuple[date, str | None]:
    """The last bookable date of the site, and the refusal for ``day`` if it has passed or
    lies beyond."""
    last_day = last_bookable_day(clock, site)
    if day < local_today(clock, zone_named(site.timezone)):
        return last_day, _("This day has passed: choose today or a later day.")
    return last_day, too_far_ahead_message(site) if day > last_day else None


def day_windows(site: Site, info: SiteDay) -> list[DayPartWindow]:
    if not info.is_open:
        return []
    zone = zone_named(site.timezone)
    windows = []
    for part in (DayPart.MORNING, DayPart.AFTERNOON, DayPart.DAY):
        start, end = day_part_window(site, info, part)
        windows.append(
            DayPartWindow(
                day_part=part,
                start=start,
                end=end,
                local_start=start.astimezone(zone),
                local_end=end.astimezone(zone),
            )
        )
    return windows


_SITE_WITH_HOURS = (
    select(Site).options(joinedload(Site.opening_hours)).where(Site.id == bindparam("site_id"))
)


async def _site_and_day(
    session: AsyncSession, site_id: int, day: date
) -> tuple[Site, SiteDay, set[int]]:
    """The site, whether it is open on ``day``, and which of its spaces have a closure of
    their own that day (two queries)."""
    found = await session.execute(_SITE_WITH_HOURS, {"site_id": site_id})
    site = found.unique().scalar_one_or_none()
    if site is None or not site.active:
        raise NotFound(_("No such site."), field="site")
    site_wide, closed_spaces = [], set()
    for closure in await closures_on(session, site.id, day):
        if closure.space_id is None:
            site_wide.append(closure)
        else:
            closed_spaces.add(closure.space_id)
    return site, site_day(site, day, site_wide), closed_spaces


async def require_floor_at_site(
    session: AsyncSession, site_id: int, floor_id: int, *, field: str = "floor"
) -> None:
    """Refuse a floor that is not one of the site's, at ``field``: asked about it, the
    availability finds no spaces and would answer as if the floor were empty. Asked only
    when the availability found none, so a floor's usual request pays no extra query."""
    floor_site = await session.scalar(select(Floor.site_id).where(Floor.id == floor_id))
    if floor_site != site_id:
        raise InvalidInput(
            _("This floor is not at this site."), field=field, code="floor_not_at_site"
        )


async def site_with_floor(session: AsyncSession, site_id: int, floor_id: int | None) -> Site:
    """The active site a request for desks names (else 422 ``unknown_site`` at
    ``site_id``), with the floor it names being one of the site's (else 422
    ``floor_not_at_site`` at ``floor_id``)."""
    site = await session.get(Site, site_id)
    if site is None or not site.active:
        raise BookingRuleBroken(_("No such site."), field="site_id", code="unknown_site")
    if floor_id is not None:
        await require_floor_at_site(session, site.id, floor_id, field="floor_id")
    return site


async def page_day(
    session: AsyncSession, clock: Clock, asked: date | None, site_id: int | None
) -> date:
    """The day a booking page or the floor plan shows: the one asked for, else the first
    day the site is open (``first_open_day``)."""
    if asked is not None:
        return asked
    if site_id is None:
        return local_today(clock)
    return await first_open_day(session, clock, site_id)


async def first_open_day(
    session: AsyncSession, clock: Clock, site_id: int, *, skip: Container[date] = ()
) -> date:
    """The day a booking page starts on: today until the site closes, then the next day it
    is open, within how far ahead it can be booked. In the evening, at the weekend or on
    a holiday, today has nothing left to book. Days in ``skip`` are passed over; today
    when no day is left."""
    found = await session.execute(_SITE_WITH_HOURS, {"site_id": site_id})
    site = found.unique().scalar_one_or_none()
    zone = zone_named(site.timezone) if site is not None else AMSTERDAM
    today = local_today(clock, zone)
    if site is None:
        return today
    last = last_bookable_day(clock, site)
    closures = await closures_between(session, site.id, today, last)
    now = clock.now()
    day = today
    while day <= last:
        info = site_day(site, day, closures)
        if (
            day not in skip
            and info.closes is not None
            and (day > today or datetime.combine(day, info.closes, tzinfo=zone) > now)
        ):
            return day
        day += timedelta(days=1)
    return today


async def book_again_day(session: AsyncSession, clock: Clock, booking: Booking) -> date:
    """The day "Opnieuw boeken" offers a booking again: the first day its site is open
    (``first_open_day``), but not today once the booking's start time has passed today."""
    site = await session.get(Site, booking.site_id)
    assert site is not None  # a booking's site is never deleted while it is held
    zone = zone_named(site.timezone)
    now = clock.now().astimezone(zone)
    passed = now.time() >= booking.start_at.astimezone(zone).time()
    return await first_open_day(session, clock, site.id, skip={now.date()} if passed else ())


async def sites_with_spaces(session: AsyncSession, kinds: Sequence[SpaceKind]) -> set[int]:
    """Ids of sites that have active spaces of these kinds."""
    rows = await session.execute(
        select(Space.site_id)
        .where(Space.kind.in_([kind.value for kind in kinds]), Space.active.is_(True))
        .distinct()
    )
    return set(rows.scalars())


_PART_PRIORITY = ("closed", "restricted", "taken", "yours", "past", "full", "free")
_PART_RANK = {status: rank for rank, status in enumerate(_PART_PRIORITY)}
_SPACE_KINDS = {kind.value: kind for kind in SpaceKind}
_AMENITY_LIST = msgspec.json.Decoder(list[Amenity])


@cache  # built once per kind of desk asked for: they run on every availability request
def _desks_statement(
    kinds: tuple[str, ...], of_floor: bool
) -> Select[int, str, str, int | None, int | None, str, int]:
    """The shown desks of these kinds at a site (or one floor), with the teams they are
    reserved for (a row per team)."""
    statement = (
        select(
            Space.id,
            Space.name,
            Space.kind,
            Space.floor_id,
            Space.zone_id,
            cast(Space.amenities, Text).label("amenities"),  # decoded by msgspec, far faster
            SpaceTeam.team_id,
        )
        .outerjoin(SpaceTeam, SpaceTeam.space_id == Space.id)
        .where(
            Space.site_id == bindparam("site_id"),
            one_of(Space.kind, kinds),
            Space.active.is_(True),
        )
        .order_by(Space.name, Space.id)
    )
    return statement.where(Space.floor_id == bindparam("floor_id")) if of_floor else statement


# Built once: the day's active desk bookings of a site, with who holds each.
_DESK_BOOKINGS = (
    select(
        Booking.id,
        Booking.space_id,
        Booking.booked_for_id,
        overlaps(bindparam("morning_start"), bindparam("morning_end")).label("in_morning"),
        overlaps(bindparam("afternoon_start"), bindparam("afternoon_end")).label("in_afternoon"),
        Person.name,
        Person.hide_desk,
        # Whether the holder is in one of the teams of the one asking.
        Booking.booked_for_id.in_(
            select(TeamMembership.person_id).where(
                in_ids(TeamMembership.team_id, ids_param("team_ids"))
            )
        ).label("teammate"),
    )
    .outerjoin(Person, Person.id == Booking.booked_for_id)
    .where(
        Booking.site_id == bindparam("site_id"),
        Booking.is_desk.is_(True),
        active(),
        overlaps(bindparam("morning_start"), bindparam("afternoon_end")),
        # A booking lies within one local day of its site (see services.LONGEST_BOOKING): none that
        # began before the day reaches into it; the site's start-time index finds the day.
        Booking.start_at >= bindparam("day_start"),
    )
)


def _holder(
    actor: CurrentUser, person_id: int | None, name: str | None, hides: bool, teammate: bool
) -> DeskHolderOut | None:
    """Who holds a desk as ``actor`` may see it: not someone who hides their desk, except
    to administrators (the presence privacy rule), and not oneself (that desk is
    ``yours``)."""
    if person_id is None or name is None or person_id == actor.id:
        return None
    if hides and not actor.is_admin:
        return None
    return DeskHolderOut(person_id=person_id, name=name, teammate=teammate)


async def desk_availability(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    site_id: int,
    day: date,
    *,
    floor_id: int | None = None,
    kinds: Sequence[SpaceKind] = DESK_KINDS,
    amenities: Sequence[Amenity] = (),
) -> DeskAvailability:
    """Which desks (those with all of ``amenities``) are free per day part: four queries
    for any number of desks.

    Only the columns needed are selected (no ORM objects): a floor has hundreds of desks.
    Each day part's taken, own and full desks are worked out once as sets, so each desk
    costs a few set lookups.
    """
    site, info, closed_spaces = await _site_and_day(session, site_id, day)
    windows = day_windows(site, info)
    wanted = {kind.value for kind in kinds}
    parameters: dict[str, Any] = {"site_id": site.id}
    if floor_id is not None:
        parameters["floor_id"] = floor_id
    statement = _desks_statement(
        tuple(kind for kind in DESK_KIND_VALUES if kind in wanted), floor_id is not None
    )
    desks: list[tuple[int, str, str, int | None, int | None, str]] = []
    restricted: dict[int, list[int]] = {}
    # Plain tuples: a floor has hundreds of desks, and a Row's attributes cost a lookup each.
    for desk_id, name, kind, floor, zone, encoded_amenities, team_id in (
        await select_rows(session, statement, parameters)
    ).all():
        if not desks or desks[-1][0] != desk_id:
            desks.append((desk_id, name, kind, floor, zone, encoded_amenities))
        if team_id is not None:
            restricted.setdefault(desk_id, []).append(team_id)
    not_for_actor = {
        desk_id for desk_id, teams in restricted.items() if not teams_admit(teams, actor)
    }
    now = clock.now()
    halves = (
        day_halves(site, info)
        if info.is_open
        else [(DayPart.MORNING, now, now), (DayPart.AFTERNOON, now, now)]
    )
    taken: dict[DayPart, set[int]] = {DayPart.MORNING: set(), DayPart.AFTERNOON: set()}
    yours: dict[DayPart, set[int]] = {DayPart.MORNING: set(), DayPart.AFTERNOON: set()}
    # People, not bookings, as the cap counts them (see ``services._check_capacity_cap``).
    holders: dict[DayPart, set[int]] = {DayPart.MORNING: set(), DayPart.AFTERNOON: set()}
    held_by: dict[DayPart, dict[int, DeskHolderOut | None]] = {
        DayPart.MORNING: {},
        DayPart.AFTERNOON: {},
    }
    if info.is_open:
        (_, morning_start, morning_end), (_, afternoon_start, afternoon_end) = halves
        rows = await select_rows(
            session,
            _DESK_BOOKINGS,
            {
                "site_id": site.id,
                "day_start": local_midnight(day, zone_named(site.timezone)),
                "morning_start": morning_start,
                "morning_end": morning_end,
                "afternoon_start": afternoon_start,
                "afternoon_end": afternoon_end,
                "team_ids": actor.team_ids,
            },
        )
        for (
            booking_id,
            space_id,
            booked_for_id,
            in_morning,
            in_afternoon,
            name,
            hides,
            teammate,
        ) in rows.all():
            holder = _holder(actor, booked_for_id, name, hides, teammate)
            for part, held in ((DayPart.MORNING, in_morning), (DayPart.AFTERNOON, in_afternoon)):
                if held:
                    holders[part].add(booked_for_id if booked_for_id is not None else -booking_id)
                    taken[part].add(space_id)
                    held_by[part][space_id] = holder
                    if booked_for_id == actor.id:
                        yours[part].add(space_id)
    cap = None
    limit = None
    if site.capacity_cap_percent is not None:
        limit = cap_limit(await active_desk_count(session, site.id), site.capacity_cap_percent)
        cap = CapOut(
            percent=site.capacity_cap_percent,
            limit=limit,
            booked_morning=len(holders[DayPart.MORNING]),
            booked_afternoon=len(holders[DayPart.AFTERNOON]),
        )
    every_desk = {desk[0] for desk in desks}
    closed = set(closed_spaces) if info.is_open else every_desk
    # A half of no length: the site opens after its split, or closes before it, that day.
    shut = {part for part, start, end in halves if info.is_open and end <= start}
    statuses = {
        part: _PartStatus(
            closed=every_desk if part in shut else closed,
            yours=yours[part],
            restricted=not_for_actor,
            taken=taken[part],
            ended=end <= now,
            # Full for the actor when the others reach the cap: a desk of their own that
            # day part already counts, so moving from it is no extra booking.
            full=limit is not None and len(holders[part] - {actor.id}) >= limit,
        )
        for part, _start, end in halves
    }
    morning_of, afternoon_of = statuses[DayPart.MORNING].of, statuses[DayPart.AFTERNOON].of
    morning_held, afternoon_held = held_by[DayPart.MORNING], held_by[DayPart.AFTERNOON]
    result = []
    wanted_amenities = set(amenities)
    for desk_id, name, kind, floor, zone, encoded_amenities in desks:
        desk_amenities = _AMENITY_LIST.decode(encoded_amenities)
        if not wanted_amenities.issubset(desk_amenities):
            continue
        morning, afternoon = morning_of(desk_id), afternoon_of(desk_id)
        if DayPart.MORNING in shut:
            day_status = afternoon
        elif DayPart.AFTERNOON in shut or _PART_RANK[morning] <= _PART_RANK[afternoon]:
            day_status = morning
        else:
            day_status = afternoon
        result.append(
            DeskStatusOut(
                space_id=desk_id,
                name=name,
                kind=_SPACE_KINDS[kind],
                floor_id=floor,
                zone_id=zone,
                amenities=desk_amenities,
                morning=morning,
                afternoon=afternoon,
                day=day_status,
                morning_holder=morning_held.get(desk_id) if morning == "taken" else None,
                afternoon_holder=afternoon_held.get(desk_id) if afternoon == "taken" else None,
            )
        )
    last_day, not_bookable = _horizon(clock, site, day)
    return DeskAvailability(
        site=site,
        day=info,
        windows=windows,
        cap=cap,
        desks=result,
        last_day=last_day,
        not_bookable=not_bookable,
    )


@dataclass(frozen=True)
class _PartStatus:
    """The desks of one day part, by what a person sees of them."""

    closed: set[int]
    yours: set[int]
    restricted: set[int]
    taken: set[int]
    ended: bool
    full: bool

    def of(self, desk_id: int) -> str:
        """The status of one desk: the first that applies, in this order."""
        if desk_id in self.closed:
            return "closed"
        if desk_id in self.yours:
            return "yours"
        if desk_id in self.restricted:
            return "restricted"
        if desk_id in self.taken:
            return "taken"
        if self.ended:
            return "past"
        if self.full:
            return "full"
        return "free"


def interval_out(start: datetime, end: datetime, zone: ZoneInfo) -> IntervalOut:
    """A stretch of time, also in the site's local time."""
    return IntervalOut(
        start=start, end=end, local_start=start.astimezone(zone), local_end=end.astimezone(zone)
    )


async def room_availability(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    site_id: int,
    day: date,
    *,
    kinds: Sequence[SpaceKind] = ROOM_KINDS,
    floor_id: int | None = None,
    min_capacity: int | None = None,
    amenities: Sequence[Amenity] = (),
    safety_features: Sequence[SafetyFeature] = (),
    site_and_day: tuple[Site, SiteDay] | None = None,
) -> RoomAvailability:
    """Rooms that match the filters, with their busy times and free intervals on a day.

    Three queries (the rooms with the reason of a closure of their own that day,
    their teams, their bookings), and two for the site with its hours and whether it is
    open that day unless the caller passes them in ``site_and_day`` (as
    ``desk_availability`` loaded them for the same site and day).
    """
    site, info = site_and_day or (await _site_and_day(session, site_id, day))[:2]
    zone = zone_named(site.timezone)
    closure_reason = (
        select(Closure.reason)
        .where(
            Closure.site_id == site.id,
            Closure.space_id == Space.id,
            Closure.starts_on <= day,
            Closure.ends_on >= day,
        )
        .order_by(Closure.starts_on, Closure.id)
        .limit(1)
        .scalar_subquery()
    )
    statement = (
        select(Space, closure_reason)
        .where(
            Space.site_id == site.id,
            Space.kind.in_([kind.value for kind in kinds]),
            Space.active.is_(True),
        )
        .order_by(Space.name, Space.id)
    )
    if floor_id is not None:
        statement = statement.where(Space.floor_id == floor_id)
    if min_capacity is not None:
        statement = statement.where(Space.capacity >= min_capacity)
    wanted_amenities = {a.value for a in amenities}
    wanted_features = {f.value for f in safety_features}
    rooms: list[Space] = []
    closure_reasons: dict[int, str] = {}
    for room, reason in await session.execute(statement):
        if wanted_amenities <= set(room.amenities) and wanted_features <= set(room.safety_features):
            rooms.append(room)
            if reason is not None:
                closure_reasons[room.id] = reason
    held: dict[int, list[Booking]] = {}
    if rooms:
        rows = (
            await session.execute(
                select(Booking)
                .where(
                    Booking.space_id.in_([room.id for room in rooms]),
                    active(),
                    overlaps(local_midnight(day, zone), local_midnight(day + timedelta(1), zone)),
                )
                .order_by(Booking.start_at)
            )
        ).scalars()
        for booking in rows:
            held.setdefault(booking.space_id, []).append(booking)
    now = clock.now()
    sees_titles = actor.has_role(Role.FACILITIES)
    result = []
    for room in rooms:
        bookings = held.get(room.id, [])
        busy = [
            BusyOut(
                start=b.start_at,
                end=b.end_at,
                local_start=b.start_at.astimezone(zone),
                local_end=b.end_at.astimezone(zone),
                status=b.status,
                yours=actor.id in (b.booked_for_id, b.booked_by_id),
                booking_id=b.id if actor.id in (b.booked_for_id, b.booked_by_id) else None,
                title=b.title
                if sees_titles or actor.id in (b.booked_for_id, b.booked_by_id)
                else None,
            )
            for b in bookings
        ]
        closed = not info.is_open or room.id in closure_reasons
        closed_reason = info.reason if not info.is_open else closure_reasons.get(room.id)
        bookable = is_bookable_by(room, actor)
        free: list[IntervalOut] = []
        if not closed and bookable and info.opens is not None and info.closes is not None:
            opens = datetime.combine(day, info.opens, tzinfo=zone).astimezone(UTC)
            closes = datetime.combine(day, info.closes, tzinfo=zone).astimezone(UTC)
            for start, end in _gaps(max(opens, now), closes, bookings):
                free.append(interval_out(start, end, zone))
        result.append(
            RoomStatusOut(
                space_id=room.id,
                name=room.name,
                kind=SpaceKind(room.kind),
                floor_id=room.floor_id,
                capacity=room.capacity,
                amenities=[Amenity(a) for a in room.amenities],
                safety_features=[SafetyFeature(f) for f in room.safety_features],
                requires_approval=room.requires_approval,
                bookable=bookable,
                closed=closed,
                closed_reason=closed_reason or None,
                busy=busy,
                free=free,
            )
        )
    last_day, not_bookable = _horizon(clock, site, day)
    return RoomAvailability(
        site=site, day=info, rooms=result, last_day=last_day, not_bookable=not_bookable
    )


def _gaps(
    start: datetime, end: datetime, bookings: Sequence[Booking]
) -> list[tuple[datetime, datetime]]:
    """The free intervals within [start, end) around the (sorted) bookings."""
    gaps = []
    cursor = start
    for booking in sorted(bookings, key=lambda b: b.start_at):
        if booking.start_at > cursor:
            gaps.append((cursor, min(booking.start_at, end)))
        cursor = max(cursor, booking.end_at)
        if cursor >= end:
            break
    if cursor < end:
        gaps.append((cursor, end))
    return [(a, b) for a, b in gaps if b > a]


async def walk_in_parts(
    session: AsyncSession, clock: Clock, actor: CurrentUser, space: Space
) -> list[DayPart]:
    """The day parts of today for which ``actor`` may book this desk on the spot and check
    in at once (its QR page, without a booking): free for them, and under way or
    beginning within the check-in window (``CHECK_IN_OPENS_BEFORE``), while they hold no
    other desk then (one desk per person per moment). A desk that needs approval has
    none: a request cannot be checked in."""
    if not (SpaceKind(space.kind).is_desk and space.active):
        return []
    if space.requires_approval and not actor.has_role(Role.FACILITIES):
        return []
    availability = await desk_availability(session, clock, actor, space.site_id, local_today(clock))
    desk = next((d for d in availability.desks if d.space_id == space.id), None)
    if desk is None:
        return []
    now = clock.now()
    return [
        window.day_part
        for window in availability.windows
        if getattr(desk, window.day_part.value) == "free"
        and window.start - CHECK_IN_OPENS_BEFORE <= now < window.end
        and not await desks_held(session, actor.id, window.start, window.end)
    ]


async def book_walk_in(
    session: AsyncSession, clock: Clock, actor: CurrentUser, space_id: int, part: DayPart | None
) -> Booking:
    """Book a desk for a day part of today and check in at once; only a part that
    ``walk_in_parts`` offers, so that nothing is booked that cannot be checked in now."""
    await lock_for_write(session)
    space, _site = await load_space(session, space_id)
    if part is None or part not in await walk_in_parts(session, clock, actor, space):
        raise BookingRuleBroken(
            _(
                "Only a free day part that has begun, or begins within %(minutes)s minutes, "
                "can be booked and checked in here.",
                minutes=int(CHECK_IN_OPENS_BEFORE.total_seconds() // 60),
            ),
            field="day_part",
            code="not_a_walk_in_part",
        )
    result = await create_booking(
        session, clock, actor, BookingIn(space_id=space_id, date=local_today(clock), day_part=part)
    )
    return await check_in_booking(session, clock, actor.id, result.created[0])
