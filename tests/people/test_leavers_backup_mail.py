"""The colleagues who backed up a person who leaves (is deactivated: on the people page,
with ``PATCH /api/people/{id}`` or by the people import) are told they no longer do: their
usual backup (template ``backup_usual``) and each named as their backup on days from today
on (template ``backup_dropped``), both under the kind ``backup_named``, saying the leaver
is no longer active. A mail naming them not sent yet is withdrawn instead, or loses those
days: they never heard they were. The usual backup named for days too gets one mail, about
the usual backup. Bringing the leaver back before the mail went out
withdraws it.

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

from tests.conftest import LoginAs, MakePerson
from tests.notifications.conftest import outbox
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.notifications.models import MailStatus, OutboxMail
from werkplek.notifications.render import render_mail
from werkplek.people.models import Person, Role
from werkplek.presence.models import DayReachability

Client = AsyncTestClient[Litestar]

YESTERDAY, TOMORROW, FRIDAY = date(2026, 11, 24), date(2026, 11, 26), date(2026, 11, 27)


@dataclass
class Office:
    """Lea, the administrator (logged in); Jeroen, who leaves; Sanne, his usual backup;
    Karin, whom he may name his backup for days."""

    lea: Person
    jeroen: Person
    sanne: Person
    karin: Person
    lea_email: str
    jeroen_email: str
    sanne_email: str
    karin_email: str


@pytest.fixture
async def office(make_person: MakePerson, login_as: LoginAs) -> Office:
    lea = await make_person("Lea Beheer", roles=(Role.ADMIN,))
    sanne = await make_person("Sanne Hoekstra")
    jeroen = await make_person("Jeroen de Boer", backup_id=sanne.id)
    karin = await make_person("Karin Smit")
    await login_as(lea)
    return Office(lea, jeroen, sanne, karin, lea.email, jeroen.email, sanne.email, karin.email)


async def _name_for_days(
    db: AsyncSession, clock: FixedClock, person: Person, backup: Person, *days: date
) -> None:
    """``backup`` was named ``person``'s backup for ``days`` (and heard of it long ago)."""
    for day in days:
        db.add(
            DayReachability(
                person_id=person.id, date=day, backup_id=backup.id, updated_at=clock.now()
            )
        )
    await db.commit()


async def _waiting_to(db: AsyncSession, settings: Settings, address: str) -> list[str]:
    """The subjects of the ``backup_named`` mails (all templates) waiting to go out to
    ``address``."""
    return [
        render_mail(settings, mail.template or "", json.loads(mail.context), "nl")[0]
        for mail in await outbox(db, "backup_named")
        if mail.status == MailStatus.PENDING.value and mail.recipients == address
    ]


async def _body_to(db: AsyncSession, settings: Settings, address: str, template: str) -> str:
    [body] = [
        render_mail(settings, template, json.loads(mail.context), "nl")[1]
        for mail in await outbox(db, "backup_named")
        if mail.status == MailStatus.PENDING.value
        and mail.recipients == address
        and mail.template == template
    ]
    return body


async def _mark_sent(db: AsyncSession) -> None:
    """The mails queued so far went out."""
    await db.execute(update(OutboxMail).values(status=MailStatus.SENT.value))
    await db.commit()


async def _set_active(client: Client, person_id: int, active: bool) -> None:
    response = await client.patch(f"/api/people/{person_id}", json={"active": active})
    assert response.status_code == 200


# --- the usual backup -------------------------------------------------------------------


async def test_the_usual_backup_of_a_leaver_is_told_they_no_longer_are(
    client: Client, db: AsyncSession, settings: Settings, office: Office
) -> None:
    await _set_active(client, office.jeroen.id, False)

    assert await _waiting_to(db, settings, office.sanne_email) == [
        "Geen vaste achtervang meer voor Jeroen de Boer"
    ]


