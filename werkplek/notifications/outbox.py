"""The mail outbox: messages are queued in the transaction of the change they tell about
and sent by a scheduler job, so a request never waits for the mail server and an SMTP
outage loses nothing.

Sending runs in three steps so that no database lock is held while the mail server is
contacted: claim the due messages (mark them ``sending``, count the attempt and move
``next_attempt_at`` to the retry time, so a crash or a parallel run cannot send them twice
right away; a booking's confirmation is composed then, ``services.compose_confirmations``)
and commit; send; write the outcome. A failure is retried with exponential backoff
(``werkplek.retry``) until ``WERKPLEK_MAIL_MAX_ATTEMPTS`` attempts were made.

A message being sent cannot be called back: withdrawing it (``withdraw_mail``) counts it
as having reached its recipients, so that they hear what became of what it told them, and
keeps it from being tried again should this attempt fail. Both steps that touch claimed
rows lock them (on PostgreSQL; on SQLite writers take turns), in id order, so neither
misses what the other did.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from werkplek.clock import Clock
from werkplek.config import Settings
from werkplek.db import lock_for_write
from werkplek.mail import Attachment, Mail, MailError, send_mail
from werkplek.notifications.models import (
    REACHED_STATUS_VALUES,
    UNSENT_STATUS_VALUES,
    MailStatus,
    OutboxAttachment,
    OutboxMail,
)
from werkplek.notifications.render import render_mail
from werkplek.retry import next_attempt_at

logger = logging.getLogger("werkplek.notifications")

#: Messages that withdrawing what they tell about cancels: all that were not sent.
WITHDRAWABLE_STATUS_VALUES = (*UNSENT_STATUS_VALUES, MailStatus.FAILED.value)
#: Messages that reached nobody and will not while withdrawn: waiting, or given up on.
UNREACHED_STATUS_VALUES = (MailStatus.PENDING.value, MailStatus.FAILED.value)

#: The most messages one run of the job sends; the rest wait for the next run.
BATCH_SIZE = 100
#: How long sent, failed and cancelled messages stay as a log (they hold personal data).
KEEP_FOR = timedelta(days=30)


async def queue_mail(
    session: AsyncSession,
    clock: Clock,
    *,
    kind: str,
    recipients: Sequence[str],
    language: str,
    person_id: int | None = None,
    template: str | None = None,
    context: dict[str, Any] | None = None,
    subject: str = "",
    body: str = "",
    headers: dict[str, str] | None = None,
    attachments: Sequence[Attachment] = (),
    ref: str | None = None,
) -> OutboxMail:
    """Add a message to the outbox (in the caller's transaction): either ready-made
    (``subject``/``body``) or rendered from ``templates/mail/<template>.txt`` with
    ``context`` (JSON values) in ``language`` when it is sent."""
    now = clock.now()
    row = OutboxMail(
        kind=kind,
        person_id=person_id,
        recipients="\n".join(dict.fromkeys(address.strip() for address in recipients)),
        language=language,
        template=template,
        context=json.dumps(context or {}, ensure_ascii=False),
        subject=subject,
        body=body,
        headers=json.dumps(headers or {}),
        ref=ref,
        status=MailStatus.PENDING.value,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
        attachments=[
            OutboxAttachment(filename=a.filename, content_type=a.content_type, content=a.content)
            for a in attachments
        ],
    )
    session.add(row)
    return row


def _to_people(person_ids: Iterable[int]) -> ColumnElement[bool] | None:
    """Which messages were queued for one of ``person_ids`` (a mail for one person,
    ``services.mail_person``); None: no message can be."""
    people = sorted(set(person_ids))
    return OutboxMail.person_id.in_(people) if people else None


def _about(
    refs: Iterable[str], person_ids: Iterable[int] | None
) -> list[ColumnElement[bool]] | None:
    """Which messages are about ``refs``, only those to ``person_ids`` when given
    (``_to_people``); None: no message can be."""
    wanted = sorted(set(refs))
    if not wanted:
        return None
    where: list[ColumnElement[bool]] = [OutboxMail.ref.in_(wanted)]
    if person_ids is not None:
        to_people = _to_people(person_ids)
        if to_people is None:
            return None
        where.append(to_people)
    return where


async def _cancel(session: AsyncSession, where: Sequence[ColumnElement[bool]]) -> None:
    """Cancel the messages ``where`` selects that were not sent (``cancel_mail``)."""
    await session.execute(
        update(OutboxMail)
        .where(*where, OutboxMail.status.in_(WITHDRAWABLE_STATUS_VALUES))
        .values(status=MailStatus.CANCELLED.value)
    )


async def cancel_mail(
    session: AsyncSession, refs: Iterable[str], *, person_ids: Iterable[int] | None = None
) -> None:
    """Messages about ``refs`` not sent yet are no longer needed: one waiting is withdrawn,
    one being sent right now is not tried again should this attempt fail, and one given up
    on can no longer be tried again by an administrator (``services.retry_mail``): an
    alert about a visit checked out since would alarm its readers for nothing. Only those
    to ``person_ids``, when given."""
    about = _about(refs, person_ids)
    if about is not None:
        await _cancel(session, about)


async def cancel_mail_to(session: AsyncSession, person_ids: Iterable[int]) -> None:
    """The messages queued for these people alone (``services.mail_person``) not sent yet
    are no longer needed, as ``cancel_mail``: they left, and only active people are mailed
    (``services.recipients_for``); what waited for them would reach a mailbox that may be
    closed, about bookings and backups that are no longer theirs."""
    to_people = _to_people(person_ids)
    if to_people is not None:
        await _cancel(session, [to_people])


def _by_language(rows: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """(language, recipients) rows as the addresses per language, each address once (in
    the language of the first row naming it)."""
    found: dict[str, dict[str, None]] = {}
    seen: set[str] = set()
    for language, recipients in rows:
        for address in recipients.splitlines():
            if address and address.lower() not in seen:
                seen.add(address.lower())
                found.setdefault(language, {})[address] = None
    return {language: list(addresses) for language, addresses in sorted(found.items())}


async def withdraw_mail(
    session: AsyncSession, refs: Iterable[str], *, person_ids: Iterable[int] | None = None
) -> dict[str, list[str]]:
    """Withdraw the messages about ``refs`` not sent yet (``cancel_mail``), and return who
    the others reached, so that they hear what became of it: the addresses of those sent,
    or being sent right now (too late to call back), per language, each once. Only those
    to ``person_ids``, when given.

    The rows are locked first, in id order as the sender locks them: a sender claiming one
    or recording it sent is waited for, so none goes out unseen."""
    refs, people = list(refs), None if person_ids is None else list(person_ids)
    about = _about(refs, people)
    if about is None:
        return {}
    rows = await session.execute(
        select(OutboxMail.status, OutboxMail.language, OutboxMail.recipients)
        .where(*about)
        .order_by(OutboxMail.id)
        .with_for_update()
    )
    reached = _by_language(
        (language, recipients)
        for status, language, recipients in rows
        if status in REACHED_STATUS_VALUES
    )
    await cancel_mail(session, refs, person_ids=people)
    return reached


async def take_over_unsent(
    session: AsyncSession, refs: Iterable[str], *, person_ids: Iterable[int] | None = None
) -> dict[int | None, list[dict[str, Any]]]:
    """For a message that is to tell what those about ``refs`` not sent yet would have
    told as well: withdraw those that reached nobody (waiting, or given up on) and return
    their contexts per person they were queued for (``None``: no one person), oldest
    first. One being sent right now is left to go out, as it cannot be called back; the
    caller's message follows it. Only those to ``person_ids``, when given.

    The rows are locked in id order, as the sender locks them: one it is claiming is
    waited for, and then left to it."""
    about = _about(refs, person_ids)
    if about is None:
        return {}
    rows = await session.execute(
        select(OutboxMail.id, OutboxMail.person_id, OutboxMail.context)
        .where(*about, OutboxMail.status.in_(UNREACHED_STATUS_VALUES))
        .order_by(OutboxMail.id)
        .with_for_update()
    )
    found: dict[int | None, list[dict[str, Any]]] = {}
    taken: list[int] = []
    for mail_id, person_id, context in rows:
        taken.append(mail_id)
        found.setdefault(person_id, []).append(json.loads(context))
    if taken:
        await session.execute(
            update(OutboxMail)
            .where(OutboxMail.id.in_(taken))
            .values(status=MailStatus.CANCELLED.value)
        )
    return found


async def unreached_refs(
    session: AsyncSession, prefix: str, *, person_ids: Iterable[int] | None = None
) -> list[str]:
    """The refs starting with ``prefix`` of the messages that reached nobody yet (waiting,
    or given up on), sorted: those ``take_over_unsent`` takes over, when what they are
    about is known only in part (``backup_named:<person>:``, from whoever named the
    backup). Only those to ``person_ids``, when given."""
    where = [
        OutboxMail.ref.startswith(prefix, autoescape=True),
        OutboxMail.status.in_(UNREACHED_STATUS_VALUES),
    ]
    if person_ids is not None:
        to_people = _to_people(person_ids)
        if to_people is None:
            return []
        where.append(to_people)
    rows = await session.execute(
        select(OutboxMail.ref).where(*where).distinct().order_by(OutboxMail.ref)
    )
    return [ref for ref in rows.scalars() if ref is not None]


async def addressed_to(
    session: AsyncSession, refs: Iterable[str], *, person_ids: Iterable[int] | None = None
) -> dict[str, list[str]]:
    """The addresses messages about ``refs`` went out to, are going out to, or wait to go
    out to (all but the withdrawn and those given up on), per language, each once: who was
    or is to be told, and so is to hear when it changes. Only those to ``person_ids``,
    when given."""
    about = _about(refs, person_ids)
    if about is None:
        return {}
    rows = await session.execute(
        select(OutboxMail.language, OutboxMail.recipients)
        .where(*about, OutboxMail.status.in_((*UNSENT_STATUS_VALUES, MailStatus.SENT.value)))
        .order_by(OutboxMail.id)
    )
    return _by_language((language, recipients) for language, recipients in rows)


@dataclass(frozen=True)
class Delivered:
    """All messages about one ref went out: when the last did, to how many addresses."""

    sent_at: datetime
    recipients: int


async def delivered_refs(session: AsyncSession, refs: Iterable[str]) -> dict[str, Delivered]:
    """Of ``refs``, those whose every message has been sent."""
    wanted = sorted(set(refs))
    if not wanted:
        return {}
    rows = (
        (
            await session.execute(
                select(OutboxMail).where(
                    OutboxMail.ref.in_(wanted), OutboxMail.status != MailStatus.CANCELLED.value
                )
            )
        )
        .scalars()
        .all()
    )
    by_ref: dict[str, list[OutboxMail]] = {}
    for row in rows:
        assert row.ref is not None
        by_ref.setdefault(row.ref, []).append(row)
    found: dict[str, Delivered] = {}
    for ref, mails in by_ref.items():
        sent = [m.sent_at for m in mails if m.status == MailStatus.SENT.value and m.sent_at]
        if len(sent) == len(mails):
            found[ref] = Delivered(max(sent), sum(len(m.recipient_list) for m in mails))
    return found


def _as_mail(row: OutboxMail) -> Mail:
    return Mail(
        to=row.recipient_list,
        subject=row.subject,
        body=row.body,
        headers=json.loads(row.headers),
        attachments=[Attachment(a.filename, a.content_type, a.content) for a in row.attachments],
    )


async def _claim(
    session: AsyncSession, clock: Clock, settings: Settings, ref_prefix: str | None
) -> list[tuple[int, Mail]]:
    now = clock.now()
    statement = (
        select(OutboxMail)
        .where(OutboxMail.status.in_(UNSENT_STATUS_VALUES), OutboxMail.next_attempt_at <= now)
        .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
        .limit(BATCH_SIZE)
        .with_for_update(skip_locked=True)
    )
    if ref_prefix is not None:
        statement = statement.where(OutboxMail.ref.startswith(ref_prefix, autoescape=True))
    rows = (await session.execute(statement)).scalars().all()
    # Imported here: the booking mails queue into the outbox.
    from werkplek.notifications.services import compose_confirmations

    await compose_confirmations(session, rows)
    claimed: list[tuple[int, Mail]] = []
    for row in rows:
        if row.status not in UNSENT_STATUS_VALUES:
            continue  # cancelled or failed by compose_confirmations
        row.status = MailStatus.SENDING.value
        row.attempts += 1
        row.last_attempt_at = now
        row.next_attempt_at = next_attempt_at(now, row.attempts)
        if row.template is not None:
            try:
                row.subject, row.body = render_mail(
                    settings, row.template, json.loads(row.context), row.language
                )
            except Exception as exc:  # a broken template must not stop the other mails
                logger.exception("Could not render mail %s (%s)", row.id, row.template)
                row.status = MailStatus.FAILED.value
                row.last_error = f"rendering failed: {exc}"[:500]
                continue
        claimed.append((row.id, _as_mail(row)))
    await session.flush()
    return claimed


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0


async def send_due_mail(
    session: AsyncSession, clock: Clock, settings: Settings, *, ref_prefix: str | None = None
) -> SendReport:
    """Send the messages that are due (only those whose ref starts with ``ref_prefix``,
    when given). Commits the claim; the outcome is left for the caller to commit."""
    await lock_for_write(session)
    claimed = await _claim(session, clock, settings, ref_prefix)
    await session.commit()
    report = SendReport()
    if not claimed:
        return report
    errors: dict[int, str | None] = {}
    for mail_id, mail in claimed:
        try:
            await send_mail(settings, mail)
            errors[mail_id] = None
        except MailError as exc:
            logger.warning("Mail %s not sent: %s", mail_id, exc)
            errors[mail_id] = str(exc)
    await lock_for_write(session)
    now = clock.now()
    rows = await session.execute(
        select(OutboxMail)
        .where(OutboxMail.id.in_(sorted(errors)))
        .order_by(OutboxMail.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    for row in rows.scalars():
        error = errors[row.id]
        if error is None:
            # also when it was withdrawn meanwhile: it went out, as withdraw_mail counted
            row.status = MailStatus.SENT.value
            row.sent_at = now
            row.last_error = None
            report.sent += 1
            continue
        row.last_error = error[:500]
        report.failed += 1
        if row.status == MailStatus.CANCELLED.value:
            continue  # withdrawn while it was being sent: not tried again
        if row.attempts >= settings.mail_max_attempts:
            row.status = MailStatus.FAILED.value
            logger.error("Gave up on mail %s after %d attempts", row.id, row.attempts)
        else:
            row.status = MailStatus.PENDING.value
    await session.flush()
    return report


async def purge_old_mail(session: AsyncSession, clock: Clock) -> None:
    """Forget messages that were dealt with more than ``KEEP_FOR`` ago."""
    await session.execute(
        delete(OutboxMail).where(
            OutboxMail.status.not_in(UNSENT_STATUS_VALUES),
            OutboxMail.created_at < clock.now() - KEEP_FOR,
        )
    )


async def mail_outbox_job(session: AsyncSession, clock: Clock, settings: Settings) -> None:
    """The scheduler job: send what is due in the outbox, forget what is old."""
    await send_due_mail(session, clock, settings)
    await purge_old_mail(session, clock)
