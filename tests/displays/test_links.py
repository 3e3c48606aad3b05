"""Display links: only facilities make and revoke them, the token is shown once and
stored hashed, both changes are audited, and a revoked or unknown token answers 404."""

from __future__ import annotations

import hashlib

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson, MakeSite, MakeSpace
from tests.displays.conftest import MakeLink
from werkplek.audit.models import AuditEvent
from werkplek.displays.models import DisplayLink
from werkplek.people.models import Person, Role


async def test_facilities_create_a_door_display_link_with_its_url(
    client: AsyncTestClient[Litestar],
    make_site: MakeSite,
    make_space: MakeSpace,
    facilities: Person,
) -> None:
    site = await make_site()
    room = await make_space(site, "Zaal 2.14", kind="meeting_room")
    response = await client.post(
        "/api/displays", json={"site_id": site.id, "space_id": room.id, "label": "Deur 2.14"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["url"] == f"http://testserver.local/display/{body['token']}"
    assert (body["link"]["kind"], body["link"]["space_name"]) == ("room", "Zaal 2.14")


async def test_a_link_without_a_room_is_a_lobby_screen(
    client: AsyncTestClient[Litestar],
    make_site: MakeSite,
    facilities: Person,
) -> None:
    site = await make_site()
    response = await client.post("/api/displays", json={"site_id": site.id, "label": "Hal"})
    assert response.json()["link"]["kind"] == "lobby"


async def test_an_employee_may_not_create_a_display_link(
    client: AsyncTestClient[Litestar], employee: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()
    response = await client.post("/api/displays", json={"site_id": site.id, "label": "Hal"})
    assert response.status_code == 403


async def test_an_employee_may_not_revoke_a_display_link(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    make_site: MakeSite,
    make_link: MakeLink,
) -> None:
    site = await make_site()
    token = await make_link(site.id)
    await login_as(await make_person())
    assert (await client.delete("/api/displays/1")).status_code == 403
    assert (await client.get(f"/display/{token}")).status_code == 200


async def test_the_database_holds_only_the_hash_of_a_display_token(
    db: AsyncSession, make_site: MakeSite, make_link: MakeLink
) -> None:
    site = await make_site()
    token = await make_link(site.id)
    await db.rollback()
    row = (await db.execute(select(DisplayLink))).scalar_one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    for table in ("display_links", "audit_events"):
        dump = " ".join(str(r) for r in (await db.execute(text(f"SELECT * FROM {table}"))).all())
        assert token not in dump


async def test_the_list_of_links_never_shows_a_token_again(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    make_site: MakeSite,
    make_link: MakeLink,
) -> None:
    site = await make_site()
    token = await make_link(site.id)
    await login_as(await make_person(roles=(Role.FACILITIES,)))
    response = await client.get(f"/api/displays?site_id={site.id}")
    assert response.status_code == 200
    assert token not in response.text


async def test_creating_a_link_is_audited(
    db: AsyncSession, make_site: MakeSite, make_link: MakeLink
) -> None:
    site = await make_site()
    await make_link(site.id, label="Hal")
    await db.rollback()
    event = (await db.execute(select(AuditEvent))).scalar_one()
    assert (event.action, event.object_type, event.details["label"]) == (
        "create",
        "display_link",
        "Hal",
    )


async def test_revoking_a_link_is_audited(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
    make_site: MakeSite,
    make_link: MakeLink,
) -> None:
    site = await make_site()
    await make_link(site.id)
    facilities = await make_person(roles=(Role.FACILITIES,))
    await login_as(facilities)
    assert (await client.delete("/api/displays/1")).status_code == 204
    await db.rollback()
    revoke = (
        await db.execute(select(AuditEvent).where(AuditEvent.action == "revoke"))
    ).scalar_one()
    assert (revoke.actor_id, revoke.object_type, revoke.object_id) == (
        facilities.id,
        "display_link",
        "1",
    )


async def test_a_revoked_link_answers_404(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    make_site: MakeSite,
    make_link: MakeLink,
) -> None:
    site = await make_site()
    token = await make_link(site.id)
    await login_as(await make_person(roles=(Role.FACILITIES,)))
    await client.delete("/api/displays/1")
    client.cookies.clear()
    assert (await client.get(f"/display/{token}")).status_code == 404


async def test_an_unknown_token_answers_a_dutch_404_without_details(
    client: AsyncTestClient[Litestar], make_site: MakeSite
) -> None:
    await make_site()
    response = await client.get("/display/not-a-token")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet." in response.text
    assert "Stadskantoor" not in response.text


async def test_a_room_of_another_site_is_refused_naming_space_id(
    client: AsyncTestClient[Litestar],
    make_site: MakeSite,
    make_space: MakeSpace,
    facilities: Person,
) -> None:
    site, other = await make_site(), await make_site("Satelliet")
    room = await make_space(other, "Zaal", kind="meeting_room")
    response = await client.post(
        "/api/displays", json={"site_id": site.id, "space_id": room.id, "label": "Deur"}
    )
    assert (response.status_code, response.json()["field"]) == (422, "space_id")


async def test_a_desk_is_refused_naming_space_id(
    client: AsyncTestClient[Litestar],
    make_site: MakeSite,
    make_space: MakeSpace,
    facilities: Person,
) -> None:
    site = await make_site()
    desk = await make_space(site)
    response = await client.post(
        "/api/displays", json={"site_id": site.id, "space_id": desk.id, "label": "Deur"}
    )
    assert (response.status_code, response.json()["field"]) == (422, "space_id")


async def test_a_blank_label_is_refused_naming_label_and_nothing_is_stored(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_site: MakeSite,
    facilities: Person,
) -> None:
    site = await make_site()
    response = await client.post("/api/displays", json={"site_id": site.id, "label": "  "})
    assert (response.status_code, response.json()["field"]) == (422, "label")
    assert (await db.execute(select(DisplayLink))).first() is None


async def test_the_page_makes_a_link_shown_once_with_its_qr_code(
    client: AsyncTestClient[Litestar],
    make_site: MakeSite,
    facilities: Person,
) -> None:
    site = await make_site()
    response = await client.post(
        f"/admin/sites/{site.id}/displays/", data={"space_id": "", "label": "Entreehal"}
    )
    assert response.status_code == 200
    assert "http://testserver.local/display/" in response.text
    assert 'src="data:image/svg+xml' in response.text


async def test_the_page_names_the_field_of_a_refused_link(
    client: AsyncTestClient[Litestar],
    make_site: MakeSite,
    facilities: Person,
) -> None:
    site = await make_site()
    response = await client.post(
        f"/admin/sites/{site.id}/displays/", data={"space_id": "", "label": ""}
    )
    assert response.status_code == 422
    assert 'id="label-error"' in response.text


async def test_the_page_revokes_a_link(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    make_site: MakeSite,
    make_link: MakeLink,
) -> None:
    site = await make_site()
    token = await make_link(site.id)
    await login_as(await make_person(roles=(Role.FACILITIES,)))
    response = await client.post(f"/admin/sites/{site.id}/displays/1/revoke")
    assert "De link is ingetrokken." in response.text
    client.cookies.clear()
    assert (await client.get(f"/display/{token}")).status_code == 404
