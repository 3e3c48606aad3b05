"""Human labels for stored codes (roles, kinds, amenities, day parts), translated on display."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date

from werkplek.clock import AMSTERDAM
from werkplek.i18n import N_, current_language, gettext

WEEKDAY_NAMES = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)

LABELS: dict[str, str] = {
    # roles
    "employee": N_("Employee"),
    "kcc": N_("KCC agent"),
    "teamlead": N_("Team lead"),
    "facilities": N_("Facilities"),
    "reception": N_("Reception"),
    "emergency": N_("Emergency response"),
    "admin": N_("Administrator"),
    # site kinds
    "central_office": N_("Central office"),
    "satellite": N_("Satellite location"),
    "field_base": N_("Field base"),
    "community_venue": N_("Village or community hall"),
    # space kinds
    "desk": N_("Flexible desk"),
    "quiet_desk": N_("Quiet workspace"),
    "meeting_room": N_("Meeting room"),
    "resident_room": N_("Resident meeting room"),
    # amenities
    "screen": N_("Screen"),
    "docking": N_("Docking station"),
    "sit_stand": N_("Sit-stand desk"),
    "video": N_("Video conferencing"),
    "wheelchair": N_("Wheelchair accessible"),
    # safety features
    "alarm_button": N_("Alarm button"),
    "second_exit": N_("Second exit"),
    "line_of_sight": N_("Line of sight to colleagues"),
    # booking statuses
    "pending": N_("Awaiting approval"),
    "confirmed": N_("Booked"),
    "checked_in": N_("Checked in"),
    "cancelled": N_("Cancelled"),
    "released": N_("Released (no-show)"),
    "declined": N_("Declined"),
    "lapsed": N_("Lapsed (not decided in time)"),
    # day parts
    "morning": N_("Morning"),
    "afternoon": N_("Afternoon"),
    "day": N_("Whole day"),
    # presence: where someone works, where that came from, how to reach them
    "office": N_("Office"),
    "home": N_("At home"),
    "on_location": N_("On location"),
    "absent": N_("Absent"),
    "not_in": N_("Not in the office"),
    "unknown": N_("Unknown"),
    "entry": N_("set for this day"),
    "booking": N_("desk booking"),
    "pattern": N_("weekly pattern"),
    "visit": N_("field visit"),
    "phone": N_("Phone"),
    "mobile": N_("Mobile"),
    "chat_handle": N_("Chat"),
}


def short_date(day: date) -> str:
    """A date as the pages and messages write it in both languages: 03-12-2026."""
    return day.strftime("%d-%m-%Y")


def local_moment(at: datetime) -> str:
    """An instant as the pages write it, in Dutch local time (Europe/Amsterdam) whatever
    zone it comes in (the database gives UTC): "03-12-2026 14:05:09"."""
    return at.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M:%S")


def day_and_date(day: date) -> str:
    """A date with its weekday, as headings write it: "vrijdag 04-12-2026"."""
    return f"{gettext(WEEKDAY_NAMES[day.weekday()])} {short_date(day)}"


def long_date(day: date) -> str:
    """A date written out in full, as e-mails write it: "donderdag 26 november 2026"."""
    return format_date(day, "EEEE d MMMM y", locale=current_language())


def glance_date(day: date) -> str:
    """A date in few letters, as an e-mail's subject writes it: "do 26 november"."""
    return format_date(day, "EEE d MMMM", locale=current_language())


def clock_time(moment: datetime) -> str:
    """An instant's time of day in Amsterdam: "09:00"."""
    return moment.astimezone(AMSTERDAM).strftime("%H:%M")


def time_range(start: datetime, end: datetime) -> str:
    """From when to when in Amsterdam time, with an en dash: "09:00–10:30"."""
    return f"{clock_time(start)}\u2013{clock_time(end)}"


def space_at_site(space: str, site: str) -> str:
    """A space as an e-mail's subject names it, with its site, as a municipality has many
    (the central office, field bases, satellites): "Flexplek 1.01 (Stadhuis)"; the space
    alone when its name already says the site ("Stadhuis 1.01") or it has none."""
    if not site or site.casefold() in space.casefold():
        return space
    return f"{space} ({site})"


def at_a_glance(what: str, start: datetime, end: datetime, day_part: str | None = None) -> str:
    """What (and so where), on which day and when, as an e-mail's subject names it:
    "Flexplek 1.01 (Stadhuis), do 26 november, ochtend" (``space_at_site``), or with the
    hours for a room: "Kievit (Stadhuis), do 26 november, 09:00–10:30"."""
    when = label(day_part).lower() if day_part else time_range(start, end)
    return f"{what}, {glance_date(start.astimezone(AMSTERDAM).date())}, {when}"


def label(code: object) -> str:
    """The translated label of a code; unknown codes are shown as they are."""
    text = str(getattr(code, "value", code))
    return gettext(LABELS[text]) if text in LABELS else text


def kind_unless_named(kind: object, name: str) -> str:
    """A space's kind as said beside its name ("Lauwersmeer", an Overlegruimte), or ""
    when its name starts with it already ("Flexplek 1.01", a Flexplek)."""
    said = label(kind)
    return "" if name.casefold().startswith(said.casefold()) else said
