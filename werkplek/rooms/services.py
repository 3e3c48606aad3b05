"""Sites, floors, spaces, opening hours, closures and public holidays: the rules."""

from __future__ import annotations

import calendar
import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import holidays
import msgspec
from sqlalchemy import bindparam, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.audit.services import record, record_saved
from werkplek.clock import Clock, local_today
from werkplek.db import any_contains, select_rows
from werkplek.errors import Conflict, InvalidInput, NotFound, refuse_all, required_name
from werkplek.i18n import _, current_language, ngettext
from werkplek.labels import WEEKDAY_NAMES, short_date
from werkplek.people.models import Role, Team
from werkplek.people.services import CurrentUser, search_text
from werkplek.rooms.models import (
    Amenity,
    Closure,
    Floor,
    OpeningHours,
    Site,
    SiteKind,
    Space,
    SpaceKind,
    SpaceTeam,
    Zone,
)
from werkplek.rooms.schemas import (
    ClosureIn,
    ClosureOut,
    FloorIn,
    FloorOut,
    OpeningHoursIn,
    SiteDayOut,
    SiteIn,
    SiteOut,
    SpaceIn,
    SpaceOut,
    ZoneOut,
)


class DayPart(enum.StrEnum):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    DAY = "day"


def day_part_or_none(value: object) -> DayPart | None:
    """The day part a form or a query names, or None when it names none."""
    text = str(value or "")
    return DayPart(text) if text in DayPart.__members__.values() else None


def amenities_named(values: object) -> list[Amenity]:
    """The amenities a filter form asks for (a list of names); unknown names are left out."""
    names = values if isinstance(values, list) else []
    return [amenity for amenity in Amenity if amenity.value in names]


# --- output -------------------------------------------------------------------------------


def site_out(site: Site) -> SiteOut:
    return _site_out(site, site.opening_hours)


def _site_out(site: Any, opening_hours: Iterable[Any]) -> SiteOut:
    """A site's answer from anything with its fields (a ``Site`` or a row of
    ``_SITE_WITH_HOURS``) and its hours (each with ``weekday``, ``opens``, ``closes``)."""
    return SiteOut(
        id=site.id,
        name=site.name,
        kind=site.kind,
        address=site.address,
        city=site.city,
        timezone=site.timezone,
        day_split=site.day_split,
        max_days_ahead=site.max_days_ahead,
        capacity_cap_percent=site.capacity_cap_percent,
        observe_public_holidays=site.observe_public_holidays,
        opening_hours=[
            OpeningHoursIn(weekday=h.weekday, opens=h.opens, closes=h.closes) for h in opening_hours
        ],
        active=site.active,
    )


#: A site with its opening hours, one row a weekday it opens (one row of NULL hours when
#: it opens on none).
_SITE_WITH_HOURS = (
    select(
        Site.id,
        Site.name,
        Site.kind,
        Site.address,
        Site.city,
        Site.timezone,
        Site.day_split,
        Site.max_days_ahead,
        Site.capacity_cap_percent,
        Site.observe_public_holidays,
        Site.active,
        OpeningHours.weekday,
        OpeningHours.opens,
        OpeningHours.closes,
    )
    .outerjoin(OpeningHours, OpeningHours.site_id == Site.id)
    .where(Site.id == bindparam("site_id"))
    .order_by(OpeningHours.weekday)
)


async def read_site(session: AsyncSession, site_id: int) -> SiteOut:
    """One site as the API answers it, in one statement of columns: loading a ``Site``
    (``get_site``) takes two statements and the ORM's row loading, which cost an API read
    of a site more than the rest of its request."""
    rows = (await select_rows(session, _SITE_WITH_HOURS, {"site_id": site_id})).all()
    if not rows:
        raise NotFound(_("No such site."), field="site")
    return _site_out(rows[0], (row for row in rows if row.weekday is not None))


def floor_out(floor: Floor) -> FloorOut:
    return FloorOut(
        id=floor.id,
        site_id=floor.site_id,
        name=floor.name,
        level=floor.level,
        zones=[ZoneOut(id=zone.id, name=zone.name) for zone in floor.zones],
    )


