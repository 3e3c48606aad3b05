"""The desk waitlist: someone who finds no desk free at a site (or on a floor) for a date
and day part, because all are taken or the capacity cap is reached, waits for one.

The ``desk_waitlist`` job books the first desk that comes free (a cancellation, a no-show
released) for the first who waits, first come first served, through ``create_booking``, so
every rule of booking holds (teams a desk is reserved for, the cap, how far ahead, one desk
per person); the confirmation says the waitlist booked it. Someone who meanwhile holds a
desk for that day part leaves the list without a mail; a wait still open when its day part
begins ends with a short mail that no desk came free. A wait is personal data: only its
own person sees it, and it is gone once it is served or ends.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.bookings import services as bookings
from werkplek.bookings.availability import (
    DeskAvailability,
    desk_availability,
    free_desks,
    site_with_floor,
)
from werkplek.bookings.favourites import favourite_desk_ids
from werkplek.bookings.models import DeskWait
from werkplek.bookings.schemas import BookingIn, DayPartWindow, DeskStatusOut, WaitIn, WaitOut
from werkplek.bookings.services import BookingRuleBroken
from werkplek.clock import Clock, local_midnight
from werkplek.config import Settings
from werkplek.db import lock_for_write, rows_changed
from werkplek.errors import Conflict, DomainError, NotFound
from werkplek.i18n import _
from werkplek.notifications import services as notify
from werkplek.notifications.models import MailKind
from werkplek.people.models import Person
from werkplek.people.services import CurrentUser, current_user_for
from werkplek.rooms.models import Floor, Site
from werkplek.rooms.services import DayPart

logger = logging.getLogger("werkplek.bookings.waitlist")

#: What a desk shows that no waiting can change: it is not for the person, or not open.
_NEVER_FREE = ("restricted", "closed")
#: The template of the mail telling that a wait ended without a desk. It is of the kind of
#: a cancellation: someone who switched those off does not want to hear of this either.
EXPIRED_TEMPLATE = "waitlist_expired"


class DeskIsFree(Conflict):
    code = "desk_free"


class AlreadyWaiting(Conflict):
    code = "already_waiting"


def _overlapping(part: DayPart) -> tuple[str, ...]:
    """The day parts a wait for ``part`` overlaps: one waits once per moment."""
    if part is DayPart.DAY:
        return tuple(p.value for p in DayPart)
    return (part.value, DayPart.DAY.value)


def _window(availability: DeskAvailability, part: DayPart) -> DayPartWindow | None:
    """The hours of ``part`` that day; None when the site is closed then (also a half of
    no length: the site opens after its split, or closes before it)."""
    window = availability.window(part)
    return window if window is not None and window.end > window.start else None


def _could_come_free(desks: Sequence[DeskStatusOut], part: DayPart) -> list[DeskStatusOut]:
    """The desks that may be free for the person some time: not reserved for other teams,
    not closed."""
    return [desk for desk in desks if getattr(desk, part.value) not in _NEVER_FREE]


def _no_wait_here(
    availability: DeskAvailability, part: DayPart, now: datetime, *, on_floor: bool
) -> BookingRuleBroken | None:
    """Why nobody can wait for a desk there for ``part``, if so: the day cannot be booked,
    the site is closed then, the day part has begun, or there is no desk the person could
    book (``on_floor``: the place asked for is a floor)."""
    if availability.not_bookable:
        return BookingRuleBroken(availability.not_bookable, field="date", code="date_not_bookable")
    window = _window(availability, part)
    if window is None:
        return BookingRuleBroken(
            _("The site is closed then, so there is no desk to wait for."),
            field="day_part" if availability.day.is_open else "date",
            code="site_closed",
        )
    if window.start <= now:
        return BookingRuleBroken(
            _("This day part has begun; you can wait for a desk only before it begins."),
            field="day_part",
            code="day_part_begun",
        )
    if not _could_come_free(availability.desks, part):
        return BookingRuleBroken(
            _("There is no desk here that you could book, so none to wait for."),
            field="floor_id" if on_floor else "site_id",
            code="no_desks",
        )
    return None


async def _waiting(session: AsyncSession, person_id: int, day: date, part: DayPart) -> bool:
    """Whether the person waits for a desk on ``day`` at a time overlapping ``part``."""
    found = await session.scalar(
        select(DeskWait.id).where(
            DeskWait.person_id == person_id,
            DeskWait.date == day,
            DeskWait.day_part.in_(_overlapping(part)),
        )
    )
    return found is not None


_WAITS = (
    select(
        DeskWait.id,
        DeskWait.site_id,
        Site.name,
        DeskWait.floor_id,
        Floor.name,
        DeskWait.date,
        DeskWait.day_part,
        DeskWait.created_at,
    )
    .join(Site, Site.id == DeskWait.site_id)
    .outerjoin(Floor, Floor.id == DeskWait.floor_id)
    .order_by(DeskWait.date, DeskWait.day_part, DeskWait.id)
)


async def _waits(session: AsyncSession, *where: ColumnElement[bool]) -> list[WaitOut]:
    rows = await session.execute(_WAITS.where(*where))
    return [
        WaitOut(
            id=wait_id,
            site_id=site_id,
            site_name=site_name,
            floor_id=floor_id,
            floor_name=floor_name,
            date=day,
            day_part=DayPart(part),
            created_at=created_at,
        )
        for wait_id, site_id, site_name, floor_id, floor_name, day, part, created_at in rows
    ]


async def my_waits(session: AsyncSession, user: CurrentUser) -> list[WaitOut]:
    """One's places on the waitlist, soonest first."""
    return await _waits(session, DeskWait.person_id == user.id)


