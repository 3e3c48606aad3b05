"""The ``werkplek`` command: serve, migrate, purge, backup, demo, users, import-people.

It speaks the installation's language (``WERKPLEK_LANGUAGE``, Dutch unless set), its help
and argparse's own words included, and exits with 0 when done, 1 when the command failed
(``FAILED``: the database cannot be reached or is not migrated, a rule refused it, a file
has errors) and 2 when it was given wrongly (``USAGE``: an unknown option, a bad
``WERKPLEK_*`` setting, a value or file it cannot use), as argparse does for its own errors.
"""

from __future__ import annotations

import argparse
import asyncio
import contextvars
import os
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from werkplek.clock import SystemClock
from werkplek.config import Settings, SettingsError
from werkplek.db import create_engine, create_sessionmaker, session_scope
from werkplek.errors import DomainError
from werkplek.i18n import (
    N_,
    _,
    current_language,
    format_number,
    readable_counts,
    set_language,
    translations,
)

if TYPE_CHECKING:
    from werkplek.leavers import PeopleImport
    from werkplek.people.importer import ImportReport
    from werkplek.people.schemas import PersonCreate

#: The exit status of a command that failed, and of one given wrongly (as argparse's own).
FAILED = 1
USAGE = 2

EXIT_STATUSES = N_(
    "Exit status: 0 when done; 1 when the command failed (the database cannot be reached "
    "or is not migrated, a rule refused it, the file has errors); 2 when it was given "
    "wrongly (an unknown option, a bad WERKPLEK_* setting, a value or file it cannot use). "
    "Messages are in WERKPLEK_LANGUAGE (nl unless set)."
)


class CommandFailed(Exception):
    """What stops a command, in the command's language, with its exit status."""

    def __init__(self, message: str, status: int = FAILED) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def _unreachable(database_url: str, exc: BaseException) -> CommandFailed:
    """The database named without its password, and the driver's own reason."""
    reason = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    return CommandFailed(
        _(
            "Cannot reach the database %(database)s: %(error)s",
            database=make_url(database_url).render_as_string(hide_password=True),
            error=str(reason).strip() or type(reason).__name__,
        )
    )


async def _reach(engine: AsyncEngine, database_url: str, *, migrated: bool = True) -> None:
    """Make sure the database answers (and, with ``migrated``, that its schema is the
    code's) before a command does anything, so that it fails with one clear line."""
    from sqlalchemy import text

    from werkplek.migrate import DatabaseNotMigrated, ensure_migrated

    try:
        if migrated:
            await ensure_migrated(engine, database_url)
        else:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
    except DatabaseNotMigrated as exc:
        raise CommandFailed(
            _("The database is not up to date; run `werkplek migrate` first.")
        ) from exc
    except (SQLAlchemyError, OSError) as exc:
        raise _unreachable(database_url, exc) from exc


def _run_with_session(settings: Settings, work: Callable[[Any], Awaitable[int]]) -> int:
    """Run ``work`` in one transaction, committed when it returns, on a database that
    answers and is migrated; losing the database on the way fails as unreachable."""
    from werkplek.web import is_database_outage

    async def main() -> int:
        engine = create_engine(settings.database_url)
        try:
            await _reach(engine, settings.database_url)
            async with session_scope(create_sessionmaker(engine)) as session:
                return await work(session)
        finally:
            await engine.dispose()

    try:
        return asyncio.run(main())
    except (SQLAlchemyError, OSError) as exc:
        if is_database_outage(exc):
            raise _unreachable(settings.database_url, exc) from exc
        raise


