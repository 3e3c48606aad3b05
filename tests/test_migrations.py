"""The Alembic migrations create exactly the schema the models describe."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection

from werkplek.db import Base, create_engine

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
