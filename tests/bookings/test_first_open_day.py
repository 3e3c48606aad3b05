"""The day a booking page starts on: today until the site closes, then the next open day."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import (
    NEXT_MONDAY,
    SATURDAY,
    TODAY,
    TOMORROW,
    MakeSite,
    at,
)
from tests.conftest import add_closure
from werkplek.bookings.availability import first_open_day
from werkplek.clock import FixedClock

FRIDAY = date(2026, 11, 27)


async def test_until_the_site_closes_a_page_starts_on_today(
    db: AsyncSession, clock: FixedClock, make_site: MakeSite
) -> None:
    site = await make_site()
    clock.set(at(TODAY, 17, 59))

    assert await first_open_day(db, clock, site.id) == TODAY


async def test_once_the_site_has_closed_a_page_starts_on_the_next_day(
    db: AsyncSession, clock: FixedClock, make_site: MakeSite
) -> None:
    site = await make_site()
    clock.set(at(TODAY, 18))

    assert await first_open_day(db, clock, site.id) == TOMORROW


async def test_on_a_friday_evening_a_page_starts_on_monday(
    db: AsyncSession, clock: FixedClock, make_site: MakeSite
) -> None:
    site = await make_site()
    clock.set(at(FRIDAY, 20))

    assert await first_open_day(db, clock, site.id) == NEXT_MONDAY


async def test_at_the_weekend_a_page_starts_on_monday(
    db: AsyncSession, clock: FixedClock, make_site: MakeSite
) -> None:
    site = await make_site()
    clock.set(at(SATURDAY, 10))

    assert await first_open_day(db, clock, site.id) == NEXT_MONDAY


async def test_a_day_the_site_is_closed_is_passed_over(
    db: AsyncSession, clock: FixedClock, make_site: MakeSite
) -> None:
    site = await make_site()
    await add_closure(db, site, TOMORROW, TOMORROW, reason="Verhuizing")
    clock.set(at(TODAY, 19))

    assert await first_open_day(db, clock, site.id) == FRIDAY


async def test_days_asked_to_be_skipped_are_passed_over(
    db: AsyncSession, clock: FixedClock, make_site: MakeSite
) -> None:
    site = await make_site()
    clock.set(at(TODAY, 10))

    assert await first_open_day(db, clock, site.id, skip={TODAY, TOMORROW}) == FRIDAY


async def test_a_site_with_longer_hours_is_still_open_in_the_evening(
    db: AsyncSession, clock: FixedClock, make_site: MakeSite
) -> None:
    site = await make_site(hours=dict.fromkeys(range(5), (time(7), time(22))))
    clock.set(at(TODAY, 19))

    assert await first_open_day(db, clock, site.id) == TODAY


async def test_a_site_closed_as_far_ahead_as_it_can_be_booked_starts_on_today(
    db: AsyncSession, clock: FixedClock, make_site: MakeSite
) -> None:
    site = await make_site()
    await add_closure(db, site, TODAY, TODAY + timedelta(days=30), reason="Verbouwing")

    assert await first_open_day(db, clock, site.id) == TODAY
