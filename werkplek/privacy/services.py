"""Personal data (AVG/GDPR): export, erasure, retention purges and backups.

Which tables hold personal data is read from the SQLAlchemy metadata: every column
with a foreign key to ``persons.id``. Erasure needs a decision per column, kept in
``ERASURE``; ``unhandled_person_columns()`` lists columns without one, a test fails on
them, and ``erase_person`` refuses to run while any exist (better no erasure than a half
one). The export takes every row such a column points at the person with: whole when the
column makes the row theirs (``OWN_ROWS``), else (someone else's row that names them: who
did it, a backup) only its key, the columns ``REFERENCES`` lists and the role naming them,
never the other people's private columns. A test checks every column has one of the two.
"""

from __future__ import annotations

import enum
import logging
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    ColumnElement,
    String,
    Table,
    and_,
    cast,
    delete,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from werkplek.audit.labels import PEOPLE_KEYS
from werkplek.audit.models import AuditEvent
from werkplek.audit.services import record
from werkplek.bookings.models import Booking
from werkplek.bookings.services import cancel_bookings_of_leavers
from werkplek.clock import Clock
from werkplek.config import Settings
from werkplek.db import Base, lock_for_write, rows_changed
from werkplek.emergency.services import purge_roll_calls
from werkplek.errors import Conflict, Forbidden, NotFound
from werkplek.feeds.models import FeedScope, FeedToken, WorkLocationDeletions
from werkplek.i18n import _
from werkplek.people.models import LoginAttempt, LoginSession, Person
from werkplek.people.services import CurrentUser
from werkplek.presence.callback_notes import purge_callback_notes
from werkplek.presence.services import purge_work_locations
from werkplek.visitors.services import purge_visitors
from werkplek.visits.models import FieldVisit, FieldVisitor

logger = logging.getLogger("werkplek.privacy")

PERSON_KEY = "persons.id"
EXPORT_FORMAT = 1
# Columns never exported: secrets (only hashes are stored, but they stay inside).
# The ID token is the single sign-on provider's, kept only as the logout hint.
SECRET_COLUMNS = frozenset({"password_hash", "token_hash", "csrf_token", "id_token"})
LOGIN_ATTEMPT_RETENTION = timedelta(days=1)


class Erase(enum.Enum):
    """What erasing a person does to a column that points at them."""

    DELETE_ROW = "delete the row"  # the row is about the person only
    SET_NULL = "forget who"  # the row stays (aggregates, others' history), the link goes


