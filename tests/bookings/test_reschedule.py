"""Changing a room booking's date, time or room: before it begins the old booking is
cancelled and the new one booked in one transaction, so that a change the rules refuse
leaves the old booking as it was; once under way only its end changes, in place."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.bookings.conftest import (
    SATURDAY,
    TODAY,
    TOMORROW,
    Book,
    MakeSpace,
    Run,
    World,
    actor,
    all_bookings,
    at,
    desk_booking,
    room_booking,
)
from tests.conftest import LoginAs, MakePerson
from tests.notifications.conftest import outbox
from werkplek.audit.models import AuditEvent
from werkplek.bookings import services
from werkplek.bookings.models import Booking
from werkplek.bookings.schemas import RecurrenceIn, RescheduleIn
from werkplek.bookings.services import BookingConflict, BookingRuleBroken, BookingStateError
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.errors import DomainError, Forbidden, NotFound
from werkplek.notifications.render import render_mail
from werkplek.people.models import Person
from werkplek.webhooks.models import WebhookDelivery, WebhookEndpoint

Client = AsyncTestClient[Litestar]


async def _annas_meeting(world: World, book: Book, **kw: Any) -> Booking:
    """Anna's meeting in Overleg 1.10 tomorrow 10:00-11:00, 'Teamoverleg', for 4."""
    made = await book(world.anna, room_booking(world.room, title="Teamoverleg", attendees=4, **kw))
    booking: Booking = made.created[0]
    return booking


async def _change(
    run: Run, clock: FixedClock, who: Person, booking_id: int, **changes: Any
) -> Booking:
    result = await run(
        services.reschedule_room_booking, clock, actor(who), booking_id, RescheduleIn(**changes)
    )
    changed: Booking = result.created[0]
    return changed


async def _refused(
    run: Run, clock: FixedClock, who: Person, booking_id: int, **changes: Any
) -> DomainError:
    with pytest.raises(DomainError) as refused:
        await _change(run, clock, who, booking_id, **changes)
    return refused.value


async def _old(db: AsyncSession, booking_id: int) -> Booking:
    return next(b for b in await all_bookings(db) if b.id == booking_id)


# --- before it begins ---------------------------------------------------------------------


