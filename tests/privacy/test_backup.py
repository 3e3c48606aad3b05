"""``werkplek backup``: an online copy of a SQLite database that restores as it was."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from tests.privacy.conftest import Life
from werkplek import cli
from werkplek.config import Settings
from werkplek.db import create_engine
from werkplek.migrate import current_revisions, head_revisions, upgrade
from werkplek.privacy.services import BackupNotSupported, backup


def _use(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("WERKPLEK_DATABASE_URL", database_url)
    monkeypatch.setenv("WERKPLEK_ENV", "test")


async def test_a_backup_taken_while_the_app_holds_data_has_the_data(
    backend: str, db: AsyncSession, settings: Settings, life: Life, tmp_path: Path
) -> None:
    if backend != "sqlite":
        pytest.skip("PostgreSQL is backed up with pg_dump")
    await db.execute(text("SELECT 1"))  # the app's connection stays open during the copy
    copy = tmp_path / "copy.db"
    assert await asyncio.to_thread(backup, settings.database_url, copy) > 0
    with closing(sqlite3.connect(copy)) as restored:
        names = restored.execute("SELECT name FROM persons ORDER BY name").fetchall()
    assert names == [("Ada Admin",), ("Anna de Vries",), ("Bram Bakker",)]


async def test_migrating_a_restored_copy_changes_nothing(
    backend: str, settings: Settings, life: Life, tmp_path: Path
) -> None:
    if backend != "sqlite":
        pytest.skip("PostgreSQL is backed up with pg_dump")
    copy = tmp_path / "copy.db"
    await asyncio.to_thread(backup, settings.database_url, copy)
    url = f"sqlite+aiosqlite:///{copy}"
    with closing(sqlite3.connect(copy)) as before:
        schema = before.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    await asyncio.to_thread(upgrade, url)
    with closing(sqlite3.connect(copy)) as after:
        assert after.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == schema
    engine = create_engine(url)
    try:
        assert await current_revisions(engine) == head_revisions(url)
    finally:
        await engine.dispose()


async def test_the_command_writes_the_copy(
    backend: str,
    settings: Settings,
    life: Life,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if backend != "sqlite":
        pytest.skip("PostgreSQL is backed up with pg_dump")
    _use(monkeypatch, settings.database_url)
    copy = tmp_path / "werkplek-backup.db"
    assert await asyncio.to_thread(cli.main, ["backup", str(copy)]) == 0
    assert copy.stat().st_size > 0
    assert f"Back-up van {copy} gemaakt" in capsys.readouterr().out


async def test_the_command_refuses_to_overwrite_a_file_as_wrong_usage(
    backend: str, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if backend != "sqlite":
        pytest.skip("PostgreSQL is backed up with pg_dump")
    _use(monkeypatch, settings.database_url)
    existing = tmp_path / "old.db"
    existing.write_bytes(b"keep me")
    assert await asyncio.to_thread(cli.main, ["backup", str(existing)]) == 2
    assert existing.read_bytes() == b"keep me"


async def test_on_postgresql_the_command_names_pg_dump_and_fails_as_wrong_usage(
    backend: str,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if backend != "postgres":
        pytest.skip("about PostgreSQL")
    _use(monkeypatch, settings.database_url)
    assert await asyncio.to_thread(cli.main, ["backup", str(tmp_path / "x")]) == 2
    assert "pg_dump" in capsys.readouterr().err
    with pytest.raises(BackupNotSupported):
        backup(make_url(settings.database_url).render_as_string(False), tmp_path / "y")
