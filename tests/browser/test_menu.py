"""The main menu in a real browser: the pages that manage the app under "Beheer"."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, menu_link
from werkplek.demo import DEMO_LOGINS
from werkplek.people.models import Role

pytestmark = pytest.mark.browser

FACILITIES = next(login for login in DEMO_LOGINS if login.role is Role.FACILITIES)


def test_beheer_opens_its_menu(page: Page, server_url: str) -> None:
    log_in(page, server_url, FACILITIES.email)

    page.get_by_text("Beheer", exact=True).click()

    expect(menu_link(page, "Locaties en ruimtes")).to_be_visible()


def test_escape_closes_the_beheer_menu(page: Page, server_url: str) -> None:
    log_in(page, server_url, FACILITIES.email)
    page.get_by_text("Beheer", exact=True).click()

    page.keyboard.press("Escape")

    expect(menu_link(page, "Locaties en ruimtes")).to_be_hidden()


def test_a_click_elsewhere_closes_the_beheer_menu(page: Page, server_url: str) -> None:
    log_in(page, server_url, FACILITIES.email)
    page.get_by_text("Beheer", exact=True).click()

    page.locator("h1").click()

    expect(menu_link(page, "Locaties en ruimtes")).to_be_hidden()
