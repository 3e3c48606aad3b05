"""An admin deletes a person: personal data goes, bookings stay anonymously for the figures."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs
from tests.privacy.conftest import Life
from werkplek.audit.models import AuditEvent
from werkplek.bookings.models import Booking
from werkplek.feeds.models import WorkLocationDeletions
from werkplek.people.models import LoginAttempt, Person
from werkplek.privacy.services import person_columns
from werkplek.visits.models import FieldVisit


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


async def test_bookings_stay_without_name_or_title(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    await _erase(client, login_as, life)
    await db.rollback()
    booking = await db.get(Booking, life.booking.id, populate_existing=True)
    assert booking is not None
    assert (booking.booked_for_id, booking.booked_by_id, booking.title) == (None, None, "")
    assert booking.space_id == life.booking.space_id


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
