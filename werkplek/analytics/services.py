"""Occupancy, space planning and the work-location mix, for facilities.

Everything is aggregated in the database (GROUP BY with COUNT/SUM over CASE);
Python only combines the aggregates (a few rows per day) and takes percentiles
over the per-day figures. A report costs a fixed handful of queries however long
the period and however large the site.

Privacy: these reports give aggregates only, never names, and never anything per
person. Per-team figures for a team with fewer than ``MIN_GROUP_SIZE`` active
members are withheld (they are not even computed).

Local dates: bookings are stored in UTC, days are local to the site. On both
databases an instant's Unix time is shifted by the zone's UTC offset through a
``CASE`` over the offset changes (daylight saving) that fall in the period, which
Python reads from the zone database; local days and minutes follow by integer
division. That is the same on both databases and far cheaper per booking than a
time-zone conversion, which matters for a year of a large site.
"""

from __future__ import annotations

import math
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    BigInteger,
    CompoundSelect,
    Date,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    column,
    distinct,
    exists,
    func,
    literal,
    or_,
    select,
    true,
    type_coerce,
    union_all,
    values,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from werkplek.analytics.charts import (
    PERCENT_COLUMN,
    SUPPRESSED,
    Column,
    ColumnKind,
    DataTable,
    html_cell,
)
from werkplek.analytics.schemas import (
    CapacityCapOut,
    DayPartRow,
    DayRow,
    FitBandRow,
    FitSizeRow,
    FloorRef,
    GroupReport,
    MixRow,
    NoShowOut,
    OccupancyReport,
    PeakOut,
    PeriodOut,
    PlanDayRow,
    PlanRow,
    RoomFitOut,
    SiteRef,
    SpacePlanReport,
    TeamRef,
    WeekdayRow,
    WorkMixReport,
)
from werkplek.bookings.models import ACTIVE_STATUS_VALUES, Booking, BookingStatus
from werkplek.bookings.services import cap_limit
from werkplek.clock import AMSTERDAM, Clock, days_through, local_midnight, local_today, zone_named
from werkplek.config import Settings
from werkplek.db import is_postgres
from werkplek.errors import FIRST_DAY, LAST_DAY, InvalidInput, NotFound, check_day_in_range
from werkplek.i18n import N_, _, format_percent, ngettext
from werkplek.labels import WEEKDAY_NAMES, label, short_date
from werkplek.people.models import Person, Team, TeamMembership
from werkplek.presence.models import WeeklyPattern, WorkLocation
from werkplek.rooms.models import Closure, Floor, Site, SiteKind, Space, SpaceKind
from werkplek.rooms.services import SiteDay, list_sites, main_site, public_holiday, site_day

MIN_GROUP_SIZE = 5
DEFAULT_PERIOD_DAYS = 28

DESK_KINDS = (SpaceKind.DESK, SpaceKind.QUIET_DESK)
ROOM_KINDS = (SpaceKind.MEETING_ROOM, SpaceKind.RESIDENT_ROOM)
SPACE_KINDS = (*DESK_KINDS, *ROOM_KINDS)

# Held the space at some point: what "booked" counts (no-shows included).
BOOKED_STATUSES = (
    BookingStatus.PENDING.value,
    BookingStatus.CONFIRMED.value,
    BookingStatus.CHECKED_IN.value,
    BookingStatus.RELEASED.value,
)
# Booked and not a no-show: the demand that space planning and room fit are based on.
DEMAND_STATUSES = (
    BookingStatus.PENDING.value,
    BookingStatus.CONFIRMED.value,
    BookingStatus.CHECKED_IN.value,
)

MORNING, AFTERNOON = "morning", "afternoon"
DAY_PARTS = (MORNING, AFTERNOON)

# Room size bands, by seats: (code, lowest, highest or None).
SIZE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("up_to_4", 1, 4),
    ("5_to_8", 5, 8),
    ("9_plus", 9, None),
)
SIZE_BAND_LABELS = {
    "up_to_4": N_("up to 4 seats"),
    "5_to_8": N_("5 to 8 seats"),
    "9_plus": N_("9 seats or more"),
}
# Booked attendees as a share of the room's seats.
FIT_BANDS = ("up_to_25", "26_to_50", "51_to_75", "76_to_100", "over_100")
FIT_BAND_LABELS = {
    "up_to_25": N_("up to 25% of seats"),
    "26_to_50": N_("26 to 50% of seats"),
    "51_to_75": N_("51 to 75% of seats"),
    "76_to_100": N_("76 to 100% of seats"),
    "over_100": N_("more people than seats"),
}


#: The seats each fit band covers, as percentages (None: no bound on that side).
FIT_BAND_BOUNDS: dict[str, tuple[int | None, int | None]] = {
    "up_to_25": (None, 25),
    "26_to_50": (26, 50),
    "51_to_75": (51, 75),
    "76_to_100": (76, 100),
    "over_100": (100, None),
}


def fit_band_tick(band: str) -> str:
    """A band under the bars of a chart, whose axis title says they are shares of the
    seats (the full labels are too long for five bars side by side): ``26–50 %``."""
    low, high = FIT_BAND_BOUNDS[band]
    if high is None:
        return f"> {format_percent(low or 0)}"
    return f"≤ {format_percent(high)}" if low is None else f"{low}–{format_percent(high)}"


PERCENTILES = (80, 90, 95)

GROUP_LABELS = {"desks": N_("Desks"), "rooms": N_("Rooms")}
MIX_KINDS = ("office", "field_base", "home", "on_location", "absent", "unknown")
MIX_LABELS = {
    "office": N_("Office"),
    "field_base": N_("Field base"),
    "home": N_("At home"),
    "on_location": N_("On location"),
    "absent": N_("Absent"),
    "unknown": N_("Not known"),
}


class InvalidPeriod(InvalidInput):
    code = "invalid_period"


class PeriodTooLong(InvalidInput):
    code = "period_too_long"


class PeriodNotOver(InvalidInput):
    code = "period_not_over"


def weekday_name(weekday: int) -> str:
    return _(WEEKDAY_NAMES[weekday])


def pct(part: float, whole: float) -> float | None:
    """``part`` as a percentage of ``whole`` with one decimal; None when ``whole`` is 0."""
    if not whole:
        return None
    return round(100.0 * part / whole, 1)


def nearest_rank(values: Sequence[int], percentile: int) -> int:
    """The smallest value that at least ``percentile``% of the values do not exceed.

    With that many spaces, at least that share of the days would have been served.
    """
    if not values:
        return 0
    ordered = sorted(values)
    rank = max(1, math.ceil(percentile / 100 * len(ordered)))
    return ordered[rank - 1]


def size_band(capacity: int) -> str:
    for code, _low, high in SIZE_BANDS:
        if high is None or capacity <= high:
            return code
    return SIZE_BANDS[-1][0]


def desk_limit(desks: int, percent: int | None) -> int:
    """How many desks may be booked per day part: the booking rule's cap, or all of them."""
    return desks if percent is None else cap_limit(desks, percent)


# --- the period -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def days(self) -> list[date]:
        return days_through(self.first, self.last)

    @property
    def length(self) -> int:
        return (self.last - self.first).days + 1


def resolve_period(
    clock: Clock,
    settings: Settings,
    first: date | None,
    last: date | None,
    *,
    until_today: bool = False,
) -> Period:
    """The period asked for; by default the four weeks up to and including today.

    A period given by one end only runs four weeks from it, or to the first or last day a
    report may cover. With ``until_today`` (the space plan, which counts days that are
    over) no day after today may be asked for, and a start alone runs to today at most.
    """
    check_day_in_range(first, "from")
    check_day_in_range(last, "to")
    today = local_today(clock)
    if until_today:
        _check_over(first, "from", today)
        _check_over(last, "to", today)
    if last is None:
        if first is None:
            last = today
        else:
            last = min(
                first + timedelta(days=DEFAULT_PERIOD_DAYS - 1),
                today if until_today else LAST_DAY,
            )
    if first is None:
        first = max(last - timedelta(days=DEFAULT_PERIOD_DAYS - 1), FIRST_DAY)
    if first > last:
        raise InvalidPeriod(_("The start date lies after the end date."), field="from")
    maximum = settings.analytics_max_days
    if (last - first).days + 1 > maximum:
        raise PeriodTooLong(
            _("A period can be at most %(days)s days long.", days=maximum),
            field="to",
            max_days=maximum,
        )
    return Period(first, last)


def _check_over(day: date | None, field: str, today: date) -> None:
    if day is not None and day > today:
        raise PeriodNotOver(
            _(
                "Space planning counts days that are over: choose a date no later than "
                "today (%(today)s).",
                today=short_date(today),
            ),
            field=field,
            latest=today.isoformat(),
        )


