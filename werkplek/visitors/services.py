"""Expected visitors of room bookings: every rule about them lives here.

Residents and external partners come to resident rooms and meeting rooms. Whoever may
change a room booking (its holder, who made it, a lead of the holder's team, facilities)
names the visitors expected, while the booking is active and not over. Reception marks
them arrived: the reception role (receptie, gastvrouw), which gives nothing else of
facilities' rights, facilities and admins (``RECEPTIONISTS``); they see every site's list,
which opens on the site where they work today (``presence.services.site_of_today``). A
visitor is personal data of someone who is no employee: only a name and an organisation
are kept, never in the audit log (which names the visitor's number), and
``purge_visitors`` removes them ``WERKPLEK_RETENTION_VISITOR_DAYS`` after the booking
ended.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.audit.services import record
from werkplek.bookings import services as bookings
from werkplek.bookings.models import ACTIVE_STATUS_VALUES, Booking
from werkplek.clock import Clock, local_midnight, zone_named
from werkplek.config import Settings
from werkplek.db import lock_for_write, one_of, rows_changed
from werkplek.errors import Conflict, InvalidInput, NotFound, required_name
from werkplek.i18n import _
from werkplek.notifications import services as notify
from werkplek.people.models import Person, Role
from werkplek.people.services import CurrentUser
from werkplek.rooms.models import Site, Space
from werkplek.visitors.models import BookingVisitor
from werkplek.visitors.schemas import ExpectedVisitorOut, VisitorIn, VisitorOut

#: Who keeps reception's list and marks visitors arrived (admins too).
RECEPTIONISTS = (Role.RECEPTION, Role.FACILITIES)


def visitor_out(visitor: BookingVisitor) -> VisitorOut:
    return VisitorOut(
        id=visitor.id,
        booking_id=visitor.booking_id,
        name=visitor.name,
        organisation=visitor.organisation,
        created_at=visitor.created_at,
        arrived_at=visitor.arrived_at,
        left_at=visitor.left_at,
    )


def _closed_to_visitors(booking: Booking, now: datetime) -> InvalidInput | None:
    """Why no visitors can be expected at ``booking`` now, if so: visitors come to a room
    booking that is still to happen or under way. A desk seats one colleague, and a
    cancelled or past meeting expects nobody (422 at ``booking``)."""
    if booking.is_desk:
        return InvalidInput(
            _("Only a room booking can have visitors; a desk seats one colleague."),
            field="booking",
            code="desk_booking",
        )
    if booking.status not in ACTIVE_STATUS_VALUES:
        return _not_active()
    if booking.end_at <= now:
        return InvalidInput(
            _("This booking has already ended."), field="booking", code="in_the_past"
        )
    return None


def _not_active() -> InvalidInput:
    return InvalidInput(
        _("This booking is no longer active."), field="booking", code="booking_not_active"
    )


def _require_open_room(booking: Booking, now: datetime) -> None:
    refused = _closed_to_visitors(booking, now)
    if refused is not None:
        raise refused


def closed_to_visitors(booking: Booking, now: datetime) -> str | None:
    """Why visitors can no longer be added to or taken off ``booking``, if so."""
    refused = _closed_to_visitors(booking, now)
    return refused.message if refused is not None else None


async def _visitors_of(session: AsyncSession, booking_id: int) -> list[BookingVisitor]:
    rows = await session.scalars(
        select(BookingVisitor)
        .where(BookingVisitor.booking_id == booking_id)
        .order_by(BookingVisitor.name, BookingVisitor.id)
    )
    return list(rows)


async def list_visitors(
    session: AsyncSession, actor: CurrentUser, booking_id: int
) -> list[VisitorOut]:
    """The visitors expected at a booking the actor may see (404 otherwise), by name."""
    booking = await bookings.get_booking(session, actor, booking_id)
    return [visitor_out(visitor) for visitor in await _visitors_of(session, booking.id)]


async def add_visitor(
    session: AsyncSession, clock: Clock, actor: CurrentUser, booking_id: int, data: VisitorIn
) -> VisitorOut:
    """Expect a visitor at a room booking the actor may change (404 for one they may not
    see); the name is required. Audited on the booking, without the visitor's name."""
    await lock_for_write(session)
    booking = await bookings.get_booking(session, actor, booking_id)
    _require_open_room(booking, clock.now())
    name = required_name(data.name)
    visitor = BookingVisitor(
        booking_id=booking.id,
        name=name,
        organisation=data.organisation.strip(),
        created_at=clock.now(),
    )
    session.add(visitor)
    await session.flush()
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="add_visitor",
        object_type="booking",
        object_id=booking.id,
        visitor_id=visitor.id,
    )
    return visitor_out(visitor)


async def remove_visitor(
    session: AsyncSession, clock: Clock, actor: CurrentUser, booking_id: int, visitor_id: int
) -> None:
    """No longer expect a visitor at a room booking the actor may change, while it is
    active and not over. Audited on the booking."""
    await lock_for_write(session)
    booking = await bookings.get_booking(session, actor, booking_id)
    visitor = await session.get(BookingVisitor, visitor_id)
    if visitor is None or visitor.booking_id != booking.id:
        raise NotFound(_("No such visitor."), field="visitor_id")
    _require_open_room(booking, clock.now())
    await session.delete(visitor)
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="remove_visitor",
        object_type="booking",
        object_id=booking.id,
        visitor_id=visitor_id,
    )


async def _at_reception(
    session: AsyncSession, actor: CurrentUser, visitor_id: int
) -> BookingVisitor:
    """A visitor reception marks (``RECEPTIONISTS`` only), locked for the change; 404 for
    none."""
    actor.require(*RECEPTIONISTS)
    await lock_for_write(session)
    visitor = await session.get(BookingVisitor, visitor_id)
    if visitor is None:
        raise NotFound(_("No such visitor."), field="visitor_id")
    return visitor


