"""Logging in as someone of facilities."""

from __future__ import annotations

import pytest

from tests.conftest import LoginAs, MakePerson
from werkplek.people.models import Role


@pytest.fixture
async def facilities(make_person: MakePerson, login_as: LoginAs) -> dict[str, str]:
    """The client logged in as Fenna Facilitair of facilities; her CSRF headers."""
    return await login_as(await make_person("Fenna Facilitair", roles=(Role.FACILITIES,)))
