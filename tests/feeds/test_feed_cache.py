"""A calendar app that already holds the current feed gets 304 without a rebuild, however
long ago it was built; the token and its creator's rights are still checked on every request."""

from __future__ import annotations

from datetime import date, timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import MakePerson, MakeTeam, count_queries
from tests.feeds.conftest import Subscribe
from werkplek.clock import FixedClock
from werkplek.feeds.models import FeedToken
from werkplek.people.models import Role, TeamMembership

THURSDAY = date(2026, 11, 26)


async def test_a_304_costs_one_query_and_builds_nothing(
    app: Litestar,
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    subscribe: Subscribe,
) -> None:
    team = await make_team("Vergunningen")
    lead = await make_person(roles=(Role.TEAMLEAD,), lead_of=(team,))
    path = await subscribe(lead, "team", team.id)
    etag = (await client.get(path)).headers["etag"]
    with count_queries(app.state.engine) as statements:
        response = await client.get(path, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert len(statements) == 1  # the token, its creator's rights and the feed's inputs


async def test_an_unchanged_feed_answers_304_without_a_rebuild_hours_after_it_was_built(
    app: Litestar,
    client: AsyncTestClient[Litestar],
    clock: FixedClock,
    make_person: MakePerson,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    path = await subscribe(anna, "person", anna.id)
    etag = (await client.get(path)).headers["etag"]
    clock.advance(timedelta(hours=1))
    with count_queries(app.state.engine) as statements:
        response = await client.get(path, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert [s.split()[0].upper() for s in statements] == ["SELECT", "UPDATE"]  # + last use


async def test_a_revoked_token_answers_404_at_once_to_a_cached_etag(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    path = await subscribe(anna, "person", anna.id)
    etag = (await client.get(path)).headers["etag"]
    await db.execute(update(FeedToken).values(revoked_at=clock.now()))
    await db.commit()
    assert (await client.get(path, headers={"If-None-Match": etag})).status_code == 404


async def test_a_creator_who_lost_the_right_gets_404_at_once_to_a_cached_etag(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    make_team: MakeTeam,
    subscribe: Subscribe,
) -> None:
    team = await make_team("Vergunningen")
    lead = await make_person(roles=(Role.TEAMLEAD,), lead_of=(team,))
    path = await subscribe(lead, "team", team.id)
    etag = (await client.get(path)).headers["etag"]
    await db.execute(
        update(TeamMembership).where(TeamMembership.person_id == lead.id).values(is_lead=False)
    )
    await db.commit()
    assert (await client.get(path, headers={"If-None-Match": etag})).status_code == 404
