"""The colleague who becomes someone's usual backup ("Mijn vaste achtervang" on the
profile, the people page, ``PATCH /api/me`` and ``/api/people/{id}``, a person created
with one) is mailed, and so is the one it replaces (template ``backup_usual``, under the
kind ``backup_named``); a change undone before the mail went out mails nobody. The people
import mails no usual backup it sets.

The test clock stands at Wednesday 25 November 2026, 10:00 in Amsterdam.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson
from tests.notifications.conftest import outbox
from werkplek.config import Settings
from werkplek.notifications.models import MailPreference, MailStatus, OutboxMail
from werkplek.notifications.render import render_mail
from werkplek.people.models import Person, Role

Client = AsyncTestClient[Litestar]


@dataclass
class Colleagues:
    """Sanne, and the colleagues she or the administrator Lea may make her usual backup."""

    lea: Person
    sanne: Person
    jeroen: Person
    karin: Person
    jeroen_email: str
    karin_email: str


@pytest.fixture
async def colleagues(make_person: MakePerson) -> Colleagues:
    lea = await make_person("Lea Beheer", roles=(Role.ADMIN,))
    sanne = await make_person("Sanne Hoekstra")
    jeroen, karin = await make_person("Jeroen de Boer"), await make_person("Karin Smit")
    return Colleagues(lea, sanne, jeroen, karin, jeroen.email, karin.email)


async def _mails(
    db: AsyncSession, settings: Settings, *, waiting: bool = False
) -> list[tuple[str, str, str]]:
    """The ``backup_usual`` mails queued (only those waiting when ``waiting``): to whom,
    their subject and their body."""
    rendered = []
    for mail in await outbox(db, "backup_named"):
        if mail.template != "backup_usual":
            continue
        if waiting and mail.status != MailStatus.PENDING.value:
            continue
        subject, body = render_mail(settings, "backup_usual", json.loads(mail.context), "nl")
        rendered.append((mail.recipients, subject, body))
    return rendered


async def _waiting_to(db: AsyncSession, settings: Settings) -> list[str]:
    return [to for to, _subject, _body in await _mails(db, settings, waiting=True)]


async def _mark_sent(db: AsyncSession) -> None:
    """The mails queued so far went out."""
    await db.execute(update(OutboxMail).values(status=MailStatus.SENT.value))
    await db.commit()


async def _choose(client: Client, backup: Person | None) -> None:
    """Sanne (logged in) chooses her usual backup on her profile."""
    response = await client.post(
        "/profile", data={"backup_id": "" if backup is None else str(backup.id), "language": "nl"}
    )
    assert response.status_code == 200


@pytest.fixture
async def as_sanne(colleagues: Colleagues, login_as: LoginAs) -> Colleagues:
    await login_as(colleagues.sanne)
    return colleagues


@pytest.fixture
async def as_lea(colleagues: Colleagues, login_as: LoginAs) -> Colleagues:
    await login_as(colleagues.lea)
    return colleagues


async def test_a_colleague_chosen_as_usual_backup_on_the_profile_is_mailed(
    client: Client, db: AsyncSession, settings: Settings, as_sanne: Colleagues
) -> None:
    await _choose(client, as_sanne.jeroen)

    [(to, subject, _body)] = await _mails(db, settings)
    assert (to, subject) == (as_sanne.jeroen_email, "Vaste achtervang voor Sanne Hoekstra")


async def test_the_mail_of_a_usual_backup_chosen_by_the_person_says_they_chose_them(
    client: Client, db: AsyncSession, settings: Settings, as_sanne: Colleagues
) -> None:
    await _choose(client, as_sanne.jeroen)

    [(_to, _subject, body)] = await _mails(db, settings)
    assert "Sanne Hoekstra heeft u als vaste achtervang gekozen." in body


async def test_the_mail_of_a_usual_backup_set_by_an_administrator_names_them(
    client: Client, db: AsyncSession, settings: Settings, as_lea: Colleagues
) -> None:
    await client.patch(f"/api/people/{as_lea.sanne.id}", json={"backup_id": as_lea.jeroen.id})

    [(_to, _subject, body)] = await _mails(db, settings)
    assert "Lea Beheer heeft u als vaste achtervang van Sanne Hoekstra gekozen." in body


async def test_the_usual_backup_chosen_with_the_api_for_oneself_is_mailed(
    client: Client, db: AsyncSession, settings: Settings, as_sanne: Colleagues
) -> None:
    await client.patch("/api/me", json={"backup_id": as_sanne.karin.id})

    assert await _waiting_to(db, settings) == [as_sanne.karin_email]


async def test_the_former_usual_backup_is_told_they_no_longer_are(
    client: Client, db: AsyncSession, settings: Settings, as_sanne: Colleagues
) -> None:
    await _choose(client, as_sanne.jeroen)
    await _mark_sent(db)
    await _choose(client, as_sanne.karin)

    told = {to: subject for to, subject, _body in await _mails(db, settings, waiting=True)}
    assert told == {
        as_sanne.jeroen_email: "Geen vaste achtervang meer voor Sanne Hoekstra",
        as_sanne.karin_email: "Vaste achtervang voor Sanne Hoekstra",
    }


async def test_the_former_usual_backup_replaced_by_an_administrator_is_told_who_changed_it(
    client: Client, db: AsyncSession, settings: Settings, as_lea: Colleagues
) -> None:
    url = f"/api/people/{as_lea.sanne.id}"
    await client.patch(url, json={"backup_id": as_lea.jeroen.id})
    await _mark_sent(db)
    await client.patch(url, json={"backup_id": as_lea.karin.id})

    mails = await _mails(db, settings, waiting=True)
    [dropped] = [body for to, _subject, body in mails if to == as_lea.jeroen_email]
    assert (
        "Lea Beheer heeft het gewijzigd: u bent niet langer de vaste achtervang van "
        "Sanne Hoekstra." in dropped
    )


async def test_removing_the_usual_backup_tells_the_former_one(
    client: Client, db: AsyncSession, settings: Settings, as_sanne: Colleagues
) -> None:
    await _choose(client, as_sanne.jeroen)
    await _mark_sent(db)
    await _choose(client, None)

    assert await _waiting_to(db, settings) == [as_sanne.jeroen_email]


async def test_saving_the_profile_with_the_same_usual_backup_mails_nothing_more(
    client: Client, db: AsyncSession, settings: Settings, as_sanne: Colleagues
) -> None:
    await _choose(client, as_sanne.jeroen)
    await _choose(client, as_sanne.jeroen)

    assert len(await _mails(db, settings)) == 1


async def test_an_administrator_who_makes_themselves_someones_usual_backup_is_not_mailed(
    client: Client, db: AsyncSession, settings: Settings, as_lea: Colleagues
) -> None:
    await client.patch(f"/api/people/{as_lea.sanne.id}", json={"backup_id": as_lea.lea.id})

    assert await _mails(db, settings) == []


async def test_a_usual_backup_undone_before_the_mail_went_out_leaves_that_colleague_no_mail(
    client: Client, db: AsyncSession, settings: Settings, as_sanne: Colleagues
) -> None:
    await _choose(client, as_sanne.jeroen)
    await _mark_sent(db)
    await _choose(client, as_sanne.karin)
    await _choose(client, as_sanne.jeroen)

    assert as_sanne.karin_email not in await _waiting_to(db, settings)


async def test_a_usual_backup_taken_back_and_restored_before_the_mail_went_out_hears_nothing(
    client: Client, db: AsyncSession, settings: Settings, as_sanne: Colleagues
) -> None:
    await _choose(client, as_sanne.jeroen)
    await _mark_sent(db)
    await _choose(client, as_sanne.karin)
    await _choose(client, as_sanne.jeroen)

    assert await _waiting_to(db, settings) == []


async def test_a_usual_backup_undone_after_the_mail_went_out_is_told_they_no_longer_are(
    client: Client, db: AsyncSession, settings: Settings, as_sanne: Colleagues
) -> None:
    await _choose(client, as_sanne.jeroen)
    await _mark_sent(db)
    await _choose(client, None)
    await _mark_sent(db)
    await _choose(client, as_sanne.jeroen)

    assert await _waiting_to(db, settings) == [as_sanne.jeroen_email]


async def test_a_colleague_who_switched_backup_mails_off_is_not_told_of_a_usual_backup(
    client: Client, db: AsyncSession, settings: Settings, as_sanne: Colleagues
) -> None:
    db.add(MailPreference(person_id=as_sanne.jeroen.id, kind="backup_named", enabled=False))
    await db.commit()

    await _choose(client, as_sanne.jeroen)

    assert await _mails(db, settings) == []


async def test_a_waiting_mail_is_withdrawn_when_undone_after_its_reader_switched_them_off(
    client: Client, db: AsyncSession, settings: Settings, as_sanne: Colleagues
) -> None:
    await _choose(client, as_sanne.jeroen)
    db.add(MailPreference(person_id=as_sanne.jeroen.id, kind="backup_named", enabled=False))
    await db.commit()

    await _choose(client, None)

    assert await _waiting_to(db, settings) == []


async def test_a_person_created_with_a_usual_backup_with_the_api_tells_that_colleague(
    client: Client, db: AsyncSession, settings: Settings, as_lea: Colleagues
) -> None:
    await client.post(
        "/api/people",
        json={"email": "nina@gemeente.nl", "name": "Nina Post", "backup_id": as_lea.karin.id},
    )

    [(to, subject, _body)] = await _mails(db, settings)
    assert (to, subject) == (as_lea.karin_email, "Vaste achtervang voor Nina Post")


async def test_a_person_added_on_the_people_page_with_a_usual_backup_tells_that_colleague(
    client: Client, db: AsyncSession, settings: Settings, as_lea: Colleagues
) -> None:
    await client.post(
        "/admin/people/new",
        data={
            "name": "Nina Post",
            "email": "nina@gemeente.nl",
            "backup_id": str(as_lea.karin.id),
            "language": "nl",
        },
    )

    assert await _waiting_to(db, settings) == [as_lea.karin_email]


async def test_a_usual_backup_changed_on_the_people_page_is_mailed(
    client: Client, db: AsyncSession, settings: Settings, as_lea: Colleagues
) -> None:
    sanne = as_lea.sanne
    await client.post(
        f"/admin/people/{sanne.id}",
        data={
            "name": sanne.name,
            "email": sanne.email,
            "backup_id": str(as_lea.jeroen.id),
            "language": "nl",
            "active": "on",
        },
    )

    assert await _waiting_to(db, settings) == [as_lea.jeroen_email]


async def test_the_people_import_mails_no_usual_backup_it_sets(
    client: Client, db: AsyncSession, settings: Settings, as_lea: Colleagues
) -> None:
    rows = [
        "email,name,roles,backup_email",
        f"{as_lea.lea.email},Lea Beheer,admin,",
        f"{as_lea.sanne.email},Sanne Hoekstra,,{as_lea.jeroen_email}",
    ]
    response = await client.post(
        "/api/people/import",
        content=("\n".join(rows) + "\n").encode(),
        headers={"Content-Type": "text/csv"},
    )

    assert (response.status_code, await _mails(db, settings)) == (200, [])
