"""The Alembic migrations create exactly the schema the models describe."""

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection

from werkplek.db import Base, create_engine
from werkplek.migrate import upgrade

#: Trigram indexes for the KCC finder, which migration 0014 creates on PostgreSQL only:
#: the models cannot describe an index for one database alone.
POSTGRESQL_SEARCH_INDEXES = {
    "ix_persons_name_trigram",
    "ix_person_topics_topic_trigram",
    "ix_teams_name_trigram",
}


def _described_by_models(_object: object, name: str | None, type_: str, *_args: object) -> bool:
    return not (type_ == "index" and name in POSTGRESQL_SEARCH_INDEXES)


async def test_migrated_schema_matches_the_models(database_url: str) -> None:
    engine = create_engine(database_url)

    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": _described_by_models}
        )
        return list(compare_metadata(context, Base.metadata))

    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(differences) == []
    finally:
        await engine.dispose()


async def test_postgresql_has_the_search_indexes(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no trigram indexes")
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.exec_driver_sql(
                "SELECT indexname FROM pg_indexes WHERE indexname LIKE '%_trigram'"
            )
            assert {row[0] for row in rows} == POSTGRESQL_SEARCH_INDEXES
    finally:
        await engine.dispose()


def _booking_statuses_after_migrating_to_0019(folder: Path, audit_rows: list[tuple]) -> list[str]:
    """Bookings 1 and 2 stored `declined` at 0018, with the given audit events
    (actor_id, action, object_id, details); their statuses once migrated to 0019."""
    url = f"sqlite+aiosqlite:///{folder / 'werkplek.db'}"
    upgrade(url, "0018")
    with closing(sqlite3.connect(folder / "werkplek.db")) as connection:
        for booking_id in (1, 2):
            connection.execute(
                "INSERT INTO bookings (id, space_id, site_id, is_desk, start_at, end_at, status,"
                " title, attendees, created_at, updated_at, sequence) VALUES (?, 1, 1, 0,"
                " '2026-11-26 09:00:00', '2026-11-26 10:00:00', 'declined', '', 1,"
                " '2026-11-25 09:00:00', '2026-11-26 09:30:00', 0)",
                (booking_id,),
            )
        connection.executemany(
            "INSERT INTO audit_events (at, actor_id, action, object_type, object_id, details)"
            " VALUES ('2026-11-26 09:30:00', ?, ?, 'booking', ?, ?)",
            audit_rows,
        )
        connection.commit()
    upgrade(url)
    with closing(sqlite3.connect(folder / "werkplek.db")) as connection:
        return [row[0] for row in connection.execute("SELECT status FROM bookings ORDER BY id")]


def test_migration_0019_marks_requests_that_lapsed_as_lapsed(tmp_path: Path) -> None:
    statuses = _booking_statuses_after_migrating_to_0019(
        tmp_path, [(None, "decline", "1", '{"reason": "lapsed"}')]
    )

    assert statuses == ["lapsed", "declined"]


def test_migration_0019_leaves_requests_declined_by_someone_since_erased_declined(
    tmp_path: Path,
) -> None:
    statuses = _booking_statuses_after_migrating_to_0019(
        tmp_path, [(None, "decline", "1", "{}"), (None, "decline", "2", "{}")]
    )

    assert statuses == ["declined", "declined"]
