"""Meeting participants once a room booking is made: reading a meeting one is invited to,
changing who is invited, answering an invitation, one's open invitations, and the answers
an absence gives and takes back.

Who may be invited (``services.checked_participants``), and inviting, carrying over and
listing participants as a booking is made, changed or read, stay in ``services``: making a
booking needs them there.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.audit.models import AuditEvent
from werkplek.audit.services import record
from werkplek.bookings.models import Booking, BookingParticipant, ParticipantResponse
from werkplek.bookings.services import (
    active,
    add_participants,
    checked_participants,
    get_for_change,
    may_see,
    no_participants_at_desk,
    require_open,
    starting_on,
    touch,
)
from werkplek.clock import AMSTERDAM, Clock
from werkplek.db import lock_for_write
from werkplek.errors import NotFound
from werkplek.i18n import _
from werkplek.notifications import services as notify
from werkplek.people.models import Person
from werkplek.people.services import CurrentUser
from werkplek.rooms.models import Space


async def get_booking_to_read(
    session: AsyncSession, actor: CurrentUser, booking_id: int
) -> Booking:
    """A booking the actor may see (``services.get_booking``), or one they are invited to: that
    they may read and answer, not change."""
    booking = await session.get(Booking, booking_id)
    if booking is not None and (
        await may_see(session, actor, booking) or await _invitation(session, actor, booking.id)
    ):
        return booking
    raise NotFound(_("No such booking."))


async def _invitation(
    session: AsyncSession, actor: CurrentUser, booking_id: int
) -> BookingParticipant | None:
    return (
        await session.execute(
            select(BookingParticipant).where(
                BookingParticipant.booking_id == booking_id,
                BookingParticipant.person_id == actor.id,
            )
        )
    ).scalar_one_or_none()


async def replace_participants(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    booking_id: int,
    person_ids: Sequence[int],
) -> Booking:
    """Invite exactly ``person_ids`` to a room booking from now on, by the rules of a new
    booking's participants (``checked_participants``). Who may cancel the booking may do
    so. Those added get an invitation, those taken off a cancellation; those who stay keep
    their answer. A change bumps the booking's iCalendar SEQUENCE and is audited."""
    booking = await get_for_change(session, actor, booking_id)
    if booking.is_desk:
        raise no_participants_at_desk()
    now = clock.now()
    require_open(booking, now)
    space = await session.get_one(Space, booking.space_id)
    wanted = await checked_participants(
        session, person_ids, booking.booked_for_id or actor.id, space
    )
    rows = (
        await session.execute(
            select(BookingParticipant).where(BookingParticipant.booking_id == booking.id)
        )
    ).scalars()
    existing = {row.person_id: row for row in rows}
    added = [person_id for person_id in wanted if person_id not in existing]
    removed = sorted(existing.keys() - set(wanted))
    if not added and not removed:
        return booking
    for person_id in removed:
        await session.delete(existing[person_id])
    await add_participants(session, clock, [booking], added)
    touch(booking, now)
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="participants",
        object_type="booking",
        object_id=booking.id,
        invited_ids=added,
        uninvited_ids=removed,
    )
    await notify.participants_invited(session, clock, [booking], added)
    await notify.participants_uninvited(session, clock, booking, removed, cancelled=False)
    return booking


async def respond_to_invitation(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    booking_id: int,
    response: ParticipantResponse,
) -> Booking:
    """Accept or decline a meeting one is invited to (404 for anyone else), while it is
    active and not over; one may change one's mind until then. Each answer is audited,
    and the holder told (``notifications.services.participant_answered``); giving the
    same answer again changes nothing and tells nobody."""
    await lock_for_write(session)
    booking = await session.get(Booking, booking_id)
    invitation = await _invitation(session, actor, booking_id)
    if booking is None or invitation is None:
        raise NotFound(_("You are not invited to this booking."))
    now = clock.now()
    require_open(booking, now)
    if invitation.response == response.value:
        return booking
    await _answer(session, clock, actor.id, invitation, booking, response, actor.name)
    return booking


async def _answer(
    session: AsyncSession,
    clock: Clock,
    actor_id: int,
    invitation: BookingParticipant,
    booking: Booking,
    response: ParticipantResponse,
    participant: str,
    **details: Any,
) -> None:
    """Record an invited colleague's (``participant``'s) answer, audited as ``respond``
    by ``actor_id`` with ``details``, and tell the holder."""
    invitation.response = response.value
    invitation.responded_at = clock.now()
    await record(
        session,
        clock,
        actor_id=actor_id,
        action="respond",
        object_type="booking",
        object_id=booking.id,
        response=response.value,
        **details,
    )
    await notify.participant_answered(
        session,
        clock,
        booking,
        participant,
        accepted=response is ParticipantResponse.ACCEPTED,
        pending=response is ParticipantResponse.PENDING,
    )


