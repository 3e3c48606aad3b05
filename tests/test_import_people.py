"""Importing people from CSV: `werkplek import-people` and its service."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
from litestar import Litestar
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import MakePerson, MakeTeam
from werkplek.audit.models import AuditEvent
from werkplek.cli import main
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.db import create_engine, create_sessionmaker
from werkplek.errors import InvalidInput
from werkplek.feeds.models import FeedToken
from werkplek.people.importer import ImportReport, RowError, import_people
from werkplek.people.models import ApiToken, Person, Role, Team

HEADER = "email,name,teams,lead_of,roles,topics,phone,mobile,chat_handle,language,backup_email"
ANNA = (
    "anna@gemeente.nl,Anna Bakker,Burgerzaken,,,paspoort|rijbewijs,"
    "0594 70 100,06 12 34 56 78,@anna,nl,"
)
#: Anna as the administrator: the command refuses a file that leaves nobody one.
ANNA_ADMIN = ANNA.replace("Burgerzaken,,,", "Burgerzaken,,admin,", 1)
BRAM = (
    "bram@gemeente.nl,Bram de Vries,Burgerzaken|KCC,KCC,kcc|teamlead,algemene vragen,"
    ",,,en,anna@gemeente.nl"
)


def csv(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


async def run(db: AsyncSession, clock: FixedClock, text: str, **options: Any) -> ImportReport:
    await db.commit()  # the test's reads end: the import begins as a writer
    report = await import_people(db, clock, text, **options)
    await db.commit()
    return report


async def person(db: AsyncSession, email: str) -> Person:
    statement = select(Person).where(Person.email == email)
    fresh = {"populate_existing": True}
    return (await db.execute(statement, execution_options=fresh)).scalar_one()


async def count_people(db: AsyncSession) -> int:
    return int((await db.execute(select(func.count(Person.id)))).scalar_one())


def teams_of(someone: Person) -> dict[str, bool]:
    return {m.team.name: m.is_lead for m in someone.memberships}


# --- creating -----------------------------------------------------------------------------


async def test_a_new_email_creates_a_person_with_the_files_details(
    db: AsyncSession, clock: FixedClock
) -> None:
    report = await run(db, clock, csv(ANNA))

    anna = await person(db, "anna@gemeente.nl")
    assert report.created == ["anna@gemeente.nl"]
    assert (anna.name, anna.phone, anna.mobile, anna.chat_handle, anna.language) == (
        "Anna Bakker",
        "0594 70 100",
        "06 12 34 56 78",
        "@anna",
        "nl",
    )
    assert [t.topic for t in anna.topics] == ["paspoort", "rijbewijs"]
    assert anna.password_hash is None


async def test_roles_lead_of_and_backup_are_set_from_the_file(
    db: AsyncSession, clock: FixedClock
) -> None:
    await run(db, clock, csv(ANNA, BRAM))

    anna, bram = await person(db, "anna@gemeente.nl"), await person(db, "bram@gemeente.nl")
    assert bram.role_set == {Role.KCC, Role.TEAMLEAD}
    assert teams_of(bram) == {"Burgerzaken": False, "KCC": True}
    assert bram.backup_id == anna.id


async def test_unknown_teams_are_created(
    db: AsyncSession, clock: FixedClock, make_team: MakeTeam
) -> None:
    await make_team("Burgerzaken")

    report = await run(db, clock, csv(BRAM.replace("anna@gemeente.nl", "")))

    names = set((await db.execute(select(Team.name))).scalars())
    assert names == {"Burgerzaken", "KCC"}
    assert report.teams_created == ["KCC"]


async def test_team_names_match_existing_teams_regardless_of_case(
    db: AsyncSession, clock: FixedClock, make_team: MakeTeam
) -> None:
    await make_team("Burgerzaken")

    report = await run(db, clock, csv(ANNA.replace("Burgerzaken", "BURGERZAKEN")))

    assert report.teams_created == []
    assert teams_of(await person(db, "anna@gemeente.nl")) == {"Burgerzaken": False}


async def test_dutch_role_names_are_understood(db: AsyncSession, clock: FixedClock) -> None:
    row = "carla@gemeente.nl,Carla Smit,,,teamleider|facilitair|beheerder,,,,,,"

    await run(db, clock, csv(row))

    carla = await person(db, "carla@gemeente.nl")
    assert carla.role_set == {Role.TEAMLEAD, Role.FACILITIES, Role.ADMIN}


async def test_the_kcc_role_is_understood_by_its_dutch_name(
    db: AsyncSession, clock: FixedClock
) -> None:
    row = "carla@gemeente.nl,Carla Smit,,,KCC-medewerker,,,,,,"

    await run(db, clock, csv(row))

    assert (await person(db, "carla@gemeente.nl")).role_set == {Role.KCC}


@pytest.mark.parametrize("name", ["reception", "receptie", "Gastvrouw", "gastheer"])
async def test_the_reception_role_is_understood_by_its_code_and_dutch_names(
    db: AsyncSession, clock: FixedClock, name: str
) -> None:
    row = f"roos@gemeente.nl,Roos Receptie,,,{name},,,,,,"

    await run(db, clock, csv(row))

    assert (await person(db, "roos@gemeente.nl")).role_set == {Role.RECEPTION}


@pytest.mark.parametrize("name", ["emergency", "bhv", "BHV'er"])
async def test_the_emergency_role_is_understood_by_its_code_and_dutch_names(
    db: AsyncSession, clock: FixedClock, name: str
) -> None:
    row = f"bert@gemeente.nl,Bert BHV,,,{name},,,,,,"

    await run(db, clock, csv(row))

    assert (await person(db, "bert@gemeente.nl")).role_set == {Role.EMERGENCY}


async def test_a_backup_may_be_created_by_a_later_row_of_the_same_file(
    db: AsyncSession, clock: FixedClock
) -> None:
    await run(db, clock, csv(BRAM, ANNA))

    anna, bram = await person(db, "anna@gemeente.nl"), await person(db, "bram@gemeente.nl")
    assert bram.backup_id == anna.id


# --- updating -----------------------------------------------------------------------------


async def test_importing_the_same_file_again_changes_nothing(
    db: AsyncSession, clock: FixedClock
) -> None:
    await run(db, clock, csv(ANNA, BRAM))
    events_before = (await db.execute(select(func.count(AuditEvent.id)))).scalar_one()

    report = await run(db, clock, csv(ANNA, BRAM))

    events_after = (await db.execute(select(func.count(AuditEvent.id)))).scalar_one()
    assert (report.created, report.updated) == ([], [])
    assert sorted(report.unchanged) == ["anna@gemeente.nl", "bram@gemeente.nl"]
    assert events_after == events_before


async def test_a_known_email_is_matched_regardless_of_case(
    db: AsyncSession, clock: FixedClock, make_person: MakePerson
) -> None:
    existing = await make_person("Anna B.", email="anna@gemeente.nl")

    report = await run(db, clock, csv(ANNA.replace("anna@", "ANNA@")))

    assert report.updated == ["anna@gemeente.nl"]
    assert await count_people(db) == 1
    assert (await person(db, "anna@gemeente.nl")).id == existing.id


async def test_name_teams_topics_contacts_and_roles_of_a_known_person_are_updated(
    db: AsyncSession, clock: FixedClock
) -> None:
    await run(db, clock, csv(ANNA, BRAM))
    changed = (
        "bram@gemeente.nl,Bram de Vries-Kok,Vergunningen,,kcc,bouwvergunning,0594 70 200,,,nl,"
    )

    report = await run(db, clock, csv(ANNA, changed))

    bram = await person(db, "bram@gemeente.nl")
    assert report.updated == ["bram@gemeente.nl"]
    assert bram.name == "Bram de Vries-Kok"
    assert teams_of(bram) == {"Vergunningen": False}
    assert [t.topic for t in bram.topics] == ["bouwvergunning"]
    assert (bram.phone, bram.language, bram.backup_id) == ("0594 70 200", "nl", None)
    assert bram.role_set == {Role.KCC}


async def test_columns_left_out_of_the_file_leave_those_fields_alone(
    db: AsyncSession, clock: FixedClock
) -> None:
    await run(db, clock, csv(ANNA, BRAM))

    report = await run(db, clock, csv("bram@gemeente.nl,Bram de Vries", header="email,name"))

    bram = await person(db, "bram@gemeente.nl")
    assert report.unchanged == ["bram@gemeente.nl"]
    assert teams_of(bram) == {"Burgerzaken": False, "KCC": True}
    assert bram.role_set == {Role.KCC, Role.TEAMLEAD}


# --- errors -------------------------------------------------------------------------------


async def test_an_invalid_email_is_reported_with_its_line_and_field(
    db: AsyncSession, clock: FixedClock
) -> None:
    report = await run(db, clock, csv(ANNA, "not-an-address,Nobody,,,,,,,,,"))

    assert [(e.line, e.field) for e in report.errors] == [(3, "email")]


async def test_an_unknown_role_is_reported_with_its_line_and_field(
    db: AsyncSession, clock: FixedClock
) -> None:
    report = await run(db, clock, csv(ANNA.replace(",,,paspoort", ",,burgemeester,paspoort")))

    assert [(e.line, e.field) for e in report.errors] == [(2, "roles")]
    assert "burgemeester" in report.errors[0].message


async def test_an_unknown_backup_is_reported_with_its_line_and_field(
    db: AsyncSession, clock: FixedClock
) -> None:
    report = await run(db, clock, csv(BRAM.replace("anna@", "nobody@")))

    assert [(e.line, e.field) for e in report.errors] == [(2, "backup_email")]


async def test_an_email_twice_in_the_file_is_reported_on_both_lines(
    db: AsyncSession, clock: FixedClock
) -> None:
    other_anna = ANNA.replace("Anna Bakker", "Anna Visser")

    report = await run(db, clock, csv(ANNA, "bram@gemeente.nl,Bram,,,,,,,,,", other_anna))

    assert [(e.line, e.field) for e in report.errors] == [(2, "email"), (4, "email")]


async def test_an_invalid_phone_number_and_language_are_reported(
    db: AsyncSession, clock: FixedClock
) -> None:
    row = "dirk@gemeente.nl,Dirk,,,,,call me,,,fr,"

    report = await run(db, clock, csv(row))

    assert [(e.line, e.field) for e in report.errors] == [(2, "phone"), (2, "language")]


async def test_a_row_with_fewer_cells_than_the_header_is_reported_on_its_line(
    db: AsyncSession, clock: FixedClock
) -> None:
    report = await run(db, clock, csv(ANNA, "bram@gemeente.nl,Bram de Vries,KCC"))

    assert [(e.line, e.field) for e in report.errors] == [(3, "")]
    assert report.errors[0].message == "Deze regel heeft minder velden dan de kopregel."


async def test_a_row_with_fewer_cells_than_the_header_leaves_that_person_alone(
    db: AsyncSession, clock: FixedClock
) -> None:
    await run(db, clock, csv(ANNA))

    report = await run(db, clock, csv("anna@gemeente.nl,Anna Bakker,", BRAM), skip_invalid=True)

    anna = await person(db, "anna@gemeente.nl")
    assert report.created == ["bram@gemeente.nl"]
    assert teams_of(anna) == {"Burgerzaken": False}
    assert (anna.phone, anna.mobile) == ("0594 70 100", "06 12 34 56 78")


async def test_a_dry_run_reports_a_row_with_fewer_cells_than_the_header(
    db: AsyncSession, clock: FixedClock
) -> None:
    report = await run(db, clock, csv("anna@gemeente.nl,Anna Bakker"), dry_run=True)

    assert [(e.line, e.field) for e in report.errors] == [(2, "")]


async def test_a_missing_required_column_is_reported_on_the_header_line(
    db: AsyncSession, clock: FixedClock
) -> None:
    report = await run(db, clock, csv("anna@gemeente.nl", header="email"))

    assert report.errors == [RowError(1, "name", report.errors[0].message)]
    assert await count_people(db) == 0


async def test_line_numbers_count_physical_lines_including_multiline_cells(
    db: AsyncSession, clock: FixedClock
) -> None:
    text = csv('anna@gemeente.nl,"Anna\nBakker"', "broken,Nobody", header="email,name")

    report = await run(db, clock, text)

    assert [(e.line, e.field) for e in report.errors] == [(4, "email")]


async def test_a_file_with_errors_imports_nothing(db: AsyncSession, clock: FixedClock) -> None:
    report = await run(db, clock, csv(ANNA, "not-an-address,Nobody,,,,,,,,,", BRAM))

    assert not report.applied
    assert await count_people(db) == 0
    assert (await db.execute(select(func.count(Team.id)))).scalar_one() == 0


async def test_skip_invalid_imports_the_good_rows_and_reports_the_bad(
    db: AsyncSession, clock: FixedClock
) -> None:
    report = await run(
        db, clock, csv(ANNA, "not-an-address,Nobody,,,,,,,,,", BRAM), skip_invalid=True
    )

    assert report.applied
    assert sorted(report.created) == ["anna@gemeente.nl", "bram@gemeente.nl"]
    assert [(e.line, e.field) for e in report.errors] == [(3, "email")]
    assert await count_people(db) == 2


async def test_skip_invalid_also_skips_rows_whose_backup_is_on_a_bad_row(
    db: AsyncSession, clock: FixedClock
) -> None:
    bad_anna = ANNA.replace("0594 70 100", "not a number")

    report = await run(db, clock, csv(bad_anna, BRAM), skip_invalid=True)

    assert [(e.line, e.field) for e in report.errors] == [(2, "phone"), (3, "backup_email")]
    assert await count_people(db) == 0


# --- options ------------------------------------------------------------------------------


async def test_column_mapping_and_delimiter_read_an_export_with_other_column_names(
    db: AsyncSession, clock: FixedClock
) -> None:
    text = csv(
        "Anna Bakker;ANNA@gemeente.nl;Burgerzaken;06 12 34 56 78;afdeling Noord",
        header="Naam;E-mailadres;Afdeling;Mobiel;Kostenplaats",
    )

    report = await run(
        db,
        clock,
        text,
        delimiter=";",
        column_map={
            "Naam": "name",
            "E-mailadres": "email",
            "Afdeling": "teams",
            "Mobiel": "mobile",
        },
    )

    anna = await person(db, "anna@gemeente.nl")
    assert (anna.name, anna.mobile) == ("Anna Bakker", "06 12 34 56 78")
    assert teams_of(anna) == {"Burgerzaken": False}
    assert report.ignored_columns == ["Kostenplaats"]


async def test_a_semicolon_separated_file_is_read_without_naming_the_delimiter(
    db: AsyncSession, clock: FixedClock
) -> None:
    text = csv("anna@gemeente.nl;Anna Bakker;paspoort", header="email;name;topics")

    await run(db, clock, text)

    anna = await person(db, "anna@gemeente.nl")
    assert (anna.name, [t.topic for t in anna.topics]) == ("Anna Bakker", ["paspoort"])


async def test_a_tab_separated_file_is_read_without_naming_the_delimiter(
    db: AsyncSession, clock: FixedClock
) -> None:
    await run(db, clock, csv("anna@gemeente.nl\tAnna Bakker", header="email\tname"))

    assert (await person(db, "anna@gemeente.nl")).name == "Anna Bakker"


async def test_a_separator_inside_a_quoted_header_cell_does_not_choose_the_delimiter(
    db: AsyncSession, clock: FixedClock
) -> None:
    text = csv(
        "anna@gemeente.nl,Anna Bakker,x",
        header='email,name,"Kostenplaats; afdeling; team"',
    )

    report = await run(db, clock, text)

    assert report.created == ["anna@gemeente.nl"]


async def test_dutch_column_names_are_understood_without_a_mapping(
    db: AsyncSession, clock: FixedClock
) -> None:
    text = csv(
        "anna@gemeente.nl;Anna Bakker;Burgerzaken;0594 70 100;06 12 34 56 78;en",
        header="E-mailadres;Naam;Teams;Telefoon;Mobiel;Taal",
    )

    await run(db, clock, text)

    anna = await person(db, "anna@gemeente.nl")
    assert (anna.name, anna.phone, anna.mobile, anna.language) == (
        "Anna Bakker",
        "0594 70 100",
        "06 12 34 56 78",
        "en",
    )
    assert teams_of(anna) == {"Burgerzaken": False}


async def test_a_single_team_and_role_column_named_in_dutch_is_understood(
    db: AsyncSession, clock: FixedClock
) -> None:
    text = csv("anna@gemeente.nl;Anna Bakker;Burgerzaken;teamleider", header="E-mail;Naam;Team;Rol")

    await run(db, clock, text)

    anna = await person(db, "anna@gemeente.nl")
    assert (teams_of(anna), anna.role_set) == ({"Burgerzaken": False}, frozenset({Role.TEAMLEAD}))


async def test_a_mapping_to_an_unknown_field_is_refused(
    db: AsyncSession, clock: FixedClock
) -> None:
    with pytest.raises(InvalidInput):
        await import_people(db, clock, csv(ANNA), column_map={"Naam": "full_name"})


async def test_people_missing_from_the_file_are_neither_deleted_nor_deactivated(
    db: AsyncSession, clock: FixedClock, make_person: MakePerson
) -> None:
    await make_person("Carla", email="carla@gemeente.nl")

    await run(db, clock, csv(ANNA))

    carla = await person(db, "carla@gemeente.nl")
    assert carla.active


async def test_deactivate_missing_deactivates_people_absent_from_the_file(
    db: AsyncSession, clock: FixedClock, make_person: MakePerson
) -> None:
    await make_person("Carla", email="carla@gemeente.nl")

    report = await run(db, clock, csv(ANNA), deactivate_missing=True)

    carla = await person(db, "carla@gemeente.nl")
    assert report.deactivated == ["carla@gemeente.nl"]
    assert not carla.active
    assert await count_people(db) == 2


async def test_deactivate_missing_audits_that_those_it_deactivates_are_no_longer_active(
    db: AsyncSession, clock: FixedClock, make_person: MakePerson
) -> None:
    carla = await make_person("Carla", email="carla@gemeente.nl")

    await run(db, clock, csv(ANNA), deactivate_missing=True)

    details = (
        await db.execute(
            select(AuditEvent.details).where(
                AuditEvent.object_type == "person", AuditEvent.object_id == str(carla.id)
            )
        )
    ).scalar_one()
    assert (details["fields"], details["active"]) == (["active"], False)


async def test_deactivate_missing_revokes_the_api_tokens_of_those_it_deactivates(
    db: AsyncSession, clock: FixedClock, make_person: MakePerson
) -> None:
    carla = await make_person("Carla", email="carla@gemeente.nl")
    db.add(
        ApiToken(
            person_id=carla.id,
            name="script",
            token_hash="0" * 64,
            read_only=False,
            created_at=clock.now(),
        )
    )

    await run(db, clock, csv(ANNA), deactivate_missing=True)

    revoked_at = (await db.execute(select(ApiToken.revoked_at))).scalar_one()
    assert revoked_at == clock.now()


async def test_deactivate_missing_reactivates_inactive_people_in_the_file(
    db: AsyncSession, clock: FixedClock, make_person: MakePerson
) -> None:
    await make_person("Anna Bakker", email="anna@gemeente.nl", active=False)

    await run(db, clock, csv(ANNA), deactivate_missing=True)

    assert (await person(db, "anna@gemeente.nl")).active


async def test_deactivate_missing_keeps_people_whose_row_has_errors(
    db: AsyncSession, clock: FixedClock, make_person: MakePerson
) -> None:
    await make_person("Anna Bakker", email="anna@gemeente.nl")
    bad_anna = ANNA.replace(",nl,", ",fr,")

    report = await run(db, clock, csv(bad_anna, BRAM.replace("anna@gemeente.nl", "")),
                       deactivate_missing=True, skip_invalid=True)  # fmt: skip

    assert report.deactivated == []
    assert (await person(db, "anna@gemeente.nl")).active


async def test_a_dry_run_reports_what_would_change_and_saves_nothing(
    db: AsyncSession, clock: FixedClock
) -> None:
    report = await run(db, clock, csv(ANNA, BRAM), dry_run=True)

    assert sorted(report.created) == ["anna@gemeente.nl", "bram@gemeente.nl"]
    assert report.teams_created == ["Burgerzaken", "KCC"]
    assert not report.applied
    assert await count_people(db) == 0


async def test_every_change_is_audited_with_no_actor(db: AsyncSession, clock: FixedClock) -> None:
    await run(db, clock, csv(ANNA))
    await run(db, clock, csv(ANNA.replace("Anna Bakker", "Anna Kok")))

    events = (await db.execute(select(AuditEvent).order_by(AuditEvent.id))).scalars().all()
    assert [(e.action, e.object_type, e.actor_id) for e in events] == [
        ("create", "team", None),
        ("create", "person", None),
        ("update", "person", None),
    ]
    assert events[2].details["fields"] == ["name"]


# --- the command --------------------------------------------------------------------------


@pytest.fixture
def run_command(
    app: Litestar,
    command_env: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Callable[..., tuple[int, str, str]]:
    """Run `werkplek import-people` on a file against the test database."""
    monkeypatch.setenv("WERKPLEK_LANGUAGE", "en")

    def run_it(text: str, *options: str) -> tuple[int, str, str]:
        path = tmp_path / "people.csv"
        path.write_text(text, encoding="utf-8")
        code = main(["import-people", str(path), *options])
        out, err = capsys.readouterr()
        return code, out, err

    return run_it


T = TypeVar("T")


def in_database(database_url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``work`` in a session of its own, outside the command's (and commit it)."""

    async def run_work() -> T:
        engine = create_engine(database_url)
        try:
            async with create_sessionmaker(engine)() as session:
                result = await work(session)
                await session.commit()
                return result
        finally:
            await engine.dispose()

    return asyncio.run(run_work())


