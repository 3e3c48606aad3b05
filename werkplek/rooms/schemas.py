from __future__ import annotations

from datetime import date, time
from typing import Annotated

import msgspec

from werkplek.rooms.models import Amenity, SafetyFeature, SiteKind, SpaceKind

ShortText = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
#: A wall-clock time of the site: an offset would be dropped when stored.
LocalTime = Annotated[time, msgspec.Meta(tz=False)]


class OpeningHoursIn(msgspec.Struct, forbid_unknown_fields=True):
    weekday: Annotated[int, msgspec.Meta(ge=0, le=6)]
    opens: LocalTime
    closes: LocalTime


class SiteIn(msgspec.Struct, forbid_unknown_fields=True):
    name: ShortText
    kind: SiteKind
    address: Annotated[str, msgspec.Meta(max_length=250)] = ""
    city: Annotated[str, msgspec.Meta(max_length=120)] = ""
    day_split: LocalTime = time(13, 0)
    max_days_ahead: Annotated[int, msgspec.Meta(ge=0, le=365)] = 14
    capacity_cap_percent: Annotated[int, msgspec.Meta(ge=1, le=100)] | None = None
    observe_public_holidays: bool = True
    opening_hours: list[OpeningHoursIn] = msgspec.field(
        default_factory=lambda: [
            OpeningHoursIn(weekday=day, opens=time(7, 30), closes=time(18, 0)) for day in range(5)
        ]
    )
    active: bool = True


class SiteOut(msgspec.Struct):
    id: int
    name: str
    kind: SiteKind
    address: str
    city: str
    timezone: str
    day_split: time
    max_days_ahead: int
    capacity_cap_percent: int | None
    observe_public_holidays: bool
    opening_hours: list[OpeningHoursIn]
    active: bool


class SiteChanged(SiteOut):
    """A site after a change, with the bookings it cancelled: a site taken out of use
    loses those that have not begun."""

    cancelled_booking_ids: list[int]


class FloorIn(msgspec.Struct, forbid_unknown_fields=True):
    name: ShortText
    level: Annotated[int, msgspec.Meta(ge=-5, le=100)] = 0
    zones: list[ShortText] = msgspec.field(default_factory=list)


class ZoneOut(msgspec.Struct):
    id: int
    name: str


class FloorOut(msgspec.Struct):
    id: int
    site_id: int
    name: str
    level: int
    zones: list[ZoneOut]


class SpaceIn(msgspec.Struct, forbid_unknown_fields=True):
    site_id: int
    name: ShortText
    kind: SpaceKind
    floor_id: int | None = None
    zone_id: int | None = None
    capacity: Annotated[int, msgspec.Meta(ge=1, le=500)] = 1
    amenities: list[Amenity] = msgspec.field(default_factory=list)
    safety_features: list[SafetyFeature] = msgspec.field(default_factory=list)
    requires_approval: bool = False
    team_ids: list[int] = msgspec.field(default_factory=list)
    active: bool = True


class SpaceOut(msgspec.Struct):
    id: int
    site_id: int
    floor_id: int | None
    zone_id: int | None
    name: str
    kind: SpaceKind
    capacity: int
    amenities: list[Amenity]
    safety_features: list[SafetyFeature]
    requires_approval: bool
    team_ids: list[int]
    active: bool


class SpaceChanged(SpaceOut):
    """A space after a change, with the bookings it cancelled: a space taken out of use
    loses those that have not begun."""

    cancelled_booking_ids: list[int]


class ClosureIn(msgspec.Struct, forbid_unknown_fields=True):
    starts_on: date
    ends_on: date
    reason: Annotated[str, msgspec.Meta(max_length=200)] = ""
    space_id: int | None = None


class ClosureOut(msgspec.Struct):
    id: int
    site_id: int
    space_id: int | None
    starts_on: date
    ends_on: date
    reason: str


class ClosureAddedOut(ClosureOut):
    """A new closure, with the bookings on its days that it cancelled."""

    cancelled_booking_ids: list[int]


class SiteDayOut(msgspec.Struct):
    """Whether a site is open on a date, and why not."""

    date: date
    open: bool
    opens: time | None
    closes: time | None
    reason: str | None