async def join_waitlist(
    session: AsyncSession, clock: Clock, user: CurrentUser, data: WaitIn
) -> WaitOut:
    """Wait for a desk at a site (on a floor with ``floor_id``) for a date and day part.

    Only where no desk is free for the user then (taken, or the capacity cap reached):
    a free one answers 409 ``desk_free``, to be booked instead. Refused too (422) for a
    day that cannot be booked, a day part that is closed or has begun, a place without
    desks the user could book, and a user who holds a desk then; a second wait for the
    same date and day part (or one overlapping it) answers 409 ``already_waiting``."""
    await lock_for_write(session)
    site = await site_with_floor(session, data.site_id, data.floor_id)
    part = data.day_part
    availability = await desk_availability(
        session, clock, user, site.id, data.date, floor_id=data.floor_id
    )
    refusal = _no_wait_here(availability, part, clock.now(), on_floor=data.floor_id is not None)
    if refusal is not None:
        raise refusal
    window = _window(availability, part)
    assert window is not None  # else refused above
    if await bookings.desks_held(session, user.id, window.start, window.end):
        raise BookingRuleBroken(
            _("You already have a desk for this day part."),
            field="day_part",
            code="already_has_desk",
        )
    if free_desks(availability.desks, part):
        raise DeskIsFree(_("A desk is free for this day part: book it instead."), field="day_part")
    already = AlreadyWaiting(
        _("You are already on the waitlist for this day part."), field="day_part"
    )
    if await _waiting(session, user.id, data.date, part):
        raise already
    wait = DeskWait(
        person_id=user.id,
        site_id=site.id,
        floor_id=data.floor_id,
        date=data.date,
        day_part=part.value,
        created_at=clock.now(),
    )
    try:
        async with session.begin_nested():  # the same wait joined at once from another tab
            session.add(wait)
    except IntegrityError as exc:
        raise already from exc
    (joined,) = await _waits(session, DeskWait.id == wait.id)
    return joined


async def leave_waitlist(session: AsyncSession, user: CurrentUser, wait_id: int) -> None:
    """Leave one's place on the waitlist; another's, or one that ended, answers 404."""
    left = await rows_changed(
        session, delete(DeskWait).where(DeskWait.id == wait_id, DeskWait.person_id == user.id)
    )
    if not left:
        raise NotFound(_("You are not on this waitlist."), field="wait_id")


async def desk_page_offer(
    session: AsyncSession,
    clock: Clock,
    user: CurrentUser,
    availability: DeskAvailability | None,
    part: DayPart,
    held: Sequence[bookings.DeskBooking],
) -> str | None:
    """What the desk page offers for the day part it shows: ``join`` the waitlist when no
    desk the user could book is free and the day part has not begun, ``waiting`` when the
    user is on it already, None otherwise (a desk is free, the user holds one, the site is
    closed, the day cannot be booked)."""
    if availability is None or held:
        return None
    if _no_wait_here(availability, part, clock.now(), on_floor=False) is not None:
        return None
    if free_desks(availability.desks, part):
        return None
    return "waiting" if await _waiting(session, user.id, availability.day.day, part) else "join"


# --- the scheduler job --------------------------------------------------------------------


@dataclass(frozen=True)
class _Wait:
    """A wait as the job read it: plain values, which a failed booking cannot expire."""

    id: int
    person_id: int
    site_id: int
    floor_id: int | None
    day: date
    day_part: DayPart


