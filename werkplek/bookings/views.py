"""Pages: book a desk, book a room, plan a team day, my bookings, check-in (QR), approvals,
QR codes."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import segno
from litestar import Controller, Request, Response, get, post
from litestar.di import Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.analytics.charts import Column, ColumnKind, DataTable, csv_response
from werkplek.bookings import (
    alternatives,
    favourites,
    participants,
    series_changes,
    services,
    team_days,
    waitlist,
)
from werkplek.bookings.availability import (
    RoomAvailability,
    book_again_day,
    book_walk_in,
    desk_availability,
    desk_groups,
    first_day_part,
    first_open_day,
    free_desks,
    page_day,
    room_availability,
    rooms_free_between,
    sites_with_spaces,
    teammates_seated,
    walk_in_parts,
)
from werkplek.bookings.models import Booking, BookingStatus, ParticipantResponse
from werkplek.bookings.schemas import (
    AlternativesOut,
    BookingIn,
    BookingOut,
    DeclineIn,
    RescheduleIn,
    RoomStatusOut,
    SiteDayFilter,
    SkippedDate,
    TeamDayIn,
    TeamDayOut,
    WaitIn,
)
from werkplek.clock import Clock, local_today
from werkplek.config import Settings
from werkplek.errors import DomainError, Forbidden, InvalidInput
from werkplek.i18n import N_, _, ngettext
from werkplek.labels import WEEKDAY_NAMES, label, long_date, time_range
from werkplek.people.models import Role
from werkplek.people.services import (
    CurrentUser,
    PersonChoice,
    PersonChoices,
    colleague_choices,
    person_names,
    search_text,
)
from werkplek.people.views import safe_next
from werkplek.rooms.models import Amenity, SafetyFeature, Site, SpaceKind
from werkplek.rooms.services import (
    DayPart,
    amenities_named,
    by_floor,
    day_part_or_none,
    floor_among,
    get_space,
    list_floors,
    list_sites,
    list_spaces,
    main_site,
)
from werkplek.web import (
    ClockDep,
    DbDep,
    FormInvalid,
    SettingsDep,
    UserDep,
    convert_form,
    date_or,
    int_or_none,
    is_htmx,
    login_required,
    page,
    people_search,
    provide_user,
    read_form,
    read_query,
    refusal,
    role_required,
)

SLOT_MINUTES = 30
DESK_STATUS_TEXT = {
    "free": N_("Free"),
    "yours": N_("Yours"),
    "taken": N_("Taken"),
    "full": N_("Capacity cap reached"),
    "closed": N_("Closed"),
    "restricted": N_("For other teams"),
    "past": N_("Over"),
}


def _render(
    request: Request[Any, Any, Any], template: str, *, status_code: int = 200, **context: Any
) -> Template:
    """``page`` with what the booking templates' macros need."""
    return page(request, template, status_code=status_code, weekday_names=WEEKDAY_NAMES, **context)


#: What a change of a booking says, by the key ``_after_change`` passes on (``?done=``).
_DONE = {
    "cancelled": N_("Cancelled."),
    "checked_in": N_("You are checked in."),
    "checked_out": N_("Checked out; the rest of the time is free for others."),
    "waiting": N_("You are on the waitlist: you get an e-mail when a desk is booked for you."),
    "left_waitlist": N_("You have left the waitlist."),
    "accepted": N_("You have accepted the invitation."),
    "declined": N_("You have declined the invitation."),
}


#: What a participant answers on the page (``respond``).
_ANSWERS = (ParticipantResponse.ACCEPTED.value, ParticipantResponse.DECLINED.value)


def _row_scope(form: dict[str, Any]) -> dict[str, Any]:
    """What the page of a changed booking's row says once above all its rows (Bookings by
    site: ``row_day`` and ``row_site``), as the row's form sent it, so that the row comes
    back without it as well; a garbled value is left out, the row then names it."""
    scope: dict[str, Any] = {}
    with suppress(ValueError):
        scope["row_day"] = date.fromisoformat(str(form.get("row_day") or ""))
    with suppress(ValueError):
        scope["row_site"] = int(str(form.get("row_site") or ""))
    return scope


@dataclass(frozen=True)
class _SiteDayAsked:
    """What Bookings by site was asked for: its query as sent, the sites to choose from,
    the site and day shown, the filters, and what is wrong with them."""

    values: dict[str, Any]
    sites: list[Site]
    site: Site | None
    day: date
    filters: SiteDayFilter
    errors: dict[str, str]


async def _site_day_asked(
    request: Request[Any, Any, Any], db: AsyncSession, clock: Clock
) -> _SiteDayAsked:
    values = read_query(request)
    sites = list(await list_sites(db))
    errors: dict[str, str] = {}
    try:
        filters = convert_form(
            values, SiteDayFilter, empty_is_none=("site", "date", "kind", "status")
        )
    except FormInvalid as exc:
        errors, filters = exc.errors, SiteDayFilter()
    site = next((s for s in sites if s.id == filters.site), None)
    if filters.site is not None and site is None:
        errors.setdefault("site", _("Choose one of the sites listed."))
    site = site or main_site(sites)
    day = filters.date or (await first_open_day(db, clock, site.id) if site else local_today(clock))
    return _SiteDayAsked(values, sites, site, day, filters, errors)


def _site_day_filters(asked: _SiteDayAsked) -> tuple[bool | None, tuple[str, ...]]:
    """The page's kind and status filters as ``site_day_bookings`` and
    ``site_day_export`` take them (``is_desk``, ``statuses``)."""
    is_desk = {"desks": True, "rooms": False}.get(asked.filters.kind or "")
    return is_desk, (asked.filters.status.value,) if asked.filters.status else ()


def _site_day_table(bookings: Sequence[BookingOut], site: Site, day: date) -> DataTable:
    """The bookings of a site's day as a table for a spreadsheet: when, where, for whom,
    by whom, and their state (the meeting subjects too: facilities may read them)."""

    def clock_time(moment: datetime | None) -> str:
        return moment.strftime("%H:%M") if moment is not None else ""

    return DataTable(
        name="bookings",
        caption=_("Bookings at %(site)s on %(day)s", site=site.name, day=day.isoformat()),
        short_caption=_("Bookings"),
        columns=[
            Column("start", _("Start")),
            Column("end", _("End")),
            Column("day_part", _("Day part")),
            Column("space", _("Space")),
            Column("kind", _("Kind")),
            Column("booked_for", _("Booked for")),
            Column("booked_by", _("Booked by")),
            Column("status", _("Status")),
            Column("checked_in", _("Checked in at")),
            Column("attendees", _("Attendees"), ColumnKind.INT),
            Column("title", _("Subject")),
        ],
        rows=[
            [
                clock_time(booking.local_start),
                clock_time(booking.local_end),
                label(booking.day_part.value) if booking.day_part else "",
                booking.space_name,
                label(booking.space_kind.value),
                booking.booked_for_name or "",
                booking.booked_by_name or "",
                label(booking.status),
                clock_time(
                    booking.checked_in_at.astimezone(booking.local_start.tzinfo)
                    if booking.checked_in_at
                    else None
                ),
                booking.attendees,
                booking.title,
            ]
            for booking in bookings
        ],
    )


async def _pick_site(
    db: AsyncSession, site_id: int | None, kinds: tuple[SpaceKind, ...] = ()
) -> tuple[list[Site], Site | None]:
    """The sites to choose from (with spaces of these kinds, if given), and the chosen one."""
    sites = list(await list_sites(db))
    if kinds:
        with_kinds = await sites_with_spaces(db, kinds)
        sites = [s for s in sites if s.id in with_kinds]
    chosen = next((s for s in sites if s.id == site_id), None) or main_site(sites)
    return sites, chosen


