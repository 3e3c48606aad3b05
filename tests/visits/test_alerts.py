"""Overdue alerts: raised once after the grace period, escalated once, never after check-out.

The visit runs 10:30–11:30; the grace period is 15 minutes (alert at 11:45) and the
escalation period 30 minutes after that (escalation at 12:15).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from tests.visits.conftest import (
    ONE_MINUTE,
    Crew,
    PlanVisit,
    RunJob,
    alerts_of,
    at,
    audit_actions,
    user,
)
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.visits import services
from werkplek.visits.models import AlertLevel


async def test_no_alert_just_before_the_grace_period_ends(
    db: AsyncSession, clock: FixedClock, crew: Crew, plan: PlanVisit, raise_alerts: RunJob
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(11, 45) - ONE_MINUTE)

    assert await raise_alerts() == []
    assert await alerts_of(db, visit.id) == []


async def test_one_alert_once_the_grace_period_has_passed(
    db: AsyncSession, clock: FixedClock, crew: Crew, plan: PlanVisit, raise_alerts: RunJob
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(11, 45))

    await raise_alerts()

    alerts = await alerts_of(db, visit.id)
    assert [(a.level, a.raised_at) for a in alerts] == [(AlertLevel.OVERDUE, at(11, 45))]


async def test_running_the_job_twice_in_a_row_raises_nothing_new(
    db: AsyncSession, clock: FixedClock, crew: Crew, plan: PlanVisit, raise_alerts: RunJob
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(11, 50))
    await raise_alerts()

    assert await raise_alerts() == []
    assert len(await alerts_of(db, visit.id)) == 1


async def test_a_visit_not_checked_in_is_alerted_too(
    db: AsyncSession, clock: FixedClock, crew: Crew, plan: PlanVisit, raise_alerts: RunJob
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(11, 45))

    raised = await raise_alerts()

    assert [a.visit_id for a in raised] == [visit.id]


async def test_no_escalation_just_before_the_escalation_period_ends(
    db: AsyncSession, clock: FixedClock, crew: Crew, plan: PlanVisit, raise_alerts: RunJob
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(11, 45))
    await raise_alerts()
    clock.set(at(12, 15) - ONE_MINUTE)

    assert await raise_alerts() == []
    assert [a.level for a in await alerts_of(db, visit.id)] == [AlertLevel.OVERDUE]


async def test_the_alert_escalates_after_the_escalation_period(
    db: AsyncSession, clock: FixedClock, crew: Crew, plan: PlanVisit, raise_alerts: RunJob
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(11, 45))
    await raise_alerts()
    clock.set(at(12, 15))

    await raise_alerts()

    alerts = await alerts_of(db, visit.id)
    assert [(a.level, a.raised_at) for a in alerts] == [
        (AlertLevel.OVERDUE, at(11, 45)),
        (AlertLevel.ESCALATION, at(12, 15)),
    ]


async def test_the_escalation_is_raised_only_once(
    db: AsyncSession, clock: FixedClock, crew: Crew, plan: PlanVisit, raise_alerts: RunJob
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(11, 45))
    await raise_alerts()
    clock.set(at(12, 15))
    await raise_alerts()
    clock.set(at(14, 0))

    assert await raise_alerts() == []
    assert len(await alerts_of(db, visit.id)) == 2


async def test_the_escalation_period_counts_from_the_first_alert(
    db: AsyncSession, clock: FixedClock, crew: Crew, plan: PlanVisit, raise_alerts: RunJob
) -> None:
    """After a scheduler outage the first alert comes late; the escalation does not
    follow at once but one escalation period later."""
    visit = await plan([crew.anna])
    clock.set(at(12, 30))
    await raise_alerts()

    assert [a.level for a in await alerts_of(db, visit.id)] == [AlertLevel.OVERDUE]


async def test_a_visit_checked_out_in_time_never_raises_an_alert(
    db: AsyncSession,
    clock: FixedClock,
    crew: Crew,
    plan: PlanVisit,
    raise_alerts: RunJob,
    settings: Settings,
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(11, 20))
    await services.check_out(db, clock, settings, user(crew.anna), visit.id)
    await db.commit()

    for moment in (at(11, 45), at(12, 15), at(16, 0)):
        clock.set(moment)
        assert await raise_alerts() == []
    assert await alerts_of(db, visit.id) == []


async def test_check_out_after_the_alert_stops_the_escalation(
    db: AsyncSession,
    clock: FixedClock,
    crew: Crew,
    plan: PlanVisit,
    raise_alerts: RunJob,
    settings: Settings,
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(11, 45))
    await raise_alerts()
    clock.set(at(11, 50))
    await services.check_out(db, clock, settings, user(crew.anna), visit.id)
    await db.commit()
    clock.set(at(12, 15))

    assert await raise_alerts() == []


async def test_check_out_resolves_the_open_alert(
    db: AsyncSession,
    clock: FixedClock,
    crew: Crew,
    plan: PlanVisit,
    raise_alerts: RunJob,
    settings: Settings,
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(11, 45))
    await raise_alerts()
    clock.set(at(11, 50))

    await services.check_out(db, clock, settings, user(crew.anna), visit.id)
    await db.commit()

    assert [a.resolved_at for a in await alerts_of(db, visit.id)] == [at(11, 50)]


async def test_a_cancelled_visit_raises_no_alert(
    db: AsyncSession,
    clock: FixedClock,
    crew: Crew,
    plan: PlanVisit,
    raise_alerts: RunJob,
    settings: Settings,
) -> None:
    visit = await plan([crew.anna])
    await services.cancel(db, clock, settings, user(crew.anna), visit.id)
    await db.commit()
    clock.set(at(12, 0))

    assert await raise_alerts() == []


async def test_an_acknowledged_alert_does_not_escalate(
    db: AsyncSession, clock: FixedClock, crew: Crew, plan: PlanVisit, raise_alerts: RunJob
) -> None:
    await plan([crew.anna])
    clock.set(at(11, 45))
    (alert,) = await raise_alerts()
    await services.acknowledge_alert(db, clock, user(crew.lead), alert.id)
    await db.commit()
    clock.set(at(12, 30))

    assert await raise_alerts() == []


async def test_an_extension_moves_the_next_alert_to_the_new_end(
    db: AsyncSession,
    clock: FixedClock,
    crew: Crew,
    plan: PlanVisit,
    raise_alerts: RunJob,
    settings: Settings,
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(11, 25))
    await services.extend(db, clock, settings, user(crew.anna), visit.id, 30)  # until 12:00
    await db.commit()

    clock.set(at(12, 15) - ONE_MINUTE)
    assert await raise_alerts() == []
    clock.set(at(12, 15))
    assert len(await raise_alerts()) == 1


async def test_a_visit_extended_after_its_alert_is_alerted_again_when_overdue_again(
    db: AsyncSession,
    clock: FixedClock,
    crew: Crew,
    plan: PlanVisit,
    raise_alerts: RunJob,
    settings: Settings,
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(11, 45))
    await raise_alerts()
    await services.extend(db, clock, settings, user(crew.anna), visit.id, 15)  # until 12:00
    await db.commit()
    clock.set(at(12, 15))

    raised = await raise_alerts()

    assert [(a.level, a.due_end) for a in raised] == [(AlertLevel.OVERDUE, at(12, 0))]


async def test_raising_an_alert_is_in_the_audit_log(
    db: AsyncSession, clock: FixedClock, crew: Crew, plan: PlanVisit, raise_alerts: RunJob
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(11, 45))
    await raise_alerts()

    assert ("raise_alert", None) in await audit_actions(db, visit.id)


async def test_acknowledging_an_alert_is_in_the_audit_log(
    db: AsyncSession, clock: FixedClock, crew: Crew, plan: PlanVisit, raise_alerts: RunJob
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(11, 45))
    (alert,) = await raise_alerts()

    await services.acknowledge_alert(db, clock, user(crew.lead), alert.id)
    await db.commit()

    assert ("acknowledge_alert", crew.lead.id) in await audit_actions(db, visit.id)


async def test_a_custom_grace_period_is_respected(
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    await plan([crew.anna])
    longer = settings.with_changes(visit_grace_minutes=45)
    clock.set(at(12, 14))

    assert await services.raise_overdue_alerts(db, clock, longer) == []
