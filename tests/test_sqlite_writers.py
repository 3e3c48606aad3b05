"""On SQLite the writers of one process queue for the write lock in order
(``db.lock_for_write``), instead of each retrying in SQLite's busy handler."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from types import SimpleNamespace

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from werkplek.db import (
    REQUEST_SESSION,
    WRITE_LOCK_OPTION,
    create_engine,
    create_sessionmaker,
    lock_for_write,
    mark_identity_read,
)
from werkplek.web import provide_db

Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture
async def sessions(database_url: str, backend: str) -> AsyncIterator[Sessions]:
    if backend != "sqlite":
        pytest.skip("on PostgreSQL the constraints keep writers apart; nothing queues")
    engine = create_engine(database_url)
    yield create_sessionmaker(engine)
    await engine.dispose()


async def _write(session: AsyncSession, name: str, order: list[str]) -> None:
    await lock_for_write(session)
    order.append(name)
    await session.commit()


async def _after_first_writer(
    sessions: Sessions, end_first: Callable[[AsyncSession], Awaitable[None]]
) -> list[str]:
    """Who writes, in order, when a second writer waits for a first that ends its way."""
    order: list[str] = []
    async with sessions() as first, sessions() as second:
        await lock_for_write(first)
        waiting = asyncio.create_task(_write(second, "second", order))
        await asyncio.sleep(0.05)
        order.append("first ends")
        await end_first(first)
        await asyncio.wait_for(waiting, 5)
    return order


async def test_writers_get_in_in_the_order_they_asked(sessions: Sessions) -> None:
    order: list[str] = []
    async with sessions() as holder, sessions() as b, sessions() as c:
        await lock_for_write(holder)
        first_asked = asyncio.create_task(_write(b, "b", order))
        await asyncio.sleep(0.02)
        second_asked = asyncio.create_task(_write(c, "c", order))
        await asyncio.sleep(0.02)
        await holder.commit()
        await asyncio.wait_for(asyncio.gather(first_asked, second_asked), 5)
    assert order == ["b", "c"]


async def test_a_writer_waiting_its_turn_has_not_begun_a_transaction(sessions: Sessions) -> None:
    async with sessions() as holder, sessions() as waiting:
        await lock_for_write(holder)
        task = asyncio.create_task(lock_for_write(waiting))
        await asyncio.sleep(0.05)
        assert not waiting.in_transaction()
        await holder.commit()
        await asyncio.wait_for(task, 5)
        await waiting.rollback()


async def test_a_committed_writer_lets_the_next_in(sessions: Sessions) -> None:
    assert await _after_first_writer(sessions, lambda s: s.commit()) == ["first ends", "second"]


async def test_a_rolled_back_writer_lets_the_next_in(sessions: Sessions) -> None:
    assert await _after_first_writer(sessions, lambda s: s.rollback()) == ["first ends", "second"]


async def test_a_closed_session_lets_the_next_writer_in(sessions: Sessions) -> None:
    assert await _after_first_writer(sessions, lambda s: s.close()) == ["first ends", "second"]


async def _request_session_is_writer(sessions: Sessions, method: str) -> bool:
    """Whether ``web.provide_db`` hands a request of ``method`` a session whose transaction
    holds the write lock, after the caller was identified in it (a read)."""
    async with sessions() as session:
        await session.execute(text("SELECT 1"))
        mark_identity_read(session)
        request = SimpleNamespace(method=method, scope={REQUEST_SESSION: session})
        provided = provide_db(request)  # type: ignore[arg-type]
        handed = await anext(provided)
        writer = handed.info.get(WRITE_LOCK_OPTION) is handed.sync_session.get_transaction()
        await provided.aclose()
    return writer


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
async def test_a_request_that_may_change_something_is_a_writer_from_its_start(
    sessions: Sessions, method: str
) -> None:
    assert await _request_session_is_writer(sessions, method)


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
async def test_a_request_that_only_reads_does_not_wait_for_the_write_lock(
    sessions: Sessions, method: str
) -> None:
    assert not await _request_session_is_writer(sessions, method)
