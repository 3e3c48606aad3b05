"""Feed tokens: who may create which, shown once, stored hashed, revocable, re-checked."""

from __future__ import annotations

import hashlib

import pytest
from httpx import Response
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import delete, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson, MakeSite, MakeSpace, MakeTeam
from tests.feeds.conftest import Subscribe
from werkplek.audit.models import AuditEvent
from werkplek.feeds.models import FeedToken
from werkplek.people.models import Person, PersonRole, Role, TeamMembership


async def _create(client: AsyncTestClient[Litestar], kind: str, scope_id: int) -> Response:
    return await client.post("/api/feeds", json={"scope": {"kind": kind, "id": scope_id}})


async def test_a_person_subscribes_to_their_own_feed(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person("Anna de Vries")
    await login_as(anna)
    response = await _create(client, "person", anna.id)
    assert response.status_code == 201
    body = response.json()
    assert body["scope"] == {"kind": "person", "id": anna.id, "name": "Anna de Vries"}
    assert body["url"] == f"http://testserver.local/feeds/{body['token']}.ics"
    assert body["webcal_url"] == f"webcal://testserver.local/feeds/{body['token']}.ics"


async def test_a_token_carries_at_least_128_bits_of_randomness(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person()
    await login_as(anna)
    tokens = {(await _create(client, "person", anna.id)).json()["token"] for _ in range(3)}
    assert len(tokens) == 3
    assert all(len(token) >= 22 for token in tokens)  # 22 url-safe characters = 132 bits


async def test_the_database_holds_only_the_hash_of_a_token(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    anna = await make_person()
    await login_as(anna)
    token = (await _create(client, "person", anna.id)).json()["token"]
    await db.rollback()
    row = (await db.execute(select(FeedToken))).scalar_one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    for table in ("feed_tokens", "audit_events"):
        dump = " ".join(str(r) for r in (await db.execute(text(f"SELECT * FROM {table}"))).all())
        assert token not in dump


async def test_the_token_is_never_shown_again_in_the_list(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person()
    await login_as(anna)
    token = (await _create(client, "person", anna.id)).json()["token"]
    listing = (await client.get("/api/feeds")).text
    assert token not in listing
    assert (await client.get("/api/feeds")).json()[0]["last_used_at"] is None


async def test_an_employee_may_not_subscribe_to_someone_elses_feed(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    anna, bert = await make_person(), await make_person()
    await login_as(anna)
    response = await _create(client, "person", bert.id)
    assert response.status_code == 422
    assert response.json()["field"] == "scope"


async def test_an_admin_may_subscribe_to_anyones_feed(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    admin, bert = await make_person(roles=(Role.ADMIN,)), await make_person()
    await login_as(admin)
    assert (await _create(client, "person", bert.id)).status_code == 201


async def test_an_employee_may_not_subscribe_to_their_teams_feed(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
) -> None:
    team = await make_team("Vergunningen")
    anna = await make_person(teams=(team,))
    await login_as(anna)
    assert (await _create(client, "team", team.id)).status_code == 422


async def test_a_team_lead_may_subscribe_to_their_own_team_only(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
) -> None:
    own, other = await make_team("Vergunningen"), await make_team("Belastingen")
    lead = await make_person(roles=(Role.TEAMLEAD,), lead_of=(own,))
    await login_as(lead)
    assert (await _create(client, "team", own.id)).status_code == 201
    assert (await _create(client, "team", other.id)).status_code == 422


async def test_the_kcc_may_subscribe_to_any_team(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
) -> None:
    team = await make_team("Belastingen")
    agent = await make_person(roles=(Role.KCC,))
    await login_as(agent)
    assert (await _create(client, "team", team.id)).status_code == 201


async def test_anyone_may_subscribe_to_a_site_or_a_space(
    client: AsyncTestClient[Litestar],
    employee: dict[str, str],
    make_site: MakeSite,
    make_space: MakeSpace,
) -> None:
    site = await make_site()
    room = await make_space(site, "Reitdiep", kind="meeting_room")
    assert (await _create(client, "site", site.id)).status_code == 201
    assert (await _create(client, "space", room.id)).status_code == 201


async def test_a_scope_that_does_not_exist_is_refused(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await _create(client, "site", 999)
    assert response.status_code == 422
    assert response.json()["field"] == "scope"


async def test_an_unknown_kind_of_scope_is_a_validation_error(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    assert (await _create(client, "building", 1)).status_code == 400


async def test_creating_a_feed_needs_a_login(client: AsyncTestClient[Litestar]) -> None:
    assert (await _create(client, "site", 1)).status_code == 401


async def test_a_revoked_token_answers_404_at_once(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    path = await subscribe(anna, "person", anna.id)
    assert (await client.get(path)).status_code == 200
    await login_as(anna)
    token_id = (await client.get("/api/feeds")).json()[0]["id"]
    assert (await client.delete(f"/api/feeds/{token_id}")).status_code == 204
    assert (await client.get(path)).status_code == 404
    assert (await client.get("/api/feeds")).json()[0]["revoked"] is True


async def test_an_unknown_token_gets_the_same_answer_as_a_revoked_one(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    path = await subscribe(anna, "person", anna.id)
    await login_as(anna)
    token_id = (await client.get("/api/feeds")).json()[0]["id"]
    await client.delete(f"/api/feeds/{token_id}")
    client.cookies.clear()
    revoked = await client.get(path)
    unknown = await client.get("/feeds/" + "x" * 43 + ".ics")
    assert revoked.status_code == unknown.status_code == 404
    assert revoked.content == unknown.content
    assert revoked.headers["content-type"] == unknown.headers["content-type"]


async def test_someone_else_cannot_revoke_my_token(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    subscribe: Subscribe,
) -> None:
    anna, bert = await make_person(), await make_person()
    path = await subscribe(anna, "person", anna.id)
    await login_as(anna)
    token_id = (await client.get("/api/feeds")).json()[0]["id"]
    await login_as(bert)
    assert (await client.delete(f"/api/feeds/{token_id}")).status_code == 404
    client.cookies.clear()
    assert (await client.get(path)).status_code == 200


async def test_a_team_feed_stops_when_its_creator_leaves_the_team(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    make_team: MakeTeam,
    subscribe: Subscribe,
) -> None:
    team = await make_team("Vergunningen")
    lead = await make_person(roles=(Role.TEAMLEAD,), lead_of=(team,))
    path = await subscribe(lead, "team", team.id)
    assert (await client.get(path)).status_code == 200
    await db.execute(delete(TeamMembership).where(TeamMembership.person_id == lead.id))
    await db.commit()
    assert (await client.get(path)).status_code == 404


async def test_a_team_feed_stops_when_its_creator_no_longer_leads_the_team(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    make_team: MakeTeam,
    subscribe: Subscribe,
) -> None:
    team = await make_team("Vergunningen")
    lead = await make_person(roles=(Role.TEAMLEAD,), lead_of=(team,))
    path = await subscribe(lead, "team", team.id)
    assert (await client.get(path)).status_code == 200
    await db.execute(
        update(TeamMembership).where(TeamMembership.person_id == lead.id).values(is_lead=False)
    )
    await db.commit()
    assert (await client.get(path)).status_code == 404


async def test_a_team_feed_stops_when_its_creator_loses_the_kcc_role(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    make_team: MakeTeam,
    subscribe: Subscribe,
) -> None:
    team = await make_team("Belastingen")
    agent = await make_person(roles=(Role.KCC,))
    path = await subscribe(agent, "team", team.id)
    assert (await client.get(path)).status_code == 200
    role = await db.get(PersonRole, (agent.id, Role.KCC.value))
    await db.delete(role)
    await db.commit()
    assert (await client.get(path)).status_code == 404


async def test_a_feed_stops_when_its_creator_is_deactivated(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    path = await subscribe(anna, "person", anna.id)
    await db.execute(update(Person).where(Person.id == anna.id).values(active=False))
    await db.commit()
    assert (await client.get(path)).status_code == 404


async def test_an_admins_feed_of_a_colleague_stops_when_the_admin_role_goes(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    subscribe: Subscribe,
) -> None:
    admin, bert = await make_person(roles=(Role.ADMIN,)), await make_person()
    path = await subscribe(admin, "person", bert.id)
    assert (await client.get(path)).status_code == 200
    await db.delete(await db.get(PersonRole, (admin.id, Role.ADMIN.value)))
    await db.commit()
    assert (await client.get(path)).status_code == 404


async def _deactivate_and_bring_back(
    client: AsyncTestClient[Litestar], person: Person, *, on_the_page: bool = False
) -> None:
    """An administrator (logged in) deactivates ``person`` (they left) and later makes
    them active again, on the people page or through the API."""
    for active in (False, True):
        if on_the_page:
            form = {"_csrf": client.headers["X-CSRF-Token"], "name": person.name}
            form |= {"email": person.email, "active": "on"}
            path = f"/admin/people/{person.id}" + ("" if active else "/deactivate")
            response = await client.post(path, data=form)
        else:
            response = await client.patch(f"/api/people/{person.id}", json={"active": active})
        assert response.status_code in (200, 303), response.text


@pytest.mark.parametrize("on_the_page", [False, True], ids=["api", "people page"])
async def test_a_feed_of_a_leaver_brought_back_stays_dead(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    subscribe: Subscribe,
    on_the_page: bool,
) -> None:
    anna = await make_person()
    path = await subscribe(anna, "person", anna.id)
    await login_as(await make_person(roles=(Role.ADMIN,)))
    await _deactivate_and_bring_back(client, anna, on_the_page=on_the_page)
    client.cookies.clear()

    assert (await client.get(path)).status_code == 404


async def test_a_leaver_brought_back_sees_their_old_feeds_as_revoked_and_may_subscribe_anew(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    await subscribe(anna, "person", anna.id)
    await login_as(await make_person(roles=(Role.ADMIN,)))
    await _deactivate_and_bring_back(client, anna)

    path = await subscribe(anna, "person", anna.id)

    await login_as(anna)
    assert [feed["revoked"] for feed in (await client.get("/api/feeds")).json()] == [False, True]
    assert (await client.get(path)).status_code == 200


async def test_deactivating_someone_revokes_their_feeds_in_the_log(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    await subscribe(anna, "person", anna.id)
    admin = await make_person(roles=(Role.ADMIN,))
    await login_as(admin)

    await client.patch(f"/api/people/{anna.id}", json={"active": False})

    await db.rollback()
    revoked = (
        await db.execute(
            select(AuditEvent.actor_id, AuditEvent.details).where(
                AuditEvent.action == "revoke", AuditEvent.object_type == "feed_token"
            )
        )
    ).one()
    assert tuple(revoked) == (admin.id, {"reason": "person_deactivated"})
