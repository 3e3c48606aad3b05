"""Selects of people in a real browser: the box before them asks the server for the
names containing what is typed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in
from werkplek.demo import DEMO_LOGINS
from werkplek.people.models import Role

pytestmark = pytest.mark.browser

EMPLOYEE = next(login for login in DEMO_LOGINS if login.role is Role.EMPLOYEE)


def _type_in_companion_box(page: Page, server_url: str, text: str) -> None:
    """On the visit form, type ``text`` in the box before "Colleague who goes along"."""
    log_in(page, server_url, EMPLOYEE.email, then="/visits/new")
    page.get_by_label("Zoeken op een deel van de naam of het e-mailadres").fill(text)


def test_typing_offers_only_the_names_containing_it(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    _type_in_companion_box(page, server_url, "smeding")

    expect(page.locator("#second_visitor_id option")).to_have_text(["Niemand", "Eline Smeding"])
    assert console_errors == []


def test_typing_chooses_the_first_name_when_nobody_was_chosen(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    _type_in_companion_box(page, server_url, "smeding")

    expect(page.locator("#second_visitor_id option:checked")).to_have_text("Eline Smeding")


def test_emptying_the_box_keeps_the_name_chosen(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    _type_in_companion_box(page, server_url, "smeding")
    expect(page.locator("#second_visitor_id option:checked")).to_have_text("Eline Smeding")

    page.get_by_label("Zoeken op een deel van de naam of het e-mailadres").fill("")

    expect(page.locator("#second_visitor_id option")).not_to_have_count(2)
    expect(page.locator("#second_visitor_id option:checked")).to_have_text("Eline Smeding")


ADMIN = next(login for login in DEMO_LOGINS if login.role is Role.ADMIN)


def test_typing_in_the_team_box_keeps_the_matching_teams_and_the_ticked_ones(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    log_in(page, server_url, ADMIN.email, then="/admin/people/new")
    page.get_by_label("Lid van KCC", exact=True).check()

    page.get_by_label("Een team zoeken op een deel van de naam").fill("zaken")

    expect(page.locator("#team-rows tr:visible th")).to_have_text(["Burgerzaken", "KCC"])
    assert console_errors == []


def test_enter_in_the_team_box_does_not_submit_the_person_form(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    log_in(page, server_url, ADMIN.email, then="/admin/people/new")
    box = page.get_by_label("Een team zoeken op een deel van de naam")

    box.fill("vergun")
    box.press("Enter")

    page.wait_for_timeout(300)
    assert page.url.endswith("/admin/people/new")
    assert console_errors == []


KCC = next(login for login in DEMO_LOGINS if login.role is Role.KCC)


def test_enter_in_the_colleague_box_of_a_callback_note_chooses_the_colleague_not_the_form(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    log_in(page, server_url, KCC.email, then="/callback-notes")
    box = page.get_by_label("Zoeken op een deel van de naam of het e-mailadres")

    box.fill("smeding")
    box.press("Enter")

    expect(page.locator("#person_id option:checked")).to_have_text("Eline Smeding")
    expect(box).to_be_focused()
    assert page.url.endswith("/callback-notes")
    assert console_errors == []


def test_enter_in_the_colleague_box_of_a_callback_note_chooses_the_colleague_without_script(
    page_without_script: Page, server_url: str
) -> None:
    page = page_without_script
    log_in(page, server_url, KCC.email, then="/callback-notes")
    box = page.get_by_placeholder("Naam of e-mailadres")

    box.fill("smeding")
    box.press("Enter")

    expect(page.locator("#person_id option:checked")).to_have_text("Eline Smeding")


def test_searching_a_colleague_without_script_keeps_the_question_out_of_the_address(
    page_without_script: Page, server_url: str
) -> None:
    page = page_without_script
    log_in(page, server_url, KCC.email, then="/callback-notes")
    page.get_by_label("Vraag van de inwoner").fill("Wanneer is mijn paspoort klaar?")
    page.get_by_placeholder("Naam of e-mailadres").fill("smeding")

    page.locator("#person_id-search + [data-person-find]").click()

    expect(page.get_by_label("Vraag van de inwoner")).to_have_value(
        "Wanneer is mijn paspoort klaar?"
    )
    assert page.url == f"{server_url}/callback-notes"


def _fill_note_for_eline_smeding(page: Page, server_url: str) -> None:
    """On the callback notes page, a note for Eline Smeding (found by typing part of her
    name, and without the script by Enter in the box), its question and number filled."""
    log_in(page, server_url, KCC.email, then="/callback-notes")
    box = page.get_by_placeholder("Naam of e-mailadres")
    box.fill("Smeding")
    box.press("Enter")
    expect(page.locator("#person_id option:checked")).to_have_text("Eline Smeding")
    page.get_by_label("Vraag van de inwoner").fill("Wanneer is mijn paspoort klaar?")
    page.get_by_label("Terugbelnummer").fill("06 12345678")


def test_enter_in_the_callback_number_leaves_the_note_without_script(
    page_without_script: Page, server_url: str
) -> None:
    page = page_without_script
    _fill_note_for_eline_smeding(page, server_url)

    page.get_by_label("Terugbelnummer").press("Enter")

    expect(page).to_have_url(re.compile(r"/callback-notes\?created=\d+$"))


def test_enter_in_the_callback_number_after_typing_a_name_looks_it_up_without_script(
    page_without_script: Page, server_url: str
) -> None:
    page = page_without_script
    log_in(page, server_url, KCC.email, then="/callback-notes")
    page.get_by_placeholder("Naam of e-mailadres").fill("smeding")
    number = page.get_by_label("Terugbelnummer")
    number.fill("06 12345678")

    number.press("Enter")

    expect(page.locator("#person_id option:checked")).to_have_text("Eline Smeding")
    expect(page.get_by_label("Terugbelnummer")).to_have_value("06 12345678")
    assert page.url == f"{server_url}/callback-notes"


def test_enter_in_the_callback_number_leaves_the_note(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    _fill_note_for_eline_smeding(page, server_url)

    page.get_by_label("Terugbelnummer").press("Enter")

    expect(page).to_have_url(re.compile(r"/callback-notes\?created=\d+$"))
    assert console_errors == []


def test_ctrl_enter_in_the_question_leaves_the_note(
    page: Page, server_url: str, console_errors: list[str]
) -> None:
    _fill_note_for_eline_smeding(page, server_url)

    page.get_by_label("Vraag van de inwoner").press("Control+Enter")

    expect(page).to_have_url(re.compile(r"/callback-notes\?created=\d+$"))
    assert console_errors == []
