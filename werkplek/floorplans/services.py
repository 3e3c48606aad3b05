"""Floor plans: uploading a plan, placing spaces on it, and the state of its desks and
rooms on a date.

Positions are fractions of the plan (``spaces.pos_x``/``pos_y``). The state of the
desks comes from ``bookings.availability.desk_availability`` and that of the rooms from
``bookings.availability.room_availability`` (the booking rules stay there); finding a
colleague's desk uses the presence search and its privacy rule (a hidden desk is shown
only to its owner and admins).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.audit.services import record
from werkplek.bookings import favourites
from werkplek.bookings import services as bookings
from werkplek.bookings.availability import (
    desk_availability,
    first_day_part,
    interval_out,
    room_availability,
    sites_with_spaces,
)
from werkplek.bookings.schemas import DayPartWindow, IntervalOut, RoomStatusOut
from werkplek.clock import Clock
from werkplek.config import Settings
from werkplek.errors import InvalidInput, NotFound
from werkplek.floorplans.images import check_plan_file
from werkplek.floorplans.models import FloorPlan
from werkplek.floorplans.schemas import (
    DeskStateOut,
    FloorPlanOut,
    PlanSpaceOut,
    PlanState,
    PlanStateOut,
    PositionIn,
    PositionOut,
    RoomPlanState,
    RoomStateOut,
)
from werkplek.i18n import N_, _, ngettext
from werkplek.people.models import Role
from werkplek.people.services import CurrentUser
from werkplek.presence import finder
from werkplek.presence import services as presence
from werkplek.rooms.models import Amenity, Floor, Site, Space, SpaceKind
from werkplek.rooms.services import DayPart, get_floor, get_space, list_floors, list_sites

PLAN_STATES: dict[str, PlanState] = {
    "free": "free",
    "yours": "mine",
    "taken": "taken",
    "restricted": "restricted",
    "closed": "blocked",
    "past": "blocked",
    "full": "blocked",
}
"""The availability status of a desk (bookings) as the plan draws it."""

ROOM_PLAN_STATES: dict[str, RoomPlanState] = {
    "free": "free",
    "busy": "busy",
    "yours": "mine",
    "restricted": "restricted",
    "closed": "blocked",
    "past": "blocked",
}
"""The status of a room on the plan (see ``room_state``) as the plan draws it."""


def image_url(floor_id: int, sha256: str) -> str:
    """The plan's address; the hash in it changes with the plan, so caches stay right."""
    return f"/api/floors/{floor_id}/plan/image?v={sha256[:16]}"


# --- plans --------------------------------------------------------------------------------


async def find_plan(session: AsyncSession, floor_id: int) -> FloorPlan | None:
    plan: FloorPlan | None = await session.get(FloorPlan, floor_id)
    return plan


async def get_plan(session: AsyncSession, floor_id: int) -> FloorPlan:
    """The plan of a floor; 404 when the floor has none."""
    await get_floor(session, floor_id)
    plan = await find_plan(session, floor_id)
    if plan is None:
        raise NotFound(_("This floor has no plan yet."), field="floor")
    return plan


async def floors_with_plans(session: AsyncSession, site_id: int) -> set[int]:
    rows = await session.execute(
        select(FloorPlan.floor_id)
        .join(Floor, Floor.id == FloorPlan.floor_id)
        .where(Floor.site_id == site_id)
    )
    return set(rows.scalars())


@dataclass(frozen=True)
class FloorChoice:
    """The employee plan's picker: the sites with desks or rooms, the chosen site and
    its floors, the chosen floor, and which of those floors have a plan."""

    sites: list[Site]
    site: Site | None
    floors: list[Floor]
    floor: Floor | None
    planned: set[int]


