"""Mijn reserveringen tells the holder when to check in before: the no-show release, or
the booking's end if that comes first (default grace period: 30 minutes)."""

from __future__ import annotations

from datetime import timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.bookings.conftest import TOMORROW, Book, World, at, room_booking
from tests.conftest import LoginAs
from werkplek.bookings import services
from werkplek.people.models import Person

Client = AsyncTestClient[Litestar]


async def test_my_bookings_says_to_check_in_before_the_release(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    await book(world.anna, room_booking(world.room, start=(10, 0), end=(12, 0)))
    await login_as(world.anna)

    response = await client.get("/bookings")

    assert "inchecken vóór 10:30" in response.text


async def test_a_booking_shorter_than_the_grace_period_says_to_check_in_before_its_end(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    await book(world.anna, room_booking(world.room, start=(10, 0), end=(10, 20)))
    await login_as(world.anna)

    response = await client.get("/bookings")

    assert "inchecken vóór 10:20" in response.text


async def test_whoever_booked_for_a_colleague_is_not_told_to_check_in(
    client: Client, world: World, login_as: LoginAs, book: Book, karim: Person
) -> None:
    await book(karim, room_booking(world.room, booked_for_id=world.anna.id))
    await login_as(karim)

    response = await client.get("/bookings")

    assert "inchecken vóór" not in response.text


async def test_a_booking_that_is_over_has_nothing_to_check_in_before(
    world: World, book: Book
) -> None:
    made = await book(world.anna, room_booking(world.room, start=(10, 0), end=(10, 20)))
    (booking,) = made.created

    deadline = services.check_in_before(
        booking, world.anna.id, at(TOMORROW, 10, 20), timedelta(minutes=30)
    )

    assert deadline is None
