"""Shapes of the analytics reports (JSON API) and of the filter forms.

Percentages are 0-100 with one decimal; ``None`` where there is nothing to divide
by (no spaces, no open days). Figures about a team smaller than the minimum group
size are ``None`` with ``suppressed: true``.
"""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from werkplek.rooms.models import SpaceKind


class SiteRef(msgspec.Struct):
    id: int
    name: str


class FloorRef(msgspec.Struct):
    id: int
    name: str


class TeamRef(msgspec.Struct):
    id: int
    name: str


class PeriodOut(msgspec.Struct):
    first: date = msgspec.field(name="from")
    last: date = msgspec.field(name="to")
    days: int = 0
    open_days: int = 0


# --- occupancy ------------------------------------------------------------------------------


class DayRow(msgspec.Struct):
    """One local date. ``booked`` counts spaces held (no-shows included), ``checked_in``
    spaces whose booking was checked in; per half day, each space once. The shares are
    null on a closed day, and ``checked_in_pct`` too until the day is over (its afternoon
    ended at closing time): before, its check-ins are not all known."""

    date: date
    weekday: int  # 0 = Monday
    open: bool
    closed_reason: str | None
    morning_booked: int
    morning_checked_in: int
    afternoon_booked: int
    afternoon_checked_in: int
    peak_booked: int
    booked_pct: float | None
    checked_in_pct: float | None
    booked_hours: float | None = None  # rooms only
    hours_pct: float | None = None  # rooms only: booked hours / (rooms x opening hours)


class WeekdayRow(msgspec.Struct):
    """Averages over the open days that fell on this weekday; the check-in shares over
    their half days that are over only (null when none is)."""

    weekday: int
    open_days: int
    morning_booked_pct: float | None
    morning_checked_in_pct: float | None
    afternoon_booked_pct: float | None
    afternoon_checked_in_pct: float | None
    booked_pct: float | None
    checked_in_pct: float | None
    peak_booked: int


class DayPartRow(msgspec.Struct):
    """Averages over the open days; those of check-ins over the days whose half day is
    over only (the morning at the site's split, the afternoon at closing time)."""

    day_part: str  # morning | afternoon
    open_days: int
    average_booked: float | None
    average_checked_in: float | None
    booked_pct: float | None
    checked_in_pct: float | None
    peak_booked: int


class PeakOut(msgspec.Struct):
    date: date
    day_part: str
    booked: int
    share_pct: float | None


class NoShowOut(msgspec.Struct):
    """No-show rate = released / (released + checked in + confirmed and already over)."""

    released: int
    checked_in: int
    past_confirmed: int
    rate_pct: float | None


class GroupReport(msgspec.Struct):
    """Desks or rooms over the period. ``checked_in_pct`` counts only the half days that
    are over: one still to come has not had its check-ins yet."""

    group: str  # desks | rooms
    kinds: list[SpaceKind]
    spaces: int
    seats: int
    booked_pct: float | None
    checked_in_pct: float | None
    hours_pct: float | None
    peak: PeakOut | None
    no_show: NoShowOut
    days: list[DayRow]
    weekdays: list[WeekdayRow]
    day_parts: list[DayPartRow]


class CapacityCapOut(msgspec.Struct):
    """How often the site's desk cap was reached, counted from the bookings.

    A day counts when, in the morning or the afternoon, as many people held a desk as
    the cap allows (``limit``), counted as the cap counts them (someone who moved desks
    once); when the site has no cap, when all its desks were booked. The booking
    service does not record the requests it refused, so this is the closest
    measure of days on which people could not get a desk.
    """

    cap_percent: int | None
    desks: int
    limit: int
    open_days: int
    days_at_cap: int
    dates: list[date]


class FitBandRow(msgspec.Struct):
    band: str  # up_to_25 | 26_to_50 | 51_to_75 | 76_to_100 | over_100
    bookings: int
    share_pct: float | None


class FitSizeRow(msgspec.Struct):
    size_band: str  # up_to_4 | 5_to_8 | 9_plus
    bookings: int
    average_attendees: float | None
    half_or_less_pct: float | None


class RoomFitOut(msgspec.Struct):
    """Booked attendees against room capacity, for meeting and resident rooms."""

    bookings: int
    half_or_less_pct: float | None
    bands: list[FitBandRow]
    sizes: list[FitSizeRow]


class OccupancyReport(msgspec.Struct):
    site: SiteRef
    floor: FloorRef | None
    kind: SpaceKind | None
    period: PeriodOut
    desks: GroupReport | None
    rooms: GroupReport | None
    capacity_cap: CapacityCapOut | None
    room_fit: RoomFitOut | None
    generated_at: datetime


# --- space planning -------------------------------------------------------------------------


class PlanRow(msgspec.Struct):
    """Spaces of one kind (and room size band) the site has, and would have needed; a
    room size band is listed only where the site has rooms of it or meetings needed one."""

    kind: SpaceKind
    size_band: str | None  # rooms: up_to_4 | 5_to_8 | 9_plus
    now: int
    p80: int
    p90: int
    p95: int
    busiest_day: int


class PlanDayRow(msgspec.Struct):
    """What one open day needed at its busiest: people at a desk and rooms in use, at the
    same time."""

    date: date
    desks: int
    quiet_desks: int
    meeting_rooms: int
    meeting_rooms_5_plus: int
    meeting_rooms_9_plus: int
    resident_rooms: int
    resident_rooms_5_plus: int
    resident_rooms_9_plus: int


class SpacePlanReport(msgspec.Struct):
    site: SiteRef
    period: PeriodOut
    rows: list[PlanRow]
    days: list[PlanDayRow]
    generated_at: datetime


# --- work-location mix ----------------------------------------------------------------------


class MixRow(msgspec.Struct):
    """Half days per work location for one team (or all shown teams) in one week.

    Counted over working days (Monday to Friday, not public holidays) for the
    team's current members; ``unknown`` where nobody said and no pattern applies.
    """

    team: TeamRef | None  # None: all teams shown together
    week: date  # the Monday
    iso_week: int
    suppressed: bool
    members: int | None
    half_days: int | None
    office: int | None
    field_base: int | None
    home: int | None
    on_location: int | None
    absent: int | None
    unknown: int | None
    office_pct: float | None
    field_base_pct: float | None
    home_pct: float | None
    on_location_pct: float | None
    absent_pct: float | None
    unknown_pct: float | None


class WorkMixReport(msgspec.Struct):
    period: PeriodOut
    team: TeamRef | None
    min_group_size: int
    rows: list[MixRow]
    totals: list[MixRow]
    generated_at: datetime


# --- filters --------------------------------------------------------------------------------


class OccupancyFilter(msgspec.Struct, forbid_unknown_fields=True):
    site: int | None = None
    first: date | None = msgspec.field(name="from", default=None)
    last: date | None = msgspec.field(name="to", default=None)
    kind: SpaceKind | None = None
    floor: int | None = None


class WorkMixFilter(msgspec.Struct, forbid_unknown_fields=True):
    first: date | None = msgspec.field(name="from", default=None)
    last: date | None = msgspec.field(name="to", default=None)
    team: int | None = None
