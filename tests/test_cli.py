"""The `werkplek` command as an administrator meets it: messages in the installation's
language (Dutch unless WERKPLEK_LANGUAGE says otherwise), exit status 1 when a command
fails and 2 when it was given wrongly, and an unreachable database named in one line."""

from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path

import pytest

from werkplek.cli import main
from werkplek.demo import DEMO_LOGINS, DemoSummary, summary_lines
from werkplek.i18n import using_language
from werkplek.migrate import upgrade

#: Nothing listens on port 1: connecting is refused at once.
UNREACHABLE = "postgresql://werkplek:geheim@127.0.0.1:1/werkplek"


@pytest.fixture
def command(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> object:
    """Run `werkplek ...` on an unreachable database; the exit status, stdout and stderr."""
    monkeypatch.setenv("WERKPLEK_ENV", "test")
    monkeypatch.setenv("WERKPLEK_DATABASE_URL", UNREACHABLE)
    monkeypatch.delenv("WERKPLEK_LANGUAGE", raising=False)

    def run(*argv: str) -> tuple[int, str, str]:
        try:
            code = main(list(argv))
        except SystemExit as exit_:  # argparse's own errors and --help
            code = int(exit_.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_an_unreachable_database_exits_with_status_1(command: object) -> None:
    code, _out, _err = command("purge")  # type: ignore[operator]

    assert code == 1


def test_an_unreachable_database_is_named_in_one_dutch_line_without_its_password(
    command: object,
) -> None:
    _code, _out, err = command("purge")  # type: ignore[operator]

    assert err.startswith(
        "werkplek: De database postgresql+asyncpg://werkplek:***@127.0.0.1:1/werkplek "
        "is niet bereikbaar: "
    )
    assert err.count("\n") == 1


def test_migrate_names_an_unreachable_database_instead_of_a_traceback(command: object) -> None:
    code, _out, err = command("migrate")  # type: ignore[operator]

    assert (code, "is niet bereikbaar" in err, "Traceback" in err) == (1, True, False)


def test_serve_names_an_unreachable_database_instead_of_starting(command: object) -> None:
    code, _out, err = command("serve", "--port", "8199")  # type: ignore[operator]

    assert (code, "is niet bereikbaar" in err) == (1, True)


def test_serve_gives_its_workers_the_secret_key_it_made_up_for_development(
    command: object, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WERKPLEK_SECRET_KEY", "")  # none set; restored after the test
    database = f"sqlite+aiosqlite:///{tmp_path / 'werkplek.db'}"
    monkeypatch.setenv("WERKPLEK_DATABASE_URL", database)
    upgrade(database)
    started: list[str | None] = []
    monkeypatch.setattr(
        "uvicorn.run", lambda *a, **k: started.append(os.environ.get("WERKPLEK_SECRET_KEY"))
    )

    command("serve", "--workers", "2")  # type: ignore[operator]

    assert len(started[0] or "") >= 32


def test_a_database_that_is_not_migrated_asks_for_werkplek_migrate(
    command: object, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WERKPLEK_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'new.db'}")

    code, _out, err = command("purge")  # type: ignore[operator]

    assert (code, err) == (
        1,
        "werkplek: De database is niet bijgewerkt; voer eerst `werkplek migrate` uit.\n",
    )


def test_the_command_line_speaks_english_when_werkplek_language_is_en(
    command: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WERKPLEK_LANGUAGE", "en")

    _code, _out, err = command("purge")  # type: ignore[operator]

    assert err.startswith("werkplek: Cannot reach the database ")


def test_a_bad_setting_exits_with_status_2(
    command: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WERKPLEK_SESSION_HOURS", "twaalf")

    code, _out, err = command("purge")  # type: ignore[operator]

    assert (code, "WERKPLEK_SESSION_HOURS" in err) == (2, True)


def test_a_too_short_secret_key_is_named_in_dutch_with_status_2(
    command: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WERKPLEK_SECRET_KEY", "kort")

    code, _out, err = command("purge")  # type: ignore[operator]

    assert (code, err) == (
        2,
        "werkplek: WERKPLEK_SECRET_KEY moet minstens 32 tekens lang zijn\n",
    )


def test_an_unknown_option_exits_with_status_2(command: object) -> None:
    code, _out, _err = command("purge", "--everything")  # type: ignore[operator]

    assert code == 2


def test_a_column_mapping_without_a_field_is_refused_in_dutch(command: object) -> None:
    code, _out, err = command("import-people", "people.csv", "--map", "Naam")  # type: ignore[operator]

    assert (code, "verwacht KOLOM=VELD, niet 'Naam'" in err) == (2, True)


def test_a_demo_day_that_is_no_date_is_refused_in_dutch(command: object) -> None:
    code, _out, err = command("demo", "--today", "25-11-2026")  # type: ignore[operator]

    assert (code, "verwacht een datum als JJJJ-MM-DD, niet '25-11-2026'" in err) == (2, True)


def test_an_import_file_that_cannot_be_read_exits_with_status_2(
    command: object, tmp_path: Path
) -> None:
    code, _out, _err = command("import-people", str(tmp_path / "missing.csv"))  # type: ignore[operator]

    assert code == 2


def test_the_help_names_the_exit_statuses(command: object) -> None:
    code, out, _err = command("--help")  # type: ignore[operator]

    assert (code, "Afsluitstatus: 0 als het gelukt is; 1 als" in " ".join(out.split())) == (
        0,
        True,
    )


def test_the_help_lists_the_commands_in_dutch(command: object) -> None:
    _code, out, _err = command("--help")  # type: ignore[operator]

    assert "migrate      het databaseschema aanmaken of bijwerken" in out


def test_the_help_uses_dutch_for_argparses_own_words(command: object) -> None:
    _code, out, _err = command("--help")  # type: ignore[operator]

    assert (out.startswith("gebruik: werkplek"), "\nopties:\n" in out) == (True, True)


def test_the_help_of_a_command_names_its_values_in_dutch(command: object) -> None:
    _code, out, _err = command("import-people", "--help")  # type: ignore[operator]

    assert "--map KOLOM=VELD      VELD lezen uit de kolom met de naam KOLOM" in out


def test_the_help_is_english_when_the_installation_is_english(
    command: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WERKPLEK_LANGUAGE", "en")

    _code, out, _err = command("--help")  # type: ignore[operator]

    assert (out.startswith("usage: werkplek"), "create or upgrade the database schema" in out) == (
        True,
        True,
    )


def test_the_help_is_dutch_when_the_language_setting_is_unknown(
    command: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WERKPLEK_LANGUAGE", "fr")

    _code, out, _err = command("--help")  # type: ignore[operator]

    assert out.startswith("gebruik: werkplek")


def test_a_missing_required_argument_is_reported_in_dutch_with_status_2(
    command: object,
) -> None:
    code, _out, err = command("backup")  # type: ignore[operator]

    assert (code, err.splitlines()[-1]) == (
        2,
        "werkplek backup: fout: de volgende argumenten zijn verplicht: BESTAND",
    )


def test_an_unknown_command_is_refused_in_dutch_naming_the_commands(command: object) -> None:
    code, _out, err = command("frobnicate")  # type: ignore[operator]

    assert (code, "argument opdracht: ongeldige keuze: 'frobnicate' (kies uit 'serve'" in err) == (
        2,
        True,
    )


def test_a_port_that_is_no_number_is_refused_in_dutch(command: object) -> None:
    code, _out, err = command("serve", "--port", "acht")  # type: ignore[operator]

    assert (code, "argument --port: verwacht een geheel getal, niet 'acht'" in err) == (2, True)


def test_argparse_speaks_english_again_after_the_command(command: object) -> None:
    command("--help")  # type: ignore[operator]

    assert argparse.ArgumentParser(prog="other").format_usage() == "usage: other [-h]\n"


SUMMARY = DemoSummary(
    municipality="Gemeente Westerkwartier-Noord",
    today=date(2026, 11, 25),
    sites=8,
    spaces={"desk": 53, "quiet_desk": 10},
    teams=6,
    people=80,
    logins=DEMO_LOGINS,
    desk_bookings=1020,
    room_bookings=300,
    work_locations=4000,
    weekly_patterns=800,
)


def test_the_demo_summary_is_dutch_by_default() -> None:
    lines = summary_lines(SUMMARY)

    assert lines[:2] == [
        "Gemeente Westerkwartier-Noord geladen rond woensdag 25-11-2026:",
        "  8 locaties; ruimtes: Flexplek: 53, Stilteplek: 10",
    ]


def test_the_demo_summary_writes_its_counts_as_people_read_them() -> None:
    lines = summary_lines(SUMMARY)

    assert lines[3] == "  1.020 reserveringen van werkplekken, 300 van ruimtes"


def test_the_demo_summary_says_in_dutch_what_to_try_with_each_log_in() -> None:
    lines = summary_lines(SUMMARY)

    assert any(
        line.endswith("Pieter Nijholt: beheerder: medewerkers, teams en rollen") for line in lines
    )


def test_the_demo_summary_is_english_in_english() -> None:
    with using_language("en"):
        lines = summary_lines(SUMMARY)

    assert any(
        line.endswith("Pieter Nijholt: administrator: people, teams and roles") for line in lines
    )
