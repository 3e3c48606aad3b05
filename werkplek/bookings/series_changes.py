"""Changing a weekly room booking from one date on: the weekly meeting moves to other times
or another room for the date chosen and every later date of its series.

Each date changes as ``reschedule_room_booking`` changes one booking, by every rule of a
change, in a savepoint of its own: a later date the rules refuse (the new room is taken
that day, closed, ...) stays as it was and is reported, as a new weekly booking reports
the dates it could not book. The holder gets one mail for the whole change, and so does
each colleague invited to the changed dates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.bookings import services as bookings
from werkplek.bookings.models import Booking
from werkplek.bookings.schemas import RescheduleIn, SkippedDate
from werkplek.bookings.services import BookingRuleBroken
from werkplek.clock import AMSTERDAM, Clock
from werkplek.db import lock_for_write
from werkplek.errors import DomainError
from werkplek.i18n import _
from werkplek.notifications import services as notify
from werkplek.people.services import CurrentUser


@dataclass
class SeriesChange:
    """The bookings as they are now (the date chosen first) and the later dates that kept
    their old time or room, with why."""

    changed: list[Booking] = field(default_factory=list)
    skipped: list[SkippedDate] = field(default_factory=list)


async def reschedule_series(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    booking_id: int,
    changes: RescheduleIn,
) -> SeriesChange:
    """Give a room booking and the later dates of its weekly series the start, end or room
    of ``changes`` (each date keeps what ``changes`` leaves out). The booking asked for
    must change, or nothing does (its refusal is raised); a later date that does not
    change is listed under ``skipped`` (one that already has the new times and room is
    left out silently). A series keeps its days: a ``date`` other than the booking's own
    is refused (422 ``series_keeps_its_days``). A booking without a series changes alone.
    """
    await lock_for_write(session)
    booking = await bookings.get_booking(session, actor, booking_id)
    if changes.date is not None and changes.date != booking.start_at.astimezone(AMSTERDAM).date():
        raise BookingRuleBroken(
            _(
                "A weekly booking keeps its days: change the times or the room of the "
                "series, or change the date of this one booking on its own."
            ),
            field="date",
            code="series_keeps_its_days",
        )
    changes = msgspec.structs.replace(changes, date=None)  # each date keeps its own
    was_start, was_end = booking.start_at, booking.end_at
    later = await bookings.later_in_series(session, booking)
    result = SeriesChange()
    first = await bookings.reschedule_room_booking(
        session, clock, actor, booking_id, changes, tell=False
    )
    made = [(booking, first.created[0])]  # each booking replaced, and what it became
    for occurrence in later:
        day = occurrence.start_at.astimezone(AMSTERDAM).date()  # read before a rollback
        try:
            async with session.begin_nested():
                again = await bookings.reschedule_room_booking(
                    session, clock, actor, occurrence.id, changes, tell=False
                )
        except DomainError as exc:
            if exc.code != "unchanged":
                result.skipped.append(
                    SkippedDate(
                        date=day,
                        error=exc.code,
                        message=exc.message,
                        field=exc.field,
                    )
                )
            continue
        made.append((occurrence, again.created[0]))
    result.changed = [new for _old, new in made]
    await notify.series_rescheduled(
        session,
        clock,
        [old for old, _new in made],
        result.changed,
        actor,
        was_start=was_start,
        was_end=was_end,
        skipped=result.skipped,
    )
    await notify.participants_series_rescheduled(
        session, clock, made, was_start=was_start, was_end=was_end
    )
    return result
