"""Mail tests: the booking world of tests/bookings, the local SMTP server of tests/visits.

The clock stands at Wednesday 25 November 2026, 10:00 in Amsterdam.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import (  # noqa: F401  (fixtures)
    sessionmaker,
    world,
)
from tests.visits.conftest import Inbox, mail_settings, smtp_server  # noqa: F401  (fixtures)
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.db import create_sessionmaker
from werkplek.mail import Mail, MailError
from werkplek.notifications import outbox as outbox_module
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


Meanwhile = Callable[[AsyncSession], Awaitable[Any]]


def while_sending(
    monkeypatch: pytest.MonkeyPatch,
    db: AsyncSession,
    meanwhile: Meanwhile,
    *,
    error: str | None = None,
) -> list[Mail]:
    """Stand in for the mail server: while the first message is on its way (claimed and
    committed, its outcome not recorded yet), ``meanwhile`` runs in a transaction of its
    own, as a request would, and is committed; then every message goes out (into the
    list returned), or fails with ``error``."""
    assert db.bind is not None
    sessions = create_sessionmaker(db.bind)  # type: ignore[arg-type]
    waiting = [meanwhile]
    sent: list[Mail] = []

    async def send(settings: Settings, mail: Mail) -> None:
        if waiting:
            async with sessions() as other:
                await waiting.pop()(other)
                await other.commit()
        if error is not None:
            raise MailError(error)
        sent.append(mail)

    monkeypatch.setattr(outbox_module, "send_mail", send)
    return sent
