"""Arranging the outbox for the administrators' tests: messages of each status, and the
administrator who reads them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson
from werkplek.clock import FixedClock
from werkplek.notifications.models import MailKind, MailStatus, OutboxMail
from werkplek.notifications.outbox import queue_mail
from werkplek.people.models import Person, Role


async def add_mail(
    db: AsyncSession,
    clock: FixedClock,
    subject: str,
    *,
    status: MailStatus = MailStatus.PENDING,
    recipients: tuple[str, ...] = ("anna@example.nl",),
    kind: MailKind = MailKind.BOOKING_CONFIRMED,
    attempts: int = 0,
    body: str = "Afwezig wegens ziekte",
    ref: str | None = None,
    minutes_ago: int = 0,
) -> OutboxMail:
    """A message queued ``minutes_ago``, with ``status`` and ``attempts`` as given (a failed
    one with the mail server's last error), committed and let go of by ``db``."""
    mail = await queue_mail(
        db,
        clock,
        kind=kind.value,
        recipients=recipients,
        language="nl",
        subject=subject,
        body=body,
        ref=ref,
    )
    mail.created_at = clock.now() - timedelta(minutes=minutes_ago)
    mail.status = status.value
    mail.attempts = attempts
    if status == MailStatus.FAILED:
        mail.last_error = "550 mailbox unavailable"
        mail.last_attempt_at = clock.now()
    if status == MailStatus.SENT:
        mail.sent_at = clock.now()
    await db.commit()
    db.expunge(mail)  # the session keeps what it loaded: let a sender read the row afresh
    return mail


async def admin(make_person: MakePerson, login_as: LoginAs) -> Person:
    """An administrator, logged in."""
    person = await make_person("Ada Admin", roles=(Role.ADMIN,))
    await login_as(person)
    return person
