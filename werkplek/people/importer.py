"""Import people from a CSV file (an HR or identity-management export).

The file is matched on e-mail address (case-insensitive): new people are created,
known people get the file's name, teams, roles, topics and contact details, and
unknown teams are created. A column that is absent leaves that field alone; a
column that is present but empty clears it (``language`` excepted: empty keeps it), so
a row with more or fewer cells than the header is an error rather than guessed at.

A file with errors imports nothing unless ``skip_invalid`` is set; then the valid
rows are imported and the bad ones reported. People missing from the file are
left alone, unless ``deactivate_missing`` is set: then they are deactivated (never
deleted), their API tokens revoked and their login sessions ended, and people in the
file who were inactive become active again. The caller decides what happens to their
bookings and calendar feeds (``werkplek import-people`` cancels the bookings that have
not started and revokes the feed tokens, see ``werkplek.leavers.let_go``).

Every change is recorded in the audit log; the caller commits.

The command line and the administrator's page and API share this module: the file's
bytes become text with ``decode``, the columns are explained by ``FIELD_HELP`` and shown
by ``example_csv``, and the page carries a previewed file to its import with
``seal_preview`` and ``open_preview``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek import formats
from werkplek.audit.services import record
from werkplek.clock import Clock
from werkplek.db import lock_for_write
from werkplek.errors import InvalidInput
from werkplek.i18n import N_, _
from werkplek.people.models import Person, PersonRole, PersonTopic, Role, Team, TeamMembership
from werkplek.people.security import seal, unseal
from werkplek.people.services import LAST_ADMIN_LOSES_ROLE, CurrentUser, sign_out_leavers

FIELDS = (
    "email",
    "name",
    "teams",
    "lead_of",
    "roles",
    "topics",
    "phone",
    "mobile",
    "chat_handle",
    "language",
    "backup_email",
)
REQUIRED_COLUMNS = ("email", "name")
LIST_SEPARATOR = "|"
#: The field separators a file's header is searched for when none is given: Excel in a
#: Dutch locale separates with semicolons, other exports with commas or tabs.
DELIMITERS = (",", ";", "\t")
_QUOTED = re.compile(r'"[^"]*"')

EMAIL_PATTERN = re.compile(formats.EMAIL_PATTERN)
PHONE_PATTERN = re.compile(formats.PHONE_PATTERN)
MAX_EMAIL, MAX_NAME, MAX_TEAM, MAX_TOPIC, MAX_PHONE, MAX_CHAT = 254, 200, 120, 80, 40, 120

# Role names as they appear in exports: the codes, and the Dutch names people use.
ROLE_NAMES: dict[str, Role] = {
    **{role.value: role for role in Role},
    "medewerker": Role.EMPLOYEE,
    "kcc-medewerker": Role.KCC,
    "teamleider": Role.TEAMLEAD,
    "facilitair": Role.FACILITIES,
    "receptie": Role.RECEPTION,
    "gastvrouw": Role.RECEPTION,
    "gastheer": Role.RECEPTION,
    "bhv": Role.EMERGENCY,
    "bhv'er": Role.EMERGENCY,
    "beheer": Role.ADMIN,
    "beheerder": Role.ADMIN,
}

# Column names as Dutch exports write them (any case), read without a --map.
COLUMN_NAMES: dict[str, str] = {
    "e-mail": "email",
    "e-mailadres": "email",
    "emailadres": "email",
    "naam": "name",
    "team": "teams",
    "teamleider van": "lead_of",
    "rollen": "roles",
    "rol": "roles",
    "onderwerpen": "topics",
    "telefoon": "phone",
    "mobiel": "mobile",
    "chat": "chat_handle",
    "taal": "language",
    "achtervang": "backup_email",
}

_PERSON_FIELDS = ("name", "phone", "mobile", "chat_handle", "language")

#: What each column holds, for the people who fill the file in.
FIELD_HELP: dict[str, str] = {
    "email": N_("E-mail address; it finds the person."),
    "name": N_("Full name."),
    "teams": N_("Teams they belong to; a team not yet known is created."),
    "lead_of": N_("Teams they lead."),
    "roles": N_(
        "Roles: employee, kcc, teamlead, facilities, reception, emergency or admin (or "
        "medewerker, kcc-medewerker, teamleider, facilitair, receptie, bhv, beheerder)."
    ),
    "topics": N_("Topics they answer questions about for the KCC, e.g. paspoort."),
    "phone": N_("Phone number."),
    "mobile": N_("Mobile number."),
    "chat_handle": N_("Name in the chat app, e.g. @anna."),
    "language": N_("nl or en; empty keeps their language."),
    "backup_email": N_(
        "E-mail address of their backup colleague: someone in the file or already active."
    ),
}
#: The fields whose cell holds a list, separated by ``LIST_SEPARATOR``.
LIST_FIELDS = frozenset({"teams", "lead_of", "roles", "topics"})

#: The example file's people (fictional), one row each.
_EXAMPLE_ROWS: tuple[dict[str, str], ...] = (
    {
        "email": "anna.bakker@gemeente.example",
        "name": "Anna Bakker",
        "teams": "Burgerzaken",
        "roles": "employee",
        "topics": "paspoort|rijbewijs",
        "phone": "0594 70 100",
        "mobile": "06 12 34 56 78",
        "chat_handle": "@anna",
        "language": "nl",
        "backup_email": "bram.de.vries@gemeente.example",
    },
    {
        "email": "bram.de.vries@gemeente.example",
        "name": "Bram de Vries",
        "teams": "Burgerzaken|KCC",
        "lead_of": "KCC",
        "roles": "kcc|teamlead",
        "topics": "algemene vragen",
        "language": "en",
    },
)
#: The example file's separator: Excel in a Dutch locale opens such a file in columns.
EXAMPLE_DELIMITER = ";"


def example_csv() -> str:
    """A file to start from: the header of every field in ``FIELDS`` and two example rows,
    with a byte-order mark so that Excel reads it as UTF-8."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=EXAMPLE_DELIMITER, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for row in _EXAMPLE_ROWS:
        writer.writerow([row.get(name, "") for name in FIELDS])
    return out.getvalue()