async def test_the_mail_to_the_usual_backup_of_a_leaver_says_they_are_no_longer_active(
    client: Client, db: AsyncSession, settings: Settings, office: Office
) -> None:
    await _set_active(client, office.jeroen.id, False)

    assert (
        "Jeroen de Boer is niet meer actief in Werkplek: u bent niet langer zijn of haar "
        "vaste achtervang." in await _body_to(db, settings, office.sanne_email, "backup_usual")
    )


async def test_a_usual_backup_whose_mail_naming_them_had_not_gone_out_hears_nothing(
    client: Client, db: AsyncSession, settings: Settings, office: Office
) -> None:
    await client.patch(f"/api/people/{office.jeroen.id}", json={"backup_id": office.karin.id})

    await _set_active(client, office.jeroen.id, False)

    assert await _waiting_to(db, settings, office.karin_email) == []


async def test_the_administrator_deactivating_someone_they_backed_up_gets_no_mail(
    client: Client, db: AsyncSession, settings: Settings, office: Office
) -> None:
    await db.execute(
        update(Person).where(Person.id == office.jeroen.id).values(backup_id=office.lea.id)
    )
    await db.commit()

    await _set_active(client, office.jeroen.id, False)

    assert await _waiting_to(db, settings, office.lea_email) == []


async def test_a_deactivation_confirmed_on_the_people_page_tells_the_usual_backup(
    client: Client, db: AsyncSession, settings: Settings, office: Office
) -> None:
    await client.post(f"/admin/people/{office.jeroen.id}/deactivate")

    assert await _waiting_to(db, settings, office.sanne_email) == [
        "Geen vaste achtervang meer voor Jeroen de Boer"
    ]


async def test_a_person_the_people_import_deactivates_tells_their_usual_backup(
    client: Client, db: AsyncSession, settings: Settings, office: Office
) -> None:
    rows = [
        "email,name,roles",
        f"{office.lea_email},Lea Beheer,admin",
        f"{office.sanne_email},Sanne Hoekstra,",
        f"{office.karin_email},Karin Smit,",
    ]
    response = await client.post(
        "/api/people/import",
        content=("\n".join(rows) + "\n").encode(),
        headers={"Content-Type": "text/csv"},
        params={"deactivate_missing": "true"},
    )

    assert response.status_code == 200
    assert await _waiting_to(db, settings, office.sanne_email) == [
        "Geen vaste achtervang meer voor Jeroen de Boer"
    ]


async def test_bringing_the_leaver_back_before_the_mail_went_out_withdraws_it_from_the_usual_backup(
    client: Client, db: AsyncSession, settings: Settings, office: Office
) -> None:
    await _set_active(client, office.jeroen.id, False)

    await _set_active(client, office.jeroen.id, True)

    assert await _waiting_to(db, settings, office.sanne_email) == []


# --- backups for days -------------------------------------------------------------------


async def test_a_colleague_named_as_the_leavers_backup_for_a_day_is_told_they_no_longer_are(
    client: Client, db: AsyncSession, clock: FixedClock, settings: Settings, office: Office
) -> None:
    await _name_for_days(db, clock, office.jeroen, office.karin, TOMORROW, FRIDAY)

    await _set_active(client, office.jeroen.id, False)

    assert await _waiting_to(db, settings, office.karin_email) == [
        "Geen achtervang meer voor Jeroen de Boer: do 26 november, vr 27 november"
    ]


async def test_the_mail_to_a_leavers_backup_for_a_day_says_they_are_no_longer_active(
    client: Client, db: AsyncSession, clock: FixedClock, settings: Settings, office: Office
) -> None:
    await _name_for_days(db, clock, office.jeroen, office.karin, TOMORROW)

    await _set_active(client, office.jeroen.id, False)

    assert (
        "Jeroen de Boer is niet meer actief in Werkplek: u bent op donderdag 26 november 2026 "
        "niet meer zijn of haar achtervang."
        in await _body_to(db, settings, office.karin_email, "backup_dropped")
    )