async def desk_waitlist_job(session: AsyncSession, clock: Clock, settings: Settings) -> None:
    """Scheduler job: for each wait, first come first served, book the first free desk (a
    favourite first) for its person; drop the waits of people who hold a desk by now or
    left, and end those whose day part has begun, telling their people.

    Without waits it takes no write lock (SQLite: it runs every minute in every worker).
    A site (floor) and day part found with every desk taken, closed or at the cap is not
    looked at again for the others waiting for it in the same round: nothing there is
    free for anyone."""
    if await session.scalar(select(DeskWait.id).limit(1)) is None:
        return
    await session.rollback()  # the write lock must open the transaction
    await lock_for_write(session)
    rows = await session.execute(
        select(
            DeskWait.id,
            DeskWait.person_id,
            DeskWait.site_id,
            DeskWait.floor_id,
            DeskWait.date,
            DeskWait.day_part,
        ).order_by(DeskWait.created_at, DeskWait.id)
    )
    waits = [_Wait(*row[:5], DayPart(row[5])) for row in rows.all()]
    nothing_free: set[tuple[int, int | None, date, DayPart]] = set()
    for wait in waits:
        where = (wait.site_id, wait.floor_id, wait.day, wait.day_part)
        if where in nothing_free:
            continue
        outcome = await _serve(session, clock, wait)
        if outcome is _Outcome.NOTHING_FREE:
            nothing_free.add(where)
        elif outcome is _Outcome.DONE:
            await session.execute(delete(DeskWait).where(DeskWait.id == wait.id))


class _Outcome(enum.Enum):
    DONE = "done"  # served, no longer needed, or ended
    WAITING = "waiting"  # nothing free for this person now
    NOTHING_FREE = "nothing_free"  # nothing free for anyone waiting there now


async def _serve(session: AsyncSession, clock: Clock, wait: _Wait) -> _Outcome:
    """Book a desk for one wait if one is free."""
    person = await session.get(Person, wait.person_id)
    if person is None or not person.active:
        return _Outcome.DONE
    user = current_user_for(person)
    try:
        availability = await desk_availability(
            session, clock, user, wait.site_id, wait.day, floor_id=wait.floor_id
        )
    except NotFound:  # the site was taken out of use
        await _tell_ended(session, clock, person, wait)
        return _Outcome.DONE
    window = _window(availability, wait.day_part)
    if window is None or window.start <= clock.now():
        await _tell_ended(session, clock, person, wait)
        return _Outcome.DONE
    if await bookings.desks_held(session, person.id, window.start, window.end):
        return _Outcome.DONE  # booked one themselves meanwhile
    free = free_desks(availability.desks, wait.day_part)
    if not free:
        # Taken, closed and the cap are the same for everyone; a desk reserved for other
        # teams than this person's may be free for the next.
        reserved = any(
            getattr(desk, wait.day_part.value) == "restricted" for desk in availability.desks
        )
        return _Outcome.WAITING if reserved else _Outcome.NOTHING_FREE
    favourites = await favourite_desk_ids(session, person.id)
    desk = next((desk for desk in free if desk.space_id in favourites), free[0])
    data = BookingIn(space_id=desk.space_id, date=wait.day, day_part=wait.day_part)
    try:  # in a savepoint: a collision at the insert undoes this wait's booking only
        async with session.begin_nested():
            await bookings.create_booking(session, clock, user, data, from_waitlist=True)
    except DomainError as exc:  # a rule the availability does not show: try next round
        logger.info(
            "waitlist could not book desk %s for wait %s: %s", desk.space_id, wait.id, exc.code
        )
        return _Outcome.WAITING
    return _Outcome.DONE


async def _tell_ended(session: AsyncSession, clock: Clock, person: Person, wait: _Wait) -> None:
    """Tell the person no desk came free for their wait (unless they switched off the
    mails about cancelled bookings)."""
    site_name = await session.scalar(select(Site.name).where(Site.id == wait.site_id))
    floor_name = (
        await session.scalar(select(Floor.name).where(Floor.id == wait.floor_id))
        if wait.floor_id is not None
        else None
    )
    begins = local_midnight(wait.day).isoformat()
    for recipient in await notify.recipients_for(session, [person.id], MailKind.BOOKING_CANCELLED):
        await notify.mail_person(
            session,
            clock,
            recipient,
            MailKind.BOOKING_CANCELLED,
            {
                "place": ", ".join(name for name in (site_name, floor_name) if name),
                "start": begins,
                "end": begins,
                "day_part": wait.day_part.value,
            },
            ref=f"waitlist:{wait.id}",
            template=EXPIRED_TEMPLATE,
        )