def period_out(period: Period, open_days: int) -> PeriodOut:
    return PeriodOut(first=period.first, last=period.last, days=period.length, open_days=open_days)


# --- local dates and times in SQL -----------------------------------------------------------


def _offset_seconds(zone: ZoneInfo, at: int) -> int:
    offset = datetime.fromtimestamp(at, UTC).astimezone(zone).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def offset_changes(zone: ZoneInfo, start: datetime, end: datetime) -> list[tuple[datetime, int]]:
    """The zone's UTC offset over [start, end): ``(until, offset)`` pairs, the last open-ended.

    Offsets change at whole seconds, so a daily scan with a bisection to the second
    finds each change exactly (two a year for Europe/Amsterdam).
    """
    periods: list[tuple[datetime, int]] = []
    at = int(start.timestamp())
    stop = int(end.timestamp())
    current = _offset_seconds(zone, at)
    while at < stop:
        step = min(at + 86_400, stop)
        if _offset_seconds(zone, step) != current:
            low, high = at, step  # offset(low) == current != offset(high)
            while high - low > 1:
                middle = (low + high) // 2
                if _offset_seconds(zone, middle) == current:
                    low = middle
                else:
                    high = middle
            periods.append((datetime.fromtimestamp(high, UTC), current))
            current = _offset_seconds(zone, high)
            at = high
        else:
            at = step
    periods.append((datetime.max.replace(tzinfo=UTC), current))
    return periods


# unixepoch() (SQLite 3.38) reads a time twice as fast as strftime('%s').
EPOCH_DATE = date(1970, 1, 1)
SQLITE_HAS_UNIXEPOCH = sqlite3.sqlite_version_info >= (3, 38)


def from_day_number(days: int) -> date:
    """The date of a ``LocalTime.day_number``."""
    return EPOCH_DATE + timedelta(days=int(days))


