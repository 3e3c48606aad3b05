"""Filtering the plan by amenity: every desk stays where it stands, those lacking an
amenity asked for are pale on the plan and left out of the list."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import TOMORROW, count_bookings
from tests.floorplans.conftest import Office, actor, add_plan
from werkplek.floorplans import services
from werkplek.rooms.models import Amenity
from werkplek.rooms.services import DayPart


@pytest.fixture
async def sit_stand_office(db: AsyncSession, office: Office) -> Office:
    """Flexplek 1.02 is the floor's one sit-stand desk, with a screen."""
    office.desk2.amenities = ["sit_stand", "screen"]
    await db.commit()
    return office


def plan_query(office: Office, *amenities: str) -> str:
    query = f"floor={office.floor.id}&date={TOMORROW.isoformat()}&day_part=morning"
    return query + "".join(f"&amenity={amenity}" for amenity in amenities)


async def matches(db: AsyncSession, office: Office, clock: Any, *amenities: Amenity) -> set[str]:
    state = await services.floor_state(
        db, clock, actor(office.anna), office.floor.id, TOMORROW, DayPart.MORNING, amenities
    )
    return {desk.name for desk in state.out.desks if desk.matches}


async def test_only_desks_with_every_chosen_amenity_match(
    db: AsyncSession, sit_stand_office: Office, clock: Any
) -> None:
    chosen = (Amenity.SIT_STAND, Amenity.SCREEN)
    assert await matches(db, sit_stand_office, clock, *chosen) == {"Flexplek 1.02"}


async def test_a_desk_lacking_one_of_the_chosen_amenities_does_not_match(
    db: AsyncSession, sit_stand_office: Office, clock: Any
) -> None:
    chosen = (Amenity.SIT_STAND, Amenity.WHEELCHAIR)
    assert await matches(db, sit_stand_office, clock, *chosen) == set()


async def test_every_desk_matches_when_no_amenity_is_chosen(
    db: AsyncSession, sit_stand_office: Office, clock: Any
) -> None:
    assert len(await matches(db, sit_stand_office, clock)) == 3


async def test_the_plan_pales_the_desks_lacking_a_chosen_amenity(
    client: AsyncTestClient[Any], db: AsyncSession, sit_stand_office: Office, login_as: Any
) -> None:
    await add_plan(db, sit_stand_office.floor)
    await login_as(sit_stand_office.anna)
    response = await client.get(f"/plan/live?{plan_query(sit_stand_office, 'sit_stand')}")
    assert response.text.count("plan-desk-unmatched") == 1  # 1.01; 1.03 is not placed
    assert "Flexplek 1.01: Vrij · mist een gekozen voorziening" in response.text
    assert "1 van 1 werkplek met deze voorzieningen vrij." in response.text


async def test_the_plans_polling_keeps_the_chosen_amenities(
    client: AsyncTestClient[Any], db: AsyncSession, sit_stand_office: Office, login_as: Any
) -> None:
    await add_plan(db, sit_stand_office.floor)
    await login_as(sit_stand_office.anna)
    response = await client.get(f"/plan?{plan_query(sit_stand_office, 'sit_stand')}")
    polled = plan_query(sit_stand_office, "sit_stand").replace("&", "&amp;")
    assert f'hx-get="/plan/live?{polled}"' in response.text


async def test_choosing_an_amenity_changes_the_live_layers_tag(
    client: AsyncTestClient[Any], db: AsyncSession, sit_stand_office: Office, login_as: Any
) -> None:
    await add_plan(db, sit_stand_office.floor)
    await login_as(sit_stand_office.anna)
    unfiltered = await client.get(f"/plan/live?{plan_query(sit_stand_office)}")
    filtered = await client.get(
        f"/plan/live?{plan_query(sit_stand_office, 'sit_stand')}",
        headers={"If-None-Match": unfiltered.headers["etag"]},
    )
    assert filtered.status_code == 200


async def test_the_list_shows_only_the_desks_with_the_chosen_amenities(
    client: AsyncTestClient[Any], sit_stand_office: Office, login_as: Any
) -> None:
    await login_as(sit_stand_office.anna)
    response = await client.get(f"/plan/list?{plan_query(sit_stand_office, 'sit_stand')}")
    assert "Flexplek 1.02 reserveren" in response.text
    assert "Flexplek 1.01" not in response.text


async def test_the_list_says_when_no_desk_has_the_chosen_amenities(
    client: AsyncTestClient[Any], sit_stand_office: Office, login_as: Any
) -> None:
    await login_as(sit_stand_office.anna)
    response = await client.get(f"/plan/list?{plan_query(sit_stand_office, 'wheelchair')}")
    assert "Geen werkplekken met deze voorzieningen." in response.text


async def test_the_desk_panel_names_the_chosen_amenity_a_desk_lacks(
    client: AsyncTestClient[Any], sit_stand_office: Office, login_as: Any
) -> None:
    await login_as(sit_stand_office.anna)
    response = await client.get(
        f"/plan/desks/{sit_stand_office.desk.id}?{plan_query(sit_stand_office, 'sit_stand')}",
        headers={"HX-Request": "true"},
    )
    assert "Deze werkplek mist een gekozen voorziening: Zit-stabureau." in response.text


async def test_booking_from_the_list_without_script_keeps_the_chosen_amenities(
    client: AsyncTestClient[Any], db: AsyncSession, sit_stand_office: Office, login_as: Any
) -> None:
    await login_as(sit_stand_office.anna)
    response = await client.post(
        "/plan/book",
        data={
            "from": "list",
            "space_id": sit_stand_office.desk2.id,
            "floor": sit_stand_office.floor.id,
            "date": TOMORROW.isoformat(),
            "day_part": "morning",
            "amenity": "sit_stand",
        },
    )
    assert response.url.path == "/plan/list"
    assert response.url.params.get_list("amenity") == ["sit_stand"]
    assert await count_bookings(db, space_id=sit_stand_office.desk2.id) == 1


async def test_the_api_tells_which_desks_have_the_chosen_amenities(
    client: AsyncTestClient[Any], sit_stand_office: Office, login_as: Any
) -> None:
    await login_as(sit_stand_office.anna)
    response = await client.get(
        f"/api/floors/{sit_stand_office.floor.id}/plan/state",
        params={"date": TOMORROW.isoformat(), "amenity": ["sit_stand", "screen"]},
    )
    assert {d["name"]: d["matches"] for d in response.json()["desks"]} == {
        "Flexplek 1.01": False,
        "Flexplek 1.02": True,
        "Flexplek 1.03": False,
    }


async def test_the_api_refuses_an_unknown_amenity_naming_the_field(
    client: AsyncTestClient[Any], sit_stand_office: Office, login_as: Any
) -> None:
    await login_as(sit_stand_office.anna)
    response = await client.get(
        f"/api/floors/{sit_stand_office.floor.id}/plan/state",
        params={"date": TOMORROW.isoformat(), "amenity": "jacuzzi"},
    )
    assert response.status_code == 400
    assert "amenity" in response.text


async def test_the_desk_pages_link_to_the_plan_keeps_the_chosen_amenities(
    client: AsyncTestClient[Any], sit_stand_office: Office, login_as: Any
) -> None:
    await login_as(sit_stand_office.anna)
    response = await client.get(
        "/book/desk",
        params={
            "site": sit_stand_office.site.id,
            "date": TOMORROW.isoformat(),
            "amenity": "sit_stand",
        },
    )
    assert "day_part=day&amp;amenity=sit_stand" in response.text
