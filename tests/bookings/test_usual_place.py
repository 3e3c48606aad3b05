"""The booking pages and the plan open where one usually sits: the site and floor of the
desk last booked for one, else of one's first favourite."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import (
    NEXT_MONDAY,
    Book,
    MakeSite,
    MakeSpace,
    World,
    actor,
    desk_booking,
)
from tests.conftest import LoginAs
from werkplek.bookings import favourites
from werkplek.bookings.favourites import UsualPlace
from werkplek.clock import FixedClock
from werkplek.rooms.models import Floor, Site, Space

Client = AsyncTestClient[Litestar]


@dataclass
class FieldBase:
    site: Site
    floor: Floor
    desk: Space


@pytest.fixture
async def field_base(db: AsyncSession, make_site: MakeSite, make_space: MakeSpace) -> FieldBase:
    """A second site, a field base, with a floor, a desk and a meeting room."""
    site = await make_site("Buitendienst Noord", kind="field_base")
    floor = Floor(site_id=site.id, name="Kantine", level=0)
    db.add(floor)
    await db.commit()
    desk = await make_space(site, "Werkplek N.01", floor_id=floor.id)
    await make_space(site, "Overleg N.10", kind="meeting_room", capacity=4, floor_id=floor.id)
    return FieldBase(site, floor, desk)


async def test_the_usual_place_is_that_of_the_desk_booked_last(
    db: AsyncSession, world: World, field_base: FieldBase, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    later = desk_booking(field_base.desk, NEXT_MONDAY)
    await book(world.anna, later)

    place = await favourites.usual_place(db, world.anna.id)

    assert place == UsualPlace(field_base.site.id, field_base.floor.id)


async def test_without_bookings_the_usual_place_is_that_of_the_first_favourite(
    db: AsyncSession, world: World, field_base: FieldBase, clock: FixedClock
) -> None:
    await favourites.add_favourite(db, clock, actor(world.anna), field_base.desk.id)
    clock.set(clock.now() + timedelta(minutes=1))
    await favourites.add_favourite(db, clock, actor(world.anna), world.desk.id)

    place = await favourites.usual_place(db, world.anna.id)

    assert place == UsualPlace(field_base.site.id, field_base.floor.id)


async def test_someone_who_never_booked_nor_kept_a_desk_has_no_usual_place(
    db: AsyncSession, world: World
) -> None:
    assert await favourites.usual_place(db, world.anna.id) is None


@pytest.fixture
async def anna_at_the_field_base(
    world: World, field_base: FieldBase, login_as: LoginAs, book: Book
) -> FieldBase:
    """Anna, logged in, has booked the field base's desk: that is where she usually sits."""
    await book(world.anna, desk_booking(field_base.desk))
    await login_as(world.anna)
    return field_base


async def test_werkplek_boeken_opens_at_the_usual_site_and_floor(
    client: Client, anna_at_the_field_base: FieldBase
) -> None:
    page = (await client.get("/book/desk")).text

    assert f'<option value="{anna_at_the_field_base.site.id}" selected>' in page
    assert f'<option value="{anna_at_the_field_base.floor.id}" selected>' in page


async def test_werkplek_boeken_keeps_a_site_asked_for_with_all_floors(
    client: Client, world: World, anna_at_the_field_base: FieldBase
) -> None:
    page = (await client.get("/book/desk", params={"site": world.site.id})).text

    floors = re.search(r'<select id="floor".*?</select>', page, re.DOTALL)
    assert floors is not None and "selected" not in floors.group()


async def test_ruimte_boeken_opens_at_the_usual_site(
    client: Client, anna_at_the_field_base: FieldBase
) -> None:
    page = (await client.get("/book/room")).text

    assert f'<option value="{anna_at_the_field_base.site.id}" selected>' in page
