"""A callback note still open the working day after it was left reminds its colleague once,
from 09:00 (``remind_of_open_notes``): a resident may still be waiting for the call."""

from __future__ import annotations

import json
from datetime import date

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson
from tests.notifications.conftest import outbox
from tests.presence.conftest import TODAY, TOMORROW, SetEntry, SetPattern, at
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.notifications.models import MailPreference, OutboxMail
from werkplek.notifications.render import render_mail
from werkplek.people.models import Person, Role
from werkplek.presence.models import CallbackNote
from werkplek.presence.reminders import remind_of_open_notes

NOTES = "/api/callback-notes"
FRIDAY, MONDAY_AFTER = date(2026, 11, 27), date(2026, 11, 30)
CHRISTMAS_EVE, MONDAY_AFTER_CHRISTMAS = date(2026, 12, 24), date(2026, 12, 28)


async def _leave_note(
    client: AsyncTestClient[Litestar], login_as: LoginAs, agent: Person, colleague: Person
) -> int:
    await login_as(agent)
    note = {"person_id": colleague.id, "callback_number": "06 12345678", "question": "Bezwaar?"}
    response = await client.post(NOTES, json=note)
    assert response.status_code == 201
    return int(response.json()["id"])


async def _note_left(
    client: AsyncTestClient[Litestar],
    login_as: LoginAs,
    make_person: MakePerson,
    clock: FixedClock,
    day: date = TODAY,
) -> tuple[Person, int]:
    """Kees, and the note the KCC left him at 14:00 on ``day``."""
    colleague = await make_person("Kees Jansen")
    agent = await make_person("KCC Agent", roles=(Role.KCC,))
    clock.set(at(day, 14))
    return colleague, await _leave_note(client, login_as, agent, colleague)


async def _remind(
    db: AsyncSession, clock: FixedClock, day: date, hour: int, minute: int = 0
) -> int:
    clock.set(at(day, hour, minute))
    reminded = await remind_of_open_notes(db, clock)
    await db.commit()
    return reminded


async def reminders(db: AsyncSession) -> list[OutboxMail]:
    """The reminders waiting in the outbox (not the mails telling of a new note)."""
    return [
        mail
        for mail in await outbox(db, "callback_note")
        if (mail.ref or "").endswith(":reminder") and mail.status == "pending"
    ]


