"""Leaving early: a checked-in booking ends at check-out and frees the rest of its time.

The holder checks out, and facilities for one who left without (who is then told by
mail); nobody else."""

from __future__ import annotations

import json

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import (
    TODAY,
    TOMORROW,
    Book,
    Run,
    World,
    actor,
    all_bookings,
    at,
    desk_booking,
    room_booking,
)
from tests.conftest import LoginAs, MakePerson, MakeTeam
from werkplek.audit.models import AuditEvent
from werkplek.bookings import services
from werkplek.bookings.services import BookingRuleBroken, BookingStateError
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.errors import Forbidden
from werkplek.notifications.models import OutboxMail
from werkplek.notifications.render import render_mail
from werkplek.people.models import Person, Role

Client = AsyncTestClient[Litestar]


@pytest.fixture
async def checked_in_room(world: World, book: Book, run: Run, clock: FixedClock) -> int:
    """Anna's meeting tomorrow 10:00-12:00, checked in at 10:00 (where the clock stays): its id."""
    made = await book(world.anna, room_booking(world.room, start=(10, 0), end=(12, 0)))
    booking_id: int = made.created[0].id
    clock.set(at(TOMORROW, 10))
    await run(services.check_in, clock, actor(world.anna), booking_id)
    return booking_id


@pytest.fixture
async def booked_by_karim(
    world: World, run: Run, clock: FixedClock, karim: Person, book: Book
) -> int:
    """Anna's meeting tomorrow 10:00-12:00 that Karim booked for her, checked in by Anna at
    10:00; the clock at 11:00. Its id."""
    made = await book(
        karim, room_booking(world.room, start=(10, 0), end=(12, 0), booked_for_id=world.anna.id)
    )
    booking_id: int = made.created[0].id
    clock.set(at(TOMORROW, 10))
    await run(services.check_in, clock, actor(world.anna), booking_id)
    clock.set(at(TOMORROW, 11))
    return booking_id


@pytest.fixture
async def todays_desk(world: World, book: Book) -> int:
    """Anna's desk for the whole of today, not checked in: its id."""
    made = await book(world.anna, desk_booking(world.desk, TODAY, "day"))
    booking_id: int = made.created[0].id
    return booking_id


async def test_checking_out_ends_the_booking_at_the_minute_of_leaving(
    world: World, run: Run, clock: FixedClock, db: AsyncSession, checked_in_room: int
) -> None:
    clock.set(at(TOMORROW, 11, 10).replace(second=42))

    await run(services.check_out, clock, actor(world.anna), checked_in_room)

    (booking,) = await all_bookings(db)
    assert (booking.status, booking.end_at) == ("checked_in", at(TOMORROW, 11, 10))


async def test_after_checking_out_the_rest_of_the_time_can_be_booked(
    world: World,
    run: Run,
    clock: FixedClock,
    make_person: MakePerson,
    checked_in_room: int,
    book: Book,
) -> None:
    clock.set(at(TOMORROW, 11))
    await run(services.check_out, clock, actor(world.anna), checked_in_room)
    bram = await make_person("Bram")

    made = await book(bram, room_booking(world.room, start=(11, 0), end=(12, 0)))

    assert len(made.created) == 1


async def test_a_whole_day_desk_left_before_the_afternoon_becomes_a_mornings(
    world: World, run: Run, clock: FixedClock, db: AsyncSession, todays_desk: int
) -> None:
    await run(services.check_in, clock, actor(world.anna), todays_desk)
    clock.set(at(TODAY, 12, 30))

    await run(services.check_out, clock, actor(world.anna), todays_desk)

    (booking,) = await all_bookings(db)
    assert booking.day_part == "morning"


async def test_a_whole_day_desk_left_in_the_afternoon_stays_a_whole_days(
    world: World, run: Run, clock: FixedClock, db: AsyncSession, todays_desk: int
) -> None:
    await run(services.check_in, clock, actor(world.anna), todays_desk)
    clock.set(at(TODAY, 15))

    await run(services.check_out, clock, actor(world.anna), todays_desk)

    (booking,) = await all_bookings(db)
    assert (booking.day_part, booking.end_at) == ("day", at(TODAY, 15))


