"""Meeting participants: the holder of a room booking invites colleagues, who get an
invitation with the meeting's iCalendar request and accept or decline it; a change or
cancellation of the meeting reaches them too."""

from __future__ import annotations

import json
from typing import Any

import pytest
from icalendar import Calendar
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import TOMORROW, Book, Run, World, actor, local, room_booking
from tests.conftest import LoginAs, MakePerson
from tests.notifications.conftest import outbox
from werkplek.bookings import services
from werkplek.bookings.models import Booking, BookingParticipant, ParticipantResponse
from werkplek.bookings.participants import replace_participants, respond_to_invitation
from werkplek.bookings.schemas import RescheduleIn
from werkplek.clock import FixedClock
from werkplek.errors import DomainError
from werkplek.notifications.models import MailKind, MailPreference, OutboxMail
from werkplek.people.models import Person

Client = AsyncTestClient[Litestar]


@pytest.fixture
async def bram(make_person: MakePerson) -> Person:
    return await make_person("Bram Bakker")


@pytest.fixture
async def cor(make_person: MakePerson) -> Person:
    return await make_person("Cor de Boer")


def _meeting(world: World, *participants: Person, **fields: Any) -> dict[str, Any]:
    """Anna's meeting in Overleg 1.10 (for 6) tomorrow 10:00-11:00, as the API takes it."""
    return {
        "space_id": world.room.id,
        "start": local(TOMORROW, 10),
        "end": local(TOMORROW, 11),
        "title": "Teamoverleg",
        "participants": [p.id for p in participants],
        **fields,
    }


async def _book(client: Client, world: World, *participants: Person, **fields: Any) -> Any:
    response = await client.post("/api/bookings", json=_meeting(world, *participants, **fields))
    assert response.status_code == 201, response.text
    return response.json()["bookings"][0]


async def _refusal(client: Client, world: World, *participant_ids: int) -> Any:
    body = {**_meeting(world), "participants": list(participant_ids)}
    response = await client.post("/api/bookings", json=body)
    assert response.status_code == 422, response.text
    return response.json()


async def _invited(db: AsyncSession, book: Book, world: World, *people: Person) -> Booking:
    made = await book(world.anna, room_booking(world.room, participants=[p.id for p in people]))
    booking: Booking = made.created[0]
    return booking


async def _mails(db: AsyncSession, person: Person) -> list[OutboxMail]:
    return [
        m for m in await outbox(db, MailKind.MEETING_INVITATION.value) if m.person_id == person.id
    ]


def _listed(value: Any) -> list[Any]:
    """A property that may occur more than once, as icalendar reads it: one or a list."""
    return value if isinstance(value, list) else [value]


def _calendar(mail: OutboxMail, index: int = 0) -> str:
    return mail.attachments[index].content.decode()


async def _participations(db: AsyncSession) -> int:
    await db.rollback()
    return int((await db.execute(select(func.count(BookingParticipant.id)))).scalar_one())


# --- inviting -----------------------------------------------------------------------------


async def test_a_room_booking_lists_its_participants_by_name_with_their_answer(
    client: Client, world: World, login_as: LoginAs, bram: Person
) -> None:
    await login_as(world.anna)

    booking = await _book(client, world, bram)

    assert booking["participants"] == [
        {"person_id": bram.id, "name": "Bram Bakker", "response": "pending", "responded_at": None}
    ]


async def test_the_holder_is_no_participant_of_their_own_booking_and_a_repeated_id_counts_once(
    client: Client, world: World, login_as: LoginAs, bram: Person
) -> None:
    await login_as(world.anna)

    booking = await _book(client, world, bram, world.anna, bram)

    assert [p["person_id"] for p in booking["participants"]] == [bram.id]


