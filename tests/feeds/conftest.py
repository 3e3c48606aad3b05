"""Helpers for the feed tests: bookings, work locations, subscribing, and reading a
calendar with two independent parsers (icalendar and vobject). Sites and spaces come
from ``tests.conftest``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs
from werkplek.bookings.models import Booking
from werkplek.clock import FixedClock
from werkplek.people.models import Person
from werkplek.presence.models import WorkLocation
from werkplek.rooms.models import Site, Space

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """An Amsterdam wall-clock time as an aware datetime."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMSTERDAM)


MakeBooking = Callable[..., Awaitable[Booking]]
MakeLocation = Callable[..., Awaitable[WorkLocation]]
Subscribe = Callable[..., Awaitable[str]]


@pytest.fixture
def make_booking(db: AsyncSession, clock: FixedClock) -> MakeBooking:
    async def make(
        space: Space,
        person: Person,
        start: datetime,
        end: datetime,
        *,
        status: str = "confirmed",
        title: str = "",
        day_part: str | None = None,
        sequence: int = 0,
        booked_by: Person | None = None,
        attendees: int = 1,
        cancelled_at: datetime | None = None,
        updated_at: datetime | None = None,
    ) -> Booking:
        now = clock.now()
        booking = Booking(
            space_id=space.id,
            site_id=space.site_id,
            is_desk=space.kind in ("desk", "quiet_desk"),
            booked_for_id=person.id,
            booked_by_id=(booked_by or person).id,
            start_at=start.astimezone(UTC),
            end_at=end.astimezone(UTC),
            day_part=day_part,
            status=status,
            title=title,
            attendees=attendees,
            cancelled_at=cancelled_at,
            created_at=now - timedelta(days=3),
            updated_at=updated_at or now - timedelta(days=1),
            sequence=sequence,
        )
        db.add(booking)
        await db.commit()
        return booking

    return make


@pytest.fixture
def make_location(db: AsyncSession, clock: FixedClock) -> MakeLocation:
    async def make(
        person: Person,
        day: date,
        part: str,
        kind: str,
        *,
        site: Site | None = None,
        area: str | None = None,
        reason: str | None = None,
        updated_at: datetime | None = None,
    ) -> WorkLocation:
        entry = WorkLocation(
            person_id=person.id,
            date=day,
            day_part=part,
            kind=kind,
            site_id=site.id if site is not None else None,
            area=area,
            absence_reason=reason,
            updated_by_id=person.id,
            updated_at=updated_at or clock.now() - timedelta(hours=2),
        )
        db.add(entry)
        await db.commit()
        return entry

    return make


@pytest.fixture
def subscribe(client: AsyncTestClient[Litestar], login_as: LoginAs) -> Subscribe:
    """Log in as ``person``, create a feed through the API, log out; returns the feed path."""

    async def make(person: Person, kind: str, scope_id: int) -> str:
        await login_as(person)
        response = await client.post("/api/feeds", json={"scope": {"kind": kind, "id": scope_id}})
        assert response.status_code == 201, response.text
        client.cookies.clear()
        client.headers.pop("X-CSRF-Token", None)
        return "/feeds/" + response.json()["url"].rsplit("/feeds/", 1)[1]

    return make


@dataclass(frozen=True)
class Parsed:
    """One event as a parser read it; times in UTC (timed) or dates (all day)."""

    uid: str
    summary: str
    start: datetime | date
    end: datetime | date
    status: str
    sequence: int
    location: str
    description: str


def _utc(value: Any) -> Any:
    return value.astimezone(UTC) if isinstance(value, datetime) else value


def parse_with_icalendar(body: bytes) -> dict[str, Parsed]:
    calendar = icalendar.Calendar.from_ical(body)
    events = {}
    for event in calendar.walk("VEVENT"):
        events[str(event["uid"])] = Parsed(
            uid=str(event["uid"]),
            summary=str(event.get("summary", "")),
            start=_utc(event.decoded("dtstart")),
            end=_utc(event.decoded("dtend")),
            status=str(event.get("status", "")),
            sequence=int(event.get("sequence", 0)),
            location=str(event.get("location", "")),
            description=str(event.get("description", "")),
        )
    return events


def parse_with_vobject(body: bytes) -> dict[str, Parsed]:
    calendar = vobject.readOne(body.decode("utf-8"))
    events = {}
    for event in getattr(calendar, "vevent_list", []):

        def value(name: str, default: Any = "", event: Any = event) -> Any:
            item = getattr(event, name, None)
            return item.value if item is not None else default

        events[value("uid")] = Parsed(
            uid=value("uid"),
            summary=value("summary"),
            start=_utc(value("dtstart")),
            end=_utc(value("dtend")),
            status=value("status"),
            sequence=int(value("sequence", 0)),
            location=value("location"),
            description=value("description"),
        )
    return events


def parse_feed(body: bytes) -> dict[str, Parsed]:
    """Events by UID, read by both parsers, which must agree on every one of them."""
    first, second = parse_with_icalendar(body), parse_with_vobject(body)
    assert first == second
    return first