#: The largest file the page and the API take (the command takes any): some 10,000 people.
MAX_BYTES = 2 * 1024 * 1024

#: The message for a file that is not UTF-8, on the command line and the page alike.
NOT_UTF8 = N_("The file is not UTF-8; save it as CSV UTF-8 and try again.")


def decode(data: bytes) -> str:
    """The file's text: UTF-8, with or without the byte-order mark Excel writes."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(_(NOT_UTF8), field="file", code="not_utf8") from None


@dataclass(frozen=True)
class ImportOptions:
    """How a file is imported, as the command's options say."""

    skip_invalid: bool = False
    deactivate_missing: bool = False


#: How long after its preview a file may be imported without being previewed again.
PREVIEW_LIFETIME = timedelta(hours=1)
_PREVIEW_PURPOSE = "people-import"
PREVIEW_EXPIRED = N_(
    "The preview has expired or no longer matches the file; choose the file again."
)


def deactivation_digest(emails: Iterable[str]) -> str:
    """A short stand-in for who an import deactivates, to tell whether that changed."""
    return hashlib.sha256("\n".join(sorted(emails)).encode()).hexdigest()


@dataclass(frozen=True)
class Previewed:
    """What a preview showed: the options it ran with and, as ``deactivation_digest``,
    whom it would deactivate."""

    options: ImportOptions
    deactivating: str


def seal_preview(
    secret: str,
    clock: Clock,
    person_id: int,
    data: bytes,
    options: ImportOptions,
    report: ImportReport,
) -> str:
    """What lets ``person_id`` import exactly the previewed ``data`` with ``options``
    within ``PREVIEW_LIFETIME``, as the dry run's ``report`` showed: the file's hash, the
    options and whom it would deactivate, sealed."""
    return seal(
        secret,
        _PREVIEW_PURPOSE,
        {
            "person": person_id,
            "sha256": hashlib.sha256(data).hexdigest(),
            "skip_invalid": options.skip_invalid,
            "deactivate_missing": options.deactivate_missing,
            "deactivating": deactivation_digest(report.deactivated),
            "exp": int((clock.now() + PREVIEW_LIFETIME).timestamp()),
        },
    )


