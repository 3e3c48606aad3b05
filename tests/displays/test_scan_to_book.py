"""Scan to book: a door display shows a QR code that opens Ruimte boeken with its room and
the next free slot filled in (``services.next_free_slot``); a lobby screen shows none.

The clock stands at Wednesday 25 November 2026, 10:00 in Amsterdam."""

from __future__ import annotations

import html

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import MakePerson
from tests.displays.conftest import TODAY, MakeLink, MakeMeeting, at
from werkplek.displays.views import qr_data_uri
from werkplek.rooms.models import Space


def booking_qr(room: Space, start: str, end: str) -> str:
    """The QR code of Ruimte boeken for the room today from ``start`` to ``end``."""
    return qr_data_uri(
        f"http://testserver.local/book/room?site={room.site_id}&date={TODAY.isoformat()}"
        f"&space_id={room.id}&start={start.replace(':', '%3A')}&end={end.replace(':', '%3A')}"
        "#book-form"
    )


def qr_codes(text: str) -> list[str]:
    """The ``data:`` URIs of the page's images."""
    return [html.unescape(part.split('"', 1)[0]) for part in text.split('<img src="')[1:]]


async def test_a_free_room_shows_a_qr_code_to_book_it_from_now_for_an_hour(
    client: AsyncTestClient[Litestar], make_link: MakeLink, room: Space
) -> None:
    token = await make_link(room.site_id, room)
    text = (await client.get(f"/display/{token}")).text
    assert qr_codes(text) == [booking_qr(room, "10:00", "11:00")]


async def test_the_qr_code_says_which_time_it_books(
    client: AsyncTestClient[Litestar], make_link: MakeLink, room: Space
) -> None:
    token = await make_link(room.site_id, room)
    text = (await client.get(f"/display/{token}")).text
    assert "Scan om deze ruimte te boeken van 10:00 tot 11:00" in text


async def test_a_free_room_offers_the_time_until_its_next_meeting(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_meeting: MakeMeeting,
    make_link: MakeLink,
    room: Space,
) -> None:
    await make_meeting(room, await make_person(), at(10, 30), at(11, 30))
    token = await make_link(room.site_id, room)
    text = (await client.get(f"/display/{token}")).text
    assert qr_codes(text) == [booking_qr(room, "10:00", "10:30")]


async def test_a_busy_room_shows_the_qr_code_of_its_next_free_slot(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_meeting: MakeMeeting,
    make_link: MakeLink,
    room: Space,
) -> None:
    await make_meeting(room, await make_person(), at(9, 30), at(11, 20))
    token = await make_link(room.site_id, room)
    text = (await client.get(f"/display/{token}")).text
    assert "Bezet tot 11:20" in text
    assert qr_codes(text) == [booking_qr(room, "11:30", "12:30")]


async def test_a_room_booked_for_the_rest_of_the_day_shows_no_qr_code(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_meeting: MakeMeeting,
    make_link: MakeLink,
    room: Space,
) -> None:
    await make_meeting(room, await make_person(), at(9, 30), at(18))
    token = await make_link(room.site_id, room)
    text = (await client.get(f"/display/{token}")).text
    assert qr_codes(text) == [] and "Scan om" not in text


async def test_the_board_the_display_refreshes_carries_the_qr_code_too(
    client: AsyncTestClient[Litestar], make_link: MakeLink, room: Space
) -> None:
    token = await make_link(room.site_id, room)
    text = (await client.get(f"/display/{token}/board")).text
    assert qr_codes(text) == [booking_qr(room, "10:00", "11:00")]


async def test_a_lobby_screen_shows_no_qr_code(
    client: AsyncTestClient[Litestar], make_link: MakeLink, room: Space
) -> None:
    token = await make_link(room.site_id)
    assert qr_codes((await client.get(f"/display/{token}")).text) == []
