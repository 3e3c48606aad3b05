"""Facilities pages: sites, site form with opening hours, floors, closures and spaces."""

from __future__ import annotations

import re
from datetime import date, time
from typing import Any

import pytest
from httpx import Response
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import (
    LoginAs,
    MakeFloor,
    MakePerson,
    MakeSite,
    MakeSpace,
    MakeTeam,
    add_closure,
)
from tests.html_attributes import duplicated_attributes
from tests.people.helpers import field_marked_invalid
from tests.stacked_tables import assert_stacks_on_phone
from werkplek.people.models import Role
from werkplek.rooms.models import Closure, Floor, OpeningHours, Site, Space

Client = AsyncTestClient[Litestar]


def _site_form(csrf: str, **fields: str) -> dict[str, str]:
    form = {
        "_csrf": csrf,
        "name": "Dorpshuis De Linde",
        "kind": "community_venue",
        "address": "Kerkstraat 4",
        "city": "Oosterwolde",
        "max_days_ahead": "21",
        "capacity_cap_percent": "",
        "day_split": "12:30",
        "observe_public_holidays": "on",
        "active": "on",
        "opens_1": "08:30",
        "closes_1": "17:00",
        "opens_3": "08:30",
        "closes_3": "21:00",
    }
    form.update(fields)
    return form