def open_preview(
    secret: str, clock: Clock, person_id: int, data: bytes, sealed: str | None
) -> Previewed:
    """What ``person_id``'s preview of ``data`` showed; refused at the field ``file`` when
    the seal is altered, expired, someone else's or of another file."""
    payload = unseal(secret, _PREVIEW_PURPOSE, clock, sealed)
    if (
        payload is None
        or payload.get("person") != person_id
        or payload.get("sha256") != hashlib.sha256(data).hexdigest()
    ):
        raise InvalidInput(_(PREVIEW_EXPIRED), field="file", code="preview_expired")
    options = ImportOptions(
        skip_invalid=payload.get("skip_invalid") is True,
        deactivate_missing=payload.get("deactivate_missing") is True,
    )
    return Previewed(options, str(payload.get("deactivating")))


class RowError(NamedTuple):
    """A problem in the file: physical line number (the header is line 1), field, message."""

    line: int
    field: str
    message: str


@dataclass
class ImportReport:
    """What the import did (or, when ``applied`` is false, would do)."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    deactivated_ids: list[int] = field(default_factory=list)
    #: Those inactive the file brings back (``active`` among their changes).
    reactivated_ids: list[int] = field(default_factory=list)
    teams_created: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False
    applied: bool = False
    #: The file's errors keep it from being imported (on a dry run: would): any error
    #: without ``skip_invalid``, and with it a header the rows cannot be read by or a file
    #: that would leave nobody to manage people.
    refused: bool = False


class ImportRefused(InvalidInput):
    """A file whose errors keep it from being imported (``ImportReport.refused``), for a
    caller that answers that as an error: the API (``details.errors``, each with its
    ``line``, ``field`` and ``message``). The page and the command show the report."""

    code = "import_refused"

    @classmethod
    def of(cls, report: ImportReport) -> ImportRefused:
        return cls(
            _("The file cannot be imported because of its errors, listed by line and field."),
            field="file",
            errors=[error._asdict() for error in report.errors],
        )


@dataclass
class _Row:
    line: int
    email: str
    values: dict[str, Any]  # only the fields whose column is in the file


@dataclass
class _Plan:
    """The wanted state of one person, and what differs from the stored one."""

    row: _Row
    person: Person | None
    changes: list[str]
    memberships: dict[str, bool] | None  # team name (as stored or new) -> is_lead


def _split(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(LIST_SEPARATOR) if part.strip()]


def _header_fields(
    header: list[str], column_map: Mapping[str, str]
) -> tuple[dict[int, str], list[str], list[RowError]]:
    """Which column holds which field; unknown columns are ignored and listed."""
    mapping = {column.strip().lower(): target for column, target in column_map.items()}
    for wanted in mapping.values():
        if wanted not in FIELDS:
            raise InvalidInput(
                _(
                    "Unknown field %(field)s in the column mapping; known fields: %(fields)s.",
                    field=wanted,
                    fields=", ".join(FIELDS),
                ),
                field="map",
            )
    columns: dict[int, str] = {}
    seen: dict[str, str] = {}
    ignored: list[str] = []
    errors: list[RowError] = []
    for index, raw in enumerate(header):
        column = raw.strip()
        key = column.lower()
        target: str | None = mapping.get(key, key if key in FIELDS else COLUMN_NAMES.get(key))
        if target is None:
            if column:
                ignored.append(column)
            continue
        if target in seen:
            errors.append(
                RowError(
                    1,
                    target,
                    _(
                        "The columns %(first)s and %(second)s both hold %(field)s.",
                        first=seen[target],
                        second=column,
                        field=target,
                    ),
                )
            )
            continue
        seen[target] = column
        columns[index] = target
    for required in REQUIRED_COLUMNS:
        if required not in seen:
            errors.append(
                RowError(1, required, _("The column %(column)s is missing.", column=required))
            )
    return columns, ignored, errors


def header_delimiter(text: str) -> str:
    """The separator the file's header uses most (outside quoted cells); a comma when it
    uses none, as a file of one column does."""
    header = _QUOTED.sub("", text.removeprefix("\ufeff").partition("\n")[0])
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _too_long(limit: int) -> str:
    return _("Too long: at most %(max)s characters.", max=limit)


def _parse_row(line: int, cells: list[str], columns: dict[int, str]) -> tuple[_Row, list[RowError]]:
    errors: list[RowError] = []
    raw = {
        target: cells[index].strip() if index < len(cells) else ""
        for index, target in columns.items()
    }
    values: dict[str, Any] = {}

    email = raw["email"].lower()
    if not EMAIL_PATTERN.match(email) or len(email) > MAX_EMAIL:
        errors.append(RowError(line, "email", _("Not a valid e-mail address.")))

    name = raw["name"]
    if not name:
        errors.append(RowError(line, "name", _("A name is required.")))
    elif len(name) > MAX_NAME:
        errors.append(RowError(line, "name", _too_long(MAX_NAME)))
    values["name"] = name

    for key in ("teams", "lead_of"):
        if key in raw:
            names = list(dict.fromkeys(_split(raw[key])))
            if any(len(team) > MAX_TEAM for team in names):
                errors.append(RowError(line, key, _too_long(MAX_TEAM)))
            values[key] = names

    if "roles" in raw:
        roles: set[Role] = set()
        for role_name in _split(raw["roles"]):
            role = ROLE_NAMES.get(role_name.lower())
            if role is None:
                errors.append(RowError(line, "roles", _("Unknown role: %(role)s.", role=role_name)))
            else:
                roles.add(role)
        values["roles"] = roles

    if "topics" in raw:
        topics = sorted({topic.lower() for topic in _split(raw["topics"])})
        if any(len(topic) > MAX_TOPIC for topic in topics):
            errors.append(RowError(line, "topics", _too_long(MAX_TOPIC)))
        values["topics"] = topics

    for key in ("phone", "mobile"):
        if key in raw:
            number = raw[key]
            if not PHONE_PATTERN.match(number) or len(number) > MAX_PHONE:
                errors.append(RowError(line, key, _("Not a valid phone number.")))
            values[key] = number or None

    if "chat_handle" in raw:
        if len(raw["chat_handle"]) > MAX_CHAT:
            errors.append(RowError(line, "chat_handle", _too_long(MAX_CHAT)))
        values["chat_handle"] = raw["chat_handle"] or None

    if raw.get("language"):
        language = raw["language"].lower()
        if language not in ("nl", "en"):
            errors.append(RowError(line, "language", _("The language must be nl or en.")))
        values["language"] = language

    if "backup_email" in raw:
        backup = raw["backup_email"].lower()
        if backup and backup == email:
            errors.append(RowError(line, "backup_email", _("A person cannot be their own backup.")))
        values["backup_email"] = backup or None

    return _Row(line=line, email=email, values=values), errors


def _cell_count_error(line: int, cells: int, columns: int) -> RowError:
    """A row longer or shorter than the header: its cells cannot be matched to the columns
    (read as empty, missing cells would clear those fields)."""
    if cells > columns:
        return RowError(line, "", _("This row has more cells than the header."))
    return RowError(line, "", _("This row has fewer cells than the header."))


def _read_rows(
    text: str, column_map: Mapping[str, str], delimiter: str
) -> tuple[list[_Row], dict[str, int], list[str], list[RowError]]:
    """Parse the file.

    Returns the valid rows, the first line of every e-mail address in the file (valid
    row or not), the ignored columns and the errors.
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return [], {}, [], [RowError(1, "", _("The file is empty."))]
    except csv.Error as exc:
        return [], {}, [], [RowError(1, "", _("The file cannot be read: %(error)s", error=exc))]
    columns, ignored, errors = _header_fields(header, column_map)
    if errors:
        return [], {}, ignored, errors

    rows: list[_Row] = []
    bad_lines: set[int] = set()
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(line, "", _("The file cannot be read: %(error)s", error=exc)))
            bad_lines.add(line)
            break
        if not any(cell.strip() for cell in cells):
            continue
        row, row_errors = _parse_row(line, cells, columns)
        if len(cells) != len(header):
            row_errors.insert(0, _cell_count_error(line, len(cells), len(header)))
        errors.extend(row_errors)
        if row_errors:
            bad_lines.add(line)
        rows.append(row)

    lines_by_email: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if row.email:
            lines_by_email[row.email].append(row.line)
    for row in rows:
        lines = lines_by_email.get(row.email, [])
        if len(lines) > 1:
            others = ", ".join(str(other) for other in lines if other != row.line)
            errors.append(
                RowError(
                    row.line,
                    "email",
                    _("This e-mail address is also on line %(lines)s.", lines=others),
                )
            )
            bad_lines.add(row.line)
    if not rows and not errors:
        errors.append(RowError(1, "", _("The file has no rows.")))
    first_lines = {email: lines[0] for email, lines in lines_by_email.items()}
    return [row for row in rows if row.line not in bad_lines], first_lines, ignored, errors