ERASURE: dict[str, Erase] = {
    # people
    "persons.backup_id": Erase.SET_NULL,
    "person_roles.person_id": Erase.DELETE_ROW,
    "person_topics.person_id": Erase.DELETE_ROW,
    "team_memberships.person_id": Erase.DELETE_ROW,
    "login_sessions.person_id": Erase.DELETE_ROW,
    "api_tokens.person_id": Erase.DELETE_ROW,
    # bookings are kept for occupancy figures, anonymised
    "bookings.booked_for_id": Erase.SET_NULL,
    "bookings.booked_by_id": Erase.SET_NULL,
    "bookings.decided_by_id": Erase.SET_NULL,
    "booking_series.created_by_id": Erase.SET_NULL,
    "booking_participants.person_id": Erase.DELETE_ROW,
    "favourite_desks.person_id": Erase.DELETE_ROW,
    "desk_waits.person_id": Erase.DELETE_ROW,
    # presence
    "work_locations.person_id": Erase.DELETE_ROW,
    "work_locations.updated_by_id": Erase.SET_NULL,
    "day_reachability.person_id": Erase.DELETE_ROW,
    "day_reachability.backup_id": Erase.SET_NULL,
    "weekly_patterns.person_id": Erase.DELETE_ROW,
    "callback_notes.person_id": Erase.DELETE_ROW,
    "callback_notes.created_by_id": Erase.SET_NULL,
    "callback_notes.done_by_id": Erase.SET_NULL,
    # field visits (visits with nobody else on them are removed first, see below)
    "field_visits.checked_in_by_id": Erase.SET_NULL,
    "field_visits.checked_out_by_id": Erase.SET_NULL,
    "field_visits.created_by_id": Erase.SET_NULL,
    "field_visitors.person_id": Erase.DELETE_ROW,
    "visit_safety_contacts.person_id": Erase.DELETE_ROW,
    "visit_alerts.acknowledged_by_id": Erase.SET_NULL,
    # feeds
    "feed_tokens.created_by_id": Erase.DELETE_ROW,
    # room displays belong to their site and keep working
    "display_links.created_by_id": Erase.SET_NULL,
    # audit: the events stay, the actor becomes unknown
    "audit_events.actor_id": Erase.SET_NULL,
    # single sign-on, mail, webhooks, floor plans
    "external_identities.person_id": Erase.DELETE_ROW,
    "mail_outbox.person_id": Erase.DELETE_ROW,
    "mail_preferences.person_id": Erase.DELETE_ROW,
    "webhook_endpoints.created_by_id": Erase.SET_NULL,
    "floor_plans.uploaded_by_id": Erase.SET_NULL,
    # emergency roll calls: their row on a list goes (name, phone), who ticked it off stays
    "roll_call_entries.person_id": Erase.DELETE_ROW,
    "roll_call_entries.marked_by_id": Erase.SET_NULL,
    "roll_calls.started_by_id": Erase.SET_NULL,
    "roll_calls.closed_by_id": Erase.SET_NULL,
}


# Columns that make a row the person's own: the export gives the row whole (but secrets).
OWN_ROWS = frozenset(
    {
        "person_roles.person_id",
        "person_topics.person_id",
        "team_memberships.person_id",
        "login_sessions.person_id",
        "api_tokens.person_id",
        "bookings.booked_for_id",
        "booking_participants.person_id",
        "favourite_desks.person_id",
        "desk_waits.person_id",
        "work_locations.person_id",
        "day_reachability.person_id",
        "weekly_patterns.person_id",
        "callback_notes.person_id",
        "field_visitors.person_id",
        "visit_safety_contacts.person_id",
        "feed_tokens.created_by_id",
        "external_identities.person_id",
        "mail_outbox.person_id",
        "mail_preferences.person_id",
        "roll_call_entries.person_id",
    }
)

# Columns naming the person on someone else's row (who did it, a backup): the export
# gives only the row's key, the columns listed (when, never others' addresses, purposes,
# titles, notes, absence reasons, contact details or privacy choices) and the role. Their
# own visits come whole under ``field_visits``, their own bookings by ``booked_for_id``.
REFERENCES: dict[str, tuple[str, ...]] = {
    "persons.backup_id": (),
    "bookings.booked_by_id": ("start_at", "end_at", "created_at"),
    "bookings.decided_by_id": ("start_at", "end_at"),
    "booking_series.created_by_id": ("first_date", "until", "created_at"),
    "work_locations.updated_by_id": ("date", "day_part", "updated_at"),
    "day_reachability.backup_id": ("date",),
    "callback_notes.created_by_id": ("created_at",),
    "callback_notes.done_by_id": ("done_at",),
    "field_visits.checked_in_by_id": ("checked_in_at",),
    "field_visits.checked_out_by_id": ("checked_out_at",),
    "field_visits.created_by_id": ("planned_start", "planned_end", "created_at"),
    "visit_alerts.acknowledged_by_id": ("acknowledged_at",),
    "audit_events.actor_id": ("at", "action", "object_type"),
    "display_links.created_by_id": ("created_at",),
    "webhook_endpoints.created_by_id": ("created_at",),
    "floor_plans.uploaded_by_id": ("uploaded_at",),
    "roll_call_entries.marked_by_id": ("marked_at",),
    "roll_calls.started_by_id": ("started_at",),
    "roll_calls.closed_by_id": ("closed_at",),
}