async def choose_floor(
    session: AsyncSession,
    site_id: int | None,
    floor_id: int | None,
    person_id: int | None = None,
) -> FloorChoice:
    """The sites and floors the plan offers, with the chosen site and floor: asked for
    neither, where ``person_id`` usually sits (``favourites.usual_place``; its floor if it
    has a plan), else the first site and floor with a plan. A site counts when it has desks
    or rooms (meeting rooms, resident rooms): a floor with only rooms is a plan to book
    from too."""
    usual = None
    if site_id is None and floor_id is None and person_id is not None:
        usual = await favourites.usual_place(session, person_id)
        site_id = usual.site_id if usual is not None else None
    if floor_id is not None and site_id is None:
        chosen = await session.get(Floor, floor_id)
        site_id = chosen.site_id if chosen is not None else None
    with_spaces = await sites_with_spaces(session, (*bookings.DESK_KINDS, *bookings.ROOM_KINDS))
    sites = [site for site in await list_sites(session) if site.id in with_spaces]
    site = next((s for s in sites if s.id == site_id), None)
    planned: set[int] = set()
    floors: list[Floor] = []
    if site is None:
        for candidate in sites:
            planned = await floors_with_plans(session, candidate.id)
            if planned:
                site = candidate
                break
        else:
            site = sites[0] if sites else None
    if site is not None:
        floors = list(await list_floors(session, site.id))
        planned = planned or await floors_with_plans(session, site.id)
    usual_floor_id = usual.floor_id if usual is not None and usual.floor_id in planned else None
    floor = next((f for f in floors if f.id in (floor_id, usual_floor_id)), None) or next(
        (f for f in floors if f.id in planned), floors[0] if floors else None
    )
    return FloorChoice(sites, site, floors, floor, planned)


async def spaces_on_floor(session: AsyncSession, floor_id: int) -> Sequence[Space]:
    return (
        (
            await session.execute(
                select(Space)
                .where(Space.floor_id == floor_id, Space.active.is_(True))
                .order_by(Space.name, Space.id)
            )
        )
        .scalars()
        .all()
    )


async def plan_out(session: AsyncSession, floor_id: int) -> FloorPlanOut:
    floor = await get_floor(session, floor_id)
    plan = await find_plan(session, floor_id)
    spaces = await spaces_on_floor(session, floor_id)
    return FloorPlanOut(
        floor_id=floor.id,
        site_id=floor.site_id,
        floor_name=floor.name,
        has_plan=plan is not None,
        content_type=plan.content_type if plan else None,
        width=plan.width if plan else None,
        height=plan.height if plan else None,
        size_bytes=plan.size_bytes if plan else None,
        sha256=plan.sha256 if plan else None,
        uploaded_at=plan.uploaded_at if plan else None,
        image_url=image_url(floor.id, plan.sha256) if plan else None,
        spaces=[
            PlanSpaceOut(
                space_id=space.id,
                name=space.name,
                kind=SpaceKind(space.kind),
                x=space.pos_x,
                y=space.pos_y,
            )
            for space in spaces
        ],
    )


async def upload_plan(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    actor: CurrentUser,
    floor_id: int,
    payload: bytes,
) -> FloorPlan:
    """Store a checked plan for a floor, replacing the old one; a bad file changes nothing."""
    actor.require(Role.FACILITIES)
    await get_floor(session, floor_id)
    checked = check_plan_file(payload, settings.floor_plan_max_kb * 1024)
    plan = await find_plan(session, floor_id) or FloorPlan(floor_id=floor_id)
    plan.content_type = checked.content_type
    plan.data = checked.data
    plan.sha256 = hashlib.sha256(checked.data).hexdigest()
    plan.size_bytes = len(checked.data)
    plan.width = checked.width
    plan.height = checked.height
    plan.uploaded_at = clock.now()
    plan.uploaded_by_id = actor.id
    session.add(plan)
    await session.flush()
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="upload",
        object_type="floor_plan",
        object_id=floor_id,
        content_type=plan.content_type,
        size=plan.size_bytes,
        sha256=plan.sha256,
    )
    return plan


async def delete_plan(
    session: AsyncSession, clock: Clock, actor: CurrentUser, floor_id: int
) -> None:
    """Remove a floor's plan; the spaces keep their positions for the next plan."""
    actor.require(Role.FACILITIES)
    plan = await get_plan(session, floor_id)
    await session.delete(plan)
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="delete",
        object_type="floor_plan",
        object_id=floor_id,
    )


# --- positions ----------------------------------------------------------------------------


def position_out(space: Space) -> PositionOut:
    return PositionOut(space_id=space.id, floor_id=space.floor_id, x=space.pos_x, y=space.pos_y)


