"""An admin deletes a person: personal data goes, bookings stay anonymously for the figures."""

from __future__ import annotations

from datetime import timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs
from tests.privacy.conftest import NOW, Life, add_event
from werkplek.audit.models import AuditEvent
from werkplek.bookings.models import Booking
from werkplek.feeds.models import FeedScope, FeedToken, WorkLocationDeletions
from werkplek.people.models import LoginAttempt, Person
from werkplek.privacy.services import person_columns
from werkplek.visits.models import FieldVisit
from werkplek.webhooks.models import WebhookDelivery, WebhookEndpoint


async def _exists(db: AsyncSession, person_id: int) -> bool:
    query = select(func.count(Person.id)).where(Person.id == person_id)
    return bool((await db.execute(query)).scalar_one())


async def _erase(client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life) -> dict:
    await login_as(life.admin)
    response = await client.delete(f"/api/privacy/people/{life.anna.id}")
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_nothing_points_at_an_erased_person(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    await _erase(client, login_as, life)
    await db.rollback()
    left = {}
    for column in person_columns():
        count = (
            await db.execute(
                select(func.count()).select_from(column.table).where(column == life.anna.id)
            )
        ).scalar_one()
        if count:
            left[f"{column.table.name}.{column.name}"] = count
    assert left == {}
    assert not await _exists(db, life.anna.id)


async def test_no_count_of_deleted_work_locations_is_kept_for_an_erased_person(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    await _erase(client, login_as, life)
    await db.rollback()
    kept = select(func.count()).where(WorkLocationDeletions.person_id == life.anna.id)
    assert (await db.execute(kept)).scalar_one() == 0


async def test_colleagues_subscriptions_to_their_calendar_go(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    db.add(
        FeedToken(
            token_hash="f" * 64,
            created_by_id=life.admin.id,
            scope=FeedScope.PERSON.value,
            scope_id=life.anna.id,
            created_at=NOW,
        )
    )
    await db.commit()

    await _erase(client, login_as, life)

    await db.rollback()
    kept = select(func.count()).where(FeedToken.scope_id == life.anna.id)
    assert (await db.execute(kept)).scalar_one() == 0


async def test_bookings_stay_without_name_or_title(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    await _erase(client, login_as, life)
    await db.rollback()
    booking = await db.get(Booking, life.booking.id, populate_existing=True)
    assert booking is not None
    assert (booking.booked_for_id, booking.booked_by_id, booking.title) == (None, None, "")
    assert booking.space_id == life.booking.space_id


async def _booking(db: AsyncSession, booking_id: int) -> Booking:
    booking = await db.get(Booking, booking_id, populate_existing=True)
    assert booking is not None
    return booking


async def _details(db: AsyncSession, event_id: int) -> dict:
    event = await db.get(AuditEvent, event_id, populate_existing=True)
    assert event is not None
    return dict(event.details)


async def test_a_booking_held_for_them_that_has_not_started_is_cancelled(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    await _erase(client, login_as, life)
    await db.rollback()
    assert (await _booking(db, life.booking.id)).status == "cancelled"


async def test_the_cancellation_is_audited_as_for_a_leaver(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    await _erase(client, login_as, life)
    await db.rollback()
    reasons = await db.execute(
        select(AuditEvent.details).where(
            AuditEvent.action == "cancel", AuditEvent.object_id == str(life.booking.id)
        )
    )
    assert list(reasons.scalars()) == [{"reason": "person_deactivated"}]


async def test_the_cancellation_is_announced_by_webhook(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    db.add(
        WebhookEndpoint(
            url="https://rooster.example.nl/hook",
            secret="s" * 32,
            events="booking.cancelled",
            created_at=NOW,
        )
    )
    await db.commit()
    await _erase(client, login_as, life)
    await db.rollback()
    events = (await db.execute(select(WebhookDelivery.event))).scalars().all()
    assert events == ["booking.cancelled"]


async def test_a_booking_of_theirs_under_way_is_not_cancelled(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    under_way = Booking(
        space_id=life.booking.space_id,
        site_id=life.booking.site_id,
        is_desk=True,
        booked_for_id=life.anna.id,
        booked_by_id=life.anna.id,
        start_at=NOW - timedelta(hours=1),
        end_at=NOW + timedelta(hours=3),
        day_part="morning",
        created_at=NOW,
        updated_at=NOW,
    )
    db.add(under_way)
    await db.commit()
    await _erase(client, login_as, life)
    await db.rollback()
    assert (await _booking(db, under_way.id)).status == "confirmed"


async def test_the_details_of_changes_to_their_work_locations_are_cleared(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    parts = {"morning": "absent", "afternoon": "absent"}
    event_id = await add_event(
        db, life.anna, "set_day", "presence", life.anna.id, date="2026-11-25", parts=parts
    )
    await _erase(client, login_as, life)
    await db.rollback()
    assert await _details(db, event_id) == {}


async def test_audit_events_about_them_stay_with_what_was_done_and_when(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    event_id = await add_event(db, life.bram, "set_day", "presence", life.anna.id, date="x")
    await _erase(client, login_as, life)
    await db.rollback()
    event = await db.get(AuditEvent, event_id, populate_existing=True)
    assert event is not None
    assert (event.at, event.actor_id, event.action) == (NOW, life.bram.id, "set_day")


async def test_they_are_taken_out_of_the_details_of_a_booking_made_for_them(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    space_id = life.booking.space_id
    event_id = await add_event(
        db, life.bram, "create", "booking", 99, space_id=space_id, booked_for_id=life.anna.id
    )
    await _erase(client, login_as, life)
    await db.rollback()
    assert await _details(db, event_id) == {"space_id": space_id, "booked_for_id": None}


async def test_they_are_taken_out_of_the_visitors_of_a_visit_in_the_audit_log(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    visitors = [life.anna.id, life.bram.id]
    event_id = await add_event(
        db, life.bram, "create", "field_visit", life.shared_visit.id, visitor_ids=visitors
    )
    await _erase(client, login_as, life)
    await db.rollback()
    assert await _details(db, event_id) == {"visitor_ids": [life.bram.id]}


async def test_they_are_taken_out_of_the_scope_of_a_subscription_to_their_calendar(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    event_id = await add_event(
        db, life.bram, "create", "feed_token", 99, scope="person", scope_id=life.anna.id
    )
    await _erase(client, login_as, life)
    await db.rollback()
    assert await _details(db, event_id) == {"scope": "person", "scope_id": None}


async def test_a_subscription_to_a_team_of_the_same_number_keeps_its_scope(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    event_id = await add_event(
        db, life.bram, "create", "feed_token", 99, scope="team", scope_id=life.anna.id
    )
    await _erase(client, login_as, life)
    await db.rollback()
    assert await _details(db, event_id) == {"scope": "team", "scope_id": life.anna.id}


async def test_events_naming_only_others_keep_their_details(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    event_id = await add_event(db, life.anna, "create", "callback_note", 99, person_id=life.bram.id)
    await _erase(client, login_as, life)
    await db.rollback()
    assert await _details(db, event_id) == {"person_id": life.bram.id}


async def test_a_visit_nobody_else_went_on_goes_with_its_address(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    await _erase(client, login_as, life)
    await db.rollback()
    solo = select(func.count(FieldVisit.id)).where(FieldVisit.id == life.solo_visit.id)
    assert (await db.execute(solo)).scalar_one() == 0
    shared = await db.get(FieldVisit, life.shared_visit.id, populate_existing=True)
    assert shared is not None and shared.visitor_ids == [life.bram.id]


async def test_failed_logins_and_audit_details_about_the_person_go(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    await _erase(client, login_as, life)
    await db.rollback()
    assert (await db.execute(select(func.count(LoginAttempt.id)))).scalar_one() == 0
    details = (
        await db.execute(
            select(AuditEvent.details).where(
                AuditEvent.object_type == "person",
                AuditEvent.object_id == str(life.anna.id),
                AuditEvent.action == "update",
            )
        )
    ).scalar_one()
    assert details == {}


async def test_the_erasure_is_audited_without_a_name(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    result = await _erase(client, login_as, life)
    await db.rollback()
    event = (await db.execute(select(AuditEvent).where(AuditEvent.action == "erase"))).scalar_one()
    assert (event.actor_id, event.object_id) == (life.admin.id, str(life.anna.id))
    assert event.details["rows"] == result["rows"]
    assert "Anna" not in str(event.details)


async def test_colleagues_who_had_the_person_as_backup_keep_their_account(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    await _erase(client, login_as, life)
    await db.rollback()
    bram = await db.get(Person, life.bram.id, populate_existing=True)
    assert bram is not None and bram.backup_id is None


async def test_only_admins_delete_people(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life
) -> None:
    await login_as(life.bram)
    assert (await client.delete(f"/api/privacy/people/{life.anna.id}")).status_code == 403


async def test_an_admin_cannot_delete_themselves(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life
) -> None:
    await login_as(life.admin)
    assert (await client.delete(f"/api/privacy/people/{life.admin.id}")).status_code == 409


async def test_the_page_asks_for_the_email_address_before_deleting(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    await login_as(life.admin)
    anna_id = life.anna.id
    path = f"/admin/people/{anna_id}/delete"
    assert "confirm_email" in (await client.get(path)).text
    refused = await client.post(path, data={"confirm_email": "someone@example.nl"})
    assert refused.status_code == 422
    assert await _exists(db, anna_id)
    done = await client.post(
        path, data={"confirm_email": "ANNA@example.nl"}, follow_redirects=False
    )
    assert done.headers["location"] == "/admin/people?deleted=1"
    await db.rollback()
    assert not await _exists(db, anna_id)
