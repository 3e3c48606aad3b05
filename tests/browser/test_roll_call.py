"""The evacuation's roll call on a phone at the assembly point (390 px wide), as facilities
of the demo start it: it fits the screen, every button is at least 44 px to tap, and a
tick changes the row and the count in place (htmx)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.browser.conftest import log_in
from werkplek.demo import DEMO_LOGINS
from werkplek.people.models import Role

pytestmark = pytest.mark.browser

PHONE = ViewportSize(width=390, height=844)
FACILITIES = next(login for login in DEMO_LOGINS if login.role is Role.FACILITIES)


def _open_roll_call(page: Page, server_url: str) -> None:
    """Start (or open the open) roll call of the demo's first site, with one person added
    at the assembly point so the list has a row whatever the hour."""
    page.set_viewport_size(PHONE)
    log_in(page, server_url, FACILITIES.email, then="/emergency")
    page.locator(".roll-call-sites a").first.click()
    page.wait_for_load_state()  # whether it offers to start is read at once, not waited for
    start = page.get_by_role("link", name="Ontruiming starten")
    if start.count():
        start.click()
        page.get_by_role("button", name="Ja, start de ontruiming").click()
    page.locator("#name").fill("Monteur liftbedrijf")
    page.get_by_role("button", name="Toevoegen als veilig").click()
    expect(page.locator("#roll-call-count")).to_be_visible()


def test_the_roll_call_fits_a_phone_without_scrolling_sideways(page: Page, server_url: str) -> None:
    _open_roll_call(page, server_url)

    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_every_button_of_the_roll_call_is_at_least_44_px_to_tap(
    page: Page, server_url: str
) -> None:
    _open_roll_call(page, server_url)

    small = [
        box
        for tap in page.locator(".roll-call-tap").all()
        if (box := tap.bounding_box()) is not None and min(box["width"], box["height"]) < 44
    ]
    assert small == []


def test_a_tick_changes_the_row_and_the_count_in_place(page: Page, server_url: str) -> None:
    _open_roll_call(page, server_url)
    count = page.locator("#roll-call-count").inner_text()
    row = page.locator(".roll-call-entry", has_text="Monteur liftbedrijf").last

    row.get_by_role("button", name="Ongedaan maken").click()

    expect(page.locator("#roll-call-count")).not_to_have_text(count)
