"""Whoever was told about a visit by mail hears what became of it: after an overdue alert
went out, the all clear when the visit is checked out or extended, naming who did it
("Afgemeld door ..."); when it is cancelled, that it is off. Mails not sent yet are
withdrawn instead."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs
from tests.notifications.conftest import outbox, while_sending
from tests.visits.conftest import (
    Crew,
    Inbox,
    PlanVisit,
    RunJob,
    at,
    audit_actions,
    stored_visit,
    user,
    visit_in,
)
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.notifications.models import MailPreference, OutboxMail
from werkplek.notifications.outbox import send_due_mail
from werkplek.notifications.render import signed
from werkplek.people.models import Person
from werkplek.visits import services
from werkplek.visits.models import VisitSafetyContact
from werkplek.visits.schemas import VisitOut

Client = AsyncTestClient[Litestar]


async def send_all(db: AsyncSession, clock: FixedClock, settings: Settings) -> None:
    """One run of the outbox: every mail due goes out."""
    await db.commit()
    await send_due_mail(db, clock, settings)
    await db.commit()


async def alert_sent(
    db: AsyncSession, clock: FixedClock, settings: Settings, plan: PlanVisit, crew: Crew
) -> VisitOut:
    """Anna's visit (10:30-11:30), not checked out: its alert mailed at 11:45 to Lotte."""
    visit = await plan([crew.anna])
    clock.set(at(11, 45))
    await db.commit()
    await services.overdue_visits_job(db, clock, settings)
    await db.commit()
    clock.set(at(11, 50))
    return visit


async def outcome_mails(db: AsyncSession, outcome: str, visit: VisitOut) -> list[OutboxMail]:
    return [m for m in await outbox(db) if m.ref == f"visit_{outcome}:{visit.id}"]


async def check_out(
    db: AsyncSession, clock: FixedClock, settings: Settings, by: Person, visit: VisitOut
) -> None:
    await db.commit()
    await services.check_out(db, clock, settings, user(by), visit.id)
    await db.commit()


async def cancel(
    db: AsyncSession, clock: FixedClock, settings: Settings, by: Person, visit: VisitOut
) -> None:
    await db.commit()
    await services.cancel(db, clock, settings, user(by), visit.id)
    await db.commit()


# --- the all clear ------------------------------------------------------------------------


