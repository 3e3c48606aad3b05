"""Administrators see whether the background jobs run and fail, the database, and the
settings in force (secrets only as set or not)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.conftest import DEFAULT_NOW, LoginAs, MakePerson
from werkplek.clock import Clock, FixedClock
from werkplek.config import Settings
from werkplek.db import create_engine, create_sessionmaker
from werkplek.people.models import Role
from werkplek.people.services import current_user_for
from werkplek.scheduler import JOBS, Job, run_job, run_jobs_once
from werkplek.system import services
from werkplek.system.models import JobRun


async def _works(_session: AsyncSession, clock: Clock, _settings: Settings) -> None:
    assert isinstance(clock, FixedClock)
    clock.advance(timedelta(seconds=2))


async def _fails(_session: AsyncSession, _clock: Clock, _settings: Settings) -> None:
    raise RuntimeError("the mail server said no")


WORKS, FAILS = Job("release_no_shows", _works), Job("release_no_shows", _fails)


@pytest.fixture
async def sessionmaker(
    settings: Settings, db: AsyncSession
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(settings.database_url)
    yield create_sessionmaker(engine)
    await engine.dispose()


async def _run(db: AsyncSession) -> JobRun:
    await db.rollback()
    run = (await db.scalars(select(JobRun))).one()
    return run


async def test_a_successful_run_is_recorded_with_its_start_and_end(
    sessionmaker: async_sessionmaker[AsyncSession],
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
) -> None:
    await run_job(sessionmaker, clock, settings, WORKS)
    run = await _run(db)
    assert (run.job, run.started_at, run.finished_at, run.succeeded_at, run.failures_in_a_row) == (
        "release_no_shows",
        DEFAULT_NOW,
        DEFAULT_NOW + timedelta(seconds=2),
        DEFAULT_NOW + timedelta(seconds=2),
        0,
    )


async def test_a_failed_run_is_recorded_with_its_error(
    sessionmaker: async_sessionmaker[AsyncSession],
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
) -> None:
    await run_jobs_once(sessionmaker, clock, settings, [FAILS])
    run = await _run(db)
    assert (run.failed_at, run.error, run.failures_in_a_row, run.succeeded_at) == (
        DEFAULT_NOW,
        "RuntimeError: the mail server said no",
        1,
        None,
    )


async def test_failures_are_counted_until_a_run_succeeds(
    sessionmaker: async_sessionmaker[AsyncSession],
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
) -> None:
    await run_jobs_once(sessionmaker, clock, settings, [FAILS])
    await run_jobs_once(sessionmaker, clock, settings, [FAILS])
    assert (await _run(db)).failures_in_a_row == 2
    await run_jobs_once(sessionmaker, clock, settings, [WORKS])
    run = await _run(db)
    assert (run.failures_in_a_row, run.error) == (0, "RuntimeError: the mail server said no")


async def test_a_run_that_cannot_be_recorded_still_counts_as_run(
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FixedClock,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def broken(*_args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("werkplek.scheduler.record_job_run", broken)
    assert await run_job(sessionmaker, clock, settings, WORKS) is True


def test_a_database_error_is_described_without_its_sql_and_parameters() -> None:
    error = IntegrityError(
        "INSERT INTO persons (email) VALUES ($1)", ("ada@example.nl",), Exception("duplicate key")
    )
    assert services.describe_failure(error) == "Exception: duplicate key"


def test_a_long_error_is_cut_to_the_column() -> None:
    described = services.describe_failure(RuntimeError("x" * 1000))
    assert (len(described), described[-1]) == (services.ERROR_LENGTH, "…")


def _setting(html: str, label: str) -> str:
    """The value the settings table gives for ``label``."""
    row = re.search(rf"<th scope=\"row\">{label}</th><td[^>]*>([^<]*)</td>", html)
    assert row is not None, label
    return row.group(1)


async def _admin(make_person: MakePerson, login_as: LoginAs) -> None:
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))


def _job_run(job: str, started_minutes_ago: int, failures: int = 0) -> JobRun:
    started = DEFAULT_NOW - timedelta(minutes=started_minutes_ago)
    return JobRun(
        job=job,
        started_at=started,
        finished_at=started,
        succeeded_at=None if failures else started,
        failed_at=started if failures else None,
        error="RuntimeError: the mail server said no" if failures else None,
        failures_in_a_row=failures,
    )


async def _statuses(client: AsyncTestClient[Litestar]) -> dict[str, dict[str, object]]:
    response = await client.get("/api/system/jobs")
    assert response.status_code == 200
    return {status["job"]: status for status in response.json()}


def test_every_scheduled_job_is_described_in_the_schedulers_order() -> None:
    assert list(services.JOB_LABELS) == [job.name for job in JOBS]


async def test_the_api_lists_every_job_in_the_schedulers_order(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin(make_person, login_as)
    assert list(await _statuses(client)) == [job.name for job in JOBS]


async def test_a_job_that_never_ran_is_late(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin(make_person, login_as)
    assert (await _statuses(client))["mail_outbox"]["late"] is True


async def test_a_job_that_ran_within_five_minutes_is_not_late(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin(make_person, login_as)
    db.add(_job_run("mail_outbox", started_minutes_ago=4))
    await db.commit()
    assert (await _statuses(client))["mail_outbox"]["late"] is False


async def test_a_job_whose_last_run_began_longer_ago_than_three_intervals_is_late(
    db: AsyncSession, make_person: MakePerson, settings: Settings, clock: FixedClock
) -> None:
    admin = await make_person("Ada", roles=(Role.ADMIN,))
    db.add(_job_run("mail_outbox", started_minutes_ago=31))
    await db.commit()
    every_ten_minutes = dataclasses.replace(settings, scheduler_interval_seconds=600)
    statuses = await services.job_statuses(db, clock, every_ten_minutes, current_user_for(admin))
    assert {status.job: status.late for status in statuses}["mail_outbox"] is True


async def test_the_api_gives_the_last_error_and_failures_in_a_row(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin(make_person, login_as)
    db.add(_job_run("mail_outbox", started_minutes_ago=1, failures=3))
    await db.commit()
    status = (await _statuses(client))["mail_outbox"]
    assert (status["failures_in_a_row"], status["last_error"], status["last_failed"]) == (
        3,
        "RuntimeError: the mail server said no",
        "2026-11-25T09:59:00+01:00",
    )


async def test_only_administrators_see_the_jobs(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Fien", roles=(Role.FACILITIES,)))
    assert (await client.get("/api/system/jobs")).status_code == 403
    assert (await client.get("/admin/system")).status_code == 403


async def test_the_page_names_a_failing_job_in_dutch(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin(make_person, login_as)
    db.add(_job_run("mail_outbox", started_minutes_ago=1, failures=2))
    await db.commit()
    html = (await client.get("/admin/system")).text
    assert "E-mail uit de wachtrij verzenden: de laatste 2 keer is mislukt." in " ".join(
        html.split()
    )


async def test_the_page_says_when_every_job_is_well(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin(make_person, login_as)
    db.add_all(_job_run(job.name, started_minutes_ago=1) for job in JOBS)
    await db.commit()
    html = (await client.get("/admin/system")).text
    assert "Elke achtergrondtaak heeft kortgeleden gedraaid" in html


async def test_the_page_says_a_password_is_set_without_showing_it(
    app: Litestar,
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await _admin(make_person, login_as)
    with_password = dataclasses.replace(app.state.settings, smtp_password="geheim-wachtwoord")
    monkeypatch.setattr(app.state, "settings", with_password)
    html = (await client.get("/admin/system")).text
    assert "geheim-wachtwoord" not in html
    assert _setting(html, "Wachtwoord van de mailserver") == "ingesteld"


async def test_the_page_names_the_database(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs, backend: str
) -> None:
    await _admin(make_person, login_as)
    html = (await client.get("/admin/system")).text
    assert ("PostgreSQL" if backend == "postgres" else "SQLite") in html


async def test_the_page_says_mail_is_only_logged_without_a_mail_server(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin(make_person, login_as)
    html = (await client.get("/admin/system")).text
    assert (
        _setting(html, "Mailserver")
        == "niet ingesteld: e-mail komt in het log en wordt niet verzonden"
    )


async def test_the_home_page_tells_an_administrator_about_a_failing_job(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin(make_person, login_as)
    db.add_all(_job_run(job.name, started_minutes_ago=1) for job in JOBS[1:])
    db.add(_job_run(JOBS[0].name, started_minutes_ago=1, failures=1))
    await db.commit()
    html = " ".join((await client.get("/")).text.split())
    assert "1 achtergrondtaak vraagt aandacht" in html


async def test_the_home_page_is_silent_about_jobs_that_run_well(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _admin(make_person, login_as)
    db.add_all(_job_run(job.name, started_minutes_ago=1) for job in JOBS)
    await db.commit()
    assert "home-jobs-title" not in (await client.get("/")).text


async def test_the_home_page_tells_nobody_but_administrators_about_jobs(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Fien", roles=(Role.FACILITIES,)))
    assert "home-jobs-title" not in (await client.get("/")).text