def space_out(space: Space) -> SpaceOut:
    return SpaceOut(
        id=space.id,
        site_id=space.site_id,
        floor_id=space.floor_id,
        zone_id=space.zone_id,
        name=space.name,
        kind=space.kind,  # type: ignore[arg-type]
        capacity=space.capacity,
        amenities=list(space.amenities),  # type: ignore[arg-type]
        safety_features=list(space.safety_features),  # type: ignore[arg-type]
        requires_approval=space.requires_approval,
        team_ids=space.team_ids,
        active=space.active,
    )


def closure_out(closure: Closure) -> ClosureOut:
    return ClosureOut(
        id=closure.id,
        site_id=closure.site_id,
        space_id=closure.space_id,
        starts_on=closure.starts_on,
        ends_on=closure.ends_on,
        reason=closure.reason,
    )


# --- sites --------------------------------------------------------------------------------


def main_site(sites: Sequence[Site]) -> Site | None:
    """The site a page starts on when none is chosen: the central office (the first by
    name if there are several), else the first site by name."""
    return min(
        sites, key=lambda site: (site.kind != SiteKind.CENTRAL_OFFICE, site.name), default=None
    )


async def list_sites(session: AsyncSession, *, include_inactive: bool = False) -> Sequence[Site]:
    statement = select(Site).order_by(Site.name)
    if not include_inactive:
        statement = statement.where(Site.active.is_(True))
    return (await session.execute(statement)).scalars().all()


@dataclass(frozen=True)
class SiteSpaceCounts:
    """How many spaces of each kind a site has in use, for the list of sites. ``desks``
    counts quiet desks too."""

    desks: int = 0
    quiet_desks: int = 0
    meeting_rooms: int = 0
    resident_rooms: int = 0


async def space_counts_by_site(session: AsyncSession) -> dict[int, SiteSpaceCounts]:
    """Active spaces per site and kind; a site without any is absent."""
    rows = await session.execute(
        select(Space.site_id, Space.kind, func.count(Space.id))
        .where(Space.active.is_(True))
        .group_by(Space.site_id, Space.kind)
    )
    by_site: dict[int, dict[SpaceKind, int]] = {}
    for site_id, kind, count in rows:
        by_site.setdefault(site_id, {})[SpaceKind(kind)] = count
    return {
        site_id: SiteSpaceCounts(
            desks=kinds.get(SpaceKind.DESK, 0) + kinds.get(SpaceKind.QUIET_DESK, 0),
            quiet_desks=kinds.get(SpaceKind.QUIET_DESK, 0),
            meeting_rooms=kinds.get(SpaceKind.MEETING_ROOM, 0),
            resident_rooms=kinds.get(SpaceKind.RESIDENT_ROOM, 0),
        )
        for site_id, kinds in by_site.items()
    }


async def restricted_team_names(
    session: AsyncSession, spaces: Sequence[Space]
) -> dict[int, list[str]]:
    """The names of the teams each restricted space is reserved for, by space."""
    needed = {team_id for space in spaces for team_id in space.team_ids}
    if not needed:
        return {}
    rows = await session.execute(select(Team.id, Team.name).where(Team.id.in_(needed)))
    team_names = {team_id: name for team_id, name in rows}
    return {
        space.id: sorted(team_names[team_id] for team_id in space.team_ids)
        for space in spaces
        if space.team_ids
    }


async def get_site(session: AsyncSession, site_id: int) -> Site:
    site = await session.get(Site, site_id)
    if site is None:
        raise NotFound(_("No such site."), field="site")
    return site


def opening_hours_field(weekday: int) -> str:
    """The field a weekday's opening hours are refused on, so a form marks that day."""
    return f"opening_hours.{weekday}"


def opening_hours_problems(hours: Iterable[OpeningHoursIn]) -> list[InvalidInput]:
    """Each day whose opening time is not before its closing time, named by its field."""
    return [
        InvalidInput(
            _(
                "On %(day)s the opening time must be before the closing time.",
                day=_(WEEKDAY_NAMES[entry.weekday]),
            ),
            field=opening_hours_field(entry.weekday),
        )
        for entry in hours
        if entry.opens >= entry.closes
    ]


def _validate_opening_hours(hours: list[OpeningHoursIn]) -> None:
    weekdays = [entry.weekday for entry in hours]
    if len(set(weekdays)) < len(weekdays):
        raise InvalidInput(_("A weekday is listed twice."), field="opening_hours")
    refuse_all(opening_hours_problems(hours))


