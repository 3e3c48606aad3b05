"""The administrator's page "Medewerkers importeren": a CSV file (an HR export) is first
previewed, with nothing saved, and then imported exactly as previewed, as
`werkplek import-people` imports it."""

from __future__ import annotations

import base64
import re
from datetime import timedelta
from html import unescape

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson
from werkplek.audit.models import AuditEvent
from werkplek.clock import FixedClock
from werkplek.people.importer import FIELDS, MAX_BYTES
from werkplek.people.models import Person, Role

Client = AsyncTestClient[Litestar]

HEADER = "email,name,teams,roles"
ANNA = "anna@gemeente.nl,Anna Bakker,Burgerzaken,"
BRAM = "bram@gemeente.nl,Bram de Vries,KCC,kcc"
BAD = "carla@gemeente.nl,Carla Smit,,tovenaar"


def csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


@pytest.fixture
async def admin(make_person: MakePerson, login_as: LoginAs) -> Person:
    """The client is logged in as the administrator (who is in none of the files)."""
    person = await make_person("Beheerder", email="beheer@gemeente.nl", roles=(Role.ADMIN,))
    await login_as(person)
    return person


async def preview(client: Client, data: bytes, **options: str) -> str:
    response = await client.post(
        "/admin/people/import", data=options, files={"file": ("hr.csv", data, "text/csv")}
    )
    assert response.status_code == 200, response.text
    return response.text


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match is not None, f"the page has no hidden {name}"
    return unescape(match.group(1))


async def apply(client: Client, html: str, **changed: str) -> str:
    """Press the preview's import button (with ``changed`` hidden fields, as a forger)."""
    fields = {"content": hidden(html, "content"), "sealed": hidden(html, "sealed"), **changed}
    response = await client.post("/admin/people/import/apply", files={}, data=fields)
    return response.text


async def emails(db: AsyncSession, *, active: bool = True) -> list[str]:
    await db.rollback()
    statement = select(Person.email).where(Person.active == active).order_by(Person.email)
    return list((await db.execute(statement)).scalars())


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


# --- the form -----------------------------------------------------------------------------


async def test_the_people_list_links_to_the_import_page(client: Client, admin: Person) -> None:
    response = await client.get("/admin/people")

    assert 'href="/admin/people/import">Medewerkers importeren</a>' in response.text


async def test_the_import_page_explains_every_column_in_dutch(
    client: Client, admin: Person
) -> None:
    page = text_of((await client.get("/admin/people/import")).text)

    assert all(f"{field} " in page for field in FIELDS)
    assert "E-mailadres; hieraan wordt de medewerker herkend. Verplicht." in page
    assert "Meerdere waarden gescheiden door |." in page


async def test_the_import_page_names_the_dutch_column_names_it_reads_too(
    client: Client, admin: Person
) -> None:
    page = text_of((await client.get("/admin/people/import")).text)

    assert "name of: naam" in page


async def test_the_import_page_warns_that_deactivating_the_missing_is_for_complete_exports(
    client: Client, admin: Person
) -> None:
    page = text_of((await client.get("/admin/people/import")).text)

    assert "Medewerkers die niet in het bestand staan deactiveren" in page
    assert "Alleen voor een volledige export van alle medewerkers." in page


async def test_the_example_file_has_a_column_for_every_field(client: Client, admin: Person) -> None:
    response = await client.get("/admin/people/import/example.csv")

    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.text.removeprefix("\ufeff").splitlines()[0] == ";".join(FIELDS)


async def test_the_example_file_previews_without_errors(client: Client, admin: Person) -> None:
    example = (await client.get("/admin/people/import/example.csv")).content

    page = await preview(client, example)

    assert "Fouten 0" in text_of(page)
    assert "Importeren" in page


# --- the preview --------------------------------------------------------------------------


async def test_a_preview_counts_the_new_changed_and_unchanged_people(
    client: Client, admin: Person, make_person: MakePerson
) -> None:
    await make_person("Anna Bakker", email="anna@gemeente.nl")
    await make_person("Bram", email="bram@gemeente.nl")

    page = text_of(await preview(client, csv(ANNA.replace(",Burgerzaken,", ",,"), BRAM,
                                             "dirk@gemeente.nl,Dirk,,")))  # fmt: skip

    assert "Voorbeeld: er is nog niets opgeslagen" in page
    assert "Nieuw 1 Gewijzigd 1 Ongewijzigd 1 Gedeactiveerd 0" in page


