"""A check run under every test: on SQLite, no request, scheduler job or command writes in a
transaction that read first without taking the write lock (``db.lock_for_write``).

SQLite refuses such a write at once ("database is locked", a 503) whenever another
connection committed since the transaction's first read, however long the busy timeout:
it cannot move a reader's snapshot forward. Alone in a test it always succeeds, so the
tests would never see it; this check finds it by the shape of the transaction instead.
Writes by the tests' own set-up are not checked: they never run concurrently.
"""

from __future__ import annotations

import traceback
from typing import Any

import greenlet
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from werkplek.db import WRITE_LOCK_OPTION

_STATE = "werkplek_test_transaction"
_WRITES = ("INSERT", "UPDATE", "DELETE")
#: Statements that neither read nor write the data (``BEGIN`` itself passes through here).
_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA")
#: Frames that show a statement runs for a request, a scheduler job or a command.
_CHECKED_CALLERS = ("litestar/routes/http.py", "werkplek/scheduler.py", "werkplek/cli.py")

#: What the check found since the last test took it (``take_unlocked_writes``).
_found: list[str] = []


def _callers() -> list[traceback.FrameSummary]:
    """The frames of the code that awaited the statement: SQLAlchemy runs it in a greenlet
    of its own, whose parent holds the caller's stack."""
    parent = greenlet.getcurrent().parent
    frame = parent.gr_frame if parent is not None else None
    return traceback.extract_stack(frame) if frame is not None else traceback.extract_stack()


@event.listens_for(Engine, "begin")
def _on_begin(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        locked = bool(connection.get_execution_options().get(WRITE_LOCK_OPTION))
        connection.info[_STATE] = "writer" if locked else "fresh"


@event.listens_for(Engine, "before_cursor_execute")
def _on_statement(
    connection: Connection, _cursor: Any, statement: str, *_args: Any, **_kwargs: Any
) -> None:
    state = connection.info.get(_STATE)
    if state not in ("fresh", "read"):
        return
    verb = statement.lstrip().split(None, 1)[0].upper()
    if verb in _CONTROL:
        return
    if verb not in _WRITES:
        connection.info[_STATE] = "read"
        return
    if state == "fresh":
        return  # a write first takes the lock, waiting in the busy handler
    stack = _callers()
    if not any(frame.filename.endswith(_CHECKED_CALLERS) for frame in stack):
        return
    ours = [
        f"{frame.filename.rsplit('/werkplek/', 1)[-1]}:{frame.lineno} {frame.name}"
        for frame in stack
        if "/werkplek/" in frame.filename and "/site-packages/" not in frame.filename
    ]
    _found.append(f"{' '.join(statement.split()[:3])} from {' < '.join(reversed(ours[-3:]))}")


def take_unlocked_writes() -> list[str]:
    """The unlocked writes found since the last call, forgotten."""
    found = list(_found)
    _found.clear()
    return found
