"""The presence pages on a phone (375 px) in a real browser: the team board scrolls
sideways in its own region and not the page, My week's fields take the card's full width,
the bar about changes not saved never covers the field with focus, and the KCC finder says
what it found in its live region while one types."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.browser.conftest import log_in
from werkplek.demo import DEMO_LOGINS
from werkplek.people.models import Role

pytestmark = pytest.mark.browser

PHONE = ViewportSize(width=375, height=740)
EMPLOYEE = next(login for login in DEMO_LOGINS if login.role is Role.EMPLOYEE)
KCC = next(login for login in DEMO_LOGINS if login.role is Role.KCC)

FITS = "document.documentElement.scrollWidth <= window.innerWidth"


def test_the_team_board_scrolls_in_its_region_not_the_page(page: Page, server_url: str) -> None:
    page.set_viewport_size(PHONE)
    log_in(page, server_url, KCC.email, then="/kcc")
    page.locator(".presence-team-pick").get_by_role("button", name="Tonen").click()
    page.wait_for_load_state()  # the keys below are for the board, once it has loaded
    region = page.get_by_role("region", name="Wie van het team")
    expect(region).to_be_visible()

    assert page.evaluate(FITS)
    # The half days keep a readable width instead of a letter per line.
    narrowest = page.evaluate(
        "Math.min(...[...document.querySelectorAll('.presence-board tbody td.presence-cell')]"
        ".map(cell => cell.getBoundingClientRect().width))"
    )
    assert narrowest >= 40
    region.focus()
    page.keyboard.press("ArrowRight")
    expect(region).not_to_have_js_property("scrollLeft", 0)


def test_my_weeks_fields_take_the_full_width_of_a_day(page: Page, server_url: str) -> None:
    page.set_viewport_size(PHONE)
    log_in(page, server_url, EMPLOYEE.email, then="/my-week")
    day = page.locator(".presence-day").first
    expect(day).to_be_visible()

    assert page.evaluate(FITS)
    sticking_out = day.evaluate(
        """card => {
          const grid = card.querySelector('.presence-day-grid').getBoundingClientRect();
          return [...card.querySelectorAll('.presence-day-grid select, .presence-day-grid input')]
            .filter(field => field.offsetParent !== null)
            .filter(field => {
              const box = field.getBoundingClientRect();
              return box.right > grid.right + 1 || box.width < grid.width / 2;
            })
            .map(field => field.id);
        }"""
    )
    assert sticking_out == []


def test_the_bar_about_changes_not_saved_never_covers_the_focused_field(
    page: Page, server_url: str
) -> None:
    page.set_viewport_size(PHONE)
    log_in(page, server_url, EMPLOYEE.email, then="/my-week")
    note = page.locator(".presence-day").first.get_by_label("Toelichting voor collega's")
    note.fill("Om 14:00 bij de tandarts")
    bar = page.locator(".presence-unsaved")
    expect(bar).to_be_visible()

    covered = []
    for _ in range(25):
        page.keyboard.press("Tab")
        covered += page.evaluate(
            """() => {
              const focused = document.activeElement;
              const bar = document.querySelector('.presence-unsaved');
              if (bar.contains(focused)) return [];
              const top = bar.getBoundingClientRect().top;
              const under = focused.getBoundingClientRect().bottom > top + 1;
              return under ? [focused.id || focused.tagName] : [];
            }"""
        )
    assert covered == []


def test_the_finder_says_what_it_found_while_one_types(page: Page, server_url: str) -> None:
    page.set_viewport_size(PHONE)
    log_in(page, server_url, KCC.email, then="/kcc")
    count = page.locator("#kcc-count")
    search = page.get_by_role("searchbox", name="Naam, team of onderwerp")

    search.fill("zzzq")
    expect(count).to_have_text("Niemand gevonden voor ‘zzzq’.")
    search.fill("burgerzaken")
    expect(count).to_have_text(re.compile(r"^\d+ collega's gevonden\.$"))
    expect(search).to_be_focused()
    assert page.locator("#kcc-count").count() == 1
