"""The plan form on the nights the clocks change (the last Sundays of March and October,
Europe/Amsterdam): what it proposes, and which day a night visit ends."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs
from tests.visits.conftest import Crew, count_visits, stored_visit
from werkplek.clock import AMSTERDAM, FixedClock

Client = AsyncTestClient[Litestar]

#: Summer time starts on Sunday 28 March 2027 (02:00 becomes 03:00) and ends on Sunday
#: 31 October 2027 (03:00 becomes 02:00).
SPRING = "2027-03-28"
AUTUMN = "2027-10-31"


def local(day: str, clock_time: str, *, fold: int = 0) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock_time}").replace(tzinfo=AMSTERDAM, fold=fold)


def night_visit(crew: Crew, day: str, start_time: str, end_time: str) -> dict[str, str]:
    return {
        "visitor_id": str(crew.anna.id),
        "date": day,
        "start_time": start_time,
        "end_time": end_time,
        "area": "Marum",
        "address": "Molenweg 12",
    }


async def test_the_plan_form_as_summer_time_starts_proposes_a_time_that_exists(
    client: Client, clock: FixedClock, crew: Crew, login_as: LoginAs
) -> None:
    clock.set(local(SPRING, "01:20"))
    await login_as(crew.anna)

    response = await client.get("/visits/new")

    assert re.search(r'id="start_time"[^>]*value="03:00"', response.text)
    assert re.search(r'id="end_time"[^>]*value="04:00"', response.text)


async def test_the_plan_form_as_summer_time_ends_proposes_times_read_as_meant(
    client: Client, clock: FixedClock, crew: Crew, login_as: LoginAs
) -> None:
    # The hour after 02:00 summer time would be 02:00 again, which the form reads as the first.
    clock.set(local(AUTUMN, "01:30"))
    await login_as(crew.anna)

    response = await client.get("/visits/new")

    assert re.search(r'id="start_time"[^>]*value="02:00"', response.text)
    assert re.search(r'id="end_time"[^>]*value="03:00"', response.text)


async def test_the_plan_form_in_the_second_hour_passed_twice_proposes_the_next_hour(
    client: Client, clock: FixedClock, crew: Crew, login_as: LoginAs
) -> None:
    clock.set(local(AUTUMN, "02:30", fold=1))
    await login_as(crew.anna)

    response = await client.get("/visits/new")

    assert re.search(r'id="start_time"[^>]*value="03:00"', response.text)


async def test_a_night_visit_into_summer_time_ends_the_next_day_by_the_time_that_passes(
    client: Client, db: AsyncSession, clock: FixedClock, crew: Crew, login_as: LoginAs
) -> None:
    # 21:00-09:30 reads as 12½ hours, but only 11½ pass: the clocks go forward.
    clock.set(local("2027-03-27", "12:00"))
    await login_as(crew.anna)

    response = await client.post(
        "/visits/new",
        data=night_visit(crew, "2027-03-27", "21:00", "09:30"),
        follow_redirects=False,
    )

    visit = await stored_visit(db, int(response.headers["location"].split("/")[2].split("?")[0]))
    assert (visit.planned_start, visit.planned_end) == (
        local("2027-03-27", "21:00").astimezone(UTC),
        local(SPRING, "09:30").astimezone(UTC),
    )


async def test_a_night_visit_into_winter_time_too_long_by_the_time_passing_is_refused_as_such(
    client: Client, db: AsyncSession, clock: FixedClock, crew: Crew, login_as: LoginAs
) -> None:
    # 22:00-09:30 reads as 11½ hours, but 12½ pass: the clocks go back.
    clock.set(local("2027-10-30", "12:00"))
    await login_as(crew.anna)

    response = await client.post(
        "/visits/new", data=night_visit(crew, "2027-10-30", "22:00", "09:30")
    )

    assert response.status_code == 422
    assert "Een bezoek duurt hoogstens 12 uur." in response.text
    assert await count_visits(db) == 0