async def _place_asked_or_usual(
    db: AsyncSession, user: CurrentUser, values: dict[str, Any]
) -> tuple[int | None, int | None]:
    """The site and floor a page was asked for; opened afresh (no site asked for), where
    the user usually sits (``favourites.usual_place``)."""
    site_id, floor_id = int_or_none(values.get("site")), int_or_none(values.get("floor"))
    if "site" not in values:
        usual = await favourites.usual_place(db, user.id)
        if usual is not None:
            site_id = usual.site_id
            floor_id = floor_id if "floor" in values else usual.floor_id
    return site_id, floor_id


async def _day_of(
    db: AsyncSession, clock: Clock, values: dict[str, Any], site: Site | None
) -> date:
    return await page_day(db, clock, date_or(values.get("date"), None), site.id if site else None)


async def _people_for(
    db: AsyncSession, user: CurrentUser, values: dict[str, Any]
) -> PersonChoices | None:
    """Whom the user may book for (keeping the colleague chosen in ``values``, narrowed by
    the search of its box); None when only for themselves, so that there is no choice to
    show."""
    if not services.may_book_for_others(user):
        return None
    return await services.bookable_people(
        db,
        user,
        containing=people_search(values).text,
        keep=int_or_none(values.get("booked_for_id")),
    )


#: The participant picker of Ruimte boeken: its search box, its Search button, the search
#: the list was drawn with, the colleague picked to add, and its Add button.
PARTICIPANT_FIELDS = (
    "participant_find",
    "find_participants",
    "participant_found",
    "add_participant",
    "add_participants",
)


def _participant_ids(values: dict[str, Any]) -> list[int]:
    """The colleagues a room form invites: those ticked, and the one picked to add."""
    ticked = values.get("participants") or []
    raw = [ticked] if isinstance(ticked, str) else list(ticked)
    ids = (int_or_none(value) for value in [*raw, values.get("add_participant")])
    return list(dict.fromkeys(i for i in ids if i is not None))


def _participants_only(values: dict[str, Any]) -> bool:
    """Whether a room form was sent to find or add a participant, not to book: its Search
    or Add button, or Enter with another search in the box than the list was drawn with."""
    find, search, drawn, _picked, add = PARTICIPANT_FIELDS
    changed = drawn in values and str(values.get(find) or "") != str(values.get(drawn) or "")
    return bool(values.get(search) or values.get(add)) or changed


async def _participant_picker(
    db: AsyncSession, user: CurrentUser, values: dict[str, Any]
) -> dict[str, Any]:
    """What the room form's participant picker shows: the colleagues invited so far (by
    name, in the order chosen) and the colleagues to add, narrowed by its search box."""
    chosen = _participant_ids(values)
    names = await person_names(db, chosen)
    return {
        "chosen_participants": [(i, names[i]) for i in chosen if i in names],
        "participant_choices": await colleague_choices(
            db,
            containing=search_text(str(values.get("participant_find") or "")[:100]),
            exclude=user.id,
        ),
    }


def _colleague_chosen(people: PersonChoices | None, values: dict[str, Any]) -> PersonChoice | None:
    """The colleague chosen to book for (``booked_for_id``), if the user may book for them:
    the desk page then shows the desk they hold and offers to move it."""
    chosen = int_or_none(values.get("booked_for_id"))
    if people is None or chosen is None:
        return None
    return next((person for person in people.shown if person.id == chosen), None)


def _recurrence_from_form(form: dict[str, Any], errors: dict[str, str]) -> dict[str, Any] | None:
    """The weekly repeat asked for, if any; a half-filled one adds to ``errors``."""
    weekdays = form.get("repeat_weekdays") or []
    until = str(form.get("repeat_until") or "")
    if not weekdays and not until:
        return None
    if not weekdays:
        errors["repeat_weekdays"] = _("Choose the weekdays to repeat on.")
    try:
        date.fromisoformat(until)
    except ValueError:
        errors["repeat_until"] = _("Choose the last date to repeat on.")
    return {"weekdays": weekdays, "until": until}


def _local_times(
    day: str, start: Any, end: Any, errors: dict[str, str]
) -> tuple[datetime, datetime] | None:
    """A room form's date and HH:MM times as naive local datetimes (read in the site's zone);
    each one missing adds to ``errors``."""
    try:
        on = date.fromisoformat(day)
    except ValueError:
        errors["date"] = _("Choose a date.")
        return None
    times = []
    for name, value, message in (
        ("start", start, _("Choose a start time.")),
        ("end", end, _("Choose an end time.")),
    ):
        try:
            times.append(datetime.combine(on, time.fromisoformat(str(value or ""))))
        except ValueError:
            errors[name] = message
    return (times[0], times[1]) if len(times) == 2 else None


def _form_errors(exc: DomainError | FormInvalid) -> tuple[str, dict[str, str]]:
    """The error to show above the form, and the message per field (``form``: no field)."""
    if isinstance(exc, FormInvalid):
        errors = {
            # Only a weekday outside 0-6 gets past _recurrence_from_form into convert_form.
            ("repeat_weekdays" if name == "recurrence" else name): message
            for name, message in exc.errors.items()
        }
        return _("Please correct the marked fields."), errors
    field_name = (exc.field or "form").split(".")[0]
    if field_name == "recurrence":
        field_name = "repeat_until"
    return exc.message, {field_name: exc.message}


def _desk_query(form: dict[str, Any]) -> dict[str, Any]:
    """The desk page's filters from its form, to return to them without script."""
    return {
        "site": form.get("site") or "",
        "floor": form.get("floor") or "",
        "date": form.get("date") or "",
        "day_part": form.get("day_part") or "",
        "amenity": form.get("amenity") or [],
        "free": form.get("free") or "",
        "booked_for_id": form.get("booked_for_id") or "",
    }


_ROOM_FILTERS = (
    "site", "date", "floor", "kind", "min_capacity", "amenity", "safety", "free_from", "free_until",
)  # fmt: skip


def _free_window(values: dict[str, Any], errors: dict[str, str]) -> tuple[time, time] | None:
    """The room page's "free from ... until" filter as local times, or None when it is
    left empty or wrong (then ``errors`` says why, per field)."""
    raw = {name: str(values.get(name) or "") for name in ("free_from", "free_until")}
    if not any(raw.values()):
        return None
    times: dict[str, time] = {}
    for name, message in (
        ("free_from", _("Choose from when the room must be free.")),
        ("free_until", _("Choose until when the room must be free.")),
    ):
        try:
            times[name] = time.fromisoformat(raw[name])
        except ValueError:
            errors[name] = message
    if len(times) < 2:
        return None
    if times["free_until"] <= times["free_from"]:
        errors["free_until"] = _("The end must be after the start.")
        return None
    return times["free_from"], times["free_until"]


def _asked_times(values: dict[str, Any]) -> tuple[time | None, time | None]:
    """The room form's start and end as asked (by a free time in the grid, a door
    display's QR code, or the form sent back with an error); what is not a time in whole
    minutes is ignored, as a page ignores a date it cannot read. An end before the start is
    kept: booking it says what is wrong."""
    times: list[time | None] = []
    for name in ("start", "end"):
        try:
            asked: time | None = time.fromisoformat(str(values.get(name) or ""))
        except ValueError:
            asked = None
        times.append(
            asked if asked is not None and not (asked.second or asked.microsecond) else None
        )
    return times[0], times[1]


def _room_not_bookable(
    values: dict[str, Any],
    rows: Sequence[tuple[RoomStatusOut, list[GridCell]]],
    availability: RoomAvailability,
) -> bool:
    """Whether the room asked for (``space_id``, as a door display's QR code asks for its
    own) is not one the form offers, while it offers others: it is reserved for other
    teams, closed, not a room of this site, or not free when the filters ask. Without
    saying so, the form would have its first room chosen instead."""
    asked = values.get("space_id")
    offered = [room.space_id for room, _cells in rows if room.bookable and not room.closed]
    return (
        bool(asked)
        and bool(offered)
        and not availability.not_bookable
        and int_or_none(asked) not in offered
    )


def _safety_named(values: dict[str, Any]) -> list[SafetyFeature]:
    """The safety features the room page's filter asks for."""
    return [f for f in SafetyFeature if f.value in values.get("safety", [])]


