"""Callback notes: the KCC leaves them, the colleague sees and finishes them, old ones go."""

from __future__ import annotations

import json
from datetime import timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson
from tests.notifications.conftest import outbox
from tests.presence.conftest import TODAY, at
from werkplek.audit.models import AuditEvent
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.notifications.models import MailPreference
from werkplek.notifications.render import render_mail
from werkplek.people.models import Person, Role
from werkplek.presence.callback_notes import purge_callback_notes
from werkplek.presence.models import CallbackNote

NOTES = "/api/callback-notes"


def note_for(person: Person, **changes: object) -> dict[str, object]:
    return {
        "person_id": person.id,
        "resident_name": "mevrouw Jansen",
        "callback_number": "06 12345678",
        "question": "Hoe lang duurt een bezwaarprocedure?",
        **changes,
    }


async def _leave_note(
    client: AsyncTestClient[Litestar],
    login_as: LoginAs,
    make_person: MakePerson,
    addressee: Person,
) -> int:
    await login_as(await make_person("KCC Agent", roles=(Role.KCC,)))
    response = await client.post(NOTES, json=note_for(addressee))
    assert response.status_code == 201
    return int(response.json()["id"])


async def test_the_kcc_leaves_a_note_for_a_colleague(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    colleague = await make_person("Kees Jansen")
    await login_as(await make_person("KCC Agent", roles=(Role.KCC,)))
    response = await client.post(NOTES, json=note_for(colleague))
    body = response.json()
    assert (response.status_code, body["person"]["name"], body["created_by"]["name"]) == (
        201,
        "Kees Jansen",
        "KCC Agent",
    )


async def test_leaving_a_note_mails_the_colleague(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    colleague = await make_person("Kees Jansen")
    await _leave_note(client, login_as, make_person, colleague)

    (mail,) = await outbox(db, "callback_note")

    assert (mail.recipients, mail.person_id) == (colleague.email, colleague.id)


async def _left_note_mail(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
    settings: Settings,
) -> tuple[str, str]:
    """The Dutch subject and body of the mail about a note the KCC left for Kees."""
    await _leave_note(client, login_as, make_person, await make_person("Kees Jansen"))
    (mail,) = await outbox(db, "callback_note")
    return render_mail(settings, "callback_note", json.loads(mail.context), "nl")


async def test_the_mail_says_who_left_the_note_but_not_the_residents_number_or_question(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
    settings: Settings,
) -> None:
    _subject, body = await _left_note_mail(client, db, make_person, login_as, settings)

    assert "KCC Agent van het KCC" in body
    assert "12345678" not in body and "bezwaarprocedure" not in body


async def test_the_mail_subject_names_who_left_the_note_and_when(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
    settings: Settings,
) -> None:
    clock.set(at(TODAY, 10, 15))

    subject, _body = await _left_note_mail(client, db, make_person, login_as, settings)

    assert subject == "Terugbelverzoek via het KCC (KCC Agent), wo 25 november, 10:15"


async def test_the_mail_subject_names_neither_the_resident_nor_the_question(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
    settings: Settings,
) -> None:
    subject, _body = await _left_note_mail(client, db, make_person, login_as, settings)

    assert "mevrouw" not in subject and "bezwaarprocedure" not in subject


async def test_a_colleague_who_switched_callback_mail_off_gets_none(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    colleague = await make_person("Kees Jansen")
    db.add(MailPreference(person_id=colleague.id, kind="callback_note", enabled=False))
    await db.commit()

    await _leave_note(client, login_as, make_person, colleague)

    assert await outbox(db, "callback_note") == []


async def test_an_employee_cannot_leave_a_note(
    client: AsyncTestClient[Litestar], employee: dict[str, str], make_person: MakePerson
) -> None:
    colleague = await make_person()
    assert (await client.post(NOTES, json=note_for(colleague))).status_code == 403


async def test_a_note_needs_a_callback_number(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    colleague = await make_person()
    await login_as(await make_person(roles=(Role.KCC,)))
    response = await client.post(NOTES, json=note_for(colleague, callback_number="bel maar"))
    assert response.status_code == 400


async def test_a_callback_number_too_short_to_call_is_refused_naming_the_field(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    colleague = await make_person()
    await login_as(await make_person(roles=(Role.KCC,)))
    response = await client.post(NOTES, json=note_for(colleague, callback_number="06"))
    assert (response.status_code, response.json()["field"]) == (422, "callback_number")


async def test_an_international_callback_number_is_accepted(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    colleague = await make_person()
    await login_as(await make_person(roles=(Role.KCC,)))
    belgian = note_for(colleague, callback_number="+32 470 12 34 56")
    response = await client.post(NOTES, json=belgian)
    assert response.status_code == 201


async def test_a_note_for_someone_who_left_is_refused_naming_person_id(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    gone = await make_person(active=False)
    await login_as(await make_person(roles=(Role.KCC,)))
    response = await client.post(NOTES, json=note_for(gone))
    assert (response.status_code, response.json()["field"]) == (422, "person_id")


async def test_the_colleague_sees_the_open_note(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    colleague = await make_person()
    note_id = await _leave_note(client, login_as, make_person, colleague)
    await login_as(colleague)
    notes = (await client.get(NOTES)).json()
    assert [(n["id"], n["question"], n["done_at"]) for n in notes] == [
        (note_id, "Hoe lang duurt een bezwaarprocedure?", None)
    ]


async def test_a_note_marked_done_leaves_the_open_list(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    colleague = await make_person()
    note_id = await _leave_note(client, login_as, make_person, colleague)
    await login_as(colleague)
    done = await client.patch(f"{NOTES}/{note_id}", json={"done": True})
    assert done.json()["done_at"] == "2026-11-25T10:00:00+01:00"
    assert (await client.get(NOTES)).json() == []


async def test_done_notes_are_listed_when_asked(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    colleague = await make_person()
    note_id = await _leave_note(client, login_as, make_person, colleague)
    await login_as(colleague)
    await client.patch(f"{NOTES}/{note_id}", json={"done": True})
    notes = (await client.get(NOTES, params={"include_done": "true"})).json()
    assert [n["done_by"]["id"] for n in notes] == [colleague.id]


async def test_a_done_note_can_be_opened_again(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    colleague = await make_person()
    note_id = await _leave_note(client, login_as, make_person, colleague)
    await login_as(colleague)
    await client.patch(f"{NOTES}/{note_id}", json={"done": True})
    reopened = await client.patch(f"{NOTES}/{note_id}", json={"done": False})
    assert reopened.json()["done_at"] is None


async def test_the_kcc_cannot_mark_someone_elses_note_done(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    colleague = await make_person()
    note_id = await _leave_note(client, login_as, make_person, colleague)
    assert (await client.patch(f"{NOTES}/{note_id}", json={"done": True})).status_code == 403


async def test_the_kcc_lists_the_notes_they_left(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    colleague = await make_person("Kees Jansen")
    note_id = await _leave_note(client, login_as, make_person, colleague)
    sent = (await client.get(f"{NOTES}/sent")).json()
    assert [(n["id"], n["person"]["name"]) for n in sent] == [(note_id, "Kees Jansen")]


async def test_an_employee_has_no_sent_notes_list(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    assert (await client.get(f"{NOTES}/sent")).status_code == 403


async def test_a_third_colleague_cannot_read_the_note(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    colleague = await make_person()
    note_id = await _leave_note(client, login_as, make_person, colleague)
    await login_as(await make_person())
    assert (await client.get(f"{NOTES}/{note_id}")).status_code == 404


async def test_the_writer_removes_a_note_left_by_mistake(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    colleague = await make_person()
    note_id = await _leave_note(client, login_as, make_person, colleague)
    assert (await client.delete(f"{NOTES}/{note_id}")).status_code == 204
    await db.rollback()
    assert (await db.execute(select(CallbackNote))).all() == []


async def test_removing_a_note_audits_for_whom_it_was_without_its_content(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    colleague = await make_person()
    note_id = await _leave_note(client, login_as, make_person, colleague)
    await client.delete(f"{NOTES}/{note_id}")
    await db.rollback()
    assert await _audited(db, "delete") == [(str(note_id), {"person_id": colleague.id})]


async def test_the_addressee_cannot_remove_a_note(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    colleague = await make_person()
    note_id = await _leave_note(client, login_as, make_person, colleague)
    await login_as(colleague)
    assert (await client.delete(f"{NOTES}/{note_id}")).status_code == 403


async def _audited(db: AsyncSession, action: str) -> list[tuple[str, dict[str, object]]]:
    events = await db.execute(
        select(AuditEvent.object_id, AuditEvent.details).where(
            AuditEvent.object_type == "callback_note", AuditEvent.action == action
        )
    )
    return [(object_id, details) for object_id, details in events]


async def _note_at(db: AsyncSession, person: Person, days_ago: int) -> CallbackNote:
    note = CallbackNote(
        person_id=person.id,
        callback_number="0612345678",
        question=f"Vraag van {days_ago} dagen geleden",
        created_at=at(TODAY, 10) - timedelta(days=days_ago),
    )
    db.add(note)
    await db.commit()
    return note


async def test_the_purge_removes_notes_older_than_the_retention_time(
    db: AsyncSession, clock: FixedClock, settings: Settings, make_person: MakePerson
) -> None:
    person = await make_person()
    await _note_at(db, person, 31)
    kept = await _note_at(db, person, 29)
    removed = await purge_callback_notes(db, clock, settings)
    await db.commit()
    remaining = (await db.execute(select(CallbackNote.id))).scalars().all()
    assert (removed, remaining) == (1, [kept.id])


async def test_the_purge_follows_the_clock(
    db: AsyncSession, clock: FixedClock, settings: Settings, make_person: MakePerson
) -> None:
    person = await make_person()
    await _note_at(db, person, 29)
    clock.advance(timedelta(days=2))
    assert await purge_callback_notes(db, clock, settings) == 1


async def test_the_purge_follows_the_retention_setting(
    db: AsyncSession, clock: FixedClock, settings: Settings, make_person: MakePerson
) -> None:
    person = await make_person()
    await _note_at(db, person, 8)
    shorter = settings.with_changes(retention_callback_note_days=7)
    assert await purge_callback_notes(db, clock, shorter) == 1


async def test_the_purge_audits_each_note_with_for_whom_it_was(
    db: AsyncSession, clock: FixedClock, settings: Settings, make_person: MakePerson
) -> None:
    anna, bram = await make_person("Anna"), await make_person("Bram")
    notes = [await _note_at(db, anna, 31), await _note_at(db, bram, 32)]
    await purge_callback_notes(db, clock, settings)
    await db.commit()
    purged = [
        (object_id, details["person_id"]) for object_id, details in await _audited(db, "purge")
    ]
    assert sorted(purged) == sorted([(str(notes[0].id), anna.id), (str(notes[1].id), bram.id)])
