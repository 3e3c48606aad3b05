"""On SQLite the writers of one process queue for the write lock in order
(``db.lock_for_write``), instead of each retrying in SQLite's busy handler."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from werkplek.db import create_engine, create_sessionmaker, lock_for_write

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
