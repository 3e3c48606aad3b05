"""Benchmark hook: a report is a fixed handful of SQL statements, however much data there is.

The per-day work happens inside the database (GROUP BY); Python only combines
the aggregates. ``statements`` counts what the database is asked.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from tests.analytics.conftest import Book
from tests.conftest import MakeSite, MakeSpace
from werkplek.analytics import services
from werkplek.clock import FixedClock
from werkplek.config import Settings

FIRST, LAST = date(2026, 11, 2), date(2026, 11, 20)


@contextmanager
def statements(db: AsyncSession) -> Iterator[list[str]]:
    executed: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            executed.append(statement)

    engine = db.bind.sync_engine  # type: ignore[union-attr]
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield executed
    finally:
        event.remove(engine, "before_cursor_execute", count)


async def _busy_site(make_site: MakeSite, make_space: MakeSpace, book: Book) -> int:
    site = await make_site()
    desks = [await make_space(site) for _ in range(6)]
    room = await make_space(site, kind="meeting_room", capacity=8)
    day = FIRST
    while day <= LAST:
        if day.weekday() < 5:
            for desk in desks[: 2 + day.day % 4]:
                await book(desk, day, "day", status="checked_in")
            await book(room, day, "morning", attendees=3)
        day += timedelta(days=1)
    return site.id


async def test_the_occupancy_report_takes_five_statements_for_a_busy_site(
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
    make_site: MakeSite,
    make_space: MakeSpace,
    book: Book,
) -> None:
    site_id = await _busy_site(make_site, make_space, book)
    await db.rollback()
    db.expunge_all()  # as in a fresh request

    with statements(db) as executed:
        report = await services.occupancy_report(
            db, clock, settings, site_id=site_id, first=FIRST, last=LAST
        )

    assert report.desks is not None and report.desks.booked_pct
    assert len(executed) == 5


async def test_the_occupancy_report_takes_as_many_statements_for_an_empty_site(
    db: AsyncSession, clock: FixedClock, settings: Settings, make_site: MakeSite
) -> None:
    site = await make_site()
    await db.rollback()
    db.expunge_all()  # as in a fresh request

    with statements(db) as executed:
        await services.occupancy_report(
            db, clock, settings, site_id=site.id, first=FIRST, last=LAST
        )

    assert len(executed) == 5


async def test_the_space_plan_takes_six_statements(
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
    make_site: MakeSite,
    make_space: MakeSpace,
    book: Book,
) -> None:
    site_id = await _busy_site(make_site, make_space, book)
    await db.rollback()
    db.expunge_all()  # as in a fresh request

    with statements(db) as executed:
        await services.space_plan_report(
            db, clock, settings, site_id=site_id, first=FIRST, last=LAST
        )

    assert len(executed) == 6