def _room_filters(values: dict[str, Any]) -> dict[str, Any]:
    """The room page's filters that are set: its links to a free time and the page after
    booking keep them."""
    return {key: values[key] for key in _ROOM_FILTERS if values.get(key)}


async def favourite_changed(
    db: AsyncSession, clock: Clock, user: CurrentUser, form: dict[str, Any]
) -> str:
    """Keep the desk in ``add_favourite`` or drop the one in ``remove_favourite``; the line
    that says so."""
    added = int_or_none(form.get("add_favourite"))
    space_id = added if added is not None else int_or_none(form.get("remove_favourite"))
    if space_id is None:
        raise InvalidInput(_("Choose a desk."), field="space_id")
    space = await get_space(db, space_id)
    if added is not None:
        await favourites.add_favourite(db, clock, user, space_id)
        return _("%(desk)s is one of your favourites now.", desk=space.name)
    await favourites.remove_favourite(db, user, space_id)
    return _("%(desk)s is no longer one of your favourites.", desk=space.name)


async def _booked_message_of(
    db: AsyncSession, user: CurrentUser, values: dict[str, Any]
) -> str | None:
    """The page after a plain form booked (``?booked=`` the booking) says what was booked,
    or where the desk booking moved (``&moved=1``)."""
    booked = int_or_none(values.get("booked"))
    if booked is None:
        return None
    try:
        booking = await services.get_booking(db, user, booked)
    except DomainError:
        return None
    out = (await services.bookings_out(db, [booking]))[0]
    return services.booked_message(out, moved=values.get("moved") == "1")


def _created_message(
    result: services.BookingResult, outs: list[BookingOut], *, moved: bool = False
) -> str:
    """What the desk page says after booking or moving; a weekly booking's skipped dates
    are listed below it, each with its reason."""
    if result.series is None:
        return services.booked_message(outs[0], moved=moved)
    if not result.skipped:
        return ngettext("Booked %(count)s date.", "Booked %(count)s dates.", len(result.created))
    return ngettext(
        "Booked %(count)s date; these could not be booked:",
        "Booked %(count)s dates; these could not be booked:",
        len(result.created),
    )


def _changed_message(booking: BookingOut) -> str:
    """What a page says after a room booking changed: where and when it is now."""
    return _(
        "Changed: %(space)s, %(day)s, %(hours)s.",
        space=booking.space_name,
        day=long_date(booking.date),
        hours=time_range(booking.local_start, booking.local_end),
    )


async def _changed_message_of(db: AsyncSession, user: CurrentUser, booking_id: int) -> str | None:
    """What "Mijn reserveringen" says after a plain form changed a booking (``?changed=``
    the booking as it is now); nothing for a booking one may not see."""
    try:
        booking = await services.get_booking(db, user, booking_id)
    except DomainError:
        return None
    return _changed_message((await services.bookings_out(db, [booking]))[0])


def _change_came_from(values: dict[str, Any]) -> str:
    """Where the change form goes back to: the page it was opened from (``next``, a path
    of this site only), else My bookings."""
    asked = str(values.get("next") or "")
    return asked if asked and safe_next(asked) == asked else "/bookings"


def _reschedule_from_form(form: dict[str, Any]) -> RescheduleIn:
    """The change form's date, times (HH:MM) and room; each one missing or garbled is
    refused, all at once, naming its field."""
    errors: dict[str, str] = {}
    times = _local_times(str(form.get("date") or ""), form.get("start"), form.get("end"), errors)
    space_id = int_or_none(form.get("space_id"))
    if space_id is None:
        errors["space_id"] = _("Choose a room.")
    if times is None or errors:
        raise FormInvalid(errors)
    return RescheduleIn(
        date=times[0].date(),
        start=f"{times[0]:%H:%M}",
        end=f"{times[1]:%H:%M}",
        space_id=space_id,
    )


# --- rooms grid ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GridCell:
    start: str  # local HH:MM
    state: str  # free | taken | yours | pending | past | closed | restricted
    span: int = 1  # the half hours this cell covers
    title: str | None = None  # the meeting's subject (where the viewer may see it), or why closed


def _slot_times(opens: time, closes: time) -> list[time]:
    times = []
    cursor = datetime.combine(date(2000, 1, 3), opens)
    end = datetime.combine(date(2000, 1, 3), closes)
    while cursor < end:
        times.append(cursor.time())
        cursor += timedelta(minutes=SLOT_MINUTES)
    return times


def _grid_row(
    room: RoomStatusOut, day: date, times: list[time], zone: ZoneInfo, now: datetime
) -> list[GridCell]:
    cells = []
    for index, start in enumerate(times):
        slot_start = datetime.combine(day, start, tzinfo=zone).astimezone(UTC)
        slot_end = (
            datetime.combine(day, times[index + 1], tzinfo=zone).astimezone(UTC)
            if index + 1 < len(times)
            else slot_start + timedelta(minutes=SLOT_MINUTES)
        )
        busy = [b for b in room.busy if b.start < slot_end and b.end > slot_start]
        if room.closed:
            state = "closed"
        elif any(b.yours for b in busy):
            state = "yours"
        elif any(b.status == "pending" for b in busy):
            state = "pending"
        elif busy:
            state = "taken"
        elif not room.bookable:
            state = "restricted"
        elif slot_end <= now or not any(
            f.start <= slot_start and f.end > slot_start for f in room.free
        ):
            state = "past"
        else:
            state = "free"
        title = (
            room.closed_reason if room.closed else next((b.title for b in busy if b.title), None)
        )
        cells.append(GridCell(start=start.strftime("%H:%M"), state=state, title=title))
    return _merged(cells)


def _merged(cells: list[GridCell]) -> list[GridCell]:
    """Consecutive half hours in one state (and of one subject) share a cell, so that a
    two-hour meeting or a closed room reads as one block; free half hours stay apart,
    each a start to click."""
    merged: list[GridCell] = []
    for cell in cells:
        last = merged[-1] if merged else None
        if last and cell.state != "free" and (last.state, last.title) == (cell.state, cell.title):
            merged[-1] = replace(last, span=last.span + 1)
        else:
            merged.append(cell)
    return merged


# --- pages --------------------------------------------------------------------------------


