"""Callback notes: the KCC leaves a resident's question and number for a colleague who
cannot be reached now; the colleague sees the open ones on the home page and marks them
done, reminded once of one still open (``presence.reminders``); they are removed after
``WERKPLEK_RETENTION_CALLBACK_NOTE_DAYS`` (they hold residents' numbers). Every change is
audited, never with the note's content."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from werkplek.audit.services import record
from werkplek.clock import AMSTERDAM, Clock, in_amsterdam
from werkplek.config import Settings
from werkplek.errors import Forbidden, InvalidInput, NotFound
from werkplek.i18n import _
from werkplek.notifications import services as notify
from werkplek.people.models import Person, Role
from werkplek.people.services import CurrentUser
from werkplek.presence.models import CallbackNote
from werkplek.presence.schemas import CallbackNoteIn, CallbackNoteOut, PersonRef

#: A resident's number to call back: a Dutch number has ten digits, a foreign one more; a
#: shorter one is a typing error the colleague could not recover from.
CALLBACK_MIN_DIGITS = 10


def _note_statement() -> Any:
    """Notes with the names of the addressee, the writer and who marked it done."""
    addressee = aliased(Person)
    creator = aliased(Person)
    finisher = aliased(Person)
    return (
        select(CallbackNote, addressee.name, creator.name, finisher.name)
        .join(addressee, addressee.id == CallbackNote.person_id)
        .outerjoin(creator, creator.id == CallbackNote.created_by_id)
        .outerjoin(finisher, finisher.id == CallbackNote.done_by_id)
    )


def _note_out(
    note: CallbackNote, addressee: str, creator: str | None, finisher: str | None
) -> CallbackNoteOut:
    return CallbackNoteOut(
        id=note.id,
        person=PersonRef(id=note.person_id, name=addressee),
        created_by=(
            PersonRef(id=note.created_by_id, name=creator)
            if note.created_by_id is not None and creator is not None
            else None
        ),
        resident_name=note.resident_name,
        callback_number=note.callback_number,
        question=note.question,
        created_at=note.created_at.astimezone(AMSTERDAM),
        done_at=in_amsterdam(note.done_at),
        done_by=(
            PersonRef(id=note.done_by_id, name=finisher)
            if note.done_by_id is not None and finisher is not None
            else None
        ),
        reminded_at=in_amsterdam(note.reminded_at),
    )


async def _notes(session: AsyncSession, statement: Any) -> list[CallbackNoteOut]:
    return [_note_out(*row) for row in (await session.execute(statement)).all()]


async def create_callback_note(
    session: AsyncSession, clock: Clock, actor: CurrentUser, data: CallbackNoteIn
) -> CallbackNoteOut:
    """The KCC leaves a resident's question for a colleague to call back."""
    actor.require(Role.KCC)
    person = await session.get(Person, data.person_id)
    if person is None or not person.active:
        raise InvalidInput(_("Unknown colleague."), field="person_id")
    question = data.question.strip()
    if not question:
        raise InvalidInput(_("Write down the resident's question."), field="question")
    if sum(char.isdigit() for char in data.callback_number) < CALLBACK_MIN_DIGITS:
        raise InvalidInput(
            _(
                "A callback number has at least %(digits)s digits, such as 06 12345678.",
                digits=CALLBACK_MIN_DIGITS,
            ),
            field="callback_number",
        )
    note = CallbackNote(
        person_id=person.id,
        created_by_id=actor.id,
        resident_name=" ".join(data.resident_name.split()),
        callback_number=" ".join(data.callback_number.split()),
        question=question,
        created_at=clock.now(),
    )
    session.add(note)
    await session.flush()
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="create",
        object_type="callback_note",
        object_id=note.id,
        person_id=person.id,
    )
    await notify.callback_note_left(session, clock, note.id, person.id, actor.name, note.created_at)
    return await get_callback_note(session, actor, note.id)


async def callback_notes_for(
    session: AsyncSession, actor: CurrentUser, *, include_done: bool = False, limit: int = 200
) -> list[CallbackNoteOut]:
    """Notes addressed to ``actor``: open ones first, then newest first."""
    statement = _note_statement().where(CallbackNote.person_id == actor.id)
    if not include_done:
        statement = statement.where(CallbackNote.done_at.is_(None))
    statement = statement.order_by(
        CallbackNote.done_at.is_not(None), CallbackNote.created_at.desc()
    ).limit(limit)
    return await _notes(session, statement)


