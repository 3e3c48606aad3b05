from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from werkplek.bookings.schemas import DeskHolderOut, IntervalOut
from werkplek.rooms.models import Amenity, SpaceKind
from werkplek.rooms.services import DayPart

Fraction = Annotated[float, msgspec.Meta(ge=0.0, le=1.0)]

PlanState = Literal["free", "mine", "taken", "blocked", "restricted"]
RoomPlanState = Literal["free", "busy", "mine", "blocked", "restricted"]


class PositionIn(msgspec.Struct, forbid_unknown_fields=True):
    """Where a space sits on its floor's plan: fractions of the plan's width and height
    (0 = left/top, 1 = right/bottom), so a plan at another resolution keeps them."""

    x: Fraction
    y: Fraction


class PlanSpaceOut(msgspec.Struct):
    space_id: int
    name: str
    kind: SpaceKind
    x: float | None
    y: float | None


class FloorPlanOut(msgspec.Struct):
    floor_id: int
    site_id: int
    floor_name: str
    has_plan: bool
    content_type: str | None
    width: float | None
    height: float | None
    size_bytes: int | None
    sha256: str | None
    uploaded_at: datetime | None
    image_url: str | None
    spaces: list[PlanSpaceOut]


class PositionOut(msgspec.Struct):
    space_id: int
    floor_id: int | None
    x: float | None
    y: float | None


class DeskStateOut(msgspec.Struct):
    """A desk on the plan for one date and day part.

    ``state`` is what the plan draws: free, mine, taken, blocked (closed, over,
    capacity cap reached) or restricted (for other teams); ``status`` is the finer
    availability status it comes from (free, yours, taken, closed, past, full,
    restricted). ``matches`` tells whether the desk has every amenity asked for (true
    when none was). ``held_by``: who holds a taken desk in the day part, as the
    availability names them (``DeskStatusOut``): nobody who hides their desk.
    """

    space_id: int
    name: str
    kind: SpaceKind
    amenities: list[Amenity]
    matches: bool
    x: float | None
    y: float | None
    state: PlanState
    status: str
    held_by: list[DeskHolderOut] = msgspec.field(default_factory=list)


class RoomStateOut(msgspec.Struct):
    """A room on the plan for one date and day part, from the room availability.

    ``status`` is free (from ``since`` until ``until``), busy or yours (until
    ``until``), closed, restricted (for other teams) or past, at the start of the day
    part (or now, once it has begun); ``state`` is what the plan draws: free, busy,
    mine, restricted or blocked (closed, over). ``free`` holds the room's free times
    within the day part. Times are the site's local time.
    """

    space_id: int
    name: str
    kind: SpaceKind
    capacity: int
    amenities: list[Amenity]
    requires_approval: bool
    x: float | None
    y: float | None
    state: RoomPlanState
    status: str
    since: datetime | None
    until: datetime | None
    free: list[IntervalOut]


class PlanStateOut(msgspec.Struct):
    floor_id: int
    date: date
    day_part: DayPart
    open: bool
    closed_reason: str | None
    etag: str
    desks: list[DeskStateOut]
    rooms: list[RoomStateOut]
