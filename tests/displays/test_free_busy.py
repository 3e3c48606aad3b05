"""When a room is free, busy or closed, and until when (``services.room_now``), and what
the door display says about it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import MakePerson, MakeSite, MakeSpace, add_closure
from tests.displays.conftest import AMSTERDAM, TODAY, MakeLink, MakeMeeting, at
from werkplek.bookings.models import Booking
from werkplek.clock import FixedClock
from werkplek.displays.services import RoomDay, RoomNow, RoomState, next_meeting, room_now
from werkplek.rooms.models import Space

OPEN_DAY = RoomDay(at(7, 30), at(18))


def meeting(start: datetime, end: datetime) -> Booking:
    return Booking(start_at=start, end_at=end, status="confirmed")


def test_a_room_without_meetings_is_free_until_closing() -> None:
    assert room_now(at(10), [], OPEN_DAY) == RoomNow(RoomState.FREE, at(18))


def test_a_room_is_free_until_the_next_meeting_begins() -> None:
    meetings = [meeting(at(9), at(9, 30)), meeting(at(14), at(15))]
    assert room_now(at(10), meetings, OPEN_DAY) == RoomNow(RoomState.FREE, at(14))


def test_a_room_is_busy_until_the_meeting_under_way_ends() -> None:
    meetings = [meeting(at(9, 30), at(11, 30)), meeting(at(12), at(13))]
    assert room_now(at(10), meetings, OPEN_DAY) == RoomNow(RoomState.BUSY, at(11, 30))


def test_back_to_back_meetings_keep_the_room_busy_until_the_last_ends() -> None:
    meetings = [meeting(at(9), at(10, 30)), meeting(at(10, 30), at(11)), meeting(at(11), at(12))]
    assert room_now(at(10), meetings, OPEN_DAY) == RoomNow(RoomState.BUSY, at(12))


def test_the_next_meeting_of_a_busy_room_comes_after_the_meetings_keeping_it_busy() -> None:
    meetings = [meeting(at(9), at(10, 30)), meeting(at(10, 30), at(11)), meeting(at(14), at(15))]
    state = room_now(at(10), meetings, OPEN_DAY)
    assert next_meeting(at(10), meetings, state) == at(14)


def test_before_opening_the_room_is_closed_until_opening_time() -> None:
    state = room_now(at(7), [], OPEN_DAY)
    assert (state.state, state.until) == (RoomState.CLOSED, at(7, 30))


def test_after_closing_the_room_is_closed_for_the_rest_of_the_day() -> None:
    state = room_now(at(18, 30), [], OPEN_DAY)
    assert (state.state, state.until) == (RoomState.CLOSED, None)


def test_a_room_closed_all_day_says_why() -> None:
    state = room_now(at(10), [], RoomDay(None, None, "Onderhoud"))
    assert (state.state, state.reason) == (RoomState.CLOSED, "Onderhoud")


async def test_the_door_display_says_free_until_the_next_meeting(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_meeting: MakeMeeting,
    make_link: MakeLink,
    room: Space,
) -> None:
    await make_meeting(room, await make_person(), at(14), at(15))
    token = await make_link(room.site_id, room)
    text = (await client.get(f"/display/{token}")).text
    assert "Vrij" in text and "Vrij tot 14:00" in text


async def test_the_door_display_says_busy_until_the_meeting_ends(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_meeting: MakeMeeting,
    make_link: MakeLink,
    room: Space,
) -> None:
    await make_meeting(room, await make_person(), at(9, 30), at(11, 30))
    token = await make_link(room.site_id, room)
    assert "Bezet tot 11:30" in (await client.get(f"/display/{token}")).text


async def test_a_cancelled_meeting_leaves_the_room_free(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_meeting: MakeMeeting,
    make_link: MakeLink,
    room: Space,
) -> None:
    await make_meeting(room, await make_person(), at(9, 30), at(11, 30), status="cancelled")
    token = await make_link(room.site_id, room)
    assert "Vrij tot 18:00" in (await client.get(f"/display/{token}")).text


async def test_a_closed_room_shows_the_reason_of_its_closure(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_link: MakeLink,
) -> None:
    site = await make_site()
    room = await make_space(site, "Zaal", kind="meeting_room")
    await add_closure(db, site, TODAY, TODAY, space=room, reason="Nieuwe vloer")
    token = await make_link(site.id, room)
    text = (await client.get(f"/display/{token}")).text
    assert "Gesloten" in text and "Nieuwe vloer" in text


async def test_on_the_day_the_clocks_go_forward_times_are_amsterdam_wall_clock_times(
    client: AsyncTestClient[Litestar],
    clock: FixedClock,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_person: MakePerson,
    make_meeting: MakeMeeting,
    make_link: MakeLink,
) -> None:
    """Sunday 29 March 2026: 02:00 became 03:00, so 09:00 is 07:00 UTC, not 08:00."""
    dst_day = date(2026, 3, 29)
    site = await make_site(hours={6: (time(7, 30), time(18))})
    room = await make_space(site, "Zaal", kind="meeting_room")
    await make_meeting(room, await make_person(), at(9, day=dst_day), at(10, day=dst_day))
    clock.set(datetime(2026, 3, 29, 8, 30, tzinfo=AMSTERDAM))
    token = await make_link(room.site_id, room)
    text = (await client.get(f"/display/{token}")).text
    assert at(9, day=dst_day) == datetime(2026, 3, 29, 7, tzinfo=UTC)
    assert "Vrij tot 09:00" in text
