"""Walking in on a free desk (its QR page, without a booking): only a day part that can be
checked in now is offered and booked. The clock stands at 10:00; the afternoon begins at 13:00,
so it can be checked in from 12:30."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import (
    TODAY,
    Book,
    MakeSpace,
    Run,
    World,
    actor,
    at,
    count_bookings,
    desk_booking,
)
from tests.conftest import LoginAs
from werkplek.bookings.availability import book_walk_in, walk_in_parts
from werkplek.bookings.services import BookingRuleBroken
from werkplek.clock import FixedClock
from werkplek.rooms.services import DayPart

Client = AsyncTestClient[Litestar]


async def test_at_ten_a_free_desk_is_offered_for_the_morning_and_the_whole_day(
    db: AsyncSession, world: World, clock: FixedClock
) -> None:
    parts = await walk_in_parts(db, clock, actor(world.anna), world.desk)

    assert parts == [DayPart.MORNING, DayPart.DAY]


async def test_half_an_hour_before_the_afternoon_it_is_offered_too(
    db: AsyncSession, world: World, clock: FixedClock
) -> None:
    clock.set(at(TODAY, 12, 30))

    parts = await walk_in_parts(db, clock, actor(world.anna), world.desk)

    assert DayPart.AFTERNOON in parts


async def test_a_desk_that_needs_approval_is_offered_for_no_day_part(
    db: AsyncSession, world: World, clock: FixedClock, make_space: MakeSpace
) -> None:
    guarded = await make_space(world.site, "Flexplek 1.04", requires_approval=True)

    assert await walk_in_parts(db, clock, actor(world.anna), guarded) == []


async def test_someone_holding_another_desk_then_is_offered_no_day_part(
    db: AsyncSession, world: World, clock: FixedClock, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk2, TODAY))

    assert await walk_in_parts(db, clock, actor(world.anna), world.desk) == []


async def test_walking_in_for_a_day_part_that_begins_later_is_refused_at_the_day_part(
    world: World, run: Run, clock: FixedClock
) -> None:
    with pytest.raises(BookingRuleBroken) as refused:
        await run(book_walk_in, clock, actor(world.anna), world.desk.id, DayPart.AFTERNOON)

    assert refused.value.field == "day_part"


async def test_walking_in_books_the_day_part_checked_in(
    world: World, run: Run, clock: FixedClock
) -> None:
    booking = await run(book_walk_in, clock, actor(world.anna), world.desk.id, DayPart.MORNING)

    assert (booking.status, booking.day_part) == ("checked_in", "morning")


async def test_the_qr_page_does_not_offer_a_day_part_that_begins_later(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get(f"/check-in/{world.desk.id}")

    assert 'name="day_part" value="afternoon"' not in response.text


async def test_the_qr_page_refuses_a_day_part_that_begins_later_and_books_nothing(
    client: Client, world: World, login_as: LoginAs, db: AsyncSession
) -> None:
    headers = await login_as(world.anna)

    response = await client.post(
        f"/check-in/{world.desk.id}",
        data={"_csrf": headers["X-CSRF-Token"], "day_part": "afternoon"},
    )

    assert (response.status_code, await count_bookings(db)) == (422, 0)
