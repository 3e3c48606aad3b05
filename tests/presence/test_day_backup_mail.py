"""The colleague named as someone's backup for days of their week is mailed
(``backup_named``): by ``PUT /api/presence/{date}``, on My week, by a team lead's
"Week van <naam>" and by copying last week. Days saved one at a time before the mail
went out (My week's "Alle wijzigingen opslaan"), also by the person and their lead, make
one mail. A backup
taken back from days they heard of is told they no longer are (template
``backup_dropped``); days their mail had not told them yet are taken out of it instead.

The test clock stands at Wednesday 25 November 2026, 10:00 in Amsterdam.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson, MakeTeam
from tests.notifications.conftest import outbox
from tests.presence.conftest import MONDAY, TODAY, TOMORROW, SetHours
from werkplek.config import Settings
from werkplek.notifications.models import MailStatus, OutboxMail
from werkplek.notifications.render import render_mail
from werkplek.people.models import Person

Client = AsyncTestClient[Litestar]
DAY_URL = f"/api/presence/{TOMORROW.isoformat()}"


@dataclass
class Colleagues:
    """Sanne, logged in, and the colleagues she may name as her backup."""

    me: Person
    jeroen: Person
    karin: Person
    jeroen_email: str
    karin_email: str


@pytest.fixture
async def colleagues(make_person: MakePerson, login_as: LoginAs) -> Colleagues:
    me = await make_person("Sanne Hoekstra")
    jeroen, karin = await make_person("Jeroen de Boer"), await make_person("Karin Smit")
    await login_as(me)
    return Colleagues(me, jeroen, karin, jeroen.email, karin.email)


async def _mails(
    db: AsyncSession, settings: Settings, *, waiting: bool = False
) -> list[tuple[str, str, str]]:
    """The ``backup_named`` mails queued (only those not sent yet when ``waiting``): to
    whom, their subject and their body."""
    rendered = []
    for mail in await outbox(db, "backup_named"):
        if waiting and mail.status != MailStatus.PENDING.value:
            continue
        subject, body = render_mail(
            settings, mail.template or "", json.loads(mail.context or "{}"), mail.language
        )
        rendered.append((mail.recipients, subject, body))
    return rendered


async def test_a_backup_named_for_a_day_is_mailed(
    client: Client, db: AsyncSession, settings: Settings, colleagues: Colleagues
) -> None:
    await client.put(DAY_URL, json={"backup_id": colleagues.jeroen.id})

    [(recipients, subject, _body)] = await _mails(db, settings)
    assert (recipients, subject) == (
        colleagues.jeroen_email,
        "Achtervang voor Sanne Hoekstra: do 26 november",
    )


async def test_saving_a_day_again_with_the_same_backup_mails_nothing_more(
    client: Client, db: AsyncSession, colleagues: Colleagues
) -> None:
    await client.put(DAY_URL, json={"backup_id": colleagues.jeroen.id})
    again = await client.put(
        DAY_URL, json={"backup_id": colleagues.jeroen.id, "note": "Spoed via Jeroen"}
    )

    assert (again.status_code, len(await outbox(db, "backup_named"))) == (200, 1)


async def test_changing_a_days_backup_mails_the_new_backup(
    client: Client, db: AsyncSession, colleagues: Colleagues
) -> None:
    await client.put(DAY_URL, json={"backup_id": colleagues.jeroen.id})
    await client.put(DAY_URL, json={"backup_id": colleagues.karin.id})

    assert [mail.recipients for mail in await outbox(db, "backup_named")] == [
        colleagues.jeroen_email,
        colleagues.karin_email,
    ]


async def test_a_backup_named_on_my_week_is_mailed(
    client: Client, db: AsyncSession, colleagues: Colleagues
) -> None:
    await client.post(
        f"/my-week/{TOMORROW.isoformat()}",
        data={"whole_day": "home", "backup_id": str(colleagues.jeroen.id)},
    )

    assert [mail.recipients for mail in await outbox(db, "backup_named")] == [
        colleagues.jeroen_email
    ]


async def test_a_backup_named_for_a_day_gone_by_is_not_mailed(
    client: Client, db: AsyncSession, colleagues: Colleagues
) -> None:
    response = await client.put(
        f"/api/presence/{MONDAY.isoformat()}", json={"backup_id": colleagues.jeroen.id}
    )

    assert (response.status_code, await outbox(db, "backup_named")) == (200, [])


async def test_a_backup_who_switched_the_mail_off_gets_none(
    client: Client, db: AsyncSession, login_as: LoginAs, colleagues: Colleagues
) -> None:
    await login_as(colleagues.jeroen)
    await client.put("/api/me/notifications", json={"backup_named": False})
    await login_as(colleagues.me)

    response = await client.put(DAY_URL, json={"backup_id": colleagues.jeroen.id})

    assert (response.status_code, await outbox(db, "backup_named")) == (200, [])


async def test_the_backups_mail_holds_the_days_note(
    client: Client, db: AsyncSession, settings: Settings, colleagues: Colleagues
) -> None:
    await client.put(DAY_URL, json={"backup_id": colleagues.jeroen.id, "note": "Spoed via Jeroen"})

    [(_to, _subject, body)] = await _mails(db, settings)
    assert "Toelichting voor collega's en het KCC: Spoed via Jeroen" in body


async def test_the_backups_mail_never_holds_the_absence_reason(
    client: Client, db: AsyncSession, settings: Settings, colleagues: Colleagues
) -> None:
    await client.put(
        DAY_URL,
        json={
            "parts": [{"day_part": "day", "kind": "absent", "absence_reason": "Tandarts"}],
            "backup_id": colleagues.jeroen.id,
        },
    )

    [(_to, subject, body)] = await _mails(db, settings)
    assert "Tandarts" not in subject + body


# --- several saves before the mail went out -----------------------------------------------


FRIDAY, NEXT_MONDAY = date(2026, 11, 27), date(2026, 11, 30)


async def _name(client: Client, day: date, backup: Person, note: str = "") -> None:
    response = await client.put(
        f"/api/presence/{day.isoformat()}", json={"backup_id": backup.id, "note": note}
    )
    assert response.status_code == 200


async def _mark_sent(db: AsyncSession) -> None:
    """The mails queued so far went out."""
    await db.execute(update(OutboxMail).values(status=MailStatus.SENT.value))
    await db.commit()


async def test_three_days_saved_one_at_a_time_before_the_mail_left_make_one_mail(
    client: Client, db: AsyncSession, settings: Settings, colleagues: Colleagues
) -> None:
    for day in (FRIDAY, TOMORROW, NEXT_MONDAY):
        await _name(client, day, colleagues.jeroen)

    [(recipients, subject, _body)] = await _mails(db, settings, waiting=True)
    assert (recipients, subject) == (
        colleagues.jeroen_email,
        "Achtervang voor Sanne Hoekstra: do 26 november, vr 27 november, ma 30 november",
    )


async def test_a_day_saved_after_the_mail_went_out_gets_a_mail_of_its_own(
    client: Client, db: AsyncSession, settings: Settings, colleagues: Colleagues
) -> None:
    await _name(client, TOMORROW, colleagues.jeroen)
    await _mark_sent(db)

    await _name(client, FRIDAY, colleagues.jeroen)

    [(_to, subject, _body)] = await _mails(db, settings, waiting=True)
    assert subject == "Achtervang voor Sanne Hoekstra: vr 27 november"


async def test_a_day_named_again_before_the_mail_left_is_listed_once_with_its_newest_note(
    client: Client, db: AsyncSession, settings: Settings, colleagues: Colleagues
) -> None:
    await _name(client, TOMORROW, colleagues.jeroen, "Bel Jeroen")
    await _name(client, TOMORROW, colleagues.karin)

    await _name(client, TOMORROW, colleagues.jeroen, "Mail Jeroen")

    [(subject, body)] = [
        (subject, body)
        for to, subject, body in await _mails(db, settings, waiting=True)
        if to == colleagues.jeroen_email
    ]
    assert (subject, "Toelichting voor collega's en het KCC: Mail Jeroen" in body) == (
        "Achtervang voor Sanne Hoekstra: do 26 november",
        True,
    )


# --- copying last week: several days in one save ----------------------------------------


@pytest.fixture
async def backup_on_three_days(colleagues: Colleagues, set_hours: SetHours) -> None:
    """Jeroen was Sanne's backup on Monday, Wednesday and Friday of this week."""
    for day in (MONDAY, TODAY, date(2026, 11, 27)):
        await set_hours(colleagues.me, day, note="Bel Jeroen", backup=colleagues.jeroen)