async def set_position(
    session: AsyncSession, clock: Clock, actor: CurrentUser, space_id: int, data: PositionIn
) -> Space:
    """Place (or move) a space on its floor's plan."""
    actor.require(Role.FACILITIES)
    space = await get_space(session, space_id)
    if space.floor_id is None:
        raise InvalidInput(_("This space is on no floor; give it a floor first."), field="space_id")
    if await find_plan(session, space.floor_id) is None:
        raise InvalidInput(_("This floor has no plan yet."), field="space_id")
    for name, value in (("x", data.x), ("y", data.y)):
        if not 0.0 <= value <= 1.0:
            raise InvalidInput(_("A position lies between 0 and 1."), field=name)
    space.pos_x = round(data.x, 4)
    space.pos_y = round(data.y, 4)
    await session.flush()
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="place",
        object_type="space",
        object_id=space.id,
        x=space.pos_x,
        y=space.pos_y,
    )
    return space


async def clear_position(
    session: AsyncSession, clock: Clock, actor: CurrentUser, space_id: int
) -> Space:
    """Take a space off the plan (it stays bookable from the lists)."""
    actor.require(Role.FACILITIES)
    space = await get_space(session, space_id)
    space.pos_x = None
    space.pos_y = None
    await session.flush()
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="unplace",
        object_type="space",
        object_id=space.id,
    )
    return space


# --- the plan on a date -------------------------------------------------------------------


@dataclass(frozen=True)
class PlanInfo:
    """What drawing a plan needs, without its bytes."""

    sha256: str
    width: float
    height: float
    content_type: str

    def url(self, floor_id: int) -> str:
        return image_url(floor_id, self.sha256)


@dataclass(frozen=True)
class FloorState:
    floor: Floor
    site: Site
    plan: PlanInfo | None
    out: PlanStateOut
    #: Why nothing can be booked on the day: it has passed or lies beyond the horizon.
    not_bookable: str | None = None

    @property
    def placed(self) -> list[DeskStateOut]:
        return [desk for desk in self.out.desks if desk.x is not None and desk.y is not None]

    @property
    def matching(self) -> list[DeskStateOut]:
        """The desks with every amenity asked for (all desks when none was)."""
        return [desk for desk in self.out.desks if desk.matches]

    @property
    def unplaced(self) -> list[DeskStateOut]:
        return [desk for desk in self.out.desks if desk.x is None or desk.y is None]

    @property
    def placed_rooms(self) -> list[RoomStateOut]:
        return [room for room in self.out.rooms if room.x is not None and room.y is not None]


def _etag(
    plan: PlanInfo | None,
    day: date,
    part: DayPart,
    desks: list[DeskStateOut],
    rooms: list[RoomStateOut],
) -> str:
    """A tag of everything the live layer draws; it leaves out the free times, which
    start at "now" on the current day and would change the tag on every poll."""
    digest = hashlib.sha256()
    digest.update(f"{plan.sha256 if plan else '-'}|{day.isoformat()}|{part.value}".encode())
    for desk in desks:
        digest.update(
            f"|{desk.space_id}:{desk.x}:{desk.y}:{desk.status}:{desk.name}:{desk.matches}"
            f":{','.join(str(holder.person_id) for holder in desk.held_by)}".encode()
        )
    for room in rooms:
        digest.update(
            f"|r{room.space_id}:{room.x}:{room.y}:{room.status}:{room.since}:{room.until}"
            f":{room.name}:{room.capacity}".encode()
        )
    return digest.hexdigest()[:32]


