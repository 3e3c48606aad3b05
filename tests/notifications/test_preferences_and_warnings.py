"""The "Meldingen" page and API, and the warning before a no-show release."""

from __future__ import annotations

from datetime import timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import TODAY, World, at
from tests.conftest import LoginAs
from tests.notifications.conftest import outbox
from werkplek.bookings.models import Booking
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.notifications.reminders import no_show_warnings_job


async def test_field_visit_alerts_cannot_be_switched_off(
    client: AsyncTestClient[Litestar], world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.put("/api/me/notifications", json={"visit_alert": False})

    assert response.status_code == 422
    assert response.json()["field"] == "visit_alert"
    assert (await client.get("/api/me/notifications")).json()["visit_alert"] is True


async def test_the_page_switches_off_the_kinds_left_unticked_and_says_alerts_stay_on(
    client: AsyncTestClient[Litestar], world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    saved = await client.post("/notifications", data={"kinds": ["booking_cancelled"]})

    assert "Meldingen over veldbezoeken" in saved.text and "altijd aan" in saved.text
    assert (await client.get("/api/me/notifications")).json() == {
        "booking_confirmed": False,
        "booking_cancelled": True,
        "approval_request": False,
        "approval_decision": False,
        "no_show_warning": False,
        "meeting_invitation": False,
        "meeting_response": False,
        "visitor_arrived": False,
        "callback_note": False,
        "absence_reported": False,
        "backup_named": False,
        "visit_planned": False,
        "visit_alert": True,
    }


async def warn(db: AsyncSession, clock: FixedClock, settings: Settings) -> None:
    await db.commit()
    await no_show_warnings_job(db, clock, settings)
    await db.commit()


async def test_a_holder_who_has_not_checked_in_is_warned_once_before_the_release(
    db: AsyncSession, clock: FixedClock, settings: Settings, world: World
) -> None:
    made = at(TODAY, 9)
    db.add(
        Booking(
            space_id=world.desk.id,
            site_id=world.site.id,
            is_desk=True,
            booked_for_id=world.anna.id,
            booked_by_id=world.anna.id,
            start_at=at(TODAY, 10),
            end_at=at(TODAY, 13),
            day_part="morning",
            created_at=made,
            updated_at=made,
        )
    )
    clock.set(at(TODAY, 10, 19))
    await warn(db, clock, settings)
    assert await outbox(db) == []  # 30 minutes' grace, warned 10 minutes before the end
    clock.set(at(TODAY, 10, 20))

    await warn(db, clock, settings)
    clock.advance(timedelta(minutes=5))
    await warn(db, clock, settings)

    (warning,) = await outbox(db, "no_show_warning")
    assert warning.recipient_list == [world.anna.email]
    assert '"release_at": "2026-11-25T09:30:00+00:00"' in warning.context


async def test_no_warning_comes_for_a_booking_that_ends_before_its_release(
    db: AsyncSession, clock: FixedClock, settings: Settings, world: World
) -> None:
    made = at(TODAY, 9)
    db.add(
        Booking(
            space_id=world.room.id,
            site_id=world.site.id,
            is_desk=False,
            booked_for_id=world.anna.id,
            booked_by_id=world.anna.id,
            start_at=at(TODAY, 10),
            end_at=at(TODAY, 10, 25),  # released, if at all, at 10:30
            created_at=made,
            updated_at=made,
        )
    )
    clock.set(at(TODAY, 10, 20))

    await warn(db, clock, settings)

    assert await outbox(db, "no_show_warning") == []
