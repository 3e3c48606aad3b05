"""The overdue job is registered with the in-app scheduler and runs through it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from tests.visits.conftest import Crew, PlanVisit, alerts_of, at
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.db import create_engine, create_sessionmaker
from werkplek.scheduler import JOBS, run_jobs_once


async def test_the_scheduler_runs_the_overdue_job(
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(11, 45))
    engine = create_engine(settings.database_url)
    try:
        ran = await run_jobs_once(
            create_sessionmaker(engine),
            clock,
            settings,
            [job for job in JOBS if job.name == "overdue_field_visits"],
        )
    finally:
        await engine.dispose()

    assert ran == {"overdue_field_visits": True}
    assert len(await alerts_of(db, visit.id)) == 1