def _check_backups(
    rows: list[_Row], lines: Mapping[str, int], staying_active: set[str]
) -> tuple[list[_Row], list[RowError]]:
    """Drop rows whose backup is neither an active person who stays nor a valid row.

    Repeats until stable: dropping a row can orphan the rows that name it as backup.
    """
    errors: list[RowError] = []
    valid = list(rows)
    while True:
        available = staying_active | {row.email for row in valid}
        dropped: list[_Row] = []
        for row in valid:
            backup = row.values.get("backup_email")
            if backup and backup not in available:
                if backup in lines:
                    message = _(
                        "The backup colleague's own row (line %(line)s) has errors.",
                        line=lines[backup],
                    )
                else:
                    message = _("Unknown backup colleague: %(email)s.", email=backup)
                errors.append(RowError(row.line, "backup_email", message))
                dropped.append(row)
        if not dropped:
            return valid, errors
        valid = [row for row in valid if row not in dropped]


def _current_memberships(person: Person | None) -> dict[str, bool]:
    if person is None:
        return {}
    return {m.team.name: m.is_lead for m in person.memberships}


def _wanted_memberships(
    row: _Row, person: Person | None, team_names: Mapping[str, str]
) -> dict[str, bool] | None:
    """Team name -> lead flag, or None when the file says nothing about teams."""
    if "teams" not in row.values and "lead_of" not in row.values:
        return None
    current = _current_memberships(person)
    if "teams" in row.values:
        teams = [team_names[name.lower()] for name in row.values["teams"]]
    else:
        teams = list(current)
    if "lead_of" in row.values:
        leads = {team_names[name.lower()] for name in row.values["lead_of"]}
    else:
        leads = {name for name in teams if current.get(name)}
    return {name: name in leads for name in sorted({*teams, *leads})}


