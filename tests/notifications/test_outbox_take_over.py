"""A message that is to tell what those about the same thing not sent yet would have told
as well takes them over (``take_over_unsent``): it gets their contexts and withdraws them;
one on its way or sent is left as it is. Which refs under a prefix there are to take over
(``unreached_refs``)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import MakePerson
from tests.notifications.conftest import outbox, while_sending
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.notifications.models import MailStatus, OutboxMail
from werkplek.notifications.outbox import (
    queue_mail,
    send_due_mail,
    take_over_unsent,
    unreached_refs,
)

REF = "backup_named:1:1"
#: The ids of the two people the messages are to (``people``).
ANNA, BRAM = 0, 1


@pytest.fixture
async def people(make_person: MakePerson, db: AsyncSession) -> list[int]:
    ids = [(await make_person("Anna Veld")).id, (await make_person("Bram Bos")).id]
    await db.commit()
    return ids


async def queue(
    db: AsyncSession, clock: FixedClock, person_id: int, day: str, ref: str = REF
) -> None:
    """A message about ``ref`` to one person, telling of ``day``, waiting in the outbox."""
    await db.commit()
    await queue_mail(
        db,
        clock,
        kind="backup_named",
        recipients=[f"colleague{person_id}@example.nl"],
        language="nl",
        person_id=person_id,
        subject="Achtervang",
        body=day,
        context={"day": day},
        ref=ref,
    )
    await db.commit()


async def take_over(db: AsyncSession, person_ids: list[int] | None = None) -> Any:
    taken = await take_over_unsent(db, [REF], person_ids=person_ids)
    await db.commit()
    return taken


async def test_the_contexts_of_waiting_messages_are_returned_per_person_oldest_first(
    db: AsyncSession, clock: FixedClock, people: list[int]
) -> None:
    await queue(db, clock, people[ANNA], "2026-11-26")
    await queue(db, clock, people[ANNA], "2026-11-27")
    await queue(db, clock, people[BRAM], "2026-11-30")

    assert await take_over(db) == {
        people[ANNA]: [{"day": "2026-11-26"}, {"day": "2026-11-27"}],
        people[BRAM]: [{"day": "2026-11-30"}],
    }


async def test_the_messages_taken_over_are_withdrawn(
    db: AsyncSession, clock: FixedClock, people: list[int]
) -> None:
    await queue(db, clock, people[ANNA], "2026-11-26")

    await take_over(db)

    assert [m.status for m in await outbox(db)] == [MailStatus.CANCELLED.value]


async def test_a_message_given_up_on_is_taken_over_too(
    db: AsyncSession, clock: FixedClock, people: list[int]
) -> None:
    await queue(db, clock, people[ANNA], "2026-11-26")
    await db.execute(update(OutboxMail).values(status=MailStatus.FAILED.value))

    assert await take_over(db) == {people[ANNA]: [{"day": "2026-11-26"}]}


async def test_only_the_messages_to_the_people_named_are_taken_over(
    db: AsyncSession, clock: FixedClock, people: list[int]
) -> None:
    await queue(db, clock, people[ANNA], "2026-11-26")
    await queue(db, clock, people[BRAM], "2026-11-30")

    await take_over(db, [people[BRAM]])

    assert [m.status for m in await outbox(db)] == [
        MailStatus.PENDING.value,
        MailStatus.CANCELLED.value,
    ]


async def test_a_sent_message_is_not_taken_over(
    db: AsyncSession, clock: FixedClock, people: list[int]
) -> None:
    await queue(db, clock, people[ANNA], "2026-11-26")
    await db.execute(update(OutboxMail).values(status=MailStatus.SENT.value))

    assert await take_over(db) == {}


async def test_a_message_on_its_way_is_left_to_go_out(
    monkeypatch: pytest.MonkeyPatch,
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
    people: list[int],
) -> None:
    await queue(db, clock, people[ANNA], "2026-11-26")
    taken: list[Any] = []

    async def take_over_meanwhile(other: AsyncSession) -> None:
        taken.append(await take_over_unsent(other, [REF]))

    sent = while_sending(monkeypatch, db, take_over_meanwhile)
    await db.commit()
    await send_due_mail(db, clock, settings)
    await db.commit()

    assert (taken, len(sent), [m.status for m in await outbox(db)]) == (
        [{}],
        1,
        [MailStatus.SENT.value],
    )


# --- which refs there are to take over --------------------------------------------------


async def test_the_refs_under_a_prefix_of_waiting_messages_are_found_once_each(
    db: AsyncSession, clock: FixedClock, people: list[int]
) -> None:
    await queue(db, clock, people[ANNA], "2026-11-26", "backup_named:1:2")
    await queue(db, clock, people[ANNA], "2026-11-27", REF)
    await queue(db, clock, people[ANNA], "2026-11-30", REF)
    await queue(db, clock, people[ANNA], "2026-11-30", "backup_named:12:1")

    assert await unreached_refs(db, "backup_named:1:") == [REF, "backup_named:1:2"]


async def test_the_ref_of_a_sent_message_is_not_found(
    db: AsyncSession, clock: FixedClock, people: list[int]
) -> None:
    await queue(db, clock, people[ANNA], "2026-11-26")
    await db.execute(update(OutboxMail).values(status=MailStatus.SENT.value))

    assert await unreached_refs(db, "backup_named:1:") == []


async def test_only_the_refs_of_messages_to_the_people_named_are_found(
    db: AsyncSession, clock: FixedClock, people: list[int]
) -> None:
    await queue(db, clock, people[ANNA], "2026-11-26", "backup_named:1:2")
    await queue(db, clock, people[BRAM], "2026-11-27")

    assert await unreached_refs(db, "backup_named:1:", person_ids=[people[BRAM]]) == [REF]
