"""Building RFC 5545 calendars that Outlook, Google Calendar and Thunderbird read alike.

Everything here is pure: it turns ready-made entries into bytes. Which entries a
feed holds, and what they say, is decided in ``werkplek.feeds.services``.

Choices that matter for interoperability:
- one ``VTIMEZONE`` for Europe/Amsterdam written with yearly ``RRULE``\\ s (the form
  Outlook, Google and Thunderbird themselves publish; Outlook mishandles long
  ``RDATE`` lists), and every timed event carries ``TZID=Europe/Amsterdam``;
- all-day entries are ``VALUE=DATE`` with an exclusive ``DTEND`` on the next day;
- ``DTSTAMP`` is the entry's own modification time rather than "now", so that the
  same data always gives the same bytes (and so the same ETag);
- events come out in a fixed order (start, then UID).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

from werkplek import __version__

TZID = "Europe/Amsterdam"
AMSTERDAM = ZoneInfo(TZID)
PRODID = f"-//Werkplek//Werkplek {__version__}//NL"
REFRESH_INTERVAL = timedelta(hours=1)


class Status:
    TENTATIVE = "TENTATIVE"
    CONFIRMED = "CONFIRMED"
    CANCELLED = "CANCELLED"


class Method:
    """How a calendar file means its events (RFC 5546): to show or import them, to invite
    the attendees to them, or to call them off."""

    PUBLISH = "PUBLISH"
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


@dataclass(frozen=True)
class Attendee:
    """Someone on a meeting invitation, by name and address; ``partstat`` is their answer
    (``NEEDS-ACTION``, ``ACCEPTED``, ``DECLINED``)."""

    name: str
    email: str
    partstat: str = "NEEDS-ACTION"


@dataclass(frozen=True)
class Entry:
    """One VEVENT. ``start``/``end`` are aware datetimes (timed) or dates (all day,
    ``end`` exclusive). ``stamp`` is when the underlying data last changed."""

    uid: str
    summary: str
    start: datetime | date
    end: datetime | date
    stamp: datetime
    status: str = Status.CONFIRMED
    sequence: int = 0
    created: datetime | None = None
    location: str | None = None
    description: str | None = None
    transparent: bool = False
    categories: tuple[str, ...] = ()
    organizer: Attendee | None = None
    attendees: tuple[Attendee, ...] = ()

    @property
    def sort_key(self) -> tuple[datetime, str]:
        start = self.start
        if not isinstance(start, datetime):
            start = datetime(start.year, start.month, start.day, tzinfo=AMSTERDAM)
        return start.astimezone(UTC), self.uid


def amsterdam_timezone() -> Timezone:
    """VTIMEZONE for Europe/Amsterdam: CET/CEST with the EU rule in force since 1996
    (summer time from the last Sunday of March 02:00, to the last Sunday of October
    03:00 local time). The tests hold it against the tz database year by year."""
    timezone = Timezone()
    timezone.add("tzid", TZID)
    timezone.add("x-lic-location", TZID)
    daylight = TimezoneDaylight()
    daylight.add("tzname", "CEST")
    daylight.add("tzoffsetfrom", timedelta(hours=1))
    daylight.add("tzoffsetto", timedelta(hours=2))
    daylight.add("dtstart", datetime(1970, 3, 29, 2, 0, 0))
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    standard = TimezoneStandard()
    standard.add("tzname", "CET")
    standard.add("tzoffsetfrom", timedelta(hours=2))
    standard.add("tzoffsetto", timedelta(hours=1))
    standard.add("dtstart", datetime(1970, 10, 25, 3, 0, 0))
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    timezone.add_component(daylight)
    timezone.add_component(standard)
    return timezone


@lru_cache(maxsize=1)
def _timezone_block() -> bytes:
    return bytes(amsterdam_timezone().to_ical())


# --- writing content lines ----------------------------------------------------------------
#
# Feeds of a large team hold thousands of events; icalendar's general-purpose
# serialiser takes about a millisecond per event. The few properties written here
# are simple, so they are written directly (escaped and folded as RFC 5545 says),
# and the tests read every feed back with two independent parsers.


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon, comma and line breaks escaped (RFC 5545 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> bytes:
    """One content line, folded at 75 octets without splitting a UTF-8 character."""
    data = line.encode()
    if len(data) <= 75:
        return data + b"\r\n"
    parts = []
    limit = 75
    while len(data) > limit:
        cut = limit
        while data[cut] & 0xC0 == 0x80:  # never start a piece with a continuation byte
            cut -= 1
        parts.append(data[:cut])
        data = data[cut:]
        limit = 74  # the leading space of a continuation line counts
    parts.append(data)
    return b"\r\n ".join(parts) + b"\r\n"


def _utc_text(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _when(name: str, value: datetime | date) -> str:
    if isinstance(value, datetime):
        local = value.astimezone(AMSTERDAM)
        return f"{name};TZID={TZID}:{local.strftime('%Y%m%dT%H%M%S')}"
    return f"{name};VALUE=DATE:{value.strftime('%Y%m%d')}"


def _single_line(value: str) -> str:
    """For the X-WR-* names, which clients read as plain text on one line."""
    return " ".join(value.split())


def _param(value: str) -> str:
    """A parameter value (``CN``) in quotes, which a name cannot end (RFC 5545 3.1)."""
    return '"' + " ".join(value.replace('"', "'").split()) + '"'


def _people_lines(entry: Entry) -> list[str]:
    lines = []
    if entry.organizer is not None:
        organizer = entry.organizer
        lines.append(f"ORGANIZER;CN={_param(organizer.name)}:mailto:{organizer.email}")
    lines.extend(
        f"ATTENDEE;CN={_param(a.name)};ROLE=REQ-PARTICIPANT;PARTSTAT={a.partstat};RSVP=TRUE"
        f":mailto:{a.email}"
        for a in entry.attendees
    )
    return lines


def _event_lines(entry: Entry) -> list[str]:
    start, end = entry.start, entry.end
    if isinstance(start, datetime) != isinstance(end, datetime):
        raise ValueError("start and end must both be dates or both be datetimes")
    if not isinstance(start, datetime) and not isinstance(end, datetime) and end <= start:
        raise ValueError("an all-day entry ends (exclusively) after it starts")
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(entry.uid)}",
        f"DTSTAMP:{_utc_text(entry.stamp)}",
        _when("DTSTART", start),
        _when("DTEND", end),
        f"SUMMARY:{escape_text(entry.summary)}",
    ]
    if entry.location:
        lines.append(f"LOCATION:{escape_text(entry.location)}")
    if entry.description:
        lines.append(f"DESCRIPTION:{escape_text(entry.description)}")
    lines.append(f"STATUS:{entry.status}")
    lines.append(f"SEQUENCE:{entry.sequence}")
    if entry.created is not None:
        lines.append(f"CREATED:{_utc_text(entry.created)}")
    lines.append(f"LAST-MODIFIED:{_utc_text(entry.stamp)}")
    lines.append(f"TRANSP:{'TRANSPARENT' if entry.transparent else 'OPAQUE'}")
    if entry.categories:
        lines.append("CATEGORIES:" + ",".join(escape_text(c) for c in entry.categories))
    lines.extend(_people_lines(entry))
    lines.append("END:VEVENT")
    return lines


def _head(extra: Iterable[str] = (), method: str = Method.PUBLISH) -> list[str]:
    return [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        *extra,
    ]


def _assemble(head: list[str], entries: Iterable[Entry]) -> bytes:
    out = bytearray()
    for line in head:
        out += fold(line)
    out += _timezone_block()
    for entry in entries:
        for line in _event_lines(entry):
            out += fold(line)
    out += fold("END:VCALENDAR")
    return bytes(out)


def feed_calendar(name: str, description: str, entries: Iterable[Entry]) -> bytes:
    """A subscribable calendar: METHOD:PUBLISH, its name, refresh hints, the entries."""
    head = _head(
        (
            f"NAME:{escape_text(name)}",
            f"X-WR-CALNAME:{_single_line(name)}",
            f"DESCRIPTION:{escape_text(description)}",
            f"X-WR-CALDESC:{_single_line(description)}",
            f"X-WR-TIMEZONE:{TZID}",
            f"REFRESH-INTERVAL;VALUE=DURATION:{_duration(REFRESH_INTERVAL)}",
            f"X-PUBLISHED-TTL:{_duration(REFRESH_INTERVAL)}",
        )
    )
    return _assemble(head, sorted(entries, key=lambda entry: entry.sort_key))


def invite_calendar(entry: Entry, method: str = Method.PUBLISH) -> bytes:
    """A single event to open or import (``.ics`` download), not a subscription; with
    ``Method.REQUEST`` or ``Method.CANCEL`` a meeting invitation to its attendees, or its
    cancellation (the entry names its organizer and attendees)."""
    return _assemble(_head(method=method), [entry])


def _duration(value: timedelta) -> str:
    hours, rest = divmod(int(value.total_seconds()), 3600)
    minutes = rest // 60
    return f"PT{hours}H" + (f"{minutes}M" if minutes else "")
