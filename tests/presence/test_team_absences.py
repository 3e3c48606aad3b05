"""A team's absences over the coming weeks: ``GET /api/teams/{id}/absences`` and the page
``/teams/{id}/absences``, for seeing who stays before agreeing to another holiday.

The test clock stands at Wednesday 25 November 2026, 10:00 in Amsterdam.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import LoginAs, MakePerson, MakeTeam
from tests.presence.conftest import SetEntry, SetPattern
from werkplek.people.models import Person, Role, Team

MONDAY = date(2026, 11, 30)
TUESDAY = date(2026, 12, 1)


@dataclass
class Burgerzaken:
    team: Team
    lead: Person
    anna: Person
    bram: Person


@pytest.fixture
async def burgerzaken(make_team: MakeTeam, make_person: MakePerson) -> Burgerzaken:
    team = await make_team("Burgerzaken")
    return Burgerzaken(
        team=team,
        lead=await make_person("Lotte Leider", lead_of=(team,)),
        anna=await make_person("Anna Bakker", teams=(team,)),
        bram=await make_person("Bram Smit", teams=(team,)),
    )


def url(team: Team) -> str:
    return f"/api/teams/{team.id}/absences"


async def test_each_member_absent_is_listed_with_their_period(
    client: AsyncTestClient[Litestar],
    burgerzaken: Burgerzaken,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    for day in (MONDAY, TUESDAY):
        await set_entry(burgerzaken.anna, day, "morning", "absent", reason="Vakantie")
    await login_as(burgerzaken.lead)
    body = (await client.get(url(burgerzaken.team))).json()
    assert body["members"] == [
        {
            "person": {"id": burgerzaken.anna.id, "name": "Anna Bakker"},
            "periods": [
                {"first": "2026-11-30", "last": "2026-12-01", "days": 2, "absence_reason": None}
            ],
        }
    ]


async def test_each_working_day_counts_the_members_absent(
    client: AsyncTestClient[Litestar],
    burgerzaken: Burgerzaken,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    await set_entry(burgerzaken.anna, MONDAY, "morning", "absent")
    await set_entry(burgerzaken.anna, MONDAY, "afternoon", "absent")
    await set_entry(burgerzaken.bram, MONDAY, "afternoon", "absent")
    await login_as(burgerzaken.lead)
    days = (await client.get(url(burgerzaken.team))).json()["days"]
    assert {day["date"]: day["absent"] for day in days}["2026-11-30"] == 2


async def test_the_weeks_start_on_the_monday_of_this_week_and_run_six_weeks(
    client: AsyncTestClient[Litestar], burgerzaken: Burgerzaken, login_as: LoginAs
) -> None:
    await login_as(burgerzaken.lead)
    body = (await client.get(url(burgerzaken.team))).json()
    assert (body["first"], body["last"], len(body["days"])) == ("2026-11-23", "2027-01-01", 30)


async def test_a_usual_day_off_is_not_an_absence(
    client: AsyncTestClient[Litestar],
    burgerzaken: Burgerzaken,
    login_as: LoginAs,
    set_pattern: SetPattern,
) -> None:
    await set_pattern(burgerzaken.anna, 4, "absent")
    await login_as(burgerzaken.lead)
    body = (await client.get(url(burgerzaken.team))).json()
    assert (body["members"], {day["absent"] for day in body["days"]}) == ([], {0})


async def test_an_administrator_sees_the_reason(
    client: AsyncTestClient[Litestar],
    burgerzaken: Burgerzaken,
    make_person: MakePerson,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    await set_entry(burgerzaken.anna, MONDAY, "morning", "absent", reason="Vakantie")
    await login_as(await make_person(roles=(Role.ADMIN,)))
    body = (await client.get(url(burgerzaken.team))).json()
    assert body["members"][0]["periods"][0]["absence_reason"] == "Vakantie"


async def test_a_colleague_of_the_team_may_not_see_its_absences(
    client: AsyncTestClient[Litestar], burgerzaken: Burgerzaken, login_as: LoginAs
) -> None:
    await login_as(burgerzaken.bram)
    response = await client.get(url(burgerzaken.team))
    assert response.status_code == 403


async def test_more_weeks_than_allowed_are_refused_naming_the_field(
    client: AsyncTestClient[Litestar], burgerzaken: Burgerzaken, login_as: LoginAs
) -> None:
    await login_as(burgerzaken.lead)
    response = await client.get(url(burgerzaken.team), params={"weeks": 14})
    assert (response.status_code, "weeks" in response.text) == (400, True)


async def test_a_week_beyond_the_planning_horizon_is_refused(
    client: AsyncTestClient[Litestar], burgerzaken: Burgerzaken, login_as: LoginAs
) -> None:
    await login_as(burgerzaken.lead)
    response = await client.get(url(burgerzaken.team), params={"from": "2027-06-01"})
    assert (response.status_code, response.json()["field"]) == (422, "from")


async def test_an_unknown_team_is_not_found(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person(roles=(Role.KCC,)))
    response = await client.get("/api/teams/999999/absences")
    assert response.status_code == 404


async def test_the_page_names_who_is_absent_in_dutch(
    client: AsyncTestClient[Litestar],
    burgerzaken: Burgerzaken,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    await set_entry(burgerzaken.anna, MONDAY, "morning", "absent")
    await login_as(burgerzaken.lead)
    response = await client.get(f"/teams/{burgerzaken.team.id}/absences")
    assert "<strong>Anna Bakker</strong>:\n      maandag 30 november" in response.text


async def test_the_team_board_links_its_leads_to_the_absences(
    client: AsyncTestClient[Litestar], burgerzaken: Burgerzaken, login_as: LoginAs
) -> None:
    await login_as(burgerzaken.lead)
    response = await client.get(f"/teams/{burgerzaken.team.id}/board")
    assert (
        f'href="/teams/{burgerzaken.team.id}/absences">Afwezigheid komende weken' in response.text
    )
