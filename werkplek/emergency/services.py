"""Emergency roll calls (ontruiming): every rule about them lives here.

When a building is evacuated, the emergency responders (BHV: the role ``emergency``, and
facilities and admins, ``RESPONDERS``) start a roll call for the site. It freezes, at that
instant, who Werkplek knows to be in the building:

- people with a desk or room booking at the site checked in now (``checked_in``);
- colleagues invited to a meeting under way there that its holder checked in to, and not
  having declined it (``meeting``);
- people with a desk booked for now, or holding or invited to (and not having declined) a
  confirmed meeting under way there nobody checked in to yet (``booked``), unless their own
  day says they are elsewhere: a booking goes before their usual week, as
  ``presence.services.resolve_slot`` tells for a desk;
- people whose half day now says office or field base at the site, by their own day or
  their usual week (``planned``);
- visitors reception marked arrived today (``visitor``, from ``visitors.services``).

Each row keeps a name, where they were thought to be (the floor, and the space unless the
person hides their desk position, ``Person.hide_desk``) and their mobile or phone number, so
a responder can call someone missing. Checked-in people come first, then the others, each
by name. Responders tick people off (``mark``), add someone not on the list
(``add_person``) and close the roll call. One roll call per site is open at a time.

The rows are personal data: ``purge_roll_calls`` deletes a roll call with its rows
``WERKPLEK_RETENTION_ROLL_CALL_DAYS`` after it closed (or, forgotten open, after it
started). Starting and closing are audited once each, with counts and no names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from werkplek.audit.services import record
from werkplek.bookings.models import (
    ACTIVE_STATUS_VALUES,
    Booking,
    BookingParticipant,
    BookingStatus,
    ParticipantResponse,
)
from werkplek.clock import Clock, local_today
from werkplek.config import Settings
from werkplek.db import lock_for_write, one_of, rows_changed
from werkplek.emergency.models import EntrySource, RollCall, RollCallEntry
from werkplek.emergency.schemas import AddPersonIn, RollCallEntryOut, RollCallOut
from werkplek.errors import Conflict, NotFound, required_name
from werkplek.i18n import _
from werkplek.people.models import Person, Role
from werkplek.people.services import CurrentUser, person_names
from werkplek.presence import services as presence
from werkplek.presence.models import WeeklyPattern, WorkKind, WorkLocation
from werkplek.rooms.models import Floor, Site, Space
from werkplek.visitors import services as visitors

#: Who start, keep and close a roll call (admins too).
RESPONDERS = (Role.EMERGENCY, Role.FACILITIES)

#: The kinds of work location that put someone in a site's building.
_IN_BUILDING = (WorkKind.OFFICE, WorkKind.FIELD_BASE)


class RollCallOpen(Conflict):
    code = "roll_call_open"


class RollCallClosed(Conflict):
    code = "roll_call_closed"


def _already_open(roll_call_id: int) -> RollCallOpen:
    return RollCallOpen(
        _("A roll call of this site is still open: close it before starting another."),
        field="site",
        roll_call_id=roll_call_id,
    )


def _require_open(roll_call: RollCall) -> None:
    if roll_call.closed_at is not None:
        raise RollCallClosed(_("This roll call has been closed."), field="roll_call")


# --- who is in the building --------------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    """Someone on the list being made, before it is stored."""

    name: str
    source: EntrySource
    floor: str = ""
    place: str = ""
    phone: str = ""
    person_id: int | None = None

    @property
    def order(self) -> tuple[bool, str, str]:
        return (self.source is not EntrySource.CHECKED_IN, self.name.casefold(), self.name)


@dataclass(frozen=True)
class _BookingNow:
    person_id: int
    status: str
    is_desk: bool
    floor: str
    place: str

    @property
    def checked_in(self) -> bool:
        return self.status == BookingStatus.CHECKED_IN

    @property
    def expected(self) -> bool:
        """Whether it puts someone in the building though nobody checked in to it: a desk
        booked for now, or a confirmed meeting (not one still waiting for approval)."""
        return self.is_desk or self.status == BookingStatus.CONFIRMED

    @property
    def rank(self) -> tuple[bool, bool, bool]:
        """Which of someone's bookings under way tells where they are: one checked in,
        then a desk, then a confirmed meeting."""
        return (self.checked_in, self.is_desk, self.expected)


def _best(under_way: list[_BookingNow]) -> dict[int, _BookingNow]:
    """Per person, the booking under way that tells best where they are (``rank``)."""
    best: dict[int, _BookingNow] = {}
    for booking in under_way:
        held = best.get(booking.person_id)
        if held is None or booking.rank > held.rank:
            best[booking.person_id] = booking
    return best


async def _bookings_now(session: AsyncSession, site: Site, now: datetime) -> list[_BookingNow]:
    """The site's active bookings under way at ``now``, for whom they are (a room
    booking without one: who made it), with the floor and name of their space."""
    holder = func.coalesce(Booking.booked_for_id, Booking.booked_by_id)
    rows = await session.execute(
        select(holder, Booking.status, Booking.is_desk, Floor.name, Space.name)
        .join(Space, Space.id == Booking.space_id)
        .outerjoin(Floor, Floor.id == Space.floor_id)
        .where(
            Booking.site_id == site.id,
            one_of(Booking.status, ACTIVE_STATUS_VALUES),
            Booking.start_at <= now,
            Booking.end_at > now,
        )
        .order_by(Booking.start_at, Booking.id)
    )
    return [
        _BookingNow(person_id, status, is_desk, floor or "", place)
        for person_id, status, is_desk, floor, place in rows.all()
        if person_id is not None
    ]


async def _meetings_now(session: AsyncSession, site: Site, now: datetime) -> list[_BookingNow]:
    """The confirmed or checked-in meetings under way in a room of the site, once for each
    colleague invited to them and not having declined, with the room's floor and name (a
    released or cancelled one is over)."""
    rows = await session.execute(
        select(BookingParticipant.person_id, Booking.status, Floor.name, Space.name)
        .join(Booking, Booking.id == BookingParticipant.booking_id)
        .join(Space, Space.id == Booking.space_id)
        .outerjoin(Floor, Floor.id == Space.floor_id)
        .where(
            Booking.site_id == site.id,
            one_of(Booking.status, (BookingStatus.CONFIRMED.value, BookingStatus.CHECKED_IN.value)),
            Booking.start_at <= now,
            Booking.end_at > now,
            BookingParticipant.response != ParticipantResponse.DECLINED.value,
        )
        .order_by(Booking.start_at, Booking.id)
    )
    return [
        _BookingNow(person_id, status, False, floor or "", room)
        for person_id, status, floor, room in rows.all()
    ]


async def _planned_ids(session: AsyncSession, site: Site, day: date, part: str) -> set[int]:
    """People whose own day or usual weekday names the site for this half day: those whose
    presence may put them in the building (``presence.resolve_slot`` decides)."""
    site_of_part = (
        WeeklyPattern.morning_site_id
        if part == presence.PresencePart.MORNING
        else WeeklyPattern.afternoon_site_id
    )
    entries = select(WorkLocation.person_id).where(
        WorkLocation.date == day, WorkLocation.day_part == part, WorkLocation.site_id == site.id
    )
    patterns = select(WeeklyPattern.person_id).where(
        WeeklyPattern.weekday == day.weekday(), site_of_part == site.id
    )
    return set((await session.scalars(entries.union(patterns))).all())


def _phone(person: Person) -> str:
    return person.mobile or person.phone or ""


async def _people_in_building(session: AsyncSession, clock: Clock, site: Site) -> list[_Found]:
    now = clock.now()
    today, part = local_today(clock), presence.part_at(now)
    booked = _best(await _bookings_now(session, site, now))  # their own
    invited = _best(await _meetings_now(session, site, now))  # others' meetings
    candidates = await _planned_ids(session, site, today, part) | set(booked) | set(invited)
    data = await presence.load_presence(session, candidates, today, today)
    people = {
        person.id: person
        for person in await session.scalars(
            select(Person).where(Person.id.in_(candidates), Person.active.is_(True))
        )
    }
    found = []
    for person_id, person in people.items():
        booking, meeting = booked.get(person_id), invited.get(person_id)
        where = ("", "")  # the floor and the space
        if booking is not None and booking.checked_in:
            source, where = EntrySource.CHECKED_IN, (booking.floor, booking.place)
        elif meeting is not None and meeting.checked_in:
            source, where = EntrySource.MEETING, (meeting.floor, meeting.place)
        else:
            # Their own booking (a desk before a room) before a meeting they are invited to.
            expected = next(
                (held for held in (booking, meeting) if held is not None and held.expected), None
            )
            slot = presence.resolve_slot(data, person_id, today, part)
            here = slot.kind in _IN_BUILDING and slot.site_id == site.id
            if not here and (expected is None or slot.source == "entry"):
                continue  # a booking here counts unless their own day says elsewhere
            source = EntrySource.PLANNED
            if expected is not None:
                source, where = EntrySource.BOOKED, (expected.floor, expected.place)
        floor, place = where
        place = "" if person.hide_desk else place
        found.append(_Found(person.name, source, floor, place, _phone(person), person_id))
    return found


async def _visitors_in_building(session: AsyncSession, clock: Clock, site: Site) -> list[_Found]:
    arrived = await visitors.arrived_on(session, site, local_today(clock))
    if not arrived:
        return []
    floors = dict(
        (
            await session.execute(
                select(Space.id, Floor.name)
                .join(Floor, Floor.id == Space.floor_id)
                .where(Space.id.in_({visitor.space_id for visitor in arrived}))
            )
        ).all()
    )
    return [
        _Found(
            visitor.name, EntrySource.VISITOR, floors.get(visitor.space_id, ""), visitor.space_name
        )
        for visitor in arrived
    ]


# --- the roll call -----------------------------------------------------------------------


async def open_roll_call_id(session: AsyncSession, site_id: int) -> int | None:
    """The site's open roll call, if there is one."""
    return await session.scalar(
        select(RollCall.id).where(RollCall.site_id == site_id, RollCall.closed_at.is_(None))
    )


