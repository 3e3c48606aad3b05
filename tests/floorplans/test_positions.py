"""Placing spaces on a plan: fractions of the plan, set by facilities only."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.floorplans.conftest import Office, add_plan
from tests.stacked_tables import assert_stacks_on_phone
from werkplek.rooms.models import Space


async def position(db: AsyncSession, space: Space) -> tuple[float | None, float | None]:
    await db.rollback()
    fresh = await db.get(Space, space.id, populate_existing=True)
    assert fresh is not None
    return fresh.pos_x, fresh.pos_y


async def test_facilities_place_a_space_as_fractions_of_the_plan(
    client: AsyncTestClient[Any], db: AsyncSession, office: Office, login_as: Any
) -> None:
    await add_plan(db, office.floor)
    await login_as(office.facilities)
    response = await client.put(
        f"/api/spaces/{office.team_desk.id}/position", json={"x": 0.4, "y": 0.6}
    )
    assert response.status_code == 200, response.text
    assert await position(db, office.team_desk) == (0.4, 0.6)


async def test_a_position_outside_the_plan_is_refused_naming_the_field(
    client: AsyncTestClient[Any], db: AsyncSession, office: Office, login_as: Any
) -> None:
    await add_plan(db, office.floor)
    await login_as(office.facilities)
    response = await client.put(
        f"/api/spaces/{office.team_desk.id}/position", json={"x": 1.5, "y": 0.6}
    )
    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "x"
    assert await position(db, office.team_desk) == (None, None)


async def test_a_space_cannot_be_placed_on_a_floor_without_a_plan(
    client: AsyncTestClient[Any], db: AsyncSession, office: Office, login_as: Any
) -> None:
    await login_as(office.facilities)
    response = await client.put(
        f"/api/spaces/{office.team_desk.id}/position", json={"x": 0.1, "y": 0.1}
    )
    assert response.status_code == 422
    assert response.json()["field"] == "space_id"


async def test_removing_a_position_takes_the_space_off_the_plan(
    client: AsyncTestClient[Any], db: AsyncSession, office: Office, login_as: Any
) -> None:
    await login_as(office.facilities)
    response = await client.delete(f"/api/spaces/{office.desk.id}/position")
    assert response.status_code == 204
    assert await position(db, office.desk) == (None, None)


async def test_an_employee_may_not_move_a_space(
    client: AsyncTestClient[Any], db: AsyncSession, office: Office, login_as: Any
) -> None:
    await add_plan(db, office.floor)
    await login_as(office.anna)
    response = await client.put(f"/api/spaces/{office.desk.id}/position", json={"x": 0, "y": 0})
    assert response.status_code == 403
    assert await position(db, office.desk) == (0.25, 0.5)


async def test_an_employee_reads_the_plan_and_its_positions(
    client: AsyncTestClient[Any], db: AsyncSession, office: Office, login_as: Any
) -> None:
    await add_plan(db, office.floor)
    await login_as(office.anna)
    response = await client.get(f"/api/floors/{office.floor.id}/plan")
    assert response.status_code == 200
    assert {s["name"]: (s["x"], s["y"]) for s in response.json()["spaces"]} == {
        "Flexplek 1.01": (0.25, 0.5),
        "Flexplek 1.02": (0.75, 0.5),
        "Flexplek 1.03": (None, None),
    }


async def test_the_editor_form_places_a_space_in_percent(
    client: AsyncTestClient[Any], db: AsyncSession, office: Office, login_as: Any
) -> None:
    await add_plan(db, office.floor)
    await login_as(office.facilities)
    response = await client.post(
        f"/admin/floors/{office.floor.id}/plan/positions",
        data={"space_id": office.team_desk.id, "x": "12,5", "y": "80"},
    )
    assert response.status_code in (200, 302, 303)
    assert await position(db, office.team_desk) == (0.125, 0.8)


async def test_the_editor_form_refuses_a_percentage_over_100(
    client: AsyncTestClient[Any], db: AsyncSession, office: Office, login_as: Any
) -> None:
    await add_plan(db, office.floor)
    await login_as(office.facilities)
    response = await client.post(
        f"/admin/floors/{office.floor.id}/plan/positions",
        data={"space_id": office.team_desk.id, "x": "120", "y": "80"},
    )
    assert response.status_code == 422
    assert "Geef een percentage van 0 tot 100." in response.text
    assert await position(db, office.team_desk) == (None, None)


async def test_the_editors_list_of_spaces_stacks_on_a_phone(
    client: AsyncTestClient[Any], db: AsyncSession, office: Office, login_as: Any
) -> None:
    await add_plan(db, office.floor)
    await login_as(office.facilities)

    page = (await client.get(f"/admin/floors/{office.floor.id}/plan")).text

    assert assert_stacks_on_phone(page).headers == [
        "Ruimte",
        "Plaatsen door te klikken",
        "Positie in procenten",
    ]


async def test_the_plans_list_writes_a_desks_place_as_percentages_dutch_style(
    client: AsyncTestClient[Any], office: Office, login_as: Any
) -> None:
    await login_as(office.anna)

    response = await client.get(f"/plan/list?floor={office.floor.id}")

    assert "25\u00a0% van links, 50\u00a0% van boven" in response.text


async def test_the_plans_list_writes_a_desks_place_as_percentages_english_style(
    client: AsyncTestClient[Any], db: AsyncSession, office: Office, login_as: Any
) -> None:
    office.anna.language = "en"
    await db.commit()
    await login_as(office.anna)

    response = await client.get(f"/plan/list?floor={office.floor.id}")

    assert "25% from the left, 50% from the top" in response.text