def _check_database(settings: Settings, *, migrated: bool = True) -> None:
    """``_reach`` on its own, for a command that opens the database itself."""

    async def reach() -> None:
        engine = create_engine(settings.database_url)
        try:
            await _reach(engine, settings.database_url, migrated=migrated)
        finally:
            await engine.dispose()

    asyncio.run(reach())


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    # The app refuses to start on such a database as well, but in a traceback per worker.
    _check_database(settings)
    # Each worker reads the settings again: a key made up for development (none was set)
    # goes to them, else each made up its own and refused what another had sealed (a
    # sign-on in progress, a people import's preview).
    if not os.environ.get("WERKPLEK_SECRET_KEY"):
        os.environ["WERKPLEK_SECRET_KEY"] = settings.secret_key
    uvicorn.run(
        "werkplek.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=True,
        log_level="info",
    )
    return 0


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> int:
    from werkplek.migrate import upgrade

    _check_database(settings, migrated=False)
    upgrade(settings.database_url)
    print(_("The database is up to date."))
    return 0


def cmd_purge(settings: Settings, args: argparse.Namespace) -> int:
    from werkplek.privacy.services import purge

    async def work(session: Any) -> int:
        result = await purge(session, SystemClock(), settings)
        print(
            _(
                "Removed past their retention time: %(notes)s callback notes, %(days)s "
                "work-location days, %(addresses)s field-visit addresses, %(visitors)s "
                "expected visitors, %(roll_calls)s emergency roll calls and %(events)s audit "
                "events.",
                **readable_counts(
                    {
                        "notes": result.callback_notes,
                        "days": result.work_locations,
                        "addresses": result.visit_addresses,
                        "visitors": result.visitors,
                        "roll_calls": result.roll_calls,
                        "events": result.audit_events,
                    }
                ),
            )
        )
        return 0

    return _run_with_session(settings, work)


def cmd_backup(settings: Settings, args: argparse.Namespace) -> int:
    import sqlite3

    from werkplek.privacy.services import BackupNotSupported, DatabaseFileMissing, backup

    try:
        pages = backup(settings.database_url, args.file)
    except DatabaseFileMissing as exc:
        raise CommandFailed(str(exc)) from exc
    except BackupNotSupported as exc:
        raise CommandFailed(str(exc), USAGE) from exc
    except (OSError, sqlite3.Error) as exc:  # the new file cannot be made there
        raise CommandFailed(f"{args.file}: {exc}", USAGE) from exc
    print(
        _("Backed up %(pages)s pages to %(file)s.", pages=format_number(pages, 0), file=args.file)
    )
    return 0


def cmd_users_create(settings: Settings, args: argparse.Namespace) -> int:
    """Check what can be checked before asking for the password (the address, the name,
    that the database answers and nobody has the address yet), then create the person."""
    import getpass

    from werkplek.people.services import create_person, email_in_use

    data = _person_create(args)

    async def unused(session: Any) -> int:
        if await email_in_use(session, data.email):
            raise CommandFailed(_("This e-mail address is already in use."))
        return 0

    _run_with_session(settings, unused)
    password = args.password
    if password is None:
        try:
            password = getpass.getpass(_("Password (at least 12 characters): "))
        except (EOFError, KeyboardInterrupt):  # nothing to read it from, or Ctrl-C
            print(file=sys.stderr)
            raise CommandFailed(
                _("No password was given; nobody was created. Give one with --password."),
                USAGE,
            ) from None
    data = _person_create(args, password)

    async def work(session: Any) -> int:
        person = await create_person(session, SystemClock(), None, data)
        print(_("Created person %(id)s <%(email)s>.", id=person.id, email=person.email))
        return 0

    return _run_with_session(settings, work)


def _person_create(args: argparse.Namespace, password: str | None = None) -> PersonCreate:
    """The person ``users create`` makes, checked as the API checks one; a wrong value is
    wrong usage, named by its option."""
    from werkplek.people.schemas import PersonCreate
    from werkplek.web import FormInvalid, convert_form

    raw = {"email": args.email, "name": args.name, "roles": args.role or ["employee"]}
    if password is not None:
        raw["password"] = password
    try:
        return convert_form(raw, PersonCreate)
    except FormInvalid as exc:
        problems = " ".join(f"--{field}: {text}" for field, text in exc.errors.items())
        raise CommandFailed(problems, USAGE) from exc