async def test_a_preview_saves_nothing(client: Client, db: AsyncSession, admin: Person) -> None:
    await preview(client, csv(ANNA, BRAM), deactivate_missing="on")

    assert await emails(db) == ["beheer@gemeente.nl"]
    assert (await db.execute(select(func.count(AuditEvent.id)))).scalar_one() == 0


async def test_a_preview_names_each_error_by_line_and_field(client: Client, admin: Person) -> None:
    page = text_of(await preview(client, csv(ANNA, BAD)))

    assert "Regel Veld Probleem 3 roles Onbekende rol: tovenaar." in page


async def test_a_file_with_errors_offers_no_import_and_says_why(
    client: Client, admin: Person
) -> None:
    page = await preview(client, csv(ANNA, BAD))

    assert "/admin/people/import/apply" not in page
    assert "Er zou niets worden geïmporteerd, omdat het bestand fouten bevat." in text_of(page)


async def test_a_file_with_errors_may_be_imported_skipping_them(
    client: Client, db: AsyncSession, admin: Person
) -> None:
    page = await preview(client, csv(ANNA, BAD), skip_invalid="on")
    assert "1 regel bevat fouten en wordt overgeslagen." in text_of(page)

    await apply(client, page)

    assert await emails(db) == ["anna@gemeente.nl", "beheer@gemeente.nl"]


async def test_a_preview_of_deactivating_the_missing_warns_with_their_number(
    client: Client, admin: Person, make_person: MakePerson
) -> None:
    await make_person("Carla", email="carla@gemeente.nl")
    await make_person("Dirk", email="dirk@gemeente.nl")

    page = text_of(await preview(client, csv(ANNA, "beheer@gemeente.nl,Beheerder,,admin"),
                                 deactivate_missing="on"))  # fmt: skip

    assert "2 medewerkers staan niet in het bestand en worden gedeactiveerd." in page
    assert "Importeren en 2 medewerkers deactiveren" in page


async def test_a_file_that_is_not_utf8_is_refused_with_the_commands_message(
    client: Client, admin: Person
) -> None:
    response = await client.post(
        "/admin/people/import",
        files={"file": ("hr.csv", "email,name\nzoë@x.nl,Zoë\n".encode("cp1252"))},
    )

    assert response.status_code == 422
    assert (
        "Het bestand is niet in UTF-8; sla het op als CSV UTF-8 en probeer het opnieuw."
        in response.text
    )
    assert 'id="file" name="file" type="file"' in response.text


async def test_a_file_saved_by_excel_as_csv_utf8_is_read(
    client: Client, db: AsyncSession, admin: Person
) -> None:
    page = await preview(client, "\ufeff".encode() + csv("zoe@gemeente.nl,Zoë Ünal,,"))

    await apply(client, page)

    names = await db.execute(select(Person.name).where(Person.email == "zoe@gemeente.nl"))
    assert names.scalar_one() == "Zoë Ünal"


