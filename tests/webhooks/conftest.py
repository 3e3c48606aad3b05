"""A small HTTP receiver on 127.0.0.1 (``http.server`` in a thread) that records what it
gets and answers with the status codes a test gives it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import (  # noqa: F401  (fixtures)
    run,
    sessionmaker,
    world,
)
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.webhooks.services import webhook_delivery_job


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    requests: list[Received] = field(default_factory=list)
    #: Status codes to answer with, in turn; 200 once they run out.
    answers: list[int] = field(default_factory=list)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The receiver listens on 127.0.0.1, an internal address webhooks refuse by default."""
    return settings.with_changes(webhook_allow_internal=True)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    found = Receiver(url=f"http://127.0.0.1:{server.server_address[1]}/hooks/werkplek")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            found.requests.append(Received(self.path, dict(self.headers.items()), body))
            self.send_response(found.answers.pop(0) if found.answers else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
            return

    server.RequestHandlerClass = Handler
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        server.shutdown()
        server.server_close()


async def deliver(db: AsyncSession, clock: FixedClock, settings: Settings) -> None:
    """One run of the delivery job, as the scheduler does it."""
    await db.commit()
    await webhook_delivery_job(db, clock, settings)
    await db.commit()
