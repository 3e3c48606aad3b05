"""Werkplek boeken lists a site's desks under headings: one's favourites, then floor by
floor, then the desks on no floor, each heading with how many of its desks are free."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import TOMORROW, MakeSpace, World
from tests.conftest import LoginAs
from werkplek.bookings.availability import DeskGroup, desk_groups
from werkplek.bookings.schemas import DeskStatusOut
from werkplek.rooms.models import Floor, SpaceKind
from werkplek.rooms.services import DayPart

Client = AsyncTestClient[Litestar]

GROUND = Floor(id=10, name="Begane grond", level=0)
FIRST = Floor(id=11, name="Eerste verdieping", level=1)


def desk(space_id: int, floor: Floor | None, morning: str = "free") -> DeskStatusOut:
    return DeskStatusOut(
        space_id=space_id,
        name=f"Flexplek {space_id}",
        kind=SpaceKind.DESK,
        floor_id=floor.id if floor is not None else None,
        zone_id=None,
        amenities=[],
        morning=morning,
        afternoon="free",
        day=morning,
    )


def ids(group: DeskGroup) -> list[int]:
    return [desk.space_id for desk in group.listed]


def test_favourites_come_first_then_each_floor_in_the_order_given() -> None:
    desks = [desk(1, FIRST), desk(2, GROUND), desk(3, FIRST), desk(4, GROUND)]

    groups = desk_groups(desks, [GROUND, FIRST], {3}, DayPart.DAY)

    assert [(group.favourites, group.floor) for group in groups] == [
        (True, None),
        (False, GROUND),
        (False, FIRST),
    ]
    assert [ids(group) for group in groups] == [[3], [2, 4], [1]]


def test_desks_on_no_floor_come_last_in_a_group_of_their_own() -> None:
    groups = desk_groups([desk(1, None), desk(2, GROUND)], [GROUND], set(), DayPart.DAY)

    assert [(group.floor, ids(group)) for group in groups] == [(GROUND, [2]), (None, [1])]


def test_a_floor_without_desks_makes_no_group() -> None:
    groups = desk_groups([desk(1, FIRST)], [GROUND, FIRST], set(), DayPart.DAY)

    assert [group.floor for group in groups] == [FIRST]


def test_a_group_knows_which_of_its_desks_are_free_for_the_day_part() -> None:
    desks = [desk(1, GROUND), desk(2, GROUND, morning="taken")]

    (group,) = desk_groups(desks, [GROUND], set(), DayPart.MORNING)

    assert [free.space_id for free in group.free] == [1]
    assert ids(group) == [1, 2]


def test_listing_only_free_desks_leaves_out_a_group_without_one() -> None:
    desks = [desk(1, GROUND, morning="taken"), desk(2, FIRST)]

    groups = desk_groups(desks, [GROUND, FIRST], set(), DayPart.MORNING, only_free=True)

    assert [(group.floor, ids(group)) for group in groups] == [(FIRST, [2])]


# --- the page -----------------------------------------------------------------------------


@pytest.fixture
async def ground_floor_desk(db: AsyncSession, world: World, make_space: MakeSpace) -> None:
    """The world's site gets a ground floor with one desk, beside its first floor."""
    ground = Floor(site_id=world.site.id, name="Begane grond", level=0)
    db.add(ground)
    await db.commit()
    await make_space(world.site, "Flexplek 0.01", floor_id=ground.id)


async def all_floors(client: Client, world: World) -> str:
    params = {"site": world.site.id, "date": TOMORROW.isoformat()}
    return " ".join((await client.get("/book/desk", params=params)).text.split())


async def test_all_floors_list_each_floor_under_its_name_with_its_free_desks(
    client: Client, world: World, login_as: LoginAs, ground_floor_desk: None
) -> None:
    await login_as(world.anna)

    page = await all_floors(client, world)

    ground = page.index('scope="rowgroup"> Begane grond')
    first = page.index('scope="rowgroup"> Eerste verdieping')
    assert ground < page.index(" Flexplek 0.01</th>") < first < page.index(" Flexplek 1.01</th>")
    assert 'Eerste verdieping <span class="desk-group-count">3 van de 3 werkplekken vrij.' in page


async def test_one_floor_without_favourites_is_listed_without_a_heading(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    page = await all_floors(client, world)

    assert " Flexplek 1.01</th>" in page
    assert 'scope="rowgroup"' not in page
