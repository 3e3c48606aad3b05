"""Space planning: what would have served the 80th/90th/95th percentile open day."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from tests.analytics.conftest import Book, Client
from tests.conftest import MakePerson, MakeSite, MakeSpace
from werkplek.analytics.services import nearest_rank
from werkplek.people.models import Person
from werkplek.rooms.models import Site

MON = date(2026, 11, 16)


def _row(report: dict[str, Any], kind: str, band: str | None = None) -> dict[str, Any]:
    return next(r for r in report["rows"] if r["kind"] == kind and r["size_band"] == band)


async def _plan(client: Client, site: Site, first: date, last: date) -> dict[str, Any]:
    response = await client.get(
        "/api/analytics/space-plan",
        params={"site": site.id, "from": first.isoformat(), "to": last.isoformat()},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_the_percentile_day_is_taken_by_nearest_rank() -> None:
    need = [0, 0, 1, 1, 2, 2, 2, 3, 3, 4]

    assert [nearest_rank(need, p) for p in (80, 90, 95, 100)] == [3, 3, 4, 4]


async def test_desks_needed_are_the_percentiles_of_the_busiest_moment_per_open_day(
    client: Client, make_site: MakeSite, make_space: MakeSpace, book: Book, facilities: Person
) -> None:
    site = await make_site()
    desks = [await make_space(site) for _ in range(5)]
    # Ten open days (9-13 and 16-20 November) needing 0,0,1,1,2,2,2,3,3,4 desks.
    days = [date(2026, 11, 9) + timedelta(days=n) for n in range(5)]
    days += [date(2026, 11, 16) + timedelta(days=n) for n in range(5)]
    for day, need in zip(days, [0, 0, 1, 1, 2, 2, 2, 3, 3, 4], strict=True):
        for desk in desks[:need]:
            await book(desk, day, "morning")

    plan = await _plan(client, site, days[0], days[-1])

    row = _row(plan, "desk")
    assert (row["now"], row["p80"], row["p90"], row["p95"], row["busiest_day"]) == (5, 3, 3, 4, 4)


async def test_no_shows_are_not_counted_as_need(
    client: Client, make_site: MakeSite, make_space: MakeSpace, book: Book, facilities: Person
) -> None:
    site = await make_site()
    first, second = await make_space(site), await make_space(site)
    await book(first, MON, "day", status="checked_in")
    await book(second, MON, "day", status="released")

    plan = await _plan(client, site, MON, MON)

    assert _row(plan, "desk")["busiest_day"] == 1


async def test_a_morning_and_an_afternoon_at_one_desk_need_one_desk(
    client: Client, make_site: MakeSite, make_space: MakeSpace, book: Book, facilities: Person
) -> None:
    site = await make_site()
    desk = await make_space(site)
    await book(desk, MON, "morning")
    await book(desk, MON, "afternoon")

    plan = await _plan(client, site, MON, MON)

    assert _row(plan, "desk")["busiest_day"] == 1


async def test_someone_who_moved_to_another_desk_needs_one_desk(
    client: Client,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_person: MakePerson,
    book: Book,
    facilities: Person,
) -> None:
    site = await make_site()
    first, second = await make_space(site), await make_space(site)
    anna = await make_person("Anna de Vries")
    # Checked in at the first desk, moved to the second at 10:00 (the move checks out).
    await book(first, MON, start=time(8), end=time(10), status="checked_in", person=anna)
    await book(second, MON, start=time(10), end=time(13), status="checked_in", person=anna)

    plan = await _plan(client, site, MON, MON)

    assert _row(plan, "desk")["busiest_day"] == 1


async def test_people_at_two_desks_one_after_the_other_need_one_desk(
    client: Client,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_person: MakePerson,
    book: Book,
    facilities: Person,
) -> None:
    site = await make_site()
    first, second = await make_space(site), await make_space(site)
    anna, bram = await make_person("Anna de Vries"), await make_person("Bram Smit")
    await book(first, MON, start=time(8), end=time(10), status="checked_in", person=anna)
    await book(second, MON, start=time(10), end=time(13), status="checked_in", person=bram)

    plan = await _plan(client, site, MON, MON)

    assert _row(plan, "desk")["busiest_day"] == 1


async def test_bookings_of_erased_people_at_the_same_time_count_one_person_each(
    client: Client, make_site: MakeSite, make_space: MakeSpace, book: Book, facilities: Person
) -> None:
    """Erasure leaves a booking without its holder: it is still someone at a desk."""
    site = await make_site()
    first, second = await make_space(site), await make_space(site)
    await book(first, MON, "morning", person=None)
    await book(second, MON, "morning", person=None)

    plan = await _plan(client, site, MON, MON)

    assert _row(plan, "desk")["busiest_day"] == 2


async def test_rooms_needed_per_size_band_let_a_big_room_serve_a_small_meeting(
    client: Client, make_site: MakeSite, make_space: MakeSpace, book: Book, facilities: Person
) -> None:
    site = await make_site()
    small = await make_space(site, kind="meeting_room", capacity=4)
    large = await make_space(site, kind="meeting_room", capacity=12)
    # 09:00-10:00 for 6 and 10:00-11:00 for 10 in the large room; 09:30-11:00 for 2.
    # Most at once: 2 (any size), 1 for 5 or more, 1 for 9 or more.
    await book(large, MON, start=time(9), end=time(10), attendees=6)
    await book(large, MON, start=time(10), end=time(11), attendees=10)
    await book(small, MON, start=time(9, 30), end=time(11), attendees=2)

    plan = await _plan(client, site, MON, MON)

    needed = {r["size_band"]: r["p90"] for r in plan["rows"] if r["kind"] == "meeting_room"}
    assert needed == {"up_to_4": 1, "9_plus": 1}


async def test_meetings_that_follow_each_other_need_one_room(
    client: Client, make_site: MakeSite, make_space: MakeSpace, book: Book, facilities: Person
) -> None:
    site = await make_site()
    room = await make_space(site, kind="meeting_room", capacity=6)
    other = await make_space(site, kind="meeting_room", capacity=6)
    await book(room, MON, start=time(9), end=time(10), attendees=3)
    await book(other, MON, start=time(10), end=time(11), attendees=3)

    plan = await _plan(client, site, MON, MON)

    assert _row(plan, "meeting_room", "up_to_4")["busiest_day"] == 1


async def test_meetings_that_start_together_need_a_room_each_even_as_another_ends(
    client: Client, make_site: MakeSite, make_space: MakeSpace, book: Book, facilities: Person
) -> None:
    site = await make_site()
    rooms = [await make_space(site, kind="meeting_room", capacity=6) for _ in range(3)]
    await book(rooms[0], MON, start=time(9), end=time(10), attendees=3)
    await book(rooms[1], MON, start=time(10), end=time(11), attendees=3)
    await book(rooms[2], MON, start=time(10), end=time(12), attendees=5)

    plan = await _plan(client, site, MON, MON)

    assert plan["days"][0]["meeting_rooms"] == 2
    assert plan["days"][0]["meeting_rooms_5_plus"] == 1


async def test_available_rooms_are_the_active_ones_per_size_band(
    client: Client, make_site: MakeSite, make_space: MakeSpace, facilities: Person
) -> None:
    site = await make_site()
    await make_space(site, kind="resident_room", capacity=2)
    await make_space(site, kind="resident_room", capacity=6)
    await make_space(site, kind="resident_room", capacity=8)
    await make_space(site, kind="resident_room", capacity=3, active=False)

    plan = await _plan(client, site, MON, MON)

    now = {r["size_band"]: r["now"] for r in plan["rows"] if r["kind"] == "resident_room"}
    assert now == {"up_to_4": 1, "5_to_8": 2}


def _bands(plan: dict[str, Any], kind: str) -> list[str]:
    return [r["size_band"] for r in plan["rows"] if r["kind"] == kind]


async def test_a_room_size_the_site_has_none_of_and_nobody_needed_is_left_out(
    client: Client, make_site: MakeSite, make_space: MakeSpace, book: Book, facilities: Person
) -> None:
    site = await make_site()
    room = await make_space(site, "Overleg", kind="meeting_room", capacity=4)
    await book(room, MON, start=time(9), end=time(10), attendees=3)

    plan = await _plan(client, site, MON, MON)

    assert _bands(plan, "meeting_room") == ["up_to_4"]


async def test_a_room_size_needed_without_rooms_of_it_stays_in_the_plan(
    client: Client, make_site: MakeSite, make_space: MakeSpace, book: Book, facilities: Person
) -> None:
    site = await make_site()
    room = await make_space(site, "Overleg", kind="meeting_room", capacity=4)
    await book(room, MON, start=time(9), end=time(10), attendees=10)  # squeezed in

    plan = await _plan(client, site, MON, MON)

    assert (_row(plan, "meeting_room", "9_plus")["now"], _bands(plan, "meeting_room")) == (
        0,
        ["up_to_4", "9_plus"],
    )


async def test_a_site_without_resident_rooms_or_their_bookings_lists_none(
    client: Client, make_site: MakeSite, make_space: MakeSpace, facilities: Person
) -> None:
    site = await make_site()
    await make_space(site, "Overleg", kind="meeting_room", capacity=6)

    plan = await _plan(client, site, MON, MON)

    assert _bands(plan, "resident_room") == []


async def test_desks_keep_their_row_when_the_site_has_none(
    client: Client, make_site: MakeSite, facilities: Person
) -> None:
    site = await make_site()

    plan = await _plan(client, site, MON, MON)

    assert [r["kind"] for r in plan["rows"]] == ["desk", "quiet_desk"]


async def test_open_days_without_bookings_count_as_needing_nothing(
    client: Client, make_site: MakeSite, make_space: MakeSpace, book: Book, facilities: Person
) -> None:
    site = await make_site()
    desks = [await make_space(site) for _ in range(3)]
    for desk in desks:
        await book(desk, MON, "day")

    # One busy Monday in a week of five open days: 80% of the days needed no desk.
    plan = await _plan(client, site, MON, MON + timedelta(days=4))

    row = _row(plan, "desk")
    assert (plan["period"]["open_days"], row["p80"], row["p95"]) == (5, 0, 3)


async def _plan_error(client: Client, site: Site, **period: str) -> tuple[int, str, str]:
    response = await client.get("/api/analytics/space-plan", params={"site": site.id, **period})
    body = response.json()
    return response.status_code, body["error"], body.get("field")


async def test_a_plan_ending_after_today_is_refused_naming_to(
    client: Client, make_site: MakeSite, facilities: Person
) -> None:
    site = await make_site()

    # today is 25 November: the days after it are not booked yet and would lower the need
    assert await _plan_error(client, site, **{"from": "2026-11-16", "to": "2026-11-26"}) == (
        422,
        "period_not_over",
        "to",
    )


async def test_a_plan_starting_after_today_is_refused_naming_from(
    client: Client, make_site: MakeSite, facilities: Person
) -> None:
    site = await make_site()

    assert await _plan_error(client, site, **{"from": "2026-11-26"}) == (
        422,
        "period_not_over",
        "from",
    )


async def test_a_plan_given_by_its_start_alone_ends_today_at_the_latest(
    client: Client, make_site: MakeSite, facilities: Person
) -> None:
    site = await make_site()

    response = await client.get(
        "/api/analytics/space-plan", params={"site": site.id, "from": "2026-11-16"}
    )

    assert response.json()["period"]["to"] == "2026-11-25"


async def test_the_plan_page_says_at_the_field_that_it_counts_days_that_are_over(
    client: Client, make_site: MakeSite, facilities: Person
) -> None:
    site = await make_site()

    response = await client.get(
        "/analytics/space-plan", params={"site": site.id, "from": "2026-11-16", "to": "2026-12-31"}
    )

    assert response.status_code == 422
    assert (
        'id="to-error">De huisvesting telt dagen die voorbij zijn: kies een datum tot en met '
        "vandaag (25-11-2026).</p>"
    ) in response.text


async def test_the_plan_page_leaves_out_the_room_sizes_a_site_lacks_and_never_needed(
    client: Client, make_site: MakeSite, make_space: MakeSpace, facilities: Person
) -> None:
    site = await make_site()
    await make_space(site, "Overleg", kind="meeting_room", capacity=4)

    response = await client.get(
        "/analytics/space-plan", params={"site": site.id, "from": "2026-11-16", "to": "2026-11-20"}
    )

    assert ("tot en met 4 plaatsen" in response.text, "9 plaatsen of meer" in response.text) == (
        True,
        False,
    )