def people_in(database_url: str) -> int:
    return in_database(database_url, count_people)


def test_the_command_exits_1_and_names_line_and_field_when_the_file_has_errors(
    run_command: Callable[..., tuple[int, str, str]], settings: Settings
) -> None:
    code, _out, err = run_command(csv(ANNA_ADMIN, "not-an-address,Nobody"))

    assert code == 1
    assert "line 3, email: Not a valid e-mail address." in err
    assert people_in(settings.database_url) == 0


def test_the_command_with_skip_invalid_imports_the_good_rows_and_exits_0(
    run_command: Callable[..., tuple[int, str, str]], settings: Settings
) -> None:
    code, out, err = run_command(csv(ANNA_ADMIN, "not-an-address,Nobody"), "--skip-invalid")

    assert code == 0
    assert "line 3, email" in err
    assert "Created: 1," in out
    assert people_in(settings.database_url) == 1


def test_the_command_reads_a_semicolon_file_with_mapped_columns(
    run_command: Callable[..., tuple[int, str, str]], settings: Settings
) -> None:
    text = "\ufeffMail;Naam;Rol\nanna@gemeente.nl;Anna Bakker;beheerder\n"

    code, _out, _err = run_command(
        text, "--delimiter", ";", "--map", "Mail=email", "--map", "Naam=name", "--map", "Rol=roles"
    )

    assert code == 0
    assert people_in(settings.database_url) == 1


