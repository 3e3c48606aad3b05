"""Field visits in the presence feeds: someone on a visit is on location, in its area (never
its address or purpose), for the time they are there, and a change to a visit shows at
the next request, also to a client holding the feed's ETag.

The clock stands at Wednesday 25 November 2026, 10:00 in Amsterdam.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import MakePerson, MakeTeam, count_queries
from tests.feeds.conftest import Parsed, Subscribe, local, parse_feed
from tests.feeds.test_feed_inputs import held_etag, rebuilt
from tests.visits.conftest import as_text
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.people.models import Person, Role
from werkplek.people.services import current_user_for
from werkplek.visits import services as visits
from werkplek.visits.schemas import VisitChangeIn, VisitIn, VisitOut

THURSDAY = date(2026, 11, 26)

PlanVisit = Callable[..., Awaitable[VisitOut]]
Act = Callable[..., Awaitable[VisitOut]]


@pytest.fixture
def plan(db: AsyncSession, clock: FixedClock, settings: Settings) -> PlanVisit:
    """Plan a visit on Thursday 10:30-11:30 in Marum through the service, as its first
    visitor, and commit it."""

    async def make(visitors: list[Person], **changes: Any) -> VisitOut:
        values: dict[str, Any] = {
            "visitor_ids": [person.id for person in visitors],
            "start": local(THURSDAY, 10, 30),
            "end": local(THURSDAY, 11, 30),
            "area": "Marum",
            "address": "Molenweg 12, 9363 AB Marum",
            "purpose": "Keukentafelgesprek Wmo",
        }
        values.update(changes)
        await db.commit()
        out = await visits.plan_visit(
            db, clock, settings, current_user_for(visitors[0]), VisitIn(**as_text(values))
        )
        await db.commit()
        return out

    return make


@pytest.fixture
def act(db: AsyncSession, clock: FixedClock, settings: Settings) -> Act:
    """Run a visit service (check in, check out, extend, cancel) as ``person``, committed;
    all but checking in may mail those told about the visit, and so take the settings."""

    async def run(action: Any, person: Person, visit: VisitOut, *args: Any) -> VisitOut:
        await db.commit()
        mails = () if action is visits.check_in else (settings,)
        out: VisitOut = await action(db, clock, *mails, current_user_for(person), visit.id, *args)
        await db.commit()
        return out

    return run


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


async def _events(client: AsyncTestClient[Litestar], path: str) -> dict[str, Parsed]:
    response = await client.get(path)
    assert response.status_code == 200
    return parse_feed(response.content)


def _visit_events(events: dict[str, Parsed]) -> list[Parsed]:
    return [event for uid, event in events.items() if uid.startswith("visit-")]


async def test_a_planned_visit_shows_in_my_feed_as_on_location_in_its_area_for_its_time(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    plan: PlanVisit,
    subscribe: Subscribe,
) -> None:
    anna = await make_person("Anna Veld")
    visit = await plan([anna])
    path = await subscribe(anna, "person", anna.id)
    event = (await _events(client, path))[f"visit-{visit.id}-{anna.id}@werkplek"]
    assert (event.summary, event.location) == ("Op locatie (Marum)", "Marum")
    assert (event.start, event.end) == (
        _utc(local(THURSDAY, 10, 30)),
        _utc(local(THURSDAY, 11, 30)),
    )


async def test_a_visit_in_a_feed_shows_neither_its_address_nor_its_purpose(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    plan: PlanVisit,
    subscribe: Subscribe,
) -> None:
    anna = await make_person("Anna Veld")
    await plan([anna])
    body = (await client.get(await subscribe(anna, "person", anna.id))).text
    assert "Molenweg" not in body and "Keukentafelgesprek" not in body


async def test_the_kcc_sees_a_members_visit_in_the_team_feed_with_their_name_and_area(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    plan: PlanVisit,
    subscribe: Subscribe,
) -> None:
    team = await make_team("Wijkteam")
    anna = await make_person("Anna Veld", teams=(team,))
    agent = await make_person("Karin KCC", roles=(Role.KCC,))
    await plan([anna])
    (event,) = _visit_events(await _events(client, await subscribe(agent, "team", team.id)))
    assert event.summary == "Anna Veld: Op locatie (Marum)"


async def test_each_visitor_of_a_visit_for_two_has_an_event_of_their_own_in_the_team_feed(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    plan: PlanVisit,
    subscribe: Subscribe,
) -> None:
    team = await make_team("Wijkteam")
    anna = await make_person("Anna Veld", teams=(team,))
    bram = await make_person("Bram Buiten", teams=(team,))
    agent = await make_person("Karin KCC", roles=(Role.KCC,))
    await plan([anna, bram])
    events = _visit_events(await _events(client, await subscribe(agent, "team", team.id)))
    assert sorted(event.summary for event in events) == [
        "Anna Veld: Op locatie (Marum)",
        "Bram Buiten: Op locatie (Marum)",
    ]


async def test_a_cancelled_visit_is_not_in_the_feed(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    plan: PlanVisit,
    act: Act,
    subscribe: Subscribe,
) -> None:
    anna = await make_person("Anna Veld")
    await act(visits.cancel, anna, await plan([anna]))
    assert _visit_events(await _events(client, await subscribe(anna, "person", anna.id))) == []


async def test_a_visit_runs_in_the_feed_from_checking_in_to_checking_out(
    client: AsyncTestClient[Litestar],
    clock: FixedClock,
    make_person: MakePerson,
    plan: PlanVisit,
    act: Act,
    subscribe: Subscribe,
) -> None:
    anna = await make_person("Anna Veld")
    visit = await plan([anna])
    clock.set(local(THURSDAY, 10, 40))
    await act(visits.check_in, anna, visit)
    clock.set(local(THURSDAY, 11, 5))
    await act(visits.check_out, anna, visit)
    (event,) = _visit_events(await _events(client, await subscribe(anna, "person", anna.id)))
    assert (event.start, event.end) == (_utc(local(THURSDAY, 10, 40)), _utc(local(THURSDAY, 11, 5)))


@pytest.fixture
async def running_late(
    make_person: MakePerson, plan: PlanVisit, act: Act, clock: FixedClock, subscribe: Subscribe
) -> str:
    """Anna checked in to her visit (10:30-11:30) at 10:40 and has not checked out; the
    path of her own feed."""
    anna = await make_person("Anna Veld")
    visit = await plan([anna])
    clock.set(local(THURSDAY, 10, 40))
    await act(visits.check_in, anna, visit)
    return await subscribe(anna, "person", anna.id)


async def test_a_visit_nobody_checked_out_keeps_its_planned_end_in_the_feed(
    client: AsyncTestClient[Litestar], clock: FixedClock, running_late: str
) -> None:
    """The safety board and the live status show an overdue visit open-ended; a feed,
    polled hourly at best, keeps the planned end rather than change at every request."""
    clock.set(local(THURSDAY, 12, 40))  # an hour past the planned end, still not out

    (event,) = _visit_events(await _events(client, running_late))

    assert event.end == _utc(local(THURSDAY, 11, 30))


async def test_a_visit_running_late_leaves_the_feed_held_by_its_etag_unchanged(
    client: AsyncTestClient[Litestar], clock: FixedClock, running_late: str
) -> None:
    clock.set(local(THURSDAY, 11, 40))
    etag = await held_etag(client, clock, running_late)
    clock.set(local(THURSDAY, 13, 0))

    assert not await rebuilt(client, running_late, etag)


async def test_planning_a_visit_rebuilds_my_feed_held_by_its_etag(
    client: AsyncTestClient[Litestar],
    clock: FixedClock,
    make_person: MakePerson,
    plan: PlanVisit,
    subscribe: Subscribe,
) -> None:
    anna = await make_person("Anna Veld")
    path = await subscribe(anna, "person", anna.id)
    etag = await held_etag(client, clock, path)
    await plan([anna])
    assert await rebuilt(client, path, etag)


async def test_each_change_to_a_members_visit_rebuilds_the_team_feed_held_by_its_etag(
    client: AsyncTestClient[Litestar],
    clock: FixedClock,
    make_person: MakePerson,
    make_team: MakeTeam,
    plan: PlanVisit,
    act: Act,
    subscribe: Subscribe,
) -> None:
    team = await make_team("Wijkteam")
    anna = await make_person("Anna Veld", teams=(team,))
    bram = await make_person("Bram Buiten", teams=(team,))
    agent = await make_person("Karin KCC", roles=(Role.KCC,))
    path = await subscribe(agent, "team", team.id)
    clock.set(local(THURSDAY, 8))
    first = await plan([anna], start=local(THURSDAY, 9), end=local(THURSDAY, 10))
    second = await plan([bram], start=local(THURSDAY, 14), end=local(THURSDAY, 15))
    clock.set(local(THURSDAY, 9, 50))
    changes = [
        lambda: act(visits.check_in, anna, first),
        lambda: act(visits.extend, anna, first, 30),
        lambda: act(visits.check_out, anna, first),
        lambda: act(visits.cancel, bram, second),
    ]
    for change in changes:
        etag = await held_etag(client, clock, path)
        await change()
        assert await rebuilt(client, path, etag)


async def test_one_taken_off_a_visit_no_longer_sees_it_in_their_feed_held_by_its_etag(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
    make_person: MakePerson,
    plan: PlanVisit,
    subscribe: Subscribe,
) -> None:
    """Taken off, they are no longer linked to the visit: their own row tells their feeds."""
    anna = await make_person("Anna Veld")
    bram = await make_person("Bram Buiten")
    visit = await plan([anna, bram])
    clock.advance(timedelta(hours=1))  # planned well before the feed was built
    path = await subscribe(bram, "person", bram.id)
    etag = await held_etag(client, clock, path)
    await db.commit()
    await visits.change_visit(
        db, clock, settings, current_user_for(anna), visit.id, VisitChangeIn(visitor_ids=[anna.id])
    )
    await db.commit()

    assert await rebuilt(client, path, etag)
    assert _visit_events(await _events(client, path)) == []


async def test_a_visit_of_someone_outside_the_team_leaves_its_feed_unchanged(
    client: AsyncTestClient[Litestar],
    clock: FixedClock,
    make_person: MakePerson,
    make_team: MakeTeam,
    plan: PlanVisit,
    subscribe: Subscribe,
) -> None:
    team = await make_team("Wijkteam")
    await make_person("Anna Veld", teams=(team,))
    otto = await make_person("Otto Ander")
    agent = await make_person("Karin KCC", roles=(Role.KCC,))
    path = await subscribe(agent, "team", team.id)
    etag = await held_etag(client, clock, path)
    await plan([otto])
    assert (await client.get(path, headers={"If-None-Match": etag})).status_code == 304


async def test_a_team_feed_costs_the_same_queries_for_one_or_six_visits(
    app: Litestar,
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    plan: PlanVisit,
    subscribe: Subscribe,
) -> None:
    agent = await make_person("Karin KCC", roles=(Role.KCC,))
    counts = []
    for size in (1, 6):
        team = await make_team(f"Team van {size}")
        for number in range(size):
            member = await make_person(f"Lid {size}.{number}", teams=(team,))
            day = THURSDAY + timedelta(days=number)
            await plan([member], start=local(day, 10), end=local(day, 11))
        path = await subscribe(agent, "team", team.id)
        await client.get(path)  # the first read also notes the content; count a steady one
        with count_queries(app.state.engine) as statements:
            assert (await client.get(path)).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