async def open_roll_calls(session: AsyncSession, actor: CurrentUser) -> dict[int, int]:
    """The open roll call of each site that has one, by site."""
    actor.require(*RESPONDERS)
    rows = await session.execute(
        select(RollCall.site_id, RollCall.id).where(RollCall.closed_at.is_(None))
    )
    return {site_id: roll_call_id for site_id, roll_call_id in rows.all()}


async def start_roll_call(
    session: AsyncSession, clock: Clock, actor: CurrentUser, site: Site
) -> RollCall:
    """Start the roll call of an evacuation of ``site``: the people and visitors Werkplek
    knows to be in the building now, frozen as its rows (checked in first, then by name).
    Refused with 409 ``roll_call_open`` at ``site`` while one is open there."""
    actor.require(*RESPONDERS)
    await lock_for_write(session)
    open_id = await open_roll_call_id(session, site.id)
    if open_id is not None:
        raise _already_open(open_id)
    found = await _people_in_building(session, clock, site)
    found += await _visitors_in_building(session, clock, site)
    found.sort(key=lambda row: row.order)
    roll_call = RollCall(site_id=site.id, started_at=clock.now(), started_by_id=actor.id)
    try:
        async with session.begin_nested():
            session.add(roll_call)
            await session.flush()
    except IntegrityError:  # another responder started one a moment ago
        open_id = await open_roll_call_id(session, site.id)
        raise _already_open(open_id or 0) from None
    session.add_all(
        RollCallEntry(
            roll_call_id=roll_call.id,
            position=position,
            person_id=row.person_id,
            name=row.name,
            floor=row.floor,
            place=row.place,
            phone=row.phone,
            source=row.source.value,
            accounted_for=False,
        )
        for position, row in enumerate(found)
    )
    await session.flush()
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="start_roll_call",
        object_type="roll_call",
        object_id=roll_call.id,
        site_id=site.id,
        expected=len(found),
    )
    return roll_call


