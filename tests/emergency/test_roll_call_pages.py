"""The Ontruiming pages: start with a confirmation step, the list with its count in Dutch,
ticking off with htmx (the row and the count) and without JavaScript, the filter of those
not yet seen, adding someone, and closing."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import TODAY, World
from tests.conftest import LoginAs, MakePerson, MakeSite
from tests.emergency.conftest import Client, roll_calls
from tests.presence.conftest import SetEntry
from werkplek.emergency.models import RollCallEntry
from werkplek.people.models import Person


async def _started(
    client: Client, world: World, make_person: MakePerson, set_entry: SetEntry, csrf: str
) -> int:
    """Karim and Lotte planned at the site this morning; the roll call started on the page."""
    for name in ("Karim Bouali", "Lotte de Wit"):
        await set_entry(await make_person(name, mobile="06 1234 5678"), TODAY, "morning",
                        "office", site=world.site)  # fmt: skip
    response = await client.post(
        f"/emergency/sites/{world.site.id}/start", data={"_csrf": csrf}, follow_redirects=False
    )
    assert response.status_code in (302, 303), response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


async def _entry_id(db: AsyncSession, name: str) -> int:
    return (await db.scalars(select(RollCallEntry.id).where(RollCallEntry.name == name))).one()


async def test_the_start_button_asks_for_confirmation_first(
    client: Client, world: World, as_responder: dict[str, str]
) -> None:
    page = await client.get(f"/emergency/sites/{world.site.id}", params={"confirm": "start"})

    assert "Ja, start de ontruiming" in page.text


async def test_opening_a_sites_page_starts_nothing(
    client: Client, db: AsyncSession, world: World, as_responder: dict[str, str]
) -> None:
    await client.get(f"/emergency/sites/{world.site.id}", params={"confirm": "start"})

    assert await roll_calls(db) == []


async def test_the_list_shows_the_count_in_dutch(
    client: Client,
    world: World,
    make_person: MakePerson,
    set_entry: SetEntry,
    as_responder: dict[str, str],
) -> None:
    roll_call_id = await _started(
        client, world, make_person, set_entry, as_responder["X-CSRF-Token"]
    )

    page = await client.get(f"/emergency/roll-calls/{roll_call_id}")

    assert "0 van 2 veilig" in page.text


async def test_the_list_links_the_mobile_number_to_call(
    client: Client,
    world: World,
    make_person: MakePerson,
    set_entry: SetEntry,
    as_responder: dict[str, str],
) -> None:
    roll_call_id = await _started(
        client, world, make_person, set_entry, as_responder["X-CSRF-Token"]
    )

    page = await client.get(f"/emergency/roll-calls/{roll_call_id}")

    assert 'href="tel:0612345678"' in page.text


async def test_ticking_with_htmx_swaps_the_row_and_the_count(
    client: Client,
    db: AsyncSession,
    world: World,
    make_person: MakePerson,
    set_entry: SetEntry,
    as_responder: dict[str, str],
) -> None:
    csrf = as_responder["X-CSRF-Token"]
    roll_call_id = await _started(client, world, make_person, set_entry, csrf)
    entry_id = await _entry_id(db, "Karim Bouali")

    response = await client.post(
        f"/emergency/roll-calls/{roll_call_id}/entries/{entry_id}",
        data={"_csrf": csrf, "accounted_for": "1"},
        headers={"HX-Request": "true"},
    )

    assert (
        response.text.lstrip().startswith(f'<li id="entry-{entry_id}"'),
        'hx-swap-oob="true">1 van 2 veilig' in response.text,
    ) == (True, True)


async def test_ticking_without_javascript_returns_to_the_list_at_the_row(
    client: Client,
    db: AsyncSession,
    world: World,
    make_person: MakePerson,
    set_entry: SetEntry,
    as_responder: dict[str, str],
) -> None:
    csrf = as_responder["X-CSRF-Token"]
    roll_call_id = await _started(client, world, make_person, set_entry, csrf)
    entry_id = await _entry_id(db, "Karim Bouali")

    response = await client.post(
        f"/emergency/roll-calls/{roll_call_id}/entries/{entry_id}",
        data={"_csrf": csrf, "accounted_for": "1"},
        follow_redirects=False,
    )

    assert response.headers["location"] == f"/emergency/roll-calls/{roll_call_id}#entry-{entry_id}"


async def test_the_filter_shows_only_those_not_yet_seen(
    client: Client,
    db: AsyncSession,
    world: World,
    make_person: MakePerson,
    set_entry: SetEntry,
    as_responder: dict[str, str],
) -> None:
    csrf = as_responder["X-CSRF-Token"]
    roll_call_id = await _started(client, world, make_person, set_entry, csrf)
    entry_id = await _entry_id(db, "Karim Bouali")
    await client.post(
        f"/emergency/roll-calls/{roll_call_id}/entries/{entry_id}",
        data={"_csrf": csrf, "accounted_for": "1"},
    )

    page = await client.get(f"/emergency/roll-calls/{roll_call_id}", params={"show": "missing"})

    assert ("Lotte de Wit" in page.text, "Karim Bouali" in page.text) == (True, False)


async def test_adding_someone_without_a_name_says_so_at_the_field_in_dutch(
    client: Client,
    world: World,
    make_person: MakePerson,
    set_entry: SetEntry,
    as_responder: dict[str, str],
) -> None:
    csrf = as_responder["X-CSRF-Token"]
    roll_call_id = await _started(client, world, make_person, set_entry, csrf)

    page = await client.post(
        f"/emergency/roll-calls/{roll_call_id}/entries", data={"_csrf": csrf, "name": "  "}
    )

    assert (page.status_code, 'id="name-error">Een naam is verplicht.' in page.text) == (
        422,
        True,
    )


async def test_someone_added_on_the_page_counts_as_safe(
    client: Client,
    world: World,
    make_person: MakePerson,
    set_entry: SetEntry,
    as_responder: dict[str, str],
) -> None:
    csrf = as_responder["X-CSRF-Token"]
    roll_call_id = await _started(client, world, make_person, set_entry, csrf)
    await client.post(
        f"/emergency/roll-calls/{roll_call_id}/entries",
        data={"_csrf": csrf, "name": "Monteur liftbedrijf"},
    )

    page = await client.get(f"/emergency/roll-calls/{roll_call_id}")

    assert "1 van 3 veilig" in page.text


async def test_closing_on_the_page_closes_the_roll_call(
    client: Client,
    db: AsyncSession,
    world: World,
    make_person: MakePerson,
    set_entry: SetEntry,
    as_responder: dict[str, str],
) -> None:
    csrf = as_responder["X-CSRF-Token"]
    roll_call_id = await _started(client, world, make_person, set_entry, csrf)

    await client.post(f"/emergency/roll-calls/{roll_call_id}/close", data={"_csrf": csrf})

    assert [r.closed_at is not None for r in await roll_calls(db)] == [True]


async def test_starting_again_while_one_is_open_opens_the_open_one(
    client: Client,
    world: World,
    make_person: MakePerson,
    set_entry: SetEntry,
    as_responder: dict[str, str],
) -> None:
    csrf = as_responder["X-CSRF-Token"]
    roll_call_id = await _started(client, world, make_person, set_entry, csrf)

    response = await client.post(
        f"/emergency/sites/{world.site.id}/start", data={"_csrf": csrf}, follow_redirects=False
    )

    assert response.headers["location"] == f"/emergency/roll-calls/{roll_call_id}"


async def test_a_responder_finds_the_evacuation_in_the_menu_itself(
    client: Client, as_responder: dict[str, str]
) -> None:
    page = await client.get("/")

    main_menu = page.text[page.text.index('<ul id="main-menu">') :]
    assert 'href="/emergency"' in main_menu[: main_menu.index("</nav>")]


async def test_an_employee_is_refused_the_evacuation_page(
    client: Client, world: World, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Eva Employee"))

    page = await client.get(f"/emergency/sites/{world.site.id}")

    assert page.status_code == 403


async def test_ticking_with_htmx_after_the_close_says_so_in_the_row(
    client: Client,
    db: AsyncSession,
    world: World,
    make_person: MakePerson,
    set_entry: SetEntry,
    as_responder: dict[str, str],
) -> None:
    csrf = as_responder["X-CSRF-Token"]
    roll_call_id = await _started(client, world, make_person, set_entry, csrf)
    entry_id = await _entry_id(db, "Karim Bouali")
    await client.post(f"/emergency/roll-calls/{roll_call_id}/close", data={"_csrf": csrf})

    response = await client.post(
        f"/emergency/roll-calls/{roll_call_id}/entries/{entry_id}",
        data={"_csrf": csrf, "accounted_for": "1"},
        headers={"HX-Request": "true"},
    )

    assert (response.status_code, "Deze ontruimingslijst is afgesloten." in response.text) == (
        409,
        True,
    )


async def test_the_sites_page_marks_a_site_with_an_open_roll_call(
    client: Client,
    world: World,
    make_person: MakePerson,
    set_entry: SetEntry,
    as_responder: dict[str, str],
) -> None:
    await _started(client, world, make_person, set_entry, as_responder["X-CSRF-Token"])

    page = await client.get("/emergency")

    assert f"{world.site.name} · ontruiming loopt" in page.text


async def test_the_evacuation_page_offers_the_site_where_the_responder_works_today_first(
    client: Client,
    world: World,
    make_site: MakeSite,
    login_as: LoginAs,
    responder: Person,
    set_entry: SetEntry,
) -> None:
    depot = await make_site("Gemeentewerf", kind="field_base")
    await set_entry(responder, TODAY, "morning", "field_base", site=depot)
    await login_as(responder)

    page = await client.get("/emergency")

    first = page.text.index("roll-call-tap")
    assert page.text[first : page.text.index("</a>", first)].endswith(
        "Gemeentewerf · waar u vandaag werkt"
    )
