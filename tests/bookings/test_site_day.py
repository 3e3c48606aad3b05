"""Bookings by site: facilities see every booking at a site on one day, filter it, and
check out or cancel for whoever holds it."""

from __future__ import annotations

from datetime import timedelta

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
from tests.conftest import LoginAs, MakePerson
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


async def test_facilities_see_who_holds_each_booking_at_the_site_that_day(
    client: Client, world: World, login_as: LoginAs, fenna: Person, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    await login_as(fenna)

    text = await _overview(client, world)

    assert "Flexplek 1.01" in text and world.anna.name in text


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