async def test_checking_out_after_the_alert_went_out_mails_the_all_clear_to_whoever_got_it(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    visit = await alert_sent(db, clock, mail_settings, plan, crew)

    await check_out(db, clock, mail_settings, crew.anna, visit)

    assert [m.recipients for m in await outcome_mails(db, "checked_out", visit)] == [
        crew.lead.email
    ]


async def test_the_all_clear_has_a_dutch_subject(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    visit = await alert_sent(db, clock, mail_settings, plan, crew)

    await check_out(db, clock, mail_settings, crew.anna, visit)

    (mail,) = await outcome_mails(db, "checked_out", visit)
    assert mail.subject == "Alles in orde: Anna Veld afgemeld na het bezoek in Marum"


async def test_the_all_clear_greets_the_team_lead_by_name(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    visit = await alert_sent(db, clock, mail_settings, plan, crew)

    await check_out(db, clock, mail_settings, crew.anna, visit)

    (mail,) = await outcome_mails(db, "checked_out", visit)
    assert mail.body.startswith("Beste Lotte Leider,\n\nAfgemeld door Anna Veld")


async def test_the_all_clear_ends_with_the_sign_off_of_every_werkplek_mail(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    visit = await alert_sent(db, clock, mail_settings, plan, crew)

    await check_out(db, clock, mail_settings, crew.anna, visit)

    (mail,) = await outcome_mails(db, "checked_out", visit)
    assert mail.body.endswith(signed("", mail_settings.public_url))


async def test_the_all_clear_stays_a_mail_nobody_can_switch_off(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    visit = await alert_sent(db, clock, mail_settings, plan, crew)

    await check_out(db, clock, mail_settings, crew.anna, visit)

    assert [m.kind for m in await outcome_mails(db, "checked_out", visit)] == ["visit_alert"]


async def test_the_all_clear_names_who_checked_out_on_their_behalf(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    db.add(VisitSafetyContact(team_id=crew.team.id, person_id=crew.kcc.id))
    visit = await alert_sent(db, clock, mail_settings, plan, crew)

    await check_out(db, clock, mail_settings, crew.lead, visit)

    (mail,) = await outcome_mails(db, "checked_out", visit)
    assert "Afgemeld door Lotte Leider om 11:50." in mail.body


async def test_whoever_checks_out_on_their_behalf_gets_no_all_clear_themselves(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    visit = await alert_sent(db, clock, mail_settings, plan, crew)

    await check_out(db, clock, mail_settings, crew.lead, visit)

    assert await outcome_mails(db, "checked_out", visit) == []


async def test_extending_after_the_alert_went_out_mails_the_all_clear_with_the_new_end(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    visit = await alert_sent(db, clock, mail_settings, plan, crew)
    await db.commit()

    await services.extend(db, clock, mail_settings, user(crew.anna), visit.id, 15)
    await db.commit()

    (mail,) = await outcome_mails(db, "extended", visit)
    assert mail.subject == (
        "Voorlopig in orde: het bezoek van Anna Veld in Marum is verlengd tot 12:05"
    )


async def test_checking_out_before_the_alert_mail_went_out_withdraws_it_without_all_clear(
    db: AsyncSession,
    clock: FixedClock,
    crew: Crew,
    plan: PlanVisit,
    raise_alerts: RunJob,
    settings: Settings,
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(11, 45))
    await raise_alerts()  # queued, not sent

    await check_out(db, clock, settings, crew.anna, visit)

    assert [(m.ref or "").split(":")[0] + ":" + m.status for m in await outbox(db)] == [
        "visit_alert:cancelled"
    ]


async def test_checking_out_in_time_mails_nobody(
    db: AsyncSession,
    clock: FixedClock,
    crew: Crew,
    plan: PlanVisit,
    settings: Settings,
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(11, 20))

    await check_out(db, clock, settings, crew.anna, visit)

    assert await outbox(db) == []


# --- cancelling ---------------------------------------------------------------------------


async def test_cancelling_mails_the_colleague_told_about_the_visit(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await send_all(db, clock, mail_settings)

    await cancel(db, clock, mail_settings, crew.anna, visit)

    assert [m.recipients for m in await outcome_mails(db, "cancelled", visit)] == [crew.bram.email]


async def test_the_cancelled_mail_has_a_dutch_subject(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await send_all(db, clock, mail_settings)

    await cancel(db, clock, mail_settings, crew.anna, visit)

    (mail,) = await outcome_mails(db, "cancelled", visit)
    assert (
        mail.subject
        == "Veldbezoek geannuleerd: Anna Veld en Bram Buiten in Marum op wo 25 november"
    )


async def test_the_cancelled_mail_names_who_cancelled(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await send_all(db, clock, mail_settings)

    await cancel(db, clock, mail_settings, crew.anna, visit)

    (mail,) = await outcome_mails(db, "cancelled", visit)
    assert "Geannuleerd door Anna Veld." in mail.body


async def test_the_cancelled_mail_to_a_colleague_told_by_the_planned_mail_is_of_its_kind(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await send_all(db, clock, mail_settings)

    await cancel(db, clock, mail_settings, crew.anna, visit)

    assert [m.kind for m in await outcome_mails(db, "cancelled", visit)] == ["visit_planned"]


async def test_a_colleague_who_switched_planned_mail_off_hears_nothing_of_the_cancellation(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await send_all(db, clock, mail_settings)
    db.add(MailPreference(person_id=crew.bram.id, kind="visit_planned", enabled=False))

    await cancel(db, clock, mail_settings, crew.anna, visit)

    assert await outcome_mails(db, "cancelled", visit) == []


async def test_the_cancelled_mail_greets_the_colleague_by_name(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await send_all(db, clock, mail_settings)

    await cancel(db, clock, mail_settings, crew.anna, visit)

    (mail,) = await outcome_mails(db, "cancelled", visit)
    assert mail.body.startswith("Beste Bram Buiten,\n\nHet veldbezoek")


async def test_the_cancelled_mail_after_an_alert_is_one_nobody_can_switch_off(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    visit = await alert_sent(db, clock, mail_settings, plan, crew)

    await cancel(db, clock, mail_settings, crew.anna, visit)

    assert [m.kind for m in await outcome_mails(db, "cancelled", visit)] == ["visit_alert"]


async def test_cancelling_after_the_alert_went_out_tells_whoever_got_it(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    visit = await alert_sent(db, clock, mail_settings, plan, crew)

    await cancel(db, clock, mail_settings, crew.anna, visit)

    assert [m.recipients for m in await outcome_mails(db, "cancelled", visit)] == [crew.lead.email]


async def test_the_visitor_who_planned_the_visit_hears_when_their_team_lead_cancels_it(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    visit = await plan([crew.anna])

    await cancel(db, clock, mail_settings, crew.lead, visit)

    assert [m.recipients for m in await outcome_mails(db, "cancelled", visit)] == [crew.anna.email]


async def test_the_visitor_who_planned_the_visit_hears_only_once_that_it_is_cancelled(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await send_all(db, clock, mail_settings)

    await cancel(db, clock, mail_settings, crew.lead, visit)

    assert sorted(m.recipients for m in await outcome_mails(db, "cancelled", visit)) == sorted(
        [crew.anna.email, crew.bram.email]
    )


async def test_the_visitor_who_planned_the_visit_and_switched_planned_mail_off_hears_nothing(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    visit = await plan([crew.anna])
    db.add(MailPreference(person_id=crew.anna.id, kind="visit_planned", enabled=False))

    await cancel(db, clock, mail_settings, crew.lead, visit)

    assert await outcome_mails(db, "cancelled", visit) == []


async def test_cancelling_before_the_planned_mail_went_out_withdraws_it(
    db: AsyncSession,
    clock: FixedClock,
    crew: Crew,
    plan: PlanVisit,
    settings: Settings,
) -> None:
    visit = await plan([crew.anna, crew.bram])

    await cancel(db, clock, settings, crew.anna, visit)

    assert [m.status for m in await outbox(db, "visit_planned")] == ["cancelled"]


async def test_cancelling_before_the_planned_mail_went_out_mails_nobody_it_is_off(
    db: AsyncSession,
    clock: FixedClock,
    crew: Crew,
    plan: PlanVisit,
    settings: Settings,
) -> None:
    visit = await plan([crew.anna, crew.bram])

    await cancel(db, clock, settings, crew.anna, visit)

    assert await outcome_mails(db, "cancelled", visit) == []


# --- a mail on its way as the visit ends ---------------------------------------------------
# The outbox has claimed it and is sending it when the visit is checked out or cancelled:
# too late to withdraw, so its recipients hear what became of the visit.


async def test_an_alert_mail_on_its_way_as_the_visit_is_checked_out_gets_one_all_clear(
    monkeypatch: pytest.MonkeyPatch,
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
    crew: Crew,
    plan: PlanVisit,
    raise_alerts: RunJob,
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(11, 45))
    await raise_alerts()
    while_sending(
        monkeypatch,
        db,
        lambda other: services.check_out(other, clock, settings, user(crew.anna), visit.id),
    )

    await send_all(db, clock, settings)

    assert [m.recipients for m in await outcome_mails(db, "checked_out", visit)] == [
        crew.lead.email
    ]


async def test_an_alert_mail_on_its_way_as_the_visit_is_extended_gets_the_all_clear_for_now(
    monkeypatch: pytest.MonkeyPatch,
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
    crew: Crew,
    plan: PlanVisit,
    raise_alerts: RunJob,
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(11, 45))
    await raise_alerts()
    while_sending(
        monkeypatch,
        db,
        lambda other: services.extend(other, clock, settings, user(crew.anna), visit.id, 15),
    )

    await send_all(db, clock, settings)

    assert [m.recipients for m in await outcome_mails(db, "extended", visit)] == [crew.lead.email]


async def test_a_planned_mail_on_its_way_as_the_visit_is_cancelled_is_followed_by_the_news(
    monkeypatch: pytest.MonkeyPatch,
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    visit = await plan([crew.anna, crew.bram])
    while_sending(
        monkeypatch,
        db,
        lambda other: services.cancel(other, clock, settings, user(crew.anna), visit.id),
    )

    await send_all(db, clock, settings)

    assert [m.recipients for m in await outcome_mails(db, "cancelled", visit)] == [crew.bram.email]


# --- extending: the colleagues told of the plan hear the new end --------------------------


async def extend(
    db: AsyncSession, clock: FixedClock, settings: Settings, by: Person, visit: VisitOut
) -> None:
    """Fifteen minutes more, asked at 10:45 (the visit runs 10:30-11:30): until 11:45."""
    clock.set(at(10, 45))
    await db.commit()
    await services.extend(db, clock, settings, user(by), visit.id, 15)
    await db.commit()


async def test_extending_mails_the_colleague_told_by_the_planned_mail(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await send_all(db, clock, settings)

    await extend(db, clock, settings, crew.anna, visit)

    assert [m.recipients for m in await outcome_mails(db, "extended", visit)] == [crew.bram.email]


async def test_the_extended_mail_to_a_colleague_told_by_the_planned_mail_is_of_its_kind(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await send_all(db, clock, settings)

    await extend(db, clock, settings, crew.anna, visit)

    assert [m.kind for m in await outcome_mails(db, "extended", visit)] == ["visit_planned"]


async def test_the_extended_mail_to_a_colleague_names_the_visit_and_its_new_end(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await send_all(db, clock, settings)

    await extend(db, clock, settings, crew.anna, visit)

    (mail,) = await outcome_mails(db, "extended", visit)
    assert mail.subject == "Veldbezoek verlengd: Anna Veld en Bram Buiten in Marum tot 11:45"


async def test_the_extended_mail_to_a_colleague_names_who_extended(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await send_all(db, clock, settings)

    await extend(db, clock, settings, crew.anna, visit)

    (mail,) = await outcome_mails(db, "extended", visit)
    assert "Verlengd door Anna Veld tot 11:45." in mail.body


async def test_the_extended_mail_to_a_colleague_speaks_of_no_alert(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await send_all(db, clock, settings)

    await extend(db, clock, settings, crew.anna, visit)

    (mail,) = await outcome_mails(db, "extended", visit)
    assert "melding" not in mail.body


async def test_the_visitor_who_planned_the_visit_hears_when_their_team_lead_extends_it(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna])

    await extend(db, clock, settings, crew.lead, visit)

    (mail,) = await outcome_mails(db, "extended", visit)
    assert (mail.recipients, mail.subject) == (
        crew.anna.email,
        "Veldbezoek verlengd: Anna Veld in Marum tot 11:45",
    )


async def test_a_colleague_who_switched_planned_mail_off_hears_nothing_of_the_extension(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await send_all(db, clock, settings)
    db.add(MailPreference(person_id=crew.bram.id, kind="visit_planned", enabled=False))

    await extend(db, clock, settings, crew.anna, visit)

    assert await outcome_mails(db, "extended", visit) == []


async def test_extending_while_the_planned_mail_still_waits_tells_the_colleague_too(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])

    await extend(db, clock, settings, crew.anna, visit)

    assert [m.recipients for m in await outcome_mails(db, "extended", visit)] == [crew.bram.email]


async def test_the_visitor_told_of_the_plan_who_extends_gets_no_mail_about_it(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew
) -> None:
    await db.commit()
    visit = await services.plan_visit(
        db, clock, settings, user(crew.lead), visit_in([crew.anna, crew.bram])
    )
    await send_all(db, clock, settings)

    await extend(db, clock, settings, crew.anna, visit)

    assert [m.recipients for m in await outcome_mails(db, "extended", visit)] == [crew.bram.email]


# --- "Afgemeld door" on the pages ---------------------------------------------------------


async def test_the_visit_page_shows_the_team_lead_who_checked_out(
    client: Client,
    db: AsyncSession,
    clock: FixedClock,
    crew: Crew,
    plan: PlanVisit,
    login_as: LoginAs,
    settings: Settings,
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(11, 50))
    await check_out(db, clock, settings, crew.anna, visit)
    await login_as(crew.lead)

    response = await client.get(f"/visits/{visit.id}")

    assert "Afgemeld door Anna Veld om 11:50" in response.text


async def test_the_visitor_sees_who_checked_out_on_her_behalf(
    client: Client,
    db: AsyncSession,
    clock: FixedClock,
    crew: Crew,
    plan: PlanVisit,
    login_as: LoginAs,
    settings: Settings,
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(11, 50))
    await check_out(db, clock, settings, crew.lead, visit)
    await login_as(crew.anna)

    response = await client.get(f"/visits/{visit.id}")

    assert 'role="status">Afgemeld door Lotte Leider om 11:50.</p>' in response.text


async def test_the_api_names_who_checked_out(
    client: Client,
    db: AsyncSession,
    clock: FixedClock,
    crew: Crew,
    plan: PlanVisit,
    login_as: LoginAs,
    settings: Settings,
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(11, 50))
    await check_out(db, clock, settings, crew.lead, visit)
    await login_as(crew.anna)

    response = await client.get(f"/api/visits/{visit.id}")

    assert response.json()["checked_out_by"]["name"] == "Lotte Leider"


# --- asking first -------------------------------------------------------------------------


async def test_cancelling_a_visit_asks_first_naming_it(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.anna)

    response = await client.post(f"/visits/{visit.id}/cancel")

    assert "Het bezoek van Anna Veld in Marum op woensdag 25-11-2026" in response.text


async def test_a_visit_not_yet_confirmed_stays_planned(
    client: Client, db: AsyncSession, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.anna)

    await client.post(f"/visits/{visit.id}/cancel")

    assert (await stored_visit(db, visit.id)).status == "planned"


async def test_cancelling_confirmed_on_its_page_cancels_the_visit_and_shows_it(
    client: Client, db: AsyncSession, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.anna)

    response = await client.post(
        f"/visits/{visit.id}/cancel",
        data={"confirmed": "1", "next": f"/visits/{visit.id}"},
        follow_redirects=False,
    )

    assert response.headers["location"] == f"/visits/{visit.id}"
    assert (await stored_visit(db, visit.id)).status == "cancelled"


async def test_asking_the_team_lead_to_confirm_shows_no_address_and_records_no_look(
    client: Client, db: AsyncSession, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.lead)

    response = await client.post(f"/visits/{visit.id}/cancel")

    assert "Molenweg" not in response.text
    assert ("view_address", crew.lead.id) not in await audit_actions(db, visit.id)
