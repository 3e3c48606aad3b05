"""Expected visitors: the booking world of tests/bookings, and room bookings to expect
visitors at.

The clock stands at Wednesday 25 November 2026, 10:00 in Amsterdam."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import (  # noqa: F401  (fixtures)
    TODAY,
    TOMORROW,
    World,
    at,
    sessionmaker,
    world,
)
from tests.conftest import MakePerson
from werkplek.bookings.models import Booking, BookingStatus
from werkplek.people.models import Person, Role
from werkplek.rooms.models import Space
from werkplek.visitors.models import BookingVisitor

MakeBooking = Callable[..., Awaitable[Booking]]


@pytest.fixture
def make_booking(db: AsyncSession, world: World) -> MakeBooking:  # noqa: F811
    """A booking stored as it is, without the booking rules: Anna's meeting in the
    meeting room tomorrow 10:00-11:00 unless told otherwise."""

    async def make(
        space: Space | None = None,
        *,
        holder: Person | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        status: BookingStatus = BookingStatus.CONFIRMED,
    ) -> Booking:
        space = space or world.room
        holder = holder or world.anna
        booking = Booking(
            space_id=space.id,
            site_id=space.site_id,
            is_desk=space.kind in ("desk", "quiet_desk"),
            booked_for_id=holder.id,
            booked_by_id=holder.id,
            start_at=start or at(TOMORROW, 10),
            end_at=end or at(TOMORROW, 11),
            status=status.value,
            title="Keukentafelgesprek",
            created_at=at(TODAY, 9),
            updated_at=at(TODAY, 9),
        )
        db.add(booking)
        await db.commit()
        return booking

    return make


async def add_visitor(
    db: AsyncSession, booking: Booking, name: str, organisation: str = ""
) -> BookingVisitor:
    """A visitor stored as it is, without the rules."""
    visitor = BookingVisitor(
        booking_id=booking.id, name=name, organisation=organisation, created_at=at(TODAY, 9)
    )
    db.add(visitor)
    await db.commit()
    return visitor


async def visitors(db: AsyncSession) -> list[BookingVisitor]:
    """Every visitor stored, as the app committed them."""
    await db.rollback()
    statement = (
        select(BookingVisitor).order_by(BookingVisitor.id).execution_options(populate_existing=True)
    )
    return list(await db.scalars(statement))


@pytest.fixture
async def facilities(make_person: MakePerson) -> Person:
    """Fenna, of facilities: reception at the sites."""
    return await make_person("Fenna Facilitair", roles=(Role.FACILITIES,))


@pytest.fixture
async def receptionist(make_person: MakePerson) -> Person:
    """Roos, at reception: the role reception and nothing more."""
    return await make_person("Roos Receptie", roles=(Role.RECEPTION,))