async def count_open_callback_notes(session: AsyncSession, person_id: int) -> int:
    return int(
        (
            await session.execute(
                select(func.count(CallbackNote.id)).where(
                    CallbackNote.person_id == person_id, CallbackNote.done_at.is_(None)
                )
            )
        ).scalar_one()
    )


async def callback_notes_created_by(
    session: AsyncSession, actor: CurrentUser, *, limit: int = 200
) -> list[CallbackNoteOut]:
    """Notes the KCC agent left, newest first."""
    actor.require(Role.KCC)
    statement = (
        _note_statement()
        .where(CallbackNote.created_by_id == actor.id)
        .order_by(CallbackNote.created_at.desc())
        .limit(limit)
    )
    return await _notes(session, statement)


async def _note_for(session: AsyncSession, actor: CurrentUser, note_id: int) -> CallbackNote:
    note = await session.get(CallbackNote, note_id)
    if note is None or (
        actor.id not in (note.person_id, note.created_by_id) and not actor.is_admin
    ):
        raise NotFound(_("No such callback note."))
    return note


async def get_callback_note(
    session: AsyncSession, actor: CurrentUser, note_id: int
) -> CallbackNoteOut:
    await _note_for(session, actor, note_id)
    rows = await _notes(session, _note_statement().where(CallbackNote.id == note_id))
    return rows[0]


async def note_left_by(
    session: AsyncSession, actor: CurrentUser, note_id: int | None
) -> CallbackNoteOut | None:
    """The note ``actor`` left, to confirm for whom it was left once it is saved; None
    for no number, a note that is gone or one somebody else left."""
    if note_id is None or not actor.has_role(Role.KCC):
        return None
    rows = await _notes(
        session,
        _note_statement().where(CallbackNote.id == note_id, CallbackNote.created_by_id == actor.id),
    )
    return rows[0] if rows else None


async def set_callback_note_done(
    session: AsyncSession, clock: Clock, actor: CurrentUser, note_id: int, done: bool
) -> CallbackNoteOut:
    """The colleague it is addressed to marks it done (or open again)."""
    note = await _note_for(session, actor, note_id)
    if actor.id != note.person_id and not actor.is_admin:
        raise Forbidden(_("Only the colleague the note is for can mark it done."))
    if done and note.done_at is None:
        note.done_at = clock.now()
        note.done_by_id = actor.id
        await notify.callback_note_settled(session, note.id)
    elif not done:
        note.done_at = None
        note.done_by_id = None
    await session.flush()
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="done" if done else "reopen",
        object_type="callback_note",
        object_id=note.id,
    )
    return await get_callback_note(session, actor, note.id)


async def delete_callback_note(
    session: AsyncSession, clock: Clock, actor: CurrentUser, note_id: int
) -> None:
    """The KCC agent who wrote it (or an admin) removes a note left by mistake."""
    note = await _note_for(session, actor, note_id)
    if actor.id != note.created_by_id and not actor.is_admin:
        raise Forbidden(_("Only the person who wrote the note can remove it."))
    await session.delete(note)
    await notify.callback_note_settled(session, note_id)
    # For whom, so that the note stays in their history once gone (never its content).
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="delete",
        object_type="callback_note",
        object_id=note_id,
        person_id=note.person_id,
    )


async def purge_callback_notes(session: AsyncSession, clock: Clock, settings: Settings) -> int:
    """Remove callback notes older than the retention time (they hold residents' numbers),
    each audited with for whom it was, so that it stays in their history once gone (never
    its content)."""
    cutoff = clock.now() - timedelta(days=settings.retention_callback_note_days)
    removed = (
        await session.execute(
            delete(CallbackNote)
            .where(CallbackNote.created_at < cutoff)
            .returning(CallbackNote.id, CallbackNote.person_id)
        )
    ).all()
    for note_id, person_id in sorted(removed):
        await record(
            session,
            clock,
            actor_id=None,
            action="purge",
            object_type="callback_note",
            object_id=note_id,
            person_id=person_id,
            before=cutoff.isoformat(),
        )
    return len(removed)
