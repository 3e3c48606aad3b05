"""Alembic, driven from code: upgrade, and the start-up check for an unmigrated database."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from werkplek.resources import resource_dir

MIGRATIONS_DIR = resource_dir("migrations")


class DatabaseNotMigrated(RuntimeError):
    """The database schema is older than the code; ``werkplek migrate`` fixes it."""


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "heads") -> None:
    """Upgrade the schema (runs Alembic's async env in its own event loop)."""
    command.upgrade(alembic_config(database_url), revision)


def head_revisions(database_url: str) -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config(database_url)).get_heads())


async def current_revisions(engine: AsyncEngine) -> set[str]:
    def read(connection: Connection) -> set[str]:
        return set(MigrationContext.configure(connection).get_current_heads())

    async with engine.connect() as connection:
        return await connection.run_sync(read)


async def ensure_migrated(engine: AsyncEngine, database_url: str) -> None:
    current = await current_revisions(engine)
    heads = head_revisions(database_url)
    if current != heads:
        state = ", ".join(sorted(current)) or "empty"
        raise DatabaseNotMigrated(
            f"The database is not migrated (at {state}, code needs {', '.join(sorted(heads))}). "
            "Run `werkplek migrate` first."
        )
