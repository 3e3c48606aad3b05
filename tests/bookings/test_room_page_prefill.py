"""Ruimte boeken filled in from a link, as a door display's QR code opens it
(``/book/room?site=&date=&space_id=&start=&end=``): the room chosen and the times set, so
booking is one click; what cannot be read is left out, and a room that cannot be booked
is said so at its field rather than another room chosen in its place.

The clock stands at Wednesday 25 November 2026, 10:00 in Amsterdam."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import quote, urlencode

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import TODAY, World, all_bookings
from tests.conftest import LoginAs, MakePerson, MakeSpace, MakeTeam, add_closure
from tests.people.helpers import PASSWORD, PASSWORD_HASH, csrf_field

Client = AsyncTestClient[Litestar]


def prefilled(world: World, **asked: Any) -> dict[str, Any]:
    """What a door display's QR code asks for: the meeting room today 10:15-11:15."""
    return {
        "site": world.site.id,
        "date": TODAY.isoformat(),
        "space_id": world.room.id,
        "start": "10:15",
        "end": "11:15",
        **asked,
    }


def chosen_room(page: str) -> str | None:
    """The value of the room chosen in the booking form's select, if any."""
    choice = page[page.index('<select id="space_id"') :]
    choice = choice[: choice.index("</select>")]
    found = re.search(r'<option value="(\d+)" selected>', choice)
    return found.group(1) if found else None


def field_value(page: str, name: str) -> str:
    found = re.search(rf'<input id="{name}" name="{name}"[^>]* value="([^"]*)"', page)
    assert found is not None, f"no field {name}"
    return found.group(1)


async def test_the_room_asked_for_is_chosen_in_the_booking_form(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)
    page = (await client.get("/book/room", params=prefilled(world))).text
    assert chosen_room(page) == str(world.room.id)


async def test_the_times_asked_for_are_filled_in(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)
    page = (await client.get("/book/room", params=prefilled(world))).text
    assert (field_value(page, "start"), field_value(page, "end")) == ("10:15", "11:15")


async def test_a_start_that_is_not_a_time_is_ignored(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)
    response = await client.get("/book/room", params=prefilled(world, start="10u15", end=""))
    assert response.status_code == 200
    assert field_value(response.text, "start") == ""


async def test_a_time_with_seconds_is_ignored(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)
    page = (await client.get("/book/room", params=prefilled(world, end="11:15:30"))).text
    assert field_value(page, "end") == "11:15"


async def test_an_end_that_is_not_a_time_becomes_an_hour_after_the_start(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)
    page = (await client.get("/book/room", params=prefilled(world, end="straks"))).text
    assert field_value(page, "end") == "11:15"


async def test_one_click_books_the_room_at_the_time_filled_in(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)
    page = (await client.get("/book/room", params=prefilled(world))).text
    form = page[page.index('<form method="post" action="/book/room" class="stacked-form">') :]
    sent = {
        html.unescape(name): html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)
    } | {
        "space_id": str(world.room.id),
        "start": field_value(page, "start"),
        "end": field_value(page, "end"),
        "attendees": field_value(page, "attendees"),
    }

    response = await client.post("/book/room", data=sent, follow_redirects=False)

    assert response.status_code in {302, 303}, response.text
    [booking] = await all_bookings(db)
    assert (booking.space_id, booking.booked_for_id) == (world.room.id, world.anna.id)


async def test_a_room_reserved_for_other_teams_is_refused_at_its_field(
    client: Client,
    world: World,
    login_as: LoginAs,
    make_space: MakeSpace,
    make_team: MakeTeam,
) -> None:
    theirs = await make_space(
        world.site, "Teamkamer", kind="meeting_room", teams=(await make_team("Wijkteam"),)
    )
    await login_as(world.anna)

    response = await client.get("/book/room", params=prefilled(world, space_id=theirs.id))

    assert response.status_code == 422
    assert "Deze ruimte kunt u op deze dag niet boeken; kies een andere." in response.text
    assert 'id="space_id-error"' in response.text


async def test_a_room_refused_leaves_no_other_room_chosen_in_its_place(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs
) -> None:
    await add_closure(db, world.site, TODAY, TODAY, space=world.room, reason="Schilderwerk")
    await login_as(world.anna)

    page = (await client.get("/book/room", params=prefilled(world))).text

    assert chosen_room(page) is None
    assert '<option value="">Kies een ruimte</option>' in page


async def test_a_room_number_that_is_no_room_is_refused_at_its_field(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)
    response = await client.get("/book/room", params=prefilled(world, space_id="kamer"))
    assert response.status_code == 422
    assert 'id="space_id-error"' in response.text


async def test_a_desk_is_no_room_to_book_here(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)
    response = await client.get("/book/room", params=prefilled(world, space_id=world.desk.id))
    assert response.status_code == 422


async def test_someone_not_logged_in_is_sent_to_log_in_with_the_whole_link(
    client: Client, world: World
) -> None:
    target = "/book/room?" + urlencode(prefilled(world))

    response = await client.get(target, follow_redirects=False)

    assert response.headers["location"] == f"/login?next={quote(target, safe='/')}"


async def test_after_logging_in_the_link_opens_filled_in(
    client: Client, world: World, make_person: MakePerson
) -> None:
    await make_person("Bram", email="bram@gemeente.nl", password_hash=PASSWORD_HASH)
    target = "/book/room?" + urlencode(prefilled(world))
    login_page = await client.get(
        (await client.get(target, follow_redirects=False)).headers["location"]
    )
    login_form = login_page.text[login_page.text.index('action="/login"') :]
    next_path = html.unescape(re.findall(r'name="next" value="([^"]*)"', login_form)[0])

    response = await client.post(
        "/login",
        data={
            "_csrf": csrf_field(login_form),
            "email": "bram@gemeente.nl",
            "password": PASSWORD,
            "next": next_path,
        },
        follow_redirects=False,
    )

    assert response.headers["location"] == target
    page = (await client.get(target)).text
    assert chosen_room(page) == str(world.room.id)
