"""Favourite desks in a real browser: the star on Werkplek boeken keeps a desk without a
reload, and the list then puts it first."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in
from werkplek.demo import DEMO_LOGINS
from werkplek.people.models import Role

pytestmark = pytest.mark.browser

EMPLOYEE = next(login for login in DEMO_LOGINS if login.role is Role.EMPLOYEE)


def test_the_star_keeps_a_desk_as_favourite_and_lists_it_first(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    log_in(page, server_url, EMPLOYEE.email, then="/book/desk")
    star = page.get_by_role("button", name="Favoriet: Flexplek 1.10")
    expect(star).to_have_attribute("aria-pressed", "false")

    star.click()

    expect(page.get_by_text("Flexplek 1.10 staat nu bij uw favorieten.")).to_be_visible()
    expect(page.get_by_role("button", name="Favoriet: Flexplek 1.10")).to_have_attribute(
        "aria-pressed", "true"
    )
    favourites = page.locator("table.booking-desks button[aria-pressed=true]")
    expect(favourites).to_have_count(3)  # the demo employee's two, and this one
    rows = page.locator("table.booking-desks th[scope=row]").all_inner_texts()
    assert "Flexplek 1.10" in " ".join(rows[:3])
    assert console_errors == []


def test_enter_in_the_repeat_date_neither_books_nor_changes_a_favourite(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    """Enter presses a form's first button (in Chromium, from a date field, even past a
    disabled one): here that was the first desk's star. On Monday 30 November the demo
    employee holds no desk yet, so the page offers to book one weekly."""
    log_in(page, server_url, EMPLOYEE.email, then="/book/desk?date=2026-11-30")
    posts: list[str] = []
    page.on(
        "request", lambda request: posts.append(request.url) if request.method == "POST" else None
    )
    page.get_by_text("Wekelijks herhalen").click()
    until = page.get_by_label("Tot en met")

    until.fill("2026-12-07")
    until.press("Enter")

    page.wait_for_timeout(300)
    assert posts == []
    assert console_errors == []
