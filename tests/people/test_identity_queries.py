"""Identifying the caller costs one query, whatever their roles and teams.

Every API request pays it, so it bounds the throughput of all endpoints (see
docs/performance.md). ``GET /api/tokens`` itself makes one query.
"""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson, MakeTeam, count_queries
from werkplek.clock import FixedClock
from werkplek.people.models import Person, Role
from werkplek.people.schemas import ApiTokenIn
from werkplek.people.services import create_api_token, current_user_for, user_for_api_token

Client = AsyncTestClient[Litestar]


async def _busy_person(make_person: MakePerson, make_team: MakeTeam) -> Person:
    teams = [await make_team(f"Team {n}") for n in range(3)]
    return await make_person(
        roles=(Role.KCC, Role.FACILITIES), teams=tuple(teams[:2]), lead_of=(teams[2],)
    )


async def _token(db: AsyncSession, clock: FixedClock, person: Person) -> str:
    created = await create_api_token(db, clock, current_user_for(person), ApiTokenIn(name="x"))
    await db.commit()
    return created.token


async def test_a_bearer_token_request_makes_one_query_for_the_caller(
    app: Litestar,
    client: Client,
    db: AsyncSession,
    make_person: MakePerson,
    make_team: MakeTeam,
    clock: FixedClock,
) -> None:
    token = await _token(db, clock, await _busy_person(make_person, make_team))
    headers = {"Authorization": f"Bearer {token}"}
    await client.get("/api/tokens", headers=headers)  # the first use is noted

    with count_queries(app.state.engine) as statements:
        response = await client.get("/api/tokens", headers=headers)

    assert response.status_code == 200
    assert len(statements) == 2


async def test_noting_a_tokens_first_use_adds_only_the_update(
    app: Litestar, client: Client, db: AsyncSession, make_person: MakePerson, clock: FixedClock
) -> None:
    token = await _token(db, clock, await make_person())

    with count_queries(app.state.engine) as statements:
        response = await client.get("/api/tokens", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 200
    assert len(statements) == 3
    assert statements[1].lstrip().upper().startswith("UPDATE API_TOKENS")


async def test_a_session_request_makes_one_query_for_the_caller(
    app: Litestar,
    client: Client,
    db: AsyncSession,
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
) -> None:
    await login_as(await _busy_person(make_person, make_team))

    with count_queries(app.state.engine) as statements:
        response = await client.get("/api/tokens")

    assert response.status_code == 200
    assert len(statements) == 2


async def test_the_caller_found_by_token_has_their_roles_teams_and_led_teams(
    db: AsyncSession, make_person: MakePerson, make_team: MakeTeam, clock: FixedClock
) -> None:
    person = await _busy_person(make_person, make_team)
    expected = current_user_for(person)
    token = await _token(db, clock, person)

    user = await user_for_api_token(db, clock, token)

    assert user is not None
    assert (user.roles, user.team_ids, user.lead_team_ids) == (
        {Role.EMPLOYEE, Role.KCC, Role.FACILITIES},
        expected.team_ids,
        expected.lead_team_ids,
    )
    assert len(user.team_ids) == 3 and len(user.lead_team_ids) == 1
