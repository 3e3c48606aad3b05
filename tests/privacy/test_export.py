"""A person downloads everything Werkplek holds about them, as JSON."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs
from tests.privacy.conftest import Life
from werkplek.audit.models import AuditEvent

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


async def _export(client: AsyncTestClient[Litestar], login_as: LoginAs, life: Life) -> dict:
    await login_as(life.anna)
    response = await client.get("/api/me/export")
    assert response.status_code == 200
    return dict(response.json())


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