def cmd_demo(settings: Settings, args: argparse.Namespace) -> int:
    from werkplek.clock import AMSTERDAM, Clock, FixedClock
    from werkplek.demo import DemoSummary, load_demo, summary_lines

    clock: Clock = SystemClock()
    if args.today is not None:
        clock = FixedClock(datetime.combine(args.today, time(10, 0), tzinfo=AMSTERDAM))

    loaded: list[DemoSummary | None] = []

    async def work(session: Any) -> int:
        loaded.append(await load_demo(session, clock, if_empty=args.if_empty))
        return 0

    _run_with_session(settings, work)  # committed before anything is printed
    if loaded[0] is None:
        print(_("The database already holds people or sites; the demo was not loaded."))
    else:
        print("\n".join(summary_lines(loaded[0])))
    return 0


def _column_mapping(text: str) -> tuple[str, str]:
    column, sep, field = text.partition("=")
    if not sep or not column.strip() or not field.strip():
        raise argparse.ArgumentTypeError(_("expected COLUMN=FIELD, got %(text)r", text=text))
    return column.strip(), field.strip()


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("expected a whole number, got %(text)r", text=text)
        ) from None


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("expected a date as YYYY-MM-DD, got %(text)r", text=text)
        ) from None


def _delimiter(text: str) -> str:
    value = {"tab": "\t", "\\t": "\t"}.get(text, text)
    if len(value) != 1:
        raise argparse.ArgumentTypeError(
            _("a delimiter is one character (or 'tab'), got %(text)r", text=text)
        )
    return value


def cmd_import_people(settings: Settings, args: argparse.Namespace) -> int:
    from werkplek.people.importer import FIELDS, ImportOptions, decode

    path: Path = args.file
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CommandFailed(f"{path}: {exc.strerror or exc}", USAGE) from exc
    text = decode(data)  # not UTF-8: refused (status 1), as a file with errors
    mapping = dict(args.map)
    unknown = sorted(set(mapping.values()) - set(FIELDS))
    if unknown:
        raise CommandFailed(
            _(
                "Unknown field %(field)s in --map; known fields: %(fields)s.",
                field=", ".join(unknown),
                fields=", ".join(FIELDS),
            ),
            USAGE,
        )
    options = ImportOptions(
        skip_invalid=args.skip_invalid, deactivate_missing=args.deactivate_missing
    )
    done: list[PeopleImport] = []

    async def work(session: Any) -> int:
        from werkplek.leavers import import_people

        done.append(
            await import_people(
                session,
                SystemClock(),
                None,
                text,
                options,
                dry_run=args.dry_run,
                column_map=mapping,
                delimiter=args.delimiter,
                require_admin=True,
            )
        )
        return 0

    _run_with_session(settings, work)  # committed before anything is printed
    status = _print_report(done[0].report, skip_invalid=args.skip_invalid)
    _print_leavers(done[0].report, len(done[0].cancelled))
    return status


def _print_leavers(report: ImportReport, bookings: int) -> None:
    """Who is (or would be) deactivated, how many of their bookings are cancelled, and that
    their logins, API tokens and calendar feeds stop."""
    if not report.deactivated or not (report.applied or report.dry_run):
        return
    people = ", ".join(report.deactivated)
    if report.applied:
        print(_("Deactivated: %(people)s", people=people))
        print(
            _(
                "Cancelled bookings of deactivated people that had not started: %(count)s.",
                count=bookings,
            )
        )
        print(
            _(
                "Their login sessions have ended and their API tokens and calendar "
                "subscriptions are revoked; if they come back, they make new ones."
            )
        )
    else:
        print(_("Would deactivate: %(people)s", people=people))
        print(
            _(
                "Would cancel bookings of deactivated people that have not started: %(count)s.",
                count=bookings,
            )
        )
        print(
            _(
                "Would end their login sessions and revoke their API tokens and calendar "
                "subscriptions."
            )
        )


