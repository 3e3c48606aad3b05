"""Retention: ``werkplek purge`` and the scheduler remove personal data past its time."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import DEFAULT_NOW, MakePerson
from tests.privacy.conftest import Life
from werkplek import cli
from werkplek.audit.models import AuditEvent
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.people.models import LoginAttempt, LoginSession
from werkplek.presence.models import CallbackNote
from werkplek.privacy.services import privacy_retention_job, purge
from werkplek.scheduler import JOBS
from werkplek.visits.models import FieldVisit

LATER = FixedClock(DEFAULT_NOW + timedelta(days=40))


async def _address(db: AsyncSession, visit_id: int) -> str:
    query = select(FieldVisit.address).where(FieldVisit.id == visit_id)
    return str((await db.execute(query)).scalar_one())


async def test_addresses_of_closed_visits_go_after_the_retention_time(
    db: AsyncSession, settings: Settings, life: Life
) -> None:
    # 42 days before LATER is two days ago: the solo visit ended before, the shared one after.
    await privacy_retention_job(db, LATER, settings.with_changes(retention_visit_address_days=42))
    assert await _address(db, life.solo_visit.id) == ""
    assert await _address(db, life.shared_visit.id) == "Kerkweg 2"


async def _leave_open(db: AsyncSession, visit_id: int, status: str) -> None:
    visit = await db.get(FieldVisit, visit_id)
    assert visit is not None
    visit.status = status
    await db.commit()


@pytest.mark.parametrize("status", ["planned", "checked_in"])
async def test_the_address_of_a_visit_never_closed_goes_after_the_retention_time(
    db: AsyncSession, settings: Settings, life: Life, status: str
) -> None:
    await _leave_open(db, life.solo_visit.id, status)
    # 42 days before LATER is two days ago: the solo visit was planned to end before.
    await privacy_retention_job(db, LATER, settings.with_changes(retention_visit_address_days=42))
    assert await _address(db, life.solo_visit.id) == ""


async def test_an_open_visit_keeps_its_address_until_the_retention_time_after_its_planned_end(
    db: AsyncSession, settings: Settings, life: Life
) -> None:
    await _leave_open(db, life.shared_visit.id, "checked_in")
    # 42 days before LATER is two days ago: the shared visit was planned to end after.
    await privacy_retention_job(db, LATER, settings.with_changes(retention_visit_address_days=42))
    assert await _address(db, life.shared_visit.id) == "Kerkweg 2"


async def test_audit_events_go_after_the_retention_time(
    db: AsyncSession, settings: Settings, life: Life
) -> None:
    await privacy_retention_job(
        db, FixedClock(DEFAULT_NOW), settings.with_changes(retention_audit_days=0)
    )
    await db.commit()
    left = (await db.execute(select(AuditEvent.action).order_by(AuditEvent.id))).scalars()
    assert list(left) == ["update", "create", "purge"]  # the day-old address view is gone


async def test_purge_applies_every_retention_setting_and_counts(
    db: AsyncSession, settings: Settings, life: Life
) -> None:
    result = await purge(db, LATER, settings)
    assert (result.callback_notes, result.visit_addresses, result.audit_events) == (2, 2, 0)
    assert (await db.execute(select(func.count(CallbackNote.id)))).scalar_one() == 0


def test_both_retention_jobs_are_scheduled_once() -> None:
    names = [job.name for job in JOBS]
    assert names.count("presence_retention") == 1 and names.count("privacy_retention") == 1


async def test_werkplek_purge_prints_what_it_removed(
    command_env: None,
    life: Life,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("WERKPLEK_RETENTION_CALLBACK_NOTE_DAYS", "0")
    monkeypatch.setattr(cli, "SystemClock", lambda: LATER)
    assert await asyncio.to_thread(cli.main, ["purge"]) == 0
    assert "2 terugbelnotities" in capsys.readouterr().out


async def test_failed_logins_go_after_a_day(
    db: AsyncSession, settings: Settings, life: Life
) -> None:
    await privacy_retention_job(db, FixedClock(DEFAULT_NOW + timedelta(hours=23)), settings)
    assert (await db.execute(select(func.count(LoginAttempt.id)))).scalar_one() == 1
    await privacy_retention_job(db, FixedClock(DEFAULT_NOW + timedelta(days=2)), settings)
    assert (await db.execute(select(func.count(LoginAttempt.id)))).scalar_one() == 0


async def test_log_ins_that_ended_are_removed(
    db: AsyncSession, settings: Settings, make_person: MakePerson
) -> None:
    person = await make_person()
    ends = DEFAULT_NOW + timedelta(hours=8)
    db.add(
        LoginSession(
            token_hash="a" * 64,
            person_id=person.id,
            csrf_token="c",
            created_at=DEFAULT_NOW,
            expires_at=ends,
            id_token="header.claims.signature",
        )
    )
    await db.commit()
    await privacy_retention_job(db, FixedClock(ends - timedelta(minutes=1)), settings)
    assert (await db.execute(select(func.count(LoginSession.token_hash)))).scalar_one() == 1
    await privacy_retention_job(db, FixedClock(ends), settings)
    assert (await db.execute(select(func.count(LoginSession.token_hash)))).scalar_one() == 0
