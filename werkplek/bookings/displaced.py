"""Facilities closing a place frees the bookings held there.

A closure of a site or space, or a site or space taken out of use, cancels the bookings there
that have not begun, in the same transaction, and tells their holders why (a mail with
the cancelled invite, a webhook). Bookings depend on rooms, not the other way round, so
the sites pages and API call these instead of ``rooms.services.add_closure``,
``save_site`` and ``save_space``, as the people pages call ``bookings.leavers``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.bookings.models import Booking
from werkplek.bookings.services import cancel_displaced_bookings
from werkplek.clock import Clock
from werkplek.db import lock_for_write
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


async def add_closure(
    session: AsyncSession, clock: Clock, actor: CurrentUser, site_id: int, data: ClosureIn
) -> ClosureAdded:
    """``rooms.services.add_closure``, and the bookings on the closed days (of the site or
    the one space) that have not begun are cancelled."""
    await lock_for_write(session)
    closure = await rooms.add_closure(session, clock, actor, site_id, data)
    site = await rooms.get_site(session, site_id)
    zone = ZoneInfo(site.timezone or "Europe/Amsterdam")
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
    """``rooms.services.save_space``; a space taken out of use (no longer active) loses
    its bookings that have not begun. Bringing it back brings none of them back."""
    await lock_for_write(session)
    was_active = space_id is not None and (await rooms.get_space(session, space_id)).active
    space = await rooms.save_space(session, clock, actor, data, space_id)
    if not (was_active and not space.active):
        return SpaceSaved(space)
    cancelled = await cancel_displaced_bookings(
        session, clock, actor, [Booking.space_id == space.id], reason="space_withdrawn"
    )
    return SpaceSaved(space, cancelled)
