"""Faults: the database goes away or is busy, and people get a clear 503, never a 500.

PostgreSQL: a private server (initdb into a temporary folder, its own port) is stopped
with ``pg_ctl stop -m fast`` in the middle of a load run of bookings and started again;
the shared test server is never touched. Requests in flight finish as 201 or 503, no
booking is half written (each stored booking has its audit event, and every 201 has its
booking), and the same app serves bookings again once the server is back.

SQLite: another process holds the write lock; writes answer 503, reads still work.
"""

from __future__ import annotations

import asyncio
import glob
import logging
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Any

import httpx
import pytest
from asyncpg.exceptions import TooManyConnectionsError
from litestar import Litestar
from sqlalchemy import event, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import DEFAULT_NOW
from werkplek.app import create_app
from werkplek.audit.models import AuditEvent
from werkplek.bookings.models import Booking
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.db import create_engine, create_sessionmaker
from werkplek.migrate import upgrade
from werkplek.people.models import ApiToken, Person
from werkplek.people.security import new_token, token_hash
from werkplek.rooms.models import OpeningHours, Site, Space
from werkplek.web import is_database_outage

pytestmark = pytest.mark.faults

TOMORROW = date(2026, 11, 26)
PEOPLE = 30  # three waves of ten


def _settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        environment="test",
        secret_key="test-secret-key-that-is-long-enough-123",
        secure_cookies=False,
        scheduler_enabled=False,
    )


@dataclass
class Office:
    desk_ids: list[int]
    tokens: list[str]


async def _office(session: AsyncSession, people: int) -> Office:
    """A site open every weekday, one desk per person, each person with an API token."""
    now = DEFAULT_NOW
    site = Site(name="Stadskantoor", kind="central_office", observe_public_holidays=False)
    site.opening_hours = [OpeningHours(weekday=d, opens=time(7), closes=time(19)) for d in range(5)]
    session.add(site)
    await session.flush()
    desks = [Space(site_id=site.id, name=f"Flexplek {n}", kind="desk") for n in range(people)]
    persons = [
        Person(email=f"p{n}@example.nl", name=f"Medewerker {n}", created_at=now, language="nl")
        for n in range(people)
    ]
    session.add_all([*desks, *persons])
    await session.flush()
    tokens = [new_token() for _ in persons]
    session.add_all(
        ApiToken(person_id=p.id, name="load", token_hash=token_hash(t), created_at=now)
        for p, t in zip(persons, tokens, strict=True)
    )
    await session.commit()
    return Office([d.id for d in desks], tokens)


async def _book(http: httpx.AsyncClient, office: Office, n: int) -> httpx.Response:
    return await http.post(
        "/api/bookings",
        json={"space_id": office.desk_ids[n], "date": TOMORROW.isoformat(), "day_part": "day"},
        headers={"Authorization": f"Bearer {office.tokens[n]}"},
    )


