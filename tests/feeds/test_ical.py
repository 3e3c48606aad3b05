"""The calendar builder on its own (the Amsterdam time zone, all-day and timed entries,
escaping and folding) and the subscription URLs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from tests.feeds.conftest import parse_feed
from werkplek.config import Settings
from werkplek.feeds.api import feed_urls
from werkplek.feeds.ical import Entry, feed_calendar, invite_calendar

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
STAMP = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def _transitions(year: int) -> list[datetime]:
    """The instants (UTC) the tz database changes Amsterdam's offset in a year."""

    def offset(at: datetime) -> timedelta | None:
        return at.astimezone(AMSTERDAM).utcoffset()

    found = []
    day = datetime(year, 1, 1, tzinfo=UTC)
    while day.year == year:
        following = day + timedelta(days=1)
        if offset(day) != offset(following):
            hour = day
            while offset(hour) == offset(day):
                hour += timedelta(hours=1)
            found.append(hour)
        day = following
    return found


def test_the_vtimezone_agrees_with_the_tz_database_from_2000_to_2037() -> None:
    body = feed_calendar("Test", "Test", [])
    zone = vobject.readOne(body.decode()).vtimezone.gettzinfo()
    checked = 0
    for year in range(2000, 2038):
        instants = [datetime(year, 1, 15, 12, tzinfo=UTC), datetime(year, 7, 15, 12, tzinfo=UTC)]
        for change in _transitions(year):
            instants += [change - timedelta(minutes=1), change, change + timedelta(minutes=1)]
        for instant in instants:
            assert instant.astimezone(zone).utcoffset() == instant.astimezone(AMSTERDAM).utcoffset()
            checked += 1
    assert checked == 38 * 8


def test_the_vtimezone_starts_summer_time_at_two_and_ends_it_at_three_local_time() -> None:
    body = feed_calendar("Test", "Test", []).decode()
    daylight = body.split("BEGIN:DAYLIGHT")[1].split("END:DAYLIGHT")[0]
    standard = body.split("BEGIN:STANDARD")[1].split("END:STANDARD")[0]
    assert "DTSTART:19700329T020000" in daylight and "BYMONTH=3" in daylight
    assert "DTSTART:19701025T030000" in standard and "BYMONTH=10" in standard


def test_a_timed_entry_is_written_in_amsterdam_time_with_its_tzid() -> None:
    entry = Entry(
        uid="booking-1@werkplek",
        summary="Overleg",
        start=datetime(2026, 10, 26, 8, tzinfo=UTC),
        end=datetime(2026, 10, 26, 9, tzinfo=UTC),
        stamp=STAMP,
    )
    body = feed_calendar("Test", "Test", [entry])
    assert b"DTSTART;TZID=Europe/Amsterdam:20261026T090000" in body
    assert b"DTEND;TZID=Europe/Amsterdam:20261026T100000" in body
    assert b"DTSTAMP:20261101T120000Z" in body


def test_an_all_day_entry_ends_on_the_next_day() -> None:
    entry = Entry(
        uid="presence-1-2026-11-26-day@werkplek",
        summary="Thuis",
        start=date(2026, 11, 26),
        end=date(2026, 11, 27),
        stamp=STAMP,
        transparent=True,
    )
    event = parse_feed(feed_calendar("Test", "Test", [entry]))[entry.uid]
    assert (event.start, event.end) == (date(2026, 11, 26), date(2026, 11, 27))


def test_an_all_day_entry_must_end_after_it_starts() -> None:
    entry = Entry(
        uid="x", summary="x", start=date(2026, 11, 26), end=date(2026, 11, 26), stamp=STAMP
    )
    with pytest.raises(ValueError):
        feed_calendar("Test", "Test", [entry])


def test_entries_come_out_in_order_so_the_same_data_gives_the_same_bytes() -> None:
    first = Entry(
        uid="b", summary="1", start=date(2026, 11, 26), end=date(2026, 11, 27), stamp=STAMP
    )
    second = Entry(
        uid="a", summary="2", start=date(2026, 11, 27), end=date(2026, 11, 28), stamp=STAMP
    )
    assert feed_calendar("T", "T", [first, second]) == feed_calendar("T", "T", [second, first])


def test_an_invite_holds_one_event_and_no_subscription_properties() -> None:
    entry = Entry(
        uid="booking-7@werkplek",
        summary="Overleg",
        start=datetime(2026, 11, 26, 13, tzinfo=UTC),
        end=datetime(2026, 11, 26, 14, tzinfo=UTC),
        stamp=STAMP,
    )
    calendar = icalendar.Calendar.from_ical(invite_calendar(entry))
    assert str(calendar["method"]) == "PUBLISH"
    assert [str(event["uid"]) for event in calendar.walk("VEVENT")] == ["booking-7@werkplek"]
    assert "X-WR-CALNAME" not in calendar and "REFRESH-INTERVAL" not in calendar


def test_text_is_escaped_and_long_lines_are_folded_so_parsers_read_it_back() -> None:
    summary = "Overleg; begroting, 2027 \\ nota\nTweede regel – café Noorderzijlvest ë" * 3
    entry = Entry(
        uid="booking-9@werkplek",
        summary=summary,
        start=datetime(2026, 11, 26, 13, tzinfo=UTC),
        end=datetime(2026, 11, 26, 14, tzinfo=UTC),
        stamp=STAMP,
        location="Kantoor Zuidhorn – Reitdiep, Hoofdstraat 1, Zuidhorn",
    )
    body = feed_calendar("Test", "Test", [entry])
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    assert body.endswith(b"END:VCALENDAR\r\n")
    event = parse_feed(body)["booking-9@werkplek"]
    assert event.summary == summary
    assert event.location == "Kantoor Zuidhorn – Reitdiep, Hoofdstraat 1, Zuidhorn"


def test_feed_urls_use_the_public_url_when_one_is_configured() -> None:
    request = SimpleNamespace(base_url="http://10.0.0.5:8000/")
    settings = Settings(public_url="https://werkplek.gemeente.nl")
    assert feed_urls(request, settings, "abc") == (  # type: ignore[arg-type]
        "https://werkplek.gemeente.nl/feeds/abc.ics",
        "webcal://werkplek.gemeente.nl/feeds/abc.ics",
    )
    assert feed_urls(request, Settings(), "abc")[0] == "http://10.0.0.5:8000/feeds/abc.ics"  # type: ignore[arg-type]