async def save_site(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    data: SiteIn,
    site_id: int | None = None,
) -> Site:
    actor.require(Role.FACILITIES)
    # The split need not fall within every day's hours: a day closing at or before it is
    # open only in the morning, one opening at or after it only in the afternoon
    # (``day_part_window``), as a village hall open on Friday mornings is.
    _validate_opening_hours(data.opening_hours)
    name = required_name(data.name)
    clash = select(Site.id).where(func.lower(Site.name) == name.lower())
    if site_id is not None:
        clash = clash.where(Site.id != site_id)
    if (await session.execute(clash)).first() is not None:
        raise Conflict(_("A site with this name already exists."), field="name", code="name_taken")
    site = Site() if site_id is None else await get_site(session, site_id)
    before = None if site_id is None else msgspec.structs.asdict(site_out(site))
    site.name = name
    site.kind = data.kind.value
    site.address = data.address
    site.city = data.city
    site.day_split = data.day_split
    site.max_days_ahead = data.max_days_ahead
    site.capacity_cap_percent = data.capacity_cap_percent
    site.observe_public_holidays = data.observe_public_holidays
    site.opening_hours = [
        OpeningHours(weekday=h.weekday, opens=h.opens, closes=h.closes)
        for h in sorted(data.opening_hours, key=lambda h: h.weekday)
    ]
    site.active = data.active
    if site_id is None:
        site.timezone = "Europe/Amsterdam"
    session.add(site)
    await session.flush()
    after = msgspec.structs.asdict(site_out(site))
    await record_saved(
        session, clock, actor.id, "site", before, after, name=site.name, active=site.active
    )
    return site


# --- floors -------------------------------------------------------------------------------


async def list_floors(session: AsyncSession, site_id: int) -> Sequence[Floor]:
    await get_site(session, site_id)
    return (
        (
            await session.execute(
                select(Floor).where(Floor.site_id == site_id).order_by(Floor.level, Floor.name)
            )
        )
        .scalars()
        .all()
    )


async def get_floor(session: AsyncSession, floor_id: int) -> Floor:
    floor = await session.get(Floor, floor_id)
    if floor is None:
        raise NotFound(_("No such floor."), field="floor")
    return floor


async def _free_floor_name(
    session: AsyncSession, site_id: int, name: str, floor_id: int | None = None
) -> str:
    """``name`` as a floor's, if no other floor of the site has it (in any case): two
    floors of one name could not be told apart in the space form or the plans."""
    name = required_name(name)
    clash = select(Floor.id).where(Floor.site_id == site_id, func.lower(Floor.name) == name.lower())
    if floor_id is not None:
        clash = clash.where(Floor.id != floor_id)
    if (await session.execute(clash)).first() is not None:
        raise Conflict(
            _("This site already has a floor with this name."), field="name", code="name_taken"
        )
    return name


def _zone_names(names: Iterable[str]) -> list[str]:
    """A floor's zones as given, each once whatever its case (the first spelling kept)."""
    zones: dict[str, str] = {}
    for name in names:
        zone = required_name(name, "zones")
        zones.setdefault(zone.lower(), zone)
    return list(zones.values())


async def create_floor(
    session: AsyncSession, clock: Clock, actor: CurrentUser, site_id: int, data: FloorIn
) -> Floor:
    actor.require(Role.FACILITIES)
    await get_site(session, site_id)
    name = await _free_floor_name(session, site_id, data.name)
    floor = Floor(site_id=site_id, name=name, level=data.level)
    floor.zones = [Zone(name=zone) for zone in _zone_names(data.zones)]
    session.add(floor)
    await session.flush()
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="create",
        object_type="floor",
        object_id=floor.id,
        name=floor.name,
    )
    await session.refresh(floor, ["zones"])
    return floor


def _floor_fields(floor: Floor) -> dict[str, Any]:
    return {
        "id": floor.id,
        "name": floor.name,
        "level": floor.level,
        "zones": sorted(zone.name for zone in floor.zones),
    }


