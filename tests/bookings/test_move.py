"""Moving a desk booking to another desk: the old one is cancelled only if the new one is booked."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import (
    TOMORROW,
    Run,
    World,
    actor,
    all_bookings,
    desk_booking,
    room_booking,
)
from tests.conftest import LoginAs, MakePerson
from werkplek.bookings import services
from werkplek.bookings.services import BookingConflict, BookingRuleBroken
from werkplek.clock import FixedClock

Client = AsyncTestClient[Litestar]


async def _annas_morning(world: World, run: Run, clock: FixedClock) -> int:
    made = await run(services.create_booking, clock, actor(world.anna), desk_booking(world.desk))
    booking_id: int = made.created[0].id
    return booking_id


async def test_moving_books_the_other_desk_for_the_same_day_part(
    world: World, run: Run, clock: FixedClock
) -> None:
    booking_id = await _annas_morning(world, run, clock)

    moved = await run(
        services.move_desk_booking, clock, actor(world.anna), booking_id, world.desk2.id
    )

    (new,) = moved.created
    assert (new.space_id, new.day_part, new.booked_for_id) == (
        world.desk2.id,
        "morning",
        world.anna.id,
    )


async def test_moving_cancels_the_old_booking(
    world: World, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    booking_id = await _annas_morning(world, run, clock)

    await run(services.move_desk_booking, clock, actor(world.anna), booking_id, world.desk2.id)

    statuses = {b.space_id: b.status for b in await all_bookings(db)}
    assert statuses == {world.desk.id: "cancelled", world.desk2.id: "confirmed"}


async def test_a_move_to_a_taken_desk_keeps_the_old_booking(
    world: World, run: Run, clock: FixedClock, db: AsyncSession, make_person: MakePerson
) -> None:
    booking_id = await _annas_morning(world, run, clock)
    bram = await make_person("Bram")
    await run(services.create_booking, clock, actor(bram), desk_booking(world.desk2))

    with pytest.raises(BookingConflict):
        await run(services.move_desk_booking, clock, actor(world.anna), booking_id, world.desk2.id)

    statuses = {b.booked_for_id: b.status for b in await all_bookings(db)}
    assert statuses == {world.anna.id: "confirmed", bram.id: "confirmed"}


async def test_moving_to_the_same_desk_is_refused(
    world: World, run: Run, clock: FixedClock
) -> None:
    booking_id = await _annas_morning(world, run, clock)

    with pytest.raises(BookingRuleBroken) as refused:
        await run(services.move_desk_booking, clock, actor(world.anna), booking_id, world.desk.id)

    assert (refused.value.code, refused.value.field) == ("same_desk", "space_id")


async def test_a_room_booking_cannot_move_to_a_desk(
    world: World, run: Run, clock: FixedClock
) -> None:
    made = await run(services.create_booking, clock, actor(world.anna), room_booking(world.room))

    with pytest.raises(BookingRuleBroken) as refused:
        await run(
            services.move_desk_booking, clock, actor(world.anna), made.created[0].id, world.desk.id
        )

    assert refused.value.code == "not_a_desk_booking"


async def test_the_api_answers_the_new_booking(
    client: Client, world: World, login_as: LoginAs, run: Run, clock: FixedClock
) -> None:
    booking_id = await _annas_morning(world, run, clock)
    await login_as(world.anna)

    response = await client.post(
        f"/api/bookings/{booking_id}/move", json={"space_id": world.desk2.id}
    )

    assert response.status_code == 201
    assert (response.json()["space_id"], response.json()["date"]) == (
        world.desk2.id,
        TOMORROW.isoformat(),
    )


async def test_a_colleague_cannot_move_someone_elses_booking(
    client: Client,
    world: World,
    login_as: LoginAs,
    run: Run,
    clock: FixedClock,
    make_person: MakePerson,
) -> None:
    booking_id = await _annas_morning(world, run, clock)
    await login_as(await make_person("Bram"))

    response = await client.post(
        f"/api/bookings/{booking_id}/move", json={"space_id": world.desk2.id}
    )

    assert response.status_code == 404


async def test_the_desk_page_offers_to_move_to_a_free_desk(
    client: Client, world: World, login_as: LoginAs, run: Run, clock: FixedClock
) -> None:
    booking_id = await _annas_morning(world, run, clock)
    await login_as(world.anna)

    response = await client.get(
        "/book/desk",
        params={"site": world.site.id, "date": TOMORROW.isoformat(), "day_part": "morning"},
    )

    assert f'name="moving" value="{booking_id}"' in response.text
    assert f'name="move_to" value="{world.desk2.id}"' in response.text


async def test_moving_from_the_desk_page(
    client: Client, world: World, login_as: LoginAs, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    booking_id = await _annas_morning(world, run, clock)
    headers = await login_as(world.anna)

    await client.post(
        "/book/desk",
        data={
            "_csrf": headers["X-CSRF-Token"],
            "site": str(world.site.id),
            "date": TOMORROW.isoformat(),
            "day_part": "morning",
            "moving": str(booking_id),
            "move_to": str(world.desk2.id),
        },
    )

    active = [b.space_id for b in await all_bookings(db) if b.status == "confirmed"]
    assert active == [world.desk2.id]
