"""What the bookings API accepts and returns.

Instants go out as ISO 8601 with an offset: ``start``/``end`` in UTC, and
``local_start``/``local_end`` in the site's zone (Europe/Amsterdam) for people
and scripts that think in local time. ``start``/``end`` sent without an offset
are read as the site's local time.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec
from litestar.params import KwargDefinition

from werkplek.bookings.models import BookingStatus, ParticipantResponse
from werkplek.formats import DATE_TIME_PATTERN
from werkplek.rooms.models import Amenity, SafetyFeature, SpaceKind
from werkplek.rooms.services import DayPart

Weekday = Annotated[int, msgspec.Meta(ge=0, le=6, description="0 = Monday … 6 = Sunday")]
Status = Annotated[
    BookingStatus,
    msgspec.Meta(
        description=(
            "`pending`: awaiting facilities' approval (holds the space); `confirmed`; "
            "`checked_in`; `cancelled`; `released`: nobody checked in, freed as a no-show; "
            "`declined`: facilities declined the request; `lapsed`: nobody decided on the "
            "request in time, so it was dropped"
        )
    ),
]


Participants = Annotated[
    list[int],
    msgspec.Meta(
        max_length=500,
        description=(
            "Colleagues (person ids) invited to a room booking; each gets an invitation "
            "by mail. The person it is for is left out, and an id given twice counts once. "
            "An unknown or inactive person: 422 `unknown_person`; more than the room holds "
            "with the person it is for: 422 `over_capacity`; on a desk booking: 422 "
            "`wrong_booking_kind`, all at `participants`."
        ),
    ),
]
ParticipantResponseValue = Annotated[
    ParticipantResponse,
    msgspec.Meta(
        description="`pending`: not answered yet; `accepted`; `declined`.",
    ),
]


class RecurrenceIn(msgspec.Struct, forbid_unknown_fields=True):
    """Repeat weekly on these weekdays, up to and including ``until``."""

    weekdays: Annotated[list[Weekday], msgspec.Meta(min_length=1, max_length=7)]
    until: date


class FavouriteDeskOut(msgspec.Struct):
    """One of one's favourite desks; ``active`` is false while it is out of use."""

    space_id: int
    name: str
    active: bool
    site_id: int
    site_name: str
    floor_name: str | None


#: A room booking's start or end (``formats.DATE_TIME_PATTERN``): another shape is 400 at
#: the field, as a malformed date is. ``services.room_times`` refuses a day or hour that does
#: not exist and a time not in whole minutes (422 ``invalid_time``), as a change's times.
DATE_TIME_DESCRIPTION = (
    "ISO 8601, with or without seconds (`2026-12-08T09:00`, `2026-12-08T09:00:00`), in "
    "whole minutes; with an offset (`+01:00`, `Z`) that instant, without one a local time "
    "at the site (Europe/Amsterdam). Another shape: 400 at the field; a day or hour that "
    "does not exist, or a time not in whole minutes: 422 `invalid_time` at the field."
)


class BookingIn(msgspec.Struct, forbid_unknown_fields=True):
    """A desk is booked by ``date`` and ``day_part``; a room by ``start`` and ``end``, in
    whole minutes."""

    space_id: int
    date: date | None = None
    day_part: DayPart | None = None
    start: (
        Annotated[
            str,
            msgspec.Meta(
                pattern=DATE_TIME_PATTERN,
                description=f"A room booking's start: {DATE_TIME_DESCRIPTION}",
            ),
        ]
        | None
    ) = None
    end: (
        Annotated[
            str,
            msgspec.Meta(
                pattern=DATE_TIME_PATTERN,
                description=f"A room booking's end: {DATE_TIME_DESCRIPTION}",
            ),
        ]
        | None
    ) = None
    booked_for_id: int | None = None
    title: Annotated[str, msgspec.Meta(max_length=200)] = ""
    attendees: Annotated[int, msgspec.Meta(ge=1, le=500)] = 1
    recurrence: RecurrenceIn | None = None
    participants: Participants | None = None


#: The longest reason a move may give its holder (``move_desk_booking`` checks it).
MAX_MOVE_REASON = 200
#: The longest reason facilities may give for declining (``decline_booking`` checks it).
MAX_DECLINE_REASON = 300


class MoveIn(msgspec.Struct, forbid_unknown_fields=True):
    """The desk a desk booking moves to, and why (put in the mail to its holder)."""

    space_id: int
    # The limit is shown in the schema but checked by the service, not by msgspec, so that
    # a longer reason is refused as the page refuses it: 422 ``reason_too_long``.
    reason: Annotated[
        str,
        KwargDefinition(
            max_length=MAX_MOVE_REASON,
            description="Why it moved, told to the person it is for (optional).",
        ),
    ] = ""


