"""Facilities closing a place, or taking a space out of use, cancels the bookings there
that have not begun, and their holders are told why."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import (
    TODAY,
    TOMORROW,
    Book,
    Run,
    World,
    actor,
    all_bookings,
    desk_booking,
    room_booking,
)
from tests.conftest import LoginAs, MakePerson, MakeTeam
from werkplek.bookings import displaced
from werkplek.bookings import services as bookings
from werkplek.clock import FixedClock
from werkplek.notifications.models import OutboxMail
from werkplek.people.models import Person, Role, Team
from werkplek.people.services import CurrentUser
from werkplek.rooms.models import Closure, Site, SiteKind, Space, SpaceKind
from werkplek.rooms.schemas import ClosureIn, SiteIn, SpaceIn

Client = AsyncTestClient[Litestar]


async def _facilities(make_person: MakePerson) -> CurrentUser:
    return actor(await make_person("Fenna Facilitair", roles=(Role.FACILITIES,)))


Close = Callable[..., Awaitable[Any]]


@pytest.fixture
def close(world: World, run: Run, clock: FixedClock, make_person: MakePerson) -> Close:
    """Facilities close the site (or one space) for one day, because of a leak."""

    async def close(day: date, space: Space | None = None) -> Any:
        closure = ClosureIn(
            starts_on=day, ends_on=day, reason="Lekkage", space_id=space.id if space else None
        )
        facilities = await _facilities(make_person)
        return await run(displaced.add_closure, clock, facilities, world.site.id, closure)

    return close


def _unchanged(space: Space, **fields: object) -> SpaceIn:
    values: dict[str, object] = {
        "site_id": space.site_id,
        "name": space.name,
        "kind": SpaceKind(space.kind),
        "floor_id": space.floor_id,
        **fields,
    }
    return SpaceIn(**values)  # type: ignore[arg-type]


async def _statuses(db: AsyncSession) -> list[str]:
    return [booking.status for booking in await all_bookings(db)]


async def test_closing_the_site_cancels_the_bookings_on_the_closed_day(
    world: World, db: AsyncSession, close: Close, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk, TOMORROW))

    await close(TOMORROW)

    assert await _statuses(db) == ["cancelled"]


async def test_a_booking_after_the_closed_days_stays(
    world: World, db: AsyncSession, close: Close, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk, date(2026, 11, 27)))

    await close(TOMORROW)

    assert await _statuses(db) == ["confirmed"]


async def test_closing_one_space_leaves_the_other_desks_booked(
    world: World, db: AsyncSession, close: Close, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk2, TOMORROW))

    await close(TOMORROW, world.desk)

    assert await _statuses(db) == ["confirmed"]


async def test_a_booking_under_way_stays_when_the_site_closes_today(
    world: World, run: Run, clock: FixedClock, db: AsyncSession, close: Close
) -> None:
    made = await run(
        bookings.create_booking, clock, actor(world.anna), desk_booking(world.desk, TODAY, "day")
    )
    await run(bookings.check_in, clock, actor(world.anna), made.created[0].id)

    await close(TODAY)

    assert await _statuses(db) == ["checked_in"]


async def test_the_holder_is_told_the_closures_reason(
    world: World, db: AsyncSession, close: Close, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk, TOMORROW))

    await close(TOMORROW)

    await db.rollback()
    mail = (
        await db.execute(select(OutboxMail).where(OutboxMail.kind == "booking_cancelled"))
    ).scalar_one()
    context = json.loads(mail.context)
    assert (mail.person_id, context["reason"], context["explanation"]) == (
        world.anna.id,
        "closure",
        "Lekkage",
    )


async def test_taking_a_space_out_of_use_cancels_its_bookings(
    world: World, run: Run, clock: FixedClock, db: AsyncSession, make_person: MakePerson, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk, TOMORROW))

    await run(
        displaced.save_space,
        clock,
        await _facilities(make_person),
        _unchanged(world.desk, active=False),
        world.desk.id,
    )

    assert await _statuses(db) == ["cancelled"]


async def test_renaming_a_space_cancels_nothing(
    world: World, run: Run, clock: FixedClock, db: AsyncSession, make_person: MakePerson, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk, TOMORROW))

    await run(
        displaced.save_space,
        clock,
        await _facilities(make_person),
        _unchanged(world.desk, name="Flexplek 1.01a"),
        world.desk.id,
    )

    assert await _statuses(db) == ["confirmed"]


async def _save_site(
    run: Run, clock: FixedClock, make_person: MakePerson, site: Site, **fields: Any
) -> Any:
    data = SiteIn(name=site.name, kind=SiteKind(site.kind), **fields)
    return await run(displaced.save_site, clock, await _facilities(make_person), data, site.id)


async def test_taking_a_site_out_of_use_cancels_its_bookings(
    world: World, run: Run, clock: FixedClock, db: AsyncSession, make_person: MakePerson, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk, TOMORROW))

    await _save_site(run, clock, make_person, world.site, active=False)

    assert await _statuses(db) == ["cancelled"]


async def test_the_holder_is_told_the_site_was_taken_out_of_use(
    world: World, run: Run, clock: FixedClock, db: AsyncSession, make_person: MakePerson, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk, TOMORROW))

    await _save_site(run, clock, make_person, world.site, active=False)

    await db.rollback()
    mail = (
        await db.execute(select(OutboxMail).where(OutboxMail.kind == "booking_cancelled"))
    ).scalar_one()
    assert json.loads(mail.context)["reason"] == "site_withdrawn"


async def test_a_site_change_that_keeps_it_in_use_cancels_nothing(
    world: World, run: Run, clock: FixedClock, db: AsyncSession, make_person: MakePerson, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk, TOMORROW))

    await _save_site(run, clock, make_person, world.site, city="Dorpstad")

    assert await _statuses(db) == ["confirmed"]


async def test_the_closure_answer_lists_the_cancelled_bookings(
    world: World, client: Client, make_person: MakePerson, login_as: LoginAs, book: Book
) -> None:
    booking_id = (await book(world.anna, desk_booking(world.desk, TOMORROW))).created[0].id
    await login_as(await make_person("Fenna Facilitair", roles=(Role.FACILITIES,)))

    response = await client.post(
        f"/api/sites/{world.site.id}/closures",
        json={"starts_on": TOMORROW.isoformat(), "ends_on": TOMORROW.isoformat()},
    )

    assert (response.status_code, response.json()["cancelled_booking_ids"]) == (201, [booking_id])


async def test_the_site_page_says_how_many_bookings_a_closure_cancelled(
    world: World, client: Client, make_person: MakePerson, login_as: LoginAs, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk, TOMORROW))
    await login_as(await make_person("Fenna Facilitair", roles=(Role.FACILITIES,)))

    response = await client.post(
        f"/admin/sites/{world.site.id}/closures",
        data={"starts_on": TOMORROW.isoformat(), "ends_on": TOMORROW.isoformat(), "confirmed": "1"},
    )

    assert "1 reservering die nog niet was begonnen, is geannuleerd" in response.text


async def test_a_closure_on_booked_days_asks_first_how_many_bookings_it_cancels(
    world: World, client: Client, make_person: MakePerson, login_as: LoginAs, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk, TOMORROW))
    await book(world.anna, room_booking(world.room, TOMORROW))
    await login_as(await make_person("Fenna Facilitair", roles=(Role.FACILITIES,)))

    response = await client.post(
        f"/admin/sites/{world.site.id}/closures",
        data={"starts_on": TOMORROW.isoformat(), "ends_on": TOMORROW.isoformat()},
    )

    assert "op 26-11-2026 vervallen 2 reserveringen die nog niet zijn begonnen" in response.text
    assert "Sluiten en 2 reserveringen annuleren" in response.text


async def test_a_closure_not_yet_confirmed_is_not_added_and_cancels_nothing(
    world: World,
    client: Client,
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
    book: Book,
) -> None:
    await book(world.anna, desk_booking(world.desk, TOMORROW))
    await login_as(await make_person("Fenna Facilitair", roles=(Role.FACILITIES,)))

    await client.post(
        f"/admin/sites/{world.site.id}/closures",
        data={"starts_on": TOMORROW.isoformat(), "ends_on": TOMORROW.isoformat()},
    )

    assert await _statuses(db) == ["confirmed"]
    assert (await db.execute(select(Closure))).first() is None


async def test_the_confirmation_sends_the_closure_again_confirmed(
    world: World, client: Client, make_person: MakePerson, login_as: LoginAs, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk, TOMORROW))
    await login_as(await make_person("Fenna Facilitair", roles=(Role.FACILITIES,)))
    closure = {"starts_on": TOMORROW.isoformat(), "ends_on": TOMORROW.isoformat()}

    page = (
        await client.post(
            f"/admin/sites/{world.site.id}/closures", data={**closure, "reason": "Lekkage"}
        )
    ).text

    form = re.search(
        r'<form method="post" action="/admin/sites/\d+/closures">.*?</form>', page, re.S
    )
    assert form is not None
    sent = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.group()))
    sent.pop("_csrf")
    assert sent == {**closure, "reason": "Lekkage", "space_id": "", "confirmed": "1"}


async def test_a_closure_of_days_without_bookings_is_added_without_asking(
    world: World, client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Fenna Facilitair", roles=(Role.FACILITIES,)))

    response = await client.post(
        f"/admin/sites/{world.site.id}/closures",
        data={"starts_on": TOMORROW.isoformat(), "ends_on": TOMORROW.isoformat()},
    )

    assert "De sluiting is toegevoegd" in response.text
    assert (await db.execute(select(Closure))).first() is not None


# --- a space restricted to teams or made smaller --------------------------------------------


async def _restrict(
    run: Run, clock: FixedClock, make_person: MakePerson, space: Space, *teams: Team
) -> Any:
    data = _unchanged(space, team_ids=[team.id for team in teams])
    return await run(displaced.save_space, clock, await _facilities(make_person), data, space.id)


async def test_restricting_a_desk_to_a_team_cancels_the_bookings_of_people_outside_it(
    world: World,
    book: Book,
    run: Run,
    clock: FixedClock,
    db: AsyncSession,
    make_person: MakePerson,
    make_team: MakeTeam,
) -> None:
    await book(world.anna, desk_booking(world.desk, TOMORROW))

    await _restrict(run, clock, make_person, world.desk, await make_team("Vergunningen"))

    assert await _statuses(db) == ["cancelled"]


async def test_restricting_a_desk_to_a_team_keeps_the_bookings_of_its_members(
    world: World,
    book: Book,
    run: Run,
    clock: FixedClock,
    db: AsyncSession,
    make_person: MakePerson,
    make_team: MakeTeam,
) -> None:
    team = await make_team("Vergunningen")
    member = await make_person("Bram Vergunningen", teams=(team,))
    await book(member, desk_booking(world.desk, TOMORROW))

    await _restrict(run, clock, make_person, world.desk, team)

    assert await _statuses(db) == ["confirmed"]


async def test_restricting_a_desk_keeps_the_bookings_of_facilities(
    world: World,
    book: Book,
    run: Run,
    clock: FixedClock,
    db: AsyncSession,
    make_person: MakePerson,
    make_team: MakeTeam,
) -> None:
    facilities = await make_person("Frits Facilitair", roles=(Role.FACILITIES,))
    await book(facilities, desk_booking(world.desk, TOMORROW))

    await _restrict(run, clock, make_person, world.desk, await make_team("Vergunningen"))

    assert await _statuses(db) == ["confirmed"]


@pytest.mark.parametrize("another_team", [False, True], ids=["unchanged", "a team added"])
async def test_saving_a_restricted_desk_keeps_a_booking_facilities_made_for_an_outsider(
    world: World,
    run: Run,
    clock: FixedClock,
    db: AsyncSession,
    make_person: MakePerson,
    make_team: MakeTeam,
    another_team: bool,
) -> None:
    teams = [await make_team("Vergunningen")]
    await _restrict(run, clock, make_person, world.desk, *teams)
    placed = desk_booking(world.desk, TOMORROW, booked_for_id=world.anna.id)
    await run(bookings.create_booking, clock, await _facilities(make_person), placed)
    if another_team:
        teams.append(await make_team("Handhaving"))

    await _restrict(run, clock, make_person, world.desk, *teams)

    assert await _statuses(db) == ["confirmed"]


async def test_moving_a_desk_to_another_team_cancels_the_bookings_of_the_former_teams_members(
    world: World,
    book: Book,
    run: Run,
    clock: FixedClock,
    db: AsyncSession,
    make_person: MakePerson,
    make_team: MakeTeam,
) -> None:
    former = await make_team("Vergunningen")
    await _restrict(run, clock, make_person, world.desk, former)
    await book(await make_person("Bram Vergunningen", teams=(former,)), desk_booking(world.desk))

    await _restrict(run, clock, make_person, world.desk, await make_team("Handhaving"))

    assert await _statuses(db) == ["cancelled"]


async def test_the_holder_is_told_the_space_is_now_for_other_teams(
    world: World,
    book: Book,
    run: Run,
    clock: FixedClock,
    db: AsyncSession,
    make_person: MakePerson,
    make_team: MakeTeam,
) -> None:
    await book(world.anna, desk_booking(world.desk, TOMORROW))

    await _restrict(run, clock, make_person, world.desk, await make_team("Vergunningen"))

    await db.rollback()
    mail = (
        await db.execute(select(OutboxMail).where(OutboxMail.kind == "booking_cancelled"))
    ).scalar_one()
    assert (mail.person_id, json.loads(mail.context)["reason"]) == (
        world.anna.id,
        "space_restricted",
    )


async def _book_room(
    run: Run, clock: FixedClock, person: Person, room: Space, attendees: int
) -> int:
    data = room_booking(room, TOMORROW, attendees=attendees)
    made = await run(bookings.create_booking, clock, actor(person), data)
    booking_id: int = made.created[0].id
    return booking_id


async def _resize(
    run: Run, clock: FixedClock, make_person: MakePerson, room: Space, capacity: int
) -> Any:
    data = _unchanged(room, capacity=capacity)
    return await run(displaced.save_space, clock, await _facilities(make_person), data, room.id)


async def test_lowering_a_rooms_capacity_cancels_the_meetings_too_big_for_it(
    world: World, run: Run, clock: FixedClock, db: AsyncSession, make_person: MakePerson
) -> None:
    await _book_room(run, clock, world.anna, world.room, attendees=6)

    await _resize(run, clock, make_person, world.room, 4)

    assert await _statuses(db) == ["cancelled"]


async def test_lowering_a_rooms_capacity_keeps_the_meetings_that_still_fit(
    world: World, run: Run, clock: FixedClock, db: AsyncSession, make_person: MakePerson
) -> None:
    await _book_room(run, clock, world.anna, world.room, attendees=4)

    await _resize(run, clock, make_person, world.room, 4)

    assert await _statuses(db) == ["confirmed"]


async def test_the_holder_is_told_the_room_now_holds_fewer_people(
    world: World, run: Run, clock: FixedClock, db: AsyncSession, make_person: MakePerson
) -> None:
    await _book_room(run, clock, world.anna, world.room, attendees=6)

    await _resize(run, clock, make_person, world.room, 4)

    await db.rollback()
    mail = (
        await db.execute(select(OutboxMail).where(OutboxMail.kind == "booking_cancelled"))
    ).scalar_one()
    assert json.loads(mail.context)["reason"] == "space_capacity"


async def test_the_space_answer_lists_the_bookings_a_smaller_capacity_cancelled(
    world: World,
    run: Run,
    clock: FixedClock,
    client: Client,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    booking_id = await _book_room(run, clock, world.anna, world.room, attendees=6)
    await login_as(await make_person("Fenna Facilitair", roles=(Role.FACILITIES,)))
    body = {"site_id": world.site.id, "name": world.room.name, "kind": "meeting_room"}

    response = await client.put(f"/api/spaces/{world.room.id}", json={**body, "capacity": 4})

    assert (response.status_code, response.json()["cancelled_booking_ids"]) == (
        200,
        [booking_id],
    )


async def test_the_site_page_says_how_many_bookings_restricting_a_space_cancelled(
    world: World,
    book: Book,
    run: Run,
    clock: FixedClock,
    client: Client,
    make_person: MakePerson,
    login_as: LoginAs,
    make_team: MakeTeam,
) -> None:
    team = await make_team("Vergunningen")
    await book(world.anna, desk_booking(world.desk, TOMORROW))
    headers = await login_as(await make_person("Fenna Facilitair", roles=(Role.FACILITIES,)))
    form = {
        "_csrf": headers["X-CSRF-Token"],
        "name": world.desk.name,
        "kind": "desk",
        "capacity": "1",
        "floor_id": str(world.floor.id),
        "team_ids": str(team.id),
        "active": "on",
    }

    response = await client.post(f"/admin/sites/{world.site.id}/spaces/{world.desk.id}", data=form)

    assert "1 reservering die nog niet was begonnen, is geannuleerd" in response.text


async def test_the_confirmation_of_a_closure_of_several_days_names_its_first_and_last(
    world: World, client: Client, make_person: MakePerson, login_as: LoginAs, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk, TOMORROW))
    await login_as(await make_person("Fenna Facilitair", roles=(Role.FACILITIES,)))

    response = await client.post(
        f"/admin/sites/{world.site.id}/closures",
        data={"starts_on": TOMORROW.isoformat(), "ends_on": "2026-11-27"},
    )

    assert "van 26-11-2026 tot en met 27-11-2026 vervalt 1 reservering" in response.text
