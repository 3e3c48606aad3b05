"""Meeting participants on the pages: Ruimte boeken invites colleagues, Mijn reserveringen
lists the meetings one is invited to, to accept or decline, and who answered what."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import Book, World, room_booking, room_form
from tests.conftest import LoginAs, MakePerson
from werkplek.bookings.models import Booking, BookingParticipant
from werkplek.people.models import Person

Client = AsyncTestClient[Litestar]


@pytest.fixture
async def bram(make_person: MakePerson) -> Person:
    return await make_person("Bram Bakker")


async def _invited(book: Book, world: World, bram: Person) -> Booking:
    made = await book(
        world.anna, room_booking(world.room, title="Teamoverleg", participants=[bram.id])
    )
    booking: Booking = made.created[0]
    return booking


async def _answers(db: AsyncSession) -> list[tuple[int, str]]:
    await db.rollback()
    rows = await db.execute(select(BookingParticipant.person_id, BookingParticipant.response))
    return [tuple(row) for row in rows.all()]  # type: ignore[misc]


async def test_the_room_form_invites_the_colleagues_ticked(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs, bram: Person
) -> None:
    headers = await login_as(world.anna)
    form = {**room_form(world, headers["X-CSRF-Token"]), "participants": [str(bram.id)]}

    await client.post("/book/room", data=form)

    assert await _answers(db) == [(bram.id, "pending")]


async def test_adding_a_colleague_on_the_room_form_shows_them_ticked_without_booking(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs, bram: Person
) -> None:
    headers = await login_as(world.anna)
    form = {
        **room_form(world, headers["X-CSRF-Token"]),
        "add_participant": str(bram.id),
        "add_participants": "1",
    }

    page = await client.post("/book/room", data=form)

    assert f'name="participants" value="{bram.id}" checked' in page.text
    assert (await db.execute(select(Booking.id))).all() == []


async def test_a_participant_who_does_not_fit_in_the_room_is_marked_on_the_form(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson
) -> None:
    three = [str((await make_person(f"Collega {n}")).id) for n in range(3)]  # holds 3
    headers = await login_as(world.anna)
    form = {
        **room_form(world, headers["X-CSRF-Token"]),
        "space_id": str(world.resident_room.id),
        "participants": three,
    }

    page = await client.post("/book/room", data=form)

    assert page.status_code == 422
    assert 'id="add_participant" name="add_participant" aria-invalid="true"' in page.text


async def test_my_bookings_lists_a_meeting_i_am_invited_to(
    client: Client, book: Book, world: World, login_as: LoginAs, bram: Person
) -> None:
    meeting = await _invited(book, world, bram)
    await login_as(bram)

    page = await client.get("/bookings")

    assert 'id="invitations-title">Uitnodigingen' in page.text
    assert f'action="/bookings/{meeting.id}/respond"' in page.text


async def test_accepting_on_my_bookings_records_the_answer(
    client: Client, db: AsyncSession, book: Book, world: World, login_as: LoginAs, bram: Person
) -> None:
    meeting = await _invited(book, world, bram)
    headers = await login_as(bram)

    await client.post(
        f"/bookings/{meeting.id}/respond",
        data={"_csrf": headers["X-CSRF-Token"], "response": "accepted"},
    )

    assert await _answers(db) == [(bram.id, "accepted")]


async def test_an_answer_other_than_accept_or_decline_is_refused(
    client: Client, book: Book, world: World, login_as: LoginAs, bram: Person
) -> None:
    meeting = await _invited(book, world, bram)
    headers = await login_as(bram)

    page = await client.post(
        f"/bookings/{meeting.id}/respond",
        data={"_csrf": headers["X-CSRF-Token"], "response": "maybe"},
    )

    assert page.status_code == 422


async def test_the_holder_sees_who_is_invited_and_their_answer(
    client: Client, book: Book, world: World, login_as: LoginAs, bram: Person
) -> None:
    await _invited(book, world, bram)
    await login_as(world.anna)

    page = await client.get("/bookings")

    assert "Deelnemers: Bram Bakker (nog niet beantwoord)" in page.text