async def test_facilities_see_the_sites(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    await make_site("Stadskantoor", city="Dorpstad")

    response = await client.get("/admin/sites")

    assert response.status_code == 200
    assert "Stadskantoor" in response.text
    assert "Centraal kantoor" in response.text


async def test_the_sites_list_counts_each_sites_spaces_in_use_by_kind(
    client: Client, facilities: dict[str, str], make_site: MakeSite, make_space: MakeSpace
) -> None:
    site = await make_site("Stadskantoor")
    await make_space(site, "Flexplek 1", kind="desk")
    await make_space(site, "Flexplek 2", kind="desk")
    await make_space(site, "Flexplek 3", kind="desk", active=False)
    await make_space(site, "Stilteplek 1", kind="quiet_desk")
    await make_space(site, "Kievit", kind="meeting_room", capacity=4)

    text = (await client.get("/admin/sites")).text

    assert re.findall(
        r'data-label="(?:Werkplekken|Overlegruimtes|Spreekkamers)">([^<]*)<', text
    ) == [
        "3, waarvan 1 stilteplek",
        "1",
        "0",
    ]


async def test_a_site_without_spaces_counts_none_in_the_sites_list(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    await make_site("Dorpshuis")

    text = (await client.get("/admin/sites")).text

    assert re.findall(
        r'data-label="(?:Werkplekken|Overlegruimtes|Spreekkamers)">([^<]*)<', text
    ) == [
        "0",
        "0",
        "0",
    ]


async def test_an_employee_gets_403_on_the_sites_page(
    client: Client, employee: dict[str, str]
) -> None:
    response = await client.get("/admin/sites")

    assert response.status_code == 403
    assert "U hebt geen toestemming om dit te doen." in response.text


async def test_anonymous_visitors_are_sent_to_the_login_page(client: Client) -> None:
    response = await client.get("/admin/sites/new", follow_redirects=False)

    assert response.status_code in {302, 303}
    assert response.headers["location"] == "/login?next=/admin/sites/new"


async def test_the_new_site_form_offers_weekday_opening_hours(
    client: Client, facilities: dict[str, str]
) -> None:
    response = await client.get("/admin/sites/new")

    assert response.status_code == 200
    assert 'name="opens_0" value="07:30"' in response.text
    assert 'name="opens_6" value=""' in response.text
    assert "maandag" in response.text


async def test_unticking_active_on_the_site_form_takes_the_site_out_of_use(
    client: Client, facilities: dict[str, str], db: AsyncSession, make_site: MakeSite
) -> None:
    site = await make_site()
    form = {k: v for k, v in _site_form(facilities["X-CSRF-Token"]).items() if k != "active"}

    await client.post(f"/admin/sites/{site.id}/edit", data=form)

    await db.rollback()
    stored = await db.get(Site, site.id, populate_existing=True)
    assert stored is not None and stored.active is False


async def test_the_opening_hours_stack_on_a_phone_so_the_site_form_fits_its_screen(
    client: Client, facilities: dict[str, str]
) -> None:
    hours = assert_stacks_on_phone((await client.get("/admin/sites/new")).text)

    assert hours.headers == ["Dag", "Opent", "Sluit"]


async def test_facilities_create_a_site_with_opening_hours_through_the_form(
    client: Client, facilities: dict[str, str], db: AsyncSession
) -> None:
    response = await client.post(
        "/admin/sites/new", data=_site_form(facilities["X-CSRF-Token"]), follow_redirects=False
    )

    await db.rollback()
    site = (await db.execute(select(Site))).scalar_one()
    hours = (await db.execute(select(OpeningHours).order_by(OpeningHours.weekday))).scalars()
    assert response.headers["location"] == f"/admin/sites/{site.id}?saved=site"
    assert (site.kind, site.city, site.day_split, site.max_days_ahead) == (
        "community_venue",
        "Oosterwolde",
        time(12, 30),
        21,
    )
    assert [(h.weekday, h.opens, h.closes) for h in hours] == [
        (1, time(8, 30), time(17)),
        (3, time(8, 30), time(21)),
    ]


async def test_a_friday_open_only_until_half_past_twelve_is_saved_through_the_form(
    client: Client,
    db: AsyncSession,
    facilities: dict[str, str],
) -> None:
    form = _site_form(
        facilities["X-CSRF-Token"], day_split="13:00", opens_4="08:00", closes_4="12:30"
    )

    await client.post("/admin/sites/new", data=form)

    await db.rollback()
    friday = await db.get(OpeningHours, ((await db.execute(select(Site.id))).scalar_one(), 4))
    assert friday is not None and (friday.opens, friday.closes) == (time(8), time(12, 30))


async def test_opening_after_closing_in_the_form_is_422_with_the_hours_marked(
    client: Client, facilities: dict[str, str], db: AsyncSession
) -> None:
    response = await client.post(
        "/admin/sites/new",
        data=_site_form(facilities["X-CSRF-Token"], opens_1="18:00", closes_1="08:00"),
    )

    assert response.status_code == 422
    assert 'id="opening_hours.1-error"' in response.text
    assert "Op dinsdag moet de openingstijd voor de sluitingstijd liggen." in response.text
    assert 'name="opens_1" value="18:00"' in response.text  # what was typed is kept
    await db.rollback()
    assert (await db.execute(select(func.count(Site.id)))).scalar_one() == 0


async def _closing_before_opening_on_tuesday(client: Client, csrf: str) -> str:
    """The site form refused for a Tuesday that closes before it opens, as a page."""
    form = _site_form(csrf, opens_1="18:00", closes_1="08:00")
    return (await client.post("/admin/sites/new", data=form)).text


async def test_the_refused_days_times_are_marked_invalid(
    client: Client, facilities: dict[str, str]
) -> None:
    page = await _closing_before_opening_on_tuesday(client, facilities["X-CSRF-Token"])

    assert re.findall(r'name="(\w+)" value="[^"]*" aria-label="[^"]*" aria-invalid', page) == [
        "opens_1",
        "closes_1",
    ]


def _between(html: str, first: str, then: str, text: str) -> bool:
    """``text`` stands after ``first`` and before ``then`` on the page."""
    start = html.index(first)
    return start < html.index(text, start) < html.index(then, start)


async def test_a_days_opening_hours_error_is_shown_under_that_day(
    client: Client, facilities: dict[str, str]
) -> None:
    page = await _closing_before_opening_on_tuesday(client, facilities["X-CSRF-Token"])

    assert _between(page, 'name="closes_1"', 'name="opens_2"', "opening_hours.1-error")


async def test_the_refused_days_inputs_point_at_that_days_error(
    client: Client, facilities: dict[str, str]
) -> None:
    page = await _closing_before_opening_on_tuesday(client, facilities["X-CSRF-Token"])

    assert re.findall(r'name="(\w+)"[^>]*aria-describedby="opening_hours\.1-error"', page) == [
        "opens_1",
        "closes_1",
    ]


async def test_a_refused_opening_hours_form_keeps_the_summary_above_the_form(
    client: Client, facilities: dict[str, str]
) -> None:
    page = await _closing_before_opening_on_tuesday(client, facilities["X-CSRF-Token"])

    assert _between(page, "<h1>", "<form", "Verbeter de gemarkeerde velden.")


async def test_every_day_at_fault_in_the_opening_hours_is_named_beside_it_at_once(
    client: Client, facilities: dict[str, str]
) -> None:
    form = _site_form(
        facilities["X-CSRF-Token"], opens_1="18:00", closes_1="08:00", opens_5="09:00"
    )

    response = await client.post("/admin/sites/new", data=form)

    assert _between(response.text, 'name="closes_1"', 'name="opens_2"', "Op dinsdag moet")
    assert _between(response.text, 'name="closes_5"', 'name="opens_6"', "Vul op zaterdag")


async def test_english_speakers_read_the_days_opening_hours_error_in_english_beside_it(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    headers = await login_as(await make_person(roles=(Role.FACILITIES,), language="en"))

    page = await _closing_before_opening_on_tuesday(client, headers["X-CSRF-Token"])

    assert _between(
        page,
        'name="closes_1"',
        'name="opens_2"',
        "On Tuesday the opening time must be before the closing time.",
    )


async def test_a_day_with_only_an_opening_time_is_refused_naming_the_day(
    client: Client, facilities: dict[str, str]
) -> None:
    response = await client.post(
        "/admin/sites/new", data=_site_form(facilities["X-CSRF-Token"], opens_5="09:00")
    )

    assert (response.status_code, "Vul op zaterdag zowel de openings-" in response.text) == (
        422,
        True,
    )


async def test_a_site_name_in_use_in_the_form_marks_the_name(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    await make_site("Dorpshuis De Linde")

    response = await client.post("/admin/sites/new", data=_site_form(facilities["X-CSRF-Token"]))

    assert response.status_code == 409
    assert field_marked_invalid(response.text, "name")


async def test_facilities_edit_a_site_through_the_form(
    client: Client, facilities: dict[str, str], db: AsyncSession, make_site: MakeSite
) -> None:
    site = await make_site("Stadskantoor")
    form = await client.get(f"/admin/sites/{site.id}/edit")

    response = await client.post(
        f"/admin/sites/{site.id}/edit",
        data=_site_form(facilities["X-CSRF-Token"], name="Stadskantoor", capacity_cap_percent="50"),
        follow_redirects=False,
    )

    await db.rollback()
    stored = await db.get(Site, site.id, populate_existing=True)
    assert form.status_code == 200
    assert 'value="Stadskantoor"' in form.text
    assert response.headers["location"] == f"/admin/sites/{site.id}?saved=site"
    assert stored is not None
    assert stored.capacity_cap_percent == 50


async def test_the_site_page_lists_spaces_floors_and_coming_closures(
    client: Client,
    facilities: dict[str, str],
    db: AsyncSession,
    make_site: MakeSite,
    make_floor: MakeFloor,
    make_space: MakeSpace,
) -> None:
    site = await make_site()
    floor = await make_floor(site, "Eerste verdieping", zones=("Noord",))
    await make_space(site, "Spreekkamer 2", kind="resident_room", capacity=3, floor_id=floor.id)
    await add_closure(db, site, date(2026, 12, 7), date(2026, 12, 7))
    await add_closure(db, site, date(2026, 10, 1), date(2026, 10, 1))

    response = await client.get(f"/admin/sites/{site.id}")

    assert response.status_code == 200
    assert "Spreekkamer 2" in response.text
    assert "Spreekkamer voor inwoners" in response.text
    assert "Eerste verdieping (Noord)" in response.text
    assert "07-12-2026" in response.text
    assert "01-10-2026" not in response.text


async def test_the_site_page_links_to_the_qr_codes_of_its_spaces(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.get(f"/admin/sites/{site.id}")

    assert f'href="/bookings/qr-codes?site={site.id}">QR-codes om in te checken</a>' in (
        response.text
    )


async def test_the_site_page_names_the_teams_a_space_is_restricted_to(
    client: Client,
    facilities: dict[str, str],
    make_site: MakeSite,
    make_space: MakeSpace,
    make_team: MakeTeam,
) -> None:
    site = await make_site()
    teams = (await make_team("Vergunningen"), await make_team("Buitendienst"))
    await make_space(site, "Flexplek 0.01", teams=teams)

    response = await client.get(f"/admin/sites/{site.id}")

    assert 'data-label="Wie mag boeken">Buitendienst, Vergunningen</td>' in response.text


async def test_the_site_page_says_everyone_may_book_an_unrestricted_space(
    client: Client, facilities: dict[str, str], make_site: MakeSite, make_space: MakeSpace
) -> None:
    site = await make_site()
    await make_space(site, "Flexplek 0.01")

    response = await client.get(f"/admin/sites/{site.id}")

    assert 'data-label="Wie mag boeken">Iedereen</td>' in response.text


async def test_the_site_page_names_a_spaces_zone_beside_its_kind(
    client: Client,
    facilities: dict[str, str],
    make_site: MakeSite,
    make_floor: MakeFloor,
    make_space: MakeSpace,
) -> None:
    site = await make_site()
    floor = await make_floor(site, "Tweede verdieping", zones=("Stiltezone",))
    await make_space(
        site, "Stilteplek 2.01", kind="quiet_desk", floor_id=floor.id, zone_id=floor.zones[0].id
    )

    response = await client.get(f"/admin/sites/{site.id}")

    assert 'data-label="Soort">Stilteplek · Stiltezone</td>' in response.text


async def test_a_one_day_closure_shows_its_day_once(
    client: Client, facilities: dict[str, str], db: AsyncSession, make_site: MakeSite
) -> None:
    site = await make_site()
    await add_closure(db, site, date(2026, 12, 7), date(2026, 12, 7))

    response = await client.get(f"/admin/sites/{site.id}")

    assert "07-12-2026 –" not in response.text
    assert response.text.count("07-12-2026") == 2  # in the list and its Remove button's name


async def test_each_closures_remove_button_names_the_closure(
    client: Client, facilities: dict[str, str], db: AsyncSession, make_site: MakeSite
) -> None:
    site = await make_site()
    await add_closure(db, site, date(2026, 12, 7), date(2026, 12, 9))

    response = await client.get(f"/admin/sites/{site.id}")

    assert (
        'Verwijderen<span class="visually-hidden"> de sluiting van 07-12-2026 – 09-12-2026</span>'
        in response.text
    )


async def test_a_site_without_floors_or_closures_says_so_in_words_not_as_a_list(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.get(f"/admin/sites/{site.id}")

    empty_states = ("<p>Nog geen verdiepingen.</p>", "<p>Geen sluitingen gepland.</p>")
    assert [text in response.text for text in empty_states] == [True, True]


async def test_the_floor_forms_title_names_the_floor_and_its_site(
    client: Client, facilities: dict[str, str], make_site: MakeSite, make_floor: MakeFloor
) -> None:
    site = await make_site("Stadskantoor")
    floor = await make_floor(site, "Zolder")

    response = await client.get(f"/admin/sites/{site.id}/floors/{floor.id}")

    assert "<title>Zolder · Stadskantoor · Werkplek</title>" in response.text


async def test_a_closure_of_several_days_shows_its_first_and_last(
    client: Client, facilities: dict[str, str], db: AsyncSession, make_site: MakeSite
) -> None:
    site = await make_site()
    await add_closure(db, site, date(2026, 12, 7), date(2026, 12, 9))

    response = await client.get(f"/admin/sites/{site.id}")

    assert "07-12-2026 – 09-12-2026" in response.text


async def test_the_sites_and_spaces_tables_stack_on_a_phone(
    client: Client,
    facilities: dict[str, str],
    make_site: MakeSite,
    make_floor: MakeFloor,
    make_space: MakeSpace,
) -> None:
    site = await make_site()
    floor = await make_floor(site, "Eerste verdieping")
    await make_space(site, "Spreekkamer 2", kind="resident_room", capacity=3, floor_id=floor.id)

    sites = assert_stacks_on_phone((await client.get("/admin/sites")).text)
    spaces = assert_stacks_on_phone((await client.get(f"/admin/sites/{site.id}")).text)

    assert sites.headers == [
        "Naam",
        "Soort",
        "Plaats",
        "Werkplekken",
        "Overlegruimtes",
        "Spreekkamers",
        "Maximale bezetting",
    ]
    assert spaces.headers == [
        "Naam",
        "Soort",
        "Capaciteit",
        "Voorzieningen",
        "Wie mag boeken",
        "Status",
    ]


async def test_an_unknown_site_page_is_404(client: Client, facilities: dict[str, str]) -> None:
    response = await client.get("/admin/sites/999999")

    assert response.status_code == 404
    assert "Deze locatie bestaat niet." in response.text


async def test_facilities_add_a_floor_with_zones_through_the_form(
    client: Client, facilities: dict[str, str], db: AsyncSession, make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.post(
        f"/admin/sites/{site.id}/floors",
        data={
            "_csrf": facilities["X-CSRF-Token"],
            "name": "Tweede verdieping",
            "level": "2",
            "zones": "Noord, Zuid, ",
        },
        follow_redirects=False,
    )

    await db.rollback()
    floor = (await db.execute(select(Floor))).scalar_one()
    await db.refresh(floor, ["zones"])
    assert response.headers["location"] == f"/admin/sites/{site.id}?saved=floor"
    assert (floor.name, floor.level) == ("Tweede verdieping", 2)
    assert sorted(zone.name for zone in floor.zones) == ["Noord", "Zuid"]


async def test_facilities_rename_a_floor_and_add_a_zone_through_its_form(
    client: Client,
    facilities: dict[str, str],
    db: AsyncSession,
    make_site: MakeSite,
    make_floor: MakeFloor,
) -> None:
    site = await make_site()
    floor = await make_floor(site, "Eerste verdiepnig", zones=("Noord",))

    response = await client.post(
        f"/admin/sites/{site.id}/floors/{floor.id}",
        data={
            "_csrf": facilities["X-CSRF-Token"],
            "name": "Eerste verdieping",
            "level": "1",
            "zones": "Noord, Zuid",
        },
        follow_redirects=False,
    )

    await db.rollback()
    stored = (
        await db.execute(select(Floor), execution_options={"populate_existing": True})
    ).scalar_one()
    await db.refresh(stored, ["zones"])
    assert response.headers["location"] == f"/admin/sites/{site.id}?saved=floor"
    assert (stored.name, stored.level) == ("Eerste verdieping", 1)
    assert [zone.name for zone in stored.zones] == ["Noord", "Zuid"]


async def test_the_floor_form_shows_the_floor_as_it_is(
    client: Client, facilities: dict[str, str], make_site: MakeSite, make_floor: MakeFloor
) -> None:
    site = await make_site()
    floor = await make_floor(site, "Zolder", zones=("Noord", "Zuid"))

    response = await client.get(f"/admin/sites/{site.id}/floors/{floor.id}")

    assert 'value="Zolder"' in response.text
    assert 'value="Noord, Zuid"' in response.text


async def test_a_floor_renamed_to_another_floors_name_is_refused_at_the_name(
    client: Client, facilities: dict[str, str], make_site: MakeSite, make_floor: MakeFloor
) -> None:
    site = await make_site()
    await make_floor(site, "Begane grond")
    floor = await make_floor(site, "Zolder")

    response = await client.post(
        f"/admin/sites/{site.id}/floors/{floor.id}",
        data={"_csrf": facilities["X-CSRF-Token"], "name": "Begane grond", "level": "0"},
    )

    assert response.status_code == 409
    assert 'aria-describedby="name-error"' in response.text
    assert "Deze locatie heeft al een verdieping met deze naam." in response.text


async def test_facilities_remove_an_empty_floor_from_its_form(
    client: Client,
    db: AsyncSession,
    facilities: dict[str, str],
    make_site: MakeSite,
    make_floor: MakeFloor,
) -> None:
    site = await make_site()
    floor = await make_floor(site, "Zolder")

    response = await client.post(
        f"/admin/sites/{site.id}/floors/{floor.id}/delete",
        data={"_csrf": facilities["X-CSRF-Token"]},
        follow_redirects=False,
    )

    await db.rollback()
    assert response.headers["location"] == f"/admin/sites/{site.id}?saved=floor_removed"
    assert await db.get(Floor, floor.id, populate_existing=True) is None


@pytest.fixture
async def floor_in_use(make_site: MakeSite, make_floor: MakeFloor, make_space: MakeSpace) -> Floor:
    """A floor with one space on it, which is why it cannot be removed."""
    site = await make_site()
    floor = await make_floor(site, "Zolder")
    await make_space(site, floor_id=floor.id)
    return floor


async def _remove(client: Client, floor: Floor, csrf: str, **options: Any) -> Response:
    """Press the floor form's Remove floor button."""
    address = f"/admin/sites/{floor.site_id}/floors/{floor.id}/delete"
    return await client.post(address, data={"_csrf": csrf}, **options)


async def test_a_refused_floor_removal_redirects_to_the_floors_form(
    client: Client, facilities: dict[str, str], floor_in_use: Floor
) -> None:
    response = await _remove(
        client, floor_in_use, facilities["X-CSRF-Token"], follow_redirects=False
    )

    # post/redirect/get: reloading the page shown does not send the removal again
    assert (response.status_code, response.headers["location"]) == (
        302,
        f"/admin/sites/{floor_in_use.site_id}/floors/{floor_in_use.id}?notice=floor_in_use",
    )


async def test_removing_a_floor_with_spaces_from_its_form_says_why_it_stays(
    client: Client, facilities: dict[str, str], floor_in_use: Floor
) -> None:
    response = await _remove(client, floor_in_use, facilities["X-CSRF-Token"])

    assert (response.request.method, response.status_code) == ("GET", 200)
    assert (
        "Op deze verdieping staat nog 1 ruimte; geef die eerst een andere verdieping."
        in response.text
    )


async def test_english_speakers_read_why_a_floor_stays_in_english(
    client: Client, make_person: MakePerson, login_as: LoginAs, floor_in_use: Floor
) -> None:
    headers = await login_as(await make_person(roles=(Role.FACILITIES,), language="en"))

    response = await _remove(client, floor_in_use, headers["X-CSRF-Token"])

    assert "This floor still has 1 space; give it another floor first." in response.text


async def test_the_floor_form_says_nothing_of_a_refusal_once_its_spaces_have_moved(
    client: Client,
    facilities: dict[str, str],
    make_site: MakeSite,
    make_floor: MakeFloor,
    make_space: MakeSpace,
) -> None:
    site = await make_site()
    floor = await make_floor(site, "Zolder")
    await make_space(site)  # on no floor

    response = await client.get(f"/admin/sites/{site.id}/floors/{floor.id}?notice=floor_in_use")

    assert (response.status_code, 'role="alert"' in response.text) == (200, False)


async def test_the_floor_form_shown_after_a_refused_removal_still_saves_the_floor(
    client: Client, facilities: dict[str, str], floor_in_use: Floor
) -> None:
    response = await _remove(client, floor_in_use, facilities["X-CSRF-Token"])

    floor = f"/admin/sites/{floor_in_use.site_id}/floors/{floor_in_use.id}"
    assert f'<form method="post" action="{floor}"' in response.text


async def test_a_floor_without_a_name_is_refused_with_the_name_marked_and_the_level_kept(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.post(
        f"/admin/sites/{site.id}/floors",
        data={"_csrf": facilities["X-CSRF-Token"], "name": "", "level": "3"},
    )

    assert response.status_code == 422
    assert 'aria-describedby="name-error"' in response.text
    assert 'id="floor-level" name="level" type="number" value="3"' in response.text


async def test_leaving_out_a_zone_that_has_spaces_saves_nothing_of_the_floor(
    client: Client,
    facilities: dict[str, str],
    db: AsyncSession,
    make_site: MakeSite,
    make_floor: MakeFloor,
    make_space: MakeSpace,
) -> None:
    site = await make_site()
    floor = await make_floor(site, "Eerste verdieping", zones=("Noord",))
    await make_space(site, "Flexplek 1.01", floor_id=floor.id, zone_id=floor.zones[0].id)

    response = await client.post(
        f"/admin/sites/{site.id}/floors/{floor.id}",
        data={"_csrf": facilities["X-CSRF-Token"], "name": "Eerste etage", "level": "1"},
    )

    await db.rollback()
    stored = (
        await db.execute(select(Floor), execution_options={"populate_existing": True})
    ).scalar_one()
    assert response.status_code == 422
    assert stored.name == "Eerste verdieping"


async def test_the_floor_form_says_a_zone_with_spaces_holds_up_saving(
    client: Client, facilities: dict[str, str], make_site: MakeSite, make_floor: MakeFloor
) -> None:
    site = await make_site()
    floor = await make_floor(site, "Eerste verdieping", zones=("Noord",))

    response = await client.get(f"/admin/sites/{site.id}/floors/{floor.id}")

    assert "de verdieping wordt pas opgeslagen als die ruimtes een andere zone hebben" in (
        response.text
    )


async def test_a_zone_name_too_long_is_refused_at_the_zones(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.post(
        f"/admin/sites/{site.id}/floors",
        data={
            "_csrf": facilities["X-CSRF-Token"],
            "name": "Zolder",
            "zones": "Noord, " + "z" * 121,
        },
    )

    assert (response.status_code, 'aria-describedby="zones-error"' in response.text) == (422, True)


async def test_facilities_add_a_closure_through_the_form(
    client: Client, facilities: dict[str, str], db: AsyncSession, make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.post(
        f"/admin/sites/{site.id}/closures",
        data={
            "_csrf": facilities["X-CSRF-Token"],
            "starts_on": "2026-12-28",
            "ends_on": "2026-12-31",
            "reason": "Tussen kerst en oud en nieuw",
        },
        follow_redirects=False,
    )

    await db.rollback()
    closure = (await db.execute(select(Closure))).scalar_one()
    assert response.headers["location"] == f"/admin/sites/{site.id}?saved=closure"
    assert (closure.starts_on, closure.ends_on, closure.reason) == (
        date(2026, 12, 28),
        date(2026, 12, 31),
        "Tussen kerst en oud en nieuw",
    )


async def test_the_site_page_says_the_closure_was_added(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.post(
        f"/admin/sites/{site.id}/closures",
        data={
            "_csrf": facilities["X-CSRF-Token"],
            "starts_on": "2026-12-28",
            "ends_on": "2026-12-31",
        },
    )

    assert '<p class="alert alert-success" role="status">De sluiting is toegevoegd.</p>' in (
        response.text
    )


async def test_the_site_page_says_a_saved_space_was_saved(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.post(
        f"/admin/sites/{site.id}/spaces/new", data=_space_form(facilities["X-CSRF-Token"])
    )

    assert "De ruimte is opgeslagen." in response.text


async def test_the_site_page_says_nothing_was_saved_when_only_opened(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.get(f"/admin/sites/{site.id}?saved=unknown")

    assert "alert-success" not in response.text


async def test_facilities_close_one_room_through_the_form(
    client: Client,
    facilities: dict[str, str],
    db: AsyncSession,
    make_site: MakeSite,
    make_space: MakeSpace,
) -> None:
    site = await make_site()
    room = await make_space(site, "Tureluur", kind="meeting_room", capacity=8)

    await client.post(
        f"/admin/sites/{site.id}/closures",
        data={
            "_csrf": facilities["X-CSRF-Token"],
            "space_id": str(room.id),
            "starts_on": "2026-12-07",
            "ends_on": "2026-12-07",
            "reason": "Nieuw presentatiescherm",
        },
    )

    await db.rollback()
    assert (await db.execute(select(Closure.space_id))).scalar_one() == room.id


async def test_the_site_page_names_the_room_a_closure_is_for(
    client: Client,
    facilities: dict[str, str],
    db: AsyncSession,
    make_site: MakeSite,
    make_space: MakeSpace,
) -> None:
    site = await make_site()
    room = await make_space(site, "Tureluur", kind="meeting_room", capacity=8)
    await add_closure(
        db, site, date(2026, 12, 7), date(2026, 12, 7), space=room, reason="Nieuw presentatiescherm"
    )

    response = await client.get(f"/admin/sites/{site.id}")

    assert "· Tureluur: Nieuw presentatiescherm" in response.text


async def test_a_closure_ending_before_it_starts_marks_the_end_date(
    client: Client, facilities: dict[str, str], db: AsyncSession, make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.post(
        f"/admin/sites/{site.id}/closures",
        data={
            "_csrf": facilities["X-CSRF-Token"],
            "starts_on": "2026-12-31",
            "ends_on": "2026-12-28",
        },
    )

    assert response.status_code == 422
    assert 'id="ends_on-error"' in response.text
    await db.rollback()
    assert (await db.execute(select(func.count(Closure.id)))).scalar_one() == 0


async def _refused_closure(client: Client, csrf: str, site: Site) -> str:
    """The site page after a closure whose reason is too long."""
    response = await client.post(
        f"/admin/sites/{site.id}/closures",
        data={
            "_csrf": csrf,
            "starts_on": "2026-12-28",
            "ends_on": "2026-12-31",
            "reason": "r" * 201,
        },
    )
    assert response.status_code == 422
    return response.text


async def test_a_refused_closure_reason_is_described_by_its_error_and_its_hint(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    page = await _refused_closure(client, facilities["X-CSRF-Token"], site)

    assert re.search(r'id="reason"[^>]*aria-describedby="reason-error closure-hint"', page)


async def test_the_site_page_with_a_refused_closure_writes_no_attribute_twice(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    page = await _refused_closure(client, facilities["X-CSRF-Token"], site)

    assert duplicated_attributes(page) == []


async def test_the_floor_form_with_a_refused_zone_writes_no_attribute_twice(
    client: Client, facilities: dict[str, str], make_site: MakeSite, make_floor: MakeFloor
) -> None:
    site = await make_site()
    floor = await make_floor(site, "Eerste verdieping", zones=("Noord",))

    response = await client.post(
        f"/admin/sites/{site.id}/floors/{floor.id}",
        data={"_csrf": facilities["X-CSRF-Token"], "name": "Zolder", "zones": "z" * 121},
    )

    assert (response.status_code, duplicated_attributes(response.text)) == (422, [])


async def test_the_site_form_with_a_refused_day_split_writes_no_attribute_twice(
    client: Client, facilities: dict[str, str]
) -> None:
    response = await client.post(
        "/admin/sites/new", data=_site_form(facilities["X-CSRF-Token"], day_split="half een")
    )

    assert 'id="day_split-error"' in response.text
    assert duplicated_attributes(response.text) == []


async def test_facilities_remove_a_closure_through_the_form(
    client: Client, facilities: dict[str, str], db: AsyncSession, make_site: MakeSite
) -> None:
    site = await make_site()
    closure = await add_closure(db, site, date(2026, 12, 7), date(2026, 12, 7))

    response = await client.post(
        f"/admin/sites/{site.id}/closures/{closure.id}/delete",
        data={"_csrf": facilities["X-CSRF-Token"]},
        follow_redirects=False,
    )

    await db.rollback()
    assert response.headers["location"] == f"/admin/sites/{site.id}?saved=closure_removed"
    assert (await db.execute(select(func.count(Closure.id)))).scalar_one() == 0


def _space_form(csrf: str, **fields: Any) -> dict[str, Any]:
    return {
        "_csrf": csrf,
        "name": "Flexplek 2.14",
        "kind": "desk",
        "capacity": "1",
        "floor_id": "",
        "zone_id": "",
        "amenities": ["screen", "sit_stand"],
        "active": "on",
        **fields,
    }


async def test_the_new_space_form_lists_the_floors_of_the_site(
    client: Client, facilities: dict[str, str], make_site: MakeSite, make_floor: MakeFloor
) -> None:
    site = await make_site()
    await make_floor(site, "Eerste verdieping")

    response = await client.get(f"/admin/sites/{site.id}/spaces/new")

    assert response.status_code == 200
    assert "Eerste verdieping" in response.text
    assert "Stilteplek" in response.text


async def test_facilities_add_a_space_through_the_form(
    client: Client,
    facilities: dict[str, str],
    db: AsyncSession,
    make_site: MakeSite,
    make_floor: MakeFloor,
) -> None:
    site = await make_site()
    floor = await make_floor(site, "Tweede verdieping")

    response = await client.post(
        f"/admin/sites/{site.id}/spaces/new",
        data=_space_form(facilities["X-CSRF-Token"], floor_id=str(floor.id)),
        follow_redirects=False,
    )

    await db.rollback()
    space = (await db.execute(select(Space))).scalar_one()
    assert response.headers["location"] == f"/admin/sites/{site.id}?saved=space"
    assert (space.name, space.kind, space.floor_id, space.amenities, space.active) == (
        "Flexplek 2.14",
        "desk",
        floor.id,
        ["screen", "sit_stand"],
        True,
    )


async def test_a_desk_for_two_in_the_form_is_422_with_capacity_marked(
    client: Client, facilities: dict[str, str], db: AsyncSession, make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.post(
        f"/admin/sites/{site.id}/spaces/new",
        data=_space_form(facilities["X-CSRF-Token"], capacity="2"),
    )

    assert response.status_code == 422
    assert field_marked_invalid(response.text, "capacity")
    assert "Een werkplek is voor precies één persoon." in response.text
    await db.rollback()
    assert (await db.execute(select(func.count(Space.id)))).scalar_one() == 0


async def test_facilities_edit_a_space_through_the_form(
    client: Client,
    facilities: dict[str, str],
    db: AsyncSession,
    make_site: MakeSite,
    make_space: MakeSpace,
) -> None:
    site = await make_site()
    space = await make_space(site, "Overleg 1", kind="meeting_room", capacity=6)
    form = await client.get(f"/admin/sites/{site.id}/spaces/{space.id}")

    response = await client.post(
        f"/admin/sites/{site.id}/spaces/{space.id}",
        data=_space_form(
            facilities["X-CSRF-Token"],
            name="Overleg Noord",
            kind="meeting_room",
            capacity="12",
            amenities=["video"],
            requires_approval="on",
        ),
        follow_redirects=False,
    )

    await db.rollback()
    stored = await db.get(Space, space.id, populate_existing=True)
    assert form.status_code == 200
    assert 'value="Overleg 1"' in form.text
    assert response.headers["location"] == f"/admin/sites/{site.id}?saved=space"
    assert stored is not None
    assert (stored.name, stored.capacity, stored.amenities, stored.requires_approval) == (
        "Overleg Noord",
        12,
        ["video"],
        True,
    )


async def test_a_refused_edit_of_a_space_draws_its_form_again_with_the_field_marked(
    client: Client, facilities: dict[str, str], make_site: MakeSite, make_space: MakeSpace
) -> None:
    site = await make_site()
    space = await make_space(site, "Flexplek 1")

    response = await client.post(
        f"/admin/sites/{site.id}/spaces/{space.id}",
        data=_space_form(facilities["X-CSRF-Token"], name="Flexplek 1", capacity="2"),
    )

    assert (response.status_code, field_marked_invalid(response.text, "capacity")) == (422, True)


async def test_a_space_of_another_site_is_404_on_this_sites_pages(
    client: Client, facilities: dict[str, str], make_site: MakeSite, make_space: MakeSpace
) -> None:
    site = await make_site("Stadskantoor")
    elsewhere = await make_space(await make_site("Dorpshuis"), "Zaal")

    response = await client.get(f"/admin/sites/{site.id}/spaces/{elsewhere.id}")

    assert response.status_code == 404


async def test_saving_a_space_through_another_sites_page_is_404(
    client: Client, facilities: dict[str, str], make_site: MakeSite, make_space: MakeSpace
) -> None:
    site = await make_site("Stadskantoor")
    elsewhere = await make_space(await make_site("Dorpshuis"), "Zaal")

    response = await client.post(
        f"/admin/sites/{site.id}/spaces/{elsewhere.id}",
        data={"name": "Zaal", "kind": "desk", "capacity": "1", "active": "on"},
    )

    assert response.status_code == 404


async def test_the_site_form_marks_an_unknown_kind(
    client: Client, facilities: dict[str, str]
) -> None:
    csrf = facilities["X-CSRF-Token"]

    response = await client.post("/admin/sites/new", data=_site_form(csrf, kind="castle"))

    assert (response.status_code, field_marked_invalid(response.text, "kind")) == (422, True)


async def test_an_admin_finds_a_spaces_history_from_its_form(
    client: Client,
    make_person: MakePerson,
    login_as: LoginAs,
    make_site: MakeSite,
    make_space: MakeSpace,
) -> None:
    site = await make_site()
    space = await make_space(site)
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))

    page = await client.get(f"/admin/sites/{site.id}/spaces/{space.id}")

    assert f'href="/admin/audit?object_type=space&amp;object_id={space.id}"' in page.text


async def test_facilities_who_may_not_read_the_log_get_no_link_to_it(
    client: Client,
    make_person: MakePerson,
    login_as: LoginAs,
    make_site: MakeSite,
    make_space: MakeSpace,
) -> None:
    site = await make_site()
    space = await make_space(site)
    await login_as(await make_person("Fenna", roles=(Role.FACILITIES,)))

    page = await client.get(f"/admin/sites/{site.id}/spaces/{space.id}")

    assert "/admin/audit?" not in page.text


async def test_refused_opening_hours_on_the_edit_form_draw_the_form_again_with_the_sites_name(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site("Stadskantoor")
    form = _site_form(
        facilities["X-CSRF-Token"], name="Stadskantoor", opens_1="18:00", closes_1="08:00"
    )

    response = await client.post(f"/admin/sites/{site.id}/edit", data=form)

    assert (response.status_code, "<title>Stadskantoor" in response.text) == (422, True)


async def test_the_sites_list_writes_the_capacity_cap_dutch_style_in_dutch(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    await make_site("Stadskantoor", capacity_cap_percent=60)

    response = await client.get("/admin/sites")

    assert 'data-label="Maximale bezetting">60\u00a0%</td>' in response.text


async def test_the_sites_list_writes_the_capacity_cap_english_style_in_english(
    client: Client, make_person: MakePerson, login_as: LoginAs, make_site: MakeSite
) -> None:
    await login_as(await make_person(roles=(Role.FACILITIES,), language="en"))
    await make_site("Stadskantoor", capacity_cap_percent=60)

    response = await client.get("/admin/sites")

    assert 'data-label="Capacity cap">60%</td>' in response.text