async def update_floor(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    site_id: int,
    floor_id: int,
    data: FloorIn,
) -> Floor:
    """Rename a floor, change its level and its zones: a zone named again (in any case)
    keeps its spaces, a new name adds one, and one left out is removed if no space is in
    it."""
    actor.require(Role.FACILITIES)
    floor = await get_floor(session, floor_id)
    if floor.site_id != site_id:
        raise NotFound(_("No such floor."), field="floor")
    name = await _free_floor_name(session, site_id, data.name, floor_id)
    wanted = _zone_names(data.zones)
    current = {zone.name.lower(): zone for zone in floor.zones}
    left_out = [zone.id for key, zone in current.items() if key not in {w.lower() for w in wanted}]
    if left_out:
        in_use = (
            select(Zone.name).join(Space, Space.zone_id == Zone.id).where(Zone.id.in_(left_out))
        )
        used = sorted(set((await session.execute(in_use)).scalars()))
        if used:
            raise InvalidInput(
                _(
                    "A zone that still has spaces cannot be removed: %(zones)s. "
                    "Give those spaces another zone first.",
                    zones=", ".join(used),
                ),
                field="zones",
            )
    before = _floor_fields(floor)
    floor.name = name
    floor.level = data.level
    floor.zones = [current.get(zone.lower()) or Zone(name=zone) for zone in wanted]
    await session.flush()
    await session.refresh(floor, ["zones"])
    await record_saved(
        session, clock, actor.id, "floor", before, _floor_fields(floor), name=floor.name
    )
    return floor


async def count_spaces_on_floor(session: AsyncSession, floor_id: int) -> int:
    """How many spaces (in use or not) are on the floor: while any is, it cannot go."""
    statement = select(func.count(Space.id)).where(Space.floor_id == floor_id)
    return int((await session.execute(statement)).scalar_one())


def floor_in_use_message(spaces: int) -> str:
    """Why a floor with ``spaces`` on it is not removed."""
    return ngettext(
        "This floor still has %(count)s space; give it another floor first.",
        "This floor still has %(count)s spaces; give them another floor first.",
        spaces,
    )


async def delete_floor(
    session: AsyncSession, clock: Clock, actor: CurrentUser, site_id: int, floor_id: int
) -> None:
    """Remove a floor with its zones and floor plan, if no space is on it (in use or not).
    A space's bookings and figures are kept by floor, so its spaces must move first; a
    floor that never had one, or whose spaces all moved, goes."""
    actor.require(Role.FACILITIES)
    floor = await get_floor(session, floor_id)
    if floor.site_id != site_id:
        raise NotFound(_("No such floor."), field="floor")
    on_floor = await count_spaces_on_floor(session, floor_id)
    if on_floor:
        raise Conflict(
            floor_in_use_message(on_floor),
            field="floor",
            code="floor_in_use",
            spaces=on_floor,
        )
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="delete",
        object_type="floor",
        object_id=floor.id,
        name=floor.name,
        site_id=site_id,
    )
    await session.delete(floor)
    await session.flush()


# --- spaces -------------------------------------------------------------------------------


async def list_spaces(
    session: AsyncSession,
    *,
    site_id: int | None = None,
    floor_id: int | None = None,
    kinds: Sequence[SpaceKind] | None = None,
    include_inactive: bool = False,
    containing: str = "",
) -> Sequence[Space]:
    """Spaces by site and name; ``containing``: those whose name contains it, in any case."""
    statement = select(Space).order_by(Space.site_id, Space.name)
    if (named := any_contains(search_text(containing), Space.name)) is not None:
        statement = statement.where(named)
    if site_id is not None:
        statement = statement.where(Space.site_id == site_id)
    if floor_id is not None:
        statement = statement.where(Space.floor_id == floor_id)
    if kinds:
        statement = statement.where(Space.kind.in_([kind.value for kind in kinds]))
    if not include_inactive:
        statement = statement.where(Space.active.is_(True))
    return (await session.execute(statement)).scalars().all()


def floor_among(floors: Sequence[Floor], floor_id: int | None) -> int | None:
    """``floor_id`` if it is one of ``floors`` (a site's), else None for all floors: a
    floor left in the address after the site was changed would mislabel what is shown."""
    return floor_id if floor_id in {floor.id for floor in floors} else None


T = TypeVar("T")


