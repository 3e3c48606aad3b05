"""The warning before a no-show release: "check in, or your booking is released at ...".

A confirmed booking nobody checked in to is released ``WERKPLEK_NO_SHOW_GRACE_MINUTES``
after its start (see ``bookings.services.release_deadline``); its holder is warned
``WERKPLEK_NO_SHOW_WARNING_MINUTES`` before that, once; not when the booking ends before
its release would come.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.bookings.models import Booking, BookingStatus
from werkplek.bookings.services import release_deadline
from werkplek.clock import Clock
from werkplek.config import Settings
from werkplek.db import lock_for_write
from werkplek.notifications.models import MailKind, OutboxMail
from werkplek.notifications.services import booking_facts, mail_person, recipients_for


def warning_ref(booking_id: int) -> str:
    return f"{MailKind.NO_SHOW_WARNING.value}:{booking_id}"


async def no_show_warnings_job(session: AsyncSession, clock: Clock, settings: Settings) -> None:
    """The scheduler job: queue a warning for each booking whose release is near."""
    await lock_for_write(session)
    now = clock.now()
    grace = settings.no_show_grace
    warn_from = now - grace + timedelta(minutes=settings.no_show_warning_minutes)
    candidates = [
        booking
        for booking in (
            await session.execute(
                select(Booking).where(
                    Booking.status == BookingStatus.CONFIRMED.value,
                    Booking.checked_in_at.is_(None),
                    Booking.start_at <= warn_from,
                    Booking.updated_at <= warn_from,
                    Booking.end_at > now,
                )
            )
        ).scalars()
        # A booking over before its release comes is released without a word (see
        # ``release_no_shows_after``): there is nothing to warn about.
        if (deadline := release_deadline(booking, grace)) is not None
        and now < deadline < booking.end_at
    ]
    if not candidates:
        return
    refs = {warning_ref(b.id): b for b in candidates}
    warned = set(
        (await session.execute(select(OutboxMail.ref).where(OutboxMail.ref.in_(refs)))).scalars()
    )
    due = [b for ref, b in refs.items() if ref not in warned and b.booked_for_id is not None]
    holders = {
        p.id: p
        for p in await recipients_for(
            session, (b.booked_for_id for b in due if b.booked_for_id), MailKind.NO_SHOW_WARNING
        )
    }
    for booking in due:
        person = holders.get(booking.booked_for_id or 0)
        deadline = release_deadline(booking, grace)
        if person is None or deadline is None:
            continue
        await mail_person(
            session,
            clock,
            person,
            MailKind.NO_SHOW_WARNING,
            {
                "bookings": await booking_facts(session, [booking]),
                "release_at": deadline.isoformat(),
                "space_id": booking.space_id,
            },
            ref=warning_ref(booking.id),
        )
