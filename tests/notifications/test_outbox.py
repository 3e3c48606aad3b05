"""A message on its way: claimed by a sender and being sent when what it tells about is
withdrawn. It cannot be called back, so withdrawing counts it as having reached its
recipients, it is recorded sent once it went out, and it is not tried again should it
fail. The mail server is a stand-in (``while_sending``) that lets a withdrawal happen
while the first message is on its way."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.notifications.conftest import outbox, while_sending
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.notifications.outbox import queue_mail, send_due_mail, withdraw_mail

REF = "visit_alert:1"


async def queue(db: AsyncSession, clock: FixedClock) -> None:
    """One message about ``REF`` to Lotte, waiting in the outbox."""
    await db.commit()
    await queue_mail(
        db,
        clock,
        kind="visit_alert",
        recipients=["lotte@example.nl"],
        language="nl",
        subject="Veldbezoek niet afgemeld",
        body="Bel ze eerst.",
        ref=REF,
    )
    await db.commit()


async def send(db: AsyncSession, clock: FixedClock, settings: Settings) -> None:
    """One run of the outbox, committed."""
    await db.commit()
    await send_due_mail(db, clock, settings)
    await db.commit()


async def withdraw(other: AsyncSession) -> Any:
    return await withdraw_mail(other, [REF])


async def nothing(other: AsyncSession) -> None:
    return None


async def test_a_message_on_its_way_is_marked_sending(
    monkeypatch: pytest.MonkeyPatch, db: AsyncSession, clock: FixedClock, settings: Settings
) -> None:
    await queue(db, clock)
    seen: list[str] = []

    async def look(other: AsyncSession) -> None:
        seen.extend(m.status for m in await outbox(other))

    while_sending(monkeypatch, db, look)

    await send(db, clock, settings)

    assert seen == ["sending"]


async def test_withdrawing_a_message_on_its_way_counts_its_recipients_as_reached(
    monkeypatch: pytest.MonkeyPatch, db: AsyncSession, clock: FixedClock, settings: Settings
) -> None:
    await queue(db, clock)
    reached: list[dict[str, list[str]]] = []

    async def withdraw(other: AsyncSession) -> None:
        reached.append(await withdraw_mail(other, [REF]))

    while_sending(monkeypatch, db, withdraw)

    await send(db, clock, settings)

    assert reached == [{"nl": ["lotte@example.nl"]}]


async def test_withdrawing_a_waiting_message_counts_nobody_as_reached(
    db: AsyncSession, clock: FixedClock
) -> None:
    await queue(db, clock)

    assert await withdraw_mail(db, [REF]) == {}


async def test_a_message_withdrawn_on_its_way_is_recorded_sent_once_it_went_out(
    monkeypatch: pytest.MonkeyPatch, db: AsyncSession, clock: FixedClock, settings: Settings
) -> None:
    await queue(db, clock)
    while_sending(monkeypatch, db, withdraw)

    await send(db, clock, settings)

    assert [m.status for m in await outbox(db)] == ["sent"]


async def test_a_message_withdrawn_on_its_way_that_failed_is_not_tried_again(
    monkeypatch: pytest.MonkeyPatch, db: AsyncSession, clock: FixedClock, settings: Settings
) -> None:
    await queue(db, clock)
    while_sending(monkeypatch, db, withdraw, error="connection refused")

    await send(db, clock, settings)

    assert [m.status for m in await outbox(db)] == ["cancelled"]


async def test_a_message_that_failed_on_its_way_waits_for_its_next_attempt(
    monkeypatch: pytest.MonkeyPatch, db: AsyncSession, clock: FixedClock, settings: Settings
) -> None:
    await queue(db, clock)
    while_sending(monkeypatch, db, nothing, error="connection refused")

    await send(db, clock, settings)

    assert [m.status for m in await outbox(db)] == ["pending"]


async def test_a_message_left_on_its_way_by_a_crash_goes_out_at_its_retry_time(
    monkeypatch: pytest.MonkeyPatch, db: AsyncSession, clock: FixedClock, settings: Settings
) -> None:
    await queue(db, clock)

    async def crash(other: AsyncSession) -> None:
        raise RuntimeError("the worker stopped")

    while_sending(monkeypatch, db, crash)
    with pytest.raises(RuntimeError):
        await send(db, clock, settings)
    await db.rollback()
    sent = while_sending(monkeypatch, db, nothing)
    clock.advance(timedelta(minutes=1))

    await send(db, clock, settings)

    assert [m.subject for m in sent] == ["Veldbezoek niet afgemeld"]