def by_floor(
    items: Iterable[T], floors: Sequence[Floor], floor_of: Callable[[T], int | None]
) -> list[tuple[Floor | None, list[T]]]:
    """``items`` floor by floor in the order of ``floors``, then (under None) those on no
    floor; each group keeps the order of ``items``, and a floor without any is left out.
    A site's hundreds of desks or rooms in one list would not show where each one is."""
    on_floor: dict[int | None, list[T]] = {}
    for item in items:
        on_floor.setdefault(floor_of(item), []).append(item)
    groups: list[tuple[Floor | None, list[T]]] = [
        (floor, on_floor.pop(floor.id)) for floor in floors if floor.id in on_floor
    ]
    elsewhere = [item for rest in on_floor.values() for item in rest]
    return [*groups, (None, elsewhere)] if elsewhere else groups


async def get_space(session: AsyncSession, space_id: int) -> Space:
    space = await session.get(Space, space_id)
    if space is None:
        raise NotFound(_("No such space."), field="space")
    return space


async def _validate_space(session: AsyncSession, data: SpaceIn) -> None:
    if await session.get(Site, data.site_id) is None:
        raise InvalidInput(_("No such site."), field="site_id")
    if data.floor_id is not None:
        floor = await session.get(Floor, data.floor_id)
        if floor is None or floor.site_id != data.site_id:
            raise InvalidInput(_("This floor is not part of the site."), field="floor_id")
    if data.zone_id is not None:
        zone = await session.get(Zone, data.zone_id)
        if zone is None or zone.floor_id != data.floor_id:
            raise InvalidInput(_("This zone is not part of the floor."), field="zone_id")
    if data.kind.is_desk and data.capacity != 1:
        raise InvalidInput(_("A desk seats exactly one person."), field="capacity")
    if data.safety_features and data.kind != SpaceKind.RESIDENT_ROOM:
        raise InvalidInput(
            _("Safety features are recorded for resident rooms only."), field="safety_features"
        )
    if data.team_ids:
        found = set(
            (await session.execute(select(Team.id).where(Team.id.in_(data.team_ids)))).scalars()
        )
        if set(data.team_ids) - found:
            raise InvalidInput(_("Unknown team."), field="team_ids")


async def save_space(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    data: SpaceIn,
    space_id: int | None = None,
) -> Space:
    actor.require(Role.FACILITIES)
    await _validate_space(session, data)
    name = required_name(data.name)
    clash = select(Space.id).where(
        Space.site_id == data.site_id, func.lower(Space.name) == name.lower()
    )
    if space_id is not None:
        clash = clash.where(Space.id != space_id)
    if (await session.execute(clash)).first() is not None:
        raise Conflict(
            _("This site already has a space with this name."), field="name", code="name_taken"
        )
    space = Space() if space_id is None else await get_space(session, space_id)
    before = None if space_id is None else msgspec.structs.asdict(space_out(space))
    if space_id is not None and space.kind != data.kind.value:
        raise InvalidInput(_("The kind of an existing space cannot change."), field="kind")
    if space_id is not None and space.site_id != data.site_id:
        # Its bookings and closures belong to its site: add it at the other site instead.
        raise InvalidInput(
            _("A space stays at its site; add it at the other site as a new space."),
            field="site_id",
        )
    if space.floor_id != data.floor_id:
        space.pos_x = space.pos_y = None  # its place on the old floor's plan means nothing
    space.site_id = data.site_id
    space.floor_id = data.floor_id
    space.zone_id = data.zone_id
    space.name = name
    space.kind = data.kind.value
    space.capacity = data.capacity
    space.amenities = sorted({a.value for a in data.amenities})
    space.safety_features = sorted({f.value for f in data.safety_features})
    space.requires_approval = data.requires_approval
    space.active = data.active
    space.restricted_to = [SpaceTeam(team_id=team_id) for team_id in sorted(set(data.team_ids))]
    session.add(space)
    await session.flush()
    after = msgspec.structs.asdict(space_out(space))
    # Taking a space out of use shows in the log.
    await record_saved(
        session, clock, actor.id, "space", before, after, name=space.name, active=space.active
    )
    return space


# --- closures, holidays and opening hours -------------------------------------------------


#: How far back a closure may be recorded afterwards (the occupancy figures leave closed
#: days out), and how far ahead it may reach.
CLOSURE_MAX_PAST = timedelta(days=366)
CLOSURE_MAX_AHEAD = timedelta(days=5 * 365)


