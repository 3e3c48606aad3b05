"""A site's page lists its spaces floor by floor and can narrow them to a floor, a kind
or part of the name: a town hall has a thousand desks and rooms."""

from __future__ import annotations

from typing import NamedTuple

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import LoginAs, MakeFloor, MakePerson, MakeSite, MakeSpace
from werkplek.people.models import Role
from werkplek.rooms.models import Floor, Site

Client = AsyncTestClient[Litestar]


class TownHall(NamedTuple):
    site: Site
    ground: Floor


@pytest.fixture
async def town_hall(
    make_site: MakeSite,
    make_floor: MakeFloor,
    make_space: MakeSpace,
    make_person: MakePerson,
    login_as: LoginAs,
) -> TownHall:
    """A town hall with a desk and a meeting room on the ground floor, a desk on the first
    floor and a resident room on no floor, and facilities staff logged in."""
    site = await make_site()
    ground = await make_floor(site, "Begane grond")
    first = await make_floor(site, "Eerste verdieping")
    await make_space(site, "Flexplek 0.01", floor_id=ground.id)
    await make_space(site, "Overleg Grutto", kind="meeting_room", capacity=6, floor_id=ground.id)
    await make_space(site, "Flexplek 1.01", floor_id=first.id)
    await make_space(site, "Spreekkamer A", kind="resident_room", capacity=3)
    await login_as(await make_person("Fenna Facilitair", roles=(Role.FACILITIES,)))
    return TownHall(site, ground)


async def spaces_listed(client: Client, town_hall: TownHall, **filters: str | int) -> str:
    page = (await client.get(f"/admin/sites/{town_hall.site.id}", params=filters)).text
    return " ".join(page[page.index('id="spaces-title"') :].split())


async def test_the_spaces_are_listed_floor_by_floor_then_those_on_no_floor(
    client: Client, town_hall: TownHall
) -> None:
    page = await spaces_listed(client, town_hall)

    order = [
        page.index('scope="rowgroup" colspan="6">Begane grond</th>'),
        page.index(">Flexplek 0.01</a>"),
        page.index('scope="rowgroup" colspan="6">Eerste verdieping</th>'),
        page.index(">Flexplek 1.01</a>"),
        page.index('scope="rowgroup" colspan="6">Niet op een verdieping</th>'),
        page.index(">Spreekkamer A</a>"),
    ]
    assert order == sorted(order)


async def test_the_spaces_can_be_narrowed_to_one_floor(client: Client, town_hall: TownHall) -> None:
    page = await spaces_listed(client, town_hall, floor=town_hall.ground.id)

    assert ">Flexplek 0.01</a>" in page
    assert ">Flexplek 1.01</a>" not in page
    assert "2 van 4 ruimtes." in page


async def test_the_spaces_can_be_narrowed_to_one_kind(client: Client, town_hall: TownHall) -> None:
    page = await spaces_listed(client, town_hall, kind="meeting_room")

    assert ">Overleg Grutto</a>" in page
    assert ">Flexplek 0.01</a>" not in page


async def test_the_spaces_can_be_found_by_part_of_the_name_in_any_case(
    client: Client, town_hall: TownHall
) -> None:
    page = await spaces_listed(client, town_hall, q="  FLEXPLEK 1 ")

    assert ">Flexplek 1.01</a>" in page
    assert ">Flexplek 0.01</a>" not in page


async def test_filters_that_match_nothing_say_so(client: Client, town_hall: TownHall) -> None:
    page = await spaces_listed(client, town_hall, q="zolder")

    assert "Geen ruimtes voldoen aan deze filters." in page


async def test_a_closure_for_one_space_offers_the_spaces_floor_by_floor(
    client: Client, town_hall: TownHall
) -> None:
    page = (await client.get(f"/admin/sites/{town_hall.site.id}")).text

    ground = page.index('<optgroup label="Begane grond">')
    assert ground < page.index(">Overleg Grutto</option>") < page.index('<optgroup label="Eerste')
