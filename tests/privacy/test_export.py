"""A person downloads everything Werkplek holds about them, as JSON."""

from __future__ import annotations

from datetime import timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs
from tests.privacy.conftest import NOW, Life, add_event
from werkplek.audit.models import AuditEvent
from werkplek.people.models import LoginSession, Person
from werkplek.presence.models import DayReachability
from werkplek.visits.models import FieldVisit, FieldVisitor

# The tables the ``life`` fixture puts a row about Anna in (export is generic over all).
FILLED_TABLES = {
    "persons",
    "person_roles",
    "person_topics",
    "team_memberships",
    "login_sessions",
    "api_tokens",
    "bookings",
    "booking_series",
    "work_locations",
    "day_reachability",
    "weekly_patterns",
    "callback_notes",
    "field_visits",
    "field_visitors",
    "visit_safety_contacts",
    "visit_alerts",
    "feed_tokens",
    "audit_events",
}


async def _export(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, person: Person | None = None
) -> dict:
    await login_as(person or life.anna)
    response = await client.get("/api/me/export")
    assert response.status_code == 200
    return dict(response.json())


async def _visit_planned_for_bram(db: AsyncSession, life: Life) -> int:
    """Anna, a team lead, plans a visit that only Bram goes on."""
    visit = FieldVisit(
        area="Dorp",
        address="Molenweg 3",
        purpose="Gesprek over schulden",
        planned_start=NOW + timedelta(days=1),
        planned_end=NOW + timedelta(days=1, hours=1),
        created_by_id=life.anna.id,
        created_at=NOW,
        updated_at=NOW,
    )
    visit.visitors = [FieldVisitor(person_id=life.bram.id, position=0)]
    db.add(visit)
    await db.commit()
    return visit.id


def _about_me(exported: dict) -> list[tuple[str, str]]:
    return [(e["action"], e["object_type"]) for e in exported["audit_about_me"]]


async def test_export_is_a_json_download(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life
) -> None:
    await login_as(life.anna)
    response = await client.get("/api/me/export")
    assert response.headers["content-type"].startswith("application/json")
    assert "attachment" in response.headers["content-disposition"]


async def test_export_holds_rows_from_the_tables_that_point_at_the_person(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life
) -> None:
    exported = await _export(client, login_as, life)
    assert set(exported["tables"]) >= FILLED_TABLES
    assert exported["person"]["email"] == "anna@example.nl"


async def test_export_never_holds_password_or_token_hashes(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life
) -> None:
    text = str(await _export(client, login_as, life))
    assert "token_hash" not in text and "password_hash" not in text and "csrf_token" not in text


async def test_export_tells_who_was_shown_the_address_of_my_visits(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life
) -> None:
    views = (await _export(client, login_as, life))["address_views"]
    assert [(v["visit_id"], v["viewer"]) for v in views] == [(life.solo_visit.id, "Bram Bakker")]


async def test_export_includes_my_field_visits_with_their_address(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life
) -> None:
    visits = (await _export(client, login_as, life))["field_visits"]
    assert {v["address"] for v in visits} == {"Dorpsstraat 1", "Kerkweg 2"}