async def add_closure(
    session: AsyncSession, clock: Clock, actor: CurrentUser, site_id: int, data: ClosureIn
) -> Closure:
    actor.require(Role.FACILITIES)
    await get_site(session, site_id)
    if data.ends_on < data.starts_on:
        raise InvalidInput(_("The end date is before the start date."), field="ends_on")
    today = local_today(clock)
    if data.starts_on < today - CLOSURE_MAX_PAST:
        raise InvalidInput(
            _("A closure can start at most a year ago (to correct the figures)."),
            field="starts_on",
        )
    if data.ends_on > today + CLOSURE_MAX_AHEAD:
        raise InvalidInput(
            _(
                "A closure can end at most five years ahead; "
                "for longer, take the site or space out of use."
            ),
            field="ends_on",
        )
    if data.space_id is not None:
        space = await session.get(Space, data.space_id)
        if space is None or space.site_id != site_id:
            raise InvalidInput(_("This space is not part of the site."), field="space_id")
    same_place = (
        Closure.space_id.is_(None) if data.space_id is None else Closure.space_id == data.space_id
    )
    covering = select(Closure).where(
        Closure.site_id == site_id,
        same_place,
        Closure.starts_on <= data.starts_on,
        Closure.ends_on >= data.ends_on,
    )
    if (existing := (await session.execute(covering.limit(1))).scalar()) is not None:
        # Nothing more would close; a form sent twice would list the closure twice.
        raise Conflict(
            _("This day is already closed (%(day)s).", day=short_date(existing.starts_on))
            if existing.starts_on == existing.ends_on
            else _(
                "These days are already closed (%(first)s – %(last)s).",
                first=short_date(existing.starts_on),
                last=short_date(existing.ends_on),
            ),
            field="starts_on",
            code="already_closed",
        )
    closure = Closure(
        site_id=site_id,
        space_id=data.space_id,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        reason=data.reason,
    )
    session.add(closure)
    await session.flush()
    await _record_closure(session, clock, actor, "create", closure)
    return closure


async def _record_closure(
    session: AsyncSession, clock: Clock, actor: CurrentUser, action: str, closure: Closure
) -> None:
    """Audit a closure added or removed with what it closed: which days, where and why."""
    await record(
        session,
        clock,
        actor_id=actor.id,
        action=action,
        object_type="closure",
        object_id=closure.id,
        site_id=closure.site_id,
        space_id=closure.space_id,
        starts_on=closure.starts_on.isoformat(),
        ends_on=closure.ends_on.isoformat(),
        closure_reason=closure.reason,
    )


async def list_closures(
    session: AsyncSession, site_id: int, *, from_date: date | None = None
) -> Sequence[Closure]:
    statement = select(Closure).where(Closure.site_id == site_id).order_by(Closure.starts_on)
    if from_date is not None:
        statement = statement.where(Closure.ends_on >= from_date)
    return (await session.execute(statement)).scalars().all()


async def earlier_closures(session: AsyncSession, site_id: int, today: date) -> Sequence[Closure]:
    """The closures that ended before ``today`` and began at most as long ago as one may be
    added (a year: to correct the figures), the latest first."""
    statement = (
        select(Closure)
        .where(
            Closure.site_id == site_id,
            Closure.ends_on < today,
            Closure.starts_on >= today - CLOSURE_MAX_PAST,
        )
        .order_by(Closure.starts_on.desc(), Closure.id.desc())
    )
    return (await session.execute(statement)).scalars().all()


async def delete_closure(
    session: AsyncSession, clock: Clock, actor: CurrentUser, site_id: int, closure_id: int
) -> None:
    actor.require(Role.FACILITIES)
    closure = await session.get(Closure, closure_id)
    if closure is None or closure.site_id != site_id:
        raise NotFound(_("No such closure."))
    await _record_closure(session, clock, actor, "delete", closure)
    await session.execute(delete(Closure).where(Closure.id == closure_id))


@lru_cache(maxsize=64)
def _public_holidays(year: int, language: str) -> dict[date, str]:
    names = holidays.country_holidays("NL", years=year, language=language)
    return dict(names.items())


def public_holiday(day: date) -> str | None:
    """The Dutch public holiday on ``day`` in the current language, if any."""
    language = "en_US" if current_language() == "en" else "nl"
    return _public_holidays(day.year, language).get(day)


def is_public_holiday(day: date) -> bool:
    """Whether ``day`` is a Dutch public holiday (the dates are the same in every
    language: no need to look the current one up, as ``public_holiday`` does)."""
    return day in _public_holidays(day.year, "nl")


