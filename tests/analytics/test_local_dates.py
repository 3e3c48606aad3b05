"""Bookings count on their local date in Amsterdam, also across daylight saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from tests.analytics.conftest import Book, Client
from tests.conftest import MakeSite, MakeSpace
from werkplek.analytics.services import offset_changes
from werkplek.people.models import Person

DST_END = date(2026, 10, 25)  # clocks go back at 03:00 CEST to 02:00 CET
ALWAYS_OPEN = dict.fromkeys(range(7), (time(0), time(23, 59)))


async def _rooms_day(client: Client, site_id: int, first: str, last: str, day: date) -> Any:
    response = await client.get(
        "/api/analytics/occupancy",
        params={"site": site_id, "from": first, "to": last, "kind": "meeting_room"},
    )
    assert response.status_code == 200, response.text
    return next(r for r in response.json()["rooms"]["days"] if r["date"] == day.isoformat())


def test_the_offsets_of_amsterdam_change_at_one_in_the_morning_utc() -> None:
    zone = ZoneInfo("Europe/Amsterdam")

    changes = offset_changes(
        zone, datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC)
    )

    assert changes[:2] == [
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), 3600),
        (datetime(2026, 10, 25, 1, 0, tzinfo=UTC), 7200),
    ]
    assert changes[2][1] == 3600


async def test_a_booking_at_half_past_midnight_on_the_dst_day_counts_for_that_day(
    client: Client, make_site: MakeSite, make_space: MakeSpace, book: Book, facilities: Person
) -> None:
    site = await make_site(hours=ALWAYS_OPEN, observe_public_holidays=False)
    room = await make_space(site, kind="meeting_room", capacity=4)
    # 00:30 CEST on 25 October is 22:30 UTC on the 24th.
    await book(room, DST_END, start=time(0, 30), end=time(1, 30))

    day = await _rooms_day(client, site.id, "2026-10-24", "2026-10-25", DST_END)

    assert (day["morning_booked"], day["afternoon_booked"]) == (1, 0)


async def test_the_day_before_the_dst_change_keeps_its_own_bookings_only(
    client: Client, make_site: MakeSite, make_space: MakeSpace, book: Book, facilities: Person
) -> None:
    site = await make_site(hours=ALWAYS_OPEN, observe_public_holidays=False)
    room = await make_space(site, kind="meeting_room", capacity=4)
    await book(room, DST_END, start=time(0, 30), end=time(1, 30))

    day = await _rooms_day(client, site.id, "2026-10-24", "2026-10-25", date(2026, 10, 24))

    assert day["morning_booked"] == 0


async def test_a_late_evening_booking_after_the_change_stays_on_its_day(
    client: Client, make_site: MakeSite, make_space: MakeSpace, book: Book, facilities: Person
) -> None:
    site = await make_site(hours=ALWAYS_OPEN, observe_public_holidays=False)
    room = await make_space(site, kind="meeting_room", capacity=4)
    # 23:00 CET on 25 October is 22:00 UTC the same day (it would be the 26th at +2).
    await book(room, DST_END, start=time(23), end=time(23, 30))

    day = await _rooms_day(client, site.id, "2026-10-25", "2026-10-26", DST_END)

    assert day["afternoon_booked"] == 1


async def test_the_hours_of_a_booking_across_the_change_are_real_hours(
    client: Client, make_site: MakeSite, make_space: MakeSpace, book: Book, facilities: Person
) -> None:
    site = await make_site(hours=ALWAYS_OPEN, observe_public_holidays=False)
    room = await make_space(site, kind="meeting_room", capacity=4)
    # 01:00 to 04:00 local on the night the clocks go back lasts four hours.
    await book(room, DST_END, start=time(1), end=time(4))

    day = await _rooms_day(client, site.id, "2026-10-25", "2026-10-25", DST_END)

    assert day["booked_hours"] == 4.0