def _plan(
    row: _Row,
    person: Person | None,
    team_names: Mapping[str, str],
    person_ids: Mapping[str, int],
    reactivate: bool,
) -> _Plan:
    memberships = _wanted_memberships(row, person, team_names)
    if person is None:
        return _Plan(row, None, [], memberships)
    values = row.values
    changes = [
        name for name in _PERSON_FIELDS if name in values and getattr(person, name) != values[name]
    ]
    if "roles" in values and values["roles"] - {Role.EMPLOYEE} != person.role_set - {Role.EMPLOYEE}:
        changes.append("roles")
    if "topics" in values and values["topics"] != sorted(t.topic for t in person.topics):
        changes.append("topics")
    if memberships is not None and memberships != _current_memberships(person):
        changes.append("teams")
    if "backup_email" in values:
        backup = values["backup_email"]
        wanted = None if backup is None else person_ids.get(backup, -1)
        if wanted != person.backup_id:
            changes.append("backup_id")
    if reactivate and not person.active:
        changes.append("active")
    return _Plan(row, person, changes, memberships)


#: Refused when the database has no active administrator and the file makes none.
NO_ADMINISTRATOR = N_(
    "There is no administrator yet and the file makes nobody one: give someone the role "
    "admin in the roles column, or first create one with "
    "'werkplek users create --role admin'."
)


