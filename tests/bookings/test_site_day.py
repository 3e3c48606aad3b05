"""Bookings by site: facilities see every booking at a site on one day, filter it, and
check out or cancel for whoever holds it."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.bookings.conftest import (
    NEXT_MONDAY,
    SATURDAY,
    TOMORROW,
    Book,
    World,
    at,
    desk_booking,
    room_booking,
)
from tests.conftest import LoginAs, MakePerson, count_queries
from werkplek.bookings import services
from werkplek.clock import FixedClock
from werkplek.people.models import Person, Role

Client = AsyncTestClient[Litestar]


@pytest.fixture
async def fenna(make_person: MakePerson) -> Person:
    return await make_person("Fenna Facilitair", roles=(Role.FACILITIES,))


async def _overview(client: Client, world: World, **params: str) -> str:
    response = await client.get(
        "/bookings/site-day",
        params={"site": str(world.site.id), "date": TOMORROW.isoformat(), **params},
    )
    assert response.status_code == 200
    return response.text


def _cells(text: str, booking_id: int) -> list[str]:
    """The texts of a booking's row, a cell each, without their markup."""
    row = re.search(rf'<tr id="booking-{booking_id}"[^>]*>(.*?)</tr>', text, re.S)
    assert row is not None, f"no row for booking {booking_id}"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", cell).split()) for cell in cells]


