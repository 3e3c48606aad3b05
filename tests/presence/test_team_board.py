"""GET /api/teams/{id}/board: who of a team is reachable now, and the week per half day."""

from __future__ import annotations

from datetime import timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson, MakeTeam, count_queries
from tests.presence.conftest import (
    MONDAY,
    SATURDAY,
    TODAY,
    AsViewer,
    SetEntry,
    SetPattern,
    Sites,
    at,
)
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.people.models import Role, Team
from werkplek.presence.finder import team_board


def board_url(team: Team) -> str:
    return f"/api/teams/{team.id}/board"


async def test_the_board_lists_the_active_members_by_name(
    client: AsyncTestClient[Litestar],
    employee: dict[str, str],
    make_person: MakePerson,
    make_team: MakeTeam,
) -> None:
    team = await make_team("Wijkteam")
    await make_person("Zeynep", teams=(team,))
    await make_person("Arjen", teams=(team,), lead_of=(team,))
    await make_person("Vertrokken", teams=(team,), active=False)
    body = (await client.get(board_url(team))).json()
    assert [(m["person"]["name"], m["is_lead"]) for m in body["members"]] == [
        ("Arjen", True),
        ("Zeynep", False),
    ]


async def test_the_board_shows_monday_to_friday_of_the_week(
    client: AsyncTestClient[Litestar], employee: dict[str, str], make_team: MakeTeam
) -> None:
    team = await make_team("Wijkteam")
    body = (await client.get(board_url(team))).json()
    assert body["days"] == [(MONDAY + timedelta(days=n)).isoformat() for n in range(5)]


async def test_the_board_shows_the_coming_week_at_the_weekend(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
    clock: FixedClock,
) -> None:
    team = await make_team("Wijkteam")
    clock.set(at(SATURDAY, 11))
    await login_as(await make_person())
    body = (await client.get(board_url(team))).json()
    assert body["days"][0] == (MONDAY + timedelta(days=7)).isoformat()


async def test_the_board_shows_each_half_day_from_the_pattern_and_entries(
    client: AsyncTestClient[Litestar],
    employee: dict[str, str],
    make_person: MakePerson,
    make_team: MakeTeam,
    sites: Sites,
    set_entry: SetEntry,
    set_pattern: SetPattern,
) -> None:
    team = await make_team("Wijkteam")
    member = await make_person("Zeynep", teams=(team,))
    await set_pattern(member, 0, "office", site=sites.town_hall)
    await set_entry(member, MONDAY, "afternoon", "office", site=sites.satellite)
    monday = (await client.get(board_url(team))).json()["members"][0]["days"][0]
    assert (monday["morning"]["site_name"], monday["afternoon"]["site_name"]) == (
        "Stadhuis",
        "Satelliet Noord",
    )


async def test_the_board_says_who_is_reachable_now(
    client: AsyncTestClient[Litestar],
    employee: dict[str, str],
    make_person: MakePerson,
    make_team: MakeTeam,
    set_entry: SetEntry,
) -> None:
    team = await make_team("Wijkteam")
    here = await make_person("Aanwezig", teams=(team,))
    away = await make_person("Afwezig", teams=(team,))
    await set_entry(here, TODAY, "morning", "home")
    await set_entry(away, TODAY, "morning", "absent")
    members = (await client.get(board_url(team))).json()["members"]
    assert [(m["person"]["name"], m["reachable_now"]) for m in members] == [
        ("Aanwezig", True),
        ("Afwezig", False),
    ]


async def test_the_board_names_the_channel_to_try_first_for_someone_at_home(
    client: AsyncTestClient[Litestar],
    employee: dict[str, str],
    make_person: MakePerson,
    make_team: MakeTeam,
    set_entry: SetEntry,
) -> None:
    team = await make_team("Wijkteam")
    member = await make_person(teams=(team,), phone="0594 70 204", mobile="06 63288105")
    await set_entry(member, TODAY, "morning", "home")

    members = (await client.get(board_url(team))).json()["members"]

    assert members[0]["reach_by"] == ["mobile", "phone"]


async def test_the_board_names_no_channel_for_someone_not_reachable_now(
    client: AsyncTestClient[Litestar],
    employee: dict[str, str],
    make_person: MakePerson,
    make_team: MakeTeam,
    set_entry: SetEntry,
) -> None:
    team = await make_team("Wijkteam")
    member = await make_person(teams=(team,), mobile="06 63288105")
    await set_entry(member, TODAY, "morning", "absent")

    members = (await client.get(board_url(team))).json()["members"]

    assert members[0]["reach_by"] == []


async def test_the_board_of_another_week_is_shown_for_a_date(
    client: AsyncTestClient[Litestar], employee: dict[str, str], make_team: MakeTeam
) -> None:
    team = await make_team("Wijkteam")
    next_week = TODAY + timedelta(days=7)
    body = (await client.get(board_url(team), params={"date": next_week.isoformat()})).json()
    assert body["days"][0] == (MONDAY + timedelta(days=7)).isoformat()


async def test_a_board_date_beyond_the_horizon_is_refused_naming_date(
    client: AsyncTestClient[Litestar], employee: dict[str, str], make_team: MakeTeam
) -> None:
    team = await make_team("Wijkteam")
    far = TODAY + timedelta(days=200)
    response = await client.get(board_url(team), params={"date": far.isoformat()})
    assert (response.status_code, response.json()["field"]) == (422, "date")


async def test_the_board_of_an_unknown_team_is_not_found(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    assert (await client.get("/api/teams/999999/board")).status_code == 404


async def test_the_board_of_a_team_without_active_members_names_the_team(
    client: AsyncTestClient[Litestar], employee: dict[str, str], make_team: MakeTeam
) -> None:
    team = await make_team("Archief")

    board = (await client.get(board_url(team))).json()

    assert (board["team"]["name"], board["members"]) == ("Archief", [])


async def test_a_colleague_sees_not_in_where_the_kcc_sees_the_area_on_the_board(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    team = await make_team("Wijkteam")
    member = await make_person("Buiten", teams=(team,))
    await set_entry(member, TODAY, "morning", "on_location", area="Polderdorp")
    await login_as(await make_person())
    as_colleague = (await client.get(board_url(team))).json()["members"][0]["now"]
    await login_as(await make_person(roles=(Role.KCC,)))
    as_kcc = (await client.get(board_url(team))).json()["members"][0]["now"]
    assert (as_colleague["kind"], as_kcc["area"]) == ("not_in", "Polderdorp")


async def test_the_board_takes_the_same_number_of_queries_for_small_and_large_teams(
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
    make_person: MakePerson,
    make_team: MakeTeam,
    as_viewer: AsViewer,
    sites: Sites,
    set_entry: SetEntry,
    set_pattern: SetPattern,
) -> None:
    small, large = await make_team("Klein"), await make_team("Groot")
    backup = await make_person("Vervanger")
    for team, size in ((small, 2), (large, 20)):
        for n in range(size):
            person = await make_person(f"{team.name} {n}", teams=(team,), backup_id=backup.id)
            await set_pattern(person, n % 5, "office", site=sites.town_hall, afternoon="home")
            await set_entry(person, TODAY, "morning", "absent" if n % 2 else "home")
    viewer = await as_viewer(await make_person())
    counts = []
    for team in (small, large):
        db.expunge_all()
        with count_queries(db) as statements:
            await team_board(db, clock, settings, viewer, team.id, TODAY)
        counts.append(len(statements))
    assert counts[0] == counts[1]
