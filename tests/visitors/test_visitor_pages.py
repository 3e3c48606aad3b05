"""Pages: the visitors of a booking (/bookings/{id}/visitors) and reception's list of the
day (/visitors/today), in Dutch."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import TODAY, World, at
from tests.conftest import LoginAs
from tests.visitors.conftest import MakeBooking, add_visitor, visitors
from werkplek.bookings.models import BookingStatus
from werkplek.people.models import Person

Client = AsyncTestClient[Litestar]
HTMX = {"HX-Request": "true"}


# --- a booking's visitors -----------------------------------------------------------------


async def test_the_change_page_of_a_room_booking_links_to_its_visitors(
    client: Client, world: World, login_as: LoginAs, make_booking: MakeBooking
) -> None:
    booking = await make_booking()
    await login_as(world.anna)

    page = await client.get(f"/bookings/{booking.id}/change")

    assert f'href="/bookings/{booking.id}/visitors"' in page.text


async def test_the_organiser_adds_a_visitor_with_the_form(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs, make_booking: MakeBooking
) -> None:
    booking = await make_booking()
    headers = await login_as(world.anna)

    response = await client.post(
        f"/bookings/{booking.id}/visitors",
        data={"_csrf": headers["X-CSRF-Token"], "name": "Jan Jansen", "organisation": "GGD"},
    )

    assert response.status_code == 200  # after the redirect
    assert "Bezoeker aangemeld." in response.text
    assert "Jan Jansen" in response.text
    assert [(v.name, v.organisation) for v in await visitors(db)] == [("Jan Jansen", "GGD")]


async def test_the_form_refuses_an_empty_name_at_the_name_in_dutch(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs, make_booking: MakeBooking
) -> None:
    booking = await make_booking()
    headers = await login_as(world.anna)

    response = await client.post(
        f"/bookings/{booking.id}/visitors", data={"_csrf": headers["X-CSRF-Token"], "name": ""}
    )

    assert response.status_code == 422
    assert '<p class="field-error" id="name-error">' in response.text
    assert 'aria-invalid="true"' in response.text
    assert await visitors(db) == []


async def test_the_organiser_removes_a_visitor_with_its_button(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs, make_booking: MakeBooking
) -> None:
    booking = await make_booking()
    visitor = await add_visitor(db, booking, "Jan Jansen")
    headers = await login_as(world.anna)

    response = await client.post(
        f"/bookings/{booking.id}/visitors/{visitor.id}/remove",
        data={"_csrf": headers["X-CSRF-Token"]},
    )

    assert "Bezoeker afgemeld." in response.text
    assert await visitors(db) == []


async def test_a_past_booking_shows_its_visitors_and_why_they_cannot_change(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs, make_booking: MakeBooking
) -> None:
    booking = await make_booking(start=at(TODAY, 8), end=at(TODAY, 9))
    await add_visitor(db, booking, "Jan Jansen")
    await login_as(world.anna)

    page = await client.get(f"/bookings/{booking.id}/visitors")

    assert "Jan Jansen" in page.text
    assert "Deze reservering is al afgelopen." in page.text
    assert "Bezoeker aanmelden" not in page.text
    assert "Verwijderen" not in page.text


# --- reception ----------------------------------------------------------------------------


async def test_reception_sees_todays_visitors_with_room_host_and_a_button(
    client: Client,
    db: AsyncSession,
    login_as: LoginAs,
    make_booking: MakeBooking,
    facilities: Person,
) -> None:
    booking = await make_booking(start=at(TODAY, 11), end=at(TODAY, 12))
    await add_visitor(db, booking, "Jan Jansen", "GGD")
    await login_as(facilities)

    page = await client.get("/visitors/today")

    assert "<h1>Bezoekers vandaag</h1>" in page.text
    for shown in ("11:00–12:00", "Overleg 1.10", "Jan Jansen", "GGD", "Anna de Vries"):
        assert shown in page.text
    assert "Aangekomen<span" in page.text


async def test_reception_marks_a_visitor_arrived_in_their_row(
    client: Client,
    db: AsyncSession,
    login_as: LoginAs,
    make_booking: MakeBooking,
    facilities: Person,
) -> None:
    visitor = await add_visitor(db, await make_booking(start=at(TODAY, 10)), "Jan Jansen")
    headers = await login_as(facilities)

    row = await client.post(
        f"/visitors/{visitor.id}/arrived",
        data={"_csrf": headers["X-CSRF-Token"]},
        headers=HTMX,
    )

    assert row.text.lstrip().startswith(f'<tr id="visitor-{visitor.id}">')
    assert "Aangekomen om 10:00" in row.text


async def test_without_javascript_reception_returns_to_the_list_of_the_visitors_day(
    client: Client,
    db: AsyncSession,
    world: World,
    login_as: LoginAs,
    make_booking: MakeBooking,
    facilities: Person,
) -> None:
    visitor = await add_visitor(db, await make_booking(start=at(TODAY, 10)), "Jan Jansen")
    headers = await login_as(facilities)

    response = await client.post(
        f"/visitors/{visitor.id}/arrived",
        data={"_csrf": headers["X-CSRF-Token"]},
        follow_redirects=False,
    )

    assert response.headers["location"] == (
        f"/visitors/today?site={world.site.id}&date={TODAY.isoformat()}"
    )


async def test_a_visitor_of_a_cancelled_booking_is_refused_in_their_row_in_dutch(
    client: Client,
    db: AsyncSession,
    login_as: LoginAs,
    make_booking: MakeBooking,
    facilities: Person,
) -> None:
    booking = await make_booking(start=at(TODAY, 10), status=BookingStatus.CANCELLED)
    visitor = await add_visitor(db, booking, "Jan Jansen")
    headers = await login_as(facilities)

    row = await client.post(
        f"/visitors/{visitor.id}/arrived",
        data={"_csrf": headers["X-CSRF-Token"]},
        headers=HTMX,
    )

    assert row.status_code == 422
    assert "Deze reservering is niet meer actief." in row.text


async def test_an_unknown_site_is_refused_at_the_site(
    client: Client, world: World, login_as: LoginAs, facilities: Person
) -> None:
    await login_as(facilities)

    page = await client.get("/visitors/today", params={"site": "999"})

    assert page.status_code == 400
    assert 'id="site-error"' in page.text


async def test_a_colleague_cannot_open_receptions_list(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    page = await client.get("/visitors/today")

    assert page.status_code == 403
