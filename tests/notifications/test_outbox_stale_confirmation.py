"""Trying a failed booking confirmation again once its bookings were cancelled: refused
(409 ``nothing_to_confirm``), since sent as it was written it would confirm what no
longer holds; the administrator cancels it instead. A confirmation with a booking still
active is tried again as any other mail."""

from __future__ import annotations

from datetime import date

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import TOMORROW, World, actor, desk_booking
from tests.conftest import LoginAs, MakePerson
from tests.notifications.conftest import outbox, send_outbox
from tests.notifications.outbox_admin import admin
from tests.visits.conftest import free_port
from werkplek.bookings import services as bookings
from werkplek.bookings.schemas import RecurrenceIn
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.notifications.models import MailKind, MailStatus, OutboxMail

Client = AsyncTestClient[Litestar]
FRIDAY = date(2026, 11, 27)


async def _failed_confirmation(
    db: AsyncSession, clock: FixedClock, mail_settings: Settings, world: World, *, days: int = 1
) -> tuple[OutboxMail, list[int]]:
    """Anna's confirmation of her desk tomorrow (and ``days`` - 1 days after), given up on
    at its one attempt, with the ids of its bookings."""
    await db.commit()  # the fixtures read in this session; the booking begins a writer
    weekly = RecurrenceIn(weekdays=[TOMORROW.weekday() + i for i in range(days)], until=FRIDAY)
    result = await bookings.create_booking(
        db,
        clock,
        actor(world.anna),
        desk_booking(world.desk, recurrence=weekly if days > 1 else None),
    )
    down = mail_settings.with_changes(smtp_port=free_port(), mail_max_attempts=1)
    await send_outbox(db, clock, down)
    (mail,) = await outbox(db, MailKind.BOOKING_CONFIRMED.value)
    assert mail.status == MailStatus.FAILED
    return mail, [booking.id for booking in result.created]


async def _cancel(db: AsyncSession, clock: FixedClock, world: World, booking_id: int) -> None:
    await bookings.cancel_booking(db, clock, actor(world.anna), booking_id)
    await db.commit()


@pytest.fixture
async def stale(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    world: World,
    make_person: MakePerson,
    login_as: LoginAs,
) -> tuple[OutboxMail, int]:
    """A failed confirmation whose one booking Anna cancelled since, with that booking's
    id, an administrator logged in."""
    mail, (booking_id,) = await _failed_confirmation(db, clock, mail_settings, world)
    await _cancel(db, clock, world, booking_id)
    await admin(make_person, login_as)
    return mail, booking_id


async def test_a_failed_confirmation_of_a_cancelled_booking_is_not_tried_again(
    client: Client, stale: tuple[OutboxMail, int]
) -> None:
    response = await client.post(f"/api/mail/{stale[0].id}/retry")

    assert (response.status_code, response.json()["error"]) == (409, "nothing_to_confirm")


async def test_a_refused_retry_names_the_bookings_no_longer_active(
    client: Client, stale: tuple[OutboxMail, int]
) -> None:
    mail, booking_id = stale

    response = await client.post(f"/api/mail/{mail.id}/retry")

    assert response.json()["details"] == {"booking_ids": [booking_id]}


async def test_a_refused_retry_leaves_the_confirmation_failed(
    client: Client, db: AsyncSession, stale: tuple[OutboxMail, int]
) -> None:
    await client.post(f"/api/mail/{stale[0].id}/retry")

    (row,) = await outbox(db, MailKind.BOOKING_CONFIRMED.value)
    assert (row.status, row.attempts) == (MailStatus.FAILED, 1)


async def test_a_confirmation_that_failed_before_it_was_composed_is_not_tried_again_either(
    client: Client,
    db: AsyncSession,
    clock: FixedClock,
    world: World,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    await db.commit()  # the fixtures read in this session; the booking begins a writer
    made = await bookings.create_booking(db, clock, actor(world.anna), desk_booking(world.desk))
    await db.commit()
    (mail,) = await outbox(db, MailKind.BOOKING_CONFIRMED.value)
    mail.status = MailStatus.FAILED.value  # as when composing it failed
    await db.commit()
    await _cancel(db, clock, world, made.created[0].id)
    await admin(make_person, login_as)

    response = await client.post(f"/api/mail/{mail.id}/retry")

    assert (response.status_code, response.json()["error"]) == (409, "nothing_to_confirm")


async def test_a_failed_confirmation_with_a_booking_still_active_is_tried_again(
    client: Client,
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    world: World,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    mail, (thursday, _friday) = await _failed_confirmation(db, clock, mail_settings, world, days=2)
    await _cancel(db, clock, world, thursday)
    await admin(make_person, login_as)

    response = await client.post(f"/api/mail/{mail.id}/retry")

    assert (response.status_code, response.json()["status"]) == (200, "pending")


async def test_the_page_says_in_dutch_why_a_stale_confirmation_is_not_tried_again(
    client: Client, stale: tuple[OutboxMail, int]
) -> None:
    response = await client.post(f"/admin/mail/{stale[0].id}/retry")

    assert response.status_code == 409
    assert "niet meer actief" in response.text
