"""Favourite desks: the few desks someone likes to sit at, listed first when they book.

A favourite is a person's own choice: nobody else sees or sets it, so changing one is
not audited. A desk that is removed takes its favourites with it; one that is taken out
of use stays a favourite and shows again once it is back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.bookings.models import FavouriteDesk
from werkplek.bookings.schemas import FavouriteDeskOut
from werkplek.bookings.services import DESK_KINDS
from werkplek.clock import Clock
from werkplek.errors import InvalidInput
from werkplek.i18n import _
from werkplek.people.services import CurrentUser
from werkplek.rooms.models import Floor, Site, Space

#: Enough for one's usual desks on each floor one works at; a list of all would not help.
MAX_FAVOURITES = 10

_DESK_KIND_VALUES = tuple(kind.value for kind in DESK_KINDS)


class TooManyFavourites(InvalidInput):
    code = "too_many_favourites"


class NotADesk(InvalidInput):
    code = "not_a_desk"


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
    """Keep a desk as a favourite; keeping one twice changes nothing."""
    kind = await session.scalar(select(Space.kind).where(Space.id == space_id))
    if kind is None:
        raise InvalidInput(_("No such space."), field="space_id", code="unknown_space")
    if kind not in _DESK_KIND_VALUES:
        raise NotADesk(
            _("Only desks can be favourites; rooms are booked by time."), field="space_id"
        )
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


class _Desk(Protocol):
    @property
    def space_id(self) -> int: ...


D = TypeVar("D", bound=_Desk)


def favourites_first(desks: Sequence[D], favourite_ids: set[int]) -> list[D]:
    """The desks with one's favourites first, each group in its own order."""
    return sorted(desks, key=lambda desk: desk.space_id not in favourite_ids)