async def floor_state(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    floor_id: int,
    day: date,
    part: DayPart | None,
    amenities: Sequence[Amenity] = (),
) -> FloorState:
    """Each desk and room of a floor with its state for the actor, on ``day`` in day
    part ``part`` (None: the part a page starts on, ``bookings.availability.first_day_part``).
    Every desk stays on the plan; those lacking one of ``amenities`` are marked as
    not matching, so the plan can dim them where they stand.

    The availability queries of the bookings (a fixed number for any number of desks
    and rooms; the rooms' on the site and day the desks' loaded) plus one for the
    positions and one for the plan's hash: nine queries, cheap enough to poll.
    """
    floor = await get_floor(session, floor_id)
    availability = await desk_availability(
        session, clock, actor, floor.site_id, day, floor_id=floor.id
    )
    rooms_availability = await room_availability(
        session,
        clock,
        actor,
        floor.site_id,
        day,
        floor_id=floor.id,
        site_and_day=(availability.site, availability.day),
    )
    part = part or first_day_part(availability, clock.now())
    positions = {
        row.id: (row.pos_x, row.pos_y)
        for row in await session.execute(
            select(Space.id, Space.pos_x, Space.pos_y).where(Space.floor_id == floor.id)
        )
    }
    plan_row = (
        await session.execute(
            select(
                FloorPlan.sha256, FloorPlan.width, FloorPlan.height, FloorPlan.content_type
            ).where(FloorPlan.floor_id == floor.id)
        )
    ).first()
    plan = PlanInfo(*plan_row) if plan_row is not None else None
    wanted = set(amenities)
    desks = []
    for desk in availability.desks:
        status = {
            DayPart.MORNING: desk.morning,
            DayPart.AFTERNOON: desk.afternoon,
            DayPart.DAY: desk.day,
        }[part]
        x, y = positions.get(desk.space_id, (None, None))
        holders = {
            DayPart.MORNING: [desk.morning_holder],
            DayPart.AFTERNOON: [desk.afternoon_holder],
            DayPart.DAY: [desk.morning_holder, desk.afternoon_holder],
        }[part]
        held_by = list({h.person_id: h for h in holders if h is not None}.values())
        desks.append(
            DeskStateOut(
                space_id=desk.space_id,
                name=desk.name,
                kind=desk.kind,
                amenities=desk.amenities,
                matches=wanted.issubset(desk.amenities),
                x=x,
                y=y,
                state=PLAN_STATES[status],
                status=status,
                held_by=held_by,
            )
        )
    windows = {window.day_part: window for window in availability.windows}
    day_window = windows.get(DayPart.DAY)
    zone = ZoneInfo(availability.site.timezone)
    now = clock.now()
    rooms = [
        room_state(
            room,
            windows.get(part),
            day_window.end if day_window else None,
            now,
            zone,
            positions.get(room.space_id, (None, None)),
        )
        for room in rooms_availability.rooms
    ]
    out = PlanStateOut(
        floor_id=floor.id,
        date=day,
        day_part=part,
        open=availability.day.is_open,
        closed_reason=availability.day.reason,
        etag=_etag(plan, day, part, desks, rooms),
        desks=desks,
        rooms=rooms,
    )
    return FloorState(
        floor=floor,
        site=availability.site,
        plan=plan,
        out=out,
        not_bookable=availability.not_bookable,
    )


# --- rooms on the plan --------------------------------------------------------------------

ROOM_STATUS_TEXT = {
    "free": N_("free from %(start)s to %(end)s"),
    "busy": N_("busy until %(end)s"),
    "yours": N_("booked by you until %(end)s"),
    "closed": N_("closed on this day"),
    "restricted": N_("for other teams"),
    "past": N_("over"),
}


def room_state(
    room: RoomStatusOut,
    window: DayPartWindow | None,
    closes: datetime | None,
    now: datetime,
    zone: ZoneInfo,
    position: tuple[float | None, float | None],
) -> RoomStateOut:
    """A room's state in a day part, read from its busy and free times (the room
    availability of the bookings, which applies closures, teams and opening hours).

    The moment that counts is the start of the day part, or now once it has begun: a
    free room is free from the end of the booking before it (or the day part's start)
    until the next booking (or the day part's end); a busy one is busy until its next
    free time (or closing time). These edges are bookings and hours, not "now", so the
    state stays the same between polls.
    """
    since: datetime | None = None
    until: datetime | None = None
    free: list[IntervalOut] = []
    if room.closed or window is None or closes is None:
        status = "closed"
    elif not room.bookable:
        status = "restricted"
    elif window.end <= now:
        status = "past"
    else:
        moment = max(window.start, now)
        free = [
            interval_out(start, end, zone)
            for start, end in (
                (max(i.start, window.start), min(i.end, window.end)) for i in room.free
            )
            if end > start
        ]
        current = next((i for i in room.free if i.start <= moment < i.end), None)
        if current is not None:
            status = "free"
            since = max([window.start, *(b.end for b in room.busy if b.end <= moment)])
            until = min(current.end, window.end)
        else:
            holders = [b for b in room.busy if b.start <= moment < b.end]
            status = "yours" if any(b.yours for b in holders) else "busy"
            until = next((i.start for i in room.free if i.start > moment), closes)
    x, y = position
    return RoomStateOut(
        space_id=room.space_id,
        name=room.name,
        kind=room.kind,
        capacity=room.capacity,
        amenities=room.amenities,
        requires_approval=room.requires_approval,
        x=x,
        y=y,
        state=ROOM_PLAN_STATES[status],
        status=status,
        since=since.astimezone(zone) if since else None,
        until=until.astimezone(zone) if until else None,
        free=free,
    )


