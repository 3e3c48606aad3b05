"""Importing people on "Medewerkers importeren" in a real browser: the file chosen is
previewed, and the preview's button imports exactly that file (sent back in the form)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import accessibility_violations, log_in
from werkplek.demo import DEMO_LOGINS
from werkplek.people.models import Role

pytestmark = pytest.mark.browser

ADMIN = next(login for login in DEMO_LOGINS if login.role is Role.ADMIN)
#: As Excel saves "CSV UTF-8" in a Dutch locale: byte-order mark, semicolons, CRLF.
FILE = "\ufeffe-mailadres;naam;taal\r\nzoë.ünal@gemeente.example;Zoë Ünal;nl\r\n".encode()


def _preview(page: Page, server_url: str) -> None:
    log_in(page, server_url, ADMIN.email, then="/admin/people/import")
    page.get_by_label("CSV-bestand").set_input_files(
        {"name": "hr.csv", "mimeType": "text/csv", "buffer": FILE}
    )
    page.get_by_role("button", name="Voorbeeld bekijken").click()


def test_the_preview_of_a_file_has_no_accessibility_violations(page: Page, server_url: str) -> None:
    _preview(page, server_url)

    expect(
        page.get_by_role("heading", name="Voorbeeld: er is nog niets opgeslagen")
    ).to_be_visible()
    assert accessibility_violations(page) == []


def test_the_previewed_file_is_imported_with_its_button(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    _preview(page, server_url)

    page.get_by_role("button", name="Importeren", exact=True).click()

    expect(page.get_by_text("Het bestand is geïmporteerd.")).to_be_visible()
    page.get_by_text("Nieuw (1)").click()
    expect(page.get_by_text("zoë.ünal@gemeente.example")).to_be_visible()
    assert console_errors == []
