"""Favourite desks on the floor plan: a gold star on the plan and in its list, redrawn as
soon as a desk is kept or dropped."""

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import TOMORROW
from tests.floorplans.conftest import Office, actor, add_plan
from werkplek.bookings import favourites

HTMX = {"HX-Request": "true"}
QUERY = "date={date}&day_part=morning&floor={floor}"


def query(office: Office) -> str:
    return QUERY.format(date=TOMORROW.isoformat(), floor=office.floor.id)


def desk_link(html: str, space_id: int) -> str:
    """The plan's link of one desk, with everything drawn inside it."""
    match = re.search(rf'<a href="/plan/desks/{space_id}\?.*?</a>', html, re.S)
    assert match, f"desk {space_id} is not on the plan"
    return match.group(0)


@pytest.fixture
async def kept_on_plan(
    db: AsyncSession, office: Office, login_as: Any, clock: Any, run: Any
) -> Office:
    """The office on a plan, Anna logged in, keeping Flexplek 1.02 as a favourite."""
    await add_plan(db, office.floor)
    await run(favourites.add_favourite, clock, actor(office.anna), office.desk2.id)
    await login_as(office.anna)
    return office


async def test_a_favourite_desk_wears_a_star_on_the_plan(
    client: AsyncTestClient[Any], kept_on_plan: Office
) -> None:
    office = kept_on_plan
    live = await client.get(f"/plan/live?{query(office)}")

    assert "plan-favourite-badge" in desk_link(live.text, office.desk2.id)
    assert "plan-favourite-badge" not in desk_link(live.text, office.desk.id)


async def test_a_favourite_desk_is_named_so_for_screen_readers(
    client: AsyncTestClient[Any], kept_on_plan: Office
) -> None:
    office = kept_on_plan
    live = await client.get(f"/plan/live?{query(office)}")

    assert "Flexplek 1.02: Vrij · favoriet" in desk_link(live.text, office.desk2.id)


async def test_the_legend_explains_the_star_only_to_someone_with_favourites(
    client: AsyncTestClient[Any],
    db: AsyncSession,
    office: Office,
    login_as: Any,
    clock: Any,
    run: Any,
) -> None:
    await add_plan(db, office.floor)
    await login_as(office.anna)
    before = await client.get(f"/plan?{query(office)}")
    await run(favourites.add_favourite, clock, actor(office.anna), office.desk2.id)

    after = await client.get(f"/plan?{query(office)}")

    assert "Uw favoriete werkplek" not in before.text
    assert "Uw favoriete werkplek" in after.text


async def test_the_plans_list_marks_a_favourite_desk(
    client: AsyncTestClient[Any], office: Office, login_as: Any, clock: Any, run: Any
) -> None:
    await run(favourites.add_favourite, clock, actor(office.anna), office.desk2.id)
    await login_as(office.anna)

    listed = await client.get(f"/plan/list?{query(office)}")

    row = re.search(r"<th scope=\"row\">Flexplek 1.02.*?</th>", listed.text, re.S)
    assert row and "(favoriet)" in row.group(0)


async def test_keeping_a_favourite_changes_the_live_layers_etag(
    client: AsyncTestClient[Any],
    db: AsyncSession,
    office: Office,
    login_as: Any,
    clock: Any,
    run: Any,
) -> None:
    await add_plan(db, office.floor)
    await login_as(office.anna)
    first = await client.get(f"/plan/live?{query(office)}")
    await run(favourites.add_favourite, clock, actor(office.anna), office.desk2.id)

    again = await client.get(
        f"/plan/live?{query(office)}", headers={"If-None-Match": first.headers["etag"]}
    )

    assert again.status_code == 200


async def test_keeping_a_favourite_from_the_panel_tells_the_plan_to_redraw(
    client: AsyncTestClient[Any], office: Office, login_as: Any
) -> None:
    headers = await login_as(office.anna)

    response = await client.post(
        "/plan/favourite",
        data={
            "_csrf": headers["X-CSRF-Token"],
            "floor": str(office.floor.id),
            "date": TOMORROW.isoformat(),
            "day_part": "morning",
            "add_favourite": str(office.desk2.id),
        },
        headers=HTMX,
    )

    assert response.headers["HX-Trigger"] == "plan-changed"