def test_the_command_reads_a_semicolon_file_without_being_told_its_delimiter(
    run_command: Callable[..., tuple[int, str, str]], settings: Settings
) -> None:
    code, _out, _err = run_command("email;name;roles\nanna@gemeente.nl;Anna Bakker;admin\n")

    assert code == 0
    assert people_in(settings.database_url) == 1


def test_the_command_revokes_the_feeds_of_those_it_deactivates_for_good(
    run_command: Callable[..., tuple[int, str, str]], settings: Settings
) -> None:
    carla_row = "carla@gemeente.nl,Carla Smit,,,,,,,,,"

    async def carla_subscribes(session: AsyncSession) -> None:
        now = datetime.now(UTC)
        carla = Person(
            email="carla@gemeente.nl",
            name="Carla Smit",
            language="nl",
            active=True,
            hide_desk=False,
            created_at=now,
        )
        session.add(carla)
        await session.flush()
        session.add(
            FeedToken(
                created_by_id=carla.id,
                scope="person",
                scope_id=carla.id,
                token_hash="0" * 64,
                created_at=now,
            )
        )

    in_database(settings.database_url, carla_subscribes)
    run_command(csv(ANNA_ADMIN), "--deactivate-missing")
    run_command(csv(ANNA_ADMIN, carla_row), "--deactivate-missing")  # she is back

    async def carla_and_her_feed(session: AsyncSession) -> tuple[bool, bool]:
        carla = await person(session, "carla@gemeente.nl")
        revoked_at = (await session.execute(select(FeedToken.revoked_at))).scalar_one()
        return carla.active, revoked_at is not None

    assert in_database(settings.database_url, carla_and_her_feed) == (True, True)


