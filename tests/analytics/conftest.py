"""Small hand-made bookings for the analytics tests, at the sites of ``tests.conftest``.

Bookings are stored as they are: a desk's morning is 08:00-13:00 (Amsterdam) and its
afternoon 13:00-18:00. Tests that measure against opening hours give their site
``TEN_HOURS``: open Monday to Friday 08:00-18:00.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson
from werkplek.bookings.models import Booking
from werkplek.clock import AMSTERDAM, FixedClock
from werkplek.people.models import Person, Role
from werkplek.rooms.models import Space

Client = AsyncTestClient[Litestar]
Book = Callable[..., Awaitable[Booking]]

WINDOWS = {
    "morning": (time(8), time(13)),
    "afternoon": (time(13), time(18)),
    "day": (time(8), time(18)),
}

#: Open Monday to Friday 08:00-18:00: ten opening hours a day.
TEN_HOURS = dict.fromkeys(range(5), (time(8), time(18)))


def local(day: date, at: time) -> datetime:
    """A wall-clock time in Amsterdam as a UTC instant."""
    return datetime.combine(day, at, tzinfo=AMSTERDAM).astimezone(UTC)


@pytest.fixture
def book(db: AsyncSession, clock: FixedClock) -> Book:
    """A booking straight in the table: desks by day part, rooms by local times."""

    async def make(
        space: Space,
        day: date,
        part: str | None = None,
        *,
        start: time | None = None,
        end: time | None = None,
        status: str = "confirmed",
        attendees: int = 1,
        person: Person | None = None,
    ) -> Booking:
        is_desk = space.kind in ("desk", "quiet_desk")
        if part is not None:
            start, end = WINDOWS[part]
        assert start is not None and end is not None
        booking = Booking(
            space_id=space.id,
            site_id=space.site_id,
            is_desk=is_desk,
            booked_for_id=person.id if person else None,
            booked_by_id=person.id if person else None,
            start_at=local(day, start),
            end_at=local(day, end),
            day_part=part if is_desk else None,
            status=status,
            attendees=attendees,
            checked_in_at=local(day, start) if status == "checked_in" else None,
            created_at=clock.now(),
            updated_at=clock.now(),
        )
        db.add(booking)
        await db.commit()
        return booking

    return make


@pytest.fixture
async def facilities(make_person: MakePerson, login_as: LoginAs) -> Person:
    """Log the client in as someone from facilities."""
    person = await make_person("Fenna Facilitair", roles=(Role.FACILITIES,))
    await login_as(person)
    return person
