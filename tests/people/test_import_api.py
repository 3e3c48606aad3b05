"""POST /api/people/import: `werkplek import-people` for scripts, answering the report."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson
from werkplek.audit.models import AuditEvent
from werkplek.people.importer import MAX_BYTES
from werkplek.people.models import Person, Role

Client = AsyncTestClient[Litestar]

ANNA = "anna@gemeente.nl,Anna Bakker,Burgerzaken,"
ADMIN = "beheer@gemeente.nl,Beheerder,,admin"
CSV = {"Content-Type": "text/csv"}


def csv(*rows: str) -> bytes:
    return ("\n".join(["email,name,teams,roles", *rows]) + "\n").encode()


@pytest.fixture
async def admin(make_person: MakePerson, login_as: LoginAs) -> Person:
    person = await make_person("Beheerder", email="beheer@gemeente.nl", roles=(Role.ADMIN,))
    await login_as(person)
    return person


async def send(client: Client, body: bytes, **params: Any) -> Any:
    return await client.post("/api/people/import", content=body, headers=CSV, params=params)


async def emails(db: AsyncSession, *, active: bool = True) -> list[str]:
    await db.rollback()
    statement = select(Person.email).where(Person.active == active).order_by(Person.email)
    return list((await db.execute(statement)).scalars())


async def test_a_dry_run_answers_the_report_and_changes_nothing(
    client: Client, db: AsyncSession, admin: Person
) -> None:
    response = await send(client, csv(ANNA), dry_run="true")

    body = response.json()
    assert (response.status_code, body["created"], body["teams_created"]) == (
        200,
        ["anna@gemeente.nl"],
        ["Burgerzaken"],
    )
    assert (body["dry_run"], body["applied"]) == (True, False)
    assert await emails(db) == ["beheer@gemeente.nl"]


async def test_a_csv_body_is_imported(client: Client, db: AsyncSession, admin: Person) -> None:
    response = await send(client, csv(ANNA))

    assert response.json()["applied"] is True
    assert await emails(db) == ["anna@gemeente.nl", "beheer@gemeente.nl"]


async def test_a_multipart_file_is_imported(
    client: Client, db: AsyncSession, admin: Person
) -> None:
    response = await client.post("/api/people/import", files={"file": ("hr.csv", csv(ANNA))})

    assert response.json()["created"] == ["anna@gemeente.nl"]
    assert await emails(db) == ["anna@gemeente.nl", "beheer@gemeente.nl"]


async def test_an_import_is_audited_with_the_caller_as_actor(
    client: Client, db: AsyncSession, admin: Person
) -> None:
    await send(client, csv(ANNA))

    actors = (await db.execute(select(AuditEvent.actor_id))).scalars().all()
    assert set(actors) == {admin.id}


BAD_ROLE = "bram@gemeente.nl,Bram,,tovenaar"


async def test_a_file_with_errors_is_refused_with_422_import_refused_at_the_file(
    client: Client, admin: Person
) -> None:
    response = await send(client, csv(ANNA, BAD_ROLE))

    assert (response.status_code, response.json()["error"], response.json()["field"]) == (
        422,
        "import_refused",
        "file",
    )


async def test_a_refused_file_answers_each_error_by_line_and_field(
    client: Client, admin: Person
) -> None:
    response = await send(client, csv(ANNA, BAD_ROLE))

    errors = response.json()["details"]["errors"]
    assert [(e["line"], e["field"]) for e in errors] == [(3, "roles")]


async def test_a_refused_file_imports_nobody(
    client: Client, db: AsyncSession, admin: Person
) -> None:
    await send(client, csv(ANNA, BAD_ROLE))

    assert await emails(db) == ["beheer@gemeente.nl"]


async def test_a_dry_run_of_a_file_with_errors_is_refused_too(
    client: Client, admin: Person
) -> None:
    response = await send(client, csv(ANNA, BAD_ROLE), dry_run="true")

    assert (response.status_code, response.json()["error"]) == (422, "import_refused")


async def test_skip_invalid_reports_the_rows_it_skipped(client: Client, admin: Person) -> None:
    response = await send(client, csv(ANNA, BAD_ROLE), skip_invalid="true")

    assert (response.status_code, [e["line"] for e in response.json()["errors"]]) == (200, [3])


async def test_errors_that_cannot_be_skipped_are_refused_with_skip_invalid_too(
    client: Client, admin: Person
) -> None:
    response = await send(client, b"name\nAnna Bakker\n", skip_invalid="true")

    assert (response.status_code, response.json()["error"]) == (422, "import_refused")


async def test_skip_invalid_imports_the_valid_rows(
    client: Client, db: AsyncSession, admin: Person
) -> None:
    await send(client, csv(ANNA, BAD_ROLE), skip_invalid="true")

    assert await emails(db) == ["anna@gemeente.nl", "beheer@gemeente.nl"]


async def test_deactivate_missing_deactivates_those_not_in_the_file(
    client: Client, db: AsyncSession, admin: Person, make_person: MakePerson
) -> None:
    await make_person("Carla", email="carla@gemeente.nl")

    response = await send(client, csv(ANNA, ADMIN), deactivate_missing="true")

    assert response.json()["deactivated"] == ["carla@gemeente.nl"]
    assert await emails(db, active=False) == ["carla@gemeente.nl"]


async def test_a_file_that_is_not_utf8_is_422_not_utf8_at_the_file(
    client: Client, admin: Person
) -> None:
    response = await send(client, "email,name\nzoë@x.nl,Zoë\n".encode("cp1252"))

    assert (response.status_code, response.json()["error"], response.json()["field"]) == (
        422,
        "not_utf8",
        "file",
    )


async def test_an_empty_body_is_422_file_missing(client: Client, admin: Person) -> None:
    response = await send(client, b"")

    assert (response.status_code, response.json()["error"]) == (422, "file_missing")


async def test_a_file_over_the_limit_is_413_too_large(client: Client, admin: Person) -> None:
    response = await send(client, b"x" * (MAX_BYTES + 1))

    assert (response.status_code, response.json()["error"], response.json()["field"]) == (
        413,
        "too_large",
        "file",
    )


async def test_importing_people_is_forbidden_to_all_but_administrators(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person(roles=(Role.TEAMLEAD, Role.FACILITIES, Role.KCC)))

    response = await send(client, csv(ANNA))

    assert response.status_code == 403
    assert "anna@gemeente.nl" not in await emails(db)