async def test_a_colleague_named_as_the_leavers_backup_only_for_a_day_gone_by_is_not_mailed(
    client: Client, db: AsyncSession, clock: FixedClock, settings: Settings, office: Office
) -> None:
    await _name_for_days(db, clock, office.jeroen, office.karin, YESTERDAY)

    await _set_active(client, office.jeroen.id, False)

    assert await _waiting_to(db, settings, office.karin_email) == []


async def test_a_backup_for_a_day_whose_mail_naming_them_had_not_gone_out_hears_nothing(
    client: Client, db: AsyncSession, settings: Settings, login_as: LoginAs, office: Office
) -> None:
    await login_as(office.jeroen)
    await client.put(f"/api/presence/{TOMORROW.isoformat()}", json={"backup_id": office.karin.id})
    await login_as(office.lea)

    await _set_active(client, office.jeroen.id, False)

    assert await _waiting_to(db, settings, office.karin_email) == []


async def test_a_backup_for_days_is_told_only_of_the_days_they_heard_of(
    client: Client, db: AsyncSession, settings: Settings, login_as: LoginAs, office: Office
) -> None:
    await login_as(office.jeroen)
    await client.put(f"/api/presence/{TOMORROW.isoformat()}", json={"backup_id": office.karin.id})
    await _mark_sent(db)
    await client.put(f"/api/presence/{FRIDAY.isoformat()}", json={"backup_id": office.karin.id})
    await login_as(office.lea)

    await _set_active(client, office.jeroen.id, False)

    assert await _waiting_to(db, settings, office.karin_email) == [
        "Geen achtervang meer voor Jeroen de Boer: do 26 november"
    ]


async def test_the_usual_backup_named_for_days_too_gets_only_the_mail_about_the_usual_backup(
    client: Client, db: AsyncSession, clock: FixedClock, settings: Settings, office: Office
) -> None:
    await _name_for_days(db, clock, office.jeroen, office.sanne, TOMORROW, FRIDAY)

    await _set_active(client, office.jeroen.id, False)

    assert await _waiting_to(db, settings, office.sanne_email) == [
        "Geen vaste achtervang meer voor Jeroen de Boer"
    ]


async def test_a_usual_backup_not_told_yet_they_were_hears_of_the_days_they_were_named_for(
    client: Client, db: AsyncSession, clock: FixedClock, settings: Settings, office: Office
) -> None:
    await client.patch(f"/api/people/{office.jeroen.id}", json={"backup_id": office.karin.id})
    await _name_for_days(db, clock, office.jeroen, office.karin, TOMORROW)

    await _set_active(client, office.jeroen.id, False)

    assert await _waiting_to(db, settings, office.karin_email) == [
        "Geen achtervang meer voor Jeroen de Boer: do 26 november"
    ]


async def test_bringing_the_leaver_back_before_the_mail_went_out_withdraws_it_from_a_days_backup(
    client: Client, db: AsyncSession, clock: FixedClock, settings: Settings, office: Office
) -> None:
    await _name_for_days(db, clock, office.jeroen, office.karin, TOMORROW)
    await _set_active(client, office.jeroen.id, False)

    await _set_active(client, office.jeroen.id, True)

    assert await _waiting_to(db, settings, office.karin_email) == []


async def test_a_leaver_the_people_import_brings_back_before_the_mail_went_out_leaves_it_unsent(
    client: Client, db: AsyncSession, clock: FixedClock, settings: Settings, office: Office
) -> None:
    await _name_for_days(db, clock, office.jeroen, office.karin, TOMORROW)
    await _set_active(client, office.jeroen.id, False)
    rows = [
        "email,name,roles",
        f"{office.lea_email},Lea Beheer,admin",
        f"{office.jeroen_email},Jeroen de Boer,",
        f"{office.sanne_email},Sanne Hoekstra,",
        f"{office.karin_email},Karin Smit,",
    ]

    response = await client.post(  # only a file that deactivates the missing brings back
        "/api/people/import",
        content=("\n".join(rows) + "\n").encode(),
        headers={"Content-Type": "text/csv"},
        params={"deactivate_missing": "true"},
    )

    assert response.status_code == 200
    assert await _waiting_to(db, settings, office.karin_email) == []