async def test_checking_out_without_having_checked_in_is_refused(
    world: World, run: Run, clock: FixedClock, todays_desk: int
) -> None:
    with pytest.raises(BookingStateError) as refused:
        await run(services.check_out, clock, actor(world.anna), todays_desk)

    assert refused.value.code == "not_checked_in"


async def test_checking_out_after_the_end_is_refused(
    world: World, run: Run, clock: FixedClock, checked_in_room: int
) -> None:
    clock.set(at(TOMORROW, 12))

    with pytest.raises(BookingRuleBroken) as refused:
        await run(services.check_out, clock, actor(world.anna), checked_in_room)

    assert refused.value.code == "in_the_past"


async def test_checking_out_before_the_start_is_refused(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    made = await book(world.anna, room_booking(world.room, TODAY, start=(10, 20), end=(11, 0)))
    await run(services.check_in, clock, actor(world.anna), made.created[0].id)

    with pytest.raises(BookingRuleBroken) as refused:
        await run(services.check_out, clock, actor(world.anna), made.created[0].id)

    assert refused.value.code == "not_begun"


async def test_checking_out_is_in_the_audit_log(
    world: World, run: Run, clock: FixedClock, db: AsyncSession, checked_in_room: int
) -> None:
    clock.set(at(TOMORROW, 11))

    await run(services.check_out, clock, actor(world.anna), checked_in_room)

    actions = (await db.execute(select(AuditEvent.action))).scalars().all()
    assert "check_out" in actions


async def test_the_api_answers_the_shortened_booking(
    client: Client, world: World, login_as: LoginAs, clock: FixedClock, checked_in_room: int
) -> None:
    clock.set(at(TOMORROW, 11))
    await login_as(world.anna)

    response = await client.post(f"/api/bookings/{checked_in_room}/check-out")

    assert response.status_code == 200
    assert response.json()["end"] == "2026-11-26T10:00:00Z"


async def test_the_api_refuses_a_check_out_without_check_in_with_409(
    client: Client, world: World, login_as: LoginAs, todays_desk: int
) -> None:
    await login_as(world.anna)

    response = await client.post(f"/api/bookings/{todays_desk}/check-out")

    assert (response.status_code, response.json()["error"]) == (409, "not_checked_in")


async def test_facilities_are_refused_a_check_out_without_check_in_in_words_that_fit_them(
    client: Client, login_as: LoginAs, make_person: MakePerson, todays_desk: int
) -> None:
    await login_as(await make_person("Fenna", roles=(Role.FACILITIES,)))

    response = await client.post(f"/api/bookings/{todays_desk}/check-out")

    assert response.json()["message"] == (
        "Voor deze reservering is niet ingecheckt; annuleer haar in plaats daarvan."
    )


async def test_a_colleague_cannot_check_out_someone_elses_booking(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson, checked_in_room: int
) -> None:
    await login_as(await make_person("Bram"))

    response = await client.post(f"/api/bookings/{checked_in_room}/check-out")

    assert response.status_code == 404


async def test_whoever_booked_for_a_colleague_cannot_check_them_out(
    world: World, run: Run, clock: FixedClock, karim: Person, booked_by_karim: int
) -> None:
    with pytest.raises(Forbidden) as refused:
        await run(services.check_out, clock, actor(karim), booked_by_karim)

    assert (refused.value.code, refused.value.field) == ("not_the_holder", "booking")


async def test_a_team_lead_cannot_check_out_a_team_members_booking(
    world: World,
    run: Run,
    clock: FixedClock,
    make_person: MakePerson,
    make_team: MakeTeam,
    book: Book,
) -> None:
    team = await make_team("Burgerzaken")
    lead = await make_person("Lotte", lead_of=(team,))
    anna = await make_person("Anna", teams=(team,))
    made = await book(anna, room_booking(world.room, start=(10, 0), end=(12, 0)))
    clock.set(at(TOMORROW, 10))
    await run(services.check_in, clock, actor(anna), made.created[0].id)

    with pytest.raises(Forbidden):
        await run(services.check_out, clock, actor(lead), made.created[0].id)


async def test_a_refused_check_out_leaves_the_booking_as_it_was(
    world: World,
    run: Run,
    clock: FixedClock,
    db: AsyncSession,
    karim: Person,
    booked_by_karim: int,
) -> None:
    with pytest.raises(Forbidden):
        await run(services.check_out, clock, actor(karim), booked_by_karim)

    (booking,) = await all_bookings(db)
    assert (booking.status, booking.end_at) == ("checked_in", at(TOMORROW, 12))


async def test_facilities_check_out_someone_who_left_without(
    world: World,
    run: Run,
    clock: FixedClock,
    db: AsyncSession,
    make_person: MakePerson,
    booked_by_karim: int,
) -> None:
    fenna = await make_person("Fenna", roles=(Role.FACILITIES,))

    await run(services.check_out, clock, actor(fenna), booked_by_karim)

    (booking,) = await all_bookings(db)
    assert booking.end_at == at(TOMORROW, 11)


async def test_the_api_refuses_someone_elses_check_out_with_403_saying_why(
    client: Client, login_as: LoginAs, karim: Person, booked_by_karim: int
) -> None:
    await login_as(karim)

    response = await client.post(f"/api/bookings/{booked_by_karim}/check-out")

    assert response.status_code == 403
    assert response.json() == {
        "error": "not_the_holder",
        "message": "Alleen degene voor wie de reservering is, of Facilitair, kan uitchecken.",
        "field": "booking",
    }


async def test_my_bookings_offers_no_check_out_on_a_booking_made_for_a_colleague(
    client: Client, login_as: LoginAs, karim: Person, booked_by_karim: int
) -> None:
    await login_as(karim)

    response = await client.get("/bookings")

    assert f'id="booking-{booked_by_karim}"' in response.text
    assert f'action="/bookings/{booked_by_karim}/check-out"' not in response.text


async def test_the_home_page_offers_check_out_once_checked_in(
    client: Client, world: World, login_as: LoginAs, clock: FixedClock, checked_in_room: int
) -> None:
    clock.set(at(TOMORROW, 11))
    await login_as(world.anna)

    response = await client.get("/")

    assert f'action="/bookings/{checked_in_room}/check-out"' in response.text


async def test_the_qr_page_offers_no_check_out_before_the_booking_begins(
    client: Client,
    world: World,
    login_as: LoginAs,
    run: Run,
    clock: FixedClock,
    book: Book,
) -> None:
    made = await book(world.anna, room_booking(world.room, start=(10, 0), end=(12, 0)))
    clock.set(at(TOMORROW, 9, 45))
    await run(services.check_in, clock, actor(world.anna), made.created[0].id)
    await login_as(world.anna)

    response = await client.get(f"/check-in/{world.room.id}")

    assert "/check-out" not in response.text


async def test_my_bookings_offers_check_out_instead_of_cancel_once_checked_in(
    client: Client, world: World, login_as: LoginAs, clock: FixedClock, checked_in_room: int
) -> None:
    clock.set(at(TOMORROW, 11))
    await login_as(world.anna)

    response = await client.get("/bookings")

    assert f'action="/bookings/{checked_in_room}/check-out"' in response.text
    assert f'action="/bookings/{checked_in_room}/cancel"' not in response.text


async def test_checking_out_from_my_bookings_says_the_time_is_free_again(
    client: Client, world: World, login_as: LoginAs, clock: FixedClock, checked_in_room: int
) -> None:
    clock.set(at(TOMORROW, 11))
    headers = await login_as(world.anna)

    response = await client.post(
        f"/bookings/{checked_in_room}/check-out", data={"_csrf": headers["X-CSRF-Token"]}
    )

    assert "Uitgecheckt; de rest van de tijd is vrij voor anderen." in response.text


async def test_facilities_checking_someone_out_are_told_so_in_words_that_fit_them(
    client: Client, login_as: LoginAs, make_person: MakePerson, booked_by_karim: int
) -> None:
    headers = await login_as(await make_person("Fenna", roles=(Role.FACILITIES,)))

    response = await client.post(
        f"/bookings/{booked_by_karim}/check-out", data={"_csrf": headers["X-CSRF-Token"]}
    )

    assert "Uitgecheckt; de rest van de tijd is vrij voor anderen." in response.text


async def test_the_qr_page_of_a_checked_in_space_offers_check_out(
    client: Client, world: World, login_as: LoginAs, clock: FixedClock, checked_in_room: int
) -> None:
    clock.set(at(TOMORROW, 11))
    await login_as(world.anna)

    response = await client.get(f"/check-in/{world.room.id}")

    assert f'action="/bookings/{checked_in_room}/check-out"' in response.text


async def test_a_checked_in_booking_under_way_cannot_be_cancelled(
    world: World, run: Run, clock: FixedClock, checked_in_room: int
) -> None:
    clock.set(at(TOMORROW, 11))

    with pytest.raises(BookingStateError) as refused:
        await run(services.cancel_booking, clock, actor(world.anna), checked_in_room)

    assert refused.value.code == "checked_in"


async def test_cancelling_a_checked_in_booking_under_way_keeps_its_use_on_record(
    world: World, run: Run, clock: FixedClock, db: AsyncSession, checked_in_room: int
) -> None:
    clock.set(at(TOMORROW, 11))

    with pytest.raises(BookingStateError):
        await run(services.cancel_booking, clock, actor(world.anna), checked_in_room)

    (booking,) = await all_bookings(db)
    assert (booking.status, booking.end_at) == ("checked_in", at(TOMORROW, 12))


async def test_the_api_refuses_to_cancel_a_checked_in_booking_under_way_with_409(
    client: Client, world: World, login_as: LoginAs, clock: FixedClock, checked_in_room: int
) -> None:
    clock.set(at(TOMORROW, 11))
    await login_as(world.anna)

    response = await client.delete(f"/api/bookings/{checked_in_room}")

    assert (response.status_code, response.json()["error"]) == (409, "checked_in")


# --- the holder is told when facilities check them out --------------------------------------


async def _mails_of(db: AsyncSession, kind: str) -> list[OutboxMail]:
    await db.rollback()
    return list((await db.execute(select(OutboxMail).where(OutboxMail.kind == kind))).scalars())


async def test_facilities_checking_someone_out_mail_them(
    world: World,
    run: Run,
    clock: FixedClock,
    db: AsyncSession,
    make_person: MakePerson,
    booked_by_karim: int,
) -> None:
    fenna = await make_person("Fenna", roles=(Role.FACILITIES,))

    await run(services.check_out, clock, actor(fenna), booked_by_karim)

    (mail,) = await _mails_of(db, "booking_cancelled")
    assert mail.recipient_list == [world.anna.email]


async def test_checking_oneself_out_sends_no_mail(
    world: World, run: Run, clock: FixedClock, db: AsyncSession, checked_in_room: int
) -> None:
    clock.set(at(TOMORROW, 11))

    await run(services.check_out, clock, actor(world.anna), checked_in_room)

    assert await _mails_of(db, "booking_cancelled") == []


async def test_the_check_out_mail_says_who_checked_one_out_and_until_when_one_had_the_space(
    run: Run,
    clock: FixedClock,
    db: AsyncSession,
    settings: Settings,
    make_person: MakePerson,
    booked_by_karim: int,
) -> None:
    fenna = await make_person("Fenna", roles=(Role.FACILITIES,))
    await run(services.check_out, clock, actor(fenna), booked_by_karim)

    (mail,) = await _mails_of(db, "booking_cancelled")
    subject, body = render_mail(settings, "booking_cancelled", json.loads(mail.context), "nl")
    assert subject == "Uitgecheckt: Overleg 1.10 (Stadskantoor), do 26 november, 10:00–11:00"
    assert "Fenna heeft u uitgecheckt; de rest van uw reservering is vrij voor anderen:" in body
    assert "10:00–11:00" in body
