"""Fixtures for arranging sites and spaces directly in the database, and for logging in."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import time
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson
from werkplek.people.models import Role
from werkplek.rooms.models import Floor, OpeningHours, Site, Space, Zone

MakeSite = Callable[..., Awaitable[Site]]
MakeFloor = Callable[..., Awaitable[Floor]]
MakeSpace = Callable[..., Awaitable[Space]]


@pytest.fixture
async def facilities(make_person: MakePerson, login_as: LoginAs) -> dict[str, str]:
    """The client logged in as Fenna Facilitair of facilities; her CSRF headers."""
    return await login_as(await make_person("Fenna Facilitair", roles=(Role.FACILITIES,)))


@pytest.fixture
async def employee(make_person: MakePerson, login_as: LoginAs) -> dict[str, str]:
    """The client logged in as Anna, an employee without a role; her CSRF headers."""
    return await login_as(await make_person("Anna"))


@pytest.fixture
def make_site(db: AsyncSession) -> MakeSite:
    """A site open Monday to Friday 07:30-18:00 unless ``hours`` says otherwise."""

    async def make(
        name: str = "Stadskantoor",
        *,
        hours: dict[int, tuple[time, time]] | None = None,
        **fields: Any,
    ) -> Site:
        opening = hours if hours is not None else dict.fromkeys(range(5), (time(7, 30), time(18)))
        site = Site(
            name=name,
            kind=fields.pop("kind", "central_office"),
            address=fields.pop("address", "Markt 1"),
            city=fields.pop("city", "Dorpstad"),
            timezone="Europe/Amsterdam",
            day_split=fields.pop("day_split", time(13)),
            max_days_ahead=fields.pop("max_days_ahead", 14),
            observe_public_holidays=fields.pop("observe_public_holidays", True),
            active=fields.pop("active", True),
            **fields,
        )
        site.opening_hours = [
            OpeningHours(weekday=day, opens=opens, closes=closes)
            for day, (opens, closes) in sorted(opening.items())
        ]
        db.add(site)
        await db.commit()
        return site

    return make


@pytest.fixture
def make_floor(db: AsyncSession) -> MakeFloor:
    async def make(site: Site, name: str = "Begane grond", *, zones: tuple[str, ...] = ()) -> Floor:
        floor = Floor(site_id=site.id, name=name, level=0)
        floor.zones = [Zone(name=zone) for zone in zones]
        db.add(floor)
        await db.commit()
        return floor

    return make


@pytest.fixture
def make_space(db: AsyncSession) -> MakeSpace:
    async def make(site: Site, name: str = "Flexplek 1", **fields: Any) -> Space:
        space = Space(
            site_id=site.id,
            name=name,
            kind=fields.pop("kind", "desk"),
            capacity=fields.pop("capacity", 1),
            amenities=fields.pop("amenities", []),
            safety_features=fields.pop("safety_features", []),
            requires_approval=fields.pop("requires_approval", False),
            active=fields.pop("active", True),
            **fields,
        )
        db.add(space)
        await db.commit()
        return space

    return make