#: A local time of day as a change gives it: HH:MM, or HH:MM:SS (whole minutes are checked
#: by ``services.reschedule_room_booking``, as a new booking's are).
LOCAL_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


class RescheduleIn(msgspec.Struct, forbid_unknown_fields=True):
    """What changes in a room booking; a field left out stays as it is."""

    date: Annotated[
        date | None, msgspec.Meta(description="The new day, YYYY-MM-DD (a local date).")
    ] = None
    start: (
        Annotated[
            str,
            msgspec.Meta(
                pattern=LOCAL_TIME,
                description="The new start, HH:MM (`14:30`) or HH:MM:SS in whole minutes "
                "(`14:30:00`), local time at the site, without an offset.",
            ),
        ]
        | None
    ) = None
    end: (
        Annotated[
            str,
            msgspec.Meta(
                pattern=LOCAL_TIME,
                description="The new end, HH:MM (`15:30`) or HH:MM:SS in whole minutes "
                "(`15:30:00`), local time at the site, without an offset.",
            ),
        ]
        | None
    ) = None
    space_id: Annotated[
        int | None, msgspec.Meta(description="Another room, at any site (its rules apply).")
    ] = None


class DeclineIn(msgspec.Struct, forbid_unknown_fields=True):
    """Why facilities decline a request: told to the requester (optional)."""

    # Shown in the schema, checked by the service, as ``MoveIn.reason``.
    reason: Annotated[
        str,
        KwargDefinition(
            max_length=MAX_DECLINE_REASON,
            description="Why it was declined, told to the requester (optional).",
        ),
    ] = ""


class ParticipantsIn(msgspec.Struct, forbid_unknown_fields=True):
    """Who is invited to a room booking from now on: the list replaces the one before."""

    participants: Participants


class ResponseIn(msgspec.Struct, forbid_unknown_fields=True):
    """An invited colleague's answer to a meeting."""

    response: Annotated[
        Literal["accepted", "declined"],
        msgspec.Meta(description="`accepted` or `declined`."),
    ]


class ParticipantOut(msgspec.Struct):
    """A colleague invited to a room booking, and what they answered."""

    person_id: int
    name: str
    response: ParticipantResponseValue
    responded_at: datetime | None


class BookingOut(msgspec.Struct):
    id: int
    space_id: int
    space_name: str
    space_kind: SpaceKind
    site_id: int
    site_name: str
    booked_for_id: int | None
    booked_for_name: str | None
    booked_by_id: int | None
    booked_by_name: str | None
    start: datetime
    end: datetime
    local_start: datetime
    local_end: datetime
    date: date
    day_part: DayPart | None
    status: Status
    title: str
    attendees: int
    series_id: int | None
    checked_in_at: datetime | None
    release_at: datetime | None
    created_at: datetime
    updated_at: datetime
    sequence: int
    participants: list[ParticipantOut] = msgspec.field(default_factory=list)


class SkippedDate(msgspec.Struct):
    """An occurrence of a recurring booking that was not made, and why."""

    date: date
    error: str
    message: str
    field: str | None = None


class BookingsCreated(msgspec.Struct):
    bookings: list[BookingOut]
    skipped: list[SkippedDate]
    series_id: int | None = None


class SeriesChangedOut(msgspec.Struct):
    """A weekly room booking changed from one date on: its bookings as they are now, and
    the later dates that kept their old time or room, with why."""

    bookings: list[BookingOut]
    skipped: list[SkippedDate]


class DayPartWindow(msgspec.Struct):
    day_part: DayPart
    start: datetime
    end: datetime
    local_start: datetime
    local_end: datetime


class DeskHolderOut(msgspec.Struct):
    """Who holds a taken desk; ``teammate``: they share a team with the one asking."""

    person_id: int
    name: str
    teammate: bool


class DeskStatusOut(msgspec.Struct):
    """A desk on one day: ``morning``/``afternoon``/``day`` are each one of
    ``free``, ``yours``, ``taken``, ``full`` (capacity cap reached), ``closed`` (also a
    half outside the site's hours that day), ``restricted`` (reserved for other teams),
    ``past`` (the day part has ended). ``morning_holder``/``afternoon_holder`` name who
    holds it when that half is ``taken``, unless they hide their desk (then only
    administrators see them)."""

    space_id: int
    name: str
    kind: SpaceKind
    floor_id: int | None
    zone_id: int | None
    amenities: list[Amenity]
    morning: str
    afternoon: str
    day: str
    morning_holder: DeskHolderOut | None = None
    afternoon_holder: DeskHolderOut | None = None