async def test_a_note_still_open_the_next_morning_reminds_its_colleague(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    colleague, _note = await _note_left(client, login_as, make_person, clock)

    await _remind(db, clock, TOMORROW, 9)

    assert [mail.person_id for mail in await reminders(db)] == [colleague.id]


async def test_a_note_reminds_only_once(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    await _note_left(client, login_as, make_person, clock)
    await _remind(db, clock, TOMORROW, 9)

    assert await _remind(db, clock, TOMORROW, 15) == 0


async def test_a_note_does_not_remind_on_the_day_it_was_left(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    await _note_left(client, login_as, make_person, clock)

    assert await _remind(db, clock, TODAY, 17) == 0


async def test_a_note_does_not_remind_before_nine(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    await _note_left(client, login_as, make_person, clock)

    assert await _remind(db, clock, TOMORROW, 8, 59) == 0


async def test_a_note_left_on_friday_reminds_on_monday_not_at_the_weekend(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    await _note_left(client, login_as, make_person, clock, day=FRIDAY)

    at_the_weekend = await _remind(db, clock, date(2026, 11, 28), 10)

    assert (at_the_weekend, await _remind(db, clock, MONDAY_AFTER, 9)) == (0, 1)


async def test_a_note_does_not_remind_on_a_public_holiday(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    await _note_left(client, login_as, make_person, clock, day=CHRISTMAS_EVE)

    on_christmas = await _remind(db, clock, date(2026, 12, 25), 10)

    assert (on_christmas, await _remind(db, clock, MONDAY_AFTER_CHRISTMAS, 9)) == (0, 1)


async def test_a_colleague_absent_all_day_is_not_reminded_that_day(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    colleague, _note = await _note_left(client, login_as, make_person, clock)
    for part in ("morning", "afternoon"):
        await set_entry(colleague, TOMORROW, part, "absent", reason="vakantie")

    assert await _remind(db, clock, TOMORROW, 9) == 0


async def test_a_colleague_absent_all_day_is_reminded_on_the_first_working_day_back(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    colleague, _note = await _note_left(client, login_as, make_person, clock, day=TOMORROW)
    for part in ("morning", "afternoon"):
        await set_entry(colleague, FRIDAY, part, "absent", reason="vakantie")
    await _remind(db, clock, FRIDAY, 9)

    assert await _remind(db, clock, MONDAY_AFTER, 9) == 1


async def test_a_colleague_off_by_their_usual_week_is_not_reminded_that_day(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
    set_pattern: SetPattern,
) -> None:
    colleague, _note = await _note_left(client, login_as, make_person, clock)
    await set_pattern(colleague, TOMORROW.weekday(), "absent")

    assert await _remind(db, clock, TOMORROW, 9) == 0


async def test_a_colleague_absent_only_in_the_morning_is_reminded(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    colleague, _note = await _note_left(client, login_as, make_person, clock)
    await set_entry(colleague, TOMORROW, "morning", "absent", reason="tandarts")

    assert await _remind(db, clock, TOMORROW, 9) == 1


async def test_a_note_marked_done_does_not_remind(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    colleague, note = await _note_left(client, login_as, make_person, clock)
    await login_as(colleague)
    assert (await client.patch(f"{NOTES}/{note}", json={"done": True})).status_code == 200

    assert await _remind(db, clock, TOMORROW, 9) == 0


async def test_marking_a_note_done_withdraws_its_reminder_not_sent_yet(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    colleague, note = await _note_left(client, login_as, make_person, clock)
    await _remind(db, clock, TOMORROW, 9)
    await login_as(colleague)

    await client.patch(f"{NOTES}/{note}", json={"done": True})

    assert await reminders(db) == []


async def test_marking_a_note_done_withdraws_the_mail_about_it_not_sent_yet(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    colleague, note = await _note_left(client, login_as, make_person, clock)
    await login_as(colleague)

    await client.patch(f"{NOTES}/{note}", json={"done": True})

    assert [mail.status for mail in await outbox(db, "callback_note")] == ["cancelled"]


async def test_removing_a_note_withdraws_the_mail_about_it_not_sent_yet(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    _colleague, note = await _note_left(client, login_as, make_person, clock)

    assert (await client.delete(f"{NOTES}/{note}")).status_code == 204

    assert [mail.status for mail in await outbox(db, "callback_note")] == ["cancelled"]


async def test_a_note_for_someone_who_left_does_not_remind(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    colleague, _note = await _note_left(client, login_as, make_person, clock)
    colleague.active = False
    await db.commit()

    assert await _remind(db, clock, TOMORROW, 9) == 0


async def test_a_colleague_who_switched_callback_mail_off_gets_no_reminder(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    colleague, _note = await _note_left(client, login_as, make_person, clock)
    db.add(MailPreference(person_id=colleague.id, kind="callback_note", enabled=False))
    await db.commit()

    await _remind(db, clock, TOMORROW, 9)

    assert await reminders(db) == []


async def _reminder_text(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
    settings: Settings,
) -> tuple[str, str]:
    await _note_left(client, login_as, make_person, clock)
    await _remind(db, clock, TOMORROW, 9)
    (mail,) = await reminders(db)
    return render_mail(settings, "callback_note", json.loads(mail.context), "nl")


async def test_the_reminder_subject_says_the_request_is_still_open(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
    settings: Settings,
) -> None:
    subject, _body = await _reminder_text(client, db, clock, make_person, login_as, settings)

    assert (
        subject == "Staat nog open: terugbelverzoek via het KCC (KCC Agent), wo 25 november, 14:00"
    )


async def test_the_reminder_holds_neither_the_residents_number_nor_question(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
    settings: Settings,
) -> None:
    subject, body = await _reminder_text(client, db, clock, make_person, login_as, settings)

    assert "12345678" not in subject + body and "Bezwaar" not in subject + body


async def test_a_reminder_of_a_note_whose_writer_is_gone_names_a_colleague_of_the_kcc(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
    settings: Settings,
) -> None:
    _colleague, note_id = await _note_left(client, login_as, make_person, clock)
    note = await db.get(CallbackNote, note_id)
    assert note is not None
    note.created_by_id = None
    await db.commit()
    await _remind(db, clock, TOMORROW, 9)
    (mail,) = await reminders(db)

    _subject, body = render_mail(settings, "callback_note", json.loads(mail.context), "nl")

    assert "een collega van het KCC" in body


async def _reminded_note_seen_by_its_writer(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
) -> int:
    """A note the KCC agent left at 14:00 and whose colleague was reminded at 09:01 the
    next day, with the agent logged in again (their log-in of the day before has expired)."""
    colleague = await make_person("Kees Jansen")
    agent = await make_person("KCC Agent", roles=(Role.KCC,))
    clock.set(at(TODAY, 14))
    note_id = await _leave_note(client, login_as, agent, colleague)
    await _remind(db, clock, TOMORROW, 9, 1)
    await login_as(agent)
    return note_id


async def test_a_note_says_when_its_colleague_was_reminded(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    note = await _reminded_note_seen_by_its_writer(client, db, clock, make_person, login_as)

    body = (await client.get(f"{NOTES}/{note}")).json()

    assert body["reminded_at"] == "2026-11-26T09:01:00+01:00"


async def test_the_notes_the_kcc_left_say_which_were_reminded(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    await _reminded_note_seen_by_its_writer(client, db, clock, make_person, login_as)

    page = (await client.get("/callback-notes")).text

    assert "herinnering gestuurd 09:01" in page
