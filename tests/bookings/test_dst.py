"""Bookings across the clock changes: stored in UTC, made from Amsterdam wall-clock hours.

Summer time starts on Sunday 28 March 2027 (UTC+1 -> UTC+2) and ends on Sunday
25 October 2026 (UTC+2 -> UTC+1). Easter 2027 falls on that same weekend, so the
site here does not observe public holidays (one test shows that it otherwise would).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import (
    Book,
    MakeSite,
    MakeSpace,
    Run,
    World,
    desk_booking,
    local,
)
from tests.conftest import MakePerson
from werkplek.bookings import services
from werkplek.bookings.schemas import BookingIn, RecurrenceIn
from werkplek.clock import FixedClock
from werkplek.errors import DomainError
from werkplek.rooms.services import DayPart

FRIDAY_BEFORE_SPRING = date(2027, 3, 26)
SPRING_SUNDAY = date(2027, 3, 28)
MONDAY_AFTER_SPRING = date(2027, 3, 29)
FRIDAY_BEFORE_AUTUMN = date(2026, 10, 23)
MONDAY_AFTER_AUTUMN = date(2026, 10, 26)


def utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


@pytest.fixture(autouse=True)
async def open_at_easter(world: World, db: AsyncSession) -> None:
    world.site.observe_public_holidays = False
    await db.commit()


async def test_easter_monday_after_the_change_is_closed_where_holidays_count(
    world: World, clock: FixedClock, db: AsyncSession, book: Book
) -> None:
    world.site.observe_public_holidays = True
    await db.commit()
    clock.set(utc(date(2027, 3, 25), 9))

    with pytest.raises(DomainError) as info:
        await book(world.anna, desk_booking(world.desk, MONDAY_AFTER_SPRING))

    assert info.value.code == "site_closed"


async def test_the_tuesday_after_the_change_is_also_two_hours_ahead_of_utc(
    world: World, clock: FixedClock, db: AsyncSession, book: Book
) -> None:
    world.site.observe_public_holidays = True
    await db.commit()
    clock.set(utc(date(2027, 3, 25), 9))
    tuesday = MONDAY_AFTER_SPRING + timedelta(days=1)

    booking = (await book(world.anna, desk_booking(world.desk, tuesday))).created[0]

    assert booking.start_at == utc(tuesday, 5, 30)


async def test_a_morning_after_summer_time_starts_is_two_hours_ahead_of_utc(
    world: World, clock: FixedClock, book: Book
) -> None:
    clock.set(utc(date(2027, 3, 25), 9))
    data = desk_booking(world.desk, MONDAY_AFTER_SPRING)

    booking = (await book(world.anna, data)).created[0]

    assert (booking.start_at, booking.end_at) == (
        utc(MONDAY_AFTER_SPRING, 5, 30),
        utc(MONDAY_AFTER_SPRING, 11),
    )


async def test_a_morning_before_summer_time_starts_is_one_hour_ahead_of_utc(
    world: World, clock: FixedClock, book: Book
) -> None:
    clock.set(utc(date(2027, 3, 25), 9))
    data = desk_booking(world.desk, FRIDAY_BEFORE_SPRING)

    booking = (await book(world.anna, data)).created[0]

    assert booking.start_at == utc(FRIDAY_BEFORE_SPRING, 6, 30)


async def test_a_morning_after_summer_time_ends_is_one_hour_ahead_of_utc(
    world: World, clock: FixedClock, book: Book
) -> None:
    clock.set(utc(date(2026, 10, 22), 9))
    data = desk_booking(world.desk, MONDAY_AFTER_AUTUMN)

    booking = (await book(world.anna, data)).created[0]

    assert (booking.start_at, booking.end_at) == (
        utc(MONDAY_AFTER_AUTUMN, 6, 30),
        utc(MONDAY_AFTER_AUTUMN, 12),
    )


async def test_an_afternoon_before_summer_time_ends_is_two_hours_ahead_of_utc(
    world: World, clock: FixedClock, book: Book
) -> None:
    clock.set(utc(date(2026, 10, 22), 9))
    data = desk_booking(world.desk, FRIDAY_BEFORE_AUTUMN, DayPart.AFTERNOON)

    booking = (await book(world.anna, data)).created[0]

    assert (booking.start_at, booking.end_at) == (
        utc(FRIDAY_BEFORE_AUTUMN, 11),
        utc(FRIDAY_BEFORE_AUTUMN, 16),
    )


async def test_a_weekly_room_booking_keeps_its_local_hour_across_the_change(
    world: World, clock: FixedClock, book: Book
) -> None:
    clock.set(utc(date(2027, 3, 18), 7))
    data = BookingIn(
        space_id=world.room.id,
        start=local(date(2027, 3, 18), 10),  # Thursdays 10:00-11:00 local
        end=local(date(2027, 3, 18), 11),
        recurrence=RecurrenceIn(weekdays=[3], until=date(2027, 4, 1)),
    )

    result = await book(world.anna, data)

    assert [b.start_at for b in result.created] == [
        utc(date(2027, 3, 18), 9),
        utc(date(2027, 3, 25), 9),
        utc(date(2027, 4, 1), 8),
    ]


async def test_a_whole_day_on_the_spring_sunday_is_an_hour_shorter(
    make_site: MakeSite,
    make_space: MakeSpace,
    make_person: MakePerson,
    clock: FixedClock,
    book: Book,
) -> None:
    site = await make_site(
        "Zondagslocatie", hours={6: (time(8), time(17))}, observe_public_holidays=False
    )
    desk = await make_space(site)
    person = await make_person()
    clock.set(utc(date(2027, 3, 25), 9))

    booking = (await book(person, desk_booking(desk, SPRING_SUNDAY, DayPart.DAY))).created[0]

    assert (booking.start_at, booking.end_at) == (utc(SPRING_SUNDAY, 6), utc(SPRING_SUNDAY, 15))


async def test_the_local_times_in_the_api_carry_the_summer_offset(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    clock.set(utc(date(2027, 3, 25), 9))
    made = await book(world.anna, desk_booking(world.desk, MONDAY_AFTER_SPRING))

    (out,) = await run(services.bookings_out, made.created)

    assert out.local_start.isoformat() == "2027-03-29T07:30:00+02:00"
