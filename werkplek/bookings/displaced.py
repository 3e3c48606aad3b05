"""Facilities closing a place frees the bookings held there.

A closure of a site or space, a site or space taken out of use, or a space restricted to
other teams or made smaller, cancels the bookings there that have not begun and that the
change rules out, in the same transaction, and tells their holders why (a mail with the
cancelled invite, a webhook). Bookings depend on rooms, not the other way round, so
the sites pages and API call these instead of ``rooms.services.add_closure``,
``save_site`` and ``save_space``, as the people pages call ``werkplek.leavers``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import select, union
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.bookings.models import Booking
from werkplek.bookings.services import cancel_displaced_bookings
from werkplek.clock import Clock, zone_named
from werkplek.db import lock_for_write
from werkplek.people.models import PersonRole, Role, TeamMembership
from werkplek.people.services import CurrentUser
from werkplek.rooms import services as rooms
from werkplek.rooms.models import Closure, Site, Space
from werkplek.rooms.schemas import ClosureIn, SiteIn, SpaceIn


@dataclass
class ClosureAdded:
    closure: Closure
    cancelled: list[Booking] = field(default_factory=list)


@dataclass
class SiteSaved:
    site: Site
    cancelled: list[Booking] = field(default_factory=list)


@dataclass
class SpaceSaved:
    space: Space
    cancelled: list[Booking] = field(default_factory=list)


class CancellingNotConfirmed(Exception):
    """Adding a closure would cancel ``count`` bookings, which the page asks to confirm
    first: a mistyped year cancels a year of bookings, and mails every holder."""

    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


async def add_closure(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    site_id: int,
    data: ClosureIn,
    *,
    cancelling_confirmed: bool = True,
) -> ClosureAdded:
    """``rooms.services.add_closure``, and the bookings on the closed days (of the site or
    the one space) that have not begun are cancelled. Without ``cancelling_confirmed`` a
    closure that would cancel any is not added: ``CancellingNotConfirmed`` says how many
    (checked by adding it in a savepoint that is rolled back, so every rule is the same)."""
    await lock_for_write(session)
    if cancelling_confirmed:
        return await _add_closure(session, clock, actor, site_id, data)
    async with session.begin_nested():
        added = await _add_closure(session, clock, actor, site_id, data)
        if added.cancelled:
            raise CancellingNotConfirmed(len(added.cancelled))
    return added


async def _add_closure(
    session: AsyncSession, clock: Clock, actor: CurrentUser, site_id: int, data: ClosureIn
) -> ClosureAdded:
    closure = await rooms.add_closure(session, clock, actor, site_id, data)
    site = await rooms.get_site(session, site_id)
    zone = zone_named(site.timezone)
    first = datetime.combine(closure.starts_on, time(0), zone)
    after = datetime.combine(closure.ends_on + timedelta(days=1), time(0), zone)
    place = (
        Booking.site_id == site_id
        if closure.space_id is None
        else (Booking.space_id == closure.space_id)
    )
    cancelled = await cancel_displaced_bookings(
        session,
        clock,
        actor,
        [place, Booking.start_at < after, Booking.end_at > first],
        reason="closure",
        explanation=closure.reason,
    )
    return ClosureAdded(closure, cancelled)


async def save_site(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    data: SiteIn,
    site_id: int | None = None,
) -> SiteSaved:
    """``rooms.services.save_site``; a site taken out of use (no longer active) loses the
    bookings there that have not begun. Bringing it back brings none of them back."""
    await lock_for_write(session)
    was_active = site_id is not None and (await rooms.get_site(session, site_id)).active
    site = await rooms.save_site(session, clock, actor, data, site_id)
    if not (was_active and not site.active):
        return SiteSaved(site)
    cancelled = await cancel_displaced_bookings(
        session, clock, actor, [Booking.site_id == site.id], reason="site_withdrawn"
    )
    return SiteSaved(site, cancelled)


async def save_space(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    data: SpaceIn,
    space_id: int | None = None,
) -> SpaceSaved:
    """``rooms.services.save_space``, and the bookings of the space that have not begun and
    that the change makes break its rules are cancelled, their holders told why:

    - taken out of use (no longer active): all of them (``space_withdrawn``);
    - restricted to other teams than before: those of holders the change rules out, who
      were allowed before (the space was open to all, or they were in one of its former
      teams) and are in none of its teams now, facilities and administrators aside
      (``space_restricted``); a booking facilities made for someone outside its teams was
      meant so, and stays when the teams change;
    - its capacity lowered: those for more attendees than it now holds
      (``space_capacity``).

    An administrator narrowing a space means the room to be ready for those it is now
    for, so a booking that a new request would be refused is not left to turn up; its
    holder learns in time to book elsewhere. Undoing the change brings none back."""
    await lock_for_write(session)
    old = await rooms.get_space(session, space_id) if space_id is not None else None
    was = (old.active, set(old.team_ids), old.capacity) if old is not None else None
    space = await rooms.save_space(session, clock, actor, data, space_id)
    if was is None:
        return SpaceSaved(space)
    was_active, old_teams, old_capacity = was
    if was_active and not space.active:
        cancelled = await cancel_displaced_bookings(
            session, clock, actor, [Booking.space_id == space.id], reason="space_withdrawn"
        )
        return SpaceSaved(space, cancelled)
    cancelled = []
    teams = set(space.team_ids)
    if teams and teams != old_teams:
        admitted = union(
            select(TeamMembership.person_id).where(TeamMembership.team_id.in_(teams)),
            select(PersonRole.person_id).where(
                PersonRole.role.in_([Role.FACILITIES.value, Role.ADMIN.value])
            ),
        )
        ruled_out = [Booking.space_id == space.id, Booking.booked_for_id.not_in(admitted)]
        if old_teams:  # not open to all before: only its former teams' members lose out
            former = select(TeamMembership.person_id).where(TeamMembership.team_id.in_(old_teams))
            ruled_out.append(Booking.booked_for_id.in_(former))
        cancelled += await cancel_displaced_bookings(
            session, clock, actor, ruled_out, reason="space_restricted"
        )
    if space.capacity < old_capacity:
        cancelled += await cancel_displaced_bookings(
            session,
            clock,
            actor,
            [Booking.space_id == space.id, Booking.attendees > space.capacity],
            reason="space_capacity",
        )
    return SpaceSaved(space, cancelled)
