"""Earlier bookings: those over, cancelled, released or declined, newest first, a page at a
time, on a page of their own beside "Mijn reserveringen"."""

from __future__ import annotations

from datetime import date, timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import (
    NEXT_MONDAY,
    TODAY,
    TOMORROW,
    Run,
    World,
    actor,
    add_morning_bookings,
    at,
    desk_booking,
)
from tests.conftest import LoginAs
from werkplek.bookings import services
from werkplek.clock import FixedClock

Client = AsyncTestClient[Litestar]
GRACE = timedelta(minutes=30)


async def book(
    run: Run, clock: FixedClock, world: World, day: date = TOMORROW, part: str = "morning"
) -> int:
    result = await run(
        services.create_booking, clock, actor(world.anna), desk_booking(world.desk, day, part)
    )
    booking_id: int = result.created[0].id
    return booking_id


async def earlier_ids(
    db: AsyncSession, clock: FixedClock, world: World, **paging: int | None
) -> list[int]:
    await db.rollback()
    history = await services.earlier_bookings(db, clock, actor(world.anna), **paging)
    return [b.id for b in history.bookings]


async def three_booked(run: Run, clock: FixedClock, world: World) -> list[int]:
    """Three bookings that are over, newest first."""
    booked = [
        await book(run, clock, world, TOMORROW, "morning"),
        await book(run, clock, world, TOMORROW, "afternoon"),
        await book(run, clock, world, NEXT_MONDAY, "morning"),
    ]
    clock.set(at(NEXT_MONDAY, 14))
    return booked[::-1]


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


async def test_a_page_of_earlier_bookings_ends_at_its_size(
    db: AsyncSession, world: World, run: Run, clock: FixedClock
) -> None:
    newest_first = await three_booked(run, clock, world)

    assert await earlier_ids(db, clock, world, limit=2) == newest_first[:2]


async def test_the_next_page_holds_those_older_than_the_last_shown(
    db: AsyncSession, world: World, run: Run, clock: FixedClock
) -> None:
    newest_first = await three_booked(run, clock, world)

    assert await earlier_ids(db, clock, world, before=newest_first[1]) == newest_first[2:]


async def test_a_page_names_its_last_booking_when_there_are_older_ones(
    db: AsyncSession, world: World, run: Run, clock: FixedClock
) -> None:
    newest_first = await three_booked(run, clock, world)
    await db.rollback()

    history = await services.earlier_bookings(db, clock, actor(world.anna), limit=2)

    assert history.last_id == newest_first[1]


async def test_the_last_page_names_no_older_one(
    db: AsyncSession, world: World, run: Run, clock: FixedClock
) -> None:
    await three_booked(run, clock, world)
    await db.rollback()

    history = await services.earlier_bookings(db, clock, actor(world.anna), limit=3)

    assert history.last_id is None


async def test_the_history_page_links_to_older_bookings(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs
) -> None:
    pages_worth = range(1, services.BOOKINGS_PAGE_SIZE + 2)
    await add_morning_bookings(db, world, (TODAY - timedelta(days=n) for n in pages_worth))
    await login_as(world.anna)

    response = await client.get("/bookings/history")

    assert '<a href="/bookings/history?before=' in response.text


async def test_an_older_page_links_back_to_the_newest(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs, clock: FixedClock
) -> None:
    await add_morning_bookings(db, world, [TODAY - timedelta(days=1)])
    (newest,) = await earlier_ids(db, clock, world)
    await login_as(world.anna)

    response = await client.get("/bookings/history", params={"before": newest})

    assert '<a href="/bookings/history">← Nieuwste</a>' in response.text


async def test_an_unknown_booking_to_page_from_is_not_found(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get("/bookings/history", params={"before": 999999})

    assert response.status_code == 404


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

    assert "Geen eerdere reserveringen." in response.text
