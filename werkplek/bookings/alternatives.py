"""What to book instead when a room booking is refused.

A single room booking refused because the room is taken then (``booking_conflict``) or
too small (``over_capacity``) comes with alternatives: other rooms of the same site and
kind free for exactly that time, and other times that day the room itself is free for as
long. They come from ``room_availability`` and ``rooms_free_between``, so the rules that
decide what the room page shows free decide them too: opening hours, closures of the site
and of the room, team restrictions (those of the person it is for, unless facilities book)
and the time already past. A room that needs approval is offered, marked as such: booked,
it waits for facilities as any booking of it does. A resident room is only offered with at
least the safety features of the room refused (alarm button, second exit, line of sight):
whoever meets a resident there counts on them.

Computed only after a refusal, in a fixed number of queries, so booking pays nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.bookings import services
from werkplek.bookings.availability import interval_out, room_availability, rooms_free_between
from werkplek.bookings.schemas import AlternativeRoomOut, AlternativesOut, BookingIn, IntervalOut
from werkplek.clock import Clock
from werkplek.errors import DomainError
from werkplek.people.models import Person, Role
from werkplek.people.services import CurrentUser, current_user_for
from werkplek.rooms.models import Amenity, Floor, SafetyFeature, SpaceKind
from werkplek.rooms.services import closures_between, site_day

MAX_ALTERNATIVES = 3
"""How many rooms, and how many times, are offered at most."""
TIME_STEP = timedelta(minutes=15)
"""Other times are the start asked for moved by whole quarters of an hour (the forms'
step)."""
OFFERED_FOR = frozenset({"booking_conflict", "over_capacity"})
"""The refusals that come with alternatives."""


def offers_alternatives(exc: DomainError, data: BookingIn) -> bool:
    """Whether the refusal of ``data`` comes with alternatives: a single room booking
    (by start and end, no recurrence) refused as taken or too small."""
    return (
        exc.code in OFFERED_FOR
        and data.start is not None
        and data.end is not None
        and data.recurrence is None
    )


NO_ALTERNATIVES = AlternativesOut(rooms=[], times=[])


async def _booking_for(
    session: AsyncSession, actor: CurrentUser, data: BookingIn
) -> CurrentUser | None:
    """Whose team restrictions decide which rooms are offered: the actor's when they book
    for themselves or are facilities (who may place anyone anywhere), else those of the
    colleague it is for; None when the actor may not book for them."""
    if data.booked_for_id is None or data.booked_for_id == actor.id:
        return actor
    person = await session.get(Person, data.booked_for_id)
    if person is None or not person.active:
        return None
    if not await services.may_book_for(session, actor, person.id):
        return None
    return actor if actor.has_role(Role.FACILITIES) else current_user_for(person)


async def room_alternatives(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    data: BookingIn,
    *,
    amenities: Sequence[Amenity] = (),
    safety_features: Sequence[SafetyFeature] = (),
) -> AlternativesOut:
    """Up to three other rooms and up to three other times for the refused room booking
    ``data``: rooms of the same site and kind free for all of its time that hold its
    people (and its participants) and have ``amenities`` and ``safety_features`` (for a
    resident room also every safety feature of the room refused), the fewest seats first,
    then those on the same floor; and times that day its room is free for as long, the
    nearest to its start first (none when the room is too small anyway).

    As many queries however many rooms the site has: the room with its site, the site's
    closures that day, the colleague it is for (with their teams, and whether the actor
    may book for them) when that is someone else, ``room_availability``'s three, the
    floors' names.
    """
    try:
        space, site = await services.load_space(session, data.space_id)
        zone = ZoneInfo(site.timezone)
        local_start, local_end = services.room_times(data, zone)
    except DomainError:
        return NO_ALTERNATIVES
    day = local_start.date()
    kind = SpaceKind(space.kind)
    if kind.is_desk or local_end.date() != day:
        return NO_ALTERNATIVES
    holder = await _booking_for(session, actor, data)
    if holder is None:
        return NO_ALTERNATIVES
    others = set(data.participants or ()) - {data.booked_for_id or actor.id}
    seats = max(data.attendees, len(others) + 1)
    availability = await room_availability(
        session,
        clock,
        holder,
        site.id,
        day,
        kinds=[kind],
        min_capacity=seats,
        site_and_day=(
            site,
            site_day(site, day, await closures_between(session, site.id, day, day)),
        ),
    )
    if availability.not_bookable is not None:
        return NO_ALTERNATIVES
    start, end = local_start.astimezone(UTC), local_end.astimezone(UTC)
    wanted = {a.value for a in amenities} | {f.value for f in safety_features}
    if kind is SpaceKind.RESIDENT_ROOM:
        wanted |= set(space.safety_features)
    rooms: list[AlternativeRoomOut] = []
    now = clock.now()
    # A meeting that has just begun may still be booked; one that began earlier, not.
    if start >= now - services.ROOM_START_GRACE and end > now:
        candidates = [
            room
            for room in availability.rooms
            if room.space_id != space.id and wanted <= {*room.amenities, *room.safety_features}
        ]
        free = rooms_free_between(candidates, max(start, now), end)
        free.sort(key=lambda room: (room.capacity, room.floor_id != space.floor_id))
        chosen = free[:MAX_ALTERNATIVES]
        floor_ids = {room.floor_id for room in chosen if room.floor_id is not None}
        floors: dict[int, str] = {}
        if floor_ids:
            names = await session.execute(
                select(Floor.id, Floor.name).where(Floor.id.in_(floor_ids))
            )
            floors = {floor_id: name for floor_id, name in names}
        needs_approval = not actor.has_role(Role.FACILITIES)
        rooms = [
            AlternativeRoomOut(
                space_id=room.space_id,
                name=room.name,
                capacity=room.capacity,
                floor=floors.get(room.floor_id) if room.floor_id is not None else None,
                requires_approval=room.requires_approval and needs_approval,
            )
            for room in chosen
        ]
    asked = next((room for room in availability.rooms if room.space_id == space.id), None)
    times = other_times(asked.free, start, end, zone) if asked is not None else []
    return AlternativesOut(rooms=rooms, times=times)


def other_times(
    free: Sequence[IntervalOut], start: datetime, end: datetime, zone: ZoneInfo
) -> list[IntervalOut]:
    """Up to three times as long as [start, end) within the ``free`` intervals, each the
    start moved by whole quarters of an hour: the nearest first, the earlier of two as
    near."""
    if not free:
        return []
    length = end - start
    first, last = free[0].start, free[-1].end
    found: list[IntervalOut] = []
    shift = TIME_STEP
    while len(found) < MAX_ALTERNATIVES and (start - shift >= first or start + shift < last):
        for moved in (start - shift, start + shift):
            if any(span.start <= moved and moved + length <= span.end for span in free):
                found.append(interval_out(moved, moved + length, zone))
        shift += TIME_STEP
    return found[:MAX_ALTERNATIVES]
