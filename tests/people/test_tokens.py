"""API tokens: created once, used as bearer tokens, read-only or not, revocable."""

from __future__ import annotations

from datetime import timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson
from werkplek.audit.models import AuditEvent
from werkplek.clock import FixedClock
from werkplek.people.models import ApiToken, Role

Client = AsyncTestClient[Litestar]


async def _token(client: Client, *, read_only: bool = False) -> tuple[int, str]:
    """Create a token through the API, then forget the login session."""
    response = await client.post("/api/tokens", json={"name": "script", "read_only": read_only})
    assert response.status_code == 201
    client.cookies.clear()
    client.headers.pop("X-CSRF-Token", None)
    return response.json()["id"], response.json()["token"]


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_creating_a_token_shows_it_once(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna"))

    created = await client.post("/api/tokens", json={"name": "Rooster-export"})
    listed = await client.get("/api/tokens")

    assert created.status_code == 201
    assert len(created.json()["token"]) >= 40
    assert listed.json() == [
        {
            "id": created.json()["id"],
            "name": "Rooster-export",
            "read_only": False,
            "created_at": "2026-11-25T09:00:00+00:00",
            "last_used_at": None,
            "revoked": False,
        }
    ]


async def test_only_a_hash_of_the_token_is_stored(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna"))
    _id, token = await _token(client)

    stored = (await db.execute(select(ApiToken.token_hash))).scalar_one()

    assert token not in stored
    assert len(stored) == 64


async def test_a_bearer_token_identifies_its_owner(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person("Anna")
    await login_as(anna)
    _id, token = await _token(client)

    response = await client.get("/api/me", headers=_bearer(token))

    assert response.status_code == 200
    assert response.json()["person"]["id"] == anna.id


async def test_a_bearer_token_may_write_without_a_csrf_token(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna"))
    _id, token = await _token(client)

    response = await client.patch("/api/me", json={"phone": "0201234567"}, headers=_bearer(token))

    assert response.status_code == 200


async def test_a_read_only_token_cannot_post(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna"))
    _id, token = await _token(client, read_only=True)

    response = await client.post("/api/tokens", json={"name": "another"}, headers=_bearer(token))

    assert response.status_code == 403
    assert response.json()["error"] == "read_only_token"


async def test_a_read_only_token_can_read(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna"))
    _id, token = await _token(client, read_only=True)

    response = await client.get("/api/people", headers=_bearer(token))

    assert response.status_code == 200


async def test_a_revoked_token_is_401(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna"))
    token_id, token = await _token(client)
    revoked = await client.delete(f"/api/tokens/{token_id}", headers=_bearer(token))

    response = await client.get("/api/me", headers=_bearer(token))

    assert revoked.status_code == 204
    assert response.status_code == 401


async def test_an_unknown_token_is_401(client: Client) -> None:
    response = await client.get("/api/me", headers=_bearer("not-a-real-token"))

    assert response.status_code == 401


async def test_nobody_can_revoke_someone_elses_token(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna"))
    token_id, token = await _token(client)
    await login_as(await make_person("Pieter"))

    refused = await client.delete(f"/api/tokens/{token_id}")
    still_works = await client.get("/api/me", headers=_bearer(token))

    assert refused.status_code == 404
    assert still_works.status_code == 200


async def test_revoking_a_token_is_audited_with_its_name(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna"))
    created = (await client.post("/api/tokens", json={"name": "Rooster-export"})).json()

    await client.delete(f"/api/tokens/{created['id']}")

    await db.rollback()
    event = (await db.execute(select(AuditEvent).where(AuditEvent.action == "revoke"))).scalar_one()
    assert (event.object_id, event.details) == (str(created["id"]), {"name": "Rooster-export"})


async def test_using_a_token_records_when_it_was_last_used(
    client: Client, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna"))
    _id, token = await _token(client)
    clock.advance(timedelta(hours=1))

    await client.get("/api/me", headers=_bearer(token))
    listed = await client.get("/api/tokens", headers=_bearer(token))

    assert listed.json()[0]["last_used_at"] == "2026-11-25T10:00:00+00:00"


async def _deactivate_and_bring_back(client: Client, person_id: int) -> None:
    """An administrator deactivates someone (they left), later makes them active again."""
    for active in (False, True):
        await client.patch(f"/api/people/{person_id}", json={"active": active})


async def test_a_token_of_a_leaver_brought_back_stays_revoked(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person("Anna")
    await login_as(anna)
    _id, token = await _token(client)
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))
    await _deactivate_and_bring_back(client, anna.id)
    client.cookies.clear()

    response = await client.get("/api/me", headers=_bearer(token))

    assert response.status_code == 401


async def test_deactivating_someone_revokes_their_tokens_naming_each_in_the_log(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person("Anna")
    await login_as(anna)
    await client.post("/api/tokens", json={"name": "Rooster-export"})
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    await client.patch(f"/api/people/{anna.id}", json={"active": False})

    await db.rollback()
    revoked = (
        await db.execute(select(AuditEvent.details).where(AuditEvent.action == "revoke"))
    ).scalar_one()
    assert revoked == {"name": "Rooster-export", "reason": "person_deactivated"}


async def test_a_login_of_a_leaver_brought_back_is_over(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person("Anna")
    await login_as(anna)
    anna_session = client.cookies["werkplek_session"]
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))
    await _deactivate_and_bring_back(client, anna.id)
    client.cookies.set("werkplek_session", anna_session)

    response = await client.get("/api/me")

    assert response.status_code == 401
