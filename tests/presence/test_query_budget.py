"""The KCC search and the team board send a fixed, small number of statements.

They are the busiest presence reads (see docs/performance.md), and every statement
costs the app as much Python as a simple request's whole query. Counted here are the
statements of the search and the board themselves: identifying the caller (reading
and noting their API token) is pinned in tests/people/test_identity_queries.py.
"""

from __future__ import annotations

from datetime import timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import MakePerson, MakeTeam, count_queries
from tests.presence.conftest import TODAY, BookDesk, SetEntry, SetHours, SetPattern, Sites, at
from werkplek.clock import FixedClock
from werkplek.people.models import Person, Role, Team
from werkplek.people.schemas import ApiTokenIn
from werkplek.people.services import create_api_token, current_user_for
from werkplek.rooms.models import Space

Client = AsyncTestClient[Litestar]


async def _kcc_headers(
    db: AsyncSession, clock: FixedClock, make_person: MakePerson
) -> dict[str, str]:
    agent = await make_person("KCC Agent", roles=(Role.KCC,))
    created = await create_api_token(db, clock, current_user_for(agent), ApiTokenIn(name="kcc"))
    await db.commit()
    return {"Authorization": f"Bearer {created.token}"}


async def _busy_team(
    db: AsyncSession,
    make_person: MakePerson,
    make_team: MakeTeam,
    sites: Sites,
    set_pattern: SetPattern,
    set_entry: SetEntry,
    book_desk: BookDesk,
) -> tuple[Team, list[Person]]:
    """Ten members with patterns, entries, a desk booking and usual backups outside the team."""
    team = await make_team("Burgerzaken")
    desk = Space(site_id=sites.town_hall.id, name="Flexplek 1.01", kind="desk", capacity=1)
    db.add(desk)
    await db.commit()
    members = []
    for n in range(10):
        backup = await make_person(f"Vervanger {n}")
        await set_pattern(backup, TODAY.weekday(), "home")
        person = await make_person(f"Lid {n}", teams=(team,), backup_id=backup.id)
        await set_pattern(person, TODAY.weekday(), "office", site=sites.satellite)
        await set_entry(person, TODAY, "afternoon", "field_base", site=sites.depot)
        if n == 0:
            await book_desk(person, desk, TODAY)
        members.append(person)
    return team, members


async def _own_statements(
    app: Litestar,
    client: Client,
    url: str,
    headers: dict[str, str],
    params: dict[str, str] | None = None,
) -> list[str]:
    """The statements a request sends, other than those identifying the caller."""
    with count_queries(app.state.engine) as statements:
        response = await client.get(url, headers=headers, params=params)
    assert response.status_code == 200
    return [s for s in statements if "api_tokens" not in s]


async def test_a_search_with_its_hits_and_their_usual_backups_takes_six_statements(
    app: Litestar,
    client: Client,
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    make_team: MakeTeam,
    sites: Sites,
    set_pattern: SetPattern,
    set_entry: SetEntry,
    book_desk: BookDesk,
) -> None:
    await _busy_team(db, make_person, make_team, sites, set_pattern, set_entry, book_desk)
    headers = await _kcc_headers(db, clock, make_person)

    statements = await _own_statements(
        app, client, "/api/kcc/search", params={"q": "burgerzaken"}, headers=headers
    )

    # hits with their backups, teams and topics; entries and reachability, desk bookings,
    # patterns, each with their sites; field visits; meetings under way
    assert len(statements) == 6


async def test_backups_chosen_for_today_add_one_round_of_four_statements_to_a_search(
    app: Litestar,
    client: Client,
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    make_team: MakeTeam,
    sites: Sites,
    set_pattern: SetPattern,
    set_entry: SetEntry,
    set_hours: SetHours,
    book_desk: BookDesk,
) -> None:
    _team, members = await _busy_team(
        db, make_person, make_team, sites, set_pattern, set_entry, book_desk
    )
    for n, member in enumerate(members[:3]):
        stand_in = await make_person(f"Dagvervanger {n}")
        await set_pattern(stand_in, TODAY.weekday(), "office", site=sites.town_hall)
        await set_hours(member, TODAY, backup=stand_in)
    headers = await _kcc_headers(db, clock, make_person)

    statements = await _own_statements(
        app, client, "/api/kcc/search", params={"q": "burgerzaken"}, headers=headers
    )

    # the day's backups themselves, then their entries and reachability, desk bookings,
    # patterns
    assert len(statements) == 6 + 4


async def test_a_thursday_evening_search_finds_those_off_on_friday_without_another_round(
    app: Litestar,
    client: Client,
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    make_team: MakeTeam,
    sites: Sites,
    set_pattern: SetPattern,
) -> None:
    team = await make_team("Burgerzaken")
    for n in range(3):
        part_timer = await make_person(f"Lid {n}", teams=(team,))
        for weekday in range(4):  # Monday to Thursday
            await set_pattern(part_timer, weekday, "office", site=sites.town_hall)
    headers = await _kcc_headers(db, clock, make_person)
    thursday = TODAY + timedelta(days=1)
    clock.set(at(thursday, 19))

    statements = await _own_statements(
        app, client, "/api/kcc/search", params={"q": "burgerzaken"}, headers=headers
    )

    # next reachable on Monday, which the first round reads: no round up to the look-ahead
    assert len(statements) == 6


async def test_the_team_board_takes_six_statements(
    app: Litestar,
    client: Client,
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    make_team: MakeTeam,
    sites: Sites,
    set_pattern: SetPattern,
    set_entry: SetEntry,
    book_desk: BookDesk,
) -> None:
    team, _members = await _busy_team(
        db, make_person, make_team, sites, set_pattern, set_entry, book_desk
    )
    headers = await _kcc_headers(db, clock, make_person)

    statements = await _own_statements(app, client, f"/api/teams/{team.id}/board", headers=headers)

    # the members with the team's name and their teams; entries and reachability, desk
    # bookings, patterns, each with their sites; field visits; meetings under way
    assert len(statements) == 6
