"""Invitations to colleagues' meetings are personal data: exported whole, erased with the
person (the meeting stays, its holder's)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs
from tests.privacy.conftest import NOW, Life
from werkplek.bookings.models import Booking, BookingParticipant
from werkplek.rooms.models import Space

Client = AsyncTestClient[Litestar]


@pytest.fixture
async def invitation(db: AsyncSession, life: Life) -> BookingParticipant:
    """Bram's meeting tomorrow, to which Anna is invited and which she accepted."""
    room = Space(site_id=life.booking.site_id, name="Overleg 1", kind="meeting_room", capacity=4)
    db.add(room)
    await db.flush()
    start = NOW + timedelta(days=1)
    meeting = Booking(
        space_id=room.id,
        site_id=room.site_id,
        is_desk=False,
        booked_for_id=life.bram.id,
        booked_by_id=life.bram.id,
        start_at=start,
        end_at=start + timedelta(hours=1),
        title="Overleg",
        created_at=NOW,
        updated_at=NOW,
    )
    db.add(meeting)
    await db.flush()
    invited = BookingParticipant(
        booking_id=meeting.id,
        person_id=life.anna.id,
        response="accepted",
        created_at=NOW,
        responded_at=NOW,
    )
    db.add(invited)
    await db.commit()
    return invited


async def test_my_invitations_to_meetings_are_exported_with_my_answer(
    client: Client, login_as: LoginAs, life: Life, invitation: BookingParticipant
) -> None:
    await login_as(life.anna)

    exported = (await client.get("/api/me/export")).json()

    (row,) = exported["tables"]["booking_participants"]
    assert (row["booking_id"], row["response"]) == (invitation.booking_id, "accepted")


async def test_erasing_a_person_takes_them_off_the_meetings_they_were_invited_to(
    client: Client,
    db: AsyncSession,
    login_as: LoginAs,
    life: Life,
    invitation: BookingParticipant,
) -> None:
    await login_as(life.admin)

    await client.delete(f"/api/privacy/people/{life.anna.id}")

    await db.rollback()
    assert (await db.execute(select(func.count(BookingParticipant.id)))).scalar_one() == 0
