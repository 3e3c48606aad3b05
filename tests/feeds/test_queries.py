"""Feed generation takes a fixed number of queries, however much is in the feed."""

from __future__ import annotations

from datetime import date, timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import MakePerson, MakeSite, MakeSpace, MakeTeam, count_queries
from tests.feeds.conftest import MakeBooking, MakeLocation, Subscribe, local
from werkplek.people.models import Role
from werkplek.presence.models import WeeklyPattern

MONDAY = date(2026, 11, 30)


async def _queries(app: Litestar, client: AsyncTestClient[Litestar], path: str) -> int:
    await client.get(path)  # the first read also notes the content; count a steady one
    with count_queries(app.state.engine) as statements:
        response = await client.get(path)
    assert response.status_code == 200
    return len(statements)


async def test_a_team_feed_costs_the_same_queries_for_two_or_eight_busy_members(
    app: Litestar,
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    make_team: MakeTeam,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    make_location: MakeLocation,
    subscribe: Subscribe,
) -> None:
    site = await make_site()
    agent = await make_person(roles=(Role.KCC,))
    counts = []
    for size in (2, 8):
        team = await make_team(f"Team van {size}")
        for number in range(size):
            member = await make_person(teams=(team,))
            desk = await make_space(site, f"werkplek {size}.{number}")
            await make_booking(
                desk, member, local(MONDAY, 8), local(MONDAY, 13), day_part="morning"
            )
            await make_location(member, MONDAY + timedelta(days=1), "morning", "home")
            await make_location(
                member, MONDAY + timedelta(days=2), "afternoon", "office", site=site
            )
            db.add(WeeklyPattern(person_id=member.id, weekday=4, morning_kind="home"))
        await db.commit()
        counts.append(await _queries(app, client, await subscribe(agent, "team", team.id)))
    assert counts[0] == counts[1]


async def test_a_person_feed_costs_the_same_queries_for_one_or_twenty_bookings(
    app: Litestar,
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    make_location: MakeLocation,
    subscribe: Subscribe,
) -> None:
    site = await make_site()
    room = await make_space(site, "Reitdiep", kind="meeting_room")
    counts = []
    for bookings in (1, 20):
        person = await make_person()
        for number in range(bookings):
            day = MONDAY + timedelta(days=number)
            await make_booking(
                room, person, local(day, 9 + bookings % 5), local(day, 10 + bookings % 5)
            )
            await make_location(person, day, "morning", "office", site=site)
        counts.append(await _queries(app, client, await subscribe(person, "person", person.id)))
    assert counts[0] == counts[1]


async def test_a_site_feed_costs_the_same_queries_for_one_or_twenty_bookings(
    app: Litestar,
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    booker = await make_person()
    counts = []
    for bookings in (1, 20):
        site = await make_site(f"Locatie {bookings}")
        rooms = [await make_space(site, f"Zaal {n}", kind="meeting_room") for n in range(4)]
        for number in range(bookings):
            day = MONDAY + timedelta(days=number // 4)
            await make_booking(rooms[number % 4], booker, local(day, 9), local(day, 10))
        counts.append(await _queries(app, client, await subscribe(booker, "site", site.id)))
    assert counts[0] == counts[1]
