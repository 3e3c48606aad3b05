"""The plan opens on the floor where one usually sits, when that floor has a plan."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import MakeSpace, actor
from tests.conftest import LoginAs
from tests.floorplans.conftest import Office, add_plan
from werkplek.bookings import favourites
from werkplek.clock import FixedClock
from werkplek.rooms.models import Floor

Client = AsyncTestClient[Litestar]


async def _second_floor_kept(
    db: AsyncSession, office: Office, make_space: MakeSpace, clock: FixedClock
) -> Floor:
    """A second floor whose desk Anna keeps as her favourite."""
    floor = Floor(site_id=office.site.id, name="Tweede verdieping", level=2)
    db.add(floor)
    await db.commit()
    desk = await make_space(office.site, "Flexplek 2.01", floor_id=floor.id)
    await favourites.add_favourite(db, clock, actor(office.anna), desk.id)
    return floor


async def test_the_plan_opens_on_the_usual_floor(
    client: Client,
    db: AsyncSession,
    office: Office,
    make_space: MakeSpace,
    clock: FixedClock,
    login_as: LoginAs,
) -> None:
    await add_plan(db, office.floor)
    usual = await _second_floor_kept(db, office, make_space, clock)
    await add_plan(db, usual)
    await login_as(office.anna)

    page = (await client.get("/plan")).text

    assert f'<option value="{usual.id}" selected>Tweede verdieping</option>' in page


async def test_the_plan_opens_on_a_floor_with_a_plan_when_the_usual_one_has_none(
    client: Client,
    db: AsyncSession,
    office: Office,
    make_space: MakeSpace,
    clock: FixedClock,
    login_as: LoginAs,
) -> None:
    await add_plan(db, office.floor)
    await _second_floor_kept(db, office, make_space, clock)
    await login_as(office.anna)

    page = (await client.get("/plan")).text

    assert f'<option value="{office.floor.id}" selected>Eerste verdieping</option>' in page
