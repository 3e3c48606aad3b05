"""Retention: the names of expected visitors, personal data of non-employees, go
``WERKPLEK_RETENTION_VISITOR_DAYS`` after their booking ended."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import TODAY, at
from tests.visitors.conftest import MakeBooking, add_visitor, visitors
from werkplek.audit.models import AuditEvent
from werkplek.bookings.models import BookingStatus
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.privacy.services import privacy_retention_job, purge

YESTERDAY = TODAY - timedelta(days=1)
#: Ten days after the test's today.
LATER = FixedClock(at(TODAY, 10) + timedelta(days=10))


async def test_visitors_go_the_retention_time_after_their_booking_ended(
    db: AsyncSession, settings: Settings, make_booking: MakeBooking
) -> None:
    old = await make_booking(start=at(YESTERDAY, 10), end=at(YESTERDAY, 11))
    await add_visitor(db, old, "Jan")
    recent = await make_booking(start=at(TODAY, 10), end=at(TODAY, 11))
    await add_visitor(db, recent, "Piet")

    # 10 days before LATER is the test's today at 10:00: the old booking ended before it.
    await privacy_retention_job(db, LATER, settings.with_changes(retention_visitor_days=10))
    await db.commit()

    assert [v.name for v in await visitors(db)] == ["Piet"]


async def test_visitors_of_a_cancelled_booking_go_after_the_same_time(
    db: AsyncSession, settings: Settings, make_booking: MakeBooking
) -> None:
    cancelled = await make_booking(
        start=at(YESTERDAY, 10), end=at(YESTERDAY, 11), status=BookingStatus.CANCELLED
    )
    await add_visitor(db, cancelled, "Jan")

    await privacy_retention_job(db, LATER, settings.with_changes(retention_visitor_days=10))
    await db.commit()

    assert await visitors(db) == []


async def test_the_purge_counts_the_visitors_and_audits_how_many(
    db: AsyncSession, settings: Settings, make_booking: MakeBooking
) -> None:
    old = await make_booking(start=at(YESTERDAY, 10), end=at(YESTERDAY, 11))
    await add_visitor(db, old, "Jan")

    result = await purge(db, LATER, settings.with_changes(retention_visitor_days=10))
    await db.commit()

    assert result.visitors == 1
    event = await db.scalar(select(AuditEvent).where(AuditEvent.action == "purge"))
    assert event is not None
    assert event.details["visitors"] == 1