async def test_facilities_see_who_holds_each_booking_at_the_site_that_day(
    client: Client, world: World, login_as: LoginAs, fenna: Person, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    await login_as(fenna)

    text = await _overview(client, world)

    assert "Flexplek 1.01" in text and world.anna.name in text


async def test_the_heading_says_the_site_and_the_day_once_for_all_rows(
    client: Client, world: World, login_as: LoginAs, fenna: Person
) -> None:
    await login_as(fenna)

    text = await _overview(client, world)

    assert "<h2>Stadskantoor · donderdag 26-11-2026</h2>" in text


async def test_a_desk_row_gives_its_day_part_and_hours_without_the_date(
    client: Client, world: World, login_as: LoginAs, fenna: Person, book: Book
) -> None:
    made = await book(world.anna, desk_booking(world.desk))
    await login_as(fenna)

    text = await _overview(client, world)

    assert _cells(text, made.created[0].id)[0] == "Ochtend (07:30–13:00)"


async def test_a_room_row_gives_its_hours_without_the_date(
    client: Client, world: World, login_as: LoginAs, fenna: Person, book: Book
) -> None:
    made = await book(world.anna, room_booking(world.room))
    await login_as(fenna)

    text = await _overview(client, world)

    assert _cells(text, made.created[0].id)[0] == "10:00–11:00"


async def test_a_room_row_names_the_kind_its_name_does_not_say_and_the_title(
    client: Client, world: World, login_as: LoginAs, fenna: Person, book: Book
) -> None:
    made = await book(world.anna, room_booking(world.room, title="Werkoverleg"))
    await login_as(fenna)

    text = await _overview(client, world)

    assert _cells(text, made.created[0].id)[1] == "Overleg 1.10 (Overlegruimte) · Werkoverleg"


async def test_a_row_names_neither_the_site_nor_a_kind_its_name_says(
    client: Client, world: World, login_as: LoginAs, fenna: Person, book: Book
) -> None:
    made = await book(world.anna, desk_booking(world.desk))
    await login_as(fenna)

    text = await _overview(client, world)

    assert _cells(text, made.created[0].id)[1] == "Flexplek 1.01"


async def test_the_tables_caption_names_the_site_and_the_day(
    client: Client, world: World, login_as: LoginAs, fenna: Person, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    await login_as(fenna)

    text = await _overview(client, world)

    assert (
        '<caption class="visually-hidden">Reserveringen op Stadskantoor, '
        "donderdag 26-11-2026</caption>"
    ) in text


async def test_the_rows_forms_send_the_day_and_site_the_page_is_about(
    client: Client, world: World, login_as: LoginAs, fenna: Person, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    await login_as(fenna)

    text = await _overview(client, world)

    assert (
        f'name="row_day" value="{TOMORROW.isoformat()}">'
        f'<input type="hidden" name="row_site" value="{world.site.id}">'
    ) in text


async def test_a_row_cancelled_from_the_overview_comes_back_without_date_and_site(
    client: Client, world: World, login_as: LoginAs, fenna: Person, book: Book
) -> None:
    made = await book(world.anna, desk_booking(world.desk))
    headers = await login_as(fenna)
    booking_id = made.created[0].id

    response = await client.post(
        f"/bookings/{booking_id}/cancel",
        data={"row_day": TOMORROW.isoformat(), "row_site": str(world.site.id)},
        headers={**headers, "HX-Request": "true"},
    )

    assert _cells(response.text, booking_id)[:2] == [
        "Ochtend (07:30–13:00)",
        "Flexplek 1.01",
    ]


async def test_at_the_weekend_the_overview_opens_on_the_next_day_the_site_is_open(
    client: Client, world: World, login_as: LoginAs, fenna: Person, clock: FixedClock
) -> None:
    clock.set(at(SATURDAY, 10))
    await login_as(fenna)

    response = await client.get("/bookings/site-day", params={"site": str(world.site.id)})

    assert f'value="{NEXT_MONDAY.isoformat()}"' in response.text


async def test_bookings_on_other_days_are_left_out(
    client: Client, world: World, login_as: LoginAs, fenna: Person, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk, TOMORROW + timedelta(days=1)))
    await login_as(fenna)

    text = await _overview(client, world)

    assert "Hier is op deze dag niets gereserveerd." in text


async def test_asking_for_desks_leaves_out_the_rooms(
    client: Client, world: World, login_as: LoginAs, fenna: Person, book: Book
) -> None:
    await book(world.anna, room_booking(world.room, title="Werkoverleg"))
    await book(world.anna, desk_booking(world.desk))
    await login_as(fenna)

    text = await _overview(client, world, kind="desks")

    assert "Werkoverleg" not in text and "Flexplek 1.01" in text


async def test_asking_for_a_status_lists_only_bookings_in_it(
    client: Client, world: World, login_as: LoginAs, fenna: Person, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    await login_as(fenna)

    text = await _overview(client, world, status="cancelled")

    assert "Hier is op deze dag niets gereserveerd." in text


@pytest.fixture
async def two_bookings_one_a_page(
    world: World,
    login_as: LoginAs,
    fenna: Person,
    book: Book,
    make_person: MakePerson,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Facilities logged in, two desks booked at the site tomorrow, pages of one."""
    monkeypatch.setattr(services, "BOOKINGS_PAGE_SIZE", 1)
    await book(world.anna, desk_booking(world.desk))
    await book(await make_person("Bram"), desk_booking(world.desk2))
    await login_as(fenna)


async def test_the_overview_counts_every_booking_while_showing_a_page(
    client: Client, world: World, two_bookings_one_a_page: None
) -> None:

    text = await _overview(client, world)

    assert "2 reserveringen. Getoond: 1 tot en met 1." in text


async def test_the_next_page_is_linked(
    client: Client, world: World, two_bookings_one_a_page: None
) -> None:

    text = await _overview(client, world)

    assert "offset=1" in text


async def test_an_employee_may_not_open_the_overview(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get("/bookings/site-day")

    assert response.status_code == 403


async def test_a_malformed_date_is_refused_at_its_field(
    client: Client, world: World, login_as: LoginAs, fenna: Person
) -> None:
    await login_as(fenna)

    response = await client.get("/bookings/site-day", params={"date": "7 december"})

    assert response.status_code == 400
    assert 'id="date-error"' in response.text


async def test_an_unknown_site_is_refused_at_its_field(
    client: Client, world: World, login_as: LoginAs, fenna: Person
) -> None:
    await login_as(fenna)

    response = await client.get("/bookings/site-day", params={"site": "99999"})

    assert response.status_code == 400
    assert "Kies een van de genoemde locaties." in response.text


async def test_cancelling_from_the_overview_with_a_plain_form_comes_back_to_it(
    client: Client, world: World, login_as: LoginAs, fenna: Person, book: Book
) -> None:
    made = await book(world.anna, desk_booking(world.desk))
    headers = await login_as(fenna)
    back = f"/bookings/site-day?site={world.site.id}&date={TOMORROW.isoformat()}"

    response = await client.post(
        f"/bookings/{made.created[0].id}/cancel",
        data={"_csrf": headers["X-CSRF-Token"], "confirmed": "1", "next": back},
        follow_redirects=False,
    )

    assert response.headers["location"] == back


async def test_the_overview_rows_carry_the_way_back_to_it(
    client: Client, world: World, login_as: LoginAs, fenna: Person, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    await login_as(fenna)

    text = await _overview(client, world)

    assert 'name="next" value="/bookings/site-day?' in text


async def test_facilities_find_the_overview_in_the_menu(
    client: Client, login_as: LoginAs, fenna: Person
) -> None:
    await login_as(fenna)

    response = await client.get("/")

    assert 'href="/bookings/site-day"' in response.text


async def _export(client: Client, world: World, **params: str) -> httpx.Response:
    return await client.get(
        "/bookings/site-day/export",
        params={"site": str(world.site.id), "date": TOMORROW.isoformat(), **params},
    )


def _csv_rows(response: httpx.Response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return [row for row in csv.reader(io.StringIO(text), delimiter=";")]


async def test_the_export_lists_each_booking_of_the_day_for_a_spreadsheet(
    client: Client, world: World, login_as: LoginAs, fenna: Person, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    await book(world.anna, room_booking(world.room, title="Werkoverleg", attendees=4))
    await login_as(fenna)

    rows = _csv_rows(await _export(client, world))

    assert rows == [
        [
            "Begin",
            "Einde",
            "Dagdeel",
            "Ruimte",
            "Soort",
            "Geboekt voor",
            "Geboekt door",
            "Status",
            "Ingecheckt om",
            "Deelnemers",
            "Onderwerp",
        ],
        [
            "07:30",
            "13:00",
            "Ochtend",
            "Flexplek 1.01",
            "Flexplek",
            world.anna.name,
            world.anna.name,
            "Gereserveerd",
            "",
            "1",
            "",
        ],
        [
            "10:00",
            "11:00",
            "",
            "Overleg 1.10",
            "Overlegruimte",
            world.anna.name,
            world.anna.name,
            "Gereserveerd",
            "",
            "4",
            "Werkoverleg",
        ],
    ]


async def test_the_export_takes_as_many_queries_for_many_bookings_and_counts_none(
    app: Litestar,
    client: Client,
    world: World,
    login_as: LoginAs,
    fenna: Person,
    book: Book,
    make_person: MakePerson,
) -> None:
    await book(world.anna, room_booking(world.room, start=(8, 0), end=(8, 30)))
    await login_as(fenna)

    async def statements_of_the_export() -> list[str]:
        with count_queries(app.state.engine) as statements:
            assert (await _export(client, world)).status_code == 200
        return statements

    with_one = await statements_of_the_export()
    for hour in (9, 10, 11):
        colleague = await make_person(f"Collega {hour}")
        await book(colleague, room_booking(world.room, start=(hour, 0), end=(hour, 30)))
    with_four = await statements_of_the_export()

    assert len(with_four) == len(with_one)
    assert not any("count(" in statement.lower() for statement in with_four)


async def test_the_export_is_a_csv_download_named_after_the_site_and_day(
    client: Client, world: World, login_as: LoginAs, fenna: Person
) -> None:
    await login_as(fenna)

    response = await _export(client, world)

    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == (
        'attachment; filename="stadskantoor-2026-11-26-reserveringen.csv"'
    )


async def test_the_export_keeps_the_pages_filters(
    client: Client, world: World, login_as: LoginAs, fenna: Person, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    await book(world.anna, room_booking(world.room))
    await login_as(fenna)

    rows = _csv_rows(await _export(client, world, kind="rooms"))

    assert [row[3] for row in rows[1:]] == ["Overleg 1.10"]


async def test_an_export_with_a_wrong_filter_goes_back_to_the_page_that_says_why(
    client: Client, world: World, login_as: LoginAs, fenna: Person
) -> None:
    await login_as(fenna)

    response = await client.get(
        "/bookings/site-day/export", params={"date": "gisteren"}, follow_redirects=False
    )

    assert response.status_code in (302, 303)
    assert response.headers["location"] == "/bookings/site-day?date=gisteren"


async def test_the_page_links_to_the_export_with_its_filters(
    client: Client, world: World, login_as: LoginAs, fenna: Person, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    await login_as(fenna)

    text = await _overview(client, world, kind="desks")

    assert (
        f'href="/bookings/site-day/export?site={world.site.id}&amp;date=2026-11-26&amp;kind=desks"'
        in text
    )


async def test_employees_cannot_export_a_sites_bookings(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await _export(client, world)

    assert response.status_code == 403
