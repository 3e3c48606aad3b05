"""My field visits (/visits) on a phone: the table becomes one card per visit, each cell
named by its column, so the status is not off the screen."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import LoginAs
from tests.stacked_tables import assert_stacks_on_phone
from tests.visits.conftest import Crew, PlanVisit

Client = AsyncTestClient[Litestar]


async def test_my_visits_table_stacks_on_a_phone(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    await plan([crew.anna], area="Marum")
    await login_as(crew.anna)

    page = (await client.get("/visits")).text

    table = assert_stacks_on_phone(page)
    assert table.headers == ["Wanneer", "Gebied", "Adres", "Bezoekers", "Status"]
