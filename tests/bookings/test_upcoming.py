"""Mijn reserveringen: the upcoming bookings for or by oneself, soonest first, a page at a
time."""

from __future__ import annotations

from datetime import timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import TOMORROW, World, actor, add_morning_bookings
from tests.conftest import LoginAs
from tests.stacked_tables import stacked_table
from werkplek.bookings import services
from werkplek.clock import FixedClock

Client = AsyncTestClient[Litestar]
DAYS = [TOMORROW + timedelta(days=n) for n in range(3)]


async def upcoming_ids(
    db: AsyncSession, clock: FixedClock, world: World, **paging: int | None
) -> list[int]:
    upcoming = await services.upcoming_bookings(db, clock, actor(world.anna), **paging)
    return [b.id for b in upcoming.bookings]


async def test_a_page_of_upcoming_bookings_holds_the_soonest(
    db: AsyncSession, clock: FixedClock, world: World
) -> None:
    await add_morning_bookings(db, world, DAYS)
    soonest_first = await upcoming_ids(db, clock, world)

    assert await upcoming_ids(db, clock, world, limit=2) == soonest_first[:2]


async def test_the_next_page_of_upcoming_bookings_holds_those_after_the_last_shown(
    db: AsyncSession, clock: FixedClock, world: World
) -> None:
    await add_morning_bookings(db, world, DAYS)
    soonest_first = await upcoming_ids(db, clock, world)

    assert await upcoming_ids(db, clock, world, after=soonest_first[0]) == soonest_first[1:]


async def test_my_bookings_links_to_later_bookings_beyond_a_page(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs
) -> None:
    pages_worth = range(services.BOOKINGS_PAGE_SIZE + 1)
    await add_morning_bookings(db, world, (TOMORROW + timedelta(days=n) for n in pages_worth))
    await login_as(world.anna)

    response = await client.get("/bookings")

    assert '<a href="/bookings?after=' in response.text


async def test_my_bookings_has_no_pages_when_all_fit_on_one(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs
) -> None:
    await add_morning_bookings(db, world, DAYS)
    await login_as(world.anna)

    response = await client.get("/bookings")

    assert 'class="pager"' not in response.text


async def test_my_bookings_name_whom_a_booking_is_for_and_its_status_on_a_phone(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs
) -> None:
    await add_morning_bookings(db, world, DAYS[:1])
    await login_as(world.anna)

    table = stacked_table((await client.get("/bookings")).text, "booking-list")

    assert [cell.attrs.get("data-label") for cell in table.rows[0]] == [
        None,
        None,
        "Voor",
        "Status",
        None,
    ]
