"""My week in a real browser: a day asks for an area or an absence reason only when a
half day is chosen as on location or absent, and changes not saved are marked, saved all at
once, and not left behind without asking."""

from __future__ import annotations

import pytest
from playwright.sync_api import Dialog, Locator, Page, expect

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


LATER_WEEK = "/my-week?week=2026-12-14"  # a week the demo has set nothing in by hand


def _later_week(page: Page, server_url: str) -> Locator:
    log_in(page, server_url, EMPLOYEE.email, then=LATER_WEEK)
    return page.locator(".presence-day")


def test_a_changed_day_is_marked_not_saved(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    days = _later_week(page, server_url)

    days.nth(1).get_by_label("Ochtend", exact=True).select_option("home")

    expect(days.nth(1).get_by_text("niet opgeslagen")).to_be_visible()
    expect(days.nth(0).get_by_text("niet opgeslagen")).to_be_hidden()
    assert console_errors == []


def test_a_day_changed_back_is_no_longer_marked(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    days = _later_week(page, server_url)
    morning = days.nth(1).get_by_label("Ochtend", exact=True)
    morning.select_option("home")

    morning.select_option(index=0)

    expect(days.nth(1).get_by_text("niet opgeslagen")).to_be_hidden()
    expect(page.get_by_role("button", name="Alle wijzigingen opslaan")).to_be_hidden()


def test_saving_all_changes_saves_every_changed_day(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    days = _later_week(page, server_url)
    days.nth(2).get_by_label("Of de hele dag").select_option("home")
    days.nth(3).get_by_label("Middag", exact=True).select_option("home")

    page.get_by_role("button", name="Alle wijzigingen opslaan").click()

    expect(page.get_by_role("button", name="Alle wijzigingen opslaan")).to_be_hidden()
    page.goto(f"{server_url}{LATER_WEEK}")
    expect(days.nth(2).get_by_label("Ochtend", exact=True)).to_have_value("home")
    expect(days.nth(2).get_by_label("Middag", exact=True)).to_have_value("home")
    expect(days.nth(3).get_by_label("Middag", exact=True)).to_have_value("home")
    assert console_errors == []


def test_after_saving_all_changes_the_focus_is_on_the_first_days_confirmation(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    days = _later_week(page, server_url)
    days.nth(1).get_by_label("Middag", exact=True).select_option("home")
    days.nth(3).get_by_label("Middag", exact=True).select_option("home")

    page.get_by_role("button", name="Alle wijzigingen opslaan").click()

    expect(days.nth(1).get_by_role("status")).to_be_focused()
    assert console_errors == []


def test_a_day_refused_stays_marked_after_saving_all(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    days = _later_week(page, server_url)
    days.nth(4).get_by_label("Ochtend", exact=True).select_option("on_location")

    page.get_by_role("button", name="Alle wijzigingen opslaan").click()

    expect(days.nth(4).get_by_text("Deze dag is niet opgeslagen:")).to_be_visible()
    expect(days.nth(4).get_by_text("niet opgeslagen", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Alle wijzigingen opslaan")).to_be_visible()


def test_leaving_with_changes_not_saved_asks_first(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    days = _later_week(page, server_url)
    # Chromium asks only on a page the user has touched; a choice made by script is not a
    # touch, a click on the heading is.
    page.get_by_role("heading", level=1).click()
    days.nth(0).get_by_label("Ochtend", exact=True).select_option("home")
    asked: list[str] = []

    def answer(dialog: Dialog) -> None:
        asked.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    page.goto(f"{server_url}/")

    assert asked == ["beforeunload"]


def test_the_usual_week_asks_for_the_area_only_on_a_day_with_a_half_day_on_location(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    log_in(page, server_url, EMPLOYEE.email, then="/my-week/pattern")

    page.get_by_label("maandag, Middag", exact=True).select_option("on_location")

    expect(page.get_by_label(f"maandag, {AREA}", exact=True)).to_be_visible()
    expect(page.get_by_label(f"dinsdag, {AREA}", exact=True)).to_be_hidden()
    assert console_errors == []
