"""Booking e-mails: queued with the booking, sent by the outbox job to a real SMTP server
(aiosmtpd on 127.0.0.1), in the recipient's language, with the invite attached."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.bookings.conftest import TODAY, TOMORROW, World, actor, at, desk_booking, room_booking
from tests.conftest import LoginAs, MakePerson, count_queries
from tests.notifications.conftest import outbox, parsed, send_outbox
from tests.visits.conftest import Inbox, free_port
from werkplek.bookings import services as bookings
from werkplek.bookings.models import Booking
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.mail import Attachment
from werkplek.notifications import services as notify
from werkplek.notifications.models import MailKind, MailStatus, OutboxAttachment, OutboxMail
from werkplek.notifications.outbox import queue_mail
from werkplek.notifications.render import render_mail
from werkplek.notifications.services import booking_facts, mail_person
from werkplek.people.models import Role
from werkplek.scheduler import JOBS, run_jobs_once

DESK = {"date": TOMORROW.isoformat(), "day_part": "morning"}


async def book_desk(client: AsyncTestClient[Litestar], world: World) -> Any:
    response = await client.post("/api/bookings", json={"space_id": world.desk.id, **DESK})
    assert response.status_code == 201, response.text
    return response.json()["bookings"][0]


async def test_a_booking_confirmation_arrives_with_the_ics_invite(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    world: World,
    login_as: LoginAs,
) -> None:
    await login_as(world.anna)
    booking = await book_desk(client, world)

    await send_outbox(db, clock, mail_settings)

    assert [m.rcpt_tos for m in smtp_server.messages] == [[world.anna.email]]
    message = parsed(smtp_server)
    assert (
        message["Subject"] == "Gereserveerd: Flexplek 1.01 (Stadskantoor), do 26 november, ochtend"
    )
    (invite,) = list(message.iter_attachments())
    assert invite.get_content_type() == "text/calendar"
    assert invite.get_filename() == f"booking-{booking['id']}.ics"
    assert f"UID:booking-{booking['id']}@werkplek" in invite.get_content()


async def test_the_confirmation_is_in_the_recipients_language_not_the_bookers(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    world: World,
    make_person: MakePerson,
) -> None:
    facilities = await make_person("Frits Facilitair", roles=(Role.FACILITIES,))
    guest = await make_person("Grace Guest", language="en")
    await db.commit()  # the fixtures read in this session; the booking begins a writer
    await bookings.create_booking(
        db, clock, actor(facilities), desk_booking(world.desk, booked_for_id=guest.id)
    )

    await send_outbox(db, clock, mail_settings)

    message = parsed(smtp_server)
    assert message["Subject"] == "Booked: Flexplek 1.01 (Stadskantoor), Thu 26 November, morning"
    assert "morning (07:30–13:00)" in message.get_body().get_content()  # type: ignore[union-attr]


async def test_when_smtp_is_down_the_booking_succeeds_and_the_scheduler_sends_the_mail_later(
    client: AsyncTestClient[Litestar],
    sessionmaker: async_sessionmaker[AsyncSession],
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    world: World,
    login_as: LoginAs,
) -> None:
    await login_as(world.anna)
    await book_desk(client, world)
    await send_outbox(db, clock, mail_settings.with_changes(smtp_port=free_port()))
    (queued,) = await outbox(db)
    assert (queued.status, queued.attempts) == (MailStatus.PENDING, 1)
    assert "failed" in (queued.last_error or "")
    clock.advance(timedelta(minutes=1))

    ran = await run_jobs_once(
        sessionmaker, clock, mail_settings, [job for job in JOBS if job.name == "mail_outbox"]
    )

    assert ran == {"mail_outbox": True}
    assert len(smtp_server.messages) == 1
    assert [(m.status, m.attempts) for m in await outbox(db)] == [(MailStatus.SENT, 2)]


async def test_a_failed_mail_waits_longer_after_each_attempt_and_is_given_up_after_the_last(
    db: AsyncSession, clock: FixedClock, mail_settings: Settings, world: World
) -> None:
    down = mail_settings.with_changes(smtp_port=free_port(), mail_max_attempts=3)
    await db.commit()  # the fixtures read in this session; the booking begins a writer
    await bookings.create_booking(db, clock, actor(world.anna), desk_booking(world.desk))
    start = clock.now()
    tried_at = []
    for _minute in range(10):
        await send_outbox(db, clock, down)
        (row,) = await outbox(db)
        if row.last_attempt_at is not None and row.last_attempt_at not in tried_at:
            tried_at.append(row.last_attempt_at)
        clock.advance(timedelta(minutes=1))

    assert [at - start for at in tried_at] == [
        timedelta(0),
        timedelta(minutes=1),
        timedelta(minutes=3),
    ]
    assert (row.status, row.attempts) == (MailStatus.FAILED, 3)


async def test_a_booking_queues_its_confirmation_in_one_statement(
    db: AsyncSession, clock: FixedClock, world: World
) -> None:
    await db.commit()  # the fixtures read in this session; the booking begins a writer
    with count_queries(db) as statements:
        await bookings.create_booking(db, clock, actor(world.anna), desk_booking(world.desk))

    assert [s.split()[:3] for s in statements if "mail_" in s] == [
        ["INSERT", "INTO", "mail_outbox"]
    ]


async def test_a_confirmation_names_the_place_as_it_is_when_it_goes_out(
    db: AsyncSession, clock: FixedClock, mail_settings: Settings, smtp_server: Inbox, world: World
) -> None:
    await db.commit()  # the fixtures read in this session; the booking begins a writer
    await bookings.create_booking(db, clock, actor(world.anna), desk_booking(world.desk))
    world.desk.name = "Flexplek 1.99"
    await db.commit()

    await send_outbox(db, clock, mail_settings)

    assert parsed(smtp_server)["Subject"].startswith("Gereserveerd: Flexplek 1.99 (Stadskantoor)")


async def test_a_confirmation_that_failed_goes_out_with_the_invite_composed_for_its_first_attempt(
    db: AsyncSession, clock: FixedClock, mail_settings: Settings, smtp_server: Inbox, world: World
) -> None:
    await db.commit()  # the fixtures read in this session; the booking begins a writer
    result = await bookings.create_booking(db, clock, actor(world.anna), desk_booking(world.desk))
    await send_outbox(db, clock, mail_settings.with_changes(smtp_port=free_port()))
    clock.advance(timedelta(minutes=1))

    await send_outbox(db, clock, mail_settings)

    (invite,) = list(parsed(smtp_server).iter_attachments())
    assert invite.get_filename() == f"booking-{result.created[0].id}.ics"
    assert (await db.execute(select(func.count(OutboxAttachment.id)))).scalar_one() == 1


async def test_a_confirmation_whose_booking_is_gone_when_it_would_go_out_is_cancelled(
    db: AsyncSession, clock: FixedClock, mail_settings: Settings, smtp_server: Inbox, world: World
) -> None:
    await db.commit()  # the fixtures read in this session; the booking begins a writer
    result = await bookings.create_booking(db, clock, actor(world.anna), desk_booking(world.desk))
    await db.execute(delete(Booking).where(Booking.id == result.created[0].id))

    await send_outbox(db, clock, mail_settings)

    assert smtp_server.messages == []
    assert [m.status for m in await outbox(db)] == [MailStatus.CANCELLED]


async def test_a_confirmation_whose_booking_was_cancelled_before_it_went_out_is_cancelled(
    db: AsyncSession, clock: FixedClock, mail_settings: Settings, smtp_server: Inbox, world: World
) -> None:
    await db.commit()  # the fixtures read in this session; the booking begins a writer
    result = await bookings.create_booking(db, clock, actor(world.anna), desk_booking(world.desk))
    await db.commit()
    await bookings.cancel_booking(db, clock, actor(world.anna), result.created[0].id)
    await db.commit()

    await send_outbox(db, clock, mail_settings)

    assert {m.kind: m.status for m in await outbox(db)} == {
        "booking_confirmed": MailStatus.CANCELLED,
        "booking_cancelled": MailStatus.SENT,
    }


async def test_a_confirmation_that_cannot_be_composed_fails_and_the_other_mails_go_out(
    monkeypatch: pytest.MonkeyPatch,
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    world: World,
) -> None:
    await db.commit()  # the fixtures read in this session; the booking begins a writer
    await bookings.create_booking(db, clock, actor(world.anna), desk_booking(world.desk))
    await queue_mail(
        db,
        clock,
        kind="visit_alert",
        recipients=["lotte@example.nl"],
        language="nl",
        subject="Veldbezoek niet afgemeld",
        body="Bel ze eerst.",
    )

    async def broken(*args: Any) -> list[Attachment]:
        raise ValueError("no calendar today")

    monkeypatch.setattr(notify, "_invites", broken)
    await send_outbox(db, clock, mail_settings)

    assert [m.rcpt_tos for m in smtp_server.messages] == [["lotte@example.nl"]]
    assert [(m.kind, m.status, m.last_error) for m in await outbox(db)] == [
        ("booking_confirmed", MailStatus.FAILED, "composing failed: no calendar today"),
        ("visit_alert", MailStatus.SENT, None),
    ]


async def test_a_confirmation_queued_whole_before_the_upgrade_goes_out_as_it_was_queued(
    db: AsyncSession, clock: FixedClock, mail_settings: Settings, smtp_server: Inbox, world: World
) -> None:
    await db.commit()  # the fixtures read in this session; the booking begins a writer
    result = await bookings.create_booking(db, clock, actor(world.anna), desk_booking(world.desk))
    await db.execute(delete(OutboxMail))
    await mail_person(  # as the booking queued it before: rendered facts and the invite
        db,
        clock,
        world.anna,
        MailKind.BOOKING_CONFIRMED,
        {"bookings": await booking_facts(db, result.created)},
        attachments=[Attachment("booking-1.ics", "text/calendar", b"BEGIN:VCALENDAR")],
    )

    await send_outbox(db, clock, mail_settings)

    message = parsed(smtp_server)
    assert (
        message["Subject"] == "Gereserveerd: Flexplek 1.01 (Stadskantoor), do 26 november, ochtend"
    )
    assert [a.get_filename() for a in message.iter_attachments()] == ["booking-1.ics"]


async def test_someone_who_switched_off_confirmations_gets_none(
    client: AsyncTestClient[Litestar], db: AsyncSession, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)
    response = await client.put("/api/me/notifications", json={"booking_confirmed": False})
    assert response.json()["booking_confirmed"] is False

    await book_desk(client, world)

    assert await outbox(db) == []


async def test_a_cancellation_mail_carries_the_cancelled_invite(
    db: AsyncSession, clock: FixedClock, world: World
) -> None:
    await db.commit()  # the fixtures read in this session; the booking begins a writer
    result = await bookings.create_booking(db, clock, actor(world.anna), desk_booking(world.desk))
    await db.commit()
    await bookings.cancel_booking(db, clock, actor(world.anna), result.created[0].id)
    await db.commit()

    (mail,) = await outbox(db, "booking_cancelled")
    assert mail.recipient_list == [world.anna.email]
    assert b"STATUS:CANCELLED" in mail.attachments[0].content


async def test_a_room_that_needs_approval_asks_facilities_and_the_decision_reaches_the_requester(
    db: AsyncSession, clock: FixedClock, world: World, make_person: MakePerson
) -> None:
    facilities = await make_person("Frits Facilitair", roles=(Role.FACILITIES,))
    world.room.requires_approval = True
    db.add(world.room)
    await db.commit()  # the fixtures read in this session; the booking begins a writer
    result = await bookings.create_booking(db, clock, actor(world.anna), room_booking(world.room))
    await db.commit()
    (request,) = await outbox(db, "approval_request")
    assert request.recipient_list == [facilities.email]

    await db.commit()  # the fixtures read in this session; the booking begins a writer
    await bookings.approve_booking(db, clock, actor(facilities), result.created[0].id)
    await db.commit()

    (decision,) = await outbox(db, "approval_decision")
    assert decision.recipient_list == [world.anna.email]
    assert [a.content_type for a in decision.attachments] == ["text/calendar"]


async def test_sent_mail_with_its_invite_is_forgotten_after_thirty_days(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    world: World,
) -> None:
    await db.commit()  # the fixtures read in this session; the booking begins a writer
    await bookings.create_booking(db, clock, actor(world.anna), desk_booking(world.desk))
    await send_outbox(db, clock, mail_settings)
    clock.advance(timedelta(days=30, minutes=1))

    await send_outbox(db, clock, mail_settings)

    assert await outbox(db) == []
    assert (await db.execute(select(func.count(OutboxAttachment.id)))).scalar_one() == 0


# --- a desk booking moved to another desk --------------------------------------------------


async def _annas_mail_after_a_move(
    db: AsyncSession,
    clock: FixedClock,
    world: World,
    make_person: MakePerson,
    *,
    by_herself: bool = False,
    checked_in: bool = False,
    reason: str = "",
) -> list[OutboxMail]:
    """Anna's desk 1.01 moved to 1.02 by Fenna of facilities (or by Anna herself): booked
    for tomorrow morning, or today's, checked in at 08:00 and moved at 10:05; the mails the
    move queued, oldest first."""
    fenna = await make_person("Fenna Facilitair", roles=(Role.FACILITIES,))
    await db.commit()  # the fixtures read in this session; the booking begins a writer
    if checked_in:
        clock.set(at(TODAY, 8))
    day = TODAY if checked_in else TOMORROW
    made = await bookings.create_booking(
        db, clock, actor(world.anna), desk_booking(world.desk, day)
    )
    if checked_in:
        await bookings.check_in(db, clock, actor(world.anna), made.created[0].id)
        clock.set(at(TODAY, 10, 5))
    await db.commit()
    before = len(await outbox(db))
    mover = world.anna if by_herself else fenna
    await bookings.move_desk_booking(
        db, clock, actor(mover), made.created[0].id, world.desk2.id, reason
    )
    await db.commit()
    return (await outbox(db))[before:]


def _body(settings: Settings, mail: OutboxMail) -> str:
    return render_mail(settings, "booking_moved", json.loads(mail.context), mail.language)[1]


async def test_a_desk_moved_by_facilities_is_one_mail_naming_them_and_both_desks(
    db: AsyncSession, clock: FixedClock, settings: Settings, world: World, make_person: MakePerson
) -> None:
    (mail,) = await _annas_mail_after_a_move(db, clock, world, make_person)

    assert (
        "Facilitair (Fenna Facilitair) heeft uw reservering verplaatst van Flexplek 1.01 "
        "naar Flexplek 1.02:" in _body(settings, mail)
    )


async def test_the_reason_facilities_give_for_a_move_is_in_the_mail(
    db: AsyncSession, clock: FixedClock, settings: Settings, world: World, make_person: MakePerson
) -> None:
    (mail,) = await _annas_mail_after_a_move(
        db, clock, world, make_person, reason="  Lekkage bij 1.01  "
    )

    assert "\n\nReden: Lekkage bij 1.01\n" in _body(settings, mail)


async def test_a_move_without_a_reason_gives_none_in_the_mail(
    db: AsyncSession, clock: FixedClock, settings: Settings, world: World, make_person: MakePerson
) -> None:
    (mail,) = await _annas_mail_after_a_move(db, clock, world, make_person)

    assert "Reden:" not in _body(settings, mail)


async def test_a_desk_moved_by_facilities_while_checked_in_is_told_the_same_way(
    db: AsyncSession, clock: FixedClock, settings: Settings, world: World, make_person: MakePerson
) -> None:
    (mail,) = await _annas_mail_after_a_move(db, clock, world, make_person, checked_in=True)

    assert "Facilitair (Fenna Facilitair) heeft uw reservering verplaatst" in _body(settings, mail)


async def test_a_desk_moved_by_someone_else_goes_as_a_cancellation_for_the_preferences(
    db: AsyncSession, clock: FixedClock, world: World, make_person: MakePerson
) -> None:
    (mail,) = await _annas_mail_after_a_move(db, clock, world, make_person)

    assert (mail.kind, mail.template) == ("booking_cancelled", "booking_moved")


async def test_the_mail_of_a_move_carries_the_old_desks_cancelled_invite_and_the_new_ones(
    db: AsyncSession, clock: FixedClock, world: World, make_person: MakePerson
) -> None:
    (mail,) = await _annas_mail_after_a_move(db, clock, world, make_person)

    attachments = (
        await db.execute(
            select(OutboxAttachment)
            .where(OutboxAttachment.mail_id == mail.id)
            .order_by(OutboxAttachment.id)
        )
    ).scalars()
    assert [b"STATUS:CANCELLED" in a.content for a in attachments] == [True, False]


async def test_someone_who_moves_their_own_desk_gets_one_mail_saying_they_did(
    db: AsyncSession, clock: FixedClock, settings: Settings, world: World, make_person: MakePerson
) -> None:
    (mail,) = await _annas_mail_after_a_move(db, clock, world, make_person, by_herself=True)

    assert "U hebt uw reservering verplaatst van Flexplek 1.01 naar Flexplek 1.02:" in _body(
        settings, mail
    )


async def test_ones_own_move_goes_as_a_confirmation_for_the_preferences(
    db: AsyncSession, clock: FixedClock, world: World, make_person: MakePerson
) -> None:
    (mail,) = await _annas_mail_after_a_move(db, clock, world, make_person, by_herself=True)

    assert mail.kind == "booking_confirmed"