class BookingPages(Controller):
    tags = ["pages"]
    include_in_schema = False
    guards = [login_required]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    # --- desks ---------------------------------------------------------------------------

    async def _desk_page(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        clock: Clock,
        user: CurrentUser,
        values: dict[str, Any],
        *,
        status_code: int = 200,
        message: str | None = None,
        error: str | None = None,
        errors: dict[str, str] | None = None,
        skipped: Sequence[SkippedDate] = (),
        template: str = "bookings/book_desk.html",
    ) -> Template:
        """The desk page, or with htmx one of its parts: ``_desk_booking.html`` (filters
        and results, when the filters change) or ``_desk_results.html`` (after booking)."""
        site_id, floor_id = await _place_asked_or_usual(db, user, values)
        sites, site = await _pick_site(db, site_id, services.DESK_KINDS)
        day = await _day_of(db, clock, values, site)
        amenities = amenities_named(values.get("amenity"))
        chosen = day_part_or_none(values.get("day_part"))
        part = chosen or DayPart.DAY
        availability = None
        floors: list[Any] = []
        held: list[services.DeskBooking] = []
        people = await _people_for(db, user, values)
        colleague = _colleague_chosen(people, values)
        colleague_held: list[services.DeskBooking] = []
        favourite_ids = await favourites.favourite_desk_ids(db, user.id)
        if site is not None:
            floors = list(await list_floors(db, site.id))
            floor_id = floor_among(floors, floor_id)
            availability = await desk_availability(
                db, clock, user, site.id, day, floor_id=floor_id, amenities=amenities
            )
            part = chosen or first_day_part(availability, clock.now())
            window = availability.window(part)
            if window is not None:  # the site is open that day
                held = await services.desks_held(db, user.id, window.start, window.end)
                if colleague is not None:
                    colleague_held = await services.desks_held(
                        db, colleague.id, window.start, window.end
                    )
        desks = availability.desks if availability else []
        free = free_desks(desks, part)
        free_half_days: list[tuple[DayPart, int]] = []
        if part is DayPart.DAY and not free:  # the halves that still have free desks
            counts = (
                (half, len(free_desks(desks, half)))
                for half in (DayPart.MORNING, DayPart.AFTERNOON)
            )
            free_half_days = [(half, count) for half, count in counts if count]
        only_free = values.get("free") == "1"
        holder_held = colleague_held if colleague else held
        movable = services.movable_desk(holder_held, part, clock.now())
        may_move = movable is not None and await services.may_move_desk(db, user, movable)
        elsewhere = services.desk_held_for_another_part(holder_held, part, clock.now())
        if elsewhere is not None and not await services.may_move_desk(db, user, elsewhere):
            elsewhere = None
        context = {
            "sites": sites,
            "site": site,
            "floors": floors,
            "floor_id": floor_id,
            "amenities": list(Amenity),
            "chosen_amenities": [a.value for a in amenities],
            "day": day,
            "day_part": part.value,
            "day_parts": list(DayPart),
            "availability": availability,
            "desks": desks,
            "free": free,
            "free_half_days": free_half_days,
            "teammates": teammates_seated(desks),
            "groups": desk_groups(desks, floors, favourite_ids, part, only_free=only_free),
            "only_free": only_free,
            "favourite_ids": favourite_ids,
            "held": held,
            "colleague": colleague,
            "colleague_held": colleague_held,
            "movable": movable if may_move else None,
            "not_to_move": movable is not None and not may_move,
            "move_in_part": elsewhere.day_part if elsewhere else None,
            "status_text": DESK_STATUS_TEXT,
            "people": people,
            "values": values,
            "weekdays": WEEKDAY_NAMES,
            "message": message,
            "skipped": skipped,
            "error": error,
            "errors": errors or {},
            "today": local_today(clock),
            "wait_offer": await waitlist.desk_page_offer(db, clock, user, availability, part, held),
        }
        return _render(request, template, status_code=status_code, **context)

    @get("/book/desk")
    async def book_desk_page(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        settings: SettingsDep,
    ) -> Template:
        values = read_query(request, ("amenity",))
        return await self._desk_page(
            request,
            db,
            clock,
            user,
            values,
            message=await _booked_message_of(db, user, values),
            template="bookings/_desk_booking.html"
            if is_htmx(request)
            else "bookings/book_desk.html",
        )

    @post("/book/desk")
    async def book_desk(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        settings: SettingsDep,
    ) -> Template | Redirect:
        form = await read_form(request, ("repeat_weekdays", "amenity"))
        template = "bookings/_desk_results.html" if is_htmx(request) else "bookings/book_desk.html"
        if people_search(form).asked:  # only the colleague looked up: nothing is booked
            return await self._desk_page(request, db, clock, user, form, template=template)
        errors: dict[str, str] = {}
        raw = {
            "space_id": form.get("space_id"),
            "date": form.get("date"),
            "day_part": form.get("day_part"),
            "booked_for_id": form.get("booked_for_id") or None,
            "recurrence": _recurrence_from_form(form, errors),
        }
        moving, move_to = int_or_none(form.get("moving")), int_or_none(form.get("move_to"))
        moved = moving is not None and move_to is not None
        try:
            if moving is not None and move_to is not None:
                result = await services.move_desk_booking(
                    db, clock, user, moving, move_to, str(form.get("reason") or "")
                )
            else:
                if errors:
                    raise FormInvalid(errors)
                data = convert_form(raw, BookingIn, empty_is_none=("booked_for_id",))
                result = await services.create_booking(db, clock, user, data)
        except (DomainError, FormInvalid) as exc:
            await db.rollback()
            error, errors = _form_errors(exc)
            status = exc.status_code if isinstance(exc, DomainError) else 422
            return await self._desk_page(
                request,
                db,
                clock,
                user,
                form,
                status_code=status,
                error=error,
                errors=errors,
                template=template,
            )
        outs = await services.bookings_out(db, result.created)
        if is_htmx(request):
            await db.commit()
            form.pop("reason", None)  # said with this move; the next one gives its own
            return await self._desk_page(
                request,
                db,
                clock,
                user,
                form,
                message=_created_message(result, outs, moved=moved),
                skipped=result.skipped,
                template=template,
            )
        if result.series is not None:
            return Redirect(path=f"/bookings?series={result.series.id}")
        query = _desk_query(form) | {"booked": str(result.created[0].id)}
        if moved:
            query["moved"] = "1"
        return Redirect(path="/book/desk", query_params=query)

    @post("/book/desk/favourite")
    async def keep_favourite(
        self, request: Request[Any, Any, Any], db: DbDep, clock: ClockDep, user: UserDep
    ) -> Template | Redirect:
        """Keep a desk as a favourite (``add_favourite``) or no longer (``remove_favourite``),
        from the desk list; the list comes back with the same filters."""
        form = await read_form(request, ("repeat_weekdays", "amenity"))
        template = "bookings/_desk_results.html" if is_htmx(request) else "bookings/book_desk.html"
        if people_search(form).asked:  # only the colleague looked up: nothing is booked
            return await self._desk_page(request, db, clock, user, form, template=template)
        try:
            message = await favourite_changed(db, clock, user, form)
        except DomainError as exc:
            await db.rollback()
            return await self._desk_page(
                request,
                db,
                clock,
                user,
                form,
                status_code=exc.status_code,
                error=exc.message,
                template=template,
            )
        if is_htmx(request):
            await db.commit()
            return await self._desk_page(
                request, db, clock, user, form, message=message, template=template
            )
        return Redirect(path="/book/desk", query_params=_desk_query(form))

    @post("/book/desk/waitlist")
    async def join_waitlist(
        self, request: Request[Any, Any, Any], db: DbDep, clock: ClockDep, user: UserDep
    ) -> Template | Redirect:
        """Wait for a desk for the day part the desk page shows (``waitlist.join_waitlist``);
        without script the waits on My bookings show it."""
        form = await read_form(request, ("repeat_weekdays", "amenity"))
        template = "bookings/_desk_results.html" if is_htmx(request) else "bookings/book_desk.html"
        raw = {
            "site_id": form.get("site"),
            "floor_id": form.get("floor") or None,
            "date": form.get("date"),
            "day_part": form.get("day_part"),
        }
        try:
            data = convert_form(raw, WaitIn, empty_is_none=("floor_id",))
            await waitlist.join_waitlist(db, clock, user, data)
        except (DomainError, FormInvalid) as exc:
            await db.rollback()
            error, errors = _form_errors(exc)
            return await self._desk_page(
                request,
                db,
                clock,
                user,
                form,
                status_code=exc.status_code if isinstance(exc, DomainError) else 422,
                error=error,
                errors=errors,
                template=template,
            )
        if is_htmx(request):
            await db.commit()
            return await self._desk_page(
                request, db, clock, user, form, message=_(_DONE["waiting"]), template=template
            )
        return Redirect(path="/bookings", query_params={"done": "waiting"})

    @post("/bookings/{booking_id:int}/respond")
    async def respond(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        settings: SettingsDep,
        booking_id: FromPath[int],
    ) -> Template | Redirect:
        """Accept or decline a meeting one is invited to (My bookings, Invitations)."""
        answer = str((await read_form(request)).get("response") or "")
        if answer not in _ANSWERS:
            return await self._my_bookings(
                request,
                db,
                clock,
                user,
                settings,
                error=_("Choose to accept or decline."),
                status_code=422,
            )
        response = ParticipantResponse(answer)
        try:
            await participants.respond_to_invitation(db, clock, user, booking_id, response)
        except DomainError as exc:
            await db.rollback()
            return await self._my_bookings(
                request, db, clock, user, settings, error=exc.message, status_code=exc.status_code
            )
        return Redirect(path="/bookings", query_params={"done": response.value})

    @post("/bookings/waitlist/{wait_id:int}/leave")
    async def leave_waitlist(self, db: DbDep, user: UserDep, wait_id: FromPath[int]) -> Redirect:
        """Leave a place on the waitlist; one already ended is gone from the list too."""
        with suppress(DomainError):
            await waitlist.leave_waitlist(db, user, wait_id)
        return Redirect(path="/bookings", query_params={"done": "left_waitlist"})

    # --- rooms ---------------------------------------------------------------------------

    async def _room_page(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        clock: Clock,
        user: CurrentUser,
        values: dict[str, Any],
        *,
        status_code: int = 200,
        message: str | None = None,
        error: str | None = None,
        errors: dict[str, str] | None = None,
        offered: AlternativesOut | None = None,
    ) -> Template:
        site_id, _usual_floor = await _place_asked_or_usual(db, user, values)
        sites, site = await _pick_site(db, site_id, services.ROOM_KINDS)
        day = await _day_of(db, clock, values, site)
        floors = list(await list_floors(db, site.id)) if site is not None else []
        floor_id = floor_among(floors, int_or_none(values.get("floor")))
        min_capacity = int_or_none(values.get("min_capacity"))
        amenities = amenities_named(values.get("amenity"))
        safety = _safety_named(values)
        kind_value = str(values.get("kind") or "")
        kinds = (
            [SpaceKind(kind_value)]
            if kind_value in (k.value for k in services.ROOM_KINDS)
            else list(services.ROOM_KINDS)
        )
        filter_errors: dict[str, str] = {}
        window = _free_window(values, filter_errors)
        rows: list[tuple[RoomStatusOut, list[GridCell]]] = []
        times: list[time] = []
        availability = None
        if site is not None:
            availability = await room_availability(
                db,
                clock,
                user,
                site.id,
                day,
                kinds=kinds,
                floor_id=floor_id,
                min_capacity=min_capacity,
                amenities=amenities,
                safety_features=safety,
            )
            info = availability.day
            if info.opens is not None and info.closes is not None:
                times = _slot_times(info.opens, info.closes)
            zone = ZoneInfo(site.timezone)
            now = clock.now()
            rooms = availability.rooms
            if window is not None:
                rooms = rooms_free_between(
                    rooms,
                    datetime.combine(day, window[0], tzinfo=zone).astimezone(UTC),
                    datetime.combine(day, window[1], tzinfo=zone).astimezone(UTC),
                )
            rows = [(room, _grid_row(room, day, times, zone, now)) for room in rooms]
            if _room_not_bookable(values, rows, availability):
                filter_errors["space_id"] = _(
                    "You cannot book this room on this day; choose another."
                )
                values = {**values, "space_id": ""}
        start, end = _asked_times(values)
        if start is None and window is not None:  # the form books the time rooms are free
            start, end = window
        if start is not None and end is None:
            end = (datetime.combine(day, start) + timedelta(hours=1)).time()
        free_from, free_until = (t.strftime("%H:%M") for t in window) if window else ("", "")
        shown_filters = {
            "site": site.id if site is not None else None,
            "date": day.isoformat(),
            "floor": floor_id,
            "kind": kind_value,
            "min_capacity": min_capacity,
            "amenity": [a.value for a in amenities],
            "safety": [f.value for f in safety],
            "free_from": free_from,
            "free_until": free_until,
        }
        filter_fields = [
            (name, each)
            for name, value in _room_filters(shown_filters).items()
            for each in (value if isinstance(value, list) else [value])
        ]
        if filter_errors:  # a wrong filter is reported; the grid shows every room
            status_code = 422
            error = error or _("Please correct the marked fields.")
        context = {
            "sites": sites,
            "site": site,
            "floors": floors,
            "floor_id": floor_id,
            "day": day,
            "availability": availability,
            "rows": rows,
            "row_groups": by_floor(rows, floors, lambda row: row[0].floor_id),
            "filter_query": urlencode(filter_fields),
            "filter_fields": filter_fields,
            "times": [t.strftime("%H:%M") for t in times],
            "amenities": list(Amenity),
            "safety_features": list(SafetyFeature),
            "room_kinds": list(services.ROOM_KINDS),
            "chosen_amenities": [a.value for a in amenities],
            "chosen_safety": [f.value for f in safety],
            "min_capacity": min_capacity,
            "kind": kind_value,
            "people": await _people_for(db, user, values),
            **await _participant_picker(db, user, values),
            "values": {
                **values,
                "start": start.strftime("%H:%M") if start else "",
                "end": end.strftime("%H:%M") if end else "",
            },
            "weekdays": WEEKDAY_NAMES,
            "message": message,
            "error": error,
            "errors": (errors or {}) | filter_errors,
            "today": local_today(clock),
            "offered": offered,
        }
        return _render(request, "bookings/book_room.html", status_code=status_code, **context)

    @get("/book/room")
    async def book_room_page(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
    ) -> Template:
        values = read_query(request, ("amenity", "safety"))
        message = await _booked_message_of(db, user, values)
        return await self._room_page(request, db, clock, user, values, message=message)

    @post("/book/room")
    async def book_room(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
    ) -> Template | Redirect:
        form = await read_form(request, ("repeat_weekdays", "amenity", "safety", "participants"))
        if people_search(form).asked or _participants_only(form):  # nothing is booked
            return await self._room_page(request, db, clock, user, form)
        day = str(form.get("date") or "")
        errors: dict[str, str] = {}
        times = _local_times(day, form.get("start"), form.get("end"), errors)
        recurrence = _recurrence_from_form(form, errors)
        data: BookingIn | None = None
        try:
            if times is None or errors:
                raise FormInvalid(errors)
            raw = {
                "space_id": form.get("space_id"),
                "start": times[0].isoformat(),
                "end": times[1].isoformat(),
                "title": form.get("title") or "",
                "attendees": form.get("attendees") or 1,
                "booked_for_id": form.get("booked_for_id") or None,
                "recurrence": recurrence,
                "participants": _participant_ids(form),
            }
            data = convert_form(raw, BookingIn, empty_is_none=("booked_for_id",))
            result = await services.create_booking(db, clock, user, data)
        except (DomainError, FormInvalid) as exc:
            await db.rollback()
            error, errors = _form_errors(exc)
            offered = None
            if (
                isinstance(exc, DomainError)
                and data is not None
                and alternatives.offers_alternatives(exc, data)
            ):
                offered = await alternatives.room_alternatives(
                    db,
                    clock,
                    user,
                    data,
                    amenities=amenities_named(form.get("amenity")),
                    safety_features=_safety_named(form),
                )
            status = exc.status_code if isinstance(exc, DomainError) else 422
            return await self._room_page(
                request,
                db,
                clock,
                user,
                form,
                status_code=status,
                error=error,
                errors=errors,
                offered=offered,
            )
        if result.series is not None:
            return Redirect(path=f"/bookings?series={result.series.id}")
        return Redirect(
            path="/book/room",
            query_params=_room_filters(form) | {"booked": str(result.created[0].id)},
        )

    # --- my bookings ---------------------------------------------------------------------

    async def _my_bookings(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        clock: Clock,
        user: CurrentUser,
        settings: Settings,
        *,
        after: int | None = None,
        message: str | None = None,
        error: str | None = None,
        not_booked: Sequence[date] = (),
        status_code: int = 200,
    ) -> Template:
        upcoming = await services.upcoming_bookings(db, clock, user, after=after)
        return _render(
            request,
            "bookings/my_bookings.html",
            status_code=status_code,
            **await self._rows_context(db, clock, user, upcoming.bookings, settings),
            last_id=upcoming.last_id,
            first_page=after is None,
            message=message,
            error=error,
            not_booked=not_booked,
            waits=await waitlist.my_waits(db, user),
            invitations=await services.bookings_out(
                db, await participants.invitations(db, clock, user)
            ),
        )

    async def _rows_context(
        self,
        db: AsyncSession,
        clock: Clock,
        user: CurrentUser,
        bookings: Any,
        settings: Settings,
    ) -> dict[str, Any]:
        now = clock.now()
        grace = settings.no_show_grace
        return {
            "bookings": await services.bookings_out(db, bookings),
            "check_in_before": {
                b.id: deadline
                for b in bookings
                if (deadline := services.check_in_before(b, user.id, now, grace)) is not None
            },
            "checkin_ids": {b.id for b in bookings if services.can_check_in(b, user.id, now)},
            "checkout_ids": {b.id for b in bookings if services.can_check_out(b, user, now)},
            "cancel_ids": {b.id for b in bookings if services.can_cancel(b, now)},
            "change_ids": {b.id for b in bookings if services.can_reschedule(b, user, now)},
        }

    @get("/bookings")
    async def my_bookings(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        settings: SettingsDep,
        series: FromQuery[int | None] = None,
        done: FromQuery[str | None] = None,
        after: FromQuery[int | None] = None,
        changed: FromQuery[int | None] = None,
    ) -> Template:
        message = None
        not_booked: Sequence[date] = ()
        if changed is not None:
            message = await _changed_message_of(db, user, changed)
        elif series is not None:
            message = _("The repeating booking has been made; see the dates below.")
            with suppress(DomainError):  # not one's own series: just one's bookings
                not_booked = await services.series_dates_not_booked(db, user, series)
        elif done in _DONE:
            message = _(_DONE[done])
        return await self._my_bookings(
            request, db, clock, user, settings, after=after, message=message, not_booked=not_booked
        )

    @get("/bookings/history")
    async def booking_history(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        settings: SettingsDep,
        before: FromQuery[int | None] = None,
    ) -> Template:
        """Bookings that are over, cancelled, released, declined or lapsed, a page at a time."""
        history = await services.earlier_bookings(db, clock, user, before=before)
        return _render(
            request,
            "bookings/history.html",
            last_id=history.last_id,
            first_page=before is None,
            book_again=True,
            **await self._rows_context(db, clock, user, history.bookings, settings),
        )

    @get("/bookings/site-day", guards=[role_required(Role.FACILITIES)])
    async def site_day(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        settings: SettingsDep,
    ) -> Template:
        """Facilities: every booking at a site on one day, to check out or cancel for
        whoever holds it."""
        asked = await _site_day_asked(request, db, clock)
        site, day, values = asked.site, asked.day, asked.values
        listed = None
        if site is not None and not asked.errors:
            is_desk, statuses = _site_day_filters(asked)
            listed = await services.site_day_bookings(
                db,
                clock,
                user,
                site.id,
                day,
                is_desk=is_desk,
                statuses=statuses,
                offset=asked.filters.offset,
            )
        kept = {k: v for k, v in values.items() if k != "offset" and v not in (None, "")}
        return _render(
            request,
            "bookings/site_day.html",
            status_code=400 if asked.errors else 200,
            sites=asked.sites,
            site=site,
            day=day,
            values=values,
            errors=asked.errors,
            statuses=list(BookingStatus),
            listed=listed,
            offset=asked.filters.offset,
            page_size=services.BOOKINGS_PAGE_SIZE,
            page_link=lambda offset: f"/bookings/site-day?{urlencode({**kept, 'offset': offset})}",
            export_link=f"/bookings/site-day/export?{urlencode(kept)}",
            row_next=f"/bookings/site-day?{urlencode(values)}",
            row_day=day,
            row_site=site.id if site else None,
            **await self._rows_context(
                db, clock, user, listed.bookings if listed else [], settings
            ),
        )

    @get("/bookings/site-day/export", guards=[role_required(Role.FACILITIES)])
    async def site_day_export(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        settings: SettingsDep,
    ) -> Response[bytes] | Redirect:
        """Bookings by site as a CSV file for a spreadsheet (every booking of the day, not
        a page of them); filters the page would refuse go back to the page, which says why."""
        asked = await _site_day_asked(request, db, clock)
        if asked.site is None or asked.errors:
            return Redirect(path=f"/bookings/site-day?{urlencode(asked.values)}")
        is_desk, statuses = _site_day_filters(asked)
        listed = await services.site_day_export(
            db, clock, user, asked.site.id, asked.day, is_desk=is_desk, statuses=statuses
        )
        out = await services.bookings_out(db, listed, grace=settings.no_show_grace)
        table = _site_day_table(out, asked.site, asked.day)
        return csv_response(table, asked.site.name, asked.day.isoformat())

    async def _after_change(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        clock: Clock,
        user: CurrentUser,
        settings: Settings,
        changed: list[Booking],
        done: str,
        form: dict[str, Any],
    ) -> Template | Redirect:
        """The changed bookings' rows (htmx: the first where the form was, the others
        swapped out of band, such as the later dates of a series), or back where the plain
        form came from; on "Mijn reserveringen" and a space's check-in page the change is
        said there (``?done=``)."""
        if is_htmx(request):
            await db.commit()
            return _render(
                request,
                "bookings/_changed_rows.html",
                **await self._rows_context(db, clock, user, changed, settings),
                **_row_scope(form),
                row_message=_(_DONE[done]),
            )
        target = safe_next(str(form.get("next") or "") or "/bookings")
        says_done = target == "/bookings" or target.startswith("/check-in/")
        return Redirect(path=f"{target}?done={done}" if says_done else target)

    async def _change_failed(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        clock: Clock,
        user: CurrentUser,
        settings: Settings,
        booking_id: int,
        exc: DomainError,
        form: dict[str, Any],
    ) -> Template:
        await db.rollback()
        if is_htmx(request):
            try:
                booking = await services.get_booking(db, user, booking_id)
            except DomainError:
                return _render(
                    request,
                    "bookings/_booking_row_error.html",
                    status_code=exc.status_code,
                    booking_id=booking_id,
                    error=exc.message,
                )
            context = await self._rows_context(db, clock, user, [booking], settings)
            return _render(
                request,
                "bookings/_booking_row.html",
                status_code=exc.status_code,
                **context,
                **_row_scope(form),
                booking=context["bookings"][0],
                row_error=exc.message,
            )
        return await self._my_bookings(
            request, db, clock, user, settings, error=exc.message, status_code=exc.status_code
        )

    @post("/bookings/{booking_id:int}/cancel")
    async def cancel(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        settings: SettingsDep,
        booking_id: FromPath[int],
    ) -> Template | Redirect:
        form = await read_form(request)
        whole_series = form.get("series") == "1"
        next_path = str(form.get("next") or "")
        # With htmx the browser asked already (hx-confirm); a plain form asks on a page.
        if not is_htmx(request) and form.get("confirmed") != "1":
            try:
                booking = await services.get_booking(db, user, booking_id)
            except DomainError as exc:
                return await self._change_failed(
                    request, db, clock, user, settings, booking_id, exc, form
                )
            if services.can_cancel(booking, clock.now()):  # else cancelling says why not
                (shown,) = await services.bookings_out(db, [booking])
                return _render(
                    request,
                    "bookings/cancel_confirm.html",
                    booking=shown,
                    whole_series=whole_series,
                    next_path=safe_next(next_path or "/bookings"),
                )
        try:
            changed = await services.cancel_booking(
                db, clock, user, booking_id, whole_series=whole_series
            )
        except DomainError as exc:
            return await self._change_failed(
                request, db, clock, user, settings, booking_id, exc, form
            )
        return await self._after_change(
            request, db, clock, user, settings, changed, "cancelled", form
        )

    async def _change(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        clock: Clock,
        user: CurrentUser,
        settings: Settings,
        booking_id: int,
        change: Callable[[AsyncSession, Clock, CurrentUser, int], Awaitable[Booking]],
        done: str,
    ) -> Template | Redirect:
        """Check in or out from a page: the row again (htmx), or back where the form was."""
        form = await read_form(request)
        try:
            booking = await change(db, clock, user, booking_id)
        except DomainError as exc:
            return await self._change_failed(
                request, db, clock, user, settings, booking_id, exc, form
            )
        return await self._after_change(request, db, clock, user, settings, [booking], done, form)

    @post("/bookings/{booking_id:int}/check-in")
    async def check_in(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        settings: SettingsDep,
        booking_id: FromPath[int],
    ) -> Template | Redirect:
        return await self._change(
            request, db, clock, user, settings, booking_id, services.check_in, "checked_in"
        )

    @post("/bookings/{booking_id:int}/check-out")
    async def check_out(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        settings: SettingsDep,
        booking_id: FromPath[int],
    ) -> Template | Redirect:
        return await self._change(
            request, db, clock, user, settings, booking_id, services.check_out, "checked_out"
        )

    # --- changing a room booking, booking again ------------------------------------------

    async def _change_page(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        clock: Clock,
        user: CurrentUser,
        booking: Booking,
        values: dict[str, Any],
        *,
        status_code: int = 200,
        error: str | None = None,
        errors: dict[str, str] | None = None,
    ) -> Template:
        """The form that changes a room booking (htmx: only its part), prefilled with the
        booking's date, times and room, or with ``values`` as sent; the rooms to choose
        from are those of its site that can be booked. ``values["next"]``: the page it was
        opened from (Bookings by site), to go back to; else My bookings."""
        (shown,) = await services.bookings_out(db, [booking])
        rooms = await list_spaces(db, site_id=booking.site_id, kinds=services.ROOM_KINDS)
        current = {
            "date": shown.date.isoformat(),
            "start": shown.local_start.strftime("%H:%M"),
            "end": shown.local_end.strftime("%H:%M"),
            "space_id": str(shown.space_id),
            "scope": "one",
        }
        return _render(
            request,
            "bookings/_change_form.html" if is_htmx(request) else "bookings/change_booking.html",
            status_code=status_code,
            booking=shown,
            rooms=[room for room in rooms if room.id == booking.space_id or room.active],
            changeable=services.can_reschedule(booking, user, clock.now()),
            under_way=booking.start_at <= clock.now(),
            values=current | {k: v for k, v in values.items() if k in current},
            error=error,
            errors=errors or {},
            today=local_today(clock),
            back=_change_came_from(values),
        )

    @get("/bookings/{booking_id:int}/change")
    async def change_page(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        booking_id: FromPath[int],
        next: FromQuery[str | None] = None,
    ) -> Template:
        booking = await services.get_booking(db, user, booking_id)
        came_from = {"next": next} if next else {}
        if services.can_reschedule(booking, user, clock.now()):
            return await self._change_page(request, db, clock, user, booking, came_from)
        error = _("This booking can no longer be changed.")
        return await self._change_page(
            request, db, clock, user, booking, came_from, status_code=409, error=error
        )

    @post("/bookings/{booking_id:int}/change")
    async def change(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        settings: SettingsDep,
        booking_id: FromPath[int],
    ) -> Template | Redirect:
        """Change a room booking from its form: back to "Mijn reserveringen", which says
        what it is now, or with htmx the confirmation where the form was; a refusal shows
        the form again as it was filled in, saying why at the field."""
        form = await read_form(request)
        whole_series = form.get("scope") == "series"
        try:
            changes = _reschedule_from_form(form)
            if whole_series:
                series = await series_changes.reschedule_series(
                    db, clock, user, booking_id, changes
                )
                changed_bookings, skipped = series.changed, series.skipped
            else:
                result = await services.reschedule_room_booking(
                    db, clock, user, booking_id, changes
                )
                changed_bookings, skipped = result.created, []
        except (DomainError, FormInvalid) as exc:
            await db.rollback()
            booking = await services.get_booking(db, user, booking_id)
            error, errors = _form_errors(exc)
            return await self._change_page(
                request,
                db,
                clock,
                user,
                booking,
                form,
                status_code=exc.status_code if isinstance(exc, DomainError) else 422,
                error=error,
                errors=errors,
            )
        changed = changed_bookings[0]
        if not is_htmx(request) and not skipped:
            back = _change_came_from(form)
            if back != "/bookings":
                return Redirect(path=back)
            return Redirect(path="/bookings", query_params={"changed": str(changed.id)})
        await db.commit()
        rows = await self._rows_context(db, clock, user, changed_bookings, settings)
        message = _changed_message(rows["bookings"][0])
        if whole_series:
            message = ngettext(
                "Changed: %(count)s date of the weekly booking.",
                "Changed: %(count)s dates of the weekly booking.",
                len(changed_bookings),
            )
        return _render(
            request,
            "bookings/_change_form.html" if is_htmx(request) else "bookings/change_booking.html",
            changed=True,
            message=message,
            skipped=skipped,
            back=_change_came_from(form),
            **rows,
        )

    @get("/bookings/{booking_id:int}/again")
    async def book_again(
        self, db: DbDep, clock: ClockDep, user: UserDep, booking_id: FromPath[int]
    ) -> Redirect:
        """Book again ("Opnieuw boeken"): the desk or room page for the same space, its site
        and floor, on the next day it can be booked (``book_again_day``); a room's
        form filled in with the same hours, subject and attendees, for whom it was booked."""
        booking = await services.get_booking(db, user, booking_id)
        (shown,) = await services.bookings_out(db, [booking])
        space = await get_space(db, booking.space_id)
        query = {
            "site": str(booking.site_id),
            "date": (await book_again_day(db, clock, booking)).isoformat(),
        }
        if space.floor_id is not None:
            query["floor"] = str(space.floor_id)
        if booking.booked_for_id not in (None, user.id):
            query["booked_for_id"] = str(booking.booked_for_id)
        if booking.is_desk:
            query["day_part"] = booking.day_part or DayPart.DAY.value
            return Redirect(path=f"/book/desk?{urlencode(query)}#desk-{booking.space_id}")
        query |= {
            "space_id": str(booking.space_id),
            "start": shown.local_start.strftime("%H:%M"),
            "end": shown.local_end.strftime("%H:%M"),
            "attendees": str(booking.attendees),
            "title": booking.title,
        }
        return Redirect(path=f"/book/room?{urlencode(query)}#book-form")

    # --- check-in by QR code -------------------------------------------------------------

    async def _check_in_page(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        clock: Clock,
        user: CurrentUser,
        space_id: int,
        *,
        message: str | None = None,
        error: str | None = None,
        status_code: int = 200,
    ) -> Template:
        space = await get_space(db, space_id)
        booking = await services.current_booking_at(db, clock, user, space_id)
        out = (await services.bookings_out(db, [booking]))[0] if booking else None
        parts = await walk_in_parts(db, clock, user, space) if booking is None else []
        return _render(
            request,
            "bookings/check_in.html",
            status_code=status_code,
            space=space,
            booking=out,
            can_check_in=booking is not None
            and services.can_check_in(booking, user.id, clock.now()),
            can_check_out=booking is not None
            and services.can_check_out(booking, user, clock.now()),
            walk_in_parts=parts,
            no_booking=services.no_current_booking(space),
            today=local_today(clock),
            message=message,
            error=error,
        )

    @get("/check-in/{space_id:int}")
    async def check_in_landing(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        space_id: FromPath[int],
        done: FromQuery[str | None] = None,
    ) -> Template:
        message = _(_DONE[done]) if done in _DONE else None
        return await self._check_in_page(request, db, clock, user, space_id, message=message)

    @post("/check-in/{space_id:int}")
    async def check_in_at_space(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        space_id: FromPath[int],
    ) -> Template:
        form = await read_form(request)
        try:
            if form.get("day_part"):  # a walk-in: no booking yet
                part = day_part_or_none(form.get("day_part"))
                await book_walk_in(db, clock, user, space_id, part)
            else:
                await services.check_in_at_space(db, clock, user, space_id)
        except DomainError as exc:
            await db.rollback()
            return await self._check_in_page(
                request, db, clock, user, space_id, error=exc.message, status_code=exc.status_code
            )
        await db.commit()
        return await self._check_in_page(
            request, db, clock, user, space_id, message=_("You are checked in.")
        )

    @get("/check-in/{space_id:int}/qr.svg")
    async def qr_code(
        self, request: Request[Any, Any, Any], db: DbDep, space_id: FromPath[int]
    ) -> Response[bytes]:
        """The QR code to put on a space: it opens this space's check-in page."""
        await get_space(db, space_id)  # an unknown space has no page to open
        url = f"{request.url.scheme}://{request.url.netloc}/check-in/{space_id}"
        buffer = io.BytesIO()
        segno.make(url, error="m").save(
            buffer,
            kind="svg",
            scale=6,
            border=2,
            xmldecl=False,
            dark="#000000",
            light="#ffffff",
            title=_("Check in at this space"),
        )
        return Response(
            buffer.getvalue(),
            media_type="image/svg+xml",
            headers={"cache-control": "private, max-age=86400"},
        )


