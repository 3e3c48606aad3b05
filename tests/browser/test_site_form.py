"""The site form on a phone (390 x 844): a refused day's opening hours error stands
right under that day's times, not below the week, and the times line up."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.browser.conftest import log_in
from werkplek.demo import DEMO_LOGINS
from werkplek.people.models import Role

pytestmark = pytest.mark.browser

PHONE = ViewportSize(width=390, height=844)
FACILITIES = next(login for login in DEMO_LOGINS if login.role == Role.FACILITIES)


def _refuse_tuesday(page: Page, server_url: str) -> None:
    page.set_viewport_size(PHONE)
    log_in(page, server_url, FACILITIES.email, then="/admin/sites/1/edit")
    page.fill("[name=opens_1]", "19:00")
    page.locator("form.stacked-form button[type=submit]").click()
    expect(page.locator(".alert-error")).to_be_visible()


def test_on_a_phone_a_refused_days_error_stands_between_its_times_and_the_next_day(
    page: Page, server_url: str
) -> None:
    _refuse_tuesday(page, server_url)

    closes = page.locator("[name=closes_1]").bounding_box()
    error = page.locator('[id="opening_hours.1-error"]').bounding_box()
    wednesday = page.locator("[name=opens_2]").bounding_box()
    assert closes and error and wednesday
    assert closes["y"] + closes["height"] <= error["y"] < wednesday["y"]
    assert error["y"] - (closes["y"] + closes["height"]) < 40  # right under, not far below


def test_on_a_phone_a_days_opening_and_closing_times_line_up(page: Page, server_url: str) -> None:
    _refuse_tuesday(page, server_url)

    opens = page.locator("[name=opens_0]").bounding_box()
    closes = page.locator("[name=closes_0]").bounding_box()
    assert opens and closes
    assert opens["x"] == closes["x"]