def _print_report(report: ImportReport, *, skip_invalid: bool) -> int:
    """Print what the import did, errors on stderr; the exit status: 1 when the file is
    refused (on a dry run: would be), else 0. (2: the command could not run as asked.)"""
    for error in report.errors:
        print(
            _(
                "line %(line)s, %(field)s: %(problem)s",
                line=error.line,
                field=error.field or "-",
                problem=error.message,
            ),
            file=sys.stderr,
        )
    if report.ignored_columns:
        print(_("Ignored columns: %(columns)s", columns=", ".join(report.ignored_columns)))
    counts = {
        "created": len(report.created),
        "updated": len(report.updated),
        "unchanged": len(report.unchanged),
        "deactivated": len(report.deactivated),
        "teams": len(report.teams_created),
    }
    if report.applied:
        print(
            _(
                "Created: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s, "
                "deactivated: %(deactivated)s, new teams: %(teams)s.",
                **counts,
            )
        )
    else:
        print(
            _(
                "Would create: %(created)s, update: %(updated)s, leave unchanged: "
                "%(unchanged)s, deactivate: %(deactivated)s, create teams: %(teams)s.",
                **counts,
            )
        )
    if report.dry_run:
        print(_("Dry run: nothing was saved."))
    elif report.refused and skip_invalid:
        print(_("Nothing was imported: these errors cannot be skipped."), file=sys.stderr)
    elif report.refused:
        print(
            _(
                "Nothing was imported because the file has errors. Correct them, "
                "or use --skip-invalid to import the valid rows."
            ),
            file=sys.stderr,
        )
    elif report.errors:
        print(_("Rows with errors were skipped."))
    return FAILED if report.refused else 0


def build_parser() -> argparse.ArgumentParser:
    """The command's arguments, their help in the current language; argparse's own words
    follow it while ``_argparse_speaks_our_language`` is in force."""
    from werkplek.people.importer import FIELDS
    from werkplek.people.models import Role

    parser = argparse.ArgumentParser(
        prog="werkplek",
        description=_("Werkplek: desk, room and presence booking for municipalities."),
        epilog=_(EXIT_STATUSES),
    )
    commands = parser.add_subparsers(dest="command", metavar=_("command"), required=True)

    serve = commands.add_parser("serve", help=_("run the web app"))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_whole_number, default=8000, metavar=_("PORT"))
    serve.add_argument("--workers", type=_whole_number, default=1, metavar=_("NUMBER"))
    serve.set_defaults(handler=cmd_serve)

    migrate = commands.add_parser("migrate", help=_("create or upgrade the database schema"))
    migrate.set_defaults(handler=cmd_migrate)

    purge = commands.add_parser(
        "purge",
        help=_("remove personal data past its retention time (the scheduler does this too)"),
    )
    purge.set_defaults(handler=cmd_purge)

    backup = commands.add_parser(
        "backup",
        help=_("copy the SQLite database while the app runs (PostgreSQL: use pg_dump)"),
    )
    backup.add_argument(
        "file", type=Path, metavar=_("FILE"), help=_("the new backup file (must not exist)")
    )
    backup.set_defaults(handler=cmd_backup)

    users = commands.add_parser("users", help=_("manage people")).add_subparsers(
        dest="users_command", metavar=_("command"), required=True
    )
    create = users.add_parser("create", help=_("create a person who can log in"))
    create.add_argument("--email", required=True, metavar=_("ADDRESS"))
    create.add_argument("--name", required=True, metavar=_("NAME"))
    create.add_argument(
        "--role",
        action="append",
        default=[],
        choices=[role.value for role in Role],
        help=_("may be given more than once (default: employee)"),
    )
    create.add_argument("--password", metavar=_("PASSWORD"), help=_("asked for when left out"))
    create.set_defaults(handler=cmd_users_create)

    demo = commands.add_parser(
        "demo", help=_("load the demo municipality (fictional) into an empty database")
    )
    demo.add_argument(
        "--if-empty", action="store_true", help=_("do nothing when the database holds people")
    )
    demo.add_argument(
        "--today",
        type=_day,
        metavar=_("YYYY-MM-DD"),
        help=_("build the demo around this date instead of today"),
    )
    demo.set_defaults(handler=cmd_demo)

    people_import = commands.add_parser(
        "import-people",
        help=_("create or update people from a CSV file (matched on e-mail address)"),
        description=_(
            "Columns: %(columns)s; lists are separated by |. A file with errors imports "
            "nothing unless --skip-invalid is given.",
            columns=", ".join(FIELDS),
        ),
    )
    people_import.add_argument("file", type=Path, metavar=_("FILE"), help=_("the CSV file (UTF-8)"))
    people_import.add_argument(
        "--skip-invalid", action="store_true", help=_("import the valid rows, report the others")
    )
    people_import.add_argument(
        "--dry-run", action="store_true", help=_("report what would change; save nothing")
    )
    people_import.add_argument(
        "--deactivate-missing",
        action="store_true",
        help=_("deactivate active people who are not in the file (nobody is deleted)"),
    )
    people_import.add_argument(
        "--map",
        action="append",
        default=[],
        type=_column_mapping,
        metavar=_("COLUMN=FIELD"),
        help=_("read FIELD from the column named COLUMN; may be given more than once"),
    )
    people_import.add_argument(
        "--delimiter",
        type=_delimiter,
        metavar=_("CHARACTER"),
        help=_("the field separator, e.g. ';' or tab (default: the one the header uses)"),
    )
    people_import.set_defaults(handler=cmd_import_people)
    return parser