async def test_a_file_over_the_limit_is_413_with_a_message(client: Client, admin: Person) -> None:
    too_big = csv(*[ANNA] * (MAX_BYTES // len(ANNA) + 1))

    response = await client.post("/admin/people/import", files={"file": ("hr.csv", too_big)})

    assert response.status_code == 413
    assert "Het bestand is groter dan 2 MB" in response.text


async def test_no_file_is_422_at_the_field(client: Client, admin: Person) -> None:
    response = await client.post("/admin/people/import", files={"file": ("hr.csv", b"")})

    assert response.status_code == 422
    assert "Kies een CSV-bestand." in response.text


# --- importing ----------------------------------------------------------------------------


async def test_importing_the_previewed_file_creates_the_people(
    client: Client, db: AsyncSession, admin: Person
) -> None:
    page = await apply(client, await preview(client, csv(ANNA, BRAM)))

    assert "Het bestand is geïmporteerd." in page
    assert await emails(db) == ["anna@gemeente.nl", "beheer@gemeente.nl", "bram@gemeente.nl"]


async def test_an_import_is_audited_with_the_administrator_as_actor(
    client: Client, db: AsyncSession, admin: Person
) -> None:
    await apply(client, await preview(client, csv(ANNA)))

    events = (await db.execute(select(AuditEvent).order_by(AuditEvent.id))).scalars().all()
    assert [(e.action, e.object_type, e.actor_id, e.details["source"]) for e in events] == [
        ("create", "team", admin.id, "import"),
        ("create", "person", admin.id, "import"),
    ]


async def test_importing_deactivates_those_missing_when_previewed_so(
    client: Client, db: AsyncSession, admin: Person, make_person: MakePerson
) -> None:
    await make_person("Carla", email="carla@gemeente.nl")
    file = csv(ANNA, "beheer@gemeente.nl,Beheerder,,admin")

    await apply(client, await preview(client, file, deactivate_missing="on"))

    assert await emails(db, active=False) == ["carla@gemeente.nl"]


async def test_nobody_is_deactivated_who_was_not_in_the_preview(
    client: Client, db: AsyncSession, admin: Person, make_person: MakePerson
) -> None:
    page = await preview(client, csv(ANNA, "beheer@gemeente.nl,Beheerder,,admin"),
                         deactivate_missing="on")  # fmt: skip
    await make_person("Carla", email="carla@gemeente.nl")  # e.g. her first single sign-on

    again = text_of(await apply(client, page))

    assert await emails(db) == ["beheer@gemeente.nl", "carla@gemeente.nl"]
    assert "sinds het voorbeeld is veranderd wie er gedeactiveerd zou worden" in again
    assert "1 medewerker staat niet in het bestand en wordt gedeactiveerd." in again


async def test_the_import_uses_the_options_previewed_not_those_sent_with_it(
    client: Client, db: AsyncSession, admin: Person, make_person: MakePerson
) -> None:
    await make_person("Carla", email="carla@gemeente.nl")

    await apply(client, await preview(client, csv(ANNA)), deactivate_missing="on")

    assert "carla@gemeente.nl" in await emails(db)


async def test_a_file_altered_after_its_preview_is_not_imported(
    client: Client, db: AsyncSession, admin: Person
) -> None:
    page = await preview(client, csv(ANNA))
    altered = base64.b64encode(csv(ANNA, BRAM)).decode()
    response = await client.post(
        "/admin/people/import/apply",
        files={},
        data={"content": altered, "sealed": hidden(page, "sealed")},
    )

    assert response.status_code == 422
    assert "Het voorbeeld is verlopen of hoort niet meer bij het bestand" in response.text
    assert await emails(db) == ["beheer@gemeente.nl"]


async def test_a_seal_sent_as_a_file_is_refused_as_an_altered_one(
    client: Client, db: AsyncSession, admin: Person
) -> None:
    page = await preview(client, csv(ANNA))

    response = await client.post(
        "/admin/people/import/apply",
        data={"content": hidden(page, "content")},
        files={"sealed": ("seal.txt", hidden(page, "sealed").encode())},
    )

    assert response.status_code == 422
    assert await emails(db) == ["beheer@gemeente.nl"]


async def test_a_preview_older_than_an_hour_is_not_imported(
    client: Client, db: AsyncSession, clock: FixedClock, admin: Person
) -> None:
    page = await preview(client, csv(ANNA))
    clock.advance(timedelta(hours=1, minutes=1))

    await apply(client, page)

    assert await emails(db) == ["beheer@gemeente.nl"]


async def test_another_administrators_preview_is_not_imported(
    client: Client, db: AsyncSession, admin: Person, make_person: MakePerson, login_as: LoginAs
) -> None:
    page = await preview(client, csv(ANNA))
    await login_as(await make_person("Tweede beheerder", roles=(Role.ADMIN,)))

    await apply(client, page)

    assert "anna@gemeente.nl" not in await emails(db)


# --- who may ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/admin/people/import"),
        ("GET", "/admin/people/import/example.csv"),
        ("POST", "/admin/people/import"),
        ("POST", "/admin/people/import/apply"),
    ],
)
async def test_importing_people_is_forbidden_to_all_but_administrators(
    client: Client, make_person: MakePerson, login_as: LoginAs, method: str, path: str
) -> None:
    await login_as(await make_person(roles=(Role.TEAMLEAD, Role.FACILITIES)))

    files = {"file": ("hr.csv", csv(ANNA))} if method == "POST" else None
    response = await client.request(method, path, files=files)

    assert response.status_code == 403


async def test_a_body_over_the_limit_from_the_browser_form_is_413_with_a_message(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    headers = await login_as(await make_person(roles=(Role.ADMIN,)))
    del client.headers["X-CSRF-Token"]  # a browser sends the token in the form
    too_big = csv(*[ANNA] * (2 * MAX_BYTES // len(ANNA)))  # over the request's own limit

    response = await client.post(
        "/admin/people/import",
        data={"_csrf": headers["X-CSRF-Token"]},
        files={"file": ("hr.csv", too_big)},
    )

    assert response.status_code == 413
    assert "Het verzonden bestand of formulier is te groot." in response.text
