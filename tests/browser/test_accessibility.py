"""Every page, as the role that uses it sees it with the demo data, has no accessibility
problem that axe-core finds. Dutch government sites must meet
WCAG 2.1 AA (Besluit digitale toegankelijkheid overheid); this keeps what a machine can
check from slipping."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import accessibility_violations, log_in
from werkplek.demo import DEMO_LOGINS
from werkplek.people.models import Role

pytestmark = pytest.mark.browser

#: The pages each role works with (the floor plan has its own test in test_floor_plan).
PAGES: dict[Role, tuple[str, ...]] = {
    Role.EMPLOYEE: (
        "/",
        "/profile",
        "/book/desk",
        "/book/room",
        "/bookings",
        "/bookings/history",
        "/my-week",
        "/my-week/pattern",
        "/my-week/absence",
        "/teams/board",
        "/plan/list",
        "/visits",
        "/visits/new",
        "/notifications",
        "/no-such-page",
    ),
    Role.KCC: ("/kcc?q=jansen", "/callback-notes"),
    Role.TEAMLEAD: ("/visits/safety", "/visits/today", "/bookings/team-day", "/teams/1/absences"),
    Role.FACILITIES: (
        "/bookings/approvals",
        "/bookings/site-day",
        "/visitors/today",
        "/emergency",
        "/emergency/sites/1?confirm=start",
        "/bookings/qr-codes",
        "/analytics",
        "/analytics/space-plan",
        "/analytics/work-mix",
        "/admin/sites",
        "/admin/sites/new",
    ),
    Role.RECEPTION: ("/visitors/today",),
    Role.ADMIN: (
        "/admin/people",
        "/admin/people/new",
        "/admin/people/import",
        "/admin/people/2/deactivate",
        "/admin/teams",
        "/admin/audit",
        "/admin/system",
        "/admin/webhooks",
        "/admin/mail",
        "/feeds",
    ),
}
ROLE_PAGES = [(role, path) for role, paths in PAGES.items() for path in paths]


@pytest.fixture(scope="module")
def signed_in(browser: Browser, server_url: str) -> Iterator[dict[Role, Page]]:
    """One logged-in page per role, kept for the module: logging in for every page would
    spend most of the time on password hashing."""
    pages: dict[Role, Page] = {}
    for role in PAGES:
        login = next(login for login in DEMO_LOGINS if login.role is role)
        page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        log_in(page, server_url, login.email)
        pages[role] = page
    yield pages
    for page in pages.values():
        page.context.close()


@pytest.mark.parametrize(("role", "path"), ROLE_PAGES, ids=[f"{r}:{p}" for r, p in ROLE_PAGES])
def test_the_page_has_no_accessibility_violations(
    signed_in: dict[Role, Page], server_url: str, role: Role, path: str
) -> None:
    page = signed_in[role]
    page.goto(f"{server_url}{path}")
    page.wait_for_load_state("networkidle")

    assert accessibility_violations(page) == []


def test_the_login_page_has_no_accessibility_violations(page: Page, server_url: str) -> None:
    page.goto(f"{server_url}/login")

    assert accessibility_violations(page) == []
