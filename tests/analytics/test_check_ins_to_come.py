"""Check-in shares count only half days that are over: one still to come, or under way, has
not had its check-ins yet and would count as one nobody came on.

The site is open 08:00-18:00 on weekdays, split at 13:00, with two desks. Bookings (the
week of Monday 23 November 2026): Tuesday desk 1 all day, checked in; Wednesday, today,
desk 1 in the morning and desk 2 in the afternoon; Thursday desk 1 in the morning. The
clock stands at Wednesday 10:00 unless a test moves it.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest

from tests.analytics.conftest import TEN_HOURS, Book, Client, local
from tests.conftest import LoginAs, MakePerson, MakeSite, MakeSpace
from werkplek.clock import FixedClock
from werkplek.people.models import Person, Role
from werkplek.rooms.models import Site

TUE, WED, THU = date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26)
PERIOD = {"from": "2026-11-23", "to": "2026-11-27"}


@pytest.fixture
async def site(make_site: MakeSite, make_space: MakeSpace, book: Book, facilities: Person) -> Site:
    site = await make_site(hours=TEN_HOURS)
    first, second = await make_space(site, "Flexplek 1"), await make_space(site, "Flexplek 2")
    await book(first, TUE, "day", status="checked_in")
    await book(first, WED, "morning")
    await book(second, WED, "afternoon")
    await book(first, THU, "morning")
    return site


async def _desks(client: Client, site: Site) -> dict[str, Any]:
    response = await client.get("/api/analytics/occupancy", params={"site": site.id, **PERIOD})
    assert response.status_code == 200, response.text
    desks: dict[str, Any] = response.json()["desks"]
    return desks


def _day(desks: dict[str, Any], day: date) -> dict[str, Any]:
    return next(row for row in desks["days"] if row["date"] == day.isoformat())


def _parts(desks: dict[str, Any]) -> dict[str, float | None]:
    return {row["day_part"]: row["checked_in_pct"] for row in desks["day_parts"]}


async def test_a_day_over_has_its_check_in_share(client: Client, site: Site) -> None:
    assert _day(await _desks(client, site), TUE)["checked_in_pct"] == 50.0


async def test_a_day_still_to_come_has_no_check_in_share(client: Client, site: Site) -> None:
    assert _day(await _desks(client, site), THU)["checked_in_pct"] is None


async def test_a_day_still_to_come_keeps_its_booked_share(client: Client, site: Site) -> None:
    assert _day(await _desks(client, site), THU)["booked_pct"] == 25.0


async def test_today_has_no_check_in_share_until_its_afternoon_is_over(
    client: Client, site: Site
) -> None:
    assert _day(await _desks(client, site), WED)["checked_in_pct"] is None


async def test_the_periods_check_in_share_counts_only_the_half_days_that_are_over(
    client: Client, site: Site
) -> None:
    # Monday and Tuesday: 4 half days x 2 desks, 2 of them checked in
    assert (await _desks(client, site))["checked_in_pct"] == 25.0


async def test_a_morning_counts_for_check_ins_once_it_is_over(
    client: Client, site: Site, clock: FixedClock
) -> None:
    clock.set(local(WED, time(13)))

    # mornings Monday to Wednesday: 6 desk mornings, 1 checked in; afternoons Monday and
    # Tuesday: 4, 1 checked in
    assert _parts(await _desks(client, site)) == {"morning": 16.7, "afternoon": 25.0}


async def test_the_weekday_of_a_day_still_to_come_has_no_check_in_share(
    client: Client, site: Site
) -> None:
    thursday = next(row for row in (await _desks(client, site))["weekdays"] if row["weekday"] == 3)

    assert (thursday["morning_checked_in_pct"], thursday["checked_in_pct"]) == (None, None)


async def test_a_summer_morning_is_over_at_the_split_in_local_time(
    client: Client,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_person: MakePerson,
    login_as: LoginAs,
    book: Book,
    clock: FixedClock,
) -> None:
    # Monday 19 October 2026 is in summer time (UTC+2): its split is at 11:00 UTC.
    summer = date(2026, 10, 19)
    clock.set(local(summer, time(13)))
    await login_as(await make_person("Fleur Facilitair", roles=(Role.FACILITIES,)))
    site = await make_site(hours=TEN_HOURS)
    await book(await make_space(site), summer, "morning", status="checked_in")

    response = await client.get(
        "/api/analytics/occupancy",
        params={"site": site.id, "from": "2026-10-19", "to": "2026-10-19"},
    )

    assert _parts(response.json()["desks"])["morning"] == 100.0
