"""Test harness: every test that asks for ``client`` or ``db`` runs on SQLite and PostgreSQL.

Each backend gets a database of its own for the run (migrated once with Alembic);
tables are emptied before each test. PostgreSQL comes from
WERKPLEK_TEST_DATABASE_URL (default: the local server); when it is missing the
PostgreSQL half is skipped, except under CI=true where that is an error.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time as wall
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any, NamedTuple

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from werkplek.app import create_app
from werkplek.clock import Clock, FixedClock
from werkplek.config import Settings
from werkplek.db import Base, create_engine, create_sessionmaker
from werkplek.migrate import upgrade
from werkplek.models import import_all_models
from werkplek.people.models import LoginSession, Person, PersonRole, Role, Team, TeamMembership
from werkplek.people.security import new_token, token_hash
from werkplek.rooms.models import Closure, Floor, OpeningHours, Site, Space, SpaceTeam, Zone

from .sqlite_writes import take_unlocked_writes

import_all_models()

DEFAULT_PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
# A Wednesday in November, 10:00 in Amsterdam.
DEFAULT_NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _no_unlocked_sqlite_writes() -> Iterator[None]:
    """Fails a test in which a request or scheduler job wrote on SQLite after reading
    without the write lock (``sqlite_writes``)."""
    take_unlocked_writes()
    yield
    found = take_unlocked_writes()
    assert not found, "writes without db.lock_for_write after a read:\n" + "\n".join(found)


def _pg_admin_url() -> str:
    url = os.environ.get("WERKPLEK_TEST_DATABASE_URL", DEFAULT_PG_URL)
    if url.startswith("postgresql://"):
        url = "postgresql+asyncpg://" + url.removeprefix("postgresql://")
    return url


async def _pg_execute(url: str, statement: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


def _create_postgres_database() -> tuple[str, str]:
    admin_url = _pg_admin_url()
    name = f"werkplek_test_{os.getpid()}_{secrets.token_hex(3)}"
    asyncio.run(_pg_execute(admin_url, f'CREATE DATABASE "{name}"'))
    return admin_url, make_url(admin_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite+aiosqlite:///{Path(folder) / 'werkplek-test.db'}"
            upgrade(url)
            yield url
        return
    try:
        admin_url, url = _create_postgres_database()
    except (OSError, Exception) as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI=true and is not reachable: {exc}")
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    upgrade(url)
    yield url
    name = make_url(url).database
    asyncio.run(_pg_execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def backend(database_url: str) -> str:
    return "sqlite" if database_url.startswith("sqlite") else "postgres"


_RESTART_SEQUENCES = (
    "SELECT setval(oid::regclass, 1, false) FROM pg_class "
    "WHERE relkind = 'S' AND relnamespace = current_schema()::regnamespace"
)


#: One engine per test database for emptying its tables before each test, keeping one
#: connection (the fixtures run on one event loop): making an engine and a connection per
#: test cost ten times the emptying itself.
_EMPTYING_ENGINES: dict[str, AsyncEngine] = {}


async def _empty_tables(url: str) -> None:
    """``empty_tables`` of the test database at ``url``, through its kept engine."""
    engine = _EMPTYING_ENGINES.get(url)
    if engine is None:
        engine = _EMPTYING_ENGINES[url] = create_engine(url, pool_size=1)
    await empty_tables(engine)


async def empty_tables(engine: AsyncEngine) -> None:
    """Delete every row, children first: on the few rows a test leaves, PostgreSQL does
    this ten times faster than TRUNCATE (which costs about half a second per test). The
    deletes go to the driver as one script (asyncpg's simple query protocol and sqlite3's
    ``executescript`` take several statements), on PostgreSQL with the sequences started
    again: 2 ms instead of 30 to 60 through a new engine and a statement at a time."""
    deletes = [f'DELETE FROM "{table.name}"' for table in reversed(Base.metadata.sorted_tables)]
    async with engine.connect() as connection:
        driver = (await connection.get_raw_connection()).driver_connection
        if engine.dialect.name == "sqlite":
            await driver.executescript(";".join(["BEGIN", *deletes, "COMMIT"]))
        else:
            await driver.execute(";".join(["BEGIN", *deletes, _RESTART_SEQUENCES, "COMMIT"]))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(DEFAULT_NOW)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        environment="test",
        secret_key="test-secret-key-that-is-long-enough-123",
        secure_cookies=False,
        scheduler_enabled=False,
    )


@pytest.fixture
def command_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a `werkplek` command reads from the environment: the test database."""
    monkeypatch.setenv("WERKPLEK_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("WERKPLEK_ENV", "test")


class _ClockProxy:
    """The clock of a shared app: it asks the current test's clock."""

    def __init__(self, target: Clock) -> None:
        self.target = target

    def now(self) -> datetime:
        return self.target.now()


_APPS: dict[Settings, tuple[Litestar, _ClockProxy]] = {}


@pytest.fixture
async def app(settings: Settings, clock: FixedClock) -> Litestar:
    """The app on emptied tables, following the test's clock.

    Building an app takes about half a second, so tests with the same settings share one;
    its lifespan (run by each test's client) disposes the engine's connections afterwards.
    """
    await _empty_tables(settings.database_url)
    if settings not in _APPS:
        proxy = _ClockProxy(clock)
        _APPS[settings] = (create_app(settings, proxy), proxy)
    shared, proxy = _APPS[settings]
    proxy.target = clock
    return shared


@pytest.fixture
async def db(app: Litestar, settings: Settings) -> AsyncIterator[AsyncSession]:
    """A session on the test database, for arranging data and checking results.

    It has an engine of its own: the test client runs the app in another event
    loop, and pooled connections must not cross loops. Commit what you arrange
    before calling the client, and ``await db.rollback()`` before reading what
    the app wrote, so the session sees a fresh snapshot.
    """
    engine = create_engine(settings.database_url)
    async with create_sessionmaker(engine)() as session:
        yield session
    await engine.dispose()


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


MakePerson = Callable[..., Awaitable[Person]]


@pytest.fixture
def make_person(db: AsyncSession, clock: FixedClock) -> MakePerson:
    counter = iter(range(1, 100_000))

    async def make(
        name: str | None = None,
        *,
        roles: tuple[Role, ...] = (),
        teams: tuple[Team, ...] = (),
        lead_of: tuple[Team, ...] = (),
        **fields: Any,
    ) -> Person:
        number = next(counter)
        person = Person(
            email=fields.pop("email", f"person{number}@example.nl"),
            name=name or f"Person {number}",
            created_at=clock.now(),
            language=fields.pop("language", "nl"),
            active=fields.pop("active", True),
            hide_desk=fields.pop("hide_desk", False),
            **fields,
        )
        person.roles = [PersonRole(role=role.value) for role in roles]
        person.memberships = [
            TeamMembership(team_id=team.id, is_lead=team in lead_of) for team in {*teams, *lead_of}
        ]
        db.add(person)
        await db.commit()
        await db.refresh(person)
        return person

    return make


MakeTeam = Callable[[str], Awaitable[Team]]


@pytest.fixture
def make_team(db: AsyncSession) -> MakeTeam:
    async def make(name: str) -> Team:
        team = Team(name=name, description="")
        db.add(team)
        await db.commit()
        return team

    return make


MakeSite = Callable[..., Awaitable[Site]]
MakeFloor = Callable[..., Awaitable[Floor]]
MakeSpace = Callable[..., Awaitable[Space]]


@pytest.fixture
def make_site(db: AsyncSession) -> MakeSite:
    """A site open Monday to Friday 07:30-18:00, split at 13:00, unless told otherwise."""

    async def make(
        name: str = "Stadskantoor",
        *,
        hours: dict[int, tuple[time, time]] | None = None,
        **fields: Any,
    ) -> Site:
        opening = hours if hours is not None else dict.fromkeys(range(5), (time(7, 30), time(18)))
        site = Site(
            name=name,
            kind=fields.pop("kind", "central_office"),
            timezone="Europe/Amsterdam",
            day_split=fields.pop("day_split", time(13)),
            max_days_ahead=fields.pop("max_days_ahead", 14),
            observe_public_holidays=fields.pop("observe_public_holidays", True),
            active=fields.pop("active", True),
            **fields,
        )
        site.opening_hours = [
            OpeningHours(weekday=day, opens=opens, closes=closes)
            for day, (opens, closes) in sorted(opening.items())
        ]
        db.add(site)
        await db.commit()
        return site

    return make


@pytest.fixture
def make_floor(db: AsyncSession) -> MakeFloor:
    async def make(
        site: Site, name: str = "Begane grond", *, level: int = 0, zones: tuple[str, ...] = ()
    ) -> Floor:
        floor = Floor(site_id=site.id, name=name, level=level)
        floor.zones = [Zone(name=zone) for zone in zones]
        db.add(floor)
        await db.commit()
        return floor

    return make


@pytest.fixture
def make_space(db: AsyncSession) -> MakeSpace:
    """A bookable desk for one unless told otherwise; ``teams`` restricts it to them."""

    async def make(site: Site, name: str = "Flexplek 1", **fields: Any) -> Space:
        teams = fields.pop("teams", ())
        space = Space(
            site_id=site.id,
            name=name,
            kind=fields.pop("kind", "desk"),
            capacity=fields.pop("capacity", 1),
            amenities=fields.pop("amenities", []),
            safety_features=fields.pop("safety_features", []),
            requires_approval=fields.pop("requires_approval", False),
            active=fields.pop("active", True),
            **fields,
        )
        space.restricted_to = [SpaceTeam(team_id=team.id) for team in teams]
        db.add(space)
        await db.commit()
        return space

    return make


async def add_closure(
    db: AsyncSession,
    site: Site,
    first: date,
    last: date,
    *,
    space: Space | None = None,
    reason: str = "",
) -> Closure:
    """A closure of ``site`` (or of its ``space``) from ``first`` to ``last``, stored."""
    closure = Closure(
        site_id=site.id,
        space_id=space.id if space else None,
        starts_on=first,
        ends_on=last,
        reason=reason,
    )
    db.add(closure)
    await db.commit()
    return closure


class Login(NamedTuple):
    """A login session's cookie value and CSRF token."""

    token: str
    csrf: str

    @property
    def headers(self) -> dict[str, str]:
        """What a plain HTTP client sends to be this login (a live ``server``)."""
        return {"Cookie": f"werkplek_session={self.token}", "X-CSRF-Token": self.csrf}


def add_login(db: AsyncSession, person: Person, now: datetime) -> Login:
    """A login session of eight hours for ``person``, without the slow password check;
    commit ``db`` before using it."""
    login = Login(new_token(), new_token())
    db.add(
        LoginSession(
            token_hash=token_hash(login.token),
            person_id=person.id,
            csrf_token=login.csrf,
            created_at=now,
            expires_at=now + timedelta(hours=8),
        )
    )
    return login


LoginAs = Callable[[Person], Awaitable[dict[str, str]]]


@pytest.fixture
def login_as(client: AsyncTestClient[Litestar], db: AsyncSession, clock: FixedClock) -> LoginAs:
    """Log the client in as ``person`` (without the slow password check); returns headers."""

    async def login(person: Person) -> dict[str, str]:
        session = add_login(db, person, clock.now())
        await db.commit()
        client.cookies.set("werkplek_session", session.token)
        client.headers["X-CSRF-Token"] = session.csrf
        return {"X-CSRF-Token": session.csrf}

    return login


@pytest.fixture
async def employee(make_person: MakePerson, login_as: LoginAs) -> dict[str, str]:
    """The client logged in as a new colleague without a role; their CSRF headers."""
    return await login_as(await make_person())


TRANSACTION_CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT", "PRAGMA")


@contextmanager
def count_queries(session_or_engine: Any) -> Iterator[list[str]]:
    """The statements sent through a session's or an engine's connections while the block
    runs (the app's: ``app.state.engine``), other than transaction control."""
    engine = getattr(session_or_engine, "bind", session_or_engine).sync_engine
    statements: list[str] = []

    def count(*args: Any) -> None:
        if not args[2].lstrip().upper().startswith(TRANSACTION_CONTROL):
            statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


WERKPLEK = Path(sys.executable).with_name("werkplek")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server(NamedTuple):
    url: str
    log: IO[bytes]

    def log_tail(self) -> str:
        """The end of the server's output (its tracebacks, if a request failed)."""
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-6000:]


@pytest.fixture
def server(database_url: str) -> Iterator[Server]:
    """``werkplek serve --workers 2`` on a free port, against the test database: requests at
    the same moment, as many people make them."""
    port = _free_port()
    env = {
        **os.environ,
        "WERKPLEK_ENV": "test",
        "WERKPLEK_SCHEDULER": "false",
        "WERKPLEK_DATABASE_URL": database_url,
    }
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [str(WERKPLEK), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = wall.monotonic() + 60
            while True:
                if process.poll() is not None or wall.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"the server did not start:\n{log.read().decode()[-3000:]}")
                try:
                    if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                wall.sleep(0.2)
            yield Server(base, log)
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
