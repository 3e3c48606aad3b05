"""The menu in a real browser: the pages that manage the app under "Beheer", one's own
settings under one's name, and the whole menu on one line of a 1366 px screen."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.browser.conftest import log_in, menu_link
from werkplek.demo import DEMO_LOGINS
from werkplek.people.models import Role

pytestmark = pytest.mark.browser

FACILITIES = next(login for login in DEMO_LOGINS if login.role is Role.FACILITIES)
EMPLOYEE = next(login for login in DEMO_LOGINS if login.role is Role.EMPLOYEE)
LAPTOP = ViewportSize(width=1366, height=768)


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


def test_ones_name_opens_the_menu_of_ones_own_settings(page: Page, server_url: str) -> None:
    log_in(page, server_url, EMPLOYEE.email)

    page.locator(".account-menu summary").click()

    expect(page.locator(".account-menu").get_by_role("link", name="Mijn profiel")).to_be_visible()


def test_opening_ones_own_menu_closes_beheer(page: Page, server_url: str) -> None:
    log_in(page, server_url, FACILITIES.email)
    page.get_by_text("Beheer", exact=True).click()

    page.locator(".account-menu summary").click()

    expect(menu_link(page, "Locaties en ruimtes")).to_be_hidden()


@pytest.mark.parametrize("login", DEMO_LOGINS, ids=lambda login: login.role.value)
def test_the_main_menu_takes_one_line_at_1366_px(page: Page, server_url: str, login: Any) -> None:
    page.set_viewport_size(LAPTOP)
    log_in(page, server_url, login.email)

    tops = page.locator("#main-menu > li").evaluate_all(
        "items => items.map(item => Math.round(item.getBoundingClientRect().top))"
    )

    assert max(tops) - min(tops) < 10  # a second line would start a whole line lower