async def get_roll_call(session: AsyncSession, actor: CurrentUser, roll_call_id: int) -> RollCall:
    actor.require(*RESPONDERS)
    roll_call = await session.get(RollCall, roll_call_id)
    if roll_call is None:
        raise NotFound(_("No such roll call."), field="roll_call")
    return roll_call


_marker = aliased(Person)


async def _entries_out(
    session: AsyncSession, roll_call_id: int, entry_id: int | None = None
) -> list[RollCallEntryOut]:
    statement = (
        select(RollCallEntry, _marker.name)
        .outerjoin(_marker, _marker.id == RollCallEntry.marked_by_id)
        .where(RollCallEntry.roll_call_id == roll_call_id)
        .order_by(RollCallEntry.position, RollCallEntry.id)
    )
    if entry_id is not None:
        statement = statement.where(RollCallEntry.id == entry_id)
    return [
        RollCallEntryOut(
            id=entry.id,
            name=entry.name,
            floor=entry.floor,
            place=entry.place,
            phone=entry.phone,
            source=entry.source,
            accounted_for=entry.accounted_for,
            marked_at=entry.marked_at,
            marked_by_name=marked_by,
        )
        for entry, marked_by in (await session.execute(statement)).all()
    ]


@dataclass(frozen=True)
class Count:
    """How many of the list are accounted for: "12 van 40 veilig"."""

    accounted_for: int
    total: int


async def count_of(session: AsyncSession, roll_call_id: int) -> Count:
    accounted, total = (
        await session.execute(
            select(
                func.count(RollCallEntry.id).filter(RollCallEntry.accounted_for.is_(True)),
                func.count(RollCallEntry.id),
            ).where(RollCallEntry.roll_call_id == roll_call_id)
        )
    ).one()
    return Count(int(accounted), int(total))


