"""Small hand-made sites and bookings for the analytics tests.

The default site is open Monday to Friday 08:00-18:00 (Amsterdam), split at 13:00,
so a desk's morning is 08:00-13:00 and its afternoon 13:00-18:00.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson, MakeSite, MakeSpace
from werkplek.bookings.models import Booking
from werkplek.clock import AMSTERDAM, FixedClock
from werkplek.people.models import Person, Role
from werkplek.rooms.models import Floor, OpeningHours, Site, Space

Client = AsyncTestClient[Litestar]
Book = Callable[..., Awaitable[Booking]]

WINDOWS = {
    "morning": (time(8), time(13)),
    "afternoon": (time(13), time(18)),
    "day": (time(8), time(18)),
}


def local(day: date, at: time) -> datetime:
    """A wall-clock time in Amsterdam as a UTC instant."""
    return datetime.combine(day, at, tzinfo=AMSTERDAM).astimezone(UTC)


@pytest.fixture
def make_site(db: AsyncSession) -> MakeSite:
    async def make(
        name: str = "Stadskantoor",
        *,
        hours: dict[int, tuple[time, time]] | None = None,
        **fields: Any,
    ) -> Site:
        opening = hours if hours is not None else dict.fromkeys(range(5), (time(8), time(18)))
        site = Site(
            name=name,
            kind=fields.pop("kind", "central_office"),
            timezone="Europe/Amsterdam",
            day_split=fields.pop("day_split", time(13)),
            capacity_cap_percent=fields.pop("capacity_cap_percent", None),
            observe_public_holidays=fields.pop("observe_public_holidays", True),
            **fields,
        )
        site.opening_hours = [
            OpeningHours(weekday=day, opens=opens, closes=closes)
            for day, (opens, closes) in sorted(opening.items())
        ]
        db.add(site)
        await db.commit()
        return site

    return make


@pytest.fixture
def make_floor(db: AsyncSession) -> Callable[..., Awaitable[Floor]]:
    async def make(site: Site, name: str = "Begane grond", level: int = 0) -> Floor:
        floor = Floor(site_id=site.id, name=name, level=level)
        db.add(floor)
        await db.commit()
        return floor

    return make


@pytest.fixture
def make_space(db: AsyncSession) -> MakeSpace:
    counter = iter(range(1, 10_000))

    async def make(site: Site, kind: str = "desk", **fields: Any) -> Space:
        space = Space(
            site_id=site.id,
            name=fields.pop("name", f"{kind} {next(counter)}"),
            kind=kind,
            capacity=fields.pop("capacity", 1),
            active=fields.pop("active", True),
            **fields,
        )
        db.add(space)
        await db.commit()
        return space

    return make


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
