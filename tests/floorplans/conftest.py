"""Arranging floor plans: a site with a floor, desks on it, plans to upload.

The test clock stands at Wednesday 25 November 2026, 10:00 in Amsterdam.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import (  # noqa: F401  (fixtures)
    actor,
    run,
    sessionmaker,
)
from werkplek.floorplans.images import check_plan_file
from werkplek.floorplans.models import FloorPlan
from werkplek.people.models import Person, Role, Team
from werkplek.rooms.models import Floor, Site, Space

SVG_HEAD = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 200">'


def svg(body: bytes = b'<rect x="10" y="10" width="380" height="180" fill="#eee"/>') -> bytes:
    return SVG_HEAD + body + b"</svg>"


def png(width: int = 40, height: int = 20) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg(width: int = 40, height: int = 20) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "JPEG")
    return buffer.getvalue()


@dataclass
class Office:
    site: Site
    floor: Floor
    desk: Space
    desk2: Space
    team_desk: Space
    anna: Person
    facilities: Person
    team: Team


@pytest.fixture
async def office(
    db: AsyncSession,
    make_site: Any,
    make_space: Any,
    make_person: Any,
    make_team: Any,
) -> Office:
    site = await make_site()
    floor = Floor(site_id=site.id, name="Eerste verdieping", level=1)
    db.add(floor)
    await db.commit()
    team = await make_team("Vergunningen")
    desk = await make_space(site, "Flexplek 1.01", floor_id=floor.id, pos_x=0.25, pos_y=0.5)
    desk2 = await make_space(site, "Flexplek 1.02", floor_id=floor.id, pos_x=0.75, pos_y=0.5)
    team_desk = await make_space(site, "Flexplek 1.03", floor_id=floor.id, teams=(team,))
    anna = await make_person("Anna de Vries")
    facilities = await make_person("Ingrid Wiersma", roles=(Role.FACILITIES,))
    return Office(site, floor, desk, desk2, team_desk, anna, facilities, team)


async def add_plan(db: AsyncSession, floor: Floor, payload: bytes | None = None) -> FloorPlan:
    """A checked plan stored directly (the upload path has tests of its own)."""
    checked = check_plan_file(payload or svg(), 1024 * 1024)
    plan = FloorPlan(
        floor_id=floor.id,
        content_type=checked.content_type,
        data=checked.data,
        sha256=hashlib.sha256(checked.data).hexdigest(),
        size_bytes=len(checked.data),
        width=checked.width,
        height=checked.height,
        uploaded_at=datetime(2026, 11, 1, tzinfo=UTC),
    )
    db.add(plan)
    await db.commit()
    return plan
