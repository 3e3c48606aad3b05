"""Callback notes and old work locations are removed by the in-app scheduler's retention job."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import MakePerson
from tests.presence.conftest import TODAY, SetEntry, SetHours, at
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.db import create_engine, create_sessionmaker
from werkplek.presence.models import CallbackNote, DayReachability, WorkLocation
from werkplek.presence.services import purge_work_locations
from werkplek.scheduler import JOBS, run_jobs_once


async def test_work_locations_older_than_the_retention_time_are_removed(
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
    make_person: MakePerson,
    set_entry: SetEntry,
) -> None:
    person = await make_person()
    old = TODAY - timedelta(days=settings.retention_work_location_days + 1)
    await set_entry(person, old, "morning", "home")
    await set_entry(person, TODAY - timedelta(days=3), "morning", "home")
    await purge_work_locations(db, clock, settings)
    await db.commit()
    dates = (await db.execute(select(WorkLocation.date))).scalars().all()
    assert dates == [TODAY - timedelta(days=3)]


async def test_reachability_older_than_the_retention_time_is_removed(
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
    make_person: MakePerson,
    set_hours: SetHours,
) -> None:
    person = await make_person()
    await set_hours(person, TODAY - timedelta(days=500), note="oud")
    assert await purge_work_locations(db, clock, settings) == 1
    await db.commit()
    assert (await db.execute(select(DayReachability))).all() == []


async def test_the_scheduler_runs_the_presence_retention_job(
    db: AsyncSession, clock: FixedClock, settings: Settings, make_person: MakePerson
) -> None:
    person = await make_person()
    db.add(
        CallbackNote(
            person_id=person.id,
            callback_number="0612345678",
            question="Oude vraag",
            created_at=at(TODAY, 9) - timedelta(days=settings.retention_callback_note_days + 1),
        )
    )
    await db.commit()
    engine = create_engine(settings.database_url)
    try:
        ran = await run_jobs_once(
            create_sessionmaker(engine),
            clock,
            settings,
            [job for job in JOBS if job.name == "presence_retention"],
        )
    finally:
        await engine.dispose()
    await db.rollback()
    assert ran == {"presence_retention": True}
    assert (await db.execute(select(CallbackNote))).all() == []
