"""Database engine, sessions, declarative base and the UTC datetime type."""

from __future__ import annotations

import asyncio
import json
import weakref
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, TypeVarTuple, cast

from sqlalchemy import (
    Boolean,
    DateTime,
    Integer,
    MetaData,
    String,
    bindparam,
    event,
    func,
    literal_column,
    or_,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect, Result
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, MappedColumn, Session, SessionTransaction, mapped_column
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import BindParameter, ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.selectable import TypedReturnsRows
from sqlalchemy.types import TypeDecorator, TypeEngine

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

WRITE_LOCK_OPTION = "werkplek_write_lock"
#: How long a writer waits for SQLite's write lock before giving up ("database is locked").
SQLITE_BUSY_SECONDS = 15
#: The ASGI scope key of the request's session, opened when the caller is identified.
REQUEST_SESSION = "werkplek_db"
#: ``session.info`` key of a transaction that has only read who is asking (see ``lock_for_write``).
IDENTITY_READ = "werkplek_identity_read"
Columns = TypeVarTuple("Columns")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """An instant stored in UTC; always returned timezone-aware.

    SQLite has no timezone type, so values are stored as naive UTC there and
    made aware again on the way out. Naive input is refused: it is a bug.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an instant is required")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class IdList(TypeDecorator[Iterable[int]]):
    """Ids as one parameter: an integer array on PostgreSQL, a JSON array on SQLite."""

    impl = String
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(ARRAY(Integer))
        return dialect.type_descriptor(String())

    def process_bind_param(self, value: Iterable[int] | None, dialect: Dialect) -> Any:
        ids = [int(i) for i in value or ()]
        return ids if dialect.name == "postgresql" else json.dumps(ids)


class _InIds(FunctionElement[bool]):
    type = Boolean()
    inherit_cache = True
    name = "in_ids"
    _is_implicitly_boolean = True  # a condition as it is, never "= 1" on SQLite


@compiles(_InIds, "postgresql")
def _in_ids_postgresql(element: _InIds, compiler: SQLCompiler, **kw: Any) -> str:
    column, ids = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"{column} = ANY({ids})"


@compiles(_InIds)
def _in_ids_sqlite(element: _InIds, compiler: SQLCompiler, **kw: Any) -> str:
    column, ids = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"{column} IN (SELECT value FROM json_each({ids}))"


def ids_param(name: str) -> BindParameter[Iterable[int]]:
    """A parameter holding a list of ids, for ``in_ids``."""
    return bindparam(name, type_=IdList())


def in_ids(column: Any, ids: BindParameter[Iterable[int]]) -> ColumnElement[bool]:
    """``column IN ids`` with the ids as one parameter (see ``IdList``), instead of
    an expanding ``IN`` with a parameter per id: the statement's text does not depend on
    how many ids there are, so each database prepares and plans it once. On PostgreSQL
    a generic plan of an expanding ``IN`` rebuilds the list for every row it filters
    (tens of milliseconds over a few thousand rows); an array parameter is a constant."""
    return _InIds(column, ids)


def constant(value: str) -> ColumnElement[str]:
    """A fixed text written into the statement, not bound as a parameter.

    For the fixed texts and lists of hot statements: SQLAlchemy extracts every parameter
    on each execution, and re-renders the SQL of a statement with an expanding ``IN`` list
    or a string-aggregation separator (its "post-compile" parameters) each time; the
    feed's fingerprint statement with ~200 such parameters spent more time on them than
    the database on its answer. Only for texts of the code itself, never user input."""
    return literal_column("'" + value.replace("'", "''") + "'", String)


def one_of(column: Any, values: Iterable[str]) -> ColumnElement[bool]:
    """``column IN (...)`` over fixed texts (enum values), written into the statement."""
    return cast(ColumnElement[bool], column.in_([constant(value) for value in values]))


def joined_strings(column: Any, separator: str) -> ColumnElement[str]:
    """The group's values as one text (``string_agg``/``group_concat``), the separator
    written into the statement (see ``constant``)."""
    return func.aggregate_strings(column, cast(str, constant(separator)))


def split_joined(joined: str | None, separator: str = ",") -> list[str]:
    """The values ``joined_strings`` put into one text; none for NULL (no rows)."""
    return joined.split(separator) if joined else []


def split_ids(joined: str | None) -> frozenset[int]:
    """The ids ``joined_strings`` put into one text, comma-separated."""
    return frozenset(int(value) for value in split_joined(joined))


class _ContainsFolded(FunctionElement[bool]):
    """``column`` matches a lower-case LIKE pattern, ignoring case (see ``contains_folded``)."""

    type = Boolean()
    inherit_cache = True
    name = "contains_folded"


@compiles(_ContainsFolded, "postgresql")
def _contains_folded_postgresql(element: _ContainsFolded, compiler: SQLCompiler, **kw: Any) -> str:
    column, pattern = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"lower({column}) LIKE {pattern} ESCAPE '\\'"


@compiles(_ContainsFolded)
def _contains_folded_sqlite(element: _ContainsFolded, compiler: SQLCompiler, **kw: Any) -> str:
    column_clause, pattern_clause = element.clauses
    column = compiler.process(column_clause, **kw)

    def pattern() -> str:  # each use of a bound value is a placeholder of its own
        return str(compiler.process(pattern_clause, **kw))

    return (
        f"({column} LIKE {pattern()} ESCAPE '\\' OR ({SQLITE_NON_ASCII}({pattern()})"
        f" AND {SQLITE_LOWER}({column}) LIKE {pattern()} ESCAPE '\\'))"
    )


def contains_folded(column: Any, pattern: BindParameter[str]) -> ColumnElement[bool]:
    """``column`` matches the lower-case LIKE ``pattern`` (escape character ``\\``),
    ignoring case. PostgreSQL compares ``lower(column)``, which its trigram indexes
    cover. SQLite's LIKE ignores the case of ASCII letters by itself, and its ``lower()``
    folds no others, so the column is compared as it is (``lower()`` on every row was
    most of a search's time); only a pattern with other letters (Özlem, Émile) compares
    the column through Python's ``str.lower``, registered on each connection."""
    return cast(ColumnElement[bool], _ContainsFolded(column, pattern))


def any_contains(text: str, *columns: Any) -> ColumnElement[bool] | None:
    """Rows where one of ``columns`` contains ``text`` (a search as typed, see
    ``people.services.search_text``), whatever the case; "%" and "_" are searched for
    literally. None for an empty text: nothing to narrow by."""
    needle = text.lower()
    if not needle:
        return None
    return or_(*(func.lower(column).contains(needle, autoescape=True) for column in columns))


def _system_now() -> datetime:
    return datetime.now(UTC)


def change_time_column() -> MappedColumn[datetime | None]:
    """``updated_at`` of a table whose rows carried no change time: set on every insert
    and update by the model itself, so that no write path (admin, import, single sign-on,
    erasure) can forget it. It marks that a row changed (calendar feeds compare it, see
    ``feeds.services``), it is no business time, so it reads the system clock; rows from
    before the column existed hold NULL until they next change."""
    return mapped_column(UTCDateTime(), default=_system_now, onupdate=_system_now)


async def mark_changed(session: AsyncSession, model: Any, *where: ColumnElement[bool]) -> None:
    """Stamp the change time (``change_time_column``) of some rows that did not change
    themselves, where what a calendar feed built from them shows changed in a way it
    cannot see otherwise: a person taken off a field visit is no longer linked to it,
    so only their own row can tell their feeds to drop it."""
    await session.execute(
        update(model)
        .where(*where)
        .values(updated_at=_system_now())
        .execution_options(synchronize_session=False)
    )


#: SQL functions each SQLite connection gets, for ``contains_folded``.
SQLITE_LOWER = "werkplek_lower"
SQLITE_NON_ASCII = "werkplek_non_ascii"


def _lower(text: str | None) -> str | None:
    return None if text is None else text.lower()


def _non_ascii(text: str | None) -> bool:
    return text is not None and not text.isascii()


def _configure_sqlite(engine: AsyncEngine) -> None:
    """WAL, foreign keys, a busy timeout, and explicit BEGINs.

    pysqlite's own transaction handling is switched off so that a write
    transaction can start with ``BEGIN IMMEDIATE``: it takes SQLite's single
    write lock up front, which serialises check-then-insert across workers.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        dbapi_connection.create_function(SQLITE_LOWER, 1, _lower, deterministic=True)
        dbapi_connection.create_function(SQLITE_NON_ASCII, 1, _non_ascii, deterministic=True)

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(WRITE_LOCK_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


def create_engine(
    database_url: str,
    *,
    echo: bool = False,
    pool_size: int = 10,
    max_overflow: int = 10,
    pool_timeout: int = 30,
) -> AsyncEngine:
    """The engine; connections are pooled on both databases (on PostgreSQL ``pool_size``
    kept open, ``max_overflow`` more under load, and a request waits ``pool_timeout``
    seconds for one of them to come free).

    No ``pool_pre_ping``: with asyncpg it costs three round trips (a transaction around
    an empty query) on every checkout, a third of a simple request. A connection that
    died with its server (a restart, a failover) fails the statement that finds out,
    which answers 503 (``web.EXCEPTION_HANDLERS``); SQLAlchemy then discards every pooled
    connection older than that moment, so each worker recovers on its next request.
    """
    if database_url.startswith("sqlite"):
        engine = create_async_engine(database_url, echo=echo, connect_args={"timeout": 15})
        _configure_sqlite(engine)
        return engine
    return create_async_engine(
        database_url,
        echo=echo,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_timeout=pool_timeout,
        pool_recycle=1800,
    )


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def lock_for_write(session: AsyncSession) -> None:
    """Start the session's transaction as a writer.

    Must be the first statement of the transaction. On SQLite it takes the
    database write lock (``BEGIN IMMEDIATE``) so that checks and the insert
    that follows them cannot interleave with another writer. On PostgreSQL
    the constraints do that job and this is a no-op. A service that calls other
    writing services takes the lock first; their own calls then find the
    transaction already writing and leave it be.
    """
    if session.bind is not None and session.bind.dialect.name == "sqlite":
        current = session.sync_session.get_transaction()
        if current is not None and session.info.get(WRITE_LOCK_OPTION) is current:
            return
        if current is not None and session.info.get(IDENTITY_READ) is current:
            await session.commit()  # it only read who is asking: end it, then wait to write
        queue = _writer_queue(session)
        try:
            await asyncio.wait_for(queue.acquire(), SQLITE_BUSY_SECONDS)
        except TimeoutError:
            raise OperationalError(
                "BEGIN IMMEDIATE", None, Exception("database is locked")
            ) from None
        try:
            await session.connection(execution_options={WRITE_LOCK_OPTION: True})
        except BaseException:
            queue.release()
            raise
        session.info[WRITE_LOCK_OPTION] = session.sync_session.get_transaction()
        session.info[_QUEUE_HELD] = queue


#: ``session.info`` key of the writer queue a session's write transaction holds.
_QUEUE_HELD = "werkplek_writer_queue"
_WRITER_QUEUES: weakref.WeakKeyDictionary[Any, dict[asyncio.AbstractEventLoop, asyncio.Lock]] = (
    weakref.WeakKeyDictionary()
)


def _writer_queue(session: AsyncSession) -> asyncio.Lock:
    """The process's queue of SQLite writers for the session's database (per event loop).

    SQLite has one write lock, and a writer that finds it taken sleeps in the busy handler
    (1, 2, 5 ... 100 ms, retried until the timeout) rather than queueing: under load some
    writers wait seconds while others get in at once. Writers of one process queue here
    in order instead, so only one connection per process waits on SQLite itself."""
    queues = _WRITER_QUEUES.setdefault(session.sync_session.get_bind(), {})
    loop = asyncio.get_running_loop()
    if loop not in queues:
        queues.clear()  # an engine serves one loop at a time; tests start new ones
        queues[loop] = asyncio.Lock()
    return queues[loop]


@event.listens_for(Session, "after_transaction_end")
def _leave_writer_queue(session: Session, transaction: SessionTransaction) -> None:
    """A write transaction's end (commit, rollback or close) lets the next writer in."""
    if transaction.parent is None and session.info.get(WRITE_LOCK_OPTION) is transaction:
        queue = session.info.pop(_QUEUE_HELD, None)
        if queue is not None:
            queue.release()


def mark_identity_read(session: AsyncSession) -> None:
    """Note that the session's open transaction has only identified the caller.

    The request's handler goes on in the same transaction (one connection and one
    transaction per request); a writer on SQLite may end it first (``lock_for_write``).
    """
    session.info[IDENTITY_READ] = session.sync_session.get_transaction()


def is_postgres(session: AsyncSession) -> bool:
    return session.bind is not None and session.bind.dialect.name == "postgresql"


@asynccontextmanager
async def session_scope(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """A session that commits on success and rolls back on error."""
    async with sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


async def select_rows(
    session: AsyncSession,
    statement: TypedReturnsRows[*Columns],
    parameters: Mapping[str, Any] | None = None,
) -> Result[*Columns]:
    """Run a select of columns (not of mapped objects) on the session's connection.

    ``Session.execute`` passes every row of a select that names mapped columns through the
    ORM's row loading, which such a select does not need: a KCC search or a team board,
    with their many small statements, costs about a tenth less CPU this way. Sessions
    here do not autoflush (``create_sessionmaker``), so nothing pending is skipped.
    """
    connection = await session.connection()
    return await connection.execute(statement, parameters)


async def rows_changed(session: AsyncSession, statement: Executable) -> int:
    """Run an UPDATE or DELETE and say how many rows it changed."""
    result = await session.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)
