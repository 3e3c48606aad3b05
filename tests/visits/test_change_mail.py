"""Who hears of a change to a planned visit by mail: those put on it that they go, those
taken off that they no longer go, those staying what changed when its time or place did;
never whoever made the change, and never the address."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.notifications.conftest import outbox
from tests.visits.conftest import Crew, PlanVisit, as_text, at, resident_room_booking, user
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.notifications.models import MailStatus, OutboxMail
from werkplek.notifications.render import render_mail
from werkplek.people.models import Person
from werkplek.visits import services
from werkplek.visits.schemas import VisitChangeIn, VisitOut


async def change_as(
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
    person: Person,
    visit: VisitOut,
    **fields: Any,
) -> VisitOut:
    await db.commit()
    out = await services.change_visit(
        db, clock, settings, user(person), visit.id, VisitChangeIn(**as_text(fields))
    )
    await db.commit()
    return out


async def mark_sent(db: AsyncSession) -> None:
    """The mails queued so far went out."""
    await db.execute(update(OutboxMail).values(status=MailStatus.SENT.value))
    await db.commit()


def rendered(settings: Settings, mail: OutboxMail, language: str = "nl") -> tuple[str, str]:
    assert mail.template is not None
    return render_mail(settings, mail.template, json.loads(mail.context), language)


async def test_a_colleague_added_to_a_visit_gets_the_planned_mail(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna])

    await change_as(db, clock, settings, crew.anna, visit, visitor_ids=[crew.anna.id, crew.bram.id])

    (mail,) = await outbox(db, "visit_planned")
    assert (mail.recipients, mail.template) == (crew.bram.email, "visit_planned")


async def test_a_colleague_taken_off_a_visit_is_mailed_that_they_no_longer_go(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await mark_sent(db)

    await change_as(db, clock, settings, crew.anna, visit, visitor_ids=[crew.anna.id])

    dropped = [m for m in await outbox(db, "visit_planned") if m.template == "visit_dropped"]
    assert [mail.recipients for mail in dropped] == [crew.bram.email]


async def test_the_mail_to_one_taken_off_names_who_did_it_and_the_visit_they_knew(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await mark_sent(db)
    await change_as(
        db,
        clock,
        settings,
        crew.anna,
        visit,
        visitor_ids=[crew.anna.id],
        start=at(14, 0),
        end=at(15, 0),
    )
    (mail,) = [m for m in await outbox(db, "visit_planned") if m.template == "visit_dropped"]

    subject, body = rendered(settings, mail)

    assert subject == "U gaat niet meer mee op het veldbezoek: Marum, wo 25 november, 10:30–11:30"
    assert "Anna Veld heeft u afgehaald van het veldbezoek" in body


async def test_a_colleague_taken_off_before_the_planned_mail_left_gets_neither(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])

    await change_as(db, clock, settings, crew.anna, visit, visitor_ids=[crew.anna.id])

    assert [(mail.template, mail.status) for mail in await outbox(db, "visit_planned")] == [
        ("visit_planned", MailStatus.CANCELLED.value)
    ]


async def test_a_colleague_staying_on_a_visit_moved_to_another_time_is_mailed_the_change(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await mark_sent(db)

    await change_as(db, clock, settings, crew.anna, visit, start=at(14, 0), end=at(15, 0))

    changed = [m for m in await outbox(db, "visit_planned") if m.template == "visit_changed"]
    assert [mail.recipients for mail in changed] == [crew.bram.email]


async def test_the_change_mail_names_the_old_and_the_new_time(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await mark_sent(db)
    await change_as(db, clock, settings, crew.anna, visit, start=at(14, 0), end=at(15, 0))
    (mail,) = [m for m in await outbox(db, "visit_planned") if m.template == "visit_changed"]

    subject, body = rendered(settings, mail)

    assert subject == "Veldbezoek gewijzigd: Marum, wo 25 november, 14:00–15:00"
    assert body.index("10:30–11:30") < body.index("14:00–15:00")


async def test_the_change_mail_in_english_says_so(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await mark_sent(db)
    await change_as(db, clock, settings, crew.anna, visit, area="Niekerk")
    (mail,) = [m for m in await outbox(db, "visit_planned") if m.template == "visit_changed"]

    subject, _body = rendered(settings, mail, "en")

    assert subject.startswith("Field visit changed: Niekerk")


async def test_the_change_mail_of_a_new_address_holds_neither_address(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await mark_sent(db)
    await change_as(db, clock, settings, crew.anna, visit, address="Dorpsstraat 1, Marum")
    (mail,) = [m for m in await outbox(db, "visit_planned") if m.template == "visit_changed"]

    _subject, body = rendered(settings, mail)

    assert "Molenweg" not in body and "Dorpsstraat" not in body
    assert "Ook het adres of de spreekkamer is gewijzigd" in body


async def test_a_colleague_staying_hears_nothing_when_only_the_purpose_changes(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await mark_sent(db)

    await change_as(db, clock, settings, crew.anna, visit, purpose="Huisbezoek")

    assert [m.template for m in await outbox(db, "visit_planned")] == ["visit_planned"]


async def test_whoever_changes_the_visit_gets_no_mail_about_it(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await mark_sent(db)

    await change_as(db, clock, settings, crew.bram, visit, start=at(14, 0), end=at(15, 0))

    changed = [m for m in await outbox(db, "visit_planned") if m.template == "visit_changed"]
    assert [mail.recipients for mail in changed] == [crew.anna.email]


async def test_a_mail_still_waiting_for_whoever_changes_the_visit_is_withdrawn(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])

    await change_as(db, clock, settings, crew.bram, visit, start=at(14, 0), end=at(15, 0))

    assert [
        mail.status for mail in await outbox(db, "visit_planned") if mail.person_id == crew.bram.id
    ] == [MailStatus.CANCELLED.value]


async def test_the_team_lead_handing_a_visit_over_mails_both_colleagues(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna])

    await change_as(db, clock, settings, crew.lead, visit, visitor_ids=[crew.bram.id])

    assert sorted((m.template, m.recipients) for m in await outbox(db, "visit_planned")) == [
        ("visit_dropped", crew.anna.email),
        ("visit_planned", crew.bram.email),
    ]


async def test_one_taken_off_does_not_hear_when_the_visit_is_cancelled_later(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await mark_sent(db)
    await change_as(db, clock, settings, crew.anna, visit, visitor_ids=[crew.anna.id])

    await services.cancel(db, clock, settings, user(crew.anna), visit.id)
    await db.commit()

    assert [
        m.ref for m in await outbox(db, "visit_planned") if m.recipients == crew.bram.email
    ] == [
        f"visit_planned:{visit.id}",
        f"visit_dropped:{visit.id}",
    ]


async def test_a_colleague_staying_whose_planned_mail_had_not_left_gets_it_anew_instead(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])

    await change_as(db, clock, settings, crew.anna, visit, start=at(14, 0), end=at(15, 0))

    assert [(m.template, m.status) for m in await outbox(db, "visit_planned")] == [
        ("visit_planned", MailStatus.CANCELLED.value),
        ("visit_planned", MailStatus.PENDING.value),
    ]


async def test_the_planned_mail_queued_anew_names_the_new_time(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await change_as(db, clock, settings, crew.anna, visit, start=at(14, 0), end=at(15, 0))
    mail = (await outbox(db, "visit_planned"))[-1]

    subject, _body = rendered(settings, mail)

    assert subject == "Veldbezoek met Anna Veld: Marum, wo 25 november, 14:00–15:00"


# --- a change before the mail of the one before it went out --------------------------------


async def changes_waiting(db: AsyncSession) -> list[OutboxMail]:
    """The change mails not sent yet."""
    return [
        m
        for m in await outbox(db, "visit_planned")
        if m.template == "visit_changed" and m.status == MailStatus.PENDING.value
    ]


def was_and_now(settings: Settings, mail: OutboxMail) -> tuple[str, str]:
    """The times a change mail names as was and now."""
    _subject, body = rendered(settings, mail)
    was, now = body.split("Was:")[1].split("Nu:")
    return was.split(",")[1].strip(), now.split(",")[1].strip()


async def test_two_changes_before_the_first_mail_left_make_one_mail(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await mark_sent(db)
    await change_as(db, clock, settings, crew.anna, visit, start=at(14, 0), end=at(15, 0))

    await change_as(db, clock, settings, crew.anna, visit, start=at(15, 0), end=at(16, 0))

    assert [mail.recipients for mail in await changes_waiting(db)] == [crew.bram.email]


async def test_the_mail_of_two_changes_names_the_time_before_the_first(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await mark_sent(db)
    await change_as(db, clock, settings, crew.anna, visit, start=at(14, 0), end=at(15, 0))

    await change_as(db, clock, settings, crew.anna, visit, start=at(15, 0), end=at(16, 0))

    (mail,) = await changes_waiting(db)
    assert was_and_now(settings, mail) == ("10:30–11:30", "15:00–16:00")


async def test_a_change_after_the_change_mail_went_out_names_the_time_it_told(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await mark_sent(db)
    await change_as(db, clock, settings, crew.anna, visit, start=at(14, 0), end=at(15, 0))
    await mark_sent(db)

    await change_as(db, clock, settings, crew.anna, visit, start=at(15, 0), end=at(16, 0))

    (mail,) = await changes_waiting(db)
    assert was_and_now(settings, mail) == ("14:00–15:00", "15:00–16:00")


async def test_a_change_undone_before_its_mail_left_sends_nothing(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await mark_sent(db)
    await change_as(db, clock, settings, crew.anna, visit, start=at(14, 0), end=at(15, 0))

    await change_as(db, clock, settings, crew.anna, visit, start=at(10, 30), end=at(11, 30))

    assert await changes_waiting(db) == []


async def test_a_new_address_whose_mail_had_not_left_is_still_told_with_a_new_time(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await mark_sent(db)
    await change_as(db, clock, settings, crew.anna, visit, address="Dorpsstraat 1, Marum")

    await change_as(db, clock, settings, crew.anna, visit, start=at(14, 0), end=at(15, 0))

    (mail,) = await changes_waiting(db)
    assert "Ook het adres of de spreekkamer is gewijzigd" in rendered(settings, mail)[1]


async def test_one_taken_off_before_a_change_mail_left_hears_of_the_visit_they_knew(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await mark_sent(db)
    await change_as(db, clock, settings, crew.anna, visit, start=at(14, 0), end=at(15, 0))

    await change_as(db, clock, settings, crew.anna, visit, visitor_ids=[crew.anna.id])

    (mail,) = [m for m in await outbox(db, "visit_planned") if m.template == "visit_dropped"]
    assert rendered(settings, mail)[0].endswith("wo 25 november, 10:30–11:30")


# --- a place changed and back before the mail went out -------------------------------------

NEW_PLACE = "Ook het adres of de spreekkamer is gewijzigd"
OLD_ADDRESS = "Molenweg 12, 9363 AB Marum"


async def test_a_new_address_undone_before_its_mail_left_sends_nothing(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await mark_sent(db)
    await change_as(db, clock, settings, crew.anna, visit, address="Dorpsstraat 1, Marum")

    await change_as(db, clock, settings, crew.anna, visit, address=OLD_ADDRESS)

    assert await changes_waiting(db) == []


async def test_a_new_address_and_time_undone_together_send_nothing(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await mark_sent(db)
    await change_as(
        db,
        clock,
        settings,
        crew.anna,
        visit,
        address="Dorpsstraat 1, Marum",
        start=at(14, 0),
        end=at(15, 0),
    )

    await change_as(
        db, clock, settings, crew.anna, visit, address=OLD_ADDRESS, start=at(10, 30), end=at(11, 30)
    )

    assert await changes_waiting(db) == []


async def test_a_new_address_undone_with_a_new_time_tells_the_time_but_no_new_place(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await mark_sent(db)
    await change_as(db, clock, settings, crew.anna, visit, address="Dorpsstraat 1, Marum")

    await change_as(
        db, clock, settings, crew.anna, visit, address=OLD_ADDRESS, start=at(14, 0), end=at(15, 0)
    )

    (mail,) = await changes_waiting(db)
    assert NEW_PLACE not in rendered(settings, mail)[1]


async def test_a_resident_room_undone_before_its_mail_left_sends_nothing(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    booking = await resident_room_booking(db, clock, crew.anna.id)
    await mark_sent(db)
    await change_as(db, clock, settings, crew.anna, visit, booking_id=booking.id)

    await change_as(db, clock, settings, crew.anna, visit, booking_id=None)

    assert await changes_waiting(db) == []


async def test_an_address_changed_back_after_its_mail_left_is_told_as_a_new_place(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await mark_sent(db)
    await change_as(db, clock, settings, crew.anna, visit, address="Dorpsstraat 1, Marum")
    await mark_sent(db)

    await change_as(db, clock, settings, crew.anna, visit, address=OLD_ADDRESS)

    (mail,) = await changes_waiting(db)
    assert NEW_PLACE in rendered(settings, mail)[1]


async def test_what_a_change_mail_is_rendered_from_holds_no_address(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await mark_sent(db)

    await change_as(db, clock, settings, crew.anna, visit, address="Dorpsstraat 1, Marum")

    (mail,) = await changes_waiting(db)
    assert "Molenweg" not in mail.context and "Dorpsstraat" not in mail.context


async def test_a_new_place_in_a_change_mail_queued_before_places_were_kept_is_still_told(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await mark_sent(db)
    await change_as(db, clock, settings, crew.anna, visit, address="Dorpsstraat 1, Marum")
    (waiting,) = await changes_waiting(db)
    facts = json.loads(waiting.context)
    del facts["was_place"]
    await db.execute(
        update(OutboxMail).where(OutboxMail.id == waiting.id).values(context=json.dumps(facts))
    )
    await db.commit()

    await change_as(db, clock, settings, crew.anna, visit, start=at(14, 0), end=at(15, 0))

    (mail,) = await changes_waiting(db)
    assert NEW_PLACE in rendered(settings, mail)[1]


# --- who stays, goes or comes as a change is undone ---------------------------------------


async def waiting_for(db: AsyncSession, person: Person) -> list[str]:
    """The templates of the mails to ``person`` not sent yet."""
    return [
        m.template or ""
        for m in await outbox(db)
        if m.recipients == person.email and m.status == MailStatus.PENDING.value
    ]


async def test_one_whose_change_mail_alone_waited_hears_the_next_change_as_a_change(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await mark_sent(db)
    await change_as(db, clock, settings, crew.lead, visit, start=at(14, 0), end=at(15, 0))

    await change_as(db, clock, settings, crew.lead, visit, start=at(15, 0), end=at(16, 0))

    assert await waiting_for(db, crew.anna) == ["visit_changed"]


async def test_the_change_mail_of_one_whose_change_mail_alone_waited_names_the_first_time(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await mark_sent(db)
    await change_as(db, clock, settings, crew.lead, visit, start=at(14, 0), end=at(15, 0))

    await change_as(db, clock, settings, crew.lead, visit, start=at(15, 0), end=at(16, 0))

    (mail,) = [m for m in await changes_waiting(db) if m.recipients == crew.anna.email]
    assert was_and_now(settings, mail) == ("10:30–11:30", "15:00–16:00")


async def test_one_taken_off_whose_change_mail_alone_waited_hears_they_no_longer_go(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna])
    await change_as(db, clock, settings, crew.lead, visit, start=at(14, 0), end=at(15, 0))

    await change_as(db, clock, settings, crew.lead, visit, visitor_ids=[crew.bram.id])

    assert await waiting_for(db, crew.anna) == ["visit_dropped"]


async def test_a_new_address_undone_as_a_colleague_is_put_on_sends_the_one_staying_nothing(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna])
    await change_as(db, clock, settings, crew.lead, visit, address="Dorpsstraat 1, Marum")

    await change_as(
        db,
        clock,
        settings,
        crew.lead,
        visit,
        address=OLD_ADDRESS,
        visitor_ids=[crew.anna.id, crew.bram.id],
    )

    assert await waiting_for(db, crew.anna) == []


async def test_a_new_address_undone_as_a_colleague_is_taken_off_sends_the_one_staying_nothing(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await mark_sent(db)
    await change_as(db, clock, settings, crew.lead, visit, address="Dorpsstraat 1, Marum")

    await change_as(
        db, clock, settings, crew.lead, visit, address=OLD_ADDRESS, visitor_ids=[crew.anna.id]
    )

    assert await waiting_for(db, crew.anna) == []


# --- cancelled before the change mail went out ----------------------------------------------


async def cancelled_mail(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, visit: VisitOut
) -> OutboxMail:
    """Anna cancels the visit; the mail telling Bram it is off."""
    await db.commit()
    await services.cancel(db, clock, settings, user(crew.anna), visit.id)
    await db.commit()
    (mail,) = [m for m in await outbox(db) if m.ref == f"visit_cancelled:{visit.id}"]
    return mail


async def test_cancelling_withdraws_a_change_mail_not_sent_yet(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await mark_sent(db)
    await change_as(db, clock, settings, crew.anna, visit, start=at(14, 0), end=at(15, 0))

    await cancelled_mail(db, clock, settings, crew, visit)

    assert await changes_waiting(db) == []


async def test_cancelling_before_the_change_mail_left_names_the_time_last_heard_of(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await mark_sent(db)
    await change_as(db, clock, settings, crew.anna, visit, start=at(14, 0), end=at(15, 0))

    mail = await cancelled_mail(db, clock, settings, crew, visit)

    assert "Gepland: woensdag 25 november 2026, 10:30–11:30" in mail.body


async def test_cancelling_before_the_change_mail_left_names_the_area_last_heard_of(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await mark_sent(db)
    await change_as(db, clock, settings, crew.anna, visit, area="Niekerk")

    mail = await cancelled_mail(db, clock, settings, crew, visit)

    assert (
        mail.subject
        == "Veldbezoek geannuleerd: Anna Veld en Bram Buiten in Marum op wo 25 november"
    )


async def test_cancelling_after_the_change_mail_went_out_names_the_time_it_told(
    db: AsyncSession, clock: FixedClock, settings: Settings, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])
    await mark_sent(db)
    await change_as(db, clock, settings, crew.anna, visit, start=at(14, 0), end=at(15, 0))
    await mark_sent(db)

    mail = await cancelled_mail(db, clock, settings, crew, visit)

    assert "Gepland: woensdag 25 november 2026, 14:00–15:00" in mail.body
