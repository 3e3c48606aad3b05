"""GET /health: what a load balancer and monitoring read."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import asynccontextmanager
from typing import Any

import msgspec
import pytest
from litestar import Litestar
from litestar.datastructures import State
from litestar.testing import AsyncTestClient
from sqlalchemy.exc import TimeoutError as PoolTimeout

from werkplek.system.api import health


async def test_health_reports_ok_with_a_reachable_database(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def _failing_with(error: Exception) -> Callable[[], Any]:
    @asynccontextmanager
    async def session() -> Any:
        raise error
        yield

    return session


async def _health_when(error: Exception) -> tuple[int, dict[str, str]]:
    response = await health.fn(State({"sessionmaker": _failing_with(error)}))
    return response.status_code, msgspec.json.decode(msgspec.json.encode(response.content))


async def test_a_worker_whose_connections_are_all_in_use_is_busy_not_unhealthy() -> None:
    status, body = await _health_when(PoolTimeout("QueuePool limit reached"))

    assert (status, body) == (200, {"status": "ok", "database": "busy"})


async def test_an_unreachable_database_is_logged_with_its_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    await _health_when(OSError("connection refused to 10.0.0.5"))

    assert "connection refused to 10.0.0.5" in caplog.text
