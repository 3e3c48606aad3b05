"""Ruimte boeken's "free from ... until" filter: only the rooms free all that time, the
booking form set to it, and a clear error for a window that is not one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.bookings.conftest import TOMORROW, Book, World, room_booking
from tests.conftest import LoginAs, MakePerson
from werkplek.bookings.availability import rooms_free_between
from werkplek.bookings.schemas import IntervalOut, RoomStatusOut
from werkplek.rooms.models import SpaceKind

Client = AsyncTestClient[Litestar]


def utc(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 26, hour, minute, tzinfo=UTC)


def room(name: str, *free: tuple[datetime, datetime], **state: bool) -> RoomStatusOut:
    return RoomStatusOut(
        space_id=len(name),
        name=name,
        kind=SpaceKind.MEETING_ROOM,
        floor_id=None,
        capacity=6,
        amenities=[],
        safety_features=[],
        requires_approval=False,
        bookable=state.get("bookable", True),
        closed=state.get("closed", False),
        busy=[],
        free=[IntervalOut(start, end, start, end) for start, end in free],
    )


def test_a_room_free_all_the_time_asked_for_is_kept() -> None:
    grutto = room("Grutto", (utc(8), utc(12)))

    assert rooms_free_between([grutto], utc(9), utc(10)) == [grutto]


def test_a_room_busy_during_part_of_the_time_is_left_out() -> None:
    kievit = room("Kievit", (utc(8), utc(9, 30)), (utc(10), utc(12)))

    assert rooms_free_between([kievit], utc(9), utc(10)) == []


def test_a_room_one_may_not_book_is_left_out_however_free() -> None:
    rooms = [
        room("Raad", (utc(8), utc(12)), bookable=False),
        room("Dicht", (utc(8), utc(12)), closed=True),
    ]

    assert rooms_free_between(rooms, utc(9), utc(10)) == []


# --- the page -----------------------------------------------------------------------------


@pytest.fixture
async def meeting_room_taken_at_half_past_ten(
    world: World, make_person: MakePerson, book: Book
) -> None:
    bram = await make_person("Bram")
    await book(bram, room_booking(world.room, start=(10, 30), end=(11, 0)))


async def rooms_free(client: Client, world: World, free_from: str, free_until: str) -> str:
    params = {
        "site": world.site.id,
        "date": TOMORROW.isoformat(),
        "free_from": free_from,
        "free_until": free_until,
    }
    return (await client.get("/book/room", params=params)).text


async def test_the_grid_lists_only_the_rooms_free_from_until(
    client: Client, world: World, login_as: LoginAs, meeting_room_taken_at_half_past_ten: None
) -> None:
    await login_as(world.anna)

    page = await rooms_free(client, world, "10:00", "11:00")

    assert "Overleg 1.10</th>" not in " ".join(page.split())
    assert "Spreekkamer A" in page


async def test_the_booking_form_books_the_time_the_rooms_are_free(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    page = await rooms_free(client, world, "14:00", "15:30")

    assert 'id="start" name="start" type="time" step="900" required value="14:00"' in page
    assert 'id="end" name="end" type="time" step="900" required value="15:30"' in page


async def test_a_free_time_in_the_grid_keeps_the_window(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    page = await rooms_free(client, world, "14:00", "15:30")

    assert f"free_from=14%3A00&amp;free_until=15%3A30&amp;space_id={world.room.id}" in page


async def test_an_end_before_the_start_is_422_at_the_until_field(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/book/room",
        params={"site": world.site.id, "free_from": "15:00", "free_until": "14:00"},
    )

    assert response.status_code == 422
    assert 'id="free_until-error">De eindtijd moet na de begintijd liggen.' in response.text
    assert 'value="14:00"' in response.text  # what was typed is kept


async def test_a_window_without_its_end_is_422_naming_the_missing_field(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get("/book/room", params={"site": world.site.id, "free_from": "15:00"})

    assert response.status_code == 422
    assert 'id="free_until-error">Kies tot wanneer de ruimte vrij moet zijn.' in response.text