def _client(app: Litestar) -> httpx.AsyncClient:
    """The app in this event loop, so requests really run side by side."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://werkplek")


# --- PostgreSQL ----------------------------------------------------------------------------


class PrivatePostgres:
    """A throw-away PostgreSQL cluster owned by the ``postgres`` system user."""

    def __init__(self, folder: Path, binaries: Path) -> None:
        self.data = folder / "data"
        self.binaries = binaries
        self.port = _free_port()
        self.url = f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *command],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def init(self) -> None:
        self._run(
            str(self.binaries / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
            "-E", "UTF8", "--no-sync",
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.data} -c fsync=off"
        )
        self._run(
            str(self.binaries / "pg_ctl"), "-D", str(self.data), "-o", options,
            "-l", str(self.data / "server.log"), "-w", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.binaries / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _postgres_binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@pytest.fixture(scope="module")
def private_postgres() -> Iterator[PrivatePostgres]:
    binaries = _postgres_binaries()
    if binaries is None or shutil.which("runuser") is None or os.geteuid() != 0:
        pytest.skip("needs the PostgreSQL server binaries and root (to run them as postgres)")
    owner = pwd.getpwnam("postgres")
    folder = Path(tempfile.mkdtemp(prefix="werkplek-faults-"))
    os.chown(folder, owner.pw_uid, owner.pw_gid)
    server = PrivatePostgres(folder, binaries)
    try:
        server.init()
        server.start()
        upgrade(server.url)
        yield server
    finally:
        if (server.data / "postmaster.pid").exists():
            server.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)


async def test_a_postgresql_restart_during_a_load_run_gives_503_and_the_app_recovers(
    private_postgres: PrivatePostgres,
) -> None:
    engine = create_engine(private_postgres.url)
    sessions = create_sessionmaker(engine)
    async with sessions() as session:
        office = await _office(session, PEOPLE)
    await engine.dispose()
    app = create_app(_settings(private_postgres.url), FixedClock(DEFAULT_NOW))

    async with _client(app) as http:
        before = await asyncio.gather(*(_book(http, office, n) for n in range(10)))
        during, _ = await asyncio.gather(
            asyncio.gather(*(_book(http, office, n) for n in range(10, 20))),
            asyncio.to_thread(private_postgres.stop),
        )
        down = await _book(http, office, 20)
        await asyncio.to_thread(private_postgres.start)
        after = await asyncio.gather(*(_book(http, office, n) for n in range(21, 30)))
    await app.state.engine.dispose()

    assert [r.status_code for r in before] == [201] * 10
    assert set(Counter(r.status_code for r in during)) <= {201, 503}, [r.text for r in during]
    assert down.status_code == 503
    assert down.json()["error"] == "database_unavailable"
    assert "try again" in down.json()["message"].lower() or "opnieuw" in down.json()["message"]
    assert down.headers["retry-after"]
    assert [r.status_code for r in after] == [201] * 9

    engine = create_engine(private_postgres.url)
    async with create_sessionmaker(engine)() as session:
        stored = set((await session.execute(select(Booking.id))).scalars())
        audited = set(
            int(i)
            for i in (
                await session.execute(
                    select(AuditEvent.object_id).where(
                        AuditEvent.object_type == "booking", AuditEvent.action == "create"
                    )
                )
            ).scalars()
        )
    await engine.dispose()
    created = {
        b["id"]
        for r in [*before, *during, *after]
        if r.status_code == 201
        for b in r.json()["bookings"]
    }
    # Every stored booking is whole (its audit event was written in the same transaction);
    # a commit the server made just as it went down may be stored without its 201.
    assert stored == audited
    assert created <= stored


# --- SQLite ---------------------------------------------------------------------------------


@pytest.fixture
async def locked_sqlite() -> AsyncIterator[tuple[Litestar, Office, Any]]:
    """An app on a SQLite file, with a short busy timeout, and a way to hold the write lock."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'werkplek.db'}"
        await asyncio.to_thread(upgrade, url)
        engine = create_engine(url)
        async with create_sessionmaker(engine)() as session:
            office = await _office(session, 3)
        await engine.dispose()
        app = create_app(_settings(url), FixedClock(DEFAULT_NOW))

        @event.listens_for(app.state.engine.sync_engine, "connect")
        def _short_wait(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA busy_timeout=200")
            cursor.close()

        import sqlite3

        holder = sqlite3.connect(Path(folder) / "werkplek.db", isolation_level=None)
        try:
            yield app, office, holder
        finally:
            holder.close()
            await app.state.engine.dispose()


async def test_a_write_while_sqlite_is_locked_is_a_503_not_a_500(
    locked_sqlite: tuple[Litestar, Office, Any],
) -> None:
    app, office, holder = locked_sqlite
    async with _client(app) as http:
        await http.get("/api/me", headers={"Authorization": f"Bearer {office.tokens[0]}"})
        holder.execute("BEGIN IMMEDIATE")
        response = await _book(http, office, 0)
        holder.execute("ROLLBACK")
        again = await _book(http, office, 0)
    assert response.status_code == 503, response.text
    assert response.json()["error"] == "database_unavailable"
    assert again.status_code == 201


async def test_a_token_read_while_sqlite_is_locked_still_answers(
    locked_sqlite: tuple[Litestar, Office, Any],
) -> None:
    app, office, holder = locked_sqlite
    async with _client(app) as http:
        holder.execute("BEGIN IMMEDIATE")
        # the token was never used: Werkplek would note its first use, but the lock is taken
        response = await http.get(
            "/api/me", headers={"Authorization": f"Bearer {office.tokens[1]}"}
        )
        holder.execute("ROLLBACK")
    assert response.status_code == 200, response.text


async def test_concurrent_token_requests_on_sqlite_never_fail(
    locked_sqlite: tuple[Litestar, Office, Any],
) -> None:
    app, office, _holder = locked_sqlite
    headers = {"Authorization": f"Bearer {office.tokens[2]}"}
    async with _client(app) as http:
        responses = await asyncio.gather(*(http.get("/api/me", headers=headers) for _ in range(20)))
    assert Counter(r.status_code for r in responses) == {200: 20}


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _app_log() -> Iterator[list[logging.LogRecord]]:
    """What the app logs as uncaught exceptions (Litestar's logger). Entered once the app
    has started: its logging set-up replaces the logger's handlers."""
    handler = _Records()
    logger = logging.getLogger("litestar")
    logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)