async def test_an_export_is_audited(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    await _export(client, login_as, life)
    await db.rollback()
    actions = (
        await db.execute(select(AuditEvent.action).where(AuditEvent.actor_id == life.anna.id))
    ).scalars()
    assert "export" in list(actions)


async def test_only_an_admin_exports_someone_else(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life
) -> None:
    await login_as(life.bram)
    assert (await client.get(f"/api/privacy/people/{life.anna.id}/export")).status_code == 403
    await login_as(life.admin)
    response = await client.get(f"/api/privacy/people/{life.anna.id}/export")
    assert response.json()["person"]["id"] == life.anna.id


async def test_the_profile_page_offers_the_download(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life
) -> None:
    await login_as(life.anna)
    assert 'href="/api/me/export"' in (await client.get("/profile")).text


async def test_my_own_booking_is_exported_whole(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life
) -> None:
    (booking,) = (await _export(client, login_as, life))["tables"]["bookings"]
    assert (booking["id"], booking["title"]) == (life.booking.id, "Anna's desk")


async def test_a_visit_i_planned_for_a_colleague_is_exported_without_address_or_purpose(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    await _visit_planned_for_bram(db, life)
    text = str(await _export(client, login_as, life))
    assert "Molenweg 3" not in text and "Gesprek over schulden" not in text


async def test_a_visit_i_planned_for_a_colleague_is_exported_as_planned_by_me(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    visit_id = await _visit_planned_for_bram(db, life)
    visits = (await _export(client, login_as, life))["tables"]["field_visits"]
    assert {
        "id": visit_id,
        "planned_start": (NOW + timedelta(days=1)).isoformat(),
        "planned_end": (NOW + timedelta(days=1, hours=1)).isoformat(),
        "created_at": NOW.isoformat(),
        "referenced_as": ["created_by_id"],
    } in visits


async def test_a_row_naming_me_in_several_roles_is_exported_once_with_each_role(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life
) -> None:
    visits = (await _export(client, login_as, life))["tables"]["field_visits"]
    (solo,) = [visit for visit in visits if visit["id"] == life.solo_visit.id]
    assert solo["referenced_as"] == ["checked_in_by_id", "checked_out_by_id", "created_by_id"]


async def test_a_colleague_who_named_me_as_backup_is_exported_by_id_only(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life
) -> None:
    persons = (await _export(client, login_as, life))["tables"]["persons"]
    assert persons == [{"id": life.bram.id, "referenced_as": ["backup_id"]}]


async def test_a_booking_i_decided_on_is_exported_without_its_holder_or_title(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life
) -> None:
    bookings = (await _export(client, login_as, life, life.admin))["tables"]["bookings"]
    assert bookings == [
        {
            "id": life.booking.id,
            "start_at": life.booking.start_at.isoformat(),
            "end_at": life.booking.end_at.isoformat(),
            "referenced_as": ["decided_by_id"],
        }
    ]


async def test_a_day_i_am_a_colleagues_backup_is_exported_by_its_date_only(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    await db.execute(update(DayReachability).values(note="Bel mijn mobiel"))
    await db.commit()
    exported = await _export(client, login_as, life, life.bram)
    (day,) = exported["tables"]["day_reachability"]
    assert set(day) == {"id", "date", "referenced_as"}


async def test_export_never_holds_the_single_sign_on_id_token(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    await db.execute(update(LoginSession).values(id_token="header.claims.signature"))
    await db.commit()
    text = str(await _export(client, login_as, life))
    assert "header.claims.signature" not in text and "id_token" not in text


async def test_export_includes_the_changes_to_my_work_locations(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    await add_event(db, life.bram, "set_day", "presence", life.anna.id, parts={"day": "absent"})
    assert ("set_day", "presence") in _about_me(await _export(client, login_as, life))


async def test_export_includes_events_naming_me_in_their_details(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    await add_event(db, life.bram, "create", "callback_note", 99, person_id=life.anna.id)
    assert ("create", "callback_note") in _about_me(await _export(client, login_as, life))


async def test_export_includes_events_listing_me_among_a_visits_visitors(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    visitors = [life.bram.id, life.anna.id]
    await add_event(db, life.bram, "create", "field_visit", 99, visitor_ids=visitors)
    assert ("create", "field_visit") in _about_me(await _export(client, login_as, life))


async def test_export_includes_a_colleagues_subscription_to_my_calendar(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    await add_event(
        db, life.bram, "create", "feed_token", 99, scope="person", scope_id=life.anna.id
    )
    assert ("create", "feed_token") in _about_me(await _export(client, login_as, life))


async def test_export_leaves_out_a_subscription_to_a_team_of_my_number(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    await add_event(db, life.bram, "create", "feed_token", 99, scope="team", scope_id=life.anna.id)
    assert ("create", "feed_token") not in _about_me(await _export(client, login_as, life))


async def test_export_leaves_out_events_naming_only_others(
    client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life, db: AsyncSession
) -> None:
    await add_event(db, life.anna, "create", "booking", 99, booked_for_id=life.bram.id)
    await add_event(db, life.anna, "create", "field_visit", 98, visitor_ids=[life.bram.id])
    assert _about_me(await _export(client, login_as, life)) == [("update", "person")]
