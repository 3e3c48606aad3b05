"""A team board left open stays current: its page fetches the table again every minute
(``/teams/{id}/board/table``), and the board says the moment its "now" is of."""

from __future__ import annotations

from datetime import timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import LoginAs, MakePerson, MakeTeam
from tests.presence.conftest import SATURDAY, TODAY, at
from werkplek.clock import FixedClock
from werkplek.people.models import Team

HTMX = {"HX-Request": "true"}


def table_url(team: Team) -> str:
    return f"/teams/{team.id}/board/table"


async def test_the_board_says_the_moment_its_now_is_of(
    client: AsyncTestClient[Litestar],
    employee: dict[str, str],
    make_team: MakeTeam,
    clock: FixedClock,
) -> None:
    team = await make_team("Wijkteam")
    clock.set(at(TODAY, 10, 42))

    body = (await client.get(f"/api/teams/{team.id}/board")).json()

    assert body["at"] == "2026-11-25T10:42:00+01:00"


async def test_the_board_page_fetches_its_table_again_every_minute(
    client: AsyncTestClient[Litestar], employee: dict[str, str], make_team: MakeTeam
) -> None:
    team = await make_team("Wijkteam")

    response = await client.get(f"/teams/{team.id}/board")

    assert 'hx-trigger="every 60s"' in response.text


async def test_a_board_on_the_week_one_plans_asks_for_the_table_following_that_week(
    client: AsyncTestClient[Litestar], employee: dict[str, str], make_team: MakeTeam
) -> None:
    team = await make_team("Wijkteam")

    response = await client.get(f"/teams/{team.id}/board")

    assert f'hx-get="/teams/{team.id}/board/table?following=2026-11-23"' in response.text


async def test_a_board_on_a_week_chosen_asks_for_the_table_of_that_week(
    client: AsyncTestClient[Litestar], employee: dict[str, str], make_team: MakeTeam
) -> None:
    team = await make_team("Wijkteam")

    response = await client.get(f"/teams/{team.id}/board", params={"date": "2026-11-23"})

    assert f'hx-get="/teams/{team.id}/board/table?date=2026-11-23"' in response.text


async def test_a_table_following_the_week_one_plans_reloads_the_page_once_that_week_is_over(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    make_team: MakeTeam,
    clock: FixedClock,
) -> None:
    team = await make_team("Wijkteam")
    clock.set(at(SATURDAY, 9))
    await login_as(await make_person("Karin KCC"))

    response = await client.get(table_url(team), params={"following": "2026-11-23"}, headers=HTMX)

    assert (response.status_code, response.headers.get("HX-Refresh"), response.text) == (
        200,
        "true",
        "",
    )


async def test_a_table_following_the_week_one_plans_shows_it_while_it_lasts(
    client: AsyncTestClient[Litestar], employee: dict[str, str], make_team: MakeTeam
) -> None:
    team = await make_team("Wijkteam")

    response = await client.get(table_url(team), params={"following": "2026-11-23"}, headers=HTMX)

    assert "HX-Refresh" not in response.headers and 'id="board-region"' in response.text


async def test_the_boards_table_comes_without_the_page_around_it(
    client: AsyncTestClient[Litestar], employee: dict[str, str], make_team: MakeTeam
) -> None:
    team = await make_team("Wijkteam")

    response = await client.get(table_url(team), headers=HTMX)

    assert response.status_code == 200
    assert 'id="board-region"' in response.text and "<html" not in response.text


async def test_the_boards_table_says_when_its_now_is(
    client: AsyncTestClient[Litestar],
    employee: dict[str, str],
    make_team: MakeTeam,
    clock: FixedClock,
) -> None:
    team = await make_team("Wijkteam")
    clock.set(at(TODAY, 10, 42))

    response = await client.get(table_url(team), headers=HTMX)

    assert "(stand 10:42)" in response.text


async def test_the_boards_table_keeps_the_week_it_was_asked_for(
    client: AsyncTestClient[Litestar], employee: dict[str, str], make_team: MakeTeam
) -> None:
    team = await make_team("Wijkteam")
    next_monday = TODAY + timedelta(days=5)

    response = await client.get(
        table_url(team), params={"date": next_monday.isoformat()}, headers=HTMX
    )

    assert "ma 30 nov" in response.text.lower()


async def test_the_boards_table_opened_on_its_own_leads_to_the_boards_page(
    client: AsyncTestClient[Litestar], employee: dict[str, str], make_team: MakeTeam
) -> None:
    team = await make_team("Wijkteam")

    response = await client.get(
        table_url(team), params={"date": TODAY.isoformat()}, follow_redirects=False
    )

    assert response.headers["location"] == f"/teams/{team.id}/board?date={TODAY.isoformat()}"


async def test_the_table_of_an_unknown_teams_board_is_not_found(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.get("/teams/999999/board/table", headers=HTMX)

    assert response.status_code == 404


async def test_a_boards_table_beyond_the_horizon_is_refused(
    client: AsyncTestClient[Litestar], employee: dict[str, str], make_team: MakeTeam
) -> None:
    team = await make_team("Wijkteam")
    far = TODAY + timedelta(days=200)

    response = await client.get(table_url(team), params={"date": far.isoformat()}, headers=HTMX)

    assert response.status_code == 422
