"""Helpers for the display tests: rooms, their meetings today and display links.

The clock stands at Wednesday 25 November 2026, 10:00 in Amsterdam (``tests.conftest``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson, MakeSite, MakeSpace
from werkplek.bookings.models import Booking
from werkplek.clock import FixedClock
from werkplek.people.models import Person, Role
from werkplek.rooms.models import Space

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TODAY = date(2026, 11, 25)


def at(hour: int, minute: int = 0, day: date = TODAY) -> datetime:
    """An Amsterdam wall-clock time (today unless told otherwise), in UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMSTERDAM).astimezone(UTC)


@pytest.fixture
async def room(make_site: MakeSite, make_space: MakeSpace) -> Space:
    """The meeting room "Zaal" at the site "Stadskantoor", open 07:30-18:00 on weekdays."""
    return await make_space(await make_site(), "Zaal", kind="meeting_room")


@pytest.fixture
async def facilities(make_person: MakePerson, login_as: LoginAs) -> Person:
    """A facilities colleague, logged in."""
    person = await make_person(roles=(Role.FACILITIES,))
    await login_as(person)
    return person


MakeMeeting = Callable[..., Awaitable[Booking]]
MakeLink = Callable[..., Awaitable[str]]


@pytest.fixture
def make_meeting(db: AsyncSession, clock: FixedClock) -> MakeMeeting:
    """A booking of a room from ``start`` to ``end`` (UTC instants), for ``person``."""

    async def make(
        space: Space,
        person: Person,
        start: datetime,
        end: datetime,
        *,
        status: str = "confirmed",
        title: str = "",
    ) -> Booking:
        now = clock.now()
        booking = Booking(
            space_id=space.id,
            site_id=space.site_id,
            is_desk=False,
            booked_for_id=person.id,
            booked_by_id=person.id,
            start_at=start,
            end_at=end,
            status=status,
            title=title,
            attendees=2,
            created_at=now - timedelta(days=2),
            updated_at=now - timedelta(days=1),
        )
        db.add(booking)
        await db.commit()
        return booking

    return make


@pytest.fixture
def make_link(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> MakeLink:
    """The token of a new display link (``space``: a door display, else the site's lobby
    screen), made by a new facilities colleague; the client is logged out afterwards, as
    a tablet is."""

    async def make(site_id: int, space: Space | None = None, label: str = "Deur") -> str:
        await login_as(await make_person(roles=(Role.FACILITIES,)))
        body = {"site_id": site_id, "label": label}
        if space is not None:
            body["space_id"] = space.id
        response = await client.post("/api/displays", json=body)
        assert response.status_code == 201, response.text
        client.cookies.clear()
        client.headers.pop("X-CSRF-Token", None)
        return str(response.json()["token"])

    return make
