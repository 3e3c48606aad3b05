"""Occupancy figures from a small hand-computed week (Monday 16 to Friday 20 November 2026).

The site is open 08:00-18:00 on weekdays and has a 50% cap, four desks (1 and 2 on the
first floor, 3 and 4 on the second) and two meeting rooms (4 and 10 seats). Bookings:

- Mon: desk 1 all day, checked in; desk 2 morning, released (no-show);
  desk 3 afternoon, confirmed. Rooms: the large room 09:00-10:00 for 6 and
  10:00-11:00 for 10, the small room 09:30-11:00 for 2 (checked in).
- Tue: desk 1 morning, cancelled.
- Wed: desk 4 morning, confirmed.

The clock stands at Wednesday 25 November, so every booking is over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any

import pytest

from tests.analytics.conftest import TEN_HOURS, Book, Client
from tests.conftest import MakeFloor, MakePerson, MakeSite, MakeSpace
from werkplek.people.models import Person
from werkplek.rooms.models import Floor, Site, Space

MON, TUE, WED = date(2026, 11, 16), date(2026, 11, 17), date(2026, 11, 18)
PERIOD = {"from": "2026-11-16", "to": "2026-11-20"}


@dataclass
class Week:
    site: Site
    first_floor: Floor
    desks: list[Space]
    small_room: Space
    large_room: Space


@pytest.fixture
async def week(
    make_site: MakeSite,
    make_space: MakeSpace,
    make_floor: MakeFloor,
    book: Book,
    facilities: Person,
) -> Week:
    site = await make_site(hours=TEN_HOURS, capacity_cap_percent=50)
    first, second = (
        await make_floor(site, "1e verdieping", level=1),
        await make_floor(site, "2e", level=2),
    )
    desks = [await make_space(site, floor_id=floor.id) for floor in (first, first, second, second)]
    small = await make_space(site, kind="meeting_room", capacity=4)
    large = await make_space(site, kind="meeting_room", capacity=10)
    await book(desks[0], MON, "day", status="checked_in")
    await book(desks[1], MON, "morning", status="released")
    await book(desks[2], MON, "afternoon")
    await book(desks[0], TUE, "morning", status="cancelled")
    await book(desks[3], WED, "morning")
    await book(large, MON, start=time(9), end=time(10), attendees=6)
    await book(small, MON, start=time(9, 30), end=time(11), attendees=2, status="checked_in")
    await book(large, MON, start=time(10), end=time(11), attendees=10)
    return Week(site, first, desks, small, large)


async def _report(client: Client, week: Week, **params: Any) -> dict[str, Any]:
    response = await client.get(
        "/api/analytics/occupancy", params={"site": week.site.id, **PERIOD, **params}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _day(group: dict[str, Any], day: date) -> dict[str, Any]:
    return next(row for row in group["days"] if row["date"] == day.isoformat())


async def test_a_desk_day_counts_booked_half_days_against_all_desks(
    client: Client, week: Week
) -> None:
    desks = (await _report(client, week))["desks"]

    # morning: desks 1 and 2; afternoon: desks 1 and 3 -> 4 of 8 desk half days
    assert _day(desks, MON)["booked_pct"] == 50.0


async def test_only_checked_in_bookings_count_as_checked_in(client: Client, week: Week) -> None:
    desks = (await _report(client, week))["desks"]

    assert (_day(desks, MON)["morning_checked_in"], _day(desks, MON)["checked_in_pct"]) == (1, 25.0)


async def test_cancelled_bookings_do_not_count(client: Client, week: Week) -> None:
    desks = (await _report(client, week))["desks"]

    assert _day(desks, TUE)["booked_pct"] == 0.0


async def test_utilisation_over_the_period_divides_by_every_open_day(
    client: Client, week: Week
) -> None:
    desks = (await _report(client, week))["desks"]

    # 5 booked desk half days of 5 days x 4 desks x 2 half days
    assert desks["booked_pct"] == 12.5


async def test_utilisation_per_weekday_averages_that_weekday(client: Client, week: Week) -> None:
    desks = (await _report(client, week))["desks"]

    wednesday = next(row for row in desks["weekdays"] if row["weekday"] == 2)
    assert (wednesday["morning_booked_pct"], wednesday["afternoon_booked_pct"]) == (25.0, 0.0)


async def test_utilisation_per_day_part(client: Client, week: Week) -> None:
    desks = (await _report(client, week))["desks"]

    parts = {row["day_part"]: row["booked_pct"] for row in desks["day_parts"]}
    # mornings: 3 desks booked over 5 days x 4 desks; afternoons: 2
    assert parts == {"morning": 15.0, "afternoon": 10.0}


async def test_peak_occupancy_is_the_busiest_half_day(client: Client, week: Week) -> None:
    desks = (await _report(client, week))["desks"]

    assert desks["peak"] == {
        "date": "2026-11-16",
        "day_part": "morning",
        "booked": 2,
        "share_pct": 50.0,
    }


async def test_no_show_rate_is_released_over_released_checked_in_and_past_confirmed(
    client: Client, week: Week
) -> None:
    desks = (await _report(client, week))["desks"]

    # released 1 / (1 released + 1 checked in + 2 confirmed and over)
    assert desks["no_show"] == {
        "released": 1,
        "checked_in": 1,
        "past_confirmed": 2,
        "rate_pct": 25.0,
    }


async def test_a_day_at_the_cap_is_a_half_day_with_as_many_desks_booked_as_allowed(
    client: Client, week: Week
) -> None:
    cap = (await _report(client, week))["capacity_cap"]

    # 50% of 4 desks = 2 per half day, reached on Monday morning and afternoon
    assert (cap["limit"], cap["days_at_cap"], cap["dates"]) == (2, 1, ["2026-11-16"])


async def test_room_use_counts_rooms_in_use_per_half_day(client: Client, week: Week) -> None:
    rooms = (await _report(client, week))["rooms"]

    # both rooms in use on Monday morning, none in the afternoon: 2 of 4 room half days
    assert _day(rooms, MON)["booked_pct"] == 50.0


async def test_room_hours_are_measured_against_opening_hours(client: Client, week: Week) -> None:
    rooms = (await _report(client, week))["rooms"]

    # 1 + 1.5 + 1 hours booked of 2 rooms x 10 opening hours
    assert (_day(rooms, MON)["booked_hours"], _day(rooms, MON)["hours_pct"]) == (3.5, 17.5)


async def test_the_periods_room_hours_add_up_the_minutes_not_each_days_rounded_hours(
    client: Client, make_site: MakeSite, make_space: MakeSpace, book: Book, facilities: Person
) -> None:
    site = await make_site(hours=TEN_HOURS)
    room = await make_space(site, kind="meeting_room", capacity=4)
    for day in (MON, TUE, WED):
        await book(room, day, start=time(9), end=time(9, 20), attendees=2)

    response = await client.get("/api/analytics/occupancy", params={"site": site.id, **PERIOD})

    # 3 x 20 minutes = 1 hour of 5 days x 10 opening hours (each day's 0.3 h would give 1.8)
    assert response.json()["rooms"]["hours_pct"] == 2.0


async def test_meeting_room_fit_gives_the_share_of_bookings_using_half_the_seats_or_less(
    client: Client, week: Week
) -> None:
    fit = (await _report(client, week))["room_fit"]

    # 2 of 4 seats (50%), 6 of 10 (60%), 10 of 10 (100%)
    assert fit["half_or_less_pct"] == 33.3


async def test_meeting_room_fit_distributes_bookings_over_bands(client: Client, week: Week) -> None:
    fit = (await _report(client, week))["room_fit"]

    assert {band["band"]: band["bookings"] for band in fit["bands"]} == {
        "up_to_25": 0,
        "26_to_50": 1,
        "51_to_75": 1,
        "76_to_100": 1,
        "over_100": 0,
    }


async def test_a_kind_filter_leaves_out_the_other_spaces(client: Client, week: Week) -> None:
    report = await _report(client, week, kind="meeting_room")

    assert (report["desks"], report["rooms"]["kinds"], report["rooms"]["spaces"]) == (
        None,
        ["meeting_room"],
        2,
    )


async def test_a_floor_filter_counts_only_that_floors_spaces(client: Client, week: Week) -> None:
    desks = (await _report(client, week, floor=week.first_floor.id))["desks"]

    # desks 1 and 2: morning both, afternoon desk 1 -> 3 of 4 half days
    assert (desks["spaces"], _day(desks, MON)["booked_pct"]) == (2, 75.0)


async def test_closed_days_are_listed_without_a_percentage(client: Client, week: Week) -> None:
    desks = (await _report(client, week, to="2026-11-21"))["desks"]

    saturday = _day(desks, date(2026, 11, 21))
    assert (saturday["open"], saturday["booked_pct"]) == (False, None)


async def test_the_report_never_names_the_people_who_booked(
    client: Client, week: Week, make_person: MakePerson, book: Book
) -> None:
    person = await make_person("Jantje Jansen", email="jantje.jansen@example.nl")
    await book(week.desks[3], TUE, "day", person=person, status="checked_in")

    response = await client.get("/api/analytics/occupancy", params={"site": week.site.id, **PERIOD})

    assert "Jansen" not in response.text and "jantje" not in response.text.lower()