async def roll_call_out(
    session: AsyncSession, actor: CurrentUser, roll_call_id: int
) -> RollCallOut:
    """A roll call with its list in order and its count."""
    roll_call = await get_roll_call(session, actor, roll_call_id)
    site = await session.get_one(Site, roll_call.site_id)
    names = await person_names(session, (roll_call.started_by_id, roll_call.closed_by_id))
    entries = await _entries_out(session, roll_call.id)
    return RollCallOut(
        id=roll_call.id,
        site_id=site.id,
        site_name=site.name,
        started_at=roll_call.started_at,
        started_by_name=names.get(roll_call.started_by_id or 0),
        closed_at=roll_call.closed_at,
        closed_by_name=names.get(roll_call.closed_by_id or 0),
        total=len(entries),
        accounted_for=sum(entry.accounted_for for entry in entries),
        entries=entries,
    )


async def entry_out(
    session: AsyncSession, actor: CurrentUser, roll_call_id: int, entry_id: int
) -> RollCallEntryOut:
    """One row of a roll call's list."""
    roll_call = await get_roll_call(session, actor, roll_call_id)
    found = await _entries_out(session, roll_call.id, entry_id)
    if not found:
        raise NotFound(_("No such person on this roll call."), field="entry")
    return found[0]


async def mark(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    roll_call_id: int,
    entry_id: int,
    accounted_for: bool,
) -> RollCallEntry:
    """Tick someone off as seen at the assembly point (or take the tick back), noting who
    marked it and when. Refused with 409 ``roll_call_closed`` once the roll call closed."""
    await lock_for_write(session)
    roll_call = await get_roll_call(session, actor, roll_call_id)
    entry = await session.get(RollCallEntry, entry_id)
    if entry is None or entry.roll_call_id != roll_call.id:
        raise NotFound(_("No such person on this roll call."), field="entry")
    _require_open(roll_call)
    if entry.accounted_for != accounted_for:
        entry.accounted_for = accounted_for
        entry.marked_at = clock.now()
        entry.marked_by_id = actor.id
        await session.flush()
    return entry


async def add_person(
    session: AsyncSession, clock: Clock, actor: CurrentUser, roll_call_id: int, data: AddPersonIn
) -> RollCallEntry:
    """Someone not on the list, seen at the assembly point: added, accounted for, at its
    end. The name is required (422 at ``name``)."""
    await lock_for_write(session)
    roll_call = await get_roll_call(session, actor, roll_call_id)
    _require_open(roll_call)
    name = required_name(data.name)
    last = await session.scalar(
        select(func.max(RollCallEntry.position)).where(RollCallEntry.roll_call_id == roll_call.id)
    )
    entry = RollCallEntry(
        roll_call_id=roll_call.id,
        position=(last if last is not None else -1) + 1,
        name=name,
        source=EntrySource.ADDED.value,
        accounted_for=True,
        marked_at=clock.now(),
        marked_by_id=actor.id,
    )
    session.add(entry)
    await session.flush()
    return entry


async def close_roll_call(
    session: AsyncSession, clock: Clock, actor: CurrentUser, roll_call_id: int
) -> RollCall:
    """End a roll call: its list can no longer change, and its retention time starts."""
    await lock_for_write(session)
    roll_call = await get_roll_call(session, actor, roll_call_id)
    _require_open(roll_call)
    roll_call.closed_at = clock.now()
    roll_call.closed_by_id = actor.id
    count = await count_of(session, roll_call.id)
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="close_roll_call",
        object_type="roll_call",
        object_id=roll_call.id,
        site_id=roll_call.site_id,
        accounted_for=count.accounted_for,
        expected=count.total,
    )
    return roll_call


async def roll_calls_of_site(
    session: AsyncSession, actor: CurrentUser, site_id: int
) -> list[RollCall]:
    """The site's roll calls still kept, the latest first."""
    actor.require(*RESPONDERS)
    rows = await session.scalars(
        select(RollCall).where(RollCall.site_id == site_id).order_by(RollCall.started_at.desc())
    )
    return list(rows)


async def purge_roll_calls(session: AsyncSession, clock: Clock, settings: Settings) -> int:
    """Delete the roll calls (their rows with them) closed more than the retention time
    ago, and any left open that started before it."""
    cutoff = clock.now() - timedelta(days=settings.retention_roll_call_days)
    old = select(RollCall.id).where(
        or_(
            RollCall.closed_at < cutoff,
            RollCall.closed_at.is_(None) & (RollCall.started_at < cutoff),
        )
    )
    await rows_changed(session, delete(RollCallEntry).where(RollCallEntry.roll_call_id.in_(old)))
    return await rows_changed(session, delete(RollCall).where(RollCall.id.in_(old)))
