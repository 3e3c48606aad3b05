"""Arranging bookings: sites, desks and rooms, people, and running services as the app does.

The test clock stands at Wednesday 25 November 2026, 10:00 in Amsterdam. Sites are
open Monday to Friday 07:30-18:00 with the split at 13:00 unless a test says otherwise.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any, TypeVar

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.conftest import MakePerson, MakeSite, MakeSpace
from werkplek.bookings import services
from werkplek.bookings.models import Booking
from werkplek.bookings.schemas import BookingIn
from werkplek.bookings.services import BookingResult
from werkplek.clock import AMSTERDAM, FixedClock
from werkplek.db import create_sessionmaker
from werkplek.people.models import Person, Role
from werkplek.people.services import CurrentUser, current_user_for
from werkplek.rooms.models import Floor, Site, Space

TODAY = date(2026, 11, 25)  # a Wednesday
TOMORROW = date(2026, 11, 26)  # a Thursday
SATURDAY = date(2026, 11, 28)
NEXT_MONDAY = date(2026, 11, 30)

T = TypeVar("T")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """An Amsterdam wall-clock time as a UTC instant."""
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM).astimezone(UTC)


def local(day: date, hour: int, minute: int = 0) -> str:
    """An Amsterdam wall-clock time as ISO 8601 with its offset, as API clients send it."""
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM).isoformat()


Run = Callable[..., Awaitable[Any]]
Book = Callable[[Person, BookingIn], Awaitable[BookingResult]]


@pytest.fixture
async def sessionmaker(db: AsyncSession) -> async_sessionmaker[AsyncSession]:
    assert db.bind is not None
    return create_sessionmaker(db.bind)  # type: ignore[arg-type]


@pytest.fixture
def run(db: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession]) -> Run:
    """Run a service in a transaction of its own, as a request does; commit on success.

    The arranging session ``db`` ends its transaction first: on SQLite a reader that
    still holds an old snapshot may not write after another connection did.
    """

    async def call(function: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        await db.commit()
        async with sessionmaker() as session:
            try:
                result = await function(session, *args, **kwargs)
            except BaseException:
                await session.rollback()
                raise
            await session.commit()
            return result

    return call


def actor(person: Person) -> CurrentUser:
    return current_user_for(person)


@pytest.fixture
def book(run: Run, clock: FixedClock) -> Book:
    """Book as ``person`` does, at the test clock's time, with every rule applied."""

    async def call(person: Person, booking: BookingIn) -> BookingResult:
        result: BookingResult = await run(services.create_booking, clock, actor(person), booking)
        return result

    return call


def desk_booking(space: Space, day: date = TOMORROW, part: str = "morning", **kw: Any) -> BookingIn:
    return BookingIn(space_id=space.id, date=day, day_part=part, **kw)  # type: ignore[arg-type]


def room_booking(
    space: Space,
    day: date = TOMORROW,
    start: tuple[int, int] = (10, 0),
    end: tuple[int, int] = (11, 0),
    **kw: Any,
) -> BookingIn:
    return BookingIn(space_id=space.id, start=local(day, *start), end=local(day, *end), **kw)


async def count_bookings(db: AsyncSession, **where: Any) -> int:
    await db.rollback()  # a fresh snapshot: see what the app committed
    statement = select(func.count(Booking.id))
    for column, value in where.items():
        statement = statement.where(getattr(Booking, column) == value)
    return int((await db.execute(statement)).scalar_one())


async def add_morning_bookings(db: AsyncSession, world: World, days: Iterable[date]) -> None:
    """Anna's confirmed bookings of the first desk on the mornings of ``days``, stored as
    they are: past days too, and without the booking rules."""
    made = at(TODAY, 9)
    db.add_all(
        Booking(
            space_id=world.desk.id,
            site_id=world.site.id,
            is_desk=True,
            booked_for_id=world.anna.id,
            booked_by_id=world.anna.id,
            start_at=at(day, 8),
            end_at=at(day, 12),
            day_part="morning",
            created_at=made,
            updated_at=made,
        )
        for day in days
    )
    await db.commit()


async def all_bookings(db: AsyncSession) -> list[Booking]:
    await db.rollback()
    return list((await db.execute(select(Booking).order_by(Booking.start_at))).scalars())


@dataclass
class World:
    """A typical arrangement: a site with a floor, desks, rooms and an employee."""

    site: Site
    floor: Floor
    desk: Space
    desk2: Space
    quiet: Space
    room: Space
    resident_room: Space
    anna: Person
    extra: dict[str, Any] = field(default_factory=dict)


@pytest.fixture
async def world(
    db: AsyncSession, make_site: MakeSite, make_space: MakeSpace, make_person: Any
) -> World:
    site = await make_site()
    floor = Floor(site_id=site.id, name="Eerste verdieping", level=1)
    db.add(floor)
    await db.commit()
    desk = await make_space(site, "Flexplek 1.01", floor_id=floor.id, amenities=["screen"])
    desk2 = await make_space(site, "Flexplek 1.02", floor_id=floor.id)
    quiet = await make_space(site, "Stilteplek 1.03", kind="quiet_desk", floor_id=floor.id)
    room = await make_space(
        site,
        "Overleg 1.10",
        kind="meeting_room",
        capacity=6,
        floor_id=floor.id,
        amenities=["video"],
    )
    resident_room = await make_space(
        site,
        "Spreekkamer A",
        kind="resident_room",
        capacity=3,
        safety_features=["alarm_button", "second_exit"],
    )
    anna = await make_person("Anna de Vries")
    return World(site, floor, desk, desk2, quiet, room, resident_room, anna)


def room_form(world: World, csrf: str, **extra: str) -> dict[str, str]:
    """Ruimte boeken's form booking the meeting room tomorrow 10:00-11:00."""
    return {
        "_csrf": csrf,
        "site": str(world.site.id),
        "date": TOMORROW.isoformat(),
        "space_id": str(world.room.id),
        "start": "10:00",
        "end": "11:00",
        "attendees": "2",
        **extra,
    }


def change_form(world: World, csrf: str, **fields: str) -> dict[str, str]:
    """The change form of a room booking as it comes, filled in with Anna's meeting in the
    meeting room tomorrow 10:00-11:00, changed by ``fields``."""
    return {
        "_csrf": csrf,
        "date": TOMORROW.isoformat(),
        "start": "10:00",
        "end": "11:00",
        "space_id": str(world.room.id),
    } | fields


@pytest.fixture
async def karim(make_person: MakePerson) -> Person:
    """A KCC agent, who books for colleagues."""
    return await make_person("Karim", roles=(Role.KCC,))
