"""Changing a room booking on its page ("Wijzigen" on "Mijn reserveringen"), with and
without htmx, and booking an earlier booking again ("Opnieuw boeken")."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import (
    SATURDAY,
    TODAY,
    TOMORROW,
    Book,
    Run,
    World,
    actor,
    all_bookings,
    at,
    change_form,
    desk_booking,
    room_booking,
)
from tests.conftest import LoginAs, MakePerson
from werkplek.bookings import services
from werkplek.bookings.availability import book_again_day
from werkplek.bookings.schemas import RescheduleIn
from werkplek.clock import FixedClock
from werkplek.people.models import Role

Client = AsyncTestClient[Litestar]


async def _annas_meeting(world: World, book: Book) -> int:
    """Anna's meeting in Overleg 1.10 tomorrow 10:00-11:00; its id."""
    made = await book(world.anna, room_booking(world.room, title="Teamoverleg", attendees=2))
    booking_id: int = made.created[0].id
    return booking_id


async def _post(client: Client, booking_id: int, data: dict[str, str], htmx: bool = False) -> Any:
    return await client.post(
        f"/bookings/{booking_id}/change",
        data=data,
        headers={"HX-Request": "true"} if htmx else {},
    )


async def test_my_bookings_offers_to_change_a_room_booking(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    booking_id = await _annas_meeting(world, book)
    await login_as(world.anna)

    page = (await client.get("/bookings")).text

    assert f'href="/bookings/{booking_id}/change">Wijzigen' in page


async def test_my_bookings_offers_no_change_of_a_desk_booking(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    made = await book(world.anna, desk_booking(world.desk))
    await login_as(world.anna)

    page = (await client.get("/bookings")).text

    assert f"/bookings/{made.created[0].id}/change" not in page


async def test_the_change_form_is_filled_in_with_the_booking(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    booking_id = await _annas_meeting(world, book)
    await login_as(world.anna)

    page = (await client.get(f"/bookings/{booking_id}/change")).text

    assert f'value="{TOMORROW.isoformat()}"' in page
    assert 'name="start" type="time" step="900" required value="10:00"' in page
    assert 'name="end" type="time" step="900" required value="11:00"' in page
    assert f'<option value="{world.room.id}" selected>Overleg 1.10' in page


async def test_the_change_form_offers_the_rooms_of_the_same_site_only(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    booking_id = await _annas_meeting(world, book)
    await login_as(world.anna)

    page = (await client.get(f"/bookings/{booking_id}/change")).text

    assert f'<option value="{world.resident_room.id}"' in page
    assert f'<option value="{world.desk.id}"' not in page


async def test_saving_the_form_changes_the_booking(
    client: Client, world: World, login_as: LoginAs, book: Book, db: AsyncSession
) -> None:
    booking_id = await _annas_meeting(world, book)
    headers = await login_as(world.anna)

    await _post(
        client, booking_id, change_form(world, headers["X-CSRF-Token"], start="14:00", end="15:00")
    )

    active = [(b.start_at, b.title) for b in await all_bookings(db) if b.status == "confirmed"]
    assert active == [(at(TOMORROW, 14), "Teamoverleg")]


async def test_saving_without_script_returns_to_my_bookings_saying_what_changed(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    booking_id = await _annas_meeting(world, book)
    headers = await login_as(world.anna)

    response = await _post(
        client, booking_id, change_form(world, headers["X-CSRF-Token"], start="14:00", end="15:00")
    )

    assert str(response.url).split("?")[0].endswith("/bookings")
    assert "Gewijzigd: Overleg 1.10, donderdag 26 november 2026, 14:00–15:00." in response.text


async def test_saving_with_htmx_shows_the_booking_as_it_is_now(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    booking_id = await _annas_meeting(world, book)
    headers = await login_as(world.anna)

    response = await _post(
        client,
        booking_id,
        change_form(world, headers["X-CSRF-Token"], start="14:00", end="15:00"),
        htmx=True,
    )

    assert response.status_code == 200
    assert "Gewijzigd: Overleg 1.10, donderdag 26 november 2026, 14:00–15:00." in response.text
    assert "<html" not in response.text


@pytest.mark.parametrize("htmx", [False, True], ids=["plain form", "htmx"])
async def test_a_refused_change_shows_the_form_again_with_the_field_named_in_dutch(
    client: Client, world: World, login_as: LoginAs, book: Book, htmx: bool
) -> None:
    booking_id = await _annas_meeting(world, book)
    headers = await login_as(world.anna)

    response = await _post(
        client, booking_id, change_form(world, headers["X-CSRF-Token"], end="19:00"), htmx=htmx
    )

    assert response.status_code == 422
    assert '<a href="#end">Tot: De locatie is op deze dag open van 07:30 tot 18:00.</a>' in (
        response.text
    )


async def test_a_refused_change_keeps_what_was_filled_in(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    booking_id = await _annas_meeting(world, book)
    headers = await login_as(world.anna)

    response = await _post(
        client,
        booking_id,
        change_form(
            world, headers["X-CSRF-Token"], date=SATURDAY.isoformat(), start="12:00", end="13:00"
        ),
    )

    assert f'value="{SATURDAY.isoformat()}"' in response.text
    assert 'required value="12:00"' in response.text


async def test_a_form_without_a_start_time_is_refused_naming_it_in_dutch(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    booking_id = await _annas_meeting(world, book)
    headers = await login_as(world.anna)

    response = await _post(
        client, booking_id, change_form(world, headers["X-CSRF-Token"], start="")
    )

    assert response.status_code == 422
    assert '<a href="#start">Van: Kies een begintijd.</a>' in response.text


async def test_saving_the_form_unchanged_says_nothing_would_change(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    booking_id = await _annas_meeting(world, book)
    headers = await login_as(world.anna)

    response = await _post(client, booking_id, change_form(world, headers["X-CSRF-Token"]))

    assert response.status_code == 422
    assert "Er verandert niets: kies een andere datum, tijd of ruimte." in response.text


async def test_a_colleague_cannot_open_the_change_form_of_someone_elses_booking(
    client: Client, world: World, login_as: LoginAs, book: Book, make_person: MakePerson
) -> None:
    booking_id = await _annas_meeting(world, book)
    await login_as(await make_person("Bram"))

    response = await client.get(f"/bookings/{booking_id}/change")

    assert response.status_code == 404


async def test_the_form_of_a_meeting_under_way_asks_only_for_its_end(
    client: Client, world: World, login_as: LoginAs, book: Book, clock: FixedClock
) -> None:
    booking_id = await _annas_meeting(world, book)
    clock.set(at(TOMORROW, 10, 20))
    await login_as(world.anna)

    page = (await client.get(f"/bookings/{booking_id}/change")).text

    assert 'type="hidden" name="start" value="10:00"' in page
    assert 'id="end" name="end" type="time"' in page


async def test_a_meeting_under_way_is_extended_on_the_page(
    client: Client, world: World, login_as: LoginAs, book: Book, clock: FixedClock
) -> None:
    booking_id = await _annas_meeting(world, book)
    clock.set(at(TOMORROW, 10, 20))
    headers = await login_as(world.anna)

    response = await _post(
        client,
        booking_id,
        change_form(world, headers["X-CSRF-Token"], end="11:30"),
    )

    assert "Gewijzigd: Overleg 1.10, donderdag 26 november 2026, 10:00–11:30." in response.text


# --- booking again --------------------------------------------------------------------------


async def _earlier_meeting(world: World, run: Run, clock: FixedClock) -> int:
    """Anna's meeting in Overleg 1.10 today 10:30-11:30, 'Teamoverleg' for 2, over by 12:00."""
    made = await run(
        services.create_booking,
        clock,
        actor(world.anna),
        room_booking(world.room, TODAY, (10, 30), (11, 30), title="Teamoverleg", attendees=2),
    )
    clock.set(at(TODAY, 12))
    booking_id: int = made.created[0].id
    return booking_id


async def test_earlier_bookings_offer_to_book_each_again(
    client: Client, world: World, login_as: LoginAs, run: Run, clock: FixedClock
) -> None:
    booking_id = await _earlier_meeting(world, run, clock)
    await login_as(world.anna)

    page = (await client.get("/bookings/history")).text

    assert f'href="/bookings/{booking_id}/again">Opnieuw boeken' in page


async def test_booking_a_room_again_opens_the_room_page_filled_in_for_the_next_open_day(
    client: Client, world: World, login_as: LoginAs, run: Run, clock: FixedClock
) -> None:
    booking_id = await _earlier_meeting(world, run, clock)
    await login_as(world.anna)

    response = await client.get(f"/bookings/{booking_id}/again", follow_redirects=False)

    assert response.headers["location"] == (
        f"/book/room?site={world.site.id}&date={TOMORROW.isoformat()}&floor={world.floor.id}"
        f"&space_id={world.room.id}&start=10%3A30&end=11%3A30&attendees=2&title=Teamoverleg"
        "#book-form"
    )


async def test_the_room_page_opened_again_has_the_room_and_hours_chosen(
    client: Client, world: World, login_as: LoginAs, run: Run, clock: FixedClock
) -> None:
    booking_id = await _earlier_meeting(world, run, clock)
    await login_as(world.anna)

    page = (await client.get(f"/bookings/{booking_id}/again")).text

    assert f'<option value="{world.room.id}" selected>' in page
    assert 'id="start" name="start" type="time" step="900" required value="10:30"' in page


async def test_a_booking_whose_time_is_still_ahead_today_is_booked_again_today(
    world: World, run: Run, clock: FixedClock, db: AsyncSession, book: Book
) -> None:
    made = await book(world.anna, room_booking(world.room, TODAY, (14, 0), (15, 0)))
    await run(services.cancel_booking, clock, actor(world.anna), made.created[0].id)

    day = await book_again_day(db, clock, made.created[0])

    assert day == TODAY


async def test_booking_a_desk_again_opens_the_desk_page_at_that_desk_for_its_day_part(
    client: Client, world: World, login_as: LoginAs, run: Run, clock: FixedClock
) -> None:
    made = await run(
        services.create_booking, clock, actor(world.anna), desk_booking(world.desk, TODAY)
    )
    clock.set(at(TODAY, 14))
    await login_as(world.anna)

    response = await client.get(f"/bookings/{made.created[0].id}/again", follow_redirects=False)

    assert response.headers["location"] == (
        f"/book/desk?site={world.site.id}&date={TOMORROW.isoformat()}&floor={world.floor.id}"
        f"&day_part=morning#desk-{world.desk.id}"
    )


async def test_the_desk_page_marks_each_desk_so_a_link_can_lead_to_it(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    page = (await client.get("/book/desk", params={"site": world.site.id})).text

    assert f'<tr id="desk-{world.desk.id}"' in page


async def test_a_change_made_through_the_service_shows_on_my_bookings(
    client: Client, world: World, login_as: LoginAs, book: Book, run: Run, clock: FixedClock
) -> None:
    booking_id = await _annas_meeting(world, book)
    changed = await run(
        services.reschedule_room_booking,
        clock,
        actor(world.anna),
        booking_id,
        RescheduleIn(start="14:00", end="15:00"),
    )
    await login_as(world.anna)

    page = (await client.get("/bookings", params={"changed": changed.created[0].id})).text

    assert "Gewijzigd: Overleg 1.10, donderdag 26 november 2026, 14:00–15:00." in page


async def test_the_change_page_of_a_cancelled_booking_says_so_and_offers_no_form(
    client: Client, world: World, login_as: LoginAs, book: Book, run: Run, clock: FixedClock
) -> None:
    booking_id = await _annas_meeting(world, book)
    await run(services.cancel_booking, clock, actor(world.anna), booking_id)
    await login_as(world.anna)

    response = await client.get(f"/bookings/{booking_id}/change")

    assert response.status_code == 409
    assert "Deze reservering kan niet meer gewijzigd worden." in response.text
    assert 'name="end"' not in response.text


async def _from_site_day(world: World, make_person: MakePerson, login_as: LoginAs) -> str:
    """Facilities log in; the address of Bookings by site for the meeting's day."""
    await login_as(await make_person("Fenna Facilitair", roles=(Role.FACILITIES,)))
    return f"/bookings/site-day?site={world.site.id}&date={TOMORROW.isoformat()}"


def _csrf(client: Client) -> str:
    return str(client.headers["X-CSRF-Token"])


async def test_bookings_by_site_opens_the_change_form_to_come_back_to_it(
    client: Client, world: World, login_as: LoginAs, book: Book, make_person: MakePerson
) -> None:
    booking_id = await _annas_meeting(world, book)
    overview = await _from_site_day(world, make_person, login_as)

    page = (await client.get(overview)).text

    assert f'href="/bookings/{booking_id}/change?next={quote(overview)}"' in page.replace(
        "&amp;", "&"
    )


async def test_the_change_form_opened_from_bookings_by_site_links_back_to_it(
    client: Client, world: World, login_as: LoginAs, book: Book, make_person: MakePerson
) -> None:
    booking_id = await _annas_meeting(world, book)
    overview = await _from_site_day(world, make_person, login_as)

    page = await client.get(f"/bookings/{booking_id}/change", params={"next": overview})

    assert f'<a href="{overview}">Reserveringen per locatie</a>' in page.text.replace("&amp;", "&")


async def test_saving_a_change_from_bookings_by_site_returns_there(
    client: Client, world: World, login_as: LoginAs, book: Book, make_person: MakePerson
) -> None:
    booking_id = await _annas_meeting(world, book)
    overview = await _from_site_day(world, make_person, login_as)
    response = await client.post(
        f"/bookings/{booking_id}/change",
        data=change_form(world, _csrf(client), start="14:00", end="15:00", next=overview),
        follow_redirects=False,
    )

    assert (response.status_code, response.headers["location"]) == (302, overview)


async def test_a_change_asked_to_return_to_another_site_returns_to_my_bookings(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    booking_id = await _annas_meeting(world, book)
    headers = await login_as(world.anna)
    form = change_form(world, headers["X-CSRF-Token"], start="14:00", end="15:00")

    response = await client.post(
        f"/bookings/{booking_id}/change",
        data=form | {"next": "https://evil.example/"},
        follow_redirects=False,
    )

    assert response.headers["location"].startswith("/bookings?changed=")
