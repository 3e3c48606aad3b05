"""Arranging presence data: sites, desks, desk bookings, entries and patterns.

The test clock stands at Wednesday 25 November 2026, 10:00 in Amsterdam.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.bookings.models import Booking, BookingParticipant
from werkplek.clock import AMSTERDAM, FixedClock
from werkplek.people.models import Person, PersonTopic
from werkplek.presence.models import DayReachability, WeeklyPattern, WorkLocation
from werkplek.rooms.models import OpeningHours, Site, Space

TODAY = date(2026, 11, 25)  # a Wednesday
TOMORROW = date(2026, 11, 26)
MONDAY = date(2026, 11, 23)
SATURDAY = date(2026, 11, 28)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """An Amsterdam wall-clock time as an instant."""
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM).astimezone(UTC)


@dataclass
class Sites:
    town_hall: Site
    satellite: Site
    depot: Site  # a field base
    village_hall: Site  # a community venue: not a place to work from


@pytest.fixture
async def sites(db: AsyncSession) -> Sites:
    made = []
    for name, kind in (
        ("Stadhuis", "central_office"),
        ("Satelliet Noord", "satellite"),
        ("Gemeentewerf", "field_base"),
        ("Dorpshuis De Linde", "community_venue"),
    ):
        site = Site(name=name, kind=kind, timezone="Europe/Amsterdam", day_split=time(13))
        site.opening_hours = [
            OpeningHours(weekday=day, opens=time(7, 30), closes=time(18)) for day in range(5)
        ]
        db.add(site)
        made.append(site)
    await db.commit()
    return Sites(*made)


@pytest.fixture
async def desk(db: AsyncSession, sites: Sites) -> Space:
    space = Space(site_id=sites.town_hall.id, name="Flexplek 2.14", kind="desk", capacity=1)
    db.add(space)
    await db.commit()
    return space


BookDesk = Callable[..., Awaitable[Booking]]


@pytest.fixture
def book_desk(db: AsyncSession, clock: FixedClock) -> BookDesk:
    """A desk booking for a half day or a whole day, as the bookings domain stores it."""

    async def book(
        person: Person, space: Space, day: date, day_part: str = "day", status: str = "confirmed"
    ) -> Booking:
        start, end = {
            "morning": (time(7, 30), time(13)),
            "afternoon": (time(13), time(18)),
            "day": (time(7, 30), time(18)),
        }[day_part]
        booking = Booking(
            space_id=space.id,
            site_id=space.site_id,
            is_desk=True,
            booked_for_id=person.id,
            booked_by_id=person.id,
            start_at=at(day, start.hour, start.minute),
            end_at=at(day, end.hour, end.minute),
            day_part=day_part,
            status=status,
            created_at=clock.now(),
            updated_at=clock.now(),
        )
        db.add(booking)
        await db.commit()
        return booking

    return book


HoldMeeting = Callable[..., Awaitable[Booking]]


@pytest.fixture
def hold_meeting(db: AsyncSession, clock: FixedClock, sites: Sites) -> HoldMeeting:
    """A meeting in a room of the town hall today held by ``holder``, from ``start`` to
    ``end`` (Amsterdam wall-clock times), with ``invited`` colleagues and their answers."""

    async def hold(
        holder: Person,
        start: time,
        end: time,
        *,
        invited: tuple[tuple[Person, str], ...] = (),
        status: str = "confirmed",
    ) -> Booking:
        room = Space(site_id=sites.town_hall.id, name="Grutto", kind="meeting_room", capacity=8)
        db.add(room)
        await db.flush()
        booking = Booking(
            space_id=room.id,
            site_id=room.site_id,
            is_desk=False,
            booked_for_id=holder.id,
            booked_by_id=holder.id,
            start_at=at(TODAY, start.hour, start.minute),
            end_at=at(TODAY, end.hour, end.minute),
            title="Begroting 2027",
            attendees=4,
            status=status,
            created_at=clock.now(),
            updated_at=clock.now(),
        )
        db.add(booking)
        await db.flush()
        for person, response in invited:
            db.add(
                BookingParticipant(
                    booking_id=booking.id,
                    person_id=person.id,
                    response=response,
                    created_at=clock.now(),
                )
            )
        await db.commit()
        return booking

    return hold


SetEntry = Callable[..., Awaitable[WorkLocation]]


@pytest.fixture
def set_entry(db: AsyncSession, clock: FixedClock) -> SetEntry:
    """An explicit work location for one half day, straight into the database."""

    async def make(
        person: Person,
        day: date,
        day_part: str,
        kind: str,
        *,
        site: Site | None = None,
        area: str | None = None,
        reason: str | None = None,
    ) -> WorkLocation:
        entry = WorkLocation(
            person_id=person.id,
            date=day,
            day_part=day_part,
            kind=kind,
            site_id=site.id if site else None,
            area=area,
            absence_reason=reason,
            updated_at=clock.now(),
        )
        db.add(entry)
        await db.commit()
        return entry

    return make


SetPattern = Callable[..., Awaitable[WeeklyPattern]]


@pytest.fixture
def set_pattern(db: AsyncSession) -> SetPattern:
    """One weekday of a weekly pattern: the same kind (and site) all day unless split."""

    async def make(
        person: Person,
        weekday: int,
        kind: str,
        *,
        site: Site | None = None,
        afternoon: str | None = None,
        afternoon_site: Site | None = None,
        area: str | None = None,
        hours: tuple[time, time] | None = None,
    ) -> WeeklyPattern:
        row = WeeklyPattern(
            person_id=person.id,
            weekday=weekday,
            morning_kind=kind,
            morning_site_id=site.id if site else None,
            morning_area=area,
            afternoon_kind=afternoon or kind,
            afternoon_site_id=(
                afternoon_site.id
                if afternoon_site
                else (site.id if site and not afternoon else None)
            ),
            afternoon_area=area if (afternoon or kind) == "on_location" else None,
            reachable_from=hours[0] if hours else None,
            reachable_until=hours[1] if hours else None,
        )
        db.add(row)
        await db.commit()
        return row

    return make


SetHours = Callable[..., Awaitable[DayReachability]]


@pytest.fixture
def set_hours(db: AsyncSession, clock: FixedClock) -> SetHours:
    async def make(
        person: Person,
        day: date,
        start: time | None = None,
        end: time | None = None,
        *,
        note: str = "",
        backup: Person | None = None,
    ) -> DayReachability:
        row = DayReachability(
            person_id=person.id,
            date=day,
            reachable_from=start,
            reachable_until=end,
            note=note,
            backup_id=backup.id if backup else None,
            updated_at=clock.now(),
        )
        db.add(row)
        await db.commit()
        return row

    return make


AddTopics = Callable[..., Awaitable[None]]


@pytest.fixture
def add_topics(db: AsyncSession) -> AddTopics:
    async def add(person: Person, *topics: str) -> None:
        for topic in topics:
            db.add(PersonTopic(person_id=person.id, topic=topic))
        await db.commit()

    return add


AsViewer = Callable[[Person], Awaitable[Any]]


@pytest.fixture
def as_viewer(db: AsyncSession) -> AsViewer:
    """The CurrentUser a person would be when logged in (roles and teams loaded)."""
    from werkplek.people.services import current_user_for

    async def make(person: Person) -> Any:
        fresh = await db.get(Person, person.id, populate_existing=True)
        assert fresh is not None
        return current_user_for(fresh)

    return make
