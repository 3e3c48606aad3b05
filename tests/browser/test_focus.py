"""Where the focus goes after an htmx swap, in a real browser: to the news about what was
just done (never to a link before it), and nowhere at all when a page refreshes itself; a
refresh the server refuses never puts its error into the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in
from werkplek.demo import DEMO_LOGINS
from werkplek.people.models import Role

pytestmark = pytest.mark.browser

EMPLOYEE = next(login for login in DEMO_LOGINS if login.role is Role.EMPLOYEE)
TEAMLEAD = next(login for login in DEMO_LOGINS if login.role is Role.TEAMLEAD)
KCC = next(login for login in DEMO_LOGINS if login.role is Role.KCC)
FOCUSED = "() => document.activeElement.id"


def open_polled(page: Page, url: str) -> None:
    """Open a page that polls, with the browser's clock under the test's control, counting
    the swaps of its polls on the body (``refresh_board``)."""
    page.clock.install()
    page.goto(url)
    page.evaluate(
        """() => document.body.addEventListener("htmx:afterSwap", () => {
          document.body.dataset.boardSwaps = Number(document.body.dataset.boardSwaps || 0) + 1;
        })"""
    )


def refresh_board(page: Page, count: int, seconds: int = 15) -> None:
    """Let the board's polling interval pass, and wait until it has been redrawn for the
    ``count``th time."""
    page.clock.run_for((seconds + 1) * 1000)
    expect(page.locator("body")).to_have_attribute("data-board-swaps", str(count))
    page.clock.run_for(100)  # htmx settles the new content after 20 ms


def test_the_safety_boards_refresh_moves_neither_focus_nor_page(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    log_in(page, server_url, TEAMLEAD.email)
    open_polled(page, f"{server_url}/visits/safety")
    call = page.locator("#safety-board a[href^='tel:']").last
    call.focus()
    page.evaluate("window.scrollBy(0, 80)")
    focused, scrolled = page.evaluate(FOCUSED), page.evaluate("window.scrollY")
    assert focused.startswith("board-call-")

    refresh_board(page, 1)

    assert page.evaluate(FOCUSED) == focused
    assert page.evaluate("document.activeElement.isConnected")
    assert page.evaluate("window.scrollY") == scrolled

    page.evaluate("document.activeElement.blur()")  # reading, further down, focus nowhere
    refresh_board(page, 2)

    assert page.evaluate("document.activeElement === document.body")
    assert page.evaluate("window.scrollY") == scrolled
    assert console_errors == []


def test_the_team_boards_refresh_keeps_the_focus_on_the_colleague(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    log_in(page, server_url, KCC.email)
    open_polled(page, f"{server_url}/teams/board")
    page.locator("#team-board a[id^='board-name-']").nth(2).focus()
    focused = page.evaluate(FOCUSED)

    refresh_board(page, 1, seconds=60)

    assert page.evaluate(FOCUSED) == focused
    assert page.evaluate("document.activeElement.isConnected")
    assert console_errors == []


BOARD_TABLE = "**/teams/*/board/table*"


def test_a_boards_refresh_answered_not_found_opens_the_whole_page_again(
    page: Page, server_url: str
) -> None:
    log_in(page, server_url, KCC.email)
    open_polled(page, f"{server_url}/teams/board")
    page.route(
        BOARD_TABLE,
        lambda route: route.fulfill(status=404, body="<h1>Niet gevonden</h1>"),
        times=1,
    )

    with page.expect_navigation():
        page.clock.run_for(61_000)

    expect(page.locator("#team-board a[id^='board-name-']").first).to_be_visible()
    expect(page.get_by_text("Niet gevonden")).to_have_count(0)


def test_a_boards_refresh_answered_too_many_requests_keeps_the_board(
    page: Page, server_url: str
) -> None:
    log_in(page, server_url, KCC.email)
    open_polled(page, f"{server_url}/teams/board")
    page.evaluate(
        """() => document.body.addEventListener("htmx:afterRequest", () => {
          document.body.dataset.boardRequests = "done";
        })"""
    )
    names = page.locator("#team-board a[id^='board-name-']").all_inner_texts()
    page.route(
        BOARD_TABLE, lambda route: route.fulfill(status=429, body="<h1>Te veel verzoeken</h1>")
    )

    page.clock.run_for(61_000)

    expect(page.locator("body")).to_have_attribute("data-board-requests", "done")
    assert page.locator("#team-board a[id^='board-name-']").all_inner_texts() == names
    expect(page.get_by_text("Te veel verzoeken")).to_have_count(0)


def test_after_booking_a_desk_the_focus_is_on_the_confirmation(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    # On Monday 30 November the demo employee holds no desk yet.
    log_in(page, server_url, EMPLOYEE.email, then="/book/desk?date=2026-11-30&free=1")
    book = page.locator("button[name=space_id]").first
    desk = book.inner_text().removesuffix(" reserveren")

    book.focus()
    page.keyboard.press("Enter")

    confirmation = page.locator("#desk-results [role=status]")
    expect(confirmation).to_have_text(f"Gereserveerd: {desk}.")
    expect(confirmation).to_be_focused()
    assert console_errors == []


def test_a_refused_room_form_comes_back_with_the_focus_on_its_error_summary(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    log_in(page, server_url, EMPLOYEE.email, then="/book/room?date=2026-11-26")
    page.get_by_label("Van", exact=True).fill("14:00")
    page.get_by_label("Tot", exact=True).fill("13:00")

    page.get_by_role("button", name="Reserveren", exact=True).click()

    summary = page.locator("[role=alert]", has_text="Tot: De eindtijd moet na de begintijd liggen.")
    expect(summary).to_be_focused()
    assert console_errors == [
        "Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)"
    ]


def test_marking_a_callback_note_done_focuses_the_news_not_the_number(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    log_in(page, server_url, EMPLOYEE.email)
    note = page.locator("li.presence-note").filter(
        has=page.get_by_role("button", name="Markeer als afgehandeld")
    )
    note_id = note.first.get_attribute("id")

    note.first.get_by_role("button", name="Markeer als afgehandeld").press("Enter")

    news = page.locator(f"#{note_id} [role=status]")
    expect(news).to_have_text("Afgehandeld.")
    expect(news).to_be_focused()
    assert console_errors == []


def test_tabbing_out_of_ones_own_menu_closes_it(page: Page, server_url: str) -> None:
    log_in(page, server_url, EMPLOYEE.email)
    menu = page.locator(".account-menu")
    menu.locator("summary").click()
    expect(menu).to_have_attribute("open", "")
    last = menu.locator("a, button").last

    last.focus()
    page.keyboard.press("Tab")

    expect(menu).not_to_have_attribute("open", "")


def test_a_refused_callback_note_leads_from_its_error_summary_to_the_field_at_fault(
    page: Page, server_url: str
) -> None:
    """A whole page comes back (422, no htmx) on its summary, whose line names the field
    and leads to it: the agent types on without tabbing past the menu and the form."""
    log_in(page, server_url, KCC.email, then="/kcc?q=jansen")
    page.get_by_role("link", name="Terugbelverzoek", exact=True).first.click()
    page.wait_for_load_state()  # the script that sends on Control+Enter runs deferred
    page.locator("#callback_number").fill("abc")
    page.locator("#question").fill("Vraag over een vergunning")
    page.locator("#question").press("Control+Enter")
    expect(page.locator("[role=alert]", has_text="Terugbelnummer:")).to_be_focused()

    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    expect(page.locator("#callback_number")).to_be_focused()