async def mark_arrived(
    session: AsyncSession, clock: Clock, actor: CurrentUser, visitor_id: int
) -> VisitorOut:
    """Reception (``RECEPTIONISTS``) marks a visitor arrived at an active booking; the host
    gets a mail (``notifications.services.visitor_arrived``). Marking them again changes
    nothing and tells nobody."""
    visitor = await _at_reception(session, actor, visitor_id)
    if visitor.arrived_at is not None:
        return visitor_out(visitor)
    booking = await session.get_one(Booking, visitor.booking_id)
    if booking.status not in ACTIVE_STATUS_VALUES:
        raise _not_active()
    visitor.arrived_at = clock.now()
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="visitor_arrived",
        object_type="booking",
        object_id=booking.id,
        visitor_id=visitor.id,
    )
    await notify.visitor_arrived(session, clock, booking, visitor.name, visitor.organisation)
    return visitor_out(visitor)


class NotArrived(Conflict):
    code = "visitor_not_arrived"


async def mark_left(
    session: AsyncSession, clock: Clock, actor: CurrentUser, visitor_id: int
) -> VisitorOut:
    """Reception (``RECEPTIONISTS``) marks a visitor who arrived as gone, so that an
    evacuation's roll call no longer lists them. Marking them again changes nothing; one
    who has not arrived cannot leave (409 ``visitor_not_arrived``)."""
    visitor = await _at_reception(session, actor, visitor_id)
    if visitor.arrived_at is None:
        raise NotArrived(
            _("This visitor has not been marked arrived, so cannot leave."), field="visitor_id"
        )
    if visitor.left_at is None:
        visitor.left_at = clock.now()
        await record(
            session,
            clock,
            actor_id=actor.id,
            action="visitor_left",
            object_type="booking",
            object_id=visitor.booking_id,
            visitor_id=visitor.id,
        )
    return visitor_out(visitor)


async def _expected(session: AsyncSession, *where: ColumnElement[bool]) -> list[ExpectedVisitorOut]:
    """The visitors meeting ``where`` as reception lists them, by time, room and name,
    their times in their site's zone."""
    host_id = func.coalesce(Booking.booked_for_id, Booking.booked_by_id)
    rows = await session.execute(
        select(BookingVisitor, Booking, Space.name, Person.name, Site.timezone)
        .join(Booking, Booking.id == BookingVisitor.booking_id)
        .join(Space, Space.id == Booking.space_id)
        .join(Site, Site.id == Booking.site_id)
        .outerjoin(Person, Person.id == host_id)
        .where(*where)
        .order_by(Booking.start_at, Space.name, BookingVisitor.name, BookingVisitor.id)
    )
    listed = []
    for visitor, booking, space_name, host_name, timezone in rows.all():
        zone = zone_named(timezone)
        listed.append(
            ExpectedVisitorOut(
                id=visitor.id,
                booking_id=booking.id,
                name=visitor.name,
                organisation=visitor.organisation,
                arrived_at=visitor.arrived_at,
                left_at=visitor.left_at,
                local_start=booking.start_at.astimezone(zone),
                local_end=booking.end_at.astimezone(zone),
                site_id=booking.site_id,
                space_id=booking.space_id,
                space_name=space_name,
                host_id=booking.booked_for_id or booking.booked_by_id,
                host_name=host_name,
            )
        )
    return listed


async def visitors_of_day(
    session: AsyncSession, actor: CurrentUser, site: Site, day: date
) -> list[ExpectedVisitorOut]:
    """Reception's list: the visitors expected at the site's active room bookings that
    start on ``day`` (in the site's time zone). ``RECEPTIONISTS`` only."""
    actor.require(*RECEPTIONISTS)
    return await _expected(session, *_of_day(site, day))


def _of_day(site: Site, day: date) -> list[ColumnElement[bool]]:
    """The visitors of the site's active room bookings that start on ``day`` (in the
    site's time zone)."""
    zone = zone_named(site.timezone)
    return [
        Booking.site_id == site.id,
        Booking.start_at >= local_midnight(day, zone),
        Booking.start_at < local_midnight(day + timedelta(days=1), zone),
        one_of(Booking.status, ACTIVE_STATUS_VALUES),
    ]


async def arrived_on(session: AsyncSession, site: Site, day: date) -> list[ExpectedVisitorOut]:
    """The visitors of ``day`` at the site whom reception marked arrived and not yet left,
    as on reception's list: who may be in the building (an evacuation's roll call asks; it
    checks its own rights)."""
    return await _expected(
        session,
        *_of_day(site, day),
        BookingVisitor.arrived_at.is_not(None),
        BookingVisitor.left_at.is_(None),
    )


async def expected_visitor(
    session: AsyncSession, actor: CurrentUser, visitor_id: int
) -> ExpectedVisitorOut:
    """One visitor as on reception's list. ``RECEPTIONISTS`` only."""
    actor.require(*RECEPTIONISTS)
    found = await _expected(session, BookingVisitor.id == visitor_id)
    if not found:
        raise NotFound(_("No such visitor."), field="visitor_id")
    return found[0]


async def purge_visitors(session: AsyncSession, clock: Clock, settings: Settings) -> int:
    """Remove the visitors of bookings that ended more than the retention time ago,
    whatever became of the booking."""
    cutoff = clock.now() - timedelta(days=settings.retention_visitor_days)
    ended = select(Booking.id).where(Booking.end_at < cutoff)
    return await rows_changed(
        session, delete(BookingVisitor).where(BookingVisitor.booking_id.in_(ended))
    )