class IntervalOut(msgspec.Struct):
    start: datetime
    end: datetime
    local_start: datetime
    local_end: datetime


class BusyOut(msgspec.Struct):
    start: datetime
    end: datetime
    local_start: datetime
    local_end: datetime
    status: str
    yours: bool
    booking_id: int | None = None
    title: str | None = None


class RoomStatusOut(msgspec.Struct):
    space_id: int
    name: str
    kind: SpaceKind
    floor_id: int | None
    capacity: int
    amenities: list[Amenity]
    safety_features: list[SafetyFeature]
    requires_approval: bool
    bookable: bool
    closed: bool
    busy: list[BusyOut]
    free: list[IntervalOut]
    closed_reason: str | None = None  # why it is closed that day, where facilities said


class AlternativeRoomOut(msgspec.Struct):
    """A room of the same site and kind, free for the whole time asked for and holding
    the people; ``floor`` is its floor's name."""

    space_id: int
    name: str
    capacity: int
    floor: str | None
    requires_approval: Annotated[
        bool, msgspec.Meta(description="Booked, it waits for facilities' approval (`pending`).")
    ]


class AlternativesOut(msgspec.Struct):
    """What a refused room booking (`booking_conflict`, `over_capacity`) may book instead:
    up to three other rooms free at that time (fewest seats first, then the same floor
    first), and up to three other times that day the room is free for as long (nearest to
    the start asked for first)."""

    rooms: list[AlternativeRoomOut]
    times: list[IntervalOut]


class CapOut(msgspec.Struct):
    """The site's capacity cap on this day: how many desks may be booked per day part
    (``limit``), and how many people hold one in each (``booked_morning``,
    ``booked_afternoon``)."""

    percent: int
    limit: int
    booked_morning: int
    booked_afternoon: int


class AvailabilityOut(msgspec.Struct):
    site_id: int
    date: date
    kinds: list[SpaceKind]
    open: bool
    reason: str | None
    day_parts: list[DayPartWindow]
    cap: CapOut | None = None
    desks: list[DeskStatusOut] | None = None
    rooms: list[RoomStatusOut] | None = None


class SiteDayFilter(msgspec.Struct):
    """The filters of the facilities' overview of a site's bookings on one day."""

    site: int | None = None
    date: date | None = None
    kind: Literal["desks", "rooms"] | None = None
    status: BookingStatus | None = None
    offset: Annotated[int, msgspec.Meta(ge=0)] = 0


class WaitIn(msgspec.Struct, forbid_unknown_fields=True):
    """Wait for a desk at a site (or on one of its floors) for a date and day part on which
    none is free."""

    site_id: int
    date: date
    day_part: DayPart
    floor_id: int | None = None


class WaitOut(msgspec.Struct):
    """A place on the waitlist: the first free desk there is booked for the first waiting,
    else the wait ends when the day part begins."""

    id: int
    site_id: int
    site_name: str
    floor_id: int | None
    floor_name: str | None
    date: date
    day_part: DayPart
    created_at: datetime


class TeamDayIn(msgspec.Struct, forbid_unknown_fields=True):
    """Desks close together for a team's members on one date and day part (``team_days``)."""

    team_id: int
    site_id: int
    date: date
    day_part: DayPart
    floor_id: Annotated[
        int | None, msgspec.Meta(description="Only desks on this floor of the site.")
    ] = None
    person_ids: (
        Annotated[
            list[int],
            msgspec.Meta(
                max_length=500,
                description="The members to seat; default: every active member of the team.",
            ),
        ]
        | None
    ) = None


class TeamDaySeatOut(msgspec.Struct):
    """A member and the desk they hold that day part: booked now, or already before."""

    person_id: int
    name: str
    booking_id: int
    space_id: int
    space_name: str
    status: Status


class TeamDayRefusalOut(msgspec.Struct):
    """A member no desk was booked for, and why (``error``: the rule's stable code)."""

    person_id: int
    name: str
    error: str
    message: str


class TeamDayOut(msgspec.Struct):
    """What a team day booked: ``booked`` now, ``already_seated`` before (not rebooked),
    and ``not_booked`` with the reason per member."""

    team_id: int
    site_id: int
    date: date
    day_part: DayPart
    booked: list[TeamDaySeatOut]
    already_seated: list[TeamDaySeatOut]
    not_booked: list[TeamDayRefusalOut]