# Audit events on these objects have a person's id as ``object_id``; elsewhere an event
# names people by id in its details, under ``audit.labels.PEOPLE_KEYS``.
PERSON_OBJECTS = ("person", "presence")


def person_columns() -> list[Column[Any]]:
    """Every column with a foreign key to ``persons.id``, in a stable order."""
    found = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.target_fullname == PERSON_KEY for fk in column.foreign_keys):
                found.append(column)
    return sorted(found, key=lambda c: (c.table.name, c.name))


def _key(column: Column[Any]) -> str:
    return f"{column.table.name}.{column.name}"


def unhandled_person_columns() -> list[str]:
    """Columns pointing at a person for which erasure has no rule (must stay empty)."""
    return [_key(column) for column in person_columns() if _key(column) not in ERASURE]


# --- export -------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _row(table: Table, row: Any) -> dict[str, Any]:
    mapping = row._mapping
    return {
        column.name: _plain(mapping[column.name])
        for column in table.columns
        if column.name not in SECRET_COLUMNS
    }


async def _rows(session: AsyncSession, table: Table, *where: Any) -> list[dict[str, Any]]:
    primary = list(table.primary_key.columns)
    result = await session.execute(select(table).where(*where).order_by(*primary))
    return [_row(table, row) for row in result]


async def _tables(session: AsyncSession, person_id: int) -> dict[str, list[dict[str, Any]]]:
    """Per table, the rows pointing at the person: their own whole, others' as references.

    A row both theirs and naming them otherwise is given whole; a reference naming them in
    several roles (planned and checked in a visit) once, with every role.
    """
    found: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {}
    # Own rows first, so that a reference to a row already given whole adds nothing.
    for column in sorted(person_columns(), key=lambda c: _key(c) not in OWN_ROWS):
        table = column.table
        assert isinstance(table, Table)
        primary = [c.name for c in table.primary_key.columns]
        rows = found.setdefault(table.name, {})
        for row in await session.execute(select(table).where(column == person_id)):
            values = row._mapping
            key = tuple(values[name] for name in primary)
            if _key(column) in OWN_ROWS:
                rows[key] = _row(table, row)
                continue
            shown = {name: _plain(values[name]) for name in primary}
            reference = rows.setdefault(key, {**shown, "referenced_as": []})
            if "referenced_as" in reference:  # not a row of their own
                # A column without a rule yet (the test fails) shows its key and role only.
                when = REFERENCES.get(_key(column), ())
                reference.update((name, _plain(values[name])) for name in when)
                reference["referenced_as"].append(column.name)
    return {name: [rows[key] for key in sorted(rows)] for name, rows in found.items() if rows}


class _DetailNames(FunctionElement[bool]):
    """Whether a JSON column's ``key`` holds an id, or a list of ids holding it."""

    type = Boolean()
    inherit_cache = True
    name = "detail_names"
    _is_implicitly_boolean = True


@compiles(_DetailNames, "postgresql")
def _detail_names_postgresql(element: _DetailNames, compiler: SQLCompiler, **kw: Any) -> str:
    details, key, person = (compiler.process(clause, **kw) for clause in element.clauses)
    # jsonb @> finds a number in an array as well as the number itself.
    return f"((CAST({details} AS JSONB) -> CAST({key} AS TEXT)) @> to_jsonb({person}))"


@compiles(_DetailNames)
def _detail_names_sqlite(element: _DetailNames, compiler: SQLCompiler, **kw: Any) -> str:
    details, key, person = (compiler.process(clause, **kw) for clause in element.clauses)
    # json_each gives an array's elements, or a single value as its only row.
    return f"EXISTS (SELECT 1 FROM json_each({details}, '$.' || {key}) WHERE value = {person})"


