"""The report pages count one of a thing in the singular: a report of one day has tables of
one row, and a site whose rooms seat one person has one seat.

Monday 16 November 2026; the clock stands at Wednesday 25 November.
"""

from __future__ import annotations

from datetime import date

from tests.analytics.conftest import Client
from tests.conftest import MakeSite, MakeSpace
from werkplek.people.models import Person

MON = date(2026, 11, 16)
ONE_DAY = {"from": MON.isoformat(), "to": MON.isoformat()}


async def test_a_chart_of_one_day_has_its_numbers_in_one_row(
    client: Client, make_site: MakeSite, make_space: MakeSpace, facilities: Person
) -> None:
    site = await make_site()
    await make_space(site)

    response = await client.get("/analytics", params={"site": site.id, **ONE_DAY})

    assert "De cijfers achter de grafiek (1 rij)" in response.text


async def test_the_space_plan_of_one_day_has_its_numbers_in_one_row(
    client: Client, make_site: MakeSite, make_space: MakeSpace, facilities: Person
) -> None:
    site = await make_site()
    await make_space(site)

    response = await client.get("/analytics/space-plan", params={"site": site.id, **ONE_DAY})

    assert "De cijfers achter de percentielen (1 rij)" in response.text


async def test_rooms_seating_one_person_have_one_seat(
    client: Client, make_site: MakeSite, make_space: MakeSpace, facilities: Person
) -> None:
    site = await make_site()
    await make_space(site, kind="meeting_room", capacity=1)

    response = await client.get("/analytics", params={"site": site.id, **ONE_DAY})

    assert "1 (1 plaats)" in response.text