def is_working_day(day: date) -> bool:
    """Monday to Friday, and not a Dutch public holiday."""
    return day.weekday() <= calendar.FRIDAY and not is_public_holiday(day)


@dataclass(frozen=True)
class SiteDay:
    day: date
    opens: time | None
    closes: time | None
    reason: str | None

    @property
    def is_open(self) -> bool:
        return self.opens is not None


_CLOSURES_BETWEEN = select(Closure).where(
    Closure.site_id == bindparam("site_id"),
    Closure.starts_on <= bindparam("last"),
    Closure.ends_on >= bindparam("first"),
)
_SITE_CLOSURES_BETWEEN = _CLOSURES_BETWEEN.where(Closure.space_id.is_(None))
_SITE_AND_SPACE_CLOSURES_BETWEEN = _CLOSURES_BETWEEN.where(
    or_(Closure.space_id.is_(None), Closure.space_id == bindparam("space_id"))
)


async def closures_between(
    session: AsyncSession, site_id: int, first: date, last: date, *, space_id: int | None = None
) -> Sequence[Closure]:
    """The closures of the site (and with ``space_id`` of that space) on any day from
    ``first`` to ``last``."""
    parameters = {"site_id": site_id, "first": first, "last": last, "space_id": space_id}
    statement = _SITE_CLOSURES_BETWEEN if space_id is None else _SITE_AND_SPACE_CLOSURES_BETWEEN
    return (await session.execute(statement, parameters)).scalars().all()


async def closures_on(session: AsyncSession, site_id: int, day: date) -> Sequence[Closure]:
    """Every closure at the site on ``day``: the site's own and its spaces'."""
    parameters = {"site_id": site_id, "first": day, "last": day}
    return (await session.execute(_CLOSURES_BETWEEN, parameters)).scalars().all()


def site_day(site: Site, day: date, closures: Sequence[Closure]) -> SiteDay:
    """Is the site open on ``day``; if not, why (closure, holiday, closed weekday)."""
    for closure in closures:
        if closure.starts_on <= day <= closure.ends_on and closure.space_id is None:
            return SiteDay(day, None, None, closure.reason or _("Closed"))
    if site.observe_public_holidays:
        holiday = public_holiday(day)
        if holiday:
            return SiteDay(day, None, None, holiday)
    hours = next((h for h in site.opening_hours if h.weekday == day.weekday()), None)
    if hours is None:
        return SiteDay(day, None, None, _("Closed on this weekday"))
    return SiteDay(day, hours.opens, hours.closes, None)


async def site_day_for(session: AsyncSession, site: Site, day: date) -> SiteDay:
    return site_day(site, day, await closures_between(session, site.id, day, day))


def site_day_out(day: SiteDay) -> SiteDayOut:
    return SiteDayOut(
        date=day.day, open=day.is_open, opens=day.opens, closes=day.closes, reason=day.reason
    )


def local_to_utc(site: Site, day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(site.timezone)).astimezone(UTC)


def day_part_window(site: Site, day: SiteDay, part: DayPart) -> tuple[datetime, datetime]:
    """The [start, end) instants in UTC of a day part at a site, from its hours that day."""
    if day.opens is None or day.closes is None:
        raise InvalidInput(_("The site is closed on this day."), field="date")
    split = min(max(site.day_split, day.opens), day.closes)
    start, end = {
        DayPart.MORNING: (day.opens, split),
        DayPart.AFTERNOON: (split, day.closes),
        DayPart.DAY: (day.opens, day.closes),
    }[part]
    return local_to_utc(site, day.day, start), local_to_utc(site, day.day, end)


def space_closed_on(closures: Sequence[Closure], space_id: int, day: date) -> Closure | None:
    return next(
        (c for c in closures if c.space_id == space_id and c.starts_on <= day <= c.ends_on),
        None,
    )


def is_bookable_by(space: Space, user: CurrentUser) -> bool:
    """Restricted spaces are for their teams (and facilities/admins who manage them)."""
    return teams_admit(space.team_ids, user)


def teams_admit(team_ids: Iterable[int], user: CurrentUser) -> bool:
    """Whether a space restricted to ``team_ids`` (none: open to all) is for ``user``."""
    teams = set(team_ids)
    return not teams or bool(teams & user.team_ids) or user.has_role(Role.FACILITIES)
