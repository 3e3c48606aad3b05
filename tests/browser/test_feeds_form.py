"""The "Subscribe to calendar" form in a real browser: an admin's select of colleagues
shows only when a colleague's calendar is chosen."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in
from werkplek.demo import DEMO_LOGINS
from werkplek.people.models import Role

pytestmark = pytest.mark.browser

ADMIN = next(login for login in DEMO_LOGINS if login.role is Role.ADMIN)


def test_the_colleague_select_shows_once_a_colleagues_calendar_is_chosen(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    log_in(page, server_url, ADMIN.email, then="/feeds")
    colleague = page.get_by_label("Welke collega")
    expect(colleague).to_be_hidden()

    page.get_by_label("Wat wilt u zien?").select_option("colleague")

    expect(colleague).to_be_visible()
    assert console_errors == []
