"""Random sequences of booking, cancelling, checking in, releasing and time passing never
leave two active bookings overlapping on a space, nor one person with two desks at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sqlalchemy import select

from tests.conftest import empty_tables
from werkplek.bookings import services
from werkplek.bookings.models import ACTIVE_STATUS_VALUES, Booking
from werkplek.bookings.schemas import BookingIn
from werkplek.clock import AMSTERDAM, FixedClock
from werkplek.db import create_engine, create_sessionmaker
from werkplek.errors import DomainError
from werkplek.people.models import Person
from werkplek.people.services import CurrentUser, current_user_for
from werkplek.rooms.models import OpeningHours, Site, Space
from werkplek.rooms.services import DayPart

START = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # Monday 07:00 in Amsterdam
MONDAY = date(2026, 11, 23)


def _local(day: date, hour: float) -> datetime:
    clock_time = time(int(hour), round((hour % 1) * 60))
    return datetime.combine(day, clock_time, tzinfo=AMSTERDAM).astimezone(UTC)


def overlapping(rows: list[tuple[int | None, datetime, datetime]]) -> list[tuple[Any, ...]]:
    """Pairs of intervals with the same key that overlap."""
    clashes = []
    by_key: dict[Any, list[tuple[datetime, datetime]]] = {}
    for key, start, end in rows:
        by_key.setdefault(key, []).append((start, end))
    for key, intervals in by_key.items():
        intervals.sort()
        for (_, end_a), (start_b, end_b) in pairwise(intervals):
            if start_b < end_a:
                clashes.append((key, start_b, end_b))
    return clashes


def make_machine(database_url: str) -> type[RuleBasedStateMachine]:
    class Bookings(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.loop = asyncio.new_event_loop()
            self.engine = create_engine(database_url)
            self.sessionmaker = create_sessionmaker(self.engine)
            self.clock = FixedClock(START)
            self.people: list[CurrentUser] = []
            self.spaces: list[Space] = []
            self.loop.run_until_complete(self._arrange())

        async def _arrange(self) -> None:
            await empty_tables(self.engine)  # on this machine's own event loop
            async with self.sessionmaker() as session:
                site = Site(name="Stadskantoor", kind="central_office", max_days_ahead=14)
                site.opening_hours = [
                    OpeningHours(weekday=d, opens=time(7, 30), closes=time(18)) for d in range(7)
                ]
                session.add(site)
                await session.flush()
                for name, kind, capacity in (
                    ("Plek A", "desk", 1),
                    ("Plek B", "desk", 1),
                    ("Zaal", "meeting_room", 6),
                ):
                    session.add(Space(site_id=site.id, name=name, kind=kind, capacity=capacity))
                people = [
                    Person(
                        email=f"p{n}@example.nl",
                        name=f"P{n}",
                        created_at=START,
                        roles=[],
                        memberships=[],
                        topics=[],
                    )
                    for n in range(3)
                ]
                session.add_all(people)
                await session.commit()
                self.spaces = list(
                    (await session.execute(select(Space).order_by(Space.id))).scalars()
                )
                self.people = [current_user_for(p) for p in people]

        def _run(self, function: Any, *args: Any, **kwargs: Any) -> Any:
            async def call() -> Any:
                async with self.sessionmaker() as session:
                    try:
                        result = await function(session, *args, **kwargs)
                    except DomainError:
                        await session.rollback()
                        return None
                    await session.commit()
                    return result

            return self.loop.run_until_complete(call())

        def teardown(self) -> None:
            self.loop.run_until_complete(self.engine.dispose())
            self.loop.close()

        @rule(
            person=st.integers(0, 2),
            desk=st.integers(0, 1),
            day=st.integers(0, 2),
            part=st.sampled_from(list(DayPart)),
        )
        def book_desk(self, person: int, desk: int, day: int, part: DayPart) -> None:
            data = BookingIn(
                space_id=self.spaces[desk].id, date=MONDAY + timedelta(days=day), day_part=part
            )
            self._run(services.create_booking, self.clock, self.people[person], data)

        @rule(
            person=st.integers(0, 2),
            day=st.integers(0, 2),
            start=st.integers(16, 34),  # half hours: 08:00 .. 17:00
            length=st.integers(1, 4),
        )
        def book_room(self, person: int, day: int, start: int, length: int) -> None:
            on = MONDAY + timedelta(days=day)
            data = BookingIn(
                space_id=self.spaces[2].id,
                start=_local(on, start / 2).isoformat(),
                end=_local(on, min(start + length, 36) / 2).isoformat(),
            )
            self._run(services.create_booking, self.clock, self.people[person], data)

        @rule(person=st.integers(0, 2), pick=st.integers(0, 20))
        def cancel(self, person: int, pick: int) -> None:
            ids = self._booking_ids()
            if ids:
                self._run(
                    services.cancel_booking, self.clock, self.people[person], ids[pick % len(ids)]
                )

        @rule(person=st.integers(0, 2), pick=st.integers(0, 20))
        def check_in(self, person: int, pick: int) -> None:
            ids = self._booking_ids()
            if ids:
                self._run(services.check_in, self.clock, self.people[person], ids[pick % len(ids)])

        @rule(minutes=st.sampled_from([10, 30, 90, 240, 720]))
        def time_passes(self, minutes: int) -> None:
            self.clock.advance(timedelta(minutes=minutes))

        @rule()
        def release(self) -> None:
            self._run(services.release_no_shows_after, self.clock, timedelta(minutes=30))

        def _booking_ids(self) -> list[int]:
            async def ids() -> list[int]:
                async with self.sessionmaker() as session:
                    return list(
                        (await session.execute(select(Booking.id).order_by(Booking.id))).scalars()
                    )

            return self.loop.run_until_complete(ids())

        def _active(self) -> list[Booking]:
            async def rows() -> list[Booking]:
                async with self.sessionmaker() as session:
                    return list(
                        (
                            await session.execute(
                                select(Booking).where(Booking.status.in_(ACTIVE_STATUS_VALUES))
                            )
                        ).scalars()
                    )

            return self.loop.run_until_complete(rows())

        @invariant()
        def no_space_is_double_booked(self) -> None:
            active = self._active()
            assert overlapping([(b.space_id, b.start_at, b.end_at) for b in active]) == []

        @invariant()
        def nobody_holds_two_desks_at_once(self) -> None:
            desks = [(b.booked_for_id, b.start_at, b.end_at) for b in self._active() if b.is_desk]
            assert overlapping(desks) == []

        @invariant()
        def checked_in_bookings_are_never_released(self) -> None:
            async def released_after_check_in() -> list[int]:
                async with self.sessionmaker() as session:
                    statement = select(Booking.id).where(
                        Booking.status == "released", Booking.checked_in_at.is_not(None)
                    )
                    return list((await session.execute(statement)).scalars())

            assert self.loop.run_until_complete(released_after_check_in()) == []

    return Bookings


@pytest.mark.timeout(300)
def test_random_booking_sequences_never_double_book(database_url: str) -> None:
    machine = make_machine(database_url)
    machine.TestCase.settings = settings(
        max_examples=12,
        stateful_step_count=25,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    machine.TestCase().runTest()


def test_overlapping_finds_a_clash() -> None:
    monday = MONDAY
    rows = [(1, _local(monday, 8), _local(monday, 10)), (1, _local(monday, 9), _local(monday, 11))]

    assert overlapping(rows) == [(1, _local(monday, 9), _local(monday, 11))]


def test_overlapping_allows_back_to_back() -> None:
    rows = [(1, _local(MONDAY, 8), _local(MONDAY, 9)), (1, _local(MONDAY, 9), _local(MONDAY, 10))]

    assert overlapping(rows) == []
