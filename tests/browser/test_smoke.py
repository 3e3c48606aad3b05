"""Smoke test in a real browser: log in as the demo employee, switch language, log out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_out
from werkplek.demo import DEMO_LOGINS, DEMO_PASSWORD
from werkplek.people.models import Role

pytestmark = pytest.mark.browser

EMPLOYEE = next(login for login in DEMO_LOGINS if login.role is Role.EMPLOYEE)


def test_the_demo_employee_logs_in_switches_to_english_and_logs_out(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    page.goto(f"{server_url}/")
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")

    page.locator("#email").fill(EMPLOYEE.email)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("form[action^='/login'] button[type=submit]").click()

    expect(page).to_have_url(f"{server_url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Goedendag, {EMPLOYEE.name}")

    page.get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Good day, {EMPLOYEE.name}")

    log_out(page, "Log out")

    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to Werkplek")
    page.goto(f"{server_url}/")
    expect(page).to_have_url(re.compile(r"/login"))
    assert console_errors == []


def test_logging_in_from_a_link_to_a_place_on_a_page_arrives_at_that_place(
    page: Page, server_url: str
) -> None:
    """A door display's code opens Ruimte boeken at its form (``#book-form``); the log-in
    in between keeps that place, so a phone shows the form rather than the top."""
    page.goto(f"{server_url}/book/room#book-form")
    page.locator("#email").fill(EMPLOYEE.email)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("form[action^='/login'] button[type=submit]").click()

    expect(page).to_have_url(f"{server_url}/book/room#book-form")