class FacilitiesBookingPages(Controller):
    tags = ["pages"]
    include_in_schema = False
    guards = [role_required(Role.FACILITIES)]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    async def _approvals(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        clock: Clock,
        user: CurrentUser,
        settings: Settings,
        *,
        done: str | None = None,
        decided: BookingOut | None = None,
        error: str | None = None,
        status_code: int = 200,
    ) -> Template:
        pending = await services.pending_bookings(db, clock, user, settings.no_show_grace)
        return _render(
            request,
            "bookings/approvals.html",
            status_code=status_code,
            bookings=await services.bookings_out(db, pending),
            done=done,
            decided=decided,
            error=error,
        )

    async def _refused(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        clock: Clock,
        user: CurrentUser,
        settings: Settings,
        exc: FormInvalid | DomainError,
    ) -> Template:
        """The queue again after a refused decision, saying why (``web.refusal``)."""
        errors, status_code = await refusal(db, exc)
        error = next(iter(errors.values()))
        return await self._approvals(
            request, db, clock, user, settings, error=error, status_code=status_code
        )

    @get("/bookings/approvals")
    async def approvals(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        settings: SettingsDep,
        done: FromQuery[str | None] = None,
        booking: FromQuery[int | None] = None,
    ) -> Template:
        """The requests waiting; after a decision (``done``, ``booking``) which one it was."""
        decided = None
        if done in ("approved", "declined") and booking is not None:
            try:
                found = await services.get_booking(db, user, booking)
                decided = (await services.bookings_out(db, [found]))[0]
            except DomainError:
                decided = None
        return await self._approvals(request, db, clock, user, settings, done=done, decided=decided)

    @post("/bookings/{booking_id:int}/approve")
    async def approve(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        settings: SettingsDep,
        booking_id: FromPath[int],
    ) -> Template | Redirect:
        try:
            await services.approve_booking(db, clock, user, booking_id)
        except DomainError as exc:
            return await self._refused(request, db, clock, user, settings, exc)
        return Redirect(
            path="/bookings/approvals",
            query_params={"done": "approved", "booking": str(booking_id)},
        )

    @post("/bookings/{booking_id:int}/decline")
    async def decline(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        settings: SettingsDep,
        booking_id: FromPath[int],
    ) -> Template | Redirect:
        form = await read_form(request)
        try:
            reason = convert_form(form, DeclineIn).reason
            await services.decline_booking(db, clock, user, booking_id, reason)
        except (FormInvalid, DomainError) as exc:
            return await self._refused(request, db, clock, user, settings, exc)
        return Redirect(
            path="/bookings/approvals",
            query_params={"done": "declined", "booking": str(booking_id)},
        )

    @get("/bookings/qr-codes")
    async def qr_codes(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        site: FromQuery[int | None] = None,
        floor: FromQuery[int | None] = None,
    ) -> Template:
        """A sheet of QR codes, one per space of a site (or of one of its floors), to print
        and stick on the spaces."""
        sites, chosen = await _pick_site(db, site)
        floors: list[Any] = []
        spaces: list[Any] = []
        if chosen is not None:
            floors = list(await list_floors(db, chosen.id))
            floor = floor_among(floors, floor)
            spaces = list(await list_spaces(db, site_id=chosen.id, floor_id=floor))
        return _render(
            request,
            "bookings/qr_codes.html",
            sites=sites,
            site=chosen,
            floors=floors,
            floor_id=floor,
            floor_names={f.id: f.name for f in floors},
            spaces=spaces,
        )