@pytest.mark.usefixtures("backup_on_three_days")
async def test_copying_three_days_with_one_backup_sends_one_mail_naming_the_three_days(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    await client.post("/api/presence/copy-week", params={"week": "2026-11-30"})

    [(_to, subject, _body)] = await _mails(db, settings)
    assert subject == (
        "Achtervang voor Sanne Hoekstra: ma 30 november, wo 2 december, vr 4 december"
    )


@pytest.mark.usefixtures("backup_on_three_days")
async def test_the_mail_for_several_days_lists_each_day(
    client: Client, db: AsyncSession, settings: Settings
) -> None:
    await client.post("/api/presence/copy-week", params={"week": "2026-11-30"})

    [(_to, _subject, body)] = await _mails(db, settings)
    assert (
        "Sanne Hoekstra heeft u als achtervang gekozen op deze 3 dagen:\n\n"
        "- maandag 30 november 2026\n- woensdag 2 december 2026\n- vrijdag 4 december 2026\n"
    ) in body


# --- a team lead's "Week van <naam>" -----------------------------------------------------


@dataclass
class Team:
    member: Person
    lead: Person
    backup_email: str
    backup: Person


@pytest.fixture
async def team(make_person: MakePerson, make_team: MakeTeam, login_as: LoginAs) -> Team:
    """Burgerzaken: member Sanne, her colleague Jeroen; logged in as its lead Lea Leider."""
    burgerzaken = await make_team("Burgerzaken")
    member = await make_person("Sanne Hoekstra", teams=(burgerzaken,))
    backup = await make_person("Jeroen de Boer", teams=(burgerzaken,))
    lead = await make_person("Lea Leider", lead_of=(burgerzaken,))
    await login_as(lead)
    return Team(member, lead, backup.email, backup)


async def test_a_backup_named_by_a_team_lead_is_told_who_named_them(
    client: Client, db: AsyncSession, settings: Settings, team: Team
) -> None:
    await client.put(DAY_URL, params={"person": team.member.id}, json={"backup_id": team.backup.id})

    [(_to, _subject, body)] = await _mails(db, settings)
    assert "Lea Leider heeft u als achtervang van Sanne Hoekstra gekozen op donderdag" in body


async def test_a_team_lead_naming_themselves_as_backup_mails_nothing(
    client: Client, db: AsyncSession, team: Team
) -> None:
    response = await client.put(
        DAY_URL, params={"person": team.member.id}, json={"backup_id": team.lead.id}
    )

    assert (response.status_code, await outbox(db, "backup_named")) == (200, [])


async def _named_by_lead_and_member(client: Client, login_as: LoginAs, team: Team) -> None:
    """The lead names Jeroen Sanne's backup for Thursday, Sanne herself for Friday."""
    await client.put(DAY_URL, params={"person": team.member.id}, json={"backup_id": team.backup.id})
    await login_as(team.member)
    await _name(client, FRIDAY, team.backup)


async def test_days_named_by_the_team_lead_and_by_the_colleague_before_the_mail_left_make_one_mail(
    client: Client, db: AsyncSession, settings: Settings, login_as: LoginAs, team: Team
) -> None:
    await _named_by_lead_and_member(client, login_as, team)

    assert [subject for _to, subject, _body in await _mails(db, settings, waiting=True)] == [
        "Achtervang voor Sanne Hoekstra: do 26 november, vr 27 november"
    ]


async def test_the_mail_with_days_named_by_different_people_says_who_named_each_day(
    client: Client, db: AsyncSession, settings: Settings, login_as: LoginAs, team: Team
) -> None:
    await _named_by_lead_and_member(client, login_as, team)

    [(_to, _subject, body)] = await _mails(db, settings, waiting=True)
    assert (
        "U bent gekozen als achtervang van Sanne Hoekstra op deze 2 dagen:\n\n"
        "- donderdag 26 november 2026 (gekozen door Lea Leider)\n"
        "- vrijdag 27 november 2026 (gekozen door Sanne Hoekstra)\n"
    ) in body


async def test_the_mail_with_days_named_by_different_people_refers_to_the_colleague_if_not_possible(
    client: Client, db: AsyncSession, settings: Settings, login_as: LoginAs, team: Team
) -> None:
    await _named_by_lead_and_member(client, login_as, team)

    [(_to, _subject, body)] = await _mails(db, settings, waiting=True)
    assert "Lukt dat niet? Laat het Sanne Hoekstra weten" in body


async def test_a_mail_left_with_the_days_one_person_named_says_it_as_before(
    client: Client, db: AsyncSession, settings: Settings, login_as: LoginAs, team: Team
) -> None:
    await _named_by_lead_and_member(client, login_as, team)

    await _clear(client, TOMORROW)

    [(_to, _subject, body)] = await _mails(db, settings, waiting=True)
    assert "Sanne Hoekstra heeft u als achtervang gekozen op vrijdag 27 november 2026." in body


async def test_a_day_named_after_the_mail_of_another_went_out_gets_a_mail_of_its_own(
    client: Client, db: AsyncSession, settings: Settings, login_as: LoginAs, team: Team
) -> None:
    await client.put(DAY_URL, params={"person": team.member.id}, json={"backup_id": team.backup.id})
    await _mark_sent(db)
    await login_as(team.member)

    await _name(client, FRIDAY, team.backup)

    [(_to, subject, _body)] = await _mails(db, settings, waiting=True)
    assert subject == "Achtervang voor Sanne Hoekstra: vr 27 november"


# --- no longer the backup -------------------------------------------------------------------


async def _waiting_to(db: AsyncSession, settings: Settings, address: str) -> list[str]:
    """The subjects of the ``backup_named`` mails (``backup_dropped`` among them) waiting
    to go out to ``address``."""
    return [
        subject for to, subject, _body in await _mails(db, settings, waiting=True) if to == address
    ]


async def _clear(client: Client, day: date) -> None:
    response = await client.put(f"/api/presence/{day.isoformat()}", json={})
    assert response.status_code == 200


async def test_a_backup_replaced_on_a_day_they_heard_of_is_told_they_no_longer_are(
    client: Client, db: AsyncSession, settings: Settings, colleagues: Colleagues
) -> None:
    await _name(client, TOMORROW, colleagues.jeroen)
    await _mark_sent(db)

    await _name(client, TOMORROW, colleagues.karin)

    assert await _waiting_to(db, settings, colleagues.jeroen_email) == [
        "Geen achtervang meer voor Sanne Hoekstra: do 26 november"
    ]


async def test_a_backup_taken_off_a_day_they_heard_of_is_told_they_no_longer_are(
    client: Client, db: AsyncSession, settings: Settings, colleagues: Colleagues
) -> None:
    await _name(client, TOMORROW, colleagues.jeroen)
    await _mark_sent(db)

    await _clear(client, TOMORROW)

    assert await _waiting_to(db, settings, colleagues.jeroen_email) == [
        "Geen achtervang meer voor Sanne Hoekstra: do 26 november"
    ]


async def test_a_backup_taken_off_on_my_week_is_told_they_no_longer_are(
    client: Client, db: AsyncSession, settings: Settings, colleagues: Colleagues
) -> None:
    await _name(client, TOMORROW, colleagues.jeroen)
    await _mark_sent(db)

    await client.post(f"/my-week/{TOMORROW.isoformat()}", data={"whole_day": "home"})

    assert await _waiting_to(db, settings, colleagues.jeroen_email) == [
        "Geen achtervang meer voor Sanne Hoekstra: do 26 november"
    ]


async def test_a_backup_replaced_before_their_mail_went_out_gets_no_mail_at_all(
    client: Client, db: AsyncSession, settings: Settings, colleagues: Colleagues
) -> None:
    await _name(client, TOMORROW, colleagues.jeroen)

    await _name(client, TOMORROW, colleagues.karin)

    assert await _waiting_to(db, settings, colleagues.jeroen_email) == []


async def test_a_day_taken_back_before_the_mail_went_out_leaves_its_other_days_in_it(
    client: Client, db: AsyncSession, settings: Settings, colleagues: Colleagues
) -> None:
    for day in (TOMORROW, FRIDAY):
        await _name(client, day, colleagues.jeroen)

    await _clear(client, TOMORROW)

    assert await _waiting_to(db, settings, colleagues.jeroen_email) == [
        "Achtervang voor Sanne Hoekstra: vr 27 november"
    ]


async def test_a_day_a_lead_named_taken_back_by_the_colleague_before_the_mail_left_is_withdrawn(
    client: Client, db: AsyncSession, settings: Settings, login_as: LoginAs, team: Team
) -> None:
    await client.put(DAY_URL, params={"person": team.member.id}, json={"backup_id": team.backup.id})
    await login_as(team.member)

    await _clear(client, TOMORROW)

    assert await _waiting_to(db, settings, team.backup_email) == []


async def test_days_taken_back_one_at_a_time_make_one_no_longer_mail(
    client: Client, db: AsyncSession, settings: Settings, colleagues: Colleagues
) -> None:
    for day in (TOMORROW, FRIDAY):
        await _name(client, day, colleagues.jeroen)
    await _mark_sent(db)

    for day in (FRIDAY, TOMORROW):
        await _clear(client, day)

    assert await _waiting_to(db, settings, colleagues.jeroen_email) == [
        "Geen achtervang meer voor Sanne Hoekstra: do 26 november, vr 27 november"
    ]


async def test_a_backup_named_again_and_replaced_before_that_mail_left_hears_nothing_more(
    client: Client, db: AsyncSession, settings: Settings, colleagues: Colleagues
) -> None:
    await _name(client, TOMORROW, colleagues.jeroen)
    await _name(client, TOMORROW, colleagues.karin)
    await _mark_sent(db)  # Jeroen heard nothing: his mail was withdrawn
    await _name(client, TOMORROW, colleagues.jeroen)

    await _name(client, TOMORROW, colleagues.karin)

    assert await _waiting_to(db, settings, colleagues.jeroen_email) == []


async def _taken_back_by_lead_and_member(
    client: Client, db: AsyncSession, login_as: LoginAs, team: Team
) -> None:
    """Sanne named Jeroen her backup for Thursday and Friday, and he heard of it; then the
    lead takes him off Thursday and Sanne off Friday."""
    await login_as(team.member)
    for day in (TOMORROW, FRIDAY):
        await _name(client, day, team.backup)
    await _mark_sent(db)
    await login_as(team.lead)
    await client.put(DAY_URL, params={"person": team.member.id}, json={})
    await login_as(team.member)
    await _clear(client, FRIDAY)


async def test_days_taken_back_by_the_lead_and_by_the_colleague_before_the_mail_left_make_one_mail(
    client: Client, db: AsyncSession, settings: Settings, login_as: LoginAs, team: Team
) -> None:
    await _taken_back_by_lead_and_member(client, db, login_as, team)

    assert [subject for _to, subject, _body in await _mails(db, settings, waiting=True)] == [
        "Geen achtervang meer voor Sanne Hoekstra: do 26 november, vr 27 november"
    ]


async def test_the_mail_with_days_taken_back_by_different_people_says_who_changed_each_day(
    client: Client, db: AsyncSession, settings: Settings, login_as: LoginAs, team: Team
) -> None:
    await _taken_back_by_lead_and_member(client, db, login_as, team)

    [(_to, _subject, body)] = await _mails(db, settings, waiting=True)
    assert (
        "U bent op deze 2 dagen niet meer de achtervang van Sanne Hoekstra:\n\n"
        "- donderdag 26 november 2026 (gewijzigd door Lea Leider)\n"
        "- vrijdag 27 november 2026 (gewijzigd door Sanne Hoekstra)\n"
    ) in body


async def test_a_backup_taken_back_from_a_day_gone_by_is_not_mailed(
    client: Client, db: AsyncSession, settings: Settings, colleagues: Colleagues
) -> None:
    await _name(client, MONDAY, colleagues.jeroen)

    await _name(client, MONDAY, colleagues.karin)

    assert await _waiting_to(db, settings, colleagues.jeroen_email) == []


async def test_a_backup_who_switched_the_mail_off_is_not_told_they_no_longer_are(
    client: Client,
    db: AsyncSession,
    settings: Settings,
    login_as: LoginAs,
    colleagues: Colleagues,
) -> None:
    await _name(client, TOMORROW, colleagues.jeroen)
    await _mark_sent(db)
    await login_as(colleagues.jeroen)
    await client.put("/api/me/notifications", json={"backup_named": False})
    await login_as(colleagues.me)

    await _clear(client, TOMORROW)

    assert await _waiting_to(db, settings, colleagues.jeroen_email) == []


async def test_the_no_longer_mail_says_who_changed_it(
    client: Client, db: AsyncSession, settings: Settings, login_as: LoginAs, team: Team
) -> None:
    await login_as(team.member)
    await _name(client, TOMORROW, team.backup)
    await _mark_sent(db)
    await login_as(team.lead)

    await client.put(DAY_URL, params={"person": team.member.id}, json={})

    [body] = [body for to, _s, body in await _mails(db, settings, waiting=True)]
    assert (
        "Lea Leider heeft het gewijzigd: u bent niet meer de achtervang van Sanne Hoekstra "
        "op donderdag 26 november 2026."
    ) in body


async def test_the_no_longer_mail_never_holds_the_absence_reason(
    client: Client, db: AsyncSession, settings: Settings, colleagues: Colleagues
) -> None:
    absent = [{"day_part": "day", "kind": "absent", "absence_reason": "Tandarts"}]
    await client.put(DAY_URL, json={"parts": absent, "backup_id": colleagues.jeroen.id})
    await _mark_sent(db)

    await client.put(DAY_URL, json={"parts": absent, "backup_id": colleagues.karin.id})

    [(subject, body)] = [
        (subject, body)
        for to, subject, body in await _mails(db, settings, waiting=True)
        if to == colleagues.jeroen_email
    ]
    assert "Tandarts" not in subject + body


async def test_a_team_lead_taking_themselves_off_as_backup_mails_nothing(
    client: Client, db: AsyncSession, settings: Settings, team: Team
) -> None:
    await client.put(DAY_URL, params={"person": team.member.id}, json={"backup_id": team.lead.id})

    await client.put(DAY_URL, params={"person": team.member.id}, json={})

    assert await _mails(db, settings, waiting=True) == []


async def test_a_backup_named_again_before_their_no_longer_mail_left_gets_neither_mail(
    client: Client, db: AsyncSession, settings: Settings, colleagues: Colleagues
) -> None:
    await _name(client, TOMORROW, colleagues.jeroen)
    await _mark_sent(db)
    await _name(client, TOMORROW, colleagues.karin)

    await _name(client, TOMORROW, colleagues.jeroen)

    assert await _waiting_to(db, settings, colleagues.jeroen_email) == []


async def test_a_lead_naming_themselves_again_withdraws_the_no_longer_mail_waiting_for_them(
    client: Client, db: AsyncSession, settings: Settings, login_as: LoginAs, team: Team
) -> None:
    await client.put(DAY_URL, params={"person": team.member.id}, json={"backup_id": team.lead.id})
    await login_as(team.member)
    await _clear(client, TOMORROW)
    await login_as(team.lead)

    await client.put(DAY_URL, params={"person": team.member.id}, json={"backup_id": team.lead.id})

    assert await _mails(db, settings, waiting=True) == []
