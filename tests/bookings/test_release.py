"""No-shows are released after the grace period by the in-app scheduler; check-ins never are."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.bookings.conftest import (
    TOMORROW,
    Book,
    Run,
    World,
    actor,
    all_bookings,
    at,
    desk_booking,
    room_booking,
)
from tests.conftest import MakePerson
from werkplek.app import create_app
from werkplek.audit.models import AuditEvent
from werkplek.bookings import services
from werkplek.clock import Clock, FixedClock
from werkplek.config import Settings
from werkplek.notifications.models import OutboxMail
from werkplek.scheduler import JOBS, Job, Scheduler, run_job, run_jobs_once

GRACE = timedelta(minutes=30)
MORNING_START = at(TOMORROW, 7, 30)


async def _book_morning(world: World, run: Run, clock: FixedClock) -> int:
    result = await run(services.create_booking, clock, actor(world.anna), desk_booking(world.desk))
    booking_id: int = result.created[0].id
    return booking_id


async def test_a_no_show_is_not_released_before_the_grace_period_ends(
    world: World, run: Run, clock: FixedClock
) -> None:
    await _book_morning(world, run, clock)
    clock.set(MORNING_START + GRACE - timedelta(seconds=1))

    released = await run(services.release_no_shows_after, clock, GRACE)

    assert released == []


async def test_a_no_show_is_released_when_the_grace_period_ends(
    world: World, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    await _book_morning(world, run, clock)
    clock.set(MORNING_START + GRACE)

    await run(services.release_no_shows_after, clock, GRACE)

    (booking,) = await all_bookings(db)
    assert (booking.status, booking.sequence, booking.updated_at) == ("released", 1, clock.now())


async def test_a_checked_in_booking_is_never_released(
    world: World, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    booking_id = await _book_morning(world, run, clock)
    clock.set(MORNING_START + timedelta(minutes=5))
    await run(services.check_in, clock, actor(world.anna), booking_id)
    clock.set(MORNING_START + timedelta(hours=5))

    await run(services.release_no_shows_after, clock, GRACE)

    (booking,) = await all_bookings(db)
    assert booking.status == "checked_in"


async def test_a_released_desk_can_be_booked_by_someone_else(
    world: World, run: Run, clock: FixedClock, make_person: MakePerson, book: Book
) -> None:
    await _book_morning(world, run, clock)
    clock.set(MORNING_START + GRACE)
    await run(services.release_no_shows_after, clock, GRACE)
    bram = await make_person("Bram")

    result = await book(bram, desk_booking(world.desk))

    assert len(result.created) == 1


async def test_a_released_booking_cannot_be_checked_in(
    world: World, run: Run, clock: FixedClock
) -> None:
    booking_id = await _book_morning(world, run, clock)
    clock.set(MORNING_START + GRACE)
    await run(services.release_no_shows_after, clock, GRACE)

    with pytest.raises(services.BookingStateError) as info:
        await run(services.check_in, clock, actor(world.anna), booking_id)

    assert info.value.code == "booking_not_active"


async def test_the_grace_period_of_a_late_booking_runs_from_when_it_was_made(
    world: World, run: Run, clock: FixedClock
) -> None:
    clock.set(at(TOMORROW, 10))  # the morning began at 07:30
    await _book_morning(world, run, clock)
    clock.set(at(TOMORROW, 10, 29))

    released = await run(services.release_no_shows_after, clock, GRACE)

    assert released == []


async def test_room_no_shows_are_released_too(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    await book(world.anna, room_booking(world.room))
    clock.set(at(TOMORROW, 10, 30))

    released = await run(services.release_no_shows_after, clock, GRACE)

    assert [b.space_id for b in released] == [world.room.id]


async def test_a_release_is_audited_without_an_actor(
    world: World, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    booking_id = await _book_morning(world, run, clock)
    clock.set(MORNING_START + GRACE)

    await run(services.release_no_shows_after, clock, GRACE)

    await db.rollback()
    event = (
        await db.execute(select(AuditEvent).where(AuditEvent.action == "release"))
    ).scalar_one()
    assert (event.object_id, event.actor_id, event.details) == (
        str(booking_id),
        None,
        {"reason": "no_show"},
    )


async def test_the_job_uses_the_configured_grace_period(
    world: World, run: Run, clock: FixedClock, settings: Settings, db: AsyncSession
) -> None:
    await _book_morning(world, run, clock)
    clock.set(MORNING_START + timedelta(minutes=10))

    await run(services.release_no_shows, clock, settings.with_changes(no_show_grace_minutes=10))

    (booking,) = await all_bookings(db)
    assert booking.status == "released"


# --- the scheduler ------------------------------------------------------------------------


async def test_the_release_job_is_registered(world: World) -> None:
    assert "release_no_shows" in [job.name for job in JOBS]


async def test_running_the_jobs_once_releases_no_shows(
    world: World,
    run: Run,
    clock: FixedClock,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    db: AsyncSession,
) -> None:
    await _book_morning(world, run, clock)
    clock.set(MORNING_START + GRACE)

    ran = await run_jobs_once(
        sessionmaker, clock, settings, [j for j in JOBS if j.name == "release_no_shows"]
    )

    assert ran == {"release_no_shows": True}
    (booking,) = await all_bookings(db)
    assert booking.status == "released"


async def test_a_failing_job_does_not_stop_the_others(
    world: World,
    clock: FixedClock,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    calls: list[str] = []

    async def broken(session: AsyncSession, clock: Clock, settings: Settings) -> None:
        raise RuntimeError("boom")

    async def fine(session: AsyncSession, clock: Clock, settings: Settings) -> None:
        calls.append("fine")

    ran = await run_jobs_once(
        sessionmaker, clock, settings, [Job("broken", broken), Job("fine", fine)]
    )

    assert (ran, calls) == ({"broken": False, "fine": True}, ["fine"])


async def test_the_scheduler_runs_its_jobs_until_stopped(
    world: World,
    clock: FixedClock,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    calls: list[object] = []

    async def job(session: AsyncSession, clock: Clock, settings: Settings) -> None:
        calls.append(clock.now())

    scheduler = Scheduler(
        sessionmaker, clock, settings.with_changes(scheduler_interval_seconds=1), [Job("j", job)]
    )
    scheduler.start()
    for _ in range(100):
        if calls:
            break
        await asyncio.sleep(0.05)
    await scheduler.stop()

    assert calls == [clock.now()]
    assert not scheduler.running


@pytest.fixture
def postgres_only(backend: str) -> None:
    if backend != "postgres":
        pytest.skip(
            "advisory locks are a PostgreSQL feature; SQLite runs jobs under its write lock"
        )


async def test_only_one_instance_runs_a_job_on_postgresql(
    world: World,
    postgres_only: None,
    clock: FixedClock,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    calls: list[str] = []

    async def job(session: AsyncSession, clock: Clock, settings: Settings) -> None:
        calls.append("ran")

    held = Job("held", job)
    async with sessionmaker() as other_instance:
        await other_instance.execute(text("SELECT pg_advisory_lock(:key)"), {"key": held.lock_key})
        skipped = await run_job(sessionmaker, clock, settings, held)
        await other_instance.execute(
            text("SELECT pg_advisory_unlock(:key)"), {"key": held.lock_key}
        )
        await other_instance.rollback()
    ran = await run_job(sessionmaker, clock, settings, held)

    assert (skipped, ran, calls) == (False, True, ["ran"])


async def test_a_job_that_commits_on_the_way_still_runs_in_one_instance_only(
    world: World,
    postgres_only: None,
    clock: FixedClock,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """The mail job commits its claim, then sends for a while: another instance must not
    start the same job meanwhile (it would send the same mails again)."""
    claimed, release = asyncio.Event(), asyncio.Event()

    async def sending(session: AsyncSession, clock: Clock, settings: Settings) -> None:
        await session.commit()  # the claim
        claimed.set()
        await release.wait()  # sending

    job = Job("sending", sending)
    first = asyncio.create_task(run_job(sessionmaker, clock, settings, job))
    await claimed.wait()
    second = await run_job(sessionmaker, clock, settings, job)
    release.set()

    assert (await first, second) == (True, False)


async def test_a_job_runs_again_once_the_instance_that_ran_it_is_done(
    world: World,
    clock: FixedClock,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async def job(session: AsyncSession, clock: Clock, settings: Settings) -> None:
        await session.commit()

    once = Job("once", job)
    await run_job(sessionmaker, clock, settings, once)

    assert await run_job(sessionmaker, clock, settings, once)


async def test_the_app_starts_the_scheduler_when_enabled(
    world: World, run: Run, clock: FixedClock, settings: Settings, db: AsyncSession
) -> None:
    await _book_morning(world, run, clock)
    clock.set(MORNING_START + GRACE)
    app = create_app(settings.with_changes(scheduler_enabled=True), clock)

    async with AsyncTestClient(app=app):
        assert app.state.scheduler.running
        for _ in range(100):
            if app.state.scheduler.rounds:
                break
            await asyncio.sleep(0.05)

    assert not app.state.scheduler.running
    (booking,) = await all_bookings(db)
    assert booking.status == "released"


async def test_the_app_leaves_the_scheduler_off_when_disabled(app: object) -> None:
    async with AsyncTestClient(app=app):  # type: ignore[arg-type]
        assert not hasattr(app.state, "scheduler")  # type: ignore[attr-defined]


async def test_the_holder_of_a_released_no_show_gets_the_cancellation_with_the_reason(
    world: World, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    await _book_morning(world, run, clock)
    clock.set(MORNING_START + GRACE)

    await run(services.release_no_shows_after, clock, GRACE)

    await db.rollback()
    mail = (
        await db.execute(select(OutboxMail).where(OutboxMail.kind == "booking_cancelled"))
    ).scalar_one()
    assert (mail.person_id, json.loads(mail.context)["reason"]) == (world.anna.id, "no_show")


async def _book_quarter_hour_meeting(world: World, run: Run, clock: FixedClock) -> None:
    """Anna's meeting tomorrow 10:00-10:15: over before the grace period is."""
    await run(
        services.create_booking,
        clock,
        actor(world.anna),
        room_booking(world.room, start=(10, 0), end=(10, 15)),
    )


async def test_a_no_show_found_after_its_end_is_released(
    world: World, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    await _book_quarter_hour_meeting(world, run, clock)
    clock.set(at(TOMORROW, 10, 30))

    await run(services.release_no_shows_after, clock, GRACE)

    (booking,) = await all_bookings(db)
    assert booking.status == "released"


async def test_the_holder_of_a_no_show_released_after_its_end_gets_no_mail(
    world: World, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    await _book_quarter_hour_meeting(world, run, clock)
    clock.set(at(TOMORROW, 10, 30))

    await run(services.release_no_shows_after, clock, GRACE)

    await db.rollback()
    mails = await db.execute(select(OutboxMail).where(OutboxMail.kind == "booking_cancelled"))
    assert mails.scalars().all() == []
