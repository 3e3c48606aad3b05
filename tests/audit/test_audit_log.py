"""Admins read the audit log: filtered by actor, object type and date, newest first, paged."""

from __future__ import annotations

from datetime import timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import DEFAULT_NOW, LoginAs, MakePerson
from tests.stacked_tables import assert_stacks_on_phone
from werkplek.audit.models import AuditEvent
from werkplek.people.models import Person, Role


async def _events(db: AsyncSession, actor: Person, other: Person) -> None:
    for days, who, kind in [(0, actor, "booking"), (1, other, "space"), (3, actor, "person")]:
        db.add(
            AuditEvent(
                at=DEFAULT_NOW - timedelta(days=days),
                actor_id=who.id,
                action="update",
                object_type=kind,
                object_id="7",
                details={"fields": ["name"]},
            )
        )
    await db.commit()


async def _admin_and_colleague(
    db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> tuple[Person, Person]:
    admin = await make_person("Ada", roles=(Role.ADMIN,))
    colleague = await make_person("Cor")
    await _events(db, admin, colleague)
    await login_as(admin)
    return admin, colleague


async def test_the_api_lists_events_newest_first(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin_and_colleague(db, make_person, login_as)
    body = (await client.get("/api/audit")).json()
    assert body["total"] == 3
    assert [e["object_type"] for e in body["events"]] == ["booking", "space", "person"]
    assert body["events"][0]["actor"]["name"] == "Ada"


async def test_the_api_filters_by_actor_object_type_and_date(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    _admin, colleague = await _admin_and_colleague(db, make_person, login_as)
    by_actor = (await client.get("/api/audit", params={"actor_id": colleague.id})).json()
    assert [e["object_type"] for e in by_actor["events"]] == ["space"]
    by_type = (await client.get("/api/audit", params={"object_type": "person"})).json()
    assert by_type["total"] == 1
    by_date = (
        await client.get("/api/audit", params={"since": "2026-11-23", "until": "2026-11-24"})
    ).json()
    assert [e["object_type"] for e in by_date["events"]] == ["space"]


async def test_the_api_pages(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin_and_colleague(db, make_person, login_as)
    body = (await client.get("/api/audit", params={"limit": 2, "offset": 2})).json()
    assert (body["total"], [e["object_type"] for e in body["events"]]) == (3, ["person"])


async def test_an_end_before_the_start_is_refused_naming_the_field(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin_and_colleague(db, make_person, login_as)
    response = await client.get("/api/audit", params={"since": "2026-11-25", "until": "2026-11-01"})
    assert (response.status_code, response.json()["field"]) == (422, "until")


async def test_the_page_shows_filtered_events_and_links_to_older_ones(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    admin, _ = await _admin_and_colleague(db, make_person, login_as)
    for _i in range(50):
        db.add(
            AuditEvent(
                at=DEFAULT_NOW,
                actor_id=admin.id,
                action="create",
                object_type="booking",
                object_id="1",
                details={},
            )
        )
    await db.commit()
    page = await client.get("/admin/audit", params={"object_type": "booking"})
    assert page.status_code == 200
    assert "51 gebeurtenissen" in page.text
    assert "offset=50" in page.text and 'rel="prev"' not in page.text
    older = await client.get("/admin/audit", params={"object_type": "booking", "offset": 50})
    assert older.text.count("<tr>") == 2  # the header and the one event left
    assert 'rel="prev"' in older.text


async def test_the_api_filters_by_one_object(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin_and_colleague(db, make_person, login_as)
    db.add(_event("space", "8"))
    await db.commit()

    body = (
        await client.get("/api/audit", params={"object_type": "space", "object_id": "8"})
    ).json()

    assert [(e["object_type"], e["object_id"]) for e in body["events"]] == [("space", "8")]


async def test_an_object_number_without_its_kind_is_refused_at_the_kind(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin_and_colleague(db, make_person, login_as)

    response = await client.get("/api/audit", params={"object_id": "7"})

    assert (response.status_code, response.json()["field"]) == (422, "object_type")


def _event(object_type: str, object_id: str) -> AuditEvent:
    return AuditEvent(
        at=DEFAULT_NOW,
        actor_id=None,
        action="update",
        object_type=object_type,
        object_id=object_id,
        details={"fields": ["name"]},
    )


async def test_the_page_lists_only_the_events_about_one_person(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin_and_colleague(db, make_person, login_as)
    bram = await make_person("Bram")
    db.add(_event("person", str(bram.id)))
    await db.commit()

    page = await client.get(
        "/admin/audit", params={"object_type": "person", "object_id": str(bram.id)}
    )

    assert ">1 gebeurtenis</p>" in page.text
    assert f"Alleen de gebeurtenissen over Persoon {bram.id} (Bram)." in page.text


async def test_the_page_keeps_the_object_when_filtered_again(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin_and_colleague(db, make_person, login_as)

    page = await client.get("/admin/audit", params={"object_type": "space", "object_id": "7"})

    assert '<input type="hidden" name="object_id" value="7">' in page.text


async def test_the_page_links_back_to_every_object(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin_and_colleague(db, make_person, login_as)

    page = await client.get("/admin/audit", params={"object_type": "space", "object_id": "7"})

    assert '<a href="/admin/audit?object_type=space">Alle objecten tonen</a>' in page.text


async def test_the_page_marks_an_object_number_without_its_kind(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin_and_colleague(db, make_person, login_as)

    page = await client.get("/admin/audit", params={"object_id": "7"})

    assert page.status_code == 422
    assert 'id="object_type-error"' in page.text


async def test_an_admin_finds_a_persons_history_from_their_page(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person("Anna")
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))

    page = await client.get(f"/admin/people/{anna.id}")

    assert f'href="/admin/audit?object_type=person&amp;object_id={anna.id}"' in page.text


async def test_the_page_names_a_bad_date(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin_and_colleague(db, make_person, login_as)
    page = await client.get("/admin/audit", params={"since": "gisteren"})
    assert page.status_code == 422
    assert 'id="since-error"' in page.text


async def test_the_page_table_stacks_on_a_phone(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin_and_colleague(db, make_person, login_as)

    page = (await client.get("/admin/audit")).text

    table = assert_stacks_on_phone(page, "audit-log")
    assert table.headers == ["Wanneer", "Wie", "Actie", "Object", "Gegevens"]
