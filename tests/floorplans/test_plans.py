"""Uploading and serving a floor's plan: who may, what is stored, what a bad file does."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.floorplans.conftest import Office, actor, add_plan, png, svg
from werkplek.config import Settings
from werkplek.errors import InvalidInput
from werkplek.floorplans import services
from werkplek.floorplans.models import FloorPlan

SVG_TYPE = {"Content-Type": "image/svg+xml"}


async def stored(db: AsyncSession) -> FloorPlan | None:
    await db.rollback()
    return (await db.execute(select(FloorPlan))).scalar_one_or_none()


async def test_facilities_upload_an_svg_plan_through_the_api(
    client: AsyncTestClient[Any], db: AsyncSession, office: Office, login_as: Any
) -> None:
    await login_as(office.facilities)
    response = await client.put(
        f"/api/floors/{office.floor.id}/plan", content=svg(), headers=SVG_TYPE
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["content_type"], body["width"], body["height"]) == ("image/svg+xml", 400, 200)
    assert [s["name"] for s in body["spaces"] if s["x"] is not None] == [
        "Flexplek 1.01",
        "Flexplek 1.02",
    ]
    plan = await stored(db)
    assert plan is not None and plan.sha256 == body["sha256"]


BAD_FILES = {
    "script": svg(b"<script>alert(1)</script>"),
    "onload": b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9" onload="alert(1)"/>',
    "javascript-href": svg(b'<use href="javascript:alert(1)"/>'),
    "foreign-object": svg(b"<foreignObject><p>hi</p></foreignObject>"),
    "not-an-image": b"%PDF-1.7\n%binary",
    "oversize": png() + b"\0" * (5120 * 1024),
}


@pytest.mark.parametrize("payload", BAD_FILES.values(), ids=BAD_FILES.keys())
async def test_a_bad_file_is_refused_naming_the_field_and_the_old_plan_is_kept(
    client: AsyncTestClient[Any], db: AsyncSession, office: Office, login_as: Any, payload: bytes
) -> None:
    old = await add_plan(db, office.floor, png())
    await login_as(office.facilities)
    response = await client.put(
        f"/api/floors/{office.floor.id}/plan", content=payload, headers=SVG_TYPE
    )
    assert response.status_code == 422
    assert response.json()["field"] == "file"
    plan = await stored(db)
    assert plan is not None and plan.sha256 == old.sha256 and plan.content_type == "image/png"


async def test_an_employee_may_not_upload_a_plan(
    client: AsyncTestClient[Any], db: AsyncSession, office: Office, login_as: Any
) -> None:
    await login_as(office.anna)
    response = await client.put(
        f"/api/floors/{office.floor.id}/plan", content=svg(), headers=SVG_TYPE
    )
    assert response.status_code == 403
    assert await stored(db) is None


async def test_a_plan_over_the_size_setting_is_refused(
    db: AsyncSession, office: Office, clock: Any, settings: Settings
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await services.upload_plan(
            db,
            clock,
            settings.with_changes(floor_plan_max_kb=1),
            actor(office.facilities),
            office.floor.id,
            svg(b"<g/>" * 400),
        )
    assert caught.value.field == "file"


async def test_the_image_is_served_with_a_strict_policy_and_an_etag(
    client: AsyncTestClient[Any], db: AsyncSession, office: Office, login_as: Any
) -> None:
    plan = await add_plan(db, office.floor)
    await login_as(office.anna)
    response = await client.get(f"/api/floors/{office.floor.id}/plan/image")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in response.headers["content-security-policy"]
    assert "script-src" not in response.headers["content-security-policy"]
    assert response.headers["etag"] == f'"{plan.sha256}"'
    again = await client.get(
        f"/api/floors/{office.floor.id}/plan/image", headers={"If-None-Match": f'"{plan.sha256}"'}
    )
    assert again.status_code == 304


async def test_a_bad_file_on_the_page_names_the_field_in_dutch(
    client: AsyncTestClient[Any], db: AsyncSession, office: Office, login_as: Any
) -> None:
    await login_as(office.facilities)
    response = await client.post(
        f"/admin/floors/{office.floor.id}/plan",
        files={"file": ("plan.png", b"<html>not an image</html>", "image/png")},
    )
    assert response.status_code == 422
    assert "Het bestand is geen PNG-, JPEG- of SVG-afbeelding." in response.text
    assert 'aria-invalid="true"' in response.text
    assert await stored(db) is None


async def test_a_plan_uploaded_on_the_page_replaces_the_old_one(
    client: AsyncTestClient[Any], db: AsyncSession, office: Office, login_as: Any
) -> None:
    await add_plan(db, office.floor)
    await login_as(office.facilities)
    response = await client.post(
        f"/admin/floors/{office.floor.id}/plan",
        files={"file": ("plan.svg", png(80, 40), "image/svg+xml")},
    )
    assert response.status_code in (200, 302, 303)
    plan = await stored(db)
    assert plan is not None and (plan.content_type, plan.width) == ("image/png", 80)


async def test_the_editor_names_the_current_plans_format_not_its_media_type(
    client: AsyncTestClient[Any], db: AsyncSession, office: Office, login_as: Any
) -> None:
    await add_plan(db, office.floor, svg())
    await login_as(office.facilities)

    response = await client.get(f"/admin/floors/{office.floor.id}/plan")

    assert "Huidige plattegrond: SVG," in response.text
    assert "plattegrond: image/" not in response.text


async def test_the_editor_gives_the_plans_size_with_a_decimal_comma_in_dutch(
    client: AsyncTestClient[Any], db: AsyncSession, office: Office, login_as: Any
) -> None:
    plan = await add_plan(db, office.floor, svg(b"<g/>" * 400))
    await login_as(office.facilities)

    response = await client.get(f"/admin/floors/{office.floor.id}/plan")

    kb = f"{plan.size_bytes / 1024:.1f}".replace(".", ",")
    assert f", {kb} kB," in response.text


async def test_the_editor_is_marked_in_the_menu_as_part_of_sites_and_spaces(
    client: AsyncTestClient[Any], office: Office, login_as: Any
) -> None:
    await login_as(office.facilities)

    response = await client.get(f"/admin/floors/{office.floor.id}/plan")

    assert 'href="/admin/sites" aria-current="page"' in response.text