def _last_admin_errors(
    by_email: Mapping[str, Person],
    plans: Sequence[_Plan],
    deactivated: Sequence[str],
    *,
    require_admin: bool,
) -> list[RowError]:
    """Where the import would leave nobody to manage people: taking away the last active
    administrator (their role, or their account as missing from the file), or, with
    ``require_admin``, making nobody one when there is no administrator yet (on the
    header line)."""
    plan_of = {plan.row.email: plan for plan in plans}

    def admin_after(email: str) -> bool:
        plan = plan_of.get(email)
        if plan is not None and "roles" in plan.row.values:
            return Role.ADMIN in plan.row.values["roles"]
        person = by_email.get(email)  # a new person without roles in the file has none
        return person is not None and Role.ADMIN in person.role_set

    admins_now = [e for e, p in by_email.items() if p.active and Role.ADMIN in p.role_set]
    staying = [e for e in admins_now if e not in deactivated and admin_after(e)]
    added = [
        p.row.email for p in plans if p.row.email not in admins_now and admin_after(p.row.email)
    ]
    if staying or added:
        return []
    if not admins_now:
        return [RowError(1, "roles", _(NO_ADMINISTRATOR))] if require_admin else []
    message = _(LAST_ADMIN_LOSES_ROLE)
    errors = [RowError(plan_of[e].row.line, "roles", message) for e in admins_now if e in plan_of]
    errors += [
        RowError(
            1,
            "email",
            _(
                "%(email)s is the last active administrator and is not in the file; "
                "add them, or import without deactivating those missing.",
                email=e,
            ),
        )
        for e in admins_now
        if e in deactivated
    ]
    return errors


async def import_people(
    session: AsyncSession,
    clock: Clock,
    text: str,
    *,
    column_map: Mapping[str, str] | None = None,
    delimiter: str | None = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
    deactivate_missing: bool = False,
    require_admin: bool = False,
    actor: CurrentUser | None = None,
) -> ImportReport:
    """Import people from CSV ``text``; see the module docstring for the rules.

    ``actor`` None means the command line (trusted); otherwise it must be an admin.
    ``require_admin`` (the command sets it): with no active administrator yet, a file that
    makes nobody one is refused, since nobody could then manage people or settings.
    ``delimiter`` None: the one the header uses (``header_delimiter``).
    Nothing is written on a dry run, nor when the file has errors and
    ``skip_invalid`` is not set; the report then says what would have happened.
    """
    if actor is not None:
        actor.require(Role.ADMIN)
    if delimiter is None:
        delimiter = header_delimiter(text)
    if len(delimiter) != 1:
        raise InvalidInput(_("The delimiter must be a single character."), field="delimiter")
    await lock_for_write(session)
    report = ImportReport(dry_run=dry_run)

    rows, lines, report.ignored_columns, errors = _read_rows(text, column_map or {}, delimiter)
    report.errors.extend(errors)
    if any(error.line == 1 for error in errors):
        report.refused = True
        return report  # without a usable header no row can be trusted

    fresh = {"populate_existing": True}
    people = (await session.execute(select(Person), execution_options=fresh)).scalars().all()
    by_email = {person.email.lower(): person for person in people}
    staying_active = {
        email
        for email, person in by_email.items()
        if person.active and (not deactivate_missing or email in lines)
    }
    rows, backup_errors = _check_backups(rows, lines, staying_active)
    report.errors.extend(backup_errors)
    report.errors.sort(key=lambda error: error.line)

    teams = (await session.execute(select(Team), execution_options=fresh)).scalars().all()
    team_names = {team.name.lower(): team.name for team in teams}
    new_teams: dict[str, str] = {}
    for row in rows:
        for name in [*row.values.get("teams", []), *row.values.get("lead_of", [])]:
            if name.lower() not in team_names:
                new_teams.setdefault(name.lower(), name)
    team_names.update(new_teams)
    report.teams_created = sorted(new_teams.values())

    person_ids = {email: person.id for email, person in by_email.items()}
    plans = [
        _plan(row, by_email.get(row.email), team_names, person_ids, deactivate_missing)
        for row in rows
    ]
    for plan in plans:
        if plan.person is None:
            report.created.append(plan.row.email)
        elif plan.changes:
            report.updated.append(plan.row.email)
            if "active" in plan.changes:
                report.reactivated_ids.append(plan.person.id)
        else:
            report.unchanged.append(plan.row.email)
    if deactivate_missing:
        report.deactivated = sorted(
            email for email, person in by_email.items() if person.active and email not in lines
        )
        report.deactivated_ids = [by_email[email].id for email in report.deactivated]

    # Not skippable: an import that leaves nobody to manage people is never applied.
    last_admin = _last_admin_errors(
        by_email, plans, report.deactivated, require_admin=require_admin
    )
    report.errors.extend(last_admin)
    report.refused = bool(last_admin) or bool(report.errors and not skip_invalid)
    if dry_run or report.refused:
        return report
    await _apply(session, clock, actor, plans, report, by_email, teams, list(new_teams.values()))
    report.applied = True
    return report