def room_status_text(room: RoomStateOut) -> str:
    """A room's state in words: "vrij van 13:00 tot 17:00", "bezet tot 14:30"."""
    return _(
        ROOM_STATUS_TEXT[room.status],
        start=room.since.strftime("%H:%M") if room.since else "",
        end=room.until.strftime("%H:%M") if room.until else "",
    )


def room_label(room: RoomStateOut) -> str:
    """A room's accessible name on the plan:
    "Vergaderruimte Dijk (8 personen): vrij van 13:00 tot 17:00"."""
    return _(
        "%(room)s (%(people)s): %(state)s",
        room=room.name,
        people=ngettext("%(num)s person", "%(num)s people", room.capacity, num=room.capacity),
        state=room_status_text(room),
    )


def room_booking_url(site_id: int, day: date, room: RoomStateOut) -> str | None:
    """The room booking page with this room and day chosen, and as start its first free
    quarter hour in the day part (the form's step); none for a room the viewer cannot
    book that day (closed, or for other teams)."""
    if room.status in ("closed", "restricted"):
        return None
    values: dict[str, object] = {
        "site": site_id,
        "date": day.isoformat(),
        "space_id": room.space_id,
    }
    for interval in room.free:
        start = _quarter_hour_up(interval.local_start)
        if start < interval.local_end:
            values["start"] = start.strftime("%H:%M")
            break
    return f"/book/room?{urlencode(values)}#book-form"


def _quarter_hour_up(moment: datetime) -> datetime:
    over = timedelta(
        minutes=moment.minute % 15, seconds=moment.second, microseconds=moment.microsecond
    )
    return moment - over + timedelta(minutes=15) if over else moment


# --- finding a colleague ------------------------------------------------------------------


@dataclass(frozen=True)
class ColleagueDesk:
    """Where a colleague sits on a date and day part, as far as the viewer may know."""

    person_id: int
    name: str
    space_id: int | None = None
    space_name: str | None = None
    floor_id: int | None = None
    floor_name: str | None = None
    site_name: str | None = None
    hidden: bool = False


def _covers(booked_part: str | None, part: DayPart) -> bool:
    return part is DayPart.DAY or booked_part in (part.value, DayPart.DAY.value)


async def find_colleague_desks(
    session: AsyncSession, viewer: CurrentUser, query: str, day: date, part: DayPart
) -> list[ColleagueDesk]:
    """Colleagues matching ``query`` (name, team or topic) and their desk that day part.

    A desk its holder hides is left out unless the viewer is that person or an admin
    (the presence privacy rule); the answer then says only that it is hidden.
    """
    people = await finder.find_people(session, query)
    if not people:
        return []
    held = [
        booking
        for booking in await bookings.desk_bookings_between(
            session, [person.id for person in people], day, day
        )
        if _covers(booking.day_part, part)
    ]
    places: dict[int, tuple[int | None, str | None, str]] = {}
    space_ids = {booking.space_id for booking in held}
    if space_ids:
        rows = await session.execute(
            select(Space.id, Space.floor_id, Floor.name, Site.name)
            .join(Site, Site.id == Space.site_id)
            .outerjoin(Floor, Floor.id == Space.floor_id)
            .where(Space.id.in_(space_ids))
        )
        places = {row[0]: (row[1], row[2], row[3]) for row in rows}
    found = []
    for person in people:
        booking = next((b for b in held if b.person_id == person.id), None)
        if booking is None:
            found.append(ColleagueDesk(person.id, person.name))
            continue
        visibility = presence.visibility_for(viewer, person)
        if person.hide_desk and visibility is not presence.Visibility.FULL:
            found.append(ColleagueDesk(person.id, person.name, hidden=True))
            continue
        floor_id, floor_name, site_name = places[booking.space_id]
        found.append(
            ColleagueDesk(
                person.id,
                person.name,
                space_id=booking.space_id,
                space_name=booking.space_name,
                floor_id=floor_id,
                floor_name=floor_name,
                site_name=site_name,
            )
        )
    return found