def _audit_about(person_id: int) -> ColumnElement[bool]:
    """Audit events about the person: on them (their record, their work locations), or
    naming them in their details (booked for them, a note for them, their visit, a
    subscription to their calendar)."""
    return or_(
        and_(
            AuditEvent.object_type.in_(PERSON_OBJECTS),
            AuditEvent.object_id == str(person_id),
        ),
        and_(
            AuditEvent.object_type == "feed_token",
            AuditEvent.details["scope"].as_string() == FeedScope.PERSON.value,
            AuditEvent.details["scope_id"].as_integer() == person_id,
        ),
        *(
            _DetailNames(AuditEvent.details, literal(key, String), literal(person_id))
            for key in sorted(PEOPLE_KEYS)
        ),
    )


async def export_person(
    session: AsyncSession, clock: Clock, actor: CurrentUser, person_id: int
) -> dict[str, Any]:
    """Everything Werkplek holds about a person, as JSON-ready data (self or admin). The
    export is audited, so it is a writer from the start."""
    await lock_for_write(session)
    if actor.id != person_id and not actor.is_admin:
        raise Forbidden(_("You may only export your own data."))
    person = await session.get(Person, person_id)
    if person is None:
        raise NotFound(_("No such person."))
    persons = Person.__table__
    assert isinstance(persons, Table)
    tables = await _tables(session, person_id)
    visit_ids = select(FieldVisitor.visit_id).where(FieldVisitor.person_id == person_id)
    visits_table = FieldVisit.__table__
    assert isinstance(visits_table, Table)
    visits = await _rows(session, visits_table, visits_table.c.id.in_(visit_ids))
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="export",
        object_type="person",
        object_id=person_id,
    )
    return {
        "format": EXPORT_FORMAT,
        "exported_at": clock.now().isoformat(),
        "person": (await _rows(session, persons, persons.c.id == person_id))[0],
        "tables": tables,
        "field_visits": visits,
        "address_views": await _address_views(session, person_id),
        "audit_about_me": await _rows(
            session,
            AuditEvent.__table__,  # type: ignore[arg-type]
            _audit_about(person_id),
        ),
    }


