"""On a phone (375 px wide) the field visits and admin tables become one card per row, so
the page does not scroll sideways; the room grid scrolls in its own frame with the room
names standing still, and a closed room says so next to its name."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.browser.conftest import DEMO_DAY, log_in
from werkplek.demo import DEMO_LOGINS, DemoLogin
from werkplek.people.models import Role

pytestmark = pytest.mark.browser

PHONE = ViewportSize(width=375, height=740)
LOGIN = {login.role: login for login in DEMO_LOGINS}
# The demo closes Tureluur for a day two working days after the demo day.
TURELUUR_CLOSED = date.fromisoformat(DEMO_DAY) + timedelta(days=2)


def _open_on_a_phone(page: Page, server_url: str, who: DemoLogin, path: str) -> None:
    page.set_viewport_size(PHONE)
    log_in(page, server_url, who.email, then=path)
    expect(page.locator("h1")).to_be_visible()


@pytest.mark.parametrize(
    ("role", "path"),
    [
        (Role.EMPLOYEE, "/visits"),
        (Role.FACILITIES, "/admin/sites"),
        (Role.FACILITIES, "/admin/sites/1"),
        (Role.ADMIN, "/admin/people"),
        (Role.ADMIN, "/admin/teams"),
        (Role.ADMIN, "/admin/audit"),
        (Role.ADMIN, "/admin/mail"),
    ],
)
def test_the_table_pages_fit_a_phone_without_scrolling_sideways(
    page: Page, server_url: str, role: Role, path: str
) -> None:
    _open_on_a_phone(page, server_url, LOGIN[role], path)

    expect(page.locator("table.stack-on-phone").first).to_be_visible()
    width: int = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]


def test_the_room_names_stay_put_and_a_closed_room_says_so_when_the_grid_scrolls(
    page: Page, server_url: str
) -> None:
    _open_on_a_phone(
        page, server_url, LOGIN[Role.EMPLOYEE], f"/book/room?date={TURELUUR_CLOSED.isoformat()}"
    )
    name = page.locator("th[scope=row]", has_text="Tureluur")
    closed = page.locator(".room-grid tr", has=name).locator(".slot-closed-text")
    page.locator(".room-grid-wrap").evaluate("wrap => { wrap.scrollLeft = 400 }")

    name_box, closed_box = name.bounding_box(), closed.bounding_box()
    assert name_box and closed_box
    assert name_box["x"] < 20  # still at the left edge of the grid
    assert name_box["x"] + name_box["width"] <= closed_box["x"]  # beside the name, not under it
    assert closed_box["x"] + closed_box["width"] <= PHONE["width"]
    expect(closed).to_contain_text("Gesloten")


def test_a_stacked_tables_caption_spans_the_cards_under_it(page: Page, server_url: str) -> None:
    _open_on_a_phone(page, server_url, LOGIN[Role.FACILITIES], "/admin/floors/1/plan")

    caption = page.locator("table.stack-on-phone caption").bounding_box()
    table = page.locator("table.stack-on-phone").bounding_box()
    assert caption is not None and table is not None
    assert caption["width"] == table["width"]


def test_a_chart_keeps_a_readable_size_on_a_phone_and_scrolls_in_its_frame(
    page: Page, server_url: str
) -> None:
    _open_on_a_phone(page, server_url, LOGIN[Role.FACILITIES], "/analytics")
    frame = page.locator("figure.analytics-chart").first

    tick_height: float = frame.locator(".chart-tick").first.evaluate(
        "tick => tick.getBoundingClientRect().height"
    )
    page_width: int = page.evaluate("document.documentElement.scrollWidth")
    assert tick_height >= 10  # 12 px in the chart: about 6 px when squeezed to the phone's width
    assert frame.evaluate("frame => frame.scrollWidth > frame.clientWidth")
    assert page_width <= PHONE["width"]
