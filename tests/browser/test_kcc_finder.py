"""The KCC finder in a real browser: the box has the focus, results come while typing
and at once on Enter without the page reloading, and Back brings back the earlier search
with its query in the box."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import FloatRect, Locator, Page, Request, expect

from tests.browser.conftest import log_in
from werkplek.demo import DEMO_LOGINS
from werkplek.people.models import Role

pytestmark = pytest.mark.browser

KCC = next(login for login in DEMO_LOGINS if login.role is Role.KCC)
EMPLOYEE = next(login for login in DEMO_LOGINS if login.role is Role.EMPLOYEE)


def _search_as_kcc(page: Page, server_url: str, *queries: str) -> None:
    log_in(page, server_url, KCC.email, then="/kcc")
    expect(page).to_have_url(f"{server_url}/kcc")
    for query in queries:
        page.locator("#q").fill(query)
        expect(page).to_have_url(re.compile("q=" + re.escape(quote(query))))


def test_typing_shows_the_colleagues_found(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    _search_as_kcc(page, server_url, EMPLOYEE.name)

    expect(page.locator("#kcc-results")).to_contain_text(EMPLOYEE.name)
    assert console_errors == []


def test_the_search_box_has_the_focus_when_the_finder_opens(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    log_in(page, server_url, KCC.email, then="/kcc")

    expect(page.locator("#q")).to_be_focused()
    assert console_errors == []


def test_enter_shows_the_colleagues_found_without_reloading_the_page(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    log_in(page, server_url, KCC.email, then="/kcc")
    expect(page.locator("#q")).to_be_focused()
    page.evaluate("window.sameFinderPage = true")

    page.keyboard.type(EMPLOYEE.name)
    page.keyboard.press("Enter")

    expect(page.locator("#kcc-results")).to_contain_text(EMPLOYEE.name)
    expect(page).to_have_url(re.compile("q=" + re.escape(quote(EMPLOYEE.name))))
    assert page.evaluate("window.sameFinderPage") is True
    expect(page.locator("#q")).to_be_focused()
    assert console_errors == []


def test_enter_asks_the_server_once(page: Page, server_url: str) -> None:
    log_in(page, server_url, KCC.email, then="/kcc")
    expect(page.locator("#q")).to_be_focused()
    searches: list[str] = []

    def note_search(request: Request) -> None:
        if "q=" in request.url:
            searches.append(request.url)

    page.on("request", note_search)

    page.keyboard.type("paspoort")
    page.keyboard.press("Enter")
    expect(page.locator("#kcc-results")).to_contain_text("paspoort")
    page.wait_for_timeout(500)  # longer than the pause after typing

    assert len(searches) == 1


def test_back_shows_the_earlier_query_in_the_search_box(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    _search_as_kcc(page, server_url, "burgerzaken", EMPLOYEE.name)

    page.go_back()

    expect(page).to_have_url(re.compile(r"q=burgerzaken"))
    expect(page.locator("#q")).to_have_value("burgerzaken")
    assert console_errors == []


def test_enter_in_the_callback_note_leaves_it_and_returns_to_the_search_naming_it(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    _search_as_kcc(page, server_url, EMPLOYEE.name)
    page.locator("#kcc-results").get_by_role("link", name="Terugbelverzoek").first.click()
    expect(page.locator("#resident_name")).to_be_focused()

    page.keyboard.type("mevrouw Jansen")
    page.locator("#callback_number").fill("06 12345678")
    page.locator("#question").fill("Wanneer is mijn paspoort klaar?")
    page.locator("#resident_name").press("Enter")

    expect(page).to_have_url(re.compile(r"/kcc\?q=.*&created=\d+"))
    expect(page.locator("#q")).to_have_value(EMPLOYEE.name)
    expect(page.locator("#kcc-results")).to_contain_text(EMPLOYEE.name)
    expect(page.get_by_role("status").filter(has_text="vastgelegd")).to_contain_text(EMPLOYEE.name)
    assert console_errors == []


def _rows_in_view(page: Page) -> int:
    """How many result rows are wholly on the screen, without scrolling."""
    count: int = page.evaluate(
        """() => Array.from(document.querySelectorAll('#kcc-results tr.presence-row'))
              .filter(row => row.getBoundingClientRect().bottom <= window.innerHeight).length"""
    )
    return count


def test_a_laptop_screen_shows_ten_colleagues_at_a_glance_in_working_hours(
    page: Page, server_url: str
) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    _search_as_kcc(page, server_url, "burgerzaken")
    expect(page.locator("#kcc-results tr.presence-row").nth(13)).to_be_attached()

    assert _rows_in_view(page) >= 10


def test_the_callback_buttons_of_the_results_are_one_size_and_big_enough_for_a_finger(
    page: Page, server_url: str
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    _search_as_kcc(page, server_url, "burgerzaken")
    buttons = page.locator("#kcc-results .button")
    expect(buttons.nth(5)).to_be_attached()

    sizes = {(round(box["width"]), round(box["height"])) for box in map(_box, buttons.all())}

    assert len(sizes) == 1
    ((width, height),) = sizes
    assert width >= 44 and height >= 44


def _box(locator: Locator) -> FloatRect:
    box = locator.bounding_box()
    assert box is not None
    return box


def test_the_team_boards_show_button_is_as_tall_as_its_team_select(
    page: Page, server_url: str
) -> None:
    log_in(page, server_url, KCC.email, then="/kcc")

    select = page.locator(".presence-team-pick select").bounding_box()
    button = page.locator(".presence-team-pick").get_by_role("button", name="Tonen").bounding_box()

    assert select is not None and button is not None
    assert abs(button["height"] - select["height"]) <= 2