async def invitations(
    session: AsyncSession, clock: Clock, actor: CurrentUser, limit: int = 100
) -> list[Booking]:
    """The active room bookings the actor is invited to that have not ended, soonest
    first."""
    statement = (
        select(Booking)
        .join(BookingParticipant, BookingParticipant.booking_id == Booking.id)
        .where(
            BookingParticipant.person_id == actor.id,
            Booking.end_at > clock.now(),
            active(),
        )
        .order_by(Booking.start_at, Booking.id)
        .limit(limit)
    )
    return list((await session.execute(statement)).scalars())


async def _invitations_on(
    session: AsyncSession,
    clock: Clock,
    person_id: int,
    first: date,
    last: date,
    *where: ColumnElement[bool],
) -> list[tuple[BookingParticipant, Booking]]:
    """The invitations of ``person_id`` (also matching ``where``) to the active meetings
    that have not begun on the local days ``first`` to ``last``, soonest first."""
    rows = await session.execute(
        select(BookingParticipant, Booking)
        .join(Booking, Booking.id == BookingParticipant.booking_id)
        .where(
            BookingParticipant.person_id == person_id,
            *starting_on(first, last),
            Booking.start_at > clock.now(),
            active(),
            *where,
        )
        .order_by(Booking.start_at, Booking.id)
    )
    return [(invitation, booking) for invitation, booking in rows]


async def decline_invitations_while_absent(
    session: AsyncSession,
    clock: Clock,
    actor_id: int,
    person: Person,
    first: date,
    last: date,
) -> list[Booking]:
    """Decline, for ``person``, the meetings that have not begun they are invited to on
    the local days ``first`` to ``last``, and had not declined yet: they reported being
    absent then. Each answer is audited as ``respond`` by ``actor_id`` and the holder told,
    as if the person had declined it themselves, with the answer they had given before
    (``previous_response``), which withdrawing the absence gives back
    (``answer_again_after_absence``); returns the meetings, soonest first."""
    rows = await _invitations_on(
        session,
        clock,
        person.id,
        first,
        last,
        BookingParticipant.response != ParticipantResponse.DECLINED.value,
    )
    for invitation, booking in rows:
        await _answer(
            session,
            clock,
            actor_id,
            invitation,
            booking,
            ParticipantResponse.DECLINED,
            person.name,
            person_id=person.id,
            reason="absent",
            previous_response=invitation.response,
        )
    return [booking for _invitation, booking in rows]


async def answer_again_after_absence(
    session: AsyncSession,
    clock: Clock,
    actor_id: int,
    person: Person,
    days: Collection[date],
) -> list[Booking]:
    """Give ``person`` back the answers an absence declined on ``days`` (local dates), now
    that it is withdrawn for them: each active meeting that has not begun, they are still
    invited to and whose last answer is still the absence's decline (audited ``respond``
    with reason ``absent``; not one they answered again themselves since) gets the answer
    they had before it (``previous_response``; pending when the decline did not record
    it). Each answer is audited as ``respond`` by ``actor_id`` with reason
    ``absence_withdrawn`` and the holder told; returns the meetings, soonest first."""
    rows = [
        (invitation, booking)
        for invitation, booking in await _invitations_on(
            session,
            clock,
            person.id,
            min(days),
            max(days),
            BookingParticipant.response == ParticipantResponse.DECLINED.value,
        )
        if booking.start_at.astimezone(AMSTERDAM).date() in days
    ]
    if not rows:
        return []
    answers = await session.execute(
        select(AuditEvent.object_id, AuditEvent.actor_id, AuditEvent.details)
        .where(
            AuditEvent.object_type == "booking",
            AuditEvent.action == "respond",
            AuditEvent.object_id.in_([str(booking.id) for _invitation, booking in rows]),
        )
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    # One's own answer names nobody else; an answer given for someone names them.
    last_answer = {
        object_id: details
        for object_id, answered_by, details in answers
        if details.get("person_id", answered_by) == person.id
    }
    answered: list[Booking] = []
    for invitation, booking in rows:
        declined = last_answer.get(str(booking.id), {})
        if declined.get("reason") != "absent":
            continue
        previous = str(declined.get("previous_response", ParticipantResponse.PENDING.value))
        await _answer(
            session,
            clock,
            actor_id,
            invitation,
            booking,
            ParticipantResponse(previous),
            person.name,
            person_id=person.id,
            reason="absence_withdrawn",
        )
        answered.append(booking)
    return answered
