"""On a phone (390 px wide) the pages people use on the way fit the screen: wide tables
become one card per row, and only the room grid and the report tables scroll sideways,
inside their own frames."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.browser.conftest import log_in, menu_link
from werkplek.demo import DEMO_LOGINS, DemoLogin
from werkplek.people.models import Role

pytestmark = pytest.mark.browser

PHONE = ViewportSize(width=390, height=844)
EMPLOYEE = next(login for login in DEMO_LOGINS if login.role is Role.EMPLOYEE)
KCC = next(login for login in DEMO_LOGINS if login.role is Role.KCC)
FACILITIES = next(login for login in DEMO_LOGINS if login.role is Role.FACILITIES)


def _page_width_after_login(page: Page, server_url: str, who: DemoLogin, path: str) -> int:
    page.set_viewport_size(PHONE)
    log_in(page, server_url, who.email, then=path)
    expect(page.locator("h1")).to_be_visible()
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/bookings",
        "/book/desk",
        "/book/room",
        "/plan",
        "/plan/list",
        "/my-week",
        "/my-week/pattern",
        "/my-week/absence",
    ],
)
def test_an_employees_page_fits_a_phone_without_scrolling_sideways(
    page: Page, server_url: str, path: str
) -> None:
    assert _page_width_after_login(page, server_url, EMPLOYEE, path) <= PHONE["width"]


@pytest.mark.parametrize("path", ["/kcc?q=burgerzaken", "/callback-notes"])
def test_the_kcc_pages_fit_a_phone_without_scrolling_sideways(
    page: Page, server_url: str, path: str
) -> None:
    assert _page_width_after_login(page, server_url, KCC, path) <= PHONE["width"]


@pytest.mark.parametrize(
    "path",
    [
        "/bookings/approvals",
        "/bookings/site-day",
        "/analytics",
        "/analytics/space-plan",
        "/analytics/work-mix",
    ],
)
def test_the_facilities_pages_fit_a_phone_without_scrolling_sideways(
    page: Page, server_url: str, path: str
) -> None:
    """Wide report tables scroll inside their own frame, not the page."""
    assert _page_width_after_login(page, server_url, FACILITIES, path) <= PHONE["width"]


def test_on_a_phone_the_menu_is_folded_behind_a_menu_button(page: Page, server_url: str) -> None:
    _page_width_after_login(page, server_url, EMPLOYEE, "/")

    expect(menu_link(page, "Mijn reserveringen")).to_be_hidden()


def test_on_a_phone_the_menu_button_opens_the_menu(page: Page, server_url: str) -> None:
    _page_width_after_login(page, server_url, EMPLOYEE, "/")

    page.get_by_role("button", name="Menu").click()

    expect(menu_link(page, "Mijn reserveringen")).to_be_visible()


def test_on_a_phone_the_language_switch_stays_on_the_brands_line_in_english(
    page: Page, server_url: str
) -> None:
    _page_width_after_login(page, server_url, EMPLOYEE, "/")
    page.get_by_role("button", name="English").click()

    switch = page.get_by_role("button", name="Nederlands").bounding_box()
    brand = page.locator(".brand").bounding_box()
    assert switch is not None and brand is not None
    assert switch["y"] < brand["y"] + brand["height"]


def test_on_a_phone_every_desk_on_the_plan_is_a_target_of_at_least_24_px(
    page: Page, server_url: str
) -> None:
    """WCAG 2.5.8: the plan keeps a width at which a finger hits the desk it means, and
    scrolls sideways in its own frame."""
    _page_width_after_login(page, server_url, EMPLOYEE, "/plan")

    sizes = page.eval_on_selector_all(
        "a.plan-desk",
        "desks => desks.map(d => Math.min(d.getBoundingClientRect().width,"
        " d.getBoundingClientRect().height))",
    )

    assert sizes and min(sizes) >= 24


def test_the_plan_keeps_its_sideways_scroll_when_the_poll_redraws_it(
    page: Page, server_url: str
) -> None:
    _page_width_after_login(page, server_url, EMPLOYEE, "/plan")
    page.locator("#plan-scroll").evaluate("frame => { frame.scrollLeft = 120; }")
    # A changed ETag makes the next poll redraw the plan; "plan-changed" polls at once.
    page.locator("#plan-live").evaluate("live => live.setAttribute('data-etag', 'older')")

    page.evaluate("htmx.trigger(document.body, 'plan-changed')")

    expect(page.locator("#plan-live")).not_to_have_attribute("data-etag", "older")
    assert page.locator("#plan-scroll").evaluate("frame => frame.scrollLeft") == 120


@pytest.mark.parametrize(
    "viewport", [PHONE, ViewportSize(width=1366, height=768)], ids=["phone", "laptop"]
)
def test_the_opened_decline_form_stays_on_the_screen(
    page: Page, server_url: str, viewport: ViewportSize
) -> None:
    """The reason field opens beside or under the buttons; its label wraps rather than
    pushing the form past the table's edge."""
    page.set_viewport_size(viewport)
    log_in(page, server_url, FACILITIES.email, then="/bookings/approvals")
    page.locator("details.decline summary").first.click()

    form = page.locator("details.decline[open] form").bounding_box()

    assert form is not None and form["x"] + form["width"] <= viewport["width"]
