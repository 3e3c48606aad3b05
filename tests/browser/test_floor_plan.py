"""The floor plan in a real browser: facilities place a desk by clicking on the plan, an
employee books it on the plan, and axe-core finds no accessibility problem."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import accessibility_violations, log_out
from werkplek.demo import DEMO_LOGINS, DEMO_PASSWORD
from werkplek.people.models import Role

pytestmark = pytest.mark.browser

EMPLOYEE = next(login for login in DEMO_LOGINS if login.role is Role.EMPLOYEE)
FACILITIES = next(login for login in DEMO_LOGINS if login.role is Role.FACILITIES)
DESK = "Flexplek 1.12"
DAY = "2026-12-04"  # a Friday after the demo's bookings, within booking range


def log_in(page: Page, server_url: str, email: str) -> None:
    page.goto(f"{server_url}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    expect(page).to_have_url(f"{server_url}/")


def first_floor_id(page: Page, server_url: str) -> str:
    page.goto(f"{server_url}/plan")
    option = page.locator("#plan-floor option", has_text="Eerste verdieping")
    value = option.get_attribute("value")
    assert value is not None
    return value


def test_facilities_place_a_desk_and_an_employee_books_it_on_the_plan(
    browser: object, server_url: str, page: Page, console_errors: list[str]
) -> None:
    log_in(page, server_url, FACILITIES.email)
    floor_id = first_floor_id(page, server_url)
    page.goto(f"{server_url}/admin/floors/{floor_id}/plan")
    row = page.locator("tr", has=page.get_by_role("rowheader", name=re.compile(DESK)))
    row.get_by_role("button", name="Van de plattegrond halen").click()
    expect(page.get_by_role("status").first).to_contain_text("Opgeslagen")
    choice = page.get_by_label(f"{DESK} plaatsen")
    space_id = choice.get_attribute("value")
    marker = page.locator(f"#marker-{space_id}")
    expect(marker).to_have_count(0)

    choice.check()
    plan = page.locator("svg.plan-editor-svg")
    box = plan.bounding_box()
    assert box is not None
    plan.click(position={"x": box["width"] * 0.6, "y": box["height"] * 0.06})

    expect(marker).to_have_count(1)
    assert abs(float(marker.get_attribute("data-x") or 0) - 0.6) < 0.02
    log_out(page)

    log_in(page, server_url, EMPLOYEE.email)
    page.goto(f"{server_url}/plan?floor={floor_id}&date={DAY}&day_part=morning")
    desk = page.locator(f"#desk-{space_id}")
    expect(desk).to_have_attribute("data-state", "free")
    desk.click()
    page.get_by_role("button", name=f"{DESK} reserveren").click()

    expect(page.locator("#plan-panel")).to_contain_text(f"Gereserveerd: {DESK}.")
    expect(page.locator(f"#desk-{space_id}")).to_have_attribute("data-state", "mine")
    assert console_errors == []


def test_the_plan_page_has_no_accessibility_violations(
    browser: object, server_url: str, page: Page
) -> None:
    log_in(page, server_url, EMPLOYEE.email)
    floor_id = first_floor_id(page, server_url)
    page.goto(f"{server_url}/plan?floor={floor_id}&date={DAY}&day_part=afternoon&find=Hoekstra")
    expect(page.locator("svg.plan-svg")).to_be_visible()
    assert accessibility_violations(page) == []