async def test_an_unknown_participant_is_refused_at_participants(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    refused = await _refusal(client, world, 999_999)

    assert (refused["error"], refused["field"]) == ("unknown_person", "participants")


async def test_a_colleague_who_left_cannot_be_invited(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson
) -> None:
    gone = await make_person("Gijs Gone", active=False)
    await login_as(world.anna)

    refused = await _refusal(client, world, gone.id)

    assert (refused["error"], refused["field"]) == ("unknown_person", "participants")


async def test_participants_who_with_the_holder_do_not_fit_in_the_room_are_refused_as_over_capacity(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson
) -> None:
    six = [await make_person(f"Collega {n}") for n in range(6)]  # the room holds 6
    await login_as(world.anna)

    refused = await _refusal(client, world, *(p.id for p in six))

    assert (refused["error"], refused["field"]) == ("over_capacity", "participants")


async def test_a_desk_booking_with_participants_is_refused(
    client: Client, world: World, login_as: LoginAs, bram: Person
) -> None:
    await login_as(world.anna)
    body = {
        "space_id": world.desk.id,
        "date": TOMORROW.isoformat(),
        "day_part": "morning",
        "participants": [bram.id],
    }

    response = await client.post("/api/bookings", json=body)

    assert (response.status_code, response.json()["field"]) == (422, "participants")


async def test_a_refused_participant_leaves_nothing_stored(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs, bram: Person
) -> None:
    await login_as(world.anna)

    await _refusal(client, world, bram.id, 999_999)

    assert await _participations(db) == 0
    assert (await db.execute(select(func.count(Booking.id)))).scalar_one() == 0


# --- the invitation -----------------------------------------------------------------------


async def test_a_participant_gets_an_invitation_with_the_meetings_icalendar_request(
    db: AsyncSession, book: Book, world: World, bram: Person
) -> None:
    booking = await _invited(db, book, world, bram)

    (mail,) = await _mails(db, bram)

    calendar = Calendar.from_ical(_calendar(mail))
    (event,) = calendar.walk("VEVENT")
    assert (
        str(calendar["METHOD"]),
        str(event["UID"]),
        str(event["ORGANIZER"]),
        [str(a) for a in _listed(event["ATTENDEE"])],
    ) == (
        "REQUEST",
        f"booking-{booking.id}@werkplek",
        f"mailto:{world.anna.email}",
        [f"mailto:{bram.email}"],
    )


async def test_a_participant_is_asked_to_answer_the_invitation(
    db: AsyncSession, book: Book, world: World, bram: Person
) -> None:
    await _invited(db, book, world, bram)

    (mail,) = await _mails(db, bram)

    (event,) = Calendar.from_ical(_calendar(mail)).walk("VEVENT")
    (attendee,) = _listed(event["ATTENDEE"])
    assert (attendee.params["PARTSTAT"], attendee.params["RSVP"]) == ("NEEDS-ACTION", "TRUE")


async def test_the_invitation_goes_as_a_calendar_request(
    db: AsyncSession, book: Book, world: World, bram: Person
) -> None:
    await _invited(db, book, world, bram)

    (mail,) = await _mails(db, bram)

    assert mail.attachments[0].content_type == "text/calendar; method=REQUEST"


async def test_one_who_switched_meeting_invitations_off_gets_none(
    db: AsyncSession, book: Book, world: World, bram: Person
) -> None:
    db.add(MailPreference(person_id=bram.id, kind="meeting_invitation", enabled=False))
    await db.commit()

    await _invited(db, book, world, bram)

    assert await _mails(db, bram) == []


# --- answering ----------------------------------------------------------------------------


async def _answer(client: Client, booking_id: int, response: str) -> Any:
    return await client.post(f"/api/bookings/{booking_id}/response", json={"response": response})


@pytest.mark.parametrize("answer", ["accepted", "declined"])
async def test_a_participant_accepts_or_declines_the_meeting(
    client: Client,
    db: AsyncSession,
    book: Book,
    world: World,
    login_as: LoginAs,
    bram: Person,
    answer: str,
) -> None:
    booking = await _invited(db, book, world, bram)
    await login_as(bram)

    answered = await _answer(client, booking.id, answer)

    assert answered.json()["participants"][0]["response"] == answer


async def test_only_a_participant_answers_an_invitation(
    client: Client, db: AsyncSession, book: Book, world: World, login_as: LoginAs, bram: Person
) -> None:
    booking = await _invited(db, book, world, bram)
    await login_as(world.anna)

    assert (await _answer(client, booking.id, "accepted")).status_code == 404


async def test_a_participant_sees_the_meeting_they_are_invited_to(
    client: Client, db: AsyncSession, book: Book, world: World, login_as: LoginAs, bram: Person
) -> None:
    booking = await _invited(db, book, world, bram)
    await login_as(bram)

    assert [b["id"] for b in (await client.get("/api/bookings/invitations")).json()] == [booking.id]


async def test_a_participant_cannot_cancel_the_meeting(
    client: Client, db: AsyncSession, book: Book, world: World, login_as: LoginAs, bram: Person
) -> None:
    booking = await _invited(db, book, world, bram)
    await login_as(bram)

    assert (await client.delete(f"/api/bookings/{booking.id}")).status_code == 404


async def _answers_told(db: AsyncSession) -> list[OutboxMail]:
    """The mails that told Anna, the holder, of answers."""
    return await outbox(db, MailKind.MEETING_RESPONSE.value)


async def _answered(
    run: Run, clock: FixedClock, participant: Person, booking: Booking, *answers: str
) -> None:
    for answer in answers:
        await run(
            respond_to_invitation,
            clock,
            actor(participant),
            booking.id,
            ParticipantResponse(answer),
        )


@pytest.mark.parametrize("answer", ["accepted", "declined"])
async def test_the_holder_is_told_who_accepted_or_declined(
    run: Run,
    clock: FixedClock,
    db: AsyncSession,
    book: Book,
    world: World,
    bram: Person,
    answer: str,
) -> None:
    booking = await _invited(db, book, world, bram)

    await _answered(run, clock, bram, booking, answer)

    (mail,) = await _answers_told(db)
    context = json.loads(mail.context)
    assert (mail.person_id, context["participant"], context["accepted"]) == (
        world.anna.id,
        "Bram Bakker",
        answer == "accepted",
    )


async def test_giving_the_same_answer_twice_tells_the_holder_once(
    run: Run, clock: FixedClock, db: AsyncSession, book: Book, world: World, bram: Person
) -> None:
    booking = await _invited(db, book, world, bram)

    await _answered(run, clock, bram, booking, "accepted", "accepted")

    assert len(await _answers_told(db)) == 1


async def test_a_change_of_mind_tells_the_holder_again(
    run: Run, clock: FixedClock, db: AsyncSession, book: Book, world: World, bram: Person
) -> None:
    booking = await _invited(db, book, world, bram)

    await _answered(run, clock, bram, booking, "accepted", "declined")

    assert [json.loads(m.context)["accepted"] for m in await _answers_told(db)] == [
        True,
        False,
    ]


async def test_a_holder_who_switched_answers_off_is_not_told(
    run: Run, clock: FixedClock, db: AsyncSession, book: Book, world: World, bram: Person
) -> None:
    db.add(MailPreference(person_id=world.anna.id, kind="meeting_response", enabled=False))
    await db.commit()
    booking = await _invited(db, book, world, bram)

    await _answered(run, clock, bram, booking, "accepted")

    assert await _answers_told(db) == []


# --- changing the list --------------------------------------------------------------------


async def _replace(client: Client, booking_id: int, *people: Person) -> Any:
    return await client.put(
        f"/api/bookings/{booking_id}/participants", json={"participants": [p.id for p in people]}
    )


async def test_a_colleague_added_to_the_meeting_is_invited(
    client: Client,
    db: AsyncSession,
    book: Book,
    world: World,
    login_as: LoginAs,
    bram: Person,
    cor: Person,
) -> None:
    booking = await _invited(db, book, world, bram)
    await login_as(world.anna)

    await _replace(client, booking.id, bram, cor)

    (mail,) = await _mails(db, cor)
    assert "METHOD:REQUEST" in _calendar(mail)


async def test_a_colleague_taken_off_the_meeting_gets_its_cancellation(
    client: Client, db: AsyncSession, book: Book, world: World, login_as: LoginAs, bram: Person
) -> None:
    booking = await _invited(db, book, world, bram)
    await login_as(world.anna)

    await _replace(client, booking.id)

    _invitation, cancellation = await _mails(db, bram)
    assert (cancellation.template, "METHOD:CANCEL" in _calendar(cancellation)) == (
        "meeting_cancelled",
        True,
    )


async def test_changing_the_participants_raises_the_sequence(
    client: Client,
    db: AsyncSession,
    book: Book,
    world: World,
    login_as: LoginAs,
    bram: Person,
    cor: Person,
) -> None:
    booking = await _invited(db, book, world, bram)
    await login_as(world.anna)

    changed = await _replace(client, booking.id, cor)

    assert changed.json()["sequence"] == booking.sequence + 1


async def test_a_participant_who_stays_keeps_their_answer(
    run: Run,
    clock: FixedClock,
    db: AsyncSession,
    book: Book,
    world: World,
    bram: Person,
    cor: Person,
) -> None:
    booking = await _invited(db, book, world, bram)
    await _answered(run, clock, bram, booking, "accepted")

    await run(replace_participants, clock, actor(world.anna), booking.id, [bram.id, cor.id])

    await db.rollback()
    answers = dict(
        (await db.execute(select(BookingParticipant.person_id, BookingParticipant.response))).all()
    )
    assert answers == {bram.id: "accepted", cor.id: "pending"}


async def test_a_participant_cannot_change_who_is_invited(
    client: Client,
    db: AsyncSession,
    book: Book,
    world: World,
    login_as: LoginAs,
    bram: Person,
    cor: Person,
) -> None:
    booking = await _invited(db, book, world, bram)
    await login_as(bram)

    assert (await _replace(client, booking.id, bram, cor)).status_code == 404


async def test_replacing_with_too_many_participants_is_refused_as_over_capacity(
    run: Run,
    clock: FixedClock,
    db: AsyncSession,
    book: Book,
    world: World,
    bram: Person,
    make_person: MakePerson,
) -> None:
    booking = await _invited(db, book, world, bram)
    six = [(await make_person(f"Collega {n}")).id for n in range(6)]

    with pytest.raises(DomainError) as refused:
        await run(replace_participants, clock, actor(world.anna), booking.id, six)

    assert (refused.value.code, refused.value.field) == ("over_capacity", "participants")


# --- a change or cancellation of the meeting ----------------------------------------------


async def _reschedule(run: Run, clock: FixedClock, world: World, booking: Booking) -> Booking:
    result = await run(
        services.reschedule_room_booking,
        clock,
        actor(world.anna),
        booking.id,
        RescheduleIn(start="14:00", end="15:00"),
    )
    changed: Booking = result.created[0]
    return changed


async def test_a_rescheduled_meeting_sends_its_participants_the_new_request(
    run: Run, clock: FixedClock, db: AsyncSession, book: Book, world: World, bram: Person
) -> None:
    booking = await _invited(db, book, world, bram)

    changed = await _reschedule(run, clock, world, booking)

    _invitation, update = await _mails(db, bram)
    assert (update.template, f"UID:booking-{changed.id}@werkplek" in _calendar(update, 1)) == (
        "meeting_changed",
        True,
    )


async def test_a_rescheduled_meeting_calls_off_the_old_event_for_its_participants(
    run: Run, clock: FixedClock, db: AsyncSession, book: Book, world: World, bram: Person
) -> None:
    booking = await _invited(db, book, world, bram)

    await _reschedule(run, clock, world, booking)

    _invitation, update = await _mails(db, bram)
    old = _calendar(update, 0)
    assert "METHOD:CANCEL" in old and f"UID:booking-{booking.id}@werkplek" in old


async def test_a_rescheduled_meeting_asks_its_participants_to_answer_again(
    run: Run, clock: FixedClock, db: AsyncSession, book: Book, world: World, bram: Person
) -> None:
    booking = await _invited(db, book, world, bram)
    await _answered(run, clock, bram, booking, "accepted")

    changed = await _reschedule(run, clock, world, booking)

    (shown,) = await run(services.bookings_out, [changed])
    assert [(p.person_id, p.response) for p in shown.participants] == [
        (bram.id, ParticipantResponse.PENDING)
    ]


async def test_a_cancelled_meeting_sends_its_participants_the_cancellation(
    run: Run, clock: FixedClock, db: AsyncSession, book: Book, world: World, bram: Person
) -> None:
    booking = await _invited(db, book, world, bram)

    await run(services.cancel_booking, clock, actor(world.anna), booking.id)

    _invitation, cancellation = await _mails(db, bram)
    calendar = _calendar(cancellation)
    assert "METHOD:CANCEL" in calendar and "STATUS:CANCELLED" in calendar


async def test_a_colleague_who_leaves_is_taken_off_meetings_that_have_not_begun(
    run: Run, clock: FixedClock, db: AsyncSession, book: Book, world: World, bram: Person
) -> None:
    await _invited(db, book, world, bram)

    await run(services.cancel_bookings_of_leavers, clock, [bram.id])

    assert await _participations(db) == 0