async def _apply(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser | None,
    plans: list[_Plan],
    report: ImportReport,
    by_email: dict[str, Person],
    teams: Iterable[Team],
    new_team_names: list[str],
) -> None:
    actor_id = actor.id if actor else None
    team_ids = {team.name: team.id for team in teams}
    for name in new_team_names:
        team = Team(name=name, description="")
        session.add(team)
        await session.flush()
        team_ids[name] = team.id
        await record(
            session,
            clock,
            actor_id=actor_id,
            action="create",
            object_type="team",
            object_id=team.id,
            name=name,
            source="import",
        )

    now = clock.now()
    for plan in plans:
        values = plan.row.values
        person = plan.person
        creating = person is None
        if person is None:
            person = Person(
                email=plan.row.email,
                name=values["name"],
                language=values.get("language", "nl"),
                phone=values.get("phone"),
                mobile=values.get("mobile"),
                chat_handle=values.get("chat_handle"),
                active=True,
                hide_desk=False,
                created_at=now,
            )
            session.add(person)
            by_email[plan.row.email] = person
        elif not plan.changes:
            continue
        else:
            for name in _PERSON_FIELDS:
                if name in plan.changes:
                    setattr(person, name, values[name])
            if "active" in plan.changes:
                person.active = True
        if "roles" in values and (creating or "roles" in plan.changes):
            person.roles = [PersonRole(role=role.value) for role in sorted(values["roles"])]
        if "topics" in values and (creating or "topics" in plan.changes):
            person.topics = [PersonTopic(topic=topic) for topic in values["topics"]]
        if plan.memberships is not None and (creating or "teams" in plan.changes):
            person.memberships = [
                TeamMembership(team_id=team_ids[name], is_lead=is_lead)
                for name, is_lead in plan.memberships.items()
            ]
    await session.flush()

    for plan in plans:
        backup = plan.row.values.get("backup_email")
        if plan.person is None or "backup_id" in plan.changes:
            by_email[plan.row.email].backup_id = None if backup is None else by_email[backup].id
    for email in report.deactivated:
        by_email[email].active = False
    await session.flush()
    leavers = [by_email[email].id for email in report.deactivated]
    await sign_out_leavers(session, clock, leavers, actor_id=actor_id)

    for plan in plans:
        person = by_email[plan.row.email]
        if plan.person is None:
            await record(
                session,
                clock,
                actor_id=actor_id,
                action="create",
                object_type="person",
                object_id=person.id,
                email=person.email,
                source="import",
            )
        elif plan.changes:
            await record(
                session,
                clock,
                actor_id=actor_id,
                action="update",
                object_type="person",
                object_id=person.id,
                fields=sorted(plan.changes),
                **({"active": True} if "active" in plan.changes else {}),
                source="import",
            )
    for email in report.deactivated:
        await record(
            session,
            clock,
            actor_id=actor_id,
            action="update",
            object_type="person",
            object_id=by_email[email].id,
            fields=["active"],
            active=False,
            source="import",
        )
