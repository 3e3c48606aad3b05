"""My week in a real browser: a day asks for an area or an absence reason only when a
half day is chosen as on location or absent."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import log_in
from werkplek.demo import DEMO_LOGINS
from werkplek.people.models import Role

pytestmark = pytest.mark.browser

EMPLOYEE = next(login for login in DEMO_LOGINS if login.role is Role.EMPLOYEE)
AREA = "Wijk of dorp (op locatie)"
REASON = "Reden van afwezigheid"


def _day_at_home(page: Page, server_url: str, index: int) -> Locator:
    """Day ``index`` of this week on My week, both half days chosen as home."""
    log_in(page, server_url, EMPLOYEE.email, then="/my-week")
    day = page.locator(".presence-day").nth(index)
    for part in ("Ochtend", "Middag"):
        day.get_by_label(part, exact=True).select_option("home")
    return day


def test_a_day_at_home_asks_for_neither_area_nor_reason(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    day = _day_at_home(page, server_url, 0)

    expect(day.get_by_label(AREA)).to_be_hidden()
    expect(day.get_by_label(REASON)).to_be_hidden()
    assert console_errors == []


def test_a_half_day_on_location_asks_for_the_area(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    day = _day_at_home(page, server_url, 0)

    day.get_by_label("Middag", exact=True).select_option("on_location")

    expect(day.get_by_label(AREA)).to_be_visible()
    expect(day.get_by_label(REASON)).to_be_hidden()


def test_an_absent_whole_day_asks_for_the_reason(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    day = _day_at_home(page, server_url, 0)

    day.get_by_label("Of de hele dag").select_option("absent")

    expect(day.get_by_label(REASON)).to_be_visible()
    expect(day.get_by_label(AREA)).to_be_hidden()


def test_a_day_saved_on_location_still_asks_only_for_the_area(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    day = _day_at_home(page, server_url, 4)
    day.get_by_label("Ochtend", exact=True).select_option("on_location")
    day.get_by_label(AREA).fill("Eekster")

    day.get_by_role("button", name="Opslaan").click()

    saved = page.locator(".presence-day").nth(4)
    expect(saved.get_by_role("status")).to_have_text("Opgeslagen.")
    expect(saved.get_by_label(AREA)).to_have_value("Eekster")
    expect(saved.get_by_label(REASON)).to_be_hidden()
    assert console_errors == []
