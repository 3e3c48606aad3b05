"""How a visit's window reads on the pages: a visit across midnight names the day it ends,
and a time range never breaks over two lines."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import LoginAs
from tests.visits.conftest import Crew, PlanVisit, at

Client = AsyncTestClient[Litestar]


async def test_a_visit_across_midnight_shows_its_end_date(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna], start=at(22, 0), end=at(1, 30, day=26))
    await login_as(crew.anna)

    response = await client.get(f"/visits/{visit.id}")

    assert (
        'woensdag 25-11-2026, <span class="nowrap">22:00 –</span> '
        'donderdag 26-11-2026, <span class="nowrap">01:30</span>'
    ) in response.text


async def test_a_visit_within_one_day_keeps_its_time_range_on_one_line(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.anna)

    response = await client.get(f"/visits/{visit.id}")

    assert 'woensdag 25-11-2026, <span class="nowrap">10:30–11:30</span>' in response.text


async def test_a_visit_within_one_day_names_its_date_once(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.anna)

    response = await client.get("/visits")

    assert response.text.count("25-11-2026") == 1
    assert f'href="/visits/{visit.id}"' in response.text


async def test_my_visits_show_the_end_date_of_a_visit_across_midnight(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    await plan([crew.anna], start=at(22, 0), end=at(1, 30, day=26))
    await login_as(crew.anna)

    response = await client.get("/visits")

    assert "donderdag 26-11-2026" in response.text
