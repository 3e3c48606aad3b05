"""The team board on a 1366×768 screen in a real browser: the whole of Burgerzaken in one
glance at 10:00 on a working day, and the lead planning a member's week from it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.browser.conftest import accessibility_violations, log_in
from werkplek.demo import DEMO_LOGINS
from werkplek.people.models import Role

pytestmark = pytest.mark.browser

LAPTOP = ViewportSize(width=1366, height=768)
KCC = next(login for login in DEMO_LOGINS if login.role is Role.KCC)
LEAD = next(login for login in DEMO_LOGINS if login.role is Role.TEAMLEAD)
EMPLOYEE = next(login for login in DEMO_LOGINS if login.role is Role.EMPLOYEE)


def _open_burgerzaken(page: Page, server_url: str, email: str) -> None:
    page.set_viewport_size(LAPTOP)
    log_in(page, server_url, email, then="/kcc")
    page.locator(".presence-team-pick select").select_option(label="Burgerzaken")
    page.locator(".presence-team-pick").get_by_role("button", name="Tonen").click()
    expect(page.get_by_role("heading", name="Teamoverzicht: Burgerzaken")).to_be_visible()


def test_every_member_of_the_team_is_on_a_laptop_screen_at_once(
    page: Page, server_url: str
) -> None:
    _open_burgerzaken(page, server_url, KCC.email)

    lowest = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.presence-board tbody tr')]"
        ".map(row => row.getBoundingClientRect().bottom))"
    )
    assert lowest <= LAPTOP["height"]


def test_the_boards_show_button_is_as_tall_as_its_team_select_on_a_laptop(
    page: Page, server_url: str
) -> None:
    _open_burgerzaken(page, server_url, KCC.email)

    select = page.locator(".presence-team-pick select").bounding_box()
    button = page.locator(".presence-team-pick").get_by_role("button", name="Tonen").bounding_box()

    assert select is not None and button is not None
    assert abs(button["height"] - select["height"]) <= 2


def test_the_board_fits_a_laptop_screen_sideways(page: Page, server_url: str) -> None:
    _open_burgerzaken(page, server_url, KCC.email)

    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_lead_plans_a_members_day_from_the_board(page: Page, server_url: str) -> None:
    _open_burgerzaken(page, server_url, LEAD.email)
    page.get_by_role("link", name=f"{EMPLOYEE.name} (week plannen)").click()
    expect(page.get_by_role("heading", name=f"Week van {EMPLOYEE.name}")).to_be_visible()

    day = page.locator(".presence-day").nth(4)
    day.get_by_label("Of de hele dag").select_option("home")
    day.get_by_role("button", name="Opslaan").click()

    expect(page.locator(".presence-day").nth(4).get_by_role("status")).to_have_text("Opgeslagen.")


def test_a_members_week_has_no_accessibility_violations(page: Page, server_url: str) -> None:
    _open_burgerzaken(page, server_url, LEAD.email)
    page.get_by_role("link", name=f"{EMPLOYEE.name} (week plannen)").click()
    expect(page.get_by_role("heading", name=f"Week van {EMPLOYEE.name}")).to_be_visible()

    assert accessibility_violations(page) == []


def test_the_lead_sees_the_board_without_accessibility_violations(
    page: Page, server_url: str
) -> None:
    _open_burgerzaken(page, server_url, LEAD.email)

    assert accessibility_violations(page) == []