async def test_a_change_books_the_new_time(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    meeting = await _annas_meeting(world, book)

    new = await _change(run, clock, world.anna, meeting.id, start="14:00", end="15:00")

    assert (new.start_at, new.end_at) == (at(TOMORROW, 14), at(TOMORROW, 15))


async def test_a_change_keeps_the_holder_subject_and_attendees(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    meeting = await _annas_meeting(world, book)

    new = await _change(run, clock, world.anna, meeting.id, start="14:00", end="15:00")

    assert (new.booked_for_id, new.title, new.attendees, new.space_id) == (
        world.anna.id,
        "Teamoverleg",
        4,
        world.room.id,
    )


async def test_a_change_is_a_new_booking_and_cancels_the_old_one(
    world: World, run: Run, clock: FixedClock, book: Book, db: AsyncSession
) -> None:
    meeting = await _annas_meeting(world, book)

    new = await _change(run, clock, world.anna, meeting.id, start="14:00", end="15:00")

    assert new.id != meeting.id
    assert (await _old(db, meeting.id)).status == "cancelled"


async def test_the_new_time_may_overlap_the_old_one_in_the_same_room(
    world: World, run: Run, clock: FixedClock, book: Book, db: AsyncSession
) -> None:
    meeting = await _annas_meeting(world, book)

    new = await _change(run, clock, world.anna, meeting.id, start="10:30", end="11:30")

    active = [(b.start_at, b.end_at) for b in await all_bookings(db) if b.status == "confirmed"]
    assert active == [(new.start_at, new.end_at)] == [(at(TOMORROW, 10, 30), at(TOMORROW, 11, 30))]


async def test_a_field_left_out_stays_as_it_was(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    meeting = await _annas_meeting(world, book)

    new = await _change(run, clock, world.anna, meeting.id, end="12:00")

    assert (new.start_at, new.end_at) == (at(TOMORROW, 10), at(TOMORROW, 12))


async def test_a_change_of_date_keeps_the_hours(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    meeting = await _annas_meeting(world, book)
    friday = date(2026, 11, 27)

    new = await _change(run, clock, world.anna, meeting.id, date=friday)

    assert (new.start_at, new.end_at) == (at(friday, 10), at(friday, 11))


async def test_a_change_to_another_room(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    made = await book(world.anna, room_booking(world.room))

    new = await _change(run, clock, world.anna, made.created[0].id, space_id=world.resident_room.id)

    assert (new.space_id, new.start_at) == (world.resident_room.id, at(TOMORROW, 10))


# --- what is refused, leaving the old booking as it was -------------------------------------


async def test_a_change_to_a_taken_time_is_refused_as_a_booking_conflict(
    world: World, run: Run, clock: FixedClock, book: Book, make_person: MakePerson
) -> None:
    meeting = await _annas_meeting(world, book)
    await book(await make_person("Bram"), room_booking(world.room, start=(14, 0), end=(15, 0)))

    refused = await _refused(run, clock, world.anna, meeting.id, start="14:00", end="15:00")

    assert (type(refused), refused.code, refused.status_code) == (
        BookingConflict,
        "booking_conflict",
        409,
    )


async def test_a_refused_change_leaves_the_old_booking_as_it_was(
    world: World, run: Run, clock: FixedClock, book: Book, make_person: MakePerson, db: AsyncSession
) -> None:
    meeting = await _annas_meeting(world, book)
    await book(await make_person("Bram"), room_booking(world.room, start=(14, 0), end=(15, 0)))

    await _refused(run, clock, world.anna, meeting.id, start="14:00", end="15:00")

    old = await _old(db, meeting.id)
    assert (old.status, old.start_at, old.end_at) == (
        "confirmed",
        at(TOMORROW, 10),
        at(TOMORROW, 11),
    )
    assert len(await all_bookings(db)) == 2


async def test_a_change_to_a_closed_day_is_refused(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    meeting = await _annas_meeting(world, book)

    refused = await _refused(run, clock, world.anna, meeting.id, date=SATURDAY)

    assert (refused.code, refused.field) == ("site_closed", "start")


async def test_a_change_outside_the_opening_hours_is_refused(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    meeting = await _annas_meeting(world, book)

    refused = await _refused(run, clock, world.anna, meeting.id, end="19:00")

    assert (refused.code, refused.field) == ("outside_opening_hours", "end")


async def test_a_change_to_a_room_too_small_for_the_attendees_is_refused(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    meeting = await _annas_meeting(world, book)  # 4 people; the resident room holds 3

    refused = await _refused(run, clock, world.anna, meeting.id, space_id=world.resident_room.id)

    assert (refused.code, refused.field) == ("over_capacity", "attendees")


async def test_a_change_too_far_ahead_is_refused(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    meeting = await _annas_meeting(world, book)

    refused = await _refused(run, clock, world.anna, meeting.id, date=date(2026, 12, 14))

    assert (refused.code, refused.field) == ("too_far_ahead", "start")


async def test_a_change_to_a_time_past_is_refused(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    meeting = await _annas_meeting(world, book)

    refused = await _refused(run, clock, world.anna, meeting.id, date=TODAY, start="08:00")

    assert (refused.code, refused.field) == ("in_the_past", "start")


async def test_an_end_before_the_start_is_refused(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    meeting = await _annas_meeting(world, book)

    refused = await _refused(run, clock, world.anna, meeting.id, end="09:00")

    assert (refused.code, refused.field) == ("invalid_time_range", "end")


async def test_a_change_to_a_room_that_needs_approval_is_refused(
    world: World, run: Run, clock: FixedClock, book: Book, make_space: MakeSpace, db: AsyncSession
) -> None:
    meeting = await _annas_meeting(world, book)
    guarded = await make_space(
        world.site, "Raadzaal", kind="meeting_room", capacity=20, requires_approval=True
    )

    refused = await _refused(run, clock, world.anna, meeting.id, space_id=guarded.id)

    assert (refused.code, refused.field) == ("needs_approval", "space_id")
    assert (await _old(db, meeting.id)).status == "confirmed"


async def test_a_request_awaiting_approval_changes_into_a_new_request(
    world: World, run: Run, clock: FixedClock, book: Book, make_space: MakeSpace
) -> None:
    guarded = await make_space(
        world.site, "Raadzaal", kind="meeting_room", capacity=20, requires_approval=True
    )
    made = await book(world.anna, room_booking(guarded))

    new = await _change(run, clock, world.anna, made.created[0].id, start="14:00", end="15:00")

    assert new.status == "pending"


async def test_a_change_that_changes_nothing_is_refused_as_unchanged(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    meeting = await _annas_meeting(world, book)

    refused = await _refused(
        run, clock, world.anna, meeting.id, date=TOMORROW, start="10:00", space_id=world.room.id
    )

    assert (type(refused), refused.code, refused.field) == (
        BookingRuleBroken,
        "unchanged",
        "booking",
    )


async def test_a_time_with_seconds_is_refused(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    meeting = await _annas_meeting(world, book)

    refused = await _refused(run, clock, world.anna, meeting.id, start="14:00:30")

    assert (refused.code, refused.field) == ("invalid_time", "start")


async def test_a_time_with_an_offset_is_refused(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    meeting = await _annas_meeting(world, book)

    refused = await _refused(run, clock, world.anna, meeting.id, end="12:00+00:00")

    assert (refused.code, refused.field) == ("invalid_time", "end")


async def test_a_desk_booking_is_refused_as_not_a_room_booking(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    made = await book(world.anna, desk_booking(world.desk))

    refused = await _refused(run, clock, world.anna, made.created[0].id, date=SATURDAY)

    assert (refused.code, refused.field, refused.status_code) == (
        "not_a_room_booking",
        "booking",
        422,
    )


async def test_a_cancelled_booking_cannot_be_changed(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    meeting = await _annas_meeting(world, book)
    await run(services.cancel_booking, clock, actor(world.anna), meeting.id)

    refused = await _refused(run, clock, world.anna, meeting.id, start="14:00", end="15:00")

    assert (type(refused), refused.code) == (BookingStateError, "booking_not_active")


async def test_an_ended_booking_cannot_be_changed(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    meeting = await _annas_meeting(world, book)
    clock.set(at(TOMORROW, 11, 30))

    refused = await _refused(run, clock, world.anna, meeting.id, end="12:00")

    assert (refused.code, refused.field) == ("in_the_past", "booking")


# --- who may change -------------------------------------------------------------------------


async def test_whoever_booked_for_a_colleague_may_change_it(
    world: World, run: Run, clock: FixedClock, book: Book, karim: Person
) -> None:
    made = await book(karim, room_booking(world.room, booked_for_id=world.anna.id))

    new = await _change(run, clock, karim, made.created[0].id, start="14:00", end="15:00")

    assert (new.booked_for_id, new.booked_by_id) == (world.anna.id, karim.id)


async def test_a_colleague_cannot_change_someone_elses_booking(
    world: World, run: Run, clock: FixedClock, book: Book, make_person: MakePerson
) -> None:
    meeting = await _annas_meeting(world, book)

    with pytest.raises(NotFound):
        await _change(run, clock, await make_person("Bram"), meeting.id, end="12:00")


async def test_whoever_booked_for_a_colleague_cannot_change_it_once_checked_in(
    world: World, run: Run, clock: FixedClock, book: Book, karim: Person
) -> None:
    clock.set(at(TOMORROW, 9, 45))
    made = await book(karim, room_booking(world.room, booked_for_id=world.anna.id))
    await run(services.check_in, clock, actor(world.anna), made.created[0].id)

    with pytest.raises(Forbidden) as refused:
        await _change(run, clock, karim, made.created[0].id, end="12:00")

    assert (refused.value.code, refused.value.field) == ("not_the_holder", "booking")


# --- a booking checked in before it begins ------------------------------------------------------


async def test_a_booking_checked_in_before_it_begins_keeps_its_check_in_for_a_time_soon(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    clock.set(at(TOMORROW, 9, 45))
    meeting = await _annas_meeting(world, book)
    await run(services.check_in, clock, actor(world.anna), meeting.id)

    new = await _change(run, clock, world.anna, meeting.id, start="10:05", end="11:00")

    assert new.status == "checked_in"


async def test_a_booking_checked_in_before_it_begins_and_moved_to_later_is_checked_in_again(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    clock.set(at(TOMORROW, 9, 45))
    meeting = await _annas_meeting(world, book)
    await run(services.check_in, clock, actor(world.anna), meeting.id)

    new = await _change(run, clock, world.anna, meeting.id, start="14:00", end="15:00")

    assert (new.status, new.checked_in_at) == ("confirmed", None)


# --- under way: only the end ------------------------------------------------------------------


async def _under_way(world: World, run: Run, clock: FixedClock, book: Book) -> Booking:
    """Anna's meeting tomorrow 10:00-11:00, checked in at 10:00; the clock at 10:20."""
    clock.set(at(TOMORROW, 10))
    meeting = await _annas_meeting(world, book)
    await run(services.check_in, clock, actor(world.anna), meeting.id)
    clock.set(at(TOMORROW, 10, 20))
    return meeting


async def test_a_meeting_under_way_is_extended_in_place(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    meeting = await _under_way(world, run, clock, book)

    new = await _change(run, clock, world.anna, meeting.id, end="11:30")

    assert (new.id, new.start_at, new.end_at) == (
        meeting.id,
        at(TOMORROW, 10),
        at(TOMORROW, 11, 30),
    )


async def test_a_meeting_under_way_keeps_its_check_in_when_extended(
    world: World, run: Run, clock: FixedClock, book: Book, db: AsyncSession
) -> None:
    meeting = await _under_way(world, run, clock, book)

    await _change(run, clock, world.anna, meeting.id, end="11:30")

    (stored,) = await all_bookings(db)
    assert (stored.status, stored.checked_in_at) == ("checked_in", at(TOMORROW, 10))


async def test_a_meeting_under_way_can_end_sooner(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    meeting = await _under_way(world, run, clock, book)

    new = await _change(run, clock, world.anna, meeting.id, end="10:45")

    assert new.end_at == at(TOMORROW, 10, 45)


async def test_a_meeting_under_way_cannot_be_extended_into_the_next_booking(
    world: World, run: Run, clock: FixedClock, book: Book, make_person: MakePerson, db: AsyncSession
) -> None:
    await book(await make_person("Bram"), room_booking(world.room, start=(11, 15), end=(12, 0)))
    meeting = await _under_way(world, run, clock, book)

    refused = await _refused(run, clock, world.anna, meeting.id, end="11:30")

    assert (refused.code, refused.status_code) == ("booking_conflict", 409)
    assert (await _old(db, meeting.id)).end_at == at(TOMORROW, 11)


async def test_a_meeting_under_way_may_run_until_the_next_booking(
    world: World, run: Run, clock: FixedClock, book: Book, make_person: MakePerson
) -> None:
    await book(await make_person("Bram"), room_booking(world.room, start=(11, 15), end=(12, 0)))
    meeting = await _under_way(world, run, clock, book)

    new = await _change(run, clock, world.anna, meeting.id, end="11:15")

    assert new.end_at == at(TOMORROW, 11, 15)


async def test_under_way_the_start_cannot_change(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    meeting = await _under_way(world, run, clock, book)

    refused = await _refused(run, clock, world.anna, meeting.id, start="10:30")

    assert (refused.code, refused.field) == ("under_way", "start")


async def test_under_way_the_room_cannot_change(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    meeting = await _under_way(world, run, clock, book)

    refused = await _refused(run, clock, world.anna, meeting.id, space_id=world.resident_room.id)

    assert (refused.code, refused.field) == ("under_way", "space_id")


async def test_under_way_an_end_already_past_is_refused(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    meeting = await _under_way(world, run, clock, book)

    refused = await _refused(run, clock, world.anna, meeting.id, end="10:15")

    assert (refused.code, refused.field) == ("in_the_past", "end")


async def test_under_way_an_end_after_closing_time_is_refused(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    meeting = await _under_way(world, run, clock, book)

    refused = await _refused(run, clock, world.anna, meeting.id, end="18:30")

    assert (refused.code, refused.field) == ("outside_opening_hours", "end")


async def test_under_way_a_room_that_needs_approval_is_extended_only_by_facilities(
    world: World, run: Run, clock: FixedClock, book: Book, db: AsyncSession
) -> None:
    world.room.requires_approval = True
    await db.commit()
    clock.set(at(TOMORROW, 10, 5))
    made = await run(
        services.create_booking,
        clock,
        actor(world.anna),
        room_booking(world.room, start=(10, 0), end=(11, 0)),
    )
    await db.rollback()
    meeting = await _old(db, made.created[0].id)
    meeting.status = "confirmed"  # approved
    await db.commit()

    refused = await _refused(run, clock, world.anna, meeting.id, end="11:30")

    assert (refused.code, refused.field) == ("needs_approval", "end")


# --- the mail, the audit log and webhooks -----------------------------------------------------


async def test_the_holder_gets_one_mail_about_the_change(
    world: World, run: Run, clock: FixedClock, book: Book, db: AsyncSession
) -> None:
    meeting = await _annas_meeting(world, book)
    before = len(await outbox(db))

    await _change(run, clock, world.anna, meeting.id, start="14:00", end="15:00")

    (mail,) = (await outbox(db))[before:]
    assert (mail.person_id, mail.kind, mail.template) == (
        world.anna.id,
        "booking_confirmed",
        "booking_rescheduled",
    )


async def test_the_mail_says_from_when_to_when_the_booking_changed(
    world: World, run: Run, clock: FixedClock, book: Book, db: AsyncSession, settings: Settings
) -> None:
    meeting = await _annas_meeting(world, book)
    before = len(await outbox(db))

    await _change(run, clock, world.anna, meeting.id, start="14:00", end="15:00")

    (mail,) = (await outbox(db))[before:]
    subject, body = render_mail(settings, mail.template, json.loads(mail.context), "nl")
    assert subject == "Gewijzigd: Overleg 1.10 (Stadskantoor), do 26 november, 14:00–15:00"
    assert (
        "U hebt uw reservering van donderdag 26 november 2026, 10:00–11:00, Overleg 1.10 "
        "gewijzigd in:\n\n- donderdag 26 november 2026, 14:00–15:00" in body
    )


async def test_the_mail_of_a_change_carries_both_invites(
    world: World, run: Run, clock: FixedClock, book: Book, db: AsyncSession
) -> None:
    meeting = await _annas_meeting(world, book)
    before = len(await outbox(db))

    new = await _change(run, clock, world.anna, meeting.id, start="14:00", end="15:00")

    (mail,) = (await outbox(db))[before:]
    names = [a.filename for a in mail.attachments]
    assert names == [f"booking-{meeting.id}.ics", f"booking-{new.id}.ics"]


async def test_a_holder_whose_booking_someone_else_changed_is_told_by_whom(
    world: World,
    run: Run,
    clock: FixedClock,
    book: Book,
    karim: Person,
    db: AsyncSession,
    settings: Settings,
) -> None:
    made = await book(karim, room_booking(world.room, booked_for_id=world.anna.id))
    before = len(await outbox(db))

    await _change(run, clock, karim, made.created[0].id, start="14:00", end="15:00")

    (mail,) = (await outbox(db))[before:]
    body = render_mail(settings, mail.template, json.loads(mail.context), "nl")[1]
    assert mail.person_id == world.anna.id
    assert "Karim heeft uw reservering van donderdag 26 november 2026" in body


async def test_extending_a_meeting_under_way_mails_the_holder_once(
    world: World, run: Run, clock: FixedClock, book: Book, db: AsyncSession
) -> None:
    meeting = await _under_way(world, run, clock, book)
    before = len(await outbox(db))

    await _change(run, clock, world.anna, meeting.id, end="11:30")

    (mail,) = (await outbox(db))[before:]
    assert (mail.template, [a.filename for a in mail.attachments]) == (
        "booking_rescheduled",
        [f"booking-{meeting.id}.ics"],
    )


async def test_a_refused_change_sends_no_mail(
    world: World, run: Run, clock: FixedClock, book: Book, db: AsyncSession
) -> None:
    meeting = await _annas_meeting(world, book)
    before = len(await outbox(db))

    await _refused(run, clock, world.anna, meeting.id, date=SATURDAY)

    assert len(await outbox(db)) == before


async def test_a_change_is_audited_as_a_reschedule_from_the_old_to_the_new_time(
    world: World, run: Run, clock: FixedClock, book: Book, db: AsyncSession
) -> None:
    meeting = await _annas_meeting(world, book)

    new = await _change(run, clock, world.anna, meeting.id, start="14:00", end="15:00")

    (event,) = (
        await db.execute(select(AuditEvent).where(AuditEvent.action == "reschedule"))
    ).scalars()
    assert (event.object_id, event.actor_id, event.details) == (
        str(meeting.id),
        world.anna.id,
        {
            "from_space_id": world.room.id,
            "to_space_id": world.room.id,
            "from_start": at(TOMORROW, 10).isoformat(),
            "from_end": at(TOMORROW, 11).isoformat(),
            "to_start": at(TOMORROW, 14).isoformat(),
            "to_end": at(TOMORROW, 15).isoformat(),
            "new_booking_id": new.id,
        },
    )


async def test_a_refused_change_is_not_audited(
    world: World, run: Run, clock: FixedClock, book: Book, db: AsyncSession
) -> None:
    meeting = await _annas_meeting(world, book)

    await _refused(run, clock, world.anna, meeting.id, date=SATURDAY)

    count = await db.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "reschedule")
    )
    assert count == 0


async def _webhook_events(db: AsyncSession) -> list[str]:
    await db.rollback()
    events = await db.execute(select(WebhookDelivery.event).order_by(WebhookDelivery.id))
    return list(events.scalars())


async def _subscribe_to_everything(db: AsyncSession, clock: FixedClock) -> None:
    db.add(
        WebhookEndpoint(
            url="https://rooster.example.nl/hook",
            secret="s" * 32,
            events="booking.created,booking.cancelled,booking.checked_in,booking.changed",
            created_at=clock.now(),
        )
    )
    await db.commit()


async def test_a_change_tells_webhooks_cancelled_and_created(
    world: World, run: Run, clock: FixedClock, book: Book, db: AsyncSession
) -> None:
    meeting = await _annas_meeting(world, book)
    await _subscribe_to_everything(db, clock)

    await _change(run, clock, world.anna, meeting.id, start="14:00", end="15:00")

    assert await _webhook_events(db) == ["booking.cancelled", "booking.created"]


async def test_extending_a_meeting_under_way_tells_webhooks_changed(
    world: World, run: Run, clock: FixedClock, book: Book, db: AsyncSession
) -> None:
    meeting = await _under_way(world, run, clock, book)
    await _subscribe_to_everything(db, clock)

    await _change(run, clock, world.anna, meeting.id, end="11:30")

    assert await _webhook_events(db) == ["booking.changed"]


# --- across the clock change --------------------------------------------------------------------


async def test_a_date_change_across_the_clocks_going_back_keeps_the_local_hours(
    world: World, run: Run, clock: FixedClock, book: Book, db: AsyncSession
) -> None:
    world.site.observe_public_holidays = False
    await db.commit()
    clock.set(datetime(2026, 10, 21, 8, tzinfo=UTC))
    friday, monday = date(2026, 10, 23), date(2026, 10, 26)  # summer time ends in between
    made = await book(world.anna, room_booking(world.room, friday))

    new = await _change(run, clock, world.anna, made.created[0].id, date=monday)

    assert (new.start_at, new.end_at) == (
        datetime(2026, 10, 26, 9, tzinfo=UTC),  # 10:00 in Amsterdam, now UTC+1
        datetime(2026, 10, 26, 10, tzinfo=UTC),
    )


# --- the API ------------------------------------------------------------------------------------


async def test_the_api_answers_the_changed_booking_with_its_new_id_and_time(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    meeting = await _annas_meeting(world, book)
    await login_as(world.anna)

    response = await client.patch(
        f"/api/bookings/{meeting.id}", json={"start": "14:00:00", "end": "15:00:00"}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["id"] != meeting.id
    assert (body["local_start"], body["local_end"]) == (
        "2026-11-26T14:00:00+01:00",
        "2026-11-26T15:00:00+01:00",
    )


async def _patch_annas_meeting(
    client: Client, world: World, login_as: LoginAs, book: Book, changes: dict[str, str]
) -> Any:
    """Anna changes her meeting through the API, answering the response."""
    meeting = await _annas_meeting(world, book)
    await login_as(world.anna)
    return await client.patch(f"/api/bookings/{meeting.id}", json=changes)


async def test_the_api_takes_times_as_hours_and_minutes(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    response = await _patch_annas_meeting(
        client, world, login_as, book, {"start": "14:30", "end": "15:30"}
    )

    assert (response.status_code, response.json()["local_start"]) == (
        200,
        "2026-11-26T14:30:00+01:00",
    )


async def test_the_api_refuses_a_malformed_time_with_400_naming_the_field(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    response = await _patch_annas_meeting(client, world, login_as, book, {"end": "3 uur"})

    assert (response.status_code, [f["field"] for f in response.json()["fields"]]) == (
        400,
        ["end"],
    )


async def test_the_api_refuses_a_time_with_seconds_with_422_invalid_time_at_the_field(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    response = await _patch_annas_meeting(client, world, login_as, book, {"start": "14:00:30"})

    assert (response.status_code, response.json()["error"], response.json()["field"]) == (
        422,
        "invalid_time",
        "start",
    )


async def test_the_api_answers_a_taken_time_with_409_booking_conflict(
    client: Client, world: World, login_as: LoginAs, book: Book, make_person: MakePerson
) -> None:
    meeting = await _annas_meeting(world, book)
    await book(await make_person("Bram"), room_booking(world.room, start=(14, 0), end=(15, 0)))
    await login_as(world.anna)

    response = await client.patch(
        f"/api/bookings/{meeting.id}", json={"start": "14:30:00", "end": "15:30:00"}
    )

    assert (response.status_code, response.json()["error"]) == (409, "booking_conflict")


async def test_the_api_answers_an_unchanged_booking_with_422_unchanged(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    meeting = await _annas_meeting(world, book)
    await login_as(world.anna)

    response = await client.patch(f"/api/bookings/{meeting.id}", json={})

    assert (response.status_code, response.json()["error"]) == (422, "unchanged")


async def test_the_api_refuses_a_desk_booking_with_422_not_a_room_booking(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    made = await book(world.anna, desk_booking(world.desk))
    await login_as(world.anna)

    response = await client.patch(
        f"/api/bookings/{made.created[0].id}", json={"date": "2026-11-27"}
    )

    assert (response.status_code, response.json()["error"], response.json()["field"]) == (
        422,
        "not_a_room_booking",
        "booking",
    )


async def test_the_api_refuses_an_unknown_field_with_400(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    meeting = await _annas_meeting(world, book)
    await login_as(world.anna)

    response = await client.patch(f"/api/bookings/{meeting.id}", json={"attendees": 2})

    assert response.status_code == 400


async def test_the_api_hides_someone_elses_booking_with_404(
    client: Client, world: World, login_as: LoginAs, book: Book, make_person: MakePerson
) -> None:
    meeting = await _annas_meeting(world, book)
    await login_as(await make_person("Bram"))

    response = await client.patch(f"/api/bookings/{meeting.id}", json={"end": "12:00:00"})

    assert response.status_code == 404


async def test_a_changed_date_of_a_weekly_booking_stays_in_its_series(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    made = await book(
        world.anna,
        room_booking(world.room, recurrence=RecurrenceIn(weekdays=[3], until=date(2026, 12, 10))),
    )

    new = await _change(run, clock, world.anna, made.created[0].id, date=date(2026, 11, 27))

    assert new.series_id == made.created[0].series_id


async def _in_a_transaction_of_its_own(
    sessionmaker: async_sessionmaker[AsyncSession], function: Any, *args: Any
) -> Any:
    """A service in its own session, as a request runs it (``run`` without its arranging
    session, which two requests at once must not share)."""
    async with sessionmaker() as session:
        try:
            result = await function(session, *args)
        except BaseException:
            await session.rollback()
            raise
        await session.commit()
        return result


async def test_a_change_and_a_booking_of_the_same_time_at_once_give_it_to_exactly_one(
    world: World,
    clock: FixedClock,
    book: Book,
    make_person: MakePerson,
    db: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    meeting = await _annas_meeting(world, book)
    bram = await make_person("Bram")
    await db.commit()

    outcomes = await asyncio.gather(
        _in_a_transaction_of_its_own(
            sessionmaker,
            services.reschedule_room_booking,
            clock,
            actor(world.anna),
            meeting.id,
            RescheduleIn(start="14:00", end="15:00"),
        ),
        _in_a_transaction_of_its_own(
            sessionmaker,
            services.create_booking,
            clock,
            actor(bram),
            room_booking(world.room, start=(14, 30), end=(15, 30)),
        ),
        return_exceptions=True,
    )

    refused = [o for o in outcomes if isinstance(o, BaseException)]
    assert [getattr(o, "code", repr(o)) for o in refused] == ["booking_conflict"]
    # Either Anna's meeting moved to 14:00 (Bram refused), or it stayed at 10:00 beside Bram's.
    active = sorted(b.start_at for b in await all_bookings(db) if b.status == "confirmed")
    assert active in ([at(TOMORROW, 14)], [at(TOMORROW, 10), at(TOMORROW, 14, 30)])
