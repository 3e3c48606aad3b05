"""WERKPLEK_LOCAL_LOGIN=false: only single sign-on remains."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.people.helpers import anonymous_csrf
from werkplek.config import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_changes(local_login=False)


async def test_the_login_page_offers_only_single_sign_on(
    client: AsyncTestClient[Litestar],
) -> None:
    page = await client.get("/login")
    assert 'href="/login/oidc?next=/"' in page.text
    assert 'name="password"' not in page.text


async def test_a_password_login_is_refused_with_a_clear_message(
    client: AsyncTestClient[Litestar],
) -> None:
    csrf = await anonymous_csrf(client)
    response = await client.post(
        "/login",
        data={"_csrf": csrf, "email": "anna@gemeente.nl", "password": "whatever-it-is"},
    )
    assert response.status_code == 403
    assert "Inloggen met een wachtwoord staat uit" in response.text
