"""A colleague whose backup leaves (is deactivated: on the people page, with ``PATCH
/api/people/{id}`` or by the people import) is mailed to choose another (template
``backup_left``, under the kind ``backup_named``): the KCC finder no longer refers callers
to someone inactive. The mail lists the days from today on the leaver was their backup.
Mails still waiting for the leaver themselves are withdrawn.

The test clock stands at Wednesday 25 November 2026, 10:00 in Amsterdam.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson
from tests.notifications.conftest import outbox
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.notifications.outbox import queue_mail
from werkplek.notifications.render import render_mail
from werkplek.people.models import Person, Role
from werkplek.presence.models import DayReachability

Client = AsyncTestClient[Litestar]

YESTERDAY, TOMORROW, NEXT_MONDAY = date(2026, 11, 24), date(2026, 11, 26), date(2026, 11, 30)


@dataclass
class Office:
    """Lea, the administrator (logged in); Jeroen, who leaves; Sanne, whose usual backup
    he is; Karin, who named him her backup for a day only."""

    lea: Person
    jeroen: Person
    sanne: Person
    karin: Person
    sanne_email: str
    karin_email: str


@pytest.fixture
async def office(make_person: MakePerson, login_as: LoginAs) -> Office:
    lea = await make_person("Lea Beheer", roles=(Role.ADMIN,))
    jeroen = await make_person("Jeroen de Boer")
    sanne = await make_person("Sanne Hoekstra", backup_id=jeroen.id)
    karin = await make_person("Karin Smit")
    await login_as(lea)
    return Office(lea, jeroen, sanne, karin, sanne.email, karin.email)


async def _name_for_days(
    db: AsyncSession, clock: FixedClock, person: Person, backup: Person, *days: date
) -> None:
    for day in days:
        db.add(
            DayReachability(
                person_id=person.id, date=day, backup_id=backup.id, updated_at=clock.now()
            )
        )
    await db.commit()


async def _mails(db: AsyncSession, settings: Settings) -> list[tuple[str, str, str]]:
    """The ``backup_left`` mails queued: to whom, their subject and their body."""
    return [
        (mail.recipients, *render_mail(settings, "backup_left", json.loads(mail.context), "nl"))
        for mail in await outbox(db, "backup_named")
        if mail.template == "backup_left"
    ]


async def _deactivate(client: Client, person_id: int) -> None:
    response = await client.patch(f"/api/people/{person_id}", json={"active": False})
    assert response.status_code == 200


async def test_a_colleague_whose_usual_backup_leaves_is_asked_to_choose_another(
    client: Client, db: AsyncSession, settings: Settings, office: Office
) -> None:
    await _deactivate(client, office.jeroen.id)

    [(to, subject, _body)] = await _mails(db, settings)
    assert (to, subject) == (
        office.sanne_email,
        "Kies een andere achtervang: Jeroen de Boer is niet meer actief",
    )


async def test_the_mail_about_a_usual_backup_who_left_links_to_the_profile(
    client: Client, db: AsyncSession, settings: Settings, office: Office
) -> None:
    await _deactivate(client, office.jeroen.id)

    [(_to, _subject, body)] = await _mails(
        db, replace(settings, public_url="https://werkplek.example.nl")
    )
    assert "Uw profiel: https://werkplek.example.nl/profile" in body


async def test_the_mail_lists_the_days_from_today_on_the_leaver_was_the_backup_of(
    client: Client, db: AsyncSession, clock: FixedClock, settings: Settings, office: Office
) -> None:
    await _name_for_days(db, clock, office.sanne, office.jeroen, YESTERDAY, TOMORROW, NEXT_MONDAY)

    await _deactivate(client, office.jeroen.id)

    [(_to, _subject, body)] = await _mails(db, settings)
    assert "- donderdag 26 november 2026\n- maandag 30 november 2026\n\n" in body


async def test_a_day_gone_by_is_not_listed(
    client: Client, db: AsyncSession, clock: FixedClock, settings: Settings, office: Office
) -> None:
    await _name_for_days(db, clock, office.sanne, office.jeroen, YESTERDAY, TOMORROW)

    await _deactivate(client, office.jeroen.id)

    [(_to, _subject, body)] = await _mails(db, settings)
    assert "24 november" not in body


async def test_a_colleague_who_had_the_leaver_as_backup_for_a_day_only_is_mailed_too(
    client: Client, db: AsyncSession, clock: FixedClock, settings: Settings, office: Office
) -> None:
    await _name_for_days(db, clock, office.karin, office.jeroen, TOMORROW)

    await _deactivate(client, office.jeroen.id)

    assert [to for to, _subject, _body in await _mails(db, settings)] == [
        office.sanne_email,
        office.karin_email,
    ]


async def _karins_mail(db: AsyncSession, settings: Settings, office: Office) -> str:
    [body] = [body for to, _s, body in await _mails(db, settings) if to == office.karin_email]
    return body


async def test_a_colleague_whose_backup_for_a_day_left_is_asked_to_choose_another_for_it(
    client: Client, db: AsyncSession, clock: FixedClock, settings: Settings, office: Office
) -> None:
    await _name_for_days(db, clock, office.karin, office.jeroen, TOMORROW)

    await _deactivate(client, office.jeroen.id)

    assert (
        "Jeroen de Boer was gekozen als uw achtervang op donderdag 26 november 2026. "
        "Kies voor die dag iemand anders in Mijn week." in await _karins_mail(db, settings, office)
    )


async def test_a_colleague_whose_backup_for_a_day_left_is_not_told_of_a_usual_backup(
    client: Client, db: AsyncSession, clock: FixedClock, settings: Settings, office: Office
) -> None:
    await _name_for_days(db, clock, office.karin, office.jeroen, TOMORROW)

    await _deactivate(client, office.jeroen.id)

    assert "vaste achtervang" not in await _karins_mail(db, settings, office)


async def test_a_colleague_whose_backup_left_only_on_days_gone_by_is_not_mailed(
    client: Client, db: AsyncSession, clock: FixedClock, settings: Settings, office: Office
) -> None:
    await _name_for_days(db, clock, office.karin, office.jeroen, YESTERDAY)

    await _deactivate(client, office.jeroen.id)

    assert office.karin_email not in [to for to, _subject, _body in await _mails(db, settings)]


async def test_an_inactive_colleague_is_not_told_their_backup_left(
    client: Client, db: AsyncSession, settings: Settings, make_person: MakePerson, office: Office
) -> None:
    await make_person("Oud Medewerker", backup_id=office.jeroen.id, active=False)

    await _deactivate(client, office.jeroen.id)

    assert [to for to, _subject, _body in await _mails(db, settings)] == [office.sanne_email]


async def test_a_deactivation_confirmed_on_the_people_page_tells_the_colleague(
    client: Client, db: AsyncSession, settings: Settings, office: Office
) -> None:
    await client.post(f"/admin/people/{office.jeroen.id}/deactivate")

    assert [to for to, _subject, _body in await _mails(db, settings)] == [office.sanne_email]


async def test_a_person_the_people_import_deactivates_tells_the_colleague(
    client: Client, db: AsyncSession, settings: Settings, office: Office
) -> None:
    rows = [
        "email,name,roles",
        f"{office.lea.email},Lea Beheer,admin",
        f"{office.sanne.email},Sanne Hoekstra,",
        f"{office.karin.email},Karin Smit,",
    ]
    response = await client.post(
        "/api/people/import",
        content=("\n".join(rows) + "\n").encode(),
        headers={"Content-Type": "text/csv"},
        params={"deactivate_missing": "true"},
    )

    assert response.status_code == 200
    assert [to for to, _subject, _body in await _mails(db, settings)] == [office.sanne_email]


async def test_a_dry_run_of_the_import_tells_nobody(
    client: Client, db: AsyncSession, settings: Settings, office: Office
) -> None:
    rows = ["email,name,roles", f"{office.lea.email},Lea Beheer,admin"]
    response = await client.post(
        "/api/people/import",
        content=("\n".join(rows) + "\n").encode(),
        headers={"Content-Type": "text/csv"},
        params={"deactivate_missing": "true", "dry_run": "true"},
    )

    assert (response.status_code, await _mails(db, settings)) == (200, [])


async def test_a_leaver_brought_back_before_the_mail_went_out_leaves_it_unsent(
    client: Client, db: AsyncSession, office: Office
) -> None:
    await _deactivate(client, office.jeroen.id)
    await client.patch(f"/api/people/{office.jeroen.id}", json={"active": True})

    assert [mail.status for mail in await outbox(db, "backup_named")] == ["cancelled"]


async def test_a_leaver_the_people_import_brings_back_before_the_mail_went_out_leaves_it_unsent(
    client: Client, db: AsyncSession, office: Office
) -> None:
    await _deactivate(client, office.jeroen.id)
    rows = [
        "email,name,roles",
        f"{office.lea.email},Lea Beheer,admin",
        f"{office.jeroen.email},Jeroen de Boer,",
        f"{office.sanne.email},Sanne Hoekstra,",
        f"{office.karin.email},Karin Smit,",
    ]
    response = await client.post(  # only a file that deactivates the missing brings back
        "/api/people/import",
        content=("\n".join(rows) + "\n").encode(),
        headers={"Content-Type": "text/csv"},
        params={"deactivate_missing": "true"},
    )

    assert response.status_code == 200
    assert [mail.status for mail in await outbox(db, "backup_named")] == ["cancelled"]


# --- mails waiting for the leaver ----------------------------------------------------------


async def _queue_for(db: AsyncSession, clock: FixedClock, person: Person) -> None:
    """A mail for ``person`` alone, waiting in the outbox."""
    await queue_mail(
        db,
        clock,
        kind="backup_named",
        recipients=[person.email],
        language="nl",
        person_id=person.id,
        subject="Achtervang",
        body="...",
    )
    await db.commit()


async def test_a_mail_waiting_for_the_leaver_is_withdrawn(
    db: AsyncSession, clock: FixedClock, client: Client, office: Office
) -> None:
    await _queue_for(db, clock, office.jeroen)

    await _deactivate(client, office.jeroen.id)

    assert [mail.status for mail in await outbox(db) if mail.subject == "Achtervang"] == [
        "cancelled"
    ]


async def test_a_mail_waiting_for_a_colleague_who_stays_still_goes_out(
    db: AsyncSession, clock: FixedClock, client: Client, office: Office
) -> None:
    await _queue_for(db, clock, office.karin)

    await _deactivate(client, office.jeroen.id)

    assert [mail.status for mail in await outbox(db) if mail.subject == "Achtervang"] == ["pending"]
