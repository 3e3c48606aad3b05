"""Alert e-mails arrive at a real SMTP server (aiosmtpd on 127.0.0.1) with the right
recipients and a Dutch subject; the address of the visit is never in them."""

from __future__ import annotations

import logging
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.notifications.conftest import outbox
from tests.visits.conftest import Crew, Inbox, PlanVisit, RunJob, alerts_of, at, free_port, user
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.mail import Mail, send_mail
from werkplek.notifications.render import signed
from werkplek.people.models import Person
from werkplek.visits import services
from werkplek.visits.models import VisitSafetyContact


async def run_job(db: AsyncSession, clock: FixedClock, settings: Settings) -> None:
    await db.commit()
    await services.overdue_visits_job(db, clock, settings)
    await db.commit()


def parsed(inbox: Inbox, index: int = 0) -> EmailMessage:
    message = message_from_bytes(inbox.messages[index].content, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


async def test_the_alert_email_goes_to_the_team_lead_and_the_safety_contacts(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    db.add(VisitSafetyContact(team_id=crew.team.id, person_id=crew.kcc.id))
    await db.commit()
    await plan([crew.anna, crew.bram])
    clock.set(at(11, 45))

    await run_job(db, clock, mail_settings)

    assert [sorted(m.rcpt_tos) for m in smtp_server.messages] == [
        ["karin@example.nl", "lotte@example.nl"]
    ]


async def test_the_alert_email_has_a_dutch_subject(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    await plan([crew.anna])
    clock.set(at(11, 45))

    await run_job(db, clock, mail_settings)

    # A subject too long for one header line is folded onto the next: unfolded, it starts
    # with the folding blank, which mail programs do not show.
    assert parsed(smtp_server)["Subject"].strip() == (
        "Veldbezoek niet afgemeld: Anna Veld in Marum, wo 25 november, sinds 11:30"
    )


async def test_the_alert_email_to_one_team_lead_greets_her_by_name(
    db: AsyncSession, clock: FixedClock, crew: Crew, plan: PlanVisit, raise_alerts: RunJob
) -> None:
    await plan([crew.anna])
    clock.set(at(11, 45))

    await raise_alerts()

    (mail,) = await outbox(db, "visit_alert")
    assert mail.body.startswith("Beste Lotte Leider,\n\nAnna Veld heeft zich")


async def test_the_alert_email_to_several_addresses_at_once_greets_them_as_colleagues(
    db: AsyncSession, clock: FixedClock, crew: Crew, plan: PlanVisit, raise_alerts: RunJob
) -> None:
    db.add(VisitSafetyContact(team_id=crew.team.id, person_id=crew.kcc.id))
    await plan([crew.anna])
    clock.set(at(11, 45))

    await raise_alerts()

    (mail,) = await outbox(db, "visit_alert")
    assert mail.body.startswith("Beste collega's,\n\n")


async def test_the_alert_email_to_the_escalation_address_alone_greets_colleagues(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    shared = settings.with_changes(visit_escalation_address="veiligheid@gemeente.nl")
    await plan([crew.outsider])  # a team without lead or safety contact
    clock.set(at(11, 45))
    await db.commit()

    await services.raise_overdue_alerts(db, clock, shared)
    await db.commit()

    (mail,) = await outbox(db, "visit_alert")
    assert mail.body.startswith("Beste collega's,\n\n")


async def test_the_alert_email_about_two_visitors_says_hebben_in_dutch(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    await plan([crew.anna, crew.bram])
    clock.set(at(11, 45))

    await run_job(db, clock, mail_settings)

    assert "hebben zich na het bezoek in Marum niet afgemeld." in parsed(smtp_server).get_content()


async def test_the_alert_email_gives_the_area_and_the_mobile_number_but_not_the_address(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    await plan([crew.anna])
    clock.set(at(11, 45))

    await run_job(db, clock, mail_settings)

    text = parsed(smtp_server).get_content()
    assert "Marum" in text and "06 1234 5678" in text
    assert "Molenweg" not in text
    assert "https://werkplek.gemeente.example.nl/visits/safety" in text


async def test_a_lead_who_chose_english_gets_the_alert_in_english(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    lead = await db.get(Person, crew.lead.id)
    assert lead is not None
    lead.language = "en"
    await db.commit()
    await plan([crew.anna])
    clock.set(at(11, 45))

    await run_job(db, clock, mail_settings)

    assert parsed(smtp_server)["Subject"].strip() == (
        "Field visit not checked out: Anna Veld in Marum, Wed 25 November, since 11:30"
    )


async def test_the_escalation_email_also_goes_to_the_admins(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    await plan([crew.anna])
    clock.set(at(11, 45))
    await run_job(db, clock, mail_settings)
    clock.set(at(12, 15))

    await run_job(db, clock, mail_settings)

    assert len(smtp_server.messages) == 2
    assert sorted(smtp_server.messages[1].rcpt_tos) == ["ada@example.nl", "lotte@example.nl"]
    assert parsed(smtp_server, 1)["Subject"].startswith("ESCALATIE: ")


async def test_the_escalation_subject_names_the_day_and_the_planned_end(
    db: AsyncSession, clock: FixedClock, crew: Crew, plan: PlanVisit, raise_alerts: RunJob
) -> None:
    await plan([crew.anna])
    clock.set(at(11, 45))
    await raise_alerts()
    clock.set(at(12, 15))

    await raise_alerts()

    assert (await outbox(db, "visit_alert"))[-1].subject == (
        "ESCALATIE: veldbezoek nog steeds niet afgemeld: Anna Veld in Marum, "
        "wo 25 november, sinds 11:30"
    )


async def test_the_alert_subject_about_a_visit_across_midnight_names_the_day_it_ended(
    db: AsyncSession, clock: FixedClock, crew: Crew, plan: PlanVisit, raise_alerts: RunJob
) -> None:
    await plan([crew.anna], start=at(22, 0), end=at(1, 30, day=26))
    clock.set(at(1, 45, day=26))

    await raise_alerts()

    (mail,) = await outbox(db, "visit_alert")
    assert mail.subject.endswith("in Marum, do 26 november, sinds 01:30")


async def test_a_configured_escalation_address_is_used_instead_of_the_admins(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    settings = mail_settings.with_changes(visit_escalation_address="veiligheid@gemeente.nl")
    await plan([crew.anna])
    clock.set(at(11, 45))
    await run_job(db, clock, settings)
    clock.set(at(12, 15))

    await run_job(db, clock, settings)

    assert sorted(smtp_server.messages[1].rcpt_tos) == [
        "lotte@example.nl",
        "veiligheid@gemeente.nl",
    ]


async def test_a_team_without_lead_or_safety_contact_alerts_the_admins_at_once(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    await plan([crew.outsider])
    clock.set(at(11, 45))

    await run_job(db, clock, mail_settings)

    assert [m.rcpt_tos for m in smtp_server.messages] == [["ada@example.nl"]]


async def test_an_alert_is_emailed_once(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    await plan([crew.anna])
    clock.set(at(11, 45))
    await run_job(db, clock, mail_settings)
    clock.set(at(11, 50))

    await run_job(db, clock, mail_settings)

    assert len(smtp_server.messages) == 1


async def test_the_sent_email_is_in_the_audit_trail_of_the_alert(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(11, 45))

    await run_job(db, clock, mail_settings)

    assert [a.emailed_at for a in await alerts_of(db, visit.id)] == [at(11, 45)]


async def test_an_email_that_could_not_be_sent_is_tried_again_later(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    unreachable = mail_settings.with_changes(smtp_port=free_port())
    visit = await plan([crew.anna])
    clock.set(at(11, 45))
    await run_job(db, clock, unreachable)
    assert [a.emailed_at for a in await alerts_of(db, visit.id)] == [None]
    clock.set(at(11, 47))

    await run_job(db, clock, mail_settings)

    assert len(smtp_server.messages) == 1


async def test_an_acknowledged_alert_is_not_emailed_any_more(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    await plan([crew.anna])
    clock.set(at(11, 45))
    await db.commit()
    (alert,) = await services.raise_overdue_alerts(db, clock, mail_settings)
    await db.commit()
    await services.acknowledge_alert(db, clock, user(crew.lead), alert.id)
    await db.commit()

    await run_job(db, clock, mail_settings)

    assert smtp_server.messages == []


async def test_the_alert_about_a_visit_across_midnight_names_the_day_it_ended(
    db: AsyncSession, clock: FixedClock, crew: Crew, plan: PlanVisit, raise_alerts: RunJob
) -> None:
    await plan([crew.anna], start=at(22, 0), end=at(1, 30, day=26))
    clock.set(at(1, 45, day=26))
    await raise_alerts()

    (mail,) = await outbox(db, "visit_alert")
    assert (
        "Gepland: woensdag 25 november 2026, 22:00 tot donderdag 26 november 2026, 01:30"
    ) in mail.body


# --- the mail module ----------------------------------------------------------------------


async def test_without_an_smtp_host_mail_is_logged_and_not_sent(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="werkplek.mail"):
        sent = await send_mail(settings, Mail(to=["a@example.nl"], subject="Test", body="Hallo"))

    assert sent is False
    assert "a@example.nl" in caplog.text and "Test" in caplog.text


async def test_send_mail_delivers_to_every_recipient(
    mail_settings: Settings, smtp_server: Inbox
) -> None:
    sent = await send_mail(
        mail_settings, Mail(to=["a@example.nl", "b@example.nl"], subject="Test", body="Hallo")
    )

    assert sent is True
    assert smtp_server.messages[0].rcpt_tos == ["a@example.nl", "b@example.nl"]
    assert smtp_server.messages[0].mail_from == "werkplek@gemeente.example.nl"


async def test_the_alert_email_writes_the_planned_day_in_full_and_its_hours_with_a_dash(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    await plan([crew.anna])
    clock.set(at(11, 45))

    await run_job(db, clock, mail_settings)

    assert "Gepland: woensdag 25 november 2026, 10:30–11:30" in parsed(smtp_server).get_content()


async def test_the_alert_email_ends_with_the_sign_off_of_every_werkplek_mail(
    db: AsyncSession,
    clock: FixedClock,
    mail_settings: Settings,
    smtp_server: Inbox,
    crew: Crew,
    plan: PlanVisit,
) -> None:
    await plan([crew.anna])
    clock.set(at(11, 45))

    await run_job(db, clock, mail_settings)

    sign_off = signed("", mail_settings.public_url.rstrip("/")).strip().splitlines()
    lines = parsed(smtp_server).get_content().splitlines()
    assert lines[-len(sign_off) :] == sign_off
