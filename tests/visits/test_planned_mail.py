"""A colleague put on a field visit by someone else hears about it by mail: when, where
(the area) and who planned it, never the resident's address or the purpose."""

from __future__ import annotations

import json

from sqlalchemy.ext.asyncio import AsyncSession

from tests.notifications.conftest import outbox
from tests.visits.conftest import Crew, PlanVisit, user, visit_in
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.notifications.models import MailPreference
from werkplek.notifications.render import render_mail
from werkplek.visits import services


async def test_the_colleague_on_the_visit_is_mailed(
    db: AsyncSession, crew: Crew, plan: PlanVisit
) -> None:
    await plan([crew.anna, crew.bram])

    assert [mail.recipients for mail in await outbox(db, "visit_planned")] == [crew.bram.email]


async def test_whoever_plans_their_own_visit_gets_no_mail_about_it(
    db: AsyncSession, crew: Crew, plan: PlanVisit
) -> None:
    await plan([crew.anna])

    assert await outbox(db, "visit_planned") == []


async def test_every_visitor_is_mailed_when_the_team_lead_plans_the_visit(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew
) -> None:
    expected = sorted([crew.anna.email, crew.bram.email])
    await db.commit()
    lead, visit = user(crew.lead), visit_in([crew.anna, crew.bram])
    await services.plan_visit(db, clock, settings, lead, visit)
    await db.commit()

    assert sorted(mail.recipients for mail in await outbox(db, "visit_planned")) == expected


async def test_the_mail_names_who_planned_it_when_and_where(
    db: AsyncSession, crew: Crew, plan: PlanVisit, settings: Settings
) -> None:
    await plan([crew.anna, crew.bram])
    (mail,) = await outbox(db, "visit_planned")

    subject, body = render_mail(settings, "visit_planned", json.loads(mail.context), "nl")

    assert subject == "Veldbezoek met Anna Veld: Marum, wo 25 november, 10:30–11:30"
    assert "woensdag 25 november 2026, 10:30–11:30, Marum" in body


async def test_the_mail_of_a_planner_who_does_not_go_names_them_as_planner_not_companion(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew
) -> None:
    await db.commit()
    await services.plan_visit(db, clock, settings, user(crew.lead), visit_in([crew.anna]))
    await db.commit()
    (mail,) = await outbox(db, "visit_planned")

    subject, _body = render_mail(settings, "visit_planned", json.loads(mail.context), "nl")

    assert subject == (
        f"Veldbezoek voor u gepland door {crew.lead.name}: Marum, wo 25 november, 10:30–11:30"
    )


async def test_the_mail_holds_neither_the_address_nor_the_purpose(
    db: AsyncSession, crew: Crew, plan: PlanVisit, settings: Settings
) -> None:
    await plan([crew.anna, crew.bram])
    (mail,) = await outbox(db, "visit_planned")

    _subject, body = render_mail(settings, "visit_planned", json.loads(mail.context), "en")

    assert "Molenweg" not in body and "Wmo" not in body


async def test_a_colleague_who_switched_these_mails_off_gets_none(
    db: AsyncSession, crew: Crew, plan: PlanVisit
) -> None:
    db.add(MailPreference(person_id=crew.bram.id, kind="visit_planned", enabled=False))
    await db.commit()

    await plan([crew.anna, crew.bram])

    assert await outbox(db, "visit_planned") == []
