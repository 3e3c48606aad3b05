"""Emergency roll calls: the booking world of tests/bookings (a site with a floor "Eerste
verdieping", desks, rooms and Anna), with Bert of the BHV logged in through the API.

The clock stands at Wednesday 25 November 2026, 10:00 in Amsterdam (a morning)."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import TODAY, World, at, sessionmaker, world  # noqa: F401
from tests.conftest import LoginAs, MakePerson
from tests.presence.conftest import set_entry, set_pattern  # noqa: F401
from tests.visitors.conftest import make_booking  # noqa: F401
from werkplek.emergency.models import RollCall
from werkplek.people.models import Person, Role

Client = AsyncTestClient[Litestar]

__all__ = ["TODAY", "Client", "at"]


@pytest.fixture
async def responder(make_person: MakePerson) -> Person:
    """Bert, of the BHV: the role emergency and nothing more."""
    return await make_person("Bert BHV", roles=(Role.EMERGENCY,))


@pytest.fixture
async def as_responder(login_as: LoginAs, responder: Person) -> dict[str, str]:
    return await login_as(responder)


async def start(client: Client, world: World) -> dict[str, Any]:  # noqa: F811
    """Start the roll call of the world's site through the API; its answer."""
    response = await client.post(f"/api/sites/{world.site.id}/roll-calls")
    assert response.status_code == 201, response.text
    return dict(response.json())


def names(roll_call: dict[str, Any]) -> list[str]:
    return [entry["name"] for entry in roll_call["entries"]]


def entry_of(roll_call: dict[str, Any], name: str) -> dict[str, Any]:
    return next(entry for entry in roll_call["entries"] if entry["name"] == name)


async def roll_calls(db: AsyncSession) -> list[RollCall]:
    db.expire_all()
    return list(await db.scalars(select(RollCall).order_by(RollCall.id)))