def test_the_command_says_the_logins_tokens_and_feeds_of_those_it_deactivates_stopped(
    run_command: Callable[..., tuple[int, str, str]],
) -> None:
    run_command(csv(ANNA_ADMIN, BRAM))

    _code, out, _err = run_command(csv(ANNA_ADMIN), "--deactivate-missing")

    assert (
        "Their login sessions have ended and their API tokens and calendar subscriptions "
        "are revoked; if they come back, they make new ones." in out
    )


def test_a_dry_run_of_the_command_says_the_logins_tokens_and_feeds_would_stop(
    run_command: Callable[..., tuple[int, str, str]],
) -> None:
    run_command(csv(ANNA_ADMIN, BRAM))

    _code, out, _err = run_command(csv(ANNA_ADMIN), "--deactivate-missing", "--dry-run")

    assert (
        "Would end their login sessions and revoke their API tokens and calendar "
        "subscriptions." in out
    )


def test_the_command_says_in_dutch_that_the_logins_tokens_and_feeds_stopped(
    run_command: Callable[..., tuple[int, str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    run_command(csv(ANNA_ADMIN, BRAM))
    monkeypatch.setenv("WERKPLEK_LANGUAGE", "nl")

    _code, out, _err = run_command(csv(ANNA_ADMIN), "--deactivate-missing")

    assert "Hun inlogsessies zijn beëindigd en hun API-tokens en agenda-abonnementen" in out


def test_the_command_says_nothing_of_logins_when_nobody_is_deactivated(
    run_command: Callable[..., tuple[int, str, str]],
) -> None:
    _code, out, _err = run_command(csv(ANNA_ADMIN), "--deactivate-missing")

    assert "login sessions" not in out


def test_the_command_exits_1_and_says_so_when_the_file_leaves_no_administrator_yet(
    run_command: Callable[..., tuple[int, str, str]], settings: Settings
) -> None:
    code, _out, err = run_command(csv(ANNA))

    assert (code, "line 1, roles: There is no administrator yet" in err) == (1, True)


def test_the_command_imports_nothing_when_the_file_leaves_no_administrator_yet(
    run_command: Callable[..., tuple[int, str, str]], settings: Settings
) -> None:
    run_command(csv(ANNA), "--skip-invalid")

    assert people_in(settings.database_url) == 0


def test_the_command_exits_1_when_skip_invalid_cannot_skip_the_errors(
    run_command: Callable[..., tuple[int, str, str]],
) -> None:
    code, _out, err = run_command(csv(ANNA), "--skip-invalid")

    assert (code, "Nothing was imported: these errors cannot be skipped." in err) == (1, True)


def test_a_dry_run_of_the_command_exits_1_when_the_file_would_be_refused(
    run_command: Callable[..., tuple[int, str, str]],
) -> None:
    code, _out, _err = run_command(csv(ANNA), "--dry-run")

    assert code == 1


def test_the_command_exits_1_when_the_file_takes_the_role_from_the_last_administrator(
    run_command: Callable[..., tuple[int, str, str]],
) -> None:
    run_command(csv(ANNA_ADMIN))

    code, _out, _err = run_command(csv(ANNA), "--skip-invalid")

    assert code == 1


def test_the_command_exits_1_when_the_file_is_not_utf8(
    run_command: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes("email,name\nanna@gemeente.nl,Anna Bäcker\n".encode("cp1252"))

    assert main(["import-people", str(path)]) == 1


def test_the_command_exits_2_when_the_file_is_not_there(
    run_command: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    assert main(["import-people", str(tmp_path / "missing.csv")]) == 2


def test_the_command_exits_2_when_a_mapping_names_an_unknown_field(
    run_command: Callable[..., tuple[int, str, str]],
) -> None:
    code, _out, _err = run_command(csv(ANNA_ADMIN), "--map", "Naam=naam")

    assert code == 2


# --- the last administrator ---------------------------------------------------------------

ADMIN_HEADER = "email,name,roles"


async def test_a_file_taking_the_role_from_the_last_administrator_is_refused(
    db: AsyncSession, clock: FixedClock, make_person: MakePerson
) -> None:
    await make_person("Ada", email="ada@gemeente.nl", roles=(Role.ADMIN,))

    report = await run(
        db, clock, csv("ada@gemeente.nl,Ada,employee", header=ADMIN_HEADER), skip_invalid=True
    )

    assert ([(e.line, e.field) for e in report.errors], report.applied) == ([(2, "roles")], False)


async def test_deactivating_the_last_administrator_as_missing_from_the_file_is_refused(
    db: AsyncSession, clock: FixedClock, make_person: MakePerson
) -> None:
    await make_person("Ada", email="ada@gemeente.nl", roles=(Role.ADMIN,))

    await run(db, clock, csv(ANNA), deactivate_missing=True)

    assert (await person(db, "ada@gemeente.nl")).active


async def test_the_role_may_go_when_the_file_makes_someone_else_administrator(
    db: AsyncSession, clock: FixedClock, make_person: MakePerson
) -> None:
    await make_person("Ada", email="ada@gemeente.nl", roles=(Role.ADMIN,))

    report = await run(
        db,
        clock,
        csv("ada@gemeente.nl,Ada,employee", "bob@gemeente.nl,Bob,admin", header=ADMIN_HEADER),
    )

    assert (report.errors, report.applied) == ([], True)
