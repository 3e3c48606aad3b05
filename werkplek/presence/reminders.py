"""Reminding colleagues of callback notes still open: a resident may still be waiting for
the call. Above ``callback_notes`` and ``services``: whether a colleague can be reminded
today depends on where they are."""

from __future__ import annotations

import logging
from datetime import time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from werkplek.clock import AMSTERDAM, Clock, local_midnight, local_today
from werkplek.config import Settings
from werkplek.db import lock_for_write
from werkplek.notifications import services as notify
from werkplek.people.models import Person
from werkplek.presence.models import CallbackNote
from werkplek.presence.services import absent_all_day
from werkplek.rooms.services import is_working_day

logger = logging.getLogger(__name__)

#: A note still open on a working day after the one it was left on reminds its colleague
#: from this time on (Europe/Amsterdam): with the morning's mail, once.
REMINDER_FROM = time(9, 0)


async def remind_of_open_notes(session: AsyncSession, clock: Clock) -> int:
    """On a working day (Monday to Friday, not a public holiday) from ``REMINDER_FROM``,
    remind each active colleague of the notes for them still open that were left before
    that day, once a note (``notify.callback_note_left`` as a reminder); returns how
    many. A note left on Friday afternoon reminds on Monday morning, one left in the
    morning the next day. A colleague absent all day is reminded on the first working day
    they are not: a reminder read on their return would be lost among the mails of their
    absence, and the KCC sees the note still open meanwhile."""
    now = clock.now()
    today = local_today(clock)
    if not is_working_day(today) or now.astimezone(AMSTERDAM).time() < REMINDER_FROM:
        return 0
    await lock_for_write(session)
    creator = aliased(Person)
    open_notes = (
        await session.execute(
            select(CallbackNote, creator.name)
            .join(Person, Person.id == CallbackNote.person_id)
            .outerjoin(creator, creator.id == CallbackNote.created_by_id)
            .where(
                CallbackNote.done_at.is_(None),
                CallbackNote.reminded_at.is_(None),
                CallbackNote.created_at < local_midnight(today),
                Person.active.is_(True),
            )
            .order_by(CallbackNote.id)
        )
    ).all()
    away = await absent_all_day(session, {note.person_id for note, _ in open_notes}, today)
    due = [(note, left_by) for note, left_by in open_notes if note.person_id not in away]
    for note, left_by in due:
        note.reminded_at = now
        await notify.callback_note_left(
            session, clock, note.id, note.person_id, left_by, note.created_at, reminder=True
        )
    await session.flush()
    return len(due)


async def callback_note_reminders_job(
    session: AsyncSession, clock: Clock, settings: Settings
) -> None:
    """Scheduler job: ``remind_of_open_notes``."""
    if reminded := await remind_of_open_notes(session, clock):
        logger.info("callback notes: reminded of %s still open", reminded)