class LocalTime:
    """SQL expressions for the local date and time of a stored UTC instant.

    Local seconds are the instant's Unix time plus the zone's UTC offset at that
    instant (a ``CASE`` over the offset changes in the period); the local date and
    minutes follow by integer division. Plain arithmetic, the same on both
    databases, and much cheaper per row than a time-zone conversion.
    """

    def __init__(self, session: AsyncSession, zone_name: str, start: datetime, end: datetime):
        self.postgres = is_postgres(session)
        self.periods = offset_changes(
            ZoneInfo(zone_name), start - timedelta(days=2), end + timedelta(days=2)
        )

    def unix_seconds(self, instant: Any) -> ColumnElement[int]:
        """Whole seconds since 1970 (UTC)."""
        if self.postgres:
            return cast(func.floor(func.date_part("epoch", instant)), BigInteger)
        if SQLITE_HAS_UNIXEPOCH:
            return func.unixepoch(instant, type_=Integer)
        return cast(func.strftime("%s", instant), Integer)

    def _offset(self, instant: Any) -> Any:
        if len(self.periods) == 1:
            return literal(self.periods[0][1])
        return case(
            *((instant < until, offset) for until, offset in self.periods[:-1]),
            else_=self.periods[-1][1],
        )

    def _local_seconds(self, instant: Any) -> ColumnElement[int]:
        return self.unix_seconds(instant) + self._offset(instant)

    def day_number(self, instant: Any) -> ColumnElement[int]:
        """Local days since 1 January 1970: cheaper to compare than dates."""
        return cast(self._local_seconds(instant) // 86_400, Integer)

    def date(self, instant: Any) -> ColumnElement[date]:
        if self.postgres:
            return literal(EPOCH_DATE, Date) + self.day_number(instant)
        return type_coerce(func.date(self._local_seconds(instant), "unixepoch"), Date)

    def minutes(self, instant: Any) -> ColumnElement[int]:
        """Minutes since local midnight."""
        return (self._local_seconds(instant) % 86_400) // 60

    def ends_after(self, start: Any, end: Any, minutes: int) -> ColumnElement[bool]:
        """Does ``end`` fall after minute ``minutes`` of ``start``'s local date (or later)?

        One comparison of local seconds: the same as a later date or a later minute,
        at two time conversions instead of three.
        """
        midnight = self._local_seconds(start) // 86_400 * 86_400
        return self._local_seconds(end) >= midnight + (minutes + 1) * 60

    def seconds_between(self, start: Any, end: Any) -> ColumnElement[int]:
        """Whole seconds from ``start`` to ``end``: sums of them are exact on both databases."""
        return self.unix_seconds(end) - self.unix_seconds(start)


# --- the site over the period ---------------------------------------------------------------


@dataclass(frozen=True)
class SiteCalendar:
    site: Site
    period: Period
    days: dict[date, SiteDay]
    start: datetime  # UTC: local midnight starting the period
    end: datetime  # UTC: local midnight after the period
    split_minutes: int

    @property
    def open_days(self) -> list[date]:
        return [day for day, info in self.days.items() if info.is_open]

    def part_over(self, day: date, part: str, now: datetime) -> bool:
        """Whether the half day has ended by ``now`` (the morning at the split, the
        afternoon at closing time): only then are all its check-ins known."""
        info = self.days[day]
        ends = time(self.split_minutes // 60, self.split_minutes % 60)
        if part == AFTERNOON:
            ends = info.closes if info.closes is not None and info.closes > ends else time.max
        return datetime.combine(day, ends, tzinfo=zone_named(self.site.timezone)) <= now

    def open_hours(self, day: date) -> float:
        info = self.days[day]
        if info.opens is None or info.closes is None:
            return 0.0
        opens = info.opens.hour * 60 + info.opens.minute
        closes = info.closes.hour * 60 + info.closes.minute
        return max(0, closes - opens) / 60


async def get_site(session: AsyncSession, site_id: int | None) -> Site:
    if site_id is None:
        raise InvalidInput(_("Choose a site."), field="site")
    site = await session.get(Site, site_id)
    if site is None:
        raise NotFound(_("There is no site with number %(id)s.", id=site_id), field="site")
    return site


async def default_site(session: AsyncSession) -> Site | None:
    return main_site(await list_sites(session))


async def get_floor(session: AsyncSession, site: Site, floor_id: int) -> Floor:
    floor = await session.get(Floor, floor_id)
    if floor is None or floor.site_id != site.id:
        raise InvalidInput(
            _("This floor does not belong to %(site)s.", site=site.name), field="floor"
        )
    return floor


async def site_calendar(session: AsyncSession, site: Site, period: Period) -> SiteCalendar:
    closures = (
        (
            await session.execute(
                select(Closure).where(
                    Closure.site_id == site.id,
                    Closure.space_id.is_(None),
                    Closure.starts_on <= period.last,
                    Closure.ends_on >= period.first,
                )
            )
        )
        .scalars()
        .all()
    )
    zone = zone_named(site.timezone)
    split = site.day_split or time(13, 0)
    return SiteCalendar(
        site=site,
        period=period,
        days={day: site_day(site, day, closures) for day in period.days},
        start=local_midnight(period.first, zone),
        end=local_midnight(period.last + timedelta(days=1), zone),
        split_minutes=split.hour * 60 + split.minute,
    )


# --- queries --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupplyRow:
    kind: str
    capacity: int
    now: int  # active spaces
    in_period: int  # active now, or booked during the period


async def _supply(
    session: AsyncSession, cal: SiteCalendar, kinds: Sequence[SpaceKind], floor_id: int | None
) -> list[SupplyRow]:
    """Spaces per kind and number of seats: active now, and in use during the period."""
    booked_in_period = exists().where(
        Booking.space_id == Space.id,
        Booking.start_at >= cal.start,
        Booking.start_at < cal.end,
        Booking.status.in_(BOOKED_STATUSES),
    )
    statement = (
        select(
            Space.kind,
            Space.capacity,
            func.sum(case((Space.active.is_(True), 1), else_=0)),
            func.count(),
        )
        .where(
            Space.site_id == cal.site.id,
            Space.kind.in_([k.value for k in kinds]),
            or_(Space.active.is_(True), booked_in_period),
        )
        .group_by(Space.kind, Space.capacity)
    )
    if floor_id is not None:
        statement = statement.where(Space.floor_id == floor_id)
    return [
        SupplyRow(kind, capacity, int(now or 0), int(in_period or 0))
        for kind, capacity, now, in_period in await session.execute(statement)
    ]


@dataclass(frozen=True)
class PartCount:
    day: date
    part: str
    kind: str
    booked: int
    checked_in: int
    hours: float


@dataclass(frozen=True)
class NoShowCount:
    kind: str
    released: int
    checked_in: int
    past_confirmed: int


@dataclass(frozen=True)
class SizeFit:
    """Room bookings of one room size band (no-shows left out)."""

    size_band: str
    bookings: tuple[int, ...]  # per band of ``FIT_BANDS``
    attendees: int


@dataclass(frozen=True)
class BookingFigures:
    """What one pass over the period's bookings gives (see ``_booking_figures``)."""

    counts: list[PartCount]
    no_shows: list[NoShowCount]
    room_fit: dict[str, SizeFit]  # per room size band, for the room kinds asked for


def _parts_table(name: str = "day_parts") -> Any:
    """The two half days as a small table (a CTE over VALUES, which both databases read)."""
    return values(column("part", String), name=name).data([(MORNING,), (AFTERNOON,)]).cte(name)


def _covers(lt: LocalTime, split_minutes: int) -> tuple[Any, Any]:
    """Does a booking cover the morning / the afternoon of its local start date (1 or 0)?

    Desks are booked by day part; rooms (and desks without one) by their times,
    split at the site's day split.
    """
    start_minutes = lt.minutes(Booking.start_at)
    in_morning = case(
        (Booking.day_part.in_(("morning", "day")), 1),
        (Booking.day_part == "afternoon", 0),
        (start_minutes < split_minutes, 1),
        else_=0,
    )
    in_afternoon = case(
        (Booking.day_part.in_(("afternoon", "day")), 1),
        (Booking.day_part == "morning", 0),
        (lt.ends_after(Booking.start_at, Booking.end_at, split_minutes), 1),
        else_=0,
    )
    return in_morning, in_afternoon


def _fit_band(attendees: Any, seats: Any) -> Any:
    """Index in ``FIT_BANDS`` of booked attendees as a share of seats (integer arithmetic)."""
    return case(
        (attendees * 4 <= seats, 0),
        (attendees * 2 <= seats, 1),
        (attendees * 4 <= seats * 3, 2),
        (attendees <= seats, 3),
        else_=4,
    )


def _size_band(seats: Any) -> Any:
    """Index in ``SIZE_BANDS`` of a space's number of seats."""
    return case((seats <= 4, 0), (seats <= 8, 1), else_=2)


# How far a booking got. A space counts in a half day as booked with any booking there (of
# BOOKED_STATUSES), checked in with one of rank 3.
RELEASED_RANK, DEMAND_RANK, CHECKED_IN_RANK = 1, 2, 3


def _kind_number(kind: Any) -> Any:
    """Index in ``SPACE_KINDS`` of a space's kind: integers group faster than strings."""
    return case({k.value: index for index, k in enumerate(SPACE_KINDS)}, value=kind)


def _booking_rows(
    lt: LocalTime,
    cal: SiteCalendar,
    kinds: Sequence[SpaceKind],
    floor_id: int | None,
    statuses: Sequence[str],
    *figures: Any,
) -> Any:
    """The period's bookings as a subquery of plain numbers, one row per booking.

    Each row has the space, its kind (``_kind_number``), the local day, whether the
    booking covers the morning and the afternoon, and the labelled ``figures``:
    only what the caller aggregates, since every column costs on each booking.
    """
    in_morning, in_afternoon = _covers(lt, cal.split_minutes)
    bookings = (
        select(
            Booking.space_id.label("space_id"),
            _kind_number(Space.kind).label("kind"),
            lt.day_number(Booking.start_at).label("day"),
            in_morning.label("in_morning"),
            in_afternoon.label("in_afternoon"),
            *figures,
        )
        .join(Space, Space.id == Booking.space_id)
        .where(
            Booking.site_id == cal.site.id,
            Booking.start_at >= cal.start,
            Booking.start_at < cal.end,
            Booking.status.in_(statuses),
        )
    )
    if set(kinds) != set(SpaceKind):  # every kind: no test per booking
        bookings = bookings.where(Space.kind.in_([k.value for k in kinds]))
    if floor_id is not None:
        bookings = bookings.where(Space.floor_id == floor_id)
    # OFFSET 0 keeps both databases from merging the subquery into the aggregate that
    # reads it, which would work out each row's expressions again in every aggregate.
    return bookings.offset(0).subquery("booking_rows")


# The aggregates below filter their rows (FILTER (WHERE ...), on both databases) rather
# than add up a CASE: a row that does not count then costs SQLite no aggregate step.


def _spaces_at(rows: Any, covers: Any, rank: int | None = None) -> Any:
    """Spaces with a booking (of at least ``rank``) that ``covers`` the half day."""
    condition = covers == 1 if rank is None else and_(covers == 1, rows.c.rank >= rank)
    return func.count(distinct(rows.c.space_id)).filter(condition)


def _bookings_where(condition: Any) -> Any:
    return func.count().filter(condition)


async def _booking_figures(
    session: AsyncSession,
    lt: LocalTime,
    cal: SiteCalendar,
    kinds: Sequence[SpaceKind],
    floor_id: int | None,
    now: datetime,
) -> BookingFigures:
    """Half-day counts, no-shows and room fit of the period, in one pass over its bookings.

    One query, grouped per local date, kind and room size band: spaces booked and
    checked in per half day (each space once per half day it is booked in), room
    hours (once per booking, in the first half day it covers; reported for rooms
    only, so not worked out for desks), no-shows and room fit (per booking).
    Python adds up the size bands.
    """
    room = Space.kind.in_([k.value for k in ROOM_KINDS])
    # Room fit counts the room bookings in demand (of BOOKED_STATUSES, all but released);
    # the figures that only rooms have are NULL for desks, not worked out per desk booking.
    room_in_demand = and_(room, Booking.status != BookingStatus.RELEASED.value)
    past_confirmed = and_(Booking.status == BookingStatus.CONFIRMED.value, Booking.end_at <= now)
    rows = _booking_rows(
        lt,
        cal,
        kinds,
        floor_id,
        BOOKED_STATUSES,
        _size_band(Space.capacity).label("size"),
        case(
            (Booking.status == BookingStatus.CHECKED_IN.value, CHECKED_IN_RANK),
            (Booking.status == BookingStatus.RELEASED.value, RELEASED_RANK),
            else_=DEMAND_RANK,
        ).label("rank"),
        case((room, lt.seconds_between(Booking.start_at, Booking.end_at))).label("seconds"),
        case((past_confirmed, 1), else_=0).label("past_confirmed"),
        case((room_in_demand, _fit_band(Booking.attendees, Space.capacity))).label("fit"),
        case((room_in_demand, Booking.attendees)).label("attendees"),
    )
    statement = select(
        rows.c.day,
        rows.c.kind,
        rows.c.size,
        _spaces_at(rows, rows.c.in_morning),
        _spaces_at(rows, rows.c.in_morning, CHECKED_IN_RANK),
        _spaces_at(rows, rows.c.in_afternoon),
        _spaces_at(rows, rows.c.in_afternoon, CHECKED_IN_RANK),
        func.sum(rows.c.seconds).filter(rows.c.in_morning == 1),
        func.sum(rows.c.seconds).filter(and_(rows.c.in_morning == 0, rows.c.in_afternoon == 1)),
        _bookings_where(rows.c.rank == RELEASED_RANK),
        _bookings_where(rows.c.rank == CHECKED_IN_RANK),
        _bookings_where(rows.c.past_confirmed == 1),
        *(_bookings_where(rows.c.fit == index) for index in range(len(FIT_BANDS))),
        func.sum(rows.c.attendees),
    ).group_by(rows.c.day, rows.c.kind, rows.c.size)

    parts: dict[tuple[date, str, str], list[float]] = defaultdict(lambda: [0, 0, 0.0])
    no_shows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    fits: dict[str, list[int]] = defaultdict(lambda: [0] * (len(FIT_BANDS) + 1))
    room_kinds = {k.value for k in kinds if k in ROOM_KINDS}
    for row in await session.execute(statement):
        day, kind, size = from_day_number(row[0]), SPACE_KINDS[row[1]].value, SIZE_BANDS[row[2]][0]
        halves = ((MORNING, row[3:5], row[7]), (AFTERNOON, row[5:7], row[8]))
        for part, (booked, checked_in), seconds in halves:
            if booked:  # some booking covers this half day
                total = parts[(day, part, kind)]
                total[0] += booked
                total[1] += checked_in
                total[2] += int(seconds or 0) / 3600
        tally = no_shows[kind]
        for index, value in enumerate(row[9:12]):
            tally[index] += int(value or 0)
        if kind in room_kinds:
            fit = fits[size]
            for index, value in enumerate(row[12:]):
                fit[index] += int(value or 0)
    return BookingFigures(
        counts=[
            PartCount(day, part, kind, int(t[0]), int(t[1]), float(t[2]))
            for (day, part, kind), t in parts.items()
        ],
        no_shows=[NoShowCount(kind, *tally) for kind, tally in no_shows.items()],
        room_fit={
            size: SizeFit(size, tuple(tally[:-1]), tally[-1]) for size, tally in fits.items()
        },
    )


@dataclass(frozen=True)
class Peak:
    day: date
    kind: str
    all: int
    five_plus: int = 0  # rooms only
    nine_plus: int = 0


async def _peaks(
    session: AsyncSession, lt: LocalTime, cal: SiteCalendar, kinds: Sequence[SpaceKind]
) -> list[Peak]:
    """Per day and kind of space: most bookings at the same moment (all / for 5+ / for 9+),
    no-shows left out.

    For desks that is the most people at a desk at once: one person holds one desk at a
    moment, so someone who moved desks or left one for another counts once, and the
    bookings of an erased person (no holder any more) count one person each. For rooms
    it is the rooms in use at once, by meeting size.

    A sweep over start (+1) and end (-1) events: the running sum per day and kind,
    ends before starts at the same instant (bookings are half-open), peaks at its
    maximum. Each booking is read once and gives both its events (joined to
    the two signs). The events are first added up per instant: the count after all
    the events of an instant is the highest it reaches there (its ends come first),
    and bookings share a few start and end times, so the window functions that
    sweep (O(n log n) on both databases) sort a tenth of the rows.
    """
    bookings = (
        select(
            lt.day_number(Booking.start_at).label("day"),
            _kind_number(Space.kind).label("kind"),
            lt.unix_seconds(Booking.start_at).label("starts"),
            lt.unix_seconds(Booking.end_at).label("ends"),
            Booking.attendees.label("attendees"),
        )
        .join(Space, Space.id == Booking.space_id)
        .where(
            # The site asked of the spaces too: SQLite then reads the room bookings
            # through the site's rooms instead of all the site's bookings.
            Space.site_id == cal.site.id,
            Booking.site_id == cal.site.id,
            Booking.start_at >= cal.start,
            Booking.start_at < cal.end,
            Booking.status.in_(DEMAND_STATUSES),
            Space.kind.in_([k.value for k in kinds]),
        )
        # OFFSET 0: each booking read once, not once per sign (see _booking_rows).
        .offset(0)
        .subquery("peak_bookings")
    )
    signs = values(column("sign", Integer), name="signs").data([(1,), (-1,)]).cte("signs")
    sign = signs.c.sign
    # Meeting sizes matter for rooms only: desks are swept without them.
    sizes: dict[str, int | None] = {"all": None}
    if any(kind in ROOM_KINDS for kind in kinds):
        sizes.update(five_plus=5, nine_plus=9)
    events = (
        select(
            bookings.c.day,
            bookings.c.kind,
            case((sign == 1, bookings.c.starts), else_=bookings.c.ends).label("at"),
            *(
                (
                    sign if least is None else case((bookings.c.attendees >= least, sign), else_=0)
                ).label(name)
                for name, least in sizes.items()
            ),
        )
        .select_from(bookings)
        .join(signs, true())
        .subquery("events")
    )
    sweep = (
        select(
            events.c.day,
            events.c.kind,
            events.c.at,
            *(func.sum(events.c[name]).label(name) for name in sizes),
        )
        .group_by(events.c.day, events.c.kind, events.c.at)
        .subquery("sweep")
    )
    running = select(
        sweep.c.day,
        sweep.c.kind,
        *(
            func.sum(sweep.c[name])
            .over(partition_by=(sweep.c.day, sweep.c.kind), order_by=sweep.c.at, rows=(None, 0))
            .label(name)
            for name in sizes
        ),
    ).subquery("running")
    statement = select(
        running.c.day, running.c.kind, *(func.max(running.c[name]) for name in sizes)
    ).group_by(running.c.day, running.c.kind)
    return [
        Peak(from_day_number(day_), SPACE_KINDS[kind].value, *(int(n or 0) for n in counts))
        for day_, kind, *counts in await session.execute(statement)
    ]


# --- occupancy ------------------------------------------------------------------------------


def _kinds_for(kind: SpaceKind | None) -> tuple[list[SpaceKind], list[SpaceKind]]:
    desks = [k for k in DESK_KINDS if kind is None or k == kind]
    rooms = [k for k in ROOM_KINDS if kind is None or k == kind]
    return desks, rooms


def _by_day_part(
    counts: Iterable[PartCount], kinds: Sequence[SpaceKind]
) -> dict[tuple[date, str], PartCount]:
    """Sum the counts of the given kinds per (day, half day); kinds never share a space."""
    wanted = {k.value for k in kinds}
    totals: dict[tuple[date, str], list[float]] = defaultdict(lambda: [0, 0, 0.0])
    for row in counts:
        if row.kind in wanted:
            total = totals[(row.day, row.part)]
            total[0] += row.booked
            total[1] += row.checked_in
            total[2] += row.hours
    return {
        (day, part): PartCount(day, part, "", int(t[0]), int(t[1]), float(t[2]))
        for (day, part), t in totals.items()
    }


def _checked_in_pct(
    rows: Sequence[DayRow], parts: Sequence[str], over: set[tuple[date, str]], spaces: int
) -> float | None:
    """Spaces checked in as a share of those there were, over the ``parts`` of ``rows``
    that are ``over``: a half day still to come (or under way) has not had its check-ins
    yet, and would count as one nobody came on."""
    halves = [(row, part) for row in rows for part in parts if (row.date, part) in over]
    checked_in = sum(getattr(row, f"{part}_checked_in") for row, part in halves)
    return pct(checked_in, len(halves) * spaces)


def _group_report(
    group: str,
    kinds: Sequence[SpaceKind],
    cal: SiteCalendar,
    supply: Sequence[SupplyRow],
    counts: Sequence[PartCount],
    no_shows: Sequence[NoShowCount],
    now: datetime,
) -> GroupReport:
    wanted = {k.value for k in kinds}
    spaces = sum(row.in_period for row in supply if row.kind in wanted)
    seats = sum(row.in_period * row.capacity for row in supply if row.kind in wanted)
    per_part = _by_day_part(counts, kinds)
    rooms = group == "rooms"
    empty = PartCount(cal.period.first, "", "", 0, 0, 0.0)

    over = {
        (day, part)
        for day, info in cal.days.items()
        if info.is_open
        for part in DAY_PARTS
        if cal.part_over(day, part, now)
    }
    days: list[DayRow] = []
    hours_on: dict[date, float] = {}  # unrounded, for the period's share
    for day, info in cal.days.items():
        morning = per_part.get((day, MORNING), empty)
        afternoon = per_part.get((day, AFTERNOON), empty)
        is_open = info.is_open
        day_over = (day, AFTERNOON) in over and (day, MORNING) in over
        hours = hours_on[day] = morning.hours + afternoon.hours
        days.append(
            DayRow(
                date=day,
                weekday=day.weekday(),
                open=is_open,
                closed_reason=None if is_open else info.reason,
                morning_booked=morning.booked,
                morning_checked_in=morning.checked_in,
                afternoon_booked=afternoon.booked,
                afternoon_checked_in=afternoon.checked_in,
                peak_booked=max(morning.booked, afternoon.booked),
                booked_pct=pct(morning.booked + afternoon.booked, 2 * spaces) if is_open else None,
                checked_in_pct=(
                    pct(morning.checked_in + afternoon.checked_in, 2 * spaces) if day_over else None
                ),
                booked_hours=round(hours, 1) if rooms else None,
                hours_pct=(pct(hours, spaces * cal.open_hours(day)) if rooms and is_open else None),
            )
        )
    open_rows = [row for row in days if row.open]

    weekdays: list[WeekdayRow] = []
    for weekday in sorted({row.weekday for row in open_rows}):
        same = [row for row in open_rows if row.weekday == weekday]
        n = len(same)
        weekdays.append(
            WeekdayRow(
                weekday=weekday,
                open_days=n,
                morning_booked_pct=pct(sum(r.morning_booked for r in same), n * spaces),
                morning_checked_in_pct=_checked_in_pct(same, [MORNING], over, spaces),
                afternoon_booked_pct=pct(sum(r.afternoon_booked for r in same), n * spaces),
                afternoon_checked_in_pct=_checked_in_pct(same, [AFTERNOON], over, spaces),
                booked_pct=pct(
                    sum(r.morning_booked + r.afternoon_booked for r in same), 2 * n * spaces
                ),
                checked_in_pct=_checked_in_pct(same, DAY_PARTS, over, spaces),
                peak_booked=max(r.peak_booked for r in same),
            )
        )

    n_open = len(open_rows)
    day_parts = []
    for part in DAY_PARTS:
        booked = [getattr(r, f"{part}_booked") for r in open_rows]
        checked = [getattr(r, f"{part}_checked_in") for r in open_rows if (r.date, part) in over]
        day_parts.append(
            DayPartRow(
                day_part=part,
                open_days=n_open,
                average_booked=round(sum(booked) / n_open, 1) if n_open else None,
                average_checked_in=round(sum(checked) / len(checked), 1) if checked else None,
                booked_pct=pct(sum(booked), n_open * spaces),
                checked_in_pct=_checked_in_pct(open_rows, [part], over, spaces),
                peak_booked=max(booked, default=0),
            )
        )

    peak: PeakOut | None = None
    for row in open_rows:
        for part in DAY_PARTS:
            booked = getattr(row, f"{part}_booked")
            if booked and (peak is None or booked > peak.booked):
                peak = PeakOut(
                    date=row.date, day_part=part, booked=booked, share_pct=pct(booked, spaces)
                )

    released = sum(n.released for n in no_shows if n.kind in wanted)
    checked_in = sum(n.checked_in for n in no_shows if n.kind in wanted)
    past_confirmed = sum(n.past_confirmed for n in no_shows if n.kind in wanted)
    total_hours = sum(hours_on[r.date] for r in open_rows)
    return GroupReport(
        group=group,
        kinds=list(kinds),
        spaces=spaces,
        seats=seats,
        booked_pct=pct(
            sum(r.morning_booked + r.afternoon_booked for r in open_rows), 2 * n_open * spaces
        ),
        checked_in_pct=_checked_in_pct(open_rows, DAY_PARTS, over, spaces),
        hours_pct=(
            pct(total_hours, spaces * sum(cal.open_hours(r.date) for r in open_rows))
            if rooms
            else None
        ),
        peak=peak,
        no_show=NoShowOut(
            released=released,
            checked_in=checked_in,
            past_confirmed=past_confirmed,
            rate_pct=pct(released, released + checked_in + past_confirmed),
        ),
        days=days,
        weekdays=weekdays,
        day_parts=day_parts,
    )


async def _desk_holders(
    session: AsyncSession, lt: LocalTime, cal: SiteCalendar
) -> dict[tuple[date, str], int]:
    """Per local date and half day: the people who held a desk at the site, counted as the
    capacity cap counts them (``bookings.services._check_capacity_cap``): someone who
    moved desks once, a booking whose holder was erased on its own; no-shows included."""
    rows = _booking_rows(
        lt,
        cal,
        DESK_KINDS,
        None,
        BOOKED_STATUSES,
        func.coalesce(Booking.booked_for_id, -Booking.id).label("holder"),
    )
    statement = select(
        rows.c.day,
        func.count(distinct(rows.c.holder)).filter(rows.c.in_morning == 1),
        func.count(distinct(rows.c.holder)).filter(rows.c.in_afternoon == 1),
    ).group_by(rows.c.day)
    held: dict[tuple[date, str], int] = {}
    for day_number, morning, afternoon in await session.execute(statement):
        day = from_day_number(day_number)
        held[(day, MORNING)], held[(day, AFTERNOON)] = int(morning), int(afternoon)
    return held


def _capacity_cap(
    cal: SiteCalendar, supply: Sequence[SupplyRow], held: Mapping[tuple[date, str], int]
) -> CapacityCapOut:
    """Open days on which a half day had as many desks held as the cap allows.

    ``held`` is per half day: the people at a desk when the site has a cap (as the cap
    counts them, ``_desk_holders``), else the desks booked (all of them: none was left).
    The booking service refuses a desk over the cap without recording the refusal, so
    the days are counted from the bookings themselves (no-shows included: they held
    their desk when others tried to book).
    """
    desks = sum(row.now for row in supply if row.kind in {k.value for k in DESK_KINDS})
    percent = cal.site.capacity_cap_percent
    limit = desk_limit(desks, percent)
    open_days = cal.open_days
    dates = [
        day
        for day in open_days
        if limit > 0 and any(held.get((day, part), 0) >= limit for part in DAY_PARTS)
    ]
    return CapacityCapOut(
        cap_percent=percent,
        desks=desks,
        limit=limit,
        open_days=len(open_days),
        days_at_cap=len(dates),
        dates=dates,
    )


def _room_fit_out(sizes: Mapping[str, SizeFit]) -> RoomFitOut:
    per_band = [sum(size.bookings[i] for size in sizes.values()) for i in range(len(FIT_BANDS))]
    total = sum(per_band)
    bands = [
        FitBandRow(band=band, bookings=n, share_pct=pct(n, total))
        for band, n in zip(FIT_BANDS, per_band, strict=True)
    ]
    rows = []
    for code, _low, _high in SIZE_BANDS:
        size = sizes.get(code, SizeFit(code, (0,) * len(FIT_BANDS), 0))
        n = sum(size.bookings)
        rows.append(
            FitSizeRow(
                size_band=code,
                bookings=n,
                average_attendees=round(size.attendees / n, 1) if n else None,
                half_or_less_pct=pct(sum(size.bookings[:2]), n),
            )
        )
    return RoomFitOut(
        bookings=total, half_or_less_pct=pct(sum(per_band[:2]), total), bands=bands, sizes=rows
    )


async def occupancy_report(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    *,
    site_id: int | None,
    first: date | None = None,
    last: date | None = None,
    kind: SpaceKind | None = None,
    floor_id: int | None = None,
) -> OccupancyReport:
    """Desk and room use at a site over a period, per day, weekday and half day."""
    period = resolve_period(clock, settings, first, last)
    site = await get_site(session, site_id)
    floor = await get_floor(session, site, floor_id) if floor_id is not None else None
    cal = await site_calendar(session, site, period)
    lt = LocalTime(session, site.timezone or "Europe/Amsterdam", cal.start, cal.end)
    desk_kinds, room_kinds = _kinds_for(kind)
    kinds = [*desk_kinds, *room_kinds]
    now = clock.now()
    supply = await _supply(session, cal, kinds, floor_id)
    figures = await _booking_figures(session, lt, cal, kinds, floor_id, now)
    counts, no_shows = figures.counts, figures.no_shows

    desks = rooms = None
    cap = fit = None
    if desk_kinds:
        desks = _group_report("desks", desk_kinds, cal, supply, counts, no_shows, now)
        whole_site = floor_id is None and len(desk_kinds) == len(DESK_KINDS)
        cap_supply = supply if whole_site else await _supply(session, cal, DESK_KINDS, None)
        if site.capacity_cap_percent is not None:
            held = await _desk_holders(session, lt, cal)
        else:
            cap_counts = (
                counts
                if whole_site
                else (await _booking_figures(session, lt, cal, DESK_KINDS, None, now)).counts
            )
            held = {key: part.booked for key, part in _by_day_part(cap_counts, DESK_KINDS).items()}
        cap = _capacity_cap(cal, cap_supply, held)
    if room_kinds:
        rooms = _group_report("rooms", room_kinds, cal, supply, counts, no_shows, now)
        fit = _room_fit_out(figures.room_fit)
    return OccupancyReport(
        site=SiteRef(id=site.id, name=site.name),
        floor=FloorRef(id=floor.id, name=floor.name) if floor is not None else None,
        kind=kind,
        period=period_out(period, len(cal.open_days)),
        desks=desks,
        rooms=rooms,
        capacity_cap=cap,
        room_fit=fit,
        generated_at=clock.now(),
    )


# --- space planning -------------------------------------------------------------------------


async def space_plan_report(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    *,
    site_id: int | None,
    first: date | None = None,
    last: date | None = None,
) -> SpacePlanReport:
    """How many desks and rooms (per size band) would have served 80/90/95% of the open days;
    a room size band the site has no rooms of and never needed is left out.

    Only days up to today count: later days are not booked yet, and would count as days
    that needed little (a period reaching past today is refused, naming its field).

    Desks: the most people at a desk at the same moment, per day (no-shows left out;
    see ``_peaks``). Rooms: the most bookings at the same moment, per day, counted cumulatively by
    size (all, for 5 or more, for 9 or more people), so that a big room may serve a
    small meeting: rooms for 5-8 = need(5+) - need(9+), up to 4 = need(all) - need(5+).
    Days with no bookings count as days that needed nothing.
    """
    period = resolve_period(clock, settings, first, last, until_today=True)
    site = await get_site(session, site_id)
    cal = await site_calendar(session, site, period)
    lt = LocalTime(session, site.timezone or "Europe/Amsterdam", cal.start, cal.end)
    supply = await _supply(session, cal, SPACE_KINDS, None)
    desk_demand = {(p.day, p.kind): p.all for p in await _peaks(session, lt, cal, DESK_KINDS)}
    peaks = {(p.day, p.kind): p for p in await _peaks(session, lt, cal, ROOM_KINDS)}

    open_days = cal.open_days
    day_rows = []
    for day in open_days:
        meeting = peaks.get((day, SpaceKind.MEETING_ROOM.value))
        resident = peaks.get((day, SpaceKind.RESIDENT_ROOM.value))
        day_rows.append(
            PlanDayRow(
                date=day,
                desks=desk_demand.get((day, SpaceKind.DESK.value), 0),
                quiet_desks=desk_demand.get((day, SpaceKind.QUIET_DESK.value), 0),
                meeting_rooms=meeting.all if meeting else 0,
                meeting_rooms_5_plus=meeting.five_plus if meeting else 0,
                meeting_rooms_9_plus=meeting.nine_plus if meeting else 0,
                resident_rooms=resident.all if resident else 0,
                resident_rooms_5_plus=resident.five_plus if resident else 0,
                resident_rooms_9_plus=resident.nine_plus if resident else 0,
            )
        )

    def now_count(kind: SpaceKind, band: str | None = None) -> int:
        return sum(
            row.now
            for row in supply
            if row.kind == kind.value and (band is None or size_band(row.capacity) == band)
        )

    def needed(series: Sequence[int]) -> tuple[int, int, int, int]:
        p80, p90, p95 = (nearest_rank(series, p) for p in PERCENTILES)
        return p80, p90, p95, max(series, default=0)

    rows: list[PlanRow] = []
    for kind, attr in ((SpaceKind.DESK, "desks"), (SpaceKind.QUIET_DESK, "quiet_desks")):
        p80, p90, p95, busiest = needed([getattr(r, attr) for r in day_rows])
        rows.append(PlanRow(kind, None, now_count(kind), p80, p90, p95, busiest))
    for kind, prefix in (
        (SpaceKind.MEETING_ROOM, "meeting_rooms"),
        (SpaceKind.RESIDENT_ROOM, "resident_rooms"),
    ):
        cumulative = [
            needed([getattr(r, prefix + suffix) for r in day_rows])
            for suffix in ("", "_5_plus", "_9_plus")
        ]
        cumulative.append((0, 0, 0, 0))
        for index, (code, _low, _high) in enumerate(SIZE_BANDS):
            this, bigger = cumulative[index], cumulative[index + 1]
            # The busiest day per band is the busiest day's need for rooms of this size or
            # more, less that for bigger rooms; never below zero.
            row = PlanRow(
                kind,
                code,
                now_count(kind, code),
                max(0, this[0] - bigger[0]),
                max(0, this[1] - bigger[1]),
                max(0, this[2] - bigger[2]),
                max(0, this[3] - bigger[3]),
            )
            # A size the site has no rooms of and no meeting needed says nothing; one that
            # was needed without rooms of it is what planning is for, so it stays.
            if row.now or row.busiest_day:
                rows.append(row)
    return SpacePlanReport(
        site=SiteRef(id=site.id, name=site.name),
        period=period_out(period, len(open_days)),
        rows=rows,
        days=day_rows,
        generated_at=clock.now(),
    )


# --- work-location mix ----------------------------------------------------------------------


def working_days(period: Period) -> list[date]:
    """Monday to Friday, without Dutch public holidays."""
    return [d for d in period.days if d.weekday() < 5 and public_holiday(d) is None]


def _mix_counts_statement(
    lt: LocalTime, members: Any, days: Sequence[date], start: datetime, end: datetime
) -> Any:
    """Half days per (group, week, resolved work location) for the ``members`` subquery
    (``group_id``, ``person_id``; a person may be in several groups).

    Resolution as in presence: an explicit entry, else an active desk booking
    (office, or field base at a field base site), else the weekly pattern (a
    pattern needing a site that no longer has one counts as unknown), else unknown.
    Each person's half days are resolved once and then added up per group, so that the
    teams and "all teams" together cost one resolution of everyone, not two.
    """
    people = select(members.c.person_id).distinct().subquery("people")
    day_table = (
        values(
            column("day", Date), column("week", Date), column("weekday", Integer), name="work_days"
        )
        .data([(d, d - timedelta(days=d.weekday()), d.weekday()) for d in days])
        .cte("work_days")
    )
    parts = _parts_table()

    in_morning, in_afternoon = _covers(lt, 13 * 60)
    desk_rows = (
        select(
            Booking.booked_for_id.label("person_id"),
            lt.date(Booking.start_at).label("day"),
            in_morning.label("in_morning"),
            in_afternoon.label("in_afternoon"),
            case((Site.kind == SiteKind.FIELD_BASE.value, "field_base"), else_="office").label(
                "kind"
            ),
        )
        .join(Site, Site.id == Booking.site_id)
        .where(
            Booking.is_desk.is_(True),
            Booking.status.in_(ACTIVE_STATUS_VALUES),
            Booking.booked_for_id.in_(select(people.c.person_id)),
            Booking.start_at >= start,
            Booking.start_at < end,
        )
        .subquery("desk_rows")
    )
    desk_parts = _parts_table("desk_parts")
    booked = (
        select(
            desk_rows.c.person_id,
            desk_rows.c.day,
            desk_parts.c.part,
            func.min(desk_rows.c.kind).label("kind"),
        )
        .select_from(
            desk_rows.join(
                desk_parts,
                or_(
                    and_(desk_parts.c.part == MORNING, desk_rows.c.in_morning == 1),
                    and_(desk_parts.c.part == AFTERNOON, desk_rows.c.in_afternoon == 1),
                ),
            )
        )
        .group_by(desk_rows.c.person_id, desk_rows.c.day, desk_parts.c.part)
        .subquery("booked")
    )

    def pattern_kind(kind: Any, site_id: Any) -> Any:
        return case((and_(kind.in_(("office", "field_base")), site_id.is_(None)), None), else_=kind)

    pattern = case(
        (
            parts.c.part == MORNING,
            pattern_kind(WeeklyPattern.morning_kind, WeeklyPattern.morning_site_id),
        ),
        else_=pattern_kind(WeeklyPattern.afternoon_kind, WeeklyPattern.afternoon_site_id),
    )
    resolved = func.coalesce(WorkLocation.kind, booked.c.kind, pattern, "unknown")
    grid = (
        select(
            people.c.person_id.label("person_id"),
            day_table.c.week.label("week"),
            resolved.label("kind"),
        )
        .select_from(people)
        .join(day_table, true())
        .join(parts, true())
        .outerjoin(
            WorkLocation,
            and_(
                WorkLocation.person_id == people.c.person_id,
                WorkLocation.date == day_table.c.day,
                WorkLocation.day_part == parts.c.part,
            ),
        )
        .outerjoin(
            booked,
            and_(
                booked.c.person_id == people.c.person_id,
                booked.c.day == day_table.c.day,
                booked.c.part == parts.c.part,
            ),
        )
        .outerjoin(
            WeeklyPattern,
            and_(
                WeeklyPattern.person_id == people.c.person_id,
                WeeklyPattern.weekday == day_table.c.weekday,
            ),
        )
        .subquery("grid")
    )
    per_person = (
        select(grid.c.person_id, grid.c.week, grid.c.kind, func.count().label("half_days"))
        .group_by(grid.c.person_id, grid.c.week, grid.c.kind)
        .subquery("per_person")
    )
    return (
        select(
            members.c.group_id,
            per_person.c.week,
            per_person.c.kind,
            func.sum(per_person.c.half_days),
        )
        .join(per_person, per_person.c.person_id == members.c.person_id)
        .group_by(members.c.group_id, per_person.c.week, per_person.c.kind)
    )


def _mix_row(
    team: TeamRef | None, week: date, members: int, counts: dict[str, int] | None
) -> MixRow:
    if counts is None:
        return MixRow(
            team=team,
            week=week,
            iso_week=week.isocalendar().week,
            suppressed=True,
            members=None,
            half_days=None,
            office=None,
            field_base=None,
            home=None,
            on_location=None,
            absent=None,
            unknown=None,
            office_pct=None,
            field_base_pct=None,
            home_pct=None,
            on_location_pct=None,
            absent_pct=None,
            unknown_pct=None,
        )
    total = sum(counts.values())

    def share(kind: str) -> float | None:
        return pct(counts.get(kind, 0), total)

    return MixRow(
        team=team,
        week=week,
        iso_week=week.isocalendar().week,
        suppressed=False,
        members=members,
        half_days=total,
        office=counts.get("office", 0),
        field_base=counts.get("field_base", 0),
        home=counts.get("home", 0),
        on_location=counts.get("on_location", 0),
        absent=counts.get("absent", 0),
        unknown=counts.get("unknown", 0),
        office_pct=share("office"),
        field_base_pct=share("field_base"),
        home_pct=share("home"),
        on_location_pct=share("on_location"),
        absent_pct=share("absent"),
        unknown_pct=share("unknown"),
    )


_ALL_TEAMS = 0  # the group id of "all teams" in the work mix's counts (team ids start at 1)


async def work_mix_report(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    *,
    first: date | None = None,
    last: date | None = None,
    team_id: int | None = None,
) -> WorkMixReport:
    """Where teams work, per ISO week: half days at the office, field base, home, ...

    Teams with fewer than ``MIN_GROUP_SIZE`` active members are listed as withheld
    and their figures are not computed. "All teams" covers the people in at least
    one team that is shown, so subtracting shown teams reveals no small team.
    """
    period = resolve_period(clock, settings, first, last)
    team_rows = (
        await session.execute(
            select(Team.id, Team.name, func.count(Person.id))
            .outerjoin(TeamMembership, TeamMembership.team_id == Team.id)
            .outerjoin(Person, and_(Person.id == TeamMembership.person_id, Person.active.is_(True)))
            .group_by(Team.id, Team.name)
            .order_by(Team.name)
        )
    ).all()
    sizes = {team: (name, int(n)) for team, name, n in team_rows}
    if team_id is not None and team_id not in sizes:
        raise NotFound(_("There is no team with number %(id)s.", id=team_id), field="team")
    chosen = [team_id] if team_id is not None else list(sizes)
    shown = [t for t in chosen if sizes[t][1] >= MIN_GROUP_SIZE]

    days = working_days(period)
    weeks = sorted({d - timedelta(days=d.weekday()) for d in days})
    start = local_midnight(period.first, AMSTERDAM)
    end = local_midnight(period.last + timedelta(days=1), AMSTERDAM)
    lt = LocalTime(session, AMSTERDAM.key, start, end)

    per_team: dict[tuple[int, date], dict[str, int]] = defaultdict(dict)
    totals: dict[date, dict[str, int]] = defaultdict(dict)
    everyone = 0
    if shown and days:
        members: Select[int, int] | CompoundSelect[int, int] = (
            select(
                TeamMembership.team_id.label("group_id"),
                TeamMembership.person_id.label("person_id"),
            )
            .join(Person, Person.id == TeamMembership.person_id)
            .where(Person.active.is_(True), TeamMembership.team_id.in_(shown))
        )
        if team_id is None:  # "all teams": group 0, those in at least one team shown
            everyone_in_teams = select(
                literal(_ALL_TEAMS).label("group_id"), Person.id.label("person_id")
            ).where(
                Person.active.is_(True),
                exists().where(
                    TeamMembership.person_id == Person.id, TeamMembership.team_id.in_(shown)
                ),
            )
            everyone = int(
                (
                    await session.execute(
                        select(func.count()).select_from(everyone_in_teams.subquery())
                    )
                ).scalar_one()
            )
            members = union_all(members, everyone_in_teams)
        for group_id, week, kind, n in await session.execute(
            _mix_counts_statement(lt, members.subquery("members"), days, start, end)
        ):
            group_counts = (
                totals[_as_date(week)]
                if group_id == _ALL_TEAMS
                else per_team[(int(group_id), _as_date(week))]
            )
            group_counts[str(kind)] = int(n)

    rows = []
    for team in chosen:
        ref = TeamRef(id=team, name=sizes[team][0])
        for week in weeks:
            counts = per_team.get((team, week), {}) if team in shown else None
            rows.append(_mix_row(ref, week, sizes[team][1], counts))
    total_rows = (
        [_mix_row(None, week, everyone, totals.get(week, {})) for week in weeks]
        if team_id is None and shown
        else []
    )
    return WorkMixReport(
        period=period_out(period, len(days)),
        team=TeamRef(id=team_id, name=sizes[team_id][0]) if team_id is not None else None,
        min_group_size=MIN_GROUP_SIZE,
        rows=rows,
        totals=total_rows,
        generated_at=clock.now(),
    )


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


# --- tables (pages and CSV) -----------------------------------------------------------------


def _weekday_label(weekday: int) -> str:
    return weekday_name(weekday)


def group_tables(report: GroupReport) -> list[DataTable]:
    rooms = report.group == "rooms"
    prefix = report.group
    what = _(GROUP_LABELS[report.group])
    day_columns = [
        Column("date", _("Date"), ColumnKind.DATE),
        Column("weekday", _("Weekday")),
        Column("open", _("Open")),
        Column("morning_booked", _("Morning booked"), ColumnKind.INT),
        Column("morning_checked_in", _("Morning checked in"), ColumnKind.INT),
        Column("afternoon_booked", _("Afternoon booked"), ColumnKind.INT),
        Column("afternoon_checked_in", _("Afternoon checked in"), ColumnKind.INT),
        Column("booked_pct", _("Booked"), ColumnKind.PERCENT),
        Column("checked_in_pct", _("Checked in"), ColumnKind.PERCENT),
    ]
    if rooms:
        day_columns += [
            Column("booked_hours", _("Hours booked"), ColumnKind.NUMBER),
            Column("hours_pct", _("Share of opening hours"), ColumnKind.PERCENT),
        ]
    day_rows = []
    for row in report.days:
        values_ = [
            row.date,
            _weekday_label(row.weekday),
            _("yes") if row.open else (row.closed_reason or _("closed")),
            row.morning_booked,
            row.morning_checked_in,
            row.afternoon_booked,
            row.afternoon_checked_in,
            row.booked_pct,
            row.checked_in_pct,
        ]
        if rooms:
            values_ += [row.booked_hours, row.hours_pct]
        day_rows.append(values_)
    return [
        DataTable(
            name=f"{prefix}_days",
            caption=_("%(what)s per day", what=what),
            columns=day_columns,
            rows=day_rows,
            note=ngettext(
                "Booked: spaces held in that half day, no-shows included; checked in: spaces "
                "whose booking was checked in. Percentages are of %(count)s space, two half "
                "days per day.",
                "Booked: spaces held in that half day, no-shows included; checked in: spaces "
                "whose booking was checked in. Percentages are of %(count)s spaces, two half "
                "days per day.",
                report.spaces,
            ),
        ),
        DataTable(
            name=f"{prefix}_weekdays",
            caption=_("%(what)s per weekday", what=what),
            columns=[
                Column("weekday", _("Weekday")),
                Column("open_days", _("Open days"), ColumnKind.INT),
                Column("morning_booked_pct", _("Morning booked"), ColumnKind.PERCENT),
                Column("morning_checked_in_pct", _("Morning checked in"), ColumnKind.PERCENT),
                Column("afternoon_booked_pct", _("Afternoon booked"), ColumnKind.PERCENT),
                Column("afternoon_checked_in_pct", _("Afternoon checked in"), ColumnKind.PERCENT),
                Column("booked_pct", _("Booked"), ColumnKind.PERCENT),
                Column("checked_in_pct", _("Checked in"), ColumnKind.PERCENT),
                Column("peak_booked", _("Most booked in a half day"), ColumnKind.INT),
            ],
            rows=[
                [
                    _weekday_label(row.weekday),
                    row.open_days,
                    row.morning_booked_pct,
                    row.morning_checked_in_pct,
                    row.afternoon_booked_pct,
                    row.afternoon_checked_in_pct,
                    row.booked_pct,
                    row.checked_in_pct,
                    row.peak_booked,
                ]
                for row in report.weekdays
            ],
            note=_("Averages over the open days that fell on each weekday."),
        ),
        DataTable(
            name=f"{prefix}_day_parts",
            caption=_("%(what)s per day part", what=what),
            columns=[
                Column("day_part", _("Day part")),
                Column("open_days", _("Open days"), ColumnKind.INT),
                Column("average_booked", _("Average booked"), ColumnKind.NUMBER),
                Column("average_checked_in", _("Average checked in"), ColumnKind.NUMBER),
                Column("booked_pct", _("Booked"), ColumnKind.PERCENT),
                Column("checked_in_pct", _("Checked in"), ColumnKind.PERCENT),
                Column("peak_booked", _("Most booked"), ColumnKind.INT),
            ],
            rows=[
                [
                    label(row.day_part),
                    row.open_days,
                    row.average_booked,
                    row.average_checked_in,
                    row.booked_pct,
                    row.checked_in_pct,
                    row.peak_booked,
                ]
                for row in report.day_parts
            ],
        ),
    ]


def occupancy_tables(report: OccupancyReport) -> list[DataTable]:
    tables: list[DataTable] = []
    groups = [g for g in (report.desks, report.rooms) if g is not None]
    for group in groups:
        tables += group_tables(group)
    tables.append(
        DataTable(
            name="no_show",
            caption=_("No-shows by kind of space"),
            short_caption=_("No-shows"),
            columns=[
                Column("group", _("Spaces")),
                Column("released", _("Released (no-show)"), ColumnKind.INT),
                Column("checked_in", _("Checked in"), ColumnKind.INT),
                Column("past_confirmed", _("Confirmed, not checked in"), ColumnKind.INT),
                Column("rate_pct", _("No-show rate"), ColumnKind.PERCENT),
            ],
            rows=[
                [
                    _(GROUP_LABELS[g.group]),
                    g.no_show.released,
                    g.no_show.checked_in,
                    g.no_show.past_confirmed,
                    g.no_show.rate_pct,
                ]
                for g in groups
            ],
            note=_(
                "No-show rate = released / (released + checked in + confirmed bookings that "
                "are over)."
            ),
        )
    )
    cap = report.capacity_cap
    if cap is not None:
        tables.append(
            DataTable(
                name="capacity_cap",
                caption=_("Days at the capacity cap"),
                columns=[
                    Column("date", _("Date"), ColumnKind.DATE),
                    Column("weekday", _("Weekday")),
                ],
                rows=[[day, _weekday_label(day.weekday())] for day in cap.dates],
                note=cap_note(cap),
            )
        )
    fit = report.room_fit
    if fit is not None:
        tables.append(
            DataTable(
                name="room_fit",
                caption=_("Meeting-room fit: booked attendees as a share of seats"),
                short_caption=_("Meeting-room fit"),
                columns=[
                    Column("band", _("Attendees")),
                    Column("bookings", _("Bookings"), ColumnKind.INT),
                    Column("share_pct", _("Share"), ColumnKind.PERCENT),
                ],
                rows=[[_(FIT_BAND_LABELS[b.band]), b.bookings, b.share_pct] for b in fit.bands],
                note=_(
                    "%(share)s of the room bookings used half of the seats or fewer.",
                    share=html_cell(fit.half_or_less_pct, PERCENT_COLUMN),
                ),
            )
        )
        tables.append(
            DataTable(
                name="room_fit_sizes",
                caption=_("Meeting-room fit per room size"),
                columns=[
                    Column("size_band", _("Room size")),
                    Column("bookings", _("Bookings"), ColumnKind.INT),
                    Column("average_attendees", _("Average attendees"), ColumnKind.NUMBER),
                    Column("half_or_less_pct", _("Half of the seats or fewer"), ColumnKind.PERCENT),
                ],
                rows=[
                    [
                        _(SIZE_BAND_LABELS[s.size_band]),
                        s.bookings,
                        s.average_attendees,
                        s.half_or_less_pct,
                    ]
                    for s in fit.sizes
                ],
            )
        )
    return tables


def cap_note(cap: CapacityCapOut) -> str:
    if cap.cap_percent is None:
        return ngettext(
            "This site has no capacity cap: these are the days on which its only desk "
            "was booked in the morning or the afternoon. Counted from the bookings.",
            "This site has no capacity cap: these are the days on which all %(count)s desks "
            "were booked in the morning or the afternoon. Counted from the bookings.",
            cap.desks,
        )
    return _(
        "The cap allows %(limit)s of the %(desks)s desks (%(percent)s) per day part. Counted "
        "from the bookings: a day counts when, in the morning or the afternoon, that many people "
        "had a desk (someone who moved desks counts once), so people who wanted a desk then "
        "could not get one.",
        limit=cap.limit,
        desks=cap.desks,
        percent=format_percent(cap.cap_percent),
    )


def plan_row_label(row: PlanRow) -> str:
    if row.size_band is None:
        return label(row.kind)
    return f"{label(row.kind)}, {_(SIZE_BAND_LABELS[row.size_band])}"


def space_plan_tables(report: SpacePlanReport) -> list[DataTable]:
    return [
        DataTable(
            name="space_plan",
            caption=_("Spaces needed against spaces available"),
            short_caption=_("Needed and available"),
            columns=[
                Column("space", _("Spaces")),
                Column("now", _("Available now"), ColumnKind.INT),
                Column("p80", _("For 80% of days"), ColumnKind.INT),
                Column("p90", _("For 90% of days"), ColumnKind.INT),
                Column("p95", _("For 95% of days"), ColumnKind.INT),
                Column("busiest_day", _("Busiest day"), ColumnKind.INT),
                Column("difference_p90", _("Available minus needed (90%)"), ColumnKind.INT),
            ],
            rows=[
                [
                    plan_row_label(row),
                    row.now,
                    row.p80,
                    row.p90,
                    row.p95,
                    row.busiest_day,
                    row.now - row.p90,
                ]
                for row in report.rows
            ],
            note=ngettext(
                "Based on %(count)s open day. Desks: the most people at a desk at the same "
                "time; rooms: the most bookings at the same time, no-shows left out. A larger "
                "room may serve a smaller meeting.",
                "Based on %(count)s open days. Desks: the most people at a desk at the same "
                "time; rooms: the most bookings at the same time, no-shows left out. A larger "
                "room may serve a smaller meeting.",
                report.period.open_days,
            ),
        ),
        DataTable(
            name="plan_days",
            caption=_("Need per open day"),
            columns=[
                Column("date", _("Date"), ColumnKind.DATE),
                Column("desks", label(SpaceKind.DESK), ColumnKind.INT),
                Column("quiet_desks", label(SpaceKind.QUIET_DESK), ColumnKind.INT),
                Column("meeting_rooms", _("Meeting rooms at once"), ColumnKind.INT),
                Column("meeting_rooms_5_plus", _("of which for 5 or more"), ColumnKind.INT),
                Column("meeting_rooms_9_plus", _("of which for 9 or more"), ColumnKind.INT),
                Column("resident_rooms", _("Resident rooms at once"), ColumnKind.INT),
                Column("resident_rooms_5_plus", _("of which for 5 or more"), ColumnKind.INT),
                Column("resident_rooms_9_plus", _("of which for 9 or more"), ColumnKind.INT),
            ],
            rows=[
                [
                    row.date,
                    row.desks,
                    row.quiet_desks,
                    row.meeting_rooms,
                    row.meeting_rooms_5_plus,
                    row.meeting_rooms_9_plus,
                    row.resident_rooms,
                    row.resident_rooms_5_plus,
                    row.resident_rooms_9_plus,
                ]
                for row in report.days
            ],
        ),
    ]


def _mix_columns(with_team: bool) -> list[Column]:
    columns = [Column("team", _("Team"))] if with_team else []
    return [
        *columns,
        Column("week", _("Week"), ColumnKind.WEEK),
        Column("week_start", _("Week starts"), ColumnKind.DATE),
        Column("members", _("People"), ColumnKind.INT),
        Column("half_days", _("Half days"), ColumnKind.INT),
        *(Column(f"{kind}_pct", _(MIX_LABELS[kind]), ColumnKind.PERCENT) for kind in MIX_KINDS),
    ]


def _mix_values(row: MixRow, with_team: bool) -> list[Any]:
    hidden = SUPPRESSED if row.suppressed else None
    values_: list[Any] = [row.team.name if row.team else _("All teams")] if with_team else []
    return [
        *values_,
        row.week,
        row.week,
        hidden or row.members,
        hidden or row.half_days,
        *(hidden or getattr(row, f"{kind}_pct") for kind in MIX_KINDS),
    ]


def work_mix_tables(report: WorkMixReport) -> list[DataTable]:
    note = _(
        "Share of half days (Monday to Friday, not public holidays) per work location, for "
        "the current members of each team. Teams with fewer than %(n)s people are not shown "
        "(< %(n)s).",
        n=report.min_group_size,
    )
    tables = [
        DataTable(
            name="work_mix",
            caption=_("Work locations per team and week"),
            short_caption=_("Per team and week"),
            columns=_mix_columns(True),
            rows=[_mix_values(row, True) for row in report.rows],
            note=note,
        )
    ]
    if report.totals:
        tables.insert(
            0,
            DataTable(
                name="work_mix_total",
                caption=_("Work locations per week, all teams shown"),
                short_caption=_("All teams"),
                columns=_mix_columns(False),
                rows=[_mix_values(row, False) for row in report.totals],
                note=note,
            ),
        )
    return tables


def find_table(tables: Sequence[DataTable], name: str | None) -> DataTable:
    """The table asked for by ``?table=``; the first one when none is named."""
    if name is None or name == "":
        return tables[0]
    for table in tables:
        if table.name == name:
            return table
    raise InvalidInput(
        _(
            "There is no table %(name)s here; choose one of: %(names)s.",
            name=name,
            names=", ".join(t.name for t in tables),
        ),
        field="table",
    )