@contextmanager
def _argparse_speaks_our_language() -> Iterator[None]:
    """Argparse's own words ("usage:", "options", "the following arguments are required")
    in the current language, from our catalogues, while the command line is read.

    Argparse looks them up through its module's ``_`` and ``ngettext``, which are gettext's
    for its global domain (Python's argparse howto: install a .mo there, chosen by LANG).
    Ours are .po files chosen by ``WERKPLEK_LANGUAGE``, so for as long as this is in force
    argparse's two names look in our merged catalogue instead, and are gettext's again
    after it. Their Dutch is in werkplek/locale/nl/cli.po, under argparse's own msgids.
    """
    catalog = translations(current_language())
    ours = {"_": catalog.gettext, "ngettext": catalog.ngettext}
    originals = {name: getattr(argparse, name) for name in ours}
    for name, function in ours.items():
        setattr(argparse, name, function)
    try:
        yield
    finally:
        for name, function in originals.items():
            setattr(argparse, name, function)


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line, read in the current language: help, usage and errors (which
    exit with ``USAGE``, as argparse does)."""
    with _argparse_speaks_our_language():
        return build_parser().parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    # Commands speak the configured language; the choice stays inside the command.
    return contextvars.copy_context().run(_main, argv)


def _main(argv: list[str] | None) -> int:
    # The command line is read (its help and errors written) before the settings are,
    # so it speaks the language the environment asks, Dutch when it asks for none it has.
    set_language(os.environ.get("WERKPLEK_LANGUAGE", ""))
    args = parse_arguments(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"werkplek: {exc}", file=sys.stderr)
        return USAGE
    set_language(settings.default_language)
    try:
        result: int = args.handler(settings, args)
    except CommandFailed as exc:
        print(f"werkplek: {exc.message}", file=sys.stderr)
        return exc.status
    except DomainError as exc:
        print(f"werkplek: {exc.message}", file=sys.stderr)
        return FAILED
    return result


if __name__ == "__main__":
    sys.exit(main())
