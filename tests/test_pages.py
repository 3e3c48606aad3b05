"""The pages every role shares: home, language choice, error pages, static files."""

from __future__ import annotations

import re
from datetime import time
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson
from tests.people.helpers import anonymous_csrf
from werkplek.clock import FixedClock
from werkplek.feeds import services as feed_services
from werkplek.people import middleware
from werkplek.people.models import Person, Role
from werkplek.people.schemas import ApiTokenIn
from werkplek.people.services import create_api_token, current_user_for
from werkplek.rooms.models import OpeningHours, Site, Space

Client = AsyncTestClient[Litestar]


async def _fails(*args: Any) -> None:
    raise RuntimeError("a bug")


# --- home ---------------------------------------------------------------------------------


async def test_the_home_page_greets_the_person_with_todays_date_in_dutch(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna de Vries"))

    response = await client.get("/")

    assert response.status_code == 200
    assert "Goedendag, Anna de Vries" in response.text
    assert "woensdag 25 november 2026" in response.text


async def test_the_home_page_gives_the_date_in_english_for_english_speakers(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anne", language="en"))

    response = await client.get("/")

    assert "Wednesday 25 November 2026" in response.text


async def test_facilities_see_the_sites_tile_but_not_the_people_tile(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Fenna", roles=(Role.FACILITIES,)))

    response = await client.get("/")

    assert 'href="/admin/sites"' in response.text
    assert 'href="/admin/people"' not in response.text


async def test_an_employee_sees_no_admin_tiles(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna"))

    response = await client.get("/")

    assert 'href="/admin/' not in response.text


async def test_an_admin_sees_every_admin_tile(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.get("/")

    assert "Locaties en ruimtes" in response.text
    assert "Medewerkers en teams" in response.text


async def test_anonymous_visitors_of_the_home_page_are_sent_to_log_in(client: Client) -> None:
    response = await client.get("/", follow_redirects=False)

    assert response.status_code in {302, 303}
    assert response.headers["location"] == "/login?next=/"


async def test_logging_in_from_a_link_keeps_the_links_query(client: Client) -> None:
    response = await client.get("/book/desk?site=2&date=2026-12-08", follow_redirects=False)

    assert response.headers["location"] == "/login?next=/book/desk%3Fsite%3D2%26date%3D2026-12-08"


async def test_a_background_refresh_after_the_login_expired_sends_the_whole_page_to_log_in(
    client: Client,
) -> None:
    """Not the login page into the refreshed part of the page (htmx follows the header)."""
    headers = {"HX-Request": "true", "HX-Current-URL": "http://testserver/teams/7/board?x=1"}

    response = await client.get("/teams/7/board/table", headers=headers)

    assert (response.status_code, response.headers["HX-Redirect"], response.text) == (
        401,
        "/login?next=/teams/7/board%3Fx%3D1",
        "",
    )


async def test_a_background_refresh_without_its_page_sends_itself_to_log_in(
    client: Client,
) -> None:
    response = await client.get("/visits/safety/board", headers={"HX-Request": "true"})

    assert response.headers["HX-Redirect"] == "/login?next=/visits/safety/board"


# --- language -----------------------------------------------------------------------------


async def test_the_login_page_is_dutch_by_default(client: Client) -> None:
    response = await client.get("/login")

    assert '<html lang="nl">' in response.text
    assert "Inloggen bij Werkplek" in response.text


async def test_a_browser_asking_for_english_gets_english(client: Client) -> None:
    response = await client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"})

    assert '<html lang="en">' in response.text
    assert "Log in to Werkplek" in response.text


async def test_a_browser_asking_for_an_unknown_language_gets_dutch(client: Client) -> None:
    response = await client.get("/login", headers={"Accept-Language": "fr-FR"})

    assert "Inloggen bij Werkplek" in response.text


async def test_an_anonymous_visitor_switches_to_english_with_a_cookie(client: Client) -> None:
    csrf = await anonymous_csrf(client)

    switched = await client.post(
        "/language", data={"_csrf": csrf, "lang": "en", "next": "/login"}, follow_redirects=False
    )
    response = await client.get("/login")

    assert switched.headers["location"] == "/login"
    assert "Log in to Werkplek" in response.text


async def test_the_language_switch_comes_back_to_the_page_with_its_query(client: Client) -> None:
    response = await client.get("/login", params={"next": "/book/room?site=1&date=2026-11-26"})

    assert (
        'name="next" value="/login?next=%2Fbook%2Froom%3Fsite%3D1%26date%3D2026-11-26"'
        in response.text
    )


async def test_an_unknown_language_is_ignored(client: Client) -> None:
    csrf = await anonymous_csrf(client)

    await client.post("/language", data={"_csrf": csrf, "lang": "fr", "next": "/login"})
    response = await client.get("/login")

    assert "Inloggen bij Werkplek" in response.text


async def test_the_language_switch_sends_only_to_this_site(client: Client) -> None:
    csrf = await anonymous_csrf(client)

    response = await client.post(
        "/language",
        data={"_csrf": csrf, "lang": "en", "next": "https://evil.example/"},
        follow_redirects=False,
    )

    assert response.headers["location"] == "/"


async def test_a_logged_in_person_keeps_the_language_they_switch_to(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person("Anna")
    headers = await login_as(anna)

    await client.post(
        "/language", data={"_csrf": headers["X-CSRF-Token"], "lang": "en", "next": "/profile"}
    )
    client.cookies.delete("werkplek_lang")  # another browser: only the stored choice remains
    response = await client.get("/profile")

    await db.rollback()
    stored = await db.get(Person, anna.id, populate_existing=True)
    assert stored is not None
    assert stored.language == "en"
    assert "My profile" in response.text


async def test_a_persons_stored_language_beats_the_browser(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna", language="nl"))

    response = await client.get("/profile", headers={"Accept-Language": "en"})

    assert "Mijn profiel" in response.text


# --- one template, two languages ----------------------------------------------------------
# Jinja works out a filter with a constant argument once, when it compiles a template, in
# the language of whoever asked for it first; these pages compile afresh in one language
# and are then read in the other.


async def _desk_page_read_after(
    app: Litestar,
    client: Client,
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
    first: str,
    then: str,
) -> str:
    site = Site(name="Stadhuis", kind="central_office", timezone="Europe/Amsterdam")
    site.opening_hours = [OpeningHours(weekday=d, opens=time(8), closes=time(18)) for d in range(5)]
    db.add(site)
    await db.flush()
    db.add(Space(site_id=site.id, name="Flexplek 1.01", kind="desk", capacity=1))
    await db.commit()
    app.template_engine.engine.cache.clear()  # type: ignore[union-attr]
    url = f"/book/desk?site={site.id}&date=2026-11-26"
    await login_as(await make_person("Eerste", language=first))
    await client.get(url)
    await login_as(await make_person("Dan", language=then))
    return (await client.get(url)).text


async def test_the_desk_table_names_its_half_days_in_english_after_a_dutch_reader(
    app: Litestar, client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    page = await _desk_page_read_after(app, client, db, make_person, login_as, "nl", "en")

    assert [
        page.count(f'"col">{w}</th>') + page.count(f'data-label="{w}"')
        for w in ("Morning", "Afternoon")
    ] == [2, 2]


async def test_the_desk_table_names_its_half_days_in_dutch_after_an_english_reader(
    app: Litestar, client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    page = await _desk_page_read_after(app, client, db, make_person, login_as, "en", "nl")

    assert [
        page.count(f'"col">{w}</th>') + page.count(f'data-label="{w}"')
        for w in ("Ochtend", "Middag")
    ] == [2, 2]


# --- errors and static files --------------------------------------------------------------


async def test_an_unknown_page_is_a_404_page_in_dutch(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna"))

    response = await client.get("/bestaat-niet")

    assert response.status_code == 404
    assert "Deze pagina bestaat niet." in response.text
    assert "Terug naar de startpagina" in response.text


async def test_an_unknown_page_keeps_the_menu_and_name_of_whoever_is_logged_in(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna de Vries"))

    response = await client.get("/bestaat-niet")

    assert ('aria-label="Hoofdmenu"' in response.text, "Anna de Vries" in response.text) == (
        True,
        True,
    )


async def test_an_unknown_page_speaks_the_language_of_whoever_is_logged_in(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anne", language="en"))

    response = await client.get("/no-such-page", headers={"Accept-Language": "nl"})

    assert "This page does not exist." in response.text


async def test_an_unknown_page_shows_no_menu_to_someone_not_logged_in(client: Client) -> None:
    response = await client.get("/bestaat-niet")

    assert (response.status_code, 'aria-label="Hoofdmenu"' in response.text) == (404, False)


async def test_an_unknown_page_still_answers_while_the_database_is_away(
    client: Client, make_person: MakePerson, login_as: LoginAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    await login_as(await make_person("Anna"))

    async def refused(*args: Any) -> None:
        raise ConnectionRefusedError("database down")

    monkeypatch.setattr(middleware, "user_for_session_token", refused)

    response = await client.get("/bestaat-niet")

    assert (response.status_code, "Deze pagina bestaat niet." in response.text) == (404, True)


async def test_an_unknown_page_may_not_be_framed_by_other_sites(client: Client) -> None:
    response = await client.get("/bestaat-niet")

    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


async def test_a_page_that_fails_shows_the_error_page_with_the_menu(
    client: Client, make_person: MakePerson, login_as: LoginAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    await login_as(await make_person("Anna"))
    monkeypatch.setattr(feed_services, "list_tokens", _fails)

    response = await client.get("/feeds")

    assert (response.status_code, "Er ging bij ons iets mis." in response.text) == (500, True)
    assert 'aria-label="Hoofdmenu"' in response.text


async def test_an_api_call_that_fails_answers_in_the_apis_error_shape(
    client: Client, make_person: MakePerson, login_as: LoginAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    await login_as(await make_person("Anna"))
    monkeypatch.setattr(feed_services, "list_tokens", _fails)

    response = await client.get("/api/feeds")

    assert (response.status_code, response.json()["error"]) == (500, "internal_error")


async def test_an_unknown_api_route_is_404_in_json(client: Client) -> None:
    response = await client.get("/api/bestaat-niet")

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


async def test_an_unknown_api_route_answers_in_the_language_of_the_session(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anne", language="en"))

    response = await client.get("/api/nope", headers={"Accept-Language": "nl"})

    assert response.json() == {"error": "not_found", "message": "This page does not exist."}


async def test_an_unknown_api_route_answers_in_the_language_of_the_tokens_owner(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson
) -> None:
    anne = await make_person("Anne", language="en")
    created = await create_api_token(db, clock, current_user_for(anne), ApiTokenIn(name="script"))
    await db.commit()

    response = await client.get("/api/nope", headers={"Authorization": f"Bearer {created.token}"})

    assert response.json()["message"] == "This page does not exist."


async def test_an_api_route_called_with_a_method_it_does_not_take_answers_in_the_callers_language(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anne", language="en"))

    response = await client.delete("/api/me")

    assert (response.status_code, response.json()["message"]) == (
        405,
        "This method is not allowed here.",
    )


async def test_an_unknown_api_route_answers_while_the_database_is_away(
    client: Client, make_person: MakePerson, login_as: LoginAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    await login_as(await make_person("Anne", language="en"))

    async def refused(*args: Any) -> None:
        raise ConnectionRefusedError("database down")

    monkeypatch.setattr(middleware, "user_for_session_token", refused)

    response = await client.get("/api/nope")

    assert (response.status_code, response.json()["error"]) == (404, "not_found")


async def test_static_files_are_served_without_logging_in(client: Client) -> None:
    response = await client.get("/static/css/werkplek.css")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")


async def test_every_page_links_the_web_app_manifest(client: Client) -> None:
    response = await client.get("/login")

    assert '<link rel="manifest" href="/static/manifest.webmanifest">' in response.text


async def test_the_web_app_manifest_is_served_as_a_manifest(client: Client) -> None:
    response = await client.get("/static/manifest.webmanifest")

    assert response.headers["content-type"].startswith("application/manifest+json")


async def test_every_icon_the_manifest_names_is_served(client: Client) -> None:
    manifest = (await client.get("/static/manifest.webmanifest")).json()

    statuses = {(await client.get(icon["src"])).status_code for icon in manifest["icons"]}

    assert statuses == {200}


async def test_the_manifest_opens_the_app_at_its_home_page_as_an_app(client: Client) -> None:
    manifest = (await client.get("/static/manifest.webmanifest")).json()

    assert (manifest["start_url"], manifest["display"]) == ("/", "standalone")


async def test_the_api_description_is_public(client: Client) -> None:
    response = await client.get("/schema/openapi.json")

    assert response.status_code == 200
    assert "/api/spaces" in response.json()["paths"]


async def test_a_page_refused_for_lack_of_a_role_keeps_the_menu_and_log_out(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna"))

    response = await client.get("/bookings/approvals")

    assert (response.status_code, "Uitloggen" in response.text) == (403, True)


async def test_a_page_that_does_not_exist_says_so_in_the_browsers_language(client: Client) -> None:
    response = await client.get("/no-such-page", headers={"Accept-Language": "en"})

    assert (response.status_code, "This page does not exist." in response.text) == (404, True)


async def test_a_page_opened_with_a_method_it_does_not_take_says_so_in_dutch(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna"))

    response = await client.get("/logout")

    assert (response.status_code, "Method Not Allowed" in response.text) == (405, False)


def _menu_group(html: str, opening: str) -> str:
    """The group of the menu that starts with ``opening``, up to its end (empty when the
    page has none)."""
    start = html.find(opening)
    return html[start : html.index("</details>", start)] if start >= 0 else ""


def _manage_menu(html: str) -> str:
    """The part of the page's menu under "Beheer"."""
    return _menu_group(html, '<li class="nav-manage">')


def _account_menu(html: str) -> str:
    """The menu under one's own name."""
    return _menu_group(html, '<details class="menu-group account-menu')


async def test_facilities_find_the_pages_that_manage_the_app_under_beheer(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Fenna", roles=(Role.FACILITIES,)))

    response = await client.get("/")

    assert re.findall(r'href="([^"]+)"', _manage_menu(response.text)) == [
        "/bookings/approvals",
        "/bookings/site-day",
        "/visitors/today",
        "/emergency",
        "/admin/sites",
        "/analytics",
    ]


async def test_a_receptionist_finds_the_visitors_of_the_day_in_the_menu_itself(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Roos", roles=(Role.RECEPTION,)))

    response = await client.get("/")

    main_menu = response.text[response.text.index('<ul id="main-menu">') :]
    assert 'href="/visitors/today"' in main_menu[: main_menu.index("</nav>")]


async def test_a_receptionists_menu_has_no_beheer(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Roos", roles=(Role.RECEPTION,)))

    response = await client.get("/")

    assert _manage_menu(response.text) == ""


async def test_someone_at_reception_and_in_facilities_finds_the_visitors_of_the_day_under_beheer(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Fenna", roles=(Role.RECEPTION, Role.FACILITIES)))

    response = await client.get("/")

    assert 'href="/visitors/today"' in _manage_menu(response.text)


async def test_an_emergency_responders_menu_has_no_beheer(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Bert", roles=(Role.EMERGENCY,)))

    response = await client.get("/")

    assert _manage_menu(response.text) == ""


async def test_an_employees_menu_has_no_beheer(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna"))

    response = await client.get("/")

    assert _manage_menu(response.text) == ""


async def test_on_a_page_under_beheer_the_beheer_entry_is_marked(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Fenna", roles=(Role.FACILITIES,)))

    response = await client.get("/admin/sites")

    assert '<details class="menu-group menu-group-current">' in _manage_menu(response.text)


async def test_ones_own_settings_and_log_out_sit_in_the_menu_under_ones_name(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna"))

    response = await client.get("/")

    menu = _account_menu(response.text)
    assert (re.findall(r'href="([^"]+)"', menu), 'action="/logout"' in menu) == (
        ["/profile", "/feeds", "/notifications"],
        True,
    )


async def test_ones_own_settings_are_not_in_the_main_menu(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna"))

    response = await client.get("/")

    main_menu = response.text[response.text.index('<ul id="main-menu">') :]
    main_menu = main_menu[: main_menu.index("</nav>")]
    assert re.findall(r'href="(/profile|/feeds|/notifications)"', main_menu) == []


async def test_on_ones_profile_the_name_in_the_header_is_marked(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna"))

    response = await client.get("/profile")

    assert _account_menu(response.text).startswith(
        '<details class="menu-group account-menu menu-group-current">'
    )


async def test_an_administrators_menu_leaves_out_the_kcc_and_team_leads_everyday_pages(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.get("/")

    main_menu = response.text[response.text.index('<ul id="main-menu">') :]
    assert re.findall(r'href="(/callback-notes|/visits/safety)"', main_menu) == []


async def test_an_administrator_may_still_open_the_kcc_and_team_leads_everyday_pages(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    statuses = [
        (await client.get(path)).status_code for path in ("/callback-notes", "/visits/safety")
    ]

    assert statuses == [200, 200]


async def test_the_qr_codes_page_is_marked_as_part_of_sites_and_spaces(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Fenna", roles=(Role.FACILITIES,)))

    response = await client.get("/bookings/qr-codes")

    assert response.text.count('aria-current="page"') == 1
    assert 'href="/admin/sites" aria-current="page"' in response.text


async def test_the_menu_marks_only_the_most_specific_item_as_current(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Fenna", roles=(Role.FACILITIES,)))

    response = await client.get("/bookings/approvals")

    assert response.text.count('aria-current="page"') == 1
    assert 'href="/bookings/approvals" aria-current="page"' in response.text
