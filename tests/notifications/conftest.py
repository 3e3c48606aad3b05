"""Mail tests: the booking world of tests/bookings, the local SMTP server of tests/visits.

The clock stands at Wednesday 25 November 2026, 10:00 in Amsterdam.
"""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import (  # noqa: F401  (fixtures)
    sessionmaker,
    world,
)
from tests.visits.conftest import Inbox, mail_settings, smtp_server  # noqa: F401  (fixtures)
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.notifications.models import OutboxMail
from werkplek.notifications.outbox import mail_outbox_job


async def send_outbox(db: AsyncSession, clock: FixedClock, settings: Settings) -> None:
    """One run of the outbox job, as the scheduler does it (its own transactions)."""
    await db.commit()
    await mail_outbox_job(db, clock, settings)
    await db.commit()


async def outbox(db: AsyncSession, kind: str | None = None) -> list[OutboxMail]:
    await db.rollback()
    statement = select(OutboxMail).order_by(OutboxMail.id).execution_options(populate_existing=True)
    if kind is not None:
        statement = statement.where(OutboxMail.kind == kind)
    rows = list((await db.execute(statement)).scalars())
    await db.commit()
    return rows


def parsed(inbox: Inbox, index: int = 0) -> EmailMessage:
    message = message_from_bytes(inbox.messages[index].content, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message
