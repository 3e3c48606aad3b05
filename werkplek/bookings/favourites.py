"""Favourite desks: the few desks someone likes to sit at, listed first when they book.

A favourite is a person's own choice: nobody else sees or sets it, so changing one is
not audited. A desk that is removed takes its favourites with it; one that is taken out
of use stays a favourite and shows again once it is back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.bookings import services as bookings
from werkplek.bookings.availability import desk_availability, first_day_part, first_open_day
from werkplek.bookings.models import Booking, FavouriteDesk
from werkplek.bookings.schemas import DeskStatusOut, FavouriteDeskOut
from werkplek.clock import Clock, local_today
from werkplek.errors import InvalidInput
from werkplek.i18n import _
from werkplek.people.services import CurrentUser
from werkplek.rooms.models import Floor, Site, Space
from werkplek.rooms.services import DayPart

#: Enough for one's usual desks on each floor one works at; a list of all would not help.
MAX_FAVOURITES = 10
#: How far the home page looks for a day without a desk: beyond any site's booking horizon.
LOOK_AHEAD = timedelta(days=366)

_DESK_KIND_VALUES = tuple(kind.value for kind in bookings.DESK_KINDS)


class TooManyFavourites(InvalidInput):
    code = "too_many_favourites"


class NotADesk(InvalidInput):
    code = "not_a_desk"


@dataclass(frozen=True)
class UsualPlace:
    """Where someone usually sits: a site, and the floor (None for a desk on no floor)."""

    site_id: int
    floor_id: int | None


async def usual_place(session: AsyncSession, person_id: int) -> UsualPlace | None:
    """The site and floor of the desk last booked for the person, else of their first
    favourite; None for someone with neither. The booking pages and the plan open there,
    so that someone at a field base does not start at the town hall every time."""
    where = select(Space.site_id, Space.floor_id).where(Space.active.is_(True)).limit(1)
    last_booked = (
        where.join(Booking, Booking.space_id == Space.id)
        .where(Booking.booked_for_id == person_id, Booking.is_desk.is_(True))
        .order_by(Booking.created_at.desc(), Booking.id.desc())
    )
    first_favourite = (
        where.join(FavouriteDesk, FavouriteDesk.space_id == Space.id)
        .where(FavouriteDesk.person_id == person_id)
        .order_by(FavouriteDesk.created_at, Space.id)
    )
    for statement in (last_booked, first_favourite):
        row = (await session.execute(statement)).first()
        if row is not None:
            return UsualPlace(row.site_id, row.floor_id)
    return None


async def favourite_desk_ids(session: AsyncSession, person_id: int) -> set[int]:
    rows = await session.execute(
        select(FavouriteDesk.space_id).where(FavouriteDesk.person_id == person_id)
    )
    return set(rows.scalars())


async def list_favourites(session: AsyncSession, user: CurrentUser) -> list[FavouriteDeskOut]:
    """One's favourite desks by site and name, whether in use at the moment or not."""
    rows = await session.execute(
        select(Space.id, Space.name, Space.active, Site.id, Site.name, Floor.name)
        .join(FavouriteDesk, FavouriteDesk.space_id == Space.id)
        .join(Site, Site.id == Space.site_id)
        .outerjoin(Floor, Floor.id == Space.floor_id)
        .where(FavouriteDesk.person_id == user.id)
        .order_by(Site.name, Space.name, Space.id)
    )
    return [
        FavouriteDeskOut(
            space_id=space_id,
            name=name,
            active=active,
            site_id=site_id,
            site_name=site_name,
            floor_name=floor_name,
        )
        for space_id, name, active, site_id, site_name, floor_name in rows
    ]


async def add_favourite(
    session: AsyncSession, clock: Clock, user: CurrentUser, space_id: int
) -> None:
    """Keep a desk as a favourite; keeping one twice changes nothing. Only a desk one
    could book now: in use, at a site in use, and not reserved for teams one is not in
    (facilities may book any), refused at ``space_id`` as booking it would be."""
    space, _site = await bookings.load_space(session, space_id)
    if space.kind not in _DESK_KIND_VALUES:
        raise NotADesk(
            _("Only desks can be favourites; rooms are booked by time."), field="space_id"
        )
    bookings.require_bookable_by(space, user)
    held = await favourite_desk_ids(session, user.id)
    if space_id in held:
        return
    if len(held) >= MAX_FAVOURITES:
        raise TooManyFavourites(
            _(
                "You can keep at most %(limit)s favourite desks; remove one first.",
                limit=MAX_FAVOURITES,
            ),
            field="space_id",
        )
    try:
        async with session.begin_nested():  # the same desk kept at once from another tab
            session.add(FavouriteDesk(person_id=user.id, space_id=space_id, created_at=clock.now()))
    except IntegrityError:
        return


async def remove_favourite(session: AsyncSession, user: CurrentUser, space_id: int) -> None:
    """No longer keep a desk as a favourite; removing one that is not changes nothing."""
    await session.execute(
        delete(FavouriteDesk).where(
            FavouriteDesk.person_id == user.id, FavouriteDesk.space_id == space_id
        )
    )


@dataclass(frozen=True)
class FavouritesToBook:
    """One's favourite desks at a site on the first day one can still book there and holds
    no desk yet, in the day part a booking page would offer."""

    site_id: int
    site_name: str
    day: date
    day_part: DayPart
    desks: list[DeskStatusOut]


#: The days from one date through another on which someone is away (absent both half
#: days), asked only of someone with favourites.
DaysAway = Callable[[date, date], Awaitable[set[date]]]


async def favourites_to_book(
    session: AsyncSession, clock: Clock, user: CurrentUser, days_away: DaysAway | None = None
) -> list[FavouritesToBook]:
    """Per site with active favourites, those desks on the first open day (today until
    the site closes) on which the user holds no desk and is not away, with their state
    then."""
    rows = await session.execute(
        select(Space.site_id, Space.id)
        .join(FavouriteDesk, FavouriteDesk.space_id == Space.id)
        .where(FavouriteDesk.person_id == user.id, Space.active.is_(True))
    )
    by_site: dict[int, set[int]] = defaultdict(set)
    for site_id, space_id in rows:
        by_site[site_id].add(space_id)
    if not by_site:
        return []
    today = local_today(clock)
    held = await bookings.desk_bookings_between(session, [user.id], today, today + LOOK_AHEAD)
    skipped = {booking.date for booking in held}
    if days_away is not None:
        skipped |= await days_away(today, today + LOOK_AHEAD)
    found = []
    for site_id, space_ids in sorted(by_site.items()):
        day = await first_open_day(session, clock, site_id, skip=skipped)
        if day in skipped:
            continue  # a desk, or away, on every day left to book there
        availability = await desk_availability(session, clock, user, site_id, day)
        if not availability.day.is_open or availability.not_bookable:
            continue  # closed on every day left to book
        found.append(
            FavouritesToBook(
                site_id=site_id,
                site_name=availability.site.name,
                day=day,
                day_part=first_day_part(availability, clock.now()),
                desks=[desk for desk in availability.desks if desk.space_id in space_ids],
            )
        )
    return found
