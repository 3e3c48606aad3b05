"""Background jobs inside the app: one asyncio task per worker runs the registered jobs.

A job is a plain ``async def job(session, clock, settings) -> None``; tests call it
directly with a FixedClock. The task runs every job each
``settings.scheduler_interval_seconds``, each in a transaction of its own that is
committed when the job returns. With several workers (or several app servers) on
PostgreSQL, each run first takes ``pg_try_advisory_lock`` for the job on a connection of
its own, held until the job ends, so one instance runs it and the others skip that
round, also while a job that commits on the way (the mail and webhook jobs commit their
claim before they send) is still sending; on SQLite the jobs take the write lock
themselves and are written to be harmless when repeated.

Register a job by adding it to ``JOBS``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from litestar import Litestar
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from werkplek.bookings.services import expire_requests, release_no_shows
from werkplek.bookings.waitlist import desk_waitlist_job
from werkplek.clock import Clock
from werkplek.config import Settings
from werkplek.db import lock_for_write
from werkplek.notifications.outbox import mail_outbox_job
from werkplek.notifications.reminders import no_show_warnings_job
from werkplek.presence.reminders import callback_note_reminders_job
from werkplek.presence.services import presence_retention_job
from werkplek.privacy.services import privacy_retention_job
from werkplek.system.services import record_job_run
from werkplek.visits.services import overdue_visits_job
from werkplek.webhooks.services import webhook_delivery_job

logger = logging.getLogger("werkplek.scheduler")

JobFunction = Callable[[AsyncSession, Clock, Settings], Awaitable[None]]


@dataclass(frozen=True)
class Job:
    name: str
    run: JobFunction

    @property
    def lock_key(self) -> int:
        """A stable 64-bit key for PostgreSQL's advisory lock, from the job's name."""
        digest = hashlib.sha256(f"werkplek-job:{self.name}".encode()).digest()
        return int.from_bytes(digest[:8], "big", signed=True)


JOBS: list[Job] = [
    Job("release_no_shows", release_no_shows),
    Job("expire_requests", expire_requests),
    Job("desk_waitlist", desk_waitlist_job),  # after the releases, which free desks
    Job("overdue_field_visits", overdue_visits_job),
    Job("presence_retention", presence_retention_job),
    Job("no_show_warnings", no_show_warnings_job),
    Job("callback_note_reminders", callback_note_reminders_job),
    Job("mail_outbox", mail_outbox_job),  # after the jobs that queue mail
    Job("webhook_deliveries", webhook_delivery_job),
    Job("privacy_retention", privacy_retention_job),
]


async def run_job(
    sessionmaker: async_sessionmaker[AsyncSession], clock: Clock, settings: Settings, job: Job
) -> bool:
    """Run a job once in its own transaction; False when another instance holds it.

    The run, and its error if it fails, is noted in ``job_runs`` for the administrators'
    system page (``werkplek.system``), while the job's lock is still held."""
    async with _held(sessionmaker, job) as held:
        if not held:
            return False
        started = clock.now()
        try:
            async with sessionmaker() as session:
                try:
                    await job.run(session, clock, settings)
                    await session.commit()
                except BaseException:
                    await session.rollback()
                    raise
        except Exception as error:
            await _note_run(sessionmaker, job, started, clock.now(), error)
            raise
        await _note_run(sessionmaker, job, started, clock.now())
    return True


async def _note_run(
    sessionmaker: async_sessionmaker[AsyncSession],
    job: Job,
    started: datetime,
    finished: datetime,
    error: Exception | None = None,
) -> None:
    """Record the run; a failure to record it is logged and never stops the jobs."""
    try:
        async with sessionmaker() as session:
            await lock_for_write(session)
            await record_job_run(session, job.name, started, finished, error)
            await session.commit()
    except Exception:
        logger.exception("could not record the run of job %s", job.name)


@contextlib.asynccontextmanager
async def _held(sessionmaker: async_sessionmaker[AsyncSession], job: Job) -> AsyncIterator[bool]:
    """Whether this instance may run ``job`` now: on PostgreSQL, whether it got the job's
    advisory lock, which a connection of its own holds until the block ends (released
    with it, or by PostgreSQL when the process dies)."""
    engine = sessionmaker.kw.get("bind")
    if not isinstance(engine, AsyncEngine) or engine.dialect.name != "postgresql":
        yield True
        return
    async with engine.connect() as connection:
        got = await connection.scalar(select(func.pg_try_advisory_lock(job.lock_key)))
        try:
            yield bool(got)
        finally:
            if got:
                await connection.execute(select(func.pg_advisory_unlock(job.lock_key)))
            await connection.rollback()


async def run_jobs_once(
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    settings: Settings,
    jobs: Sequence[Job] | None = None,
) -> dict[str, bool]:
    """Run every job once; a failing job is logged and does not stop the others."""
    ran: dict[str, bool] = {}
    for job in JOBS if jobs is None else jobs:
        try:
            ran[job.name] = await run_job(sessionmaker, clock, settings, job)
        except Exception:
            logger.exception("scheduled job %s failed", job.name)
            ran[job.name] = False
    return ran


class Scheduler:
    """Runs the jobs every interval until stopped."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: Clock,
        settings: Settings,
        jobs: Sequence[Job] | None = None,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.clock = clock
        self.settings = settings
        self.jobs = list(JOBS if jobs is None else jobs)
        self.rounds = 0
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        if not self.running:
            self._task = asyncio.create_task(self._loop(), name="werkplek-scheduler")

    async def stop(self) -> None:
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def _loop(self) -> None:
        interval = max(1, self.settings.scheduler_interval_seconds)
        while True:
            await run_jobs_once(self.sessionmaker, self.clock, self.settings, self.jobs)
            self.rounds += 1
            await asyncio.sleep(interval)


@contextlib.asynccontextmanager
async def scheduler_lifespan(app: Litestar) -> AsyncIterator[None]:
    """App lifespan hook: start the scheduler when ``settings.scheduler_enabled``."""
    settings: Settings = app.state.settings
    if not settings.scheduler_enabled:
        yield
        return
    scheduler = Scheduler(app.state.sessionmaker, app.state.clock, settings)
    app.state.scheduler = scheduler
    scheduler.start()
    try:
        yield
    finally:
        await scheduler.stop()