async def _address_views(session: AsyncSession, person_id: int) -> list[dict[str, Any]]:
    """Who was shown the address of a field visit the person went on, and when."""
    rows = await session.execute(
        select(AuditEvent.at, AuditEvent.object_id, AuditEvent.actor_id, Person.name)
        .join(FieldVisitor, cast(FieldVisitor.visit_id, String) == AuditEvent.object_id)
        .outerjoin(Person, Person.id == AuditEvent.actor_id)
        .where(
            FieldVisitor.person_id == person_id,
            AuditEvent.object_type == "field_visit",
            AuditEvent.action == "view_address",
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    return [
        {"at": at.isoformat(), "visit_id": int(visit_id), "viewer_id": viewer_id, "viewer": name}
        for at, visit_id, viewer_id, name in rows
    ]


# --- erasure ------------------------------------------------------------------------------


async def erase_person(
    session: AsyncSession, clock: Clock, actor: CurrentUser, person_id: int
) -> dict[str, int]:
    """Remove a person and what is only about them; anonymise the rest (admin).

    Bookings held for them that have not started are cancelled first, as on
    deactivation; all bookings stay for the occupancy figures without a name or title.
    Field visits on which nobody else went are removed with their address. Audit events
    stay, without the details about them (``_forget``). Returns rows touched per table,
    which also go into the audit event (no names).
    """
    if not actor.is_admin:
        raise Forbidden(_("Only administrators can delete people."))
    if person_id == actor.id:
        raise Conflict(_("You cannot delete yourself."))
    missing = unhandled_person_columns()
    if missing:
        raise Conflict(_("Erasure is not configured for: %(columns)s", columns=", ".join(missing)))
    await lock_for_write(session)
    person = await session.get(Person, person_id)
    if person is None:
        raise NotFound(_("No such person."))
    # As on deactivation: the desks and rooms held for them are freed (audited, webhook).
    await cancel_bookings_of_leavers(session, clock, [person_id])
    touched: dict[str, int] = {}

    def count(name: str, changed: int) -> None:
        touched[name] = touched.get(name, 0) + changed

    others = select(FieldVisitor.visit_id).where(FieldVisitor.person_id != person_id)
    alone = select(FieldVisitor.visit_id).where(
        FieldVisitor.person_id == person_id, FieldVisitor.visit_id.not_in(others)
    )
    count(
        "field_visits",
        await rows_changed(session, delete(FieldVisit).where(FieldVisit.id.in_(alone))),
    )
    count(
        "bookings",
        await rows_changed(
            session, update(Booking).where(Booking.booked_for_id == person_id).values(title="")
        ),
    )
    for column in person_columns():
        rule = ERASURE[_key(column)]
        table = column.table
        if rule is Erase.DELETE_ROW:
            changed = await rows_changed(session, delete(table).where(column == person_id))
        else:
            changed = await rows_changed(
                session, update(table).where(column == person_id).values({column.name: None})
            )
        count(table.name, changed)
    for event in (
        await session.execute(select(AuditEvent).where(_audit_about(person_id)))
    ).scalars():
        event.details = _forget(event, person_id)
    await session.flush()
    await session.execute(delete(LoginAttempt).where(LoginAttempt.email == person.email))
    await session.execute(delete(Person).where(Person.id == person_id))
    # Colleagues' subscriptions to their calendar: the id alone names them, and SQLite may
    # give it to the next person added.
    count(
        "feed_tokens",
        await rows_changed(
            session,
            delete(FeedToken).where(
                FeedToken.scope == FeedScope.PERSON.value, FeedToken.scope_id == person_id
            ),
        ),
    )
    # Counted by a trigger as their work locations went; kept by id alone, so gone too.
    await session.execute(
        delete(WorkLocationDeletions).where(WorkLocationDeletions.person_id == person_id)
    )
    session.expunge(person)
    touched = {name: n for name, n in sorted(touched.items()) if n}
    await record(
        session,
        clock,
        actor_id=actor.id,
        action="erase",
        object_type="person",
        object_id=person_id,
        rows=touched,
    )
    return touched


def _forget(event: AuditEvent, person_id: int) -> dict[str, object]:
    """An audit event's details without the person: none left when the event is on them
    (their record, their work locations), else their id taken out of the details naming
    people. The event itself stays: who did what to which object, and when."""
    if event.object_type in PERSON_OBJECTS and event.object_id == str(person_id):
        return {}
    details = dict(event.details)
    if details.get("scope") == FeedScope.PERSON.value and details.get("scope_id") == person_id:
        details["scope_id"] = None  # a subscription to their calendar
    for key in PEOPLE_KEYS & details.keys():
        value = details[key]
        if isinstance(value, list):
            details[key] = [item for item in value if item != person_id]
        elif value == person_id:
            details[key] = None
    return details


# --- retention ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PurgeResult:
    callback_notes: int
    work_locations: int
    visit_addresses: int
    visitors: int
    audit_events: int
    roll_calls: int = 0


async def purge_visit_addresses(session: AsyncSession, clock: Clock, settings: Settings) -> int:
    """Blank the addresses of field visits planned to end before the retention time,
    closed or not: a visit nobody checked out of or cancelled keeps it no longer."""
    cutoff = clock.now() - timedelta(days=settings.retention_visit_address_days)
    return await rows_changed(
        session,
        update(FieldVisit)
        .where(FieldVisit.planned_end < cutoff, FieldVisit.address != "")
        .values(address=""),
    )


async def purge_audit_events(session: AsyncSession, clock: Clock, settings: Settings) -> int:
    cutoff = clock.now() - timedelta(days=settings.retention_audit_days)
    return await rows_changed(session, delete(AuditEvent).where(AuditEvent.at < cutoff))


async def purge_login_attempts(session: AsyncSession, clock: Clock) -> int:
    """Failed log-ins (e-mail and IP address) serve the 15-minute rate limit; keep a day."""
    cutoff = clock.now() - LOGIN_ATTEMPT_RETENTION
    return await rows_changed(session, delete(LoginAttempt).where(LoginAttempt.at < cutoff))


async def purge_expired_sessions(session: AsyncSession, clock: Clock) -> int:
    """Log-ins that ended: they are of no use and may hold the provider's ID token."""
    return await rows_changed(
        session, delete(LoginSession).where(LoginSession.expires_at <= clock.now())
    )


async def _purge_privacy(
    session: AsyncSession, clock: Clock, settings: Settings
) -> tuple[int, int, int, int]:
    await lock_for_write(session)
    await purge_login_attempts(session, clock)
    await purge_expired_sessions(session, clock)
    addresses = await purge_visit_addresses(session, clock, settings)
    visitors = await purge_visitors(session, clock, settings)
    roll_calls = await purge_roll_calls(session, clock, settings)
    events = await purge_audit_events(session, clock, settings)
    if addresses or visitors or events or roll_calls:
        await record(
            session,
            clock,
            actor_id=None,
            action="purge",
            object_type="privacy",
            object_id="*",
            visit_addresses=addresses,
            visitors=visitors,
            roll_calls=roll_calls,
            audit_events=events,
        )
        logger.info(
            "privacy retention: %s addresses, %s visitors, %s roll calls, %s audit events",
            addresses,
            visitors,
            roll_calls,
            events,
        )
    return addresses, visitors, events, roll_calls


async def privacy_retention_job(session: AsyncSession, clock: Clock, settings: Settings) -> None:
    """Scheduler job: field-visit addresses, expected visitors of bookings, emergency roll
    calls and audit events past their retention time.

    Work locations and callback notes have their own job (``presence_retention``).
    """
    await _purge_privacy(session, clock, settings)


async def purge(session: AsyncSession, clock: Clock, settings: Settings) -> PurgeResult:
    """Apply every retention setting at once (``werkplek purge``): what both jobs do."""
    await lock_for_write(session)
    notes = await purge_callback_notes(session, clock, settings)
    days = await purge_work_locations(session, clock, settings)
    addresses, visitors, events, roll_calls = await _purge_privacy(session, clock, settings)
    return PurgeResult(
        callback_notes=notes,
        work_locations=days,
        visit_addresses=addresses,
        visitors=visitors,
        audit_events=events,
        roll_calls=roll_calls,
    )


# --- backups ------------------------------------------------------------------------------


class BackupNotSupported(Exception):
    """Only SQLite databases are copied by Werkplek; PostgreSQL has pg_dump."""


class DatabaseFileMissing(Exception):
    """The SQLite database to copy is not there."""


def backup(database_url: str, target: Path) -> int:
    """Copy a SQLite database with the online backup API (safe while the app runs).

    Returns the number of pages copied. Refuses (in the current language) a PostgreSQL
    database, a missing database file and a ``target`` that exists.
    """
    url = make_url(database_url)
    if not url.drivername.startswith("sqlite"):
        raise BackupNotSupported(
            _(
                "werkplek backup copies SQLite databases only; for PostgreSQL use pg_dump, "
                "e.g. pg_dump --format=custom --file=werkplek.dump <database>"
            )
        )
    source_path = url.database or ""
    if not source_path or source_path == ":memory:" or not Path(source_path).exists():
        raise DatabaseFileMissing(_("There is no database file at %(path)s.", path=source_path))
    if target.exists():
        raise FileExistsError(_("%(file)s exists; choose a new file name.", file=target))
    pages = 0

    def progress(_status: int, remaining: int, total: int) -> None:
        nonlocal pages
        pages = total - remaining

    with closing(sqlite3.connect(source_path)) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy, pages=1024, progress=progress)
    return pages