#: The team day form's names of ``TeamDayIn``'s fields, where they differ (as on Werkplek boeken).
_TEAM_DAY_FIELDS = {"team_id": "team", "site_id": "site", "floor_id": "floor"}


class TeamDayPages(Controller):
    """Teamdag plannen: a team lead books desks close together for the team
    (``team_days.book_team_day``); the result is shown on the page, which offers the next."""

    tags = ["pages"]
    include_in_schema = False
    guards = [login_required]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    async def _page(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        clock: Clock,
        user: CurrentUser,
        values: dict[str, Any],
        *,
        status_code: int = 200,
        errors: dict[str, str] | None = None,
        result: TeamDayOut | None = None,
    ) -> Template:
        teams = await team_days.plannable_teams(db, user)
        if not teams and not services.may_book_for_anyone(user):
            raise Forbidden(_("Only team leads plan team days."), code="not_team_lead")
        asked_team = int_or_none(values.get("team"))
        team = next((t for t in teams if t.id == asked_team), teams[0] if teams else None)
        sites, site = await _pick_site(db, int_or_none(values.get("site")), services.DESK_KINDS)
        floors = list(await list_floors(db, site.id)) if site else []
        floor_id = floor_among(floors, int_or_none(values.get("floor")))
        day = await _day_of(db, clock, values, site)
        part = day_part_or_none(values.get("day_part")) or DayPart.DAY
        plan = (
            await team_days.team_day_plan(
                db, clock, user, team.id, site.id, day, part, floor_id=floor_id
            )
            if site and team
            else None
        )
        # The members ticked as sent, for the team they were drawn for; else all not seated.
        if result is None and team and values.get("shown_team") == str(team.id):
            ticked = {int_or_none(person_id) for person_id in values.get("person_ids") or []}
        else:
            ticked = (
                {m.person_id for m in plan.members if m.person_id not in plan.seats}
                if plan
                else set()
            )
        return _render(
            request,
            "bookings/team_day.html",
            status_code=status_code,
            teams=teams,
            team=team,
            sites=sites,
            site=site,
            floors=floors,
            floor_id=floor_id,
            day=day,
            day_part=part.value,
            day_parts=list(DayPart),
            plan=plan,
            ticked=ticked,
            result=result,
            values=values,
            errors=errors or {},
            today=local_today(clock),
        )

    @get("/bookings/team-day")
    async def team_day_page(
        self, request: Request[Any, Any, Any], db: DbDep, clock: ClockDep, user: UserDep
    ) -> Template:
        return await self._page(request, db, clock, user, read_query(request, ("person_ids",)))

    @post("/bookings/team-day")
    async def book_team_day(
        self, request: Request[Any, Any, Any], db: DbDep, clock: ClockDep, user: UserDep
    ) -> Template:
        form = await read_form(request, ("person_ids",))
        if form.get("show"):  # only another team, site or day asked for: nothing is booked
            return await self._page(request, db, clock, user, form)
        raw = {
            name: form.get(_TEAM_DAY_FIELDS.get(name, name))
            for name in ("team_id", "site_id", "floor_id", "date", "day_part", "person_ids")
        }
        try:
            data = convert_form(raw, TeamDayIn, empty_is_none=("floor_id",))
            result = await team_days.book_team_day(db, clock, user, data)
        except (DomainError, FormInvalid) as exc:
            errors, status = await refusal(db, exc)
            return await self._page(
                request,
                db,
                clock,
                user,
                form,
                status_code=status,
                errors={
                    _TEAM_DAY_FIELDS.get(name, name): message for name, message in errors.items()
                },
            )
        await db.commit()  # booked and mailed before the page says so
        return await self._page(request, db, clock, user, form, result=result)


ROUTES = [BookingPages, FacilitiesBookingPages, TeamDayPages]
