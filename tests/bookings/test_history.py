"""Earlier bookings: the last 30 days' bookings that are over, cancelled, released or
declined, newest first, on a page of their own beside "Mijn reserveringen"."""

from __future__ import annotations

from datetime import date, timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import TOMORROW, Run, World, actor, at, desk_booking
from tests.conftest import LoginAs
from werkplek.bookings import services
from werkplek.clock import FixedClock

Client = AsyncTestClient[Litestar]
GRACE = timedelta(minutes=30)


async def book(run: Run, clock: FixedClock, world: World, day: date = TOMORROW) -> int:
    result = await run(
        services.create_booking, clock, actor(world.anna), desk_booking(world.desk, day)
    )
    booking_id: int = result.created[0].id
    return booking_id


async def earlier_ids(db: AsyncSession, clock: FixedClock, world: World) -> list[int]:
    await db.rollback()
    return [b.id for b in await services.earlier_bookings(db, clock, actor(world.anna))]


async def test_a_booking_that_is_over_is_an_earlier_booking(
    db: AsyncSession, world: World, run: Run, clock: FixedClock
) -> None:
    booked = await book(run, clock, world)
    clock.set(at(TOMORROW, 13, 30))

    assert await earlier_ids(db, clock, world) == [booked]


async def test_an_upcoming_booking_is_not_an_earlier_booking(
    db: AsyncSession, world: World, run: Run, clock: FixedClock
) -> None:
    await book(run, clock, world)

    assert await earlier_ids(db, clock, world) == []


async def test_a_booking_released_as_a_no_show_is_an_earlier_booking_before_its_end(
    db: AsyncSession, world: World, run: Run, clock: FixedClock
) -> None:
    booked = await book(run, clock, world)
    clock.set(at(TOMORROW, 8))
    await run(services.release_no_shows_after, clock, GRACE)

    assert await earlier_ids(db, clock, world) == [booked]


async def test_a_cancelled_future_booking_is_an_earlier_booking(
    db: AsyncSession, world: World, run: Run, clock: FixedClock
) -> None:
    booked = await book(run, clock, world)
    await run(services.cancel_booking, clock, actor(world.anna), booked)

    assert await earlier_ids(db, clock, world) == [booked]


async def test_earlier_bookings_come_newest_first(
    db: AsyncSession, world: World, run: Run, clock: FixedClock
) -> None:
    first = await book(run, clock, world, TOMORROW)
    second = await book(run, clock, world, TOMORROW + timedelta(days=1))
    clock.set(at(TOMORROW + timedelta(days=1), 14))

    assert await earlier_ids(db, clock, world) == [second, first]


async def test_a_booking_of_more_than_30_days_ago_is_left_out(
    db: AsyncSession, world: World, run: Run, clock: FixedClock
) -> None:
    await book(run, clock, world)
    clock.set(at(TOMORROW + timedelta(days=31), 10))

    assert await earlier_ids(db, clock, world) == []


async def test_the_history_page_shows_a_released_booking_without_actions(
    client: Client, world: World, login_as: LoginAs, run: Run, clock: FixedClock
) -> None:
    booked = await book(run, clock, world)
    clock.set(at(TOMORROW, 8))
    await run(services.release_no_shows_after, clock, GRACE)
    await login_as(world.anna)

    response = await client.get("/bookings/history")

    assert "Vrijgegeven" in response.text
    assert f"/bookings/{booked}/cancel" not in response.text


async def test_my_bookings_links_to_the_earlier_bookings(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get("/bookings")

    assert '<a href="/bookings/history">Eerdere reserveringen</a>' in response.text


async def test_the_history_page_says_when_there_is_nothing(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get("/bookings/history")

    assert "Geen eerdere reserveringen in deze periode." in response.text
