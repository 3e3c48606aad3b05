"""The work-location mix per team and week, with small teams withheld."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.analytics.conftest import Book, Client
from tests.conftest import MakePerson, MakeSite, MakeSpace
from werkplek.people.models import Person, Team
from werkplek.presence.models import WeeklyPattern, WorkLocation

MON = date(2026, 11, 16)
WEEK = {"from": "2026-11-16", "to": "2026-11-20"}


async def _team(make_team: Any, make_person: MakePerson, name: str, size: int) -> list[Person]:
    team: Team = await make_team(name)
    return [await make_person(f"{name} {n}", teams=(team,)) for n in range(size)]


async def _mix(client: Client, **params: Any) -> dict[str, Any]:
    response = await client.get("/api/analytics/work-mix", params={**WEEK, **params})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _entry(person: Person, day: date, part: str, kind: str, site_id: int | None = None) -> Any:
    return WorkLocation(
        person_id=person.id,
        date=day,
        day_part=part,
        kind=kind,
        site_id=site_id,
        updated_at=datetime(2026, 11, 1, tzinfo=UTC),
    )


@pytest.fixture
async def team_of_five(make_team: Any, make_person: MakePerson, facilities: Person) -> list[Person]:
    return await _team(make_team, make_person, "Vergunningen", 5)


async def test_a_team_of_fewer_than_five_is_withheld(
    client: Client, make_team: Any, make_person: MakePerson, facilities: Person
) -> None:
    await _team(make_team, make_person, "Archief", 4)

    row = (await _mix(client))["rows"][0]

    assert (row["team"]["name"], row["suppressed"], row["members"], row["home"]) == (
        "Archief",
        True,
        None,
        None,
    )


async def test_a_team_of_five_is_shown(client: Client, team_of_five: list[Person]) -> None:
    row = (await _mix(client))["rows"][0]

    # 5 people x 5 working days x 2 half days
    assert (row["suppressed"], row["members"], row["half_days"]) == (False, 5, 50)


async def test_explicit_entries_are_counted_per_half_day(
    client: Client, db: AsyncSession, team_of_five: list[Person]
) -> None:
    db.add_all([_entry(team_of_five[0], MON, p, "home") for p in ("morning", "afternoon")])
    await db.commit()

    row = (await _mix(client))["rows"][0]

    assert (row["home"], row["unknown"], row["home_pct"]) == (2, 48, 4.0)


async def test_a_desk_booking_counts_as_the_office(
    client: Client,
    team_of_five: list[Person],
    make_site: MakeSite,
    make_space: MakeSpace,
    book: Book,
) -> None:
    site = await make_site()
    await book(await make_space(site), MON, "day", person=team_of_five[1])

    row = (await _mix(client))["rows"][0]

    assert row["office"] == 2


async def test_the_weekly_pattern_fills_days_without_an_entry(
    client: Client,
    db: AsyncSession,
    team_of_five: list[Person],
    make_site: MakeSite,
) -> None:
    site = await make_site()
    db.add(
        WeeklyPattern(
            person_id=team_of_five[2].id,
            weekday=2,
            morning_kind="office",
            morning_site_id=site.id,
            afternoon_kind="home",
        )
    )
    await db.commit()

    row = (await _mix(client))["rows"][0]

    assert (row["office"], row["home"]) == (1, 1)


async def test_an_entry_wins_over_the_weekly_pattern(
    client: Client, db: AsyncSession, team_of_five: list[Person]
) -> None:
    person = team_of_five[0]
    db.add(WeeklyPattern(person_id=person.id, weekday=0, morning_kind="home"))
    db.add(_entry(person, MON, "morning", "on_location"))
    await db.commit()

    row = (await _mix(client))["rows"][0]

    assert (row["on_location"], row["home"]) == (1, 0)


async def test_public_holidays_are_not_working_days(
    client: Client, team_of_five: list[Person]
) -> None:
    # Christmas week 2026: Friday 25 December is a holiday (and 26th a Saturday).
    mix = await _mix(client, **{"from": "2026-12-21", "to": "2026-12-25"})

    assert (mix["period"]["open_days"], mix["rows"][0]["half_days"]) == (4, 40)


async def test_all_teams_together_leave_out_people_only_in_withheld_teams(
    client: Client, make_team: Any, make_person: MakePerson, team_of_five: list[Person]
) -> None:
    await _team(make_team, make_person, "Archief", 3)

    total = (await _mix(client))["totals"][0]

    assert (total["team"], total["members"], total["half_days"]) == (None, 5, 50)


async def test_someone_in_two_teams_counts_in_each_and_once_in_all_teams(
    client: Client, make_team: Any, make_person: MakePerson, facilities: Person
) -> None:
    first: Team = await make_team("Burgerzaken")
    second: Team = await make_team("Vergunningen")
    await make_person("In beide", teams=(first, second))
    for n in range(4):
        await make_person(f"Burgerzaken {n}", teams=(first,))
        await make_person(f"Vergunningen {n}", teams=(second,))

    mix = await _mix(client)

    assert [(row["team"]["name"], row["half_days"]) for row in mix["rows"]] == [
        ("Burgerzaken", 50),
        ("Vergunningen", 50),
    ]
    assert (mix["totals"][0]["members"], mix["totals"][0]["half_days"]) == (9, 90)


async def test_asking_for_a_small_team_returns_it_withheld(
    client: Client, make_team: Any, make_person: MakePerson, facilities: Person
) -> None:
    small = await _team(make_team, make_person, "Archief", 2)
    team_id = small[0].memberships[0].team_id

    mix = await _mix(client, team=team_id)

    assert [row["suppressed"] for row in mix["rows"]] == [True]
    assert mix["totals"] == []


async def test_weeks_are_iso_weeks_starting_on_monday(
    client: Client, team_of_five: list[Person]
) -> None:
    mix = await _mix(client, **{"from": "2026-11-18", "to": "2026-11-24"})

    assert [(r["week"], r["iso_week"]) for r in mix["rows"]] == [
        ("2026-11-16", 47),
        ("2026-11-23", 48),
    ]