async def test_a_503_is_logged_with_its_traceback(
    locked_sqlite: tuple[Litestar, Office, Any],
) -> None:
    app, office, holder = locked_sqlite
    async with _client(app) as http:
        await http.get("/api/me", headers={"Authorization": f"Bearer {office.tokens[0]}"})
        with _app_log() as logged:
            holder.execute("BEGIN IMMEDIATE")
            await _book(http, office, 0)
            holder.execute("ROLLBACK")
    assert any(record.levelno >= logging.ERROR for record in logged)


async def test_client_errors_are_answered_without_an_error_log(
    locked_sqlite: tuple[Litestar, Office, Any],
) -> None:
    app, office, _holder = locked_sqlite
    token = {"Authorization": f"Bearer {office.tokens[0]}"}
    async with _client(app) as http:
        await http.get("/api/me", headers=token)
        with _app_log() as logged:
            assert (await http.get("/api/bookings/999999", headers=token)).status_code == 404
            assert (await http.get("/api/me")).status_code == 401
    assert [record for record in logged if record.levelno >= logging.ERROR] == []


async def test_a_value_the_database_cannot_take_is_answered_without_an_error_log(
    locked_sqlite: tuple[Litestar, Office, Any],
) -> None:
    app, office, _holder = locked_sqlite
    token = {"Authorization": f"Bearer {office.tokens[0]}"}
    async with _client(app) as http:
        await http.get("/api/me", headers=token)
        with _app_log() as logged:
            assert (await http.get(f"/api/bookings/{2**70}", headers=token)).status_code == 400
    assert [record for record in logged if record.levelno >= logging.ERROR] == []


async def test_a_worker_whose_connections_are_all_busy_answers_503(
    settings: Settings, backend: str
) -> None:
    if backend == "sqlite":
        pytest.skip("the pool settings are PostgreSQL's")
    app = create_app(
        settings.with_changes(
            database_pool_size=1, database_max_overflow=0, database_pool_timeout_seconds=1
        ),
        FixedClock(DEFAULT_NOW),
    )
    try:
        async with app.state.engine.connect() as busy, _client(app) as http:
            await busy.execute(select(1))
            response = await http.get("/api/me", headers={"Authorization": "Bearer any"})
    finally:
        await app.state.engine.dispose()

    assert (response.status_code, response.json()["error"]) == (503, "database_unavailable")


def test_a_postgresql_server_refusing_more_connections_is_an_outage() -> None:
    refused = DBAPIError("connect", None, TooManyConnectionsError("too many clients already"))

    assert is_database_outage(refused)
