"""Changing a weekly room booking from one date on: that date and every later date of its
series get the new times or room, each by every rule of a change; a later date that cannot
change keeps its old time and is reported."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import (
    NEXT_MONDAY,
    TOMORROW,
    Book,
    Run,
    World,
    actor,
    all_bookings,
    at,
    change_form,
    room_booking,
)
from tests.conftest import LoginAs, MakePerson
from tests.notifications.conftest import outbox
from werkplek.audit.models import AuditEvent
from werkplek.bookings import series_changes, services
from werkplek.bookings.models import Booking
from werkplek.bookings.participants import replace_participants
from werkplek.bookings.schemas import RecurrenceIn, RescheduleIn
from werkplek.bookings.series_changes import SeriesChange
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.errors import DomainError
from werkplek.notifications.models import OutboxMail
from werkplek.notifications.render import render_mail
from werkplek.people.models import Person

Client = AsyncTestClient[Litestar]

DATES = [TOMORROW, NEXT_MONDAY, date(2026, 12, 3)]  # Thursday, Monday, Thursday


async def _weekly_meeting(world: World, book: Book, *participants: Person) -> list[Booking]:
    """Anna's weekly meeting in Overleg 1.10, Mondays and Thursdays 10:00-11:00, on ``DATES``,
    with ``participants`` invited to every date."""
    made = await book(
        world.anna,
        room_booking(
            world.room,
            title="Teamoverleg",
            recurrence=RecurrenceIn(weekdays=[0, 3], until=DATES[-1]),
            participants=[p.id for p in participants] or None,
        ),
    )
    return list(made.created)


async def _taken_at_two(world: World, book: Book, make_person: MakePerson, day: date) -> None:
    """Bram holds Overleg 1.10 on ``day`` from 14:00 to 15:00."""
    await book(await make_person("Bram"), room_booking(world.room, day, start=(14, 0), end=(15, 0)))


async def _change_series(
    run: Run, clock: FixedClock, world: World, booking_id: int, **changes: Any
) -> SeriesChange:
    result: SeriesChange = await run(
        series_changes.reschedule_series,
        clock,
        actor(world.anna),
        booking_id,
        RescheduleIn(**changes),
    )
    return result


async def _active(db: AsyncSession) -> list[Booking]:
    return [b for b in await all_bookings(db) if b.status == "confirmed"]


async def test_a_series_change_gives_the_date_and_every_later_date_the_new_times(
    world: World, run: Run, clock: FixedClock, book: Book, db: AsyncSession
) -> None:
    weekly = await _weekly_meeting(world, book)

    await _change_series(run, clock, world, weekly[0].id, start="14:00", end="15:00")

    assert [(b.start_at, b.end_at) for b in await _active(db)] == [
        (at(day, 14), at(day, 15)) for day in DATES
    ]


async def test_earlier_dates_of_the_series_keep_their_times(
    world: World, run: Run, clock: FixedClock, book: Book, db: AsyncSession
) -> None:
    weekly = await _weekly_meeting(world, book)

    await _change_series(run, clock, world, weekly[1].id, start="14:00", end="15:00")

    assert [b.start_at for b in await _active(db)] == [
        at(DATES[0], 10),
        at(DATES[1], 14),
        at(DATES[2], 14),
    ]


async def test_changed_dates_stay_in_the_series(
    world: World, run: Run, clock: FixedClock, book: Book, db: AsyncSession
) -> None:
    weekly = await _weekly_meeting(world, book)

    await _change_series(run, clock, world, weekly[0].id, start="14:00", end="15:00")

    assert {b.series_id for b in await _active(db)} == {weekly[0].series_id}


async def test_a_later_date_whose_new_time_is_taken_keeps_its_old_time(
    world: World,
    run: Run,
    clock: FixedClock,
    book: Book,
    make_person: MakePerson,
    db: AsyncSession,
) -> None:
    weekly = await _weekly_meeting(world, book)
    await _taken_at_two(world, book, make_person, DATES[1])

    await _change_series(run, clock, world, weekly[0].id, start="14:00", end="15:00")

    annas = [b for b in await _active(db) if b.booked_for_id == world.anna.id]
    assert [b.start_at for b in annas] == [
        at(DATES[0], 14),
        at(DATES[1], 10),
        at(DATES[2], 14),
    ]


async def test_a_later_date_that_cannot_change_is_reported_with_the_reason(
    world: World, run: Run, clock: FixedClock, book: Book, make_person: MakePerson
) -> None:
    weekly = await _weekly_meeting(world, book)
    await _taken_at_two(world, book, make_person, DATES[1])

    result = await _change_series(run, clock, world, weekly[0].id, start="14:00", end="15:00")

    assert [(s.date, s.error) for s in result.skipped] == [(DATES[1], "booking_conflict")]


async def test_a_refusal_of_the_date_asked_for_changes_nothing(
    world: World,
    run: Run,
    clock: FixedClock,
    book: Book,
    make_person: MakePerson,
    db: AsyncSession,
) -> None:
    weekly = await _weekly_meeting(world, book)
    await _taken_at_two(world, book, make_person, DATES[0])

    with pytest.raises(DomainError) as refused:
        await _change_series(run, clock, world, weekly[0].id, start="14:00", end="15:00")

    assert refused.value.code == "booking_conflict"
    annas = [b for b in await _active(db) if b.booked_for_id == world.anna.id]
    assert [b.start_at for b in annas] == [at(day, 10) for day in DATES]


async def test_a_series_change_to_another_date_is_refused_at_date(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    weekly = await _weekly_meeting(world, book)

    with pytest.raises(DomainError) as refused:
        await _change_series(run, clock, world, weekly[0].id, date=date(2026, 11, 27))

    assert (refused.value.code, refused.value.field) == ("series_keeps_its_days", "date")


async def test_a_series_change_may_repeat_the_bookings_own_date(
    world: World, run: Run, clock: FixedClock, book: Book, db: AsyncSession
) -> None:
    weekly = await _weekly_meeting(world, book)

    await _change_series(run, clock, world, weekly[0].id, date=TOMORROW, start="14:00", end="15:00")

    assert len([b for b in await _active(db) if b.start_at.hour == 13]) == 3  # 14:00 CET


async def test_a_booking_without_a_series_changes_alone(
    world: World, run: Run, clock: FixedClock, book: Book, db: AsyncSession
) -> None:
    made = await book(world.anna, room_booking(world.room))
    await book(world.anna, room_booking(world.room, DATES[1]))

    result = await _change_series(run, clock, world, made.created[0].id, start="14:00", end="15:00")

    assert [b.start_at for b in result.changed] == [at(TOMORROW, 14)]


async def test_the_holder_gets_one_mail_for_the_whole_change(
    world: World, run: Run, clock: FixedClock, book: Book, db: AsyncSession
) -> None:
    weekly = await _weekly_meeting(world, book)
    before = len(await outbox(db))

    await _change_series(run, clock, world, weekly[0].id, start="14:00", end="15:00")

    (mail,) = (await outbox(db))[before:]
    assert (mail.kind, mail.template, len(mail.attachments)) == (
        "booking_confirmed",
        "series_rescheduled",
        6,
    )


async def test_the_mail_lists_the_new_dates_and_those_that_stayed(
    world: World,
    run: Run,
    clock: FixedClock,
    book: Book,
    make_person: MakePerson,
    db: AsyncSession,
    settings: Settings,
) -> None:
    weekly = await _weekly_meeting(world, book)
    await book(
        await make_person("Bram"),
        room_booking(world.room, DATES[1], start=(14, 0), end=(15, 0)),
    )
    before = len(await outbox(db))

    await _change_series(run, clock, world, weekly[0].id, start="14:00", end="15:00")

    (mail,) = (await outbox(db))[before:]
    body = render_mail(settings, mail.template, json.loads(mail.context), "nl")[1]
    assert (
        "U hebt uw wekelijkse reservering (10:00–11:00, Overleg 1.10) vanaf donderdag "
        "26 november 2026 gewijzigd in:\n\n- donderdag 26 november 2026, 14:00–15:00"
    ) in body
    assert (
        "Deze datums konden niet worden gewijzigd en blijven zoals ze waren:\n"
        "- maandag 30 november 2026: Deze ruimte is al gereserveerd"
    ) in body


# --- the participants ---------------------------------------------------------------------

Prepare = Callable[[list[Booking]], Awaitable[Any]]
Told = Callable[..., Awaitable[list[OutboxMail]]]


@pytest.fixture
def told(
    world: World, run: Run, clock: FixedClock, book: Book, make_person: MakePerson, db: AsyncSession
) -> Told:
    """Bram is invited to every date of Anna's weekly meeting; after
    ``prepare`` (given the bookings), the series changes to 14:00-15:00 from its first
    date on. Returns the mails that reached Bram for the change."""

    async def change(prepare: Prepare | None = None) -> list[OutboxMail]:
        bram = await make_person("Bram")
        weekly = await _weekly_meeting(world, book, bram)
        if prepare is not None:
            await prepare(weekly)
        before = len(await outbox(db))
        await _change_series(run, clock, world, weekly[0].id, start="14:00", end="15:00")
        return [m for m in (await outbox(db))[before:] if m.person_id == bram.id]

    return change


def _methods(mail: OutboxMail) -> list[str]:
    return [a.content_type.removeprefix("text/calendar; method=") for a in mail.attachments]


async def test_each_participant_gets_one_mail_for_the_whole_change(told: Told) -> None:
    (mail,) = await told()

    assert (mail.kind, mail.template) == ("meeting_invitation", "meeting_changed")


async def test_the_participants_mail_calls_off_each_old_date_and_requests_each_new_one(
    told: Told,
) -> None:
    (mail,) = await told()

    assert _methods(mail) == ["CANCEL"] * 3 + ["REQUEST"] * 3


async def test_the_participants_mail_lists_the_new_dates_of_the_weekly_meeting(
    told: Told, settings: Settings
) -> None:
    (mail,) = await told()

    body = render_mail(settings, mail.template, json.loads(mail.context), "nl")[1]
    assert (
        "Het wekelijkse overleg van Anna de Vries (10:00–11:00, Overleg 1.10) waarvoor u bent "
        "uitgenodigd, is vanaf donderdag 26 november 2026 gewijzigd in:\n\n"
        "- donderdag 26 november 2026, 14:00–15:00"
    ) in body


async def test_a_date_that_kept_its_time_is_left_out_of_the_participants_mail(
    told: Told, world: World, book: Book, make_person: MakePerson
) -> None:
    async def take_the_second_date(_weekly: list[Booking]) -> None:
        await _taken_at_two(world, book, make_person, DATES[1])

    (mail,) = await told(take_the_second_date)

    assert [b["start"] for b in json.loads(mail.context)["bookings"]] == [
        at(DATES[0], 14).isoformat(),
        at(DATES[2], 14).isoformat(),
    ]


async def test_a_participant_of_the_later_dates_only_hears_of_those(
    told: Told, world: World, run: Run, clock: FixedClock
) -> None:
    async def uninvite_from_the_first_date(weekly: list[Booking]) -> None:
        await run(replace_participants, clock, actor(world.anna), weekly[0].id, [])

    (mail,) = await told(uninvite_from_the_first_date)

    assert _methods(mail) == ["CANCEL"] * 2 + ["REQUEST"] * 2


async def test_each_date_is_audited_as_a_reschedule(
    world: World, run: Run, clock: FixedClock, book: Book, db: AsyncSession
) -> None:
    weekly = await _weekly_meeting(world, book)

    await _change_series(run, clock, world, weekly[0].id, start="14:00", end="15:00")

    await db.rollback()
    rescheduled = await db.scalars(
        select(AuditEvent.object_id).where(AuditEvent.action == "reschedule")
    )
    assert sorted(rescheduled) == sorted(str(b.id) for b in weekly)


async def test_cancelling_the_series_after_a_change_cancels_the_changed_dates(
    world: World, run: Run, clock: FixedClock, book: Book, db: AsyncSession
) -> None:
    weekly = await _weekly_meeting(world, book)
    changed = await _change_series(run, clock, world, weekly[0].id, start="14:00", end="15:00")

    await run(
        services.cancel_booking,
        clock,
        actor(world.anna),
        changed.changed[0].id,
        whole_series=True,
    )

    assert await _active(db) == []


# --- the API ------------------------------------------------------------------------------


async def test_the_api_changes_the_series_and_lists_the_dates_that_stayed(
    client: Client,
    world: World,
    login_as: LoginAs,
    book: Book,
    make_person: MakePerson,
) -> None:
    weekly = await _weekly_meeting(world, book)
    await book(
        await make_person("Bram"),
        room_booking(world.room, DATES[1], start=(14, 0), end=(15, 0)),
    )
    await login_as(world.anna)

    response = await client.patch(
        f"/api/bookings/{weekly[0].id}/series", json={"start": "14:00:00", "end": "15:00:00"}
    )

    assert response.status_code == 200
    body = response.json()
    assert [b["local_start"] for b in body["bookings"]] == [
        "2026-11-26T14:00:00+01:00",
        "2026-12-03T14:00:00+01:00",
    ]
    assert [(s["date"], s["error"]) for s in body["skipped"]] == [
        ("2026-11-30", "booking_conflict")
    ]


async def test_the_api_refuses_another_date_with_422_at_date(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    weekly = await _weekly_meeting(world, book)
    await login_as(world.anna)

    response = await client.patch(
        f"/api/bookings/{weekly[0].id}/series", json={"date": "2026-11-27"}
    )

    assert (response.status_code, response.json()["error"], response.json()["field"]) == (
        422,
        "series_keeps_its_days",
        "date",
    )


async def test_the_api_hides_someone_elses_series_with_404(
    client: Client, world: World, login_as: LoginAs, book: Book, make_person: MakePerson
) -> None:
    weekly = await _weekly_meeting(world, book)
    await login_as(await make_person("Bram"))

    response = await client.patch(
        f"/api/bookings/{weekly[0].id}/series", json={"date": "2026-11-27"}
    )

    assert response.status_code == 404


# --- the page -----------------------------------------------------------------------------


async def test_the_change_form_of_a_weekly_booking_offers_to_change_the_later_dates(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    weekly = await _weekly_meeting(world, book)
    await login_as(world.anna)

    page = (await client.get(f"/bookings/{weekly[0].id}/change")).text

    assert 'name="scope" value="series"' in page


async def test_the_change_form_of_a_single_booking_offers_no_series_choice(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    made = await book(world.anna, room_booking(world.room))
    await login_as(world.anna)

    page = (await client.get(f"/bookings/{made.created[0].id}/change")).text

    assert 'name="scope"' not in page


async def test_saving_the_form_for_the_series_changes_every_date(
    client: Client, world: World, login_as: LoginAs, book: Book, db: AsyncSession
) -> None:
    weekly = await _weekly_meeting(world, book)
    headers = await login_as(world.anna)

    await client.post(
        f"/bookings/{weekly[0].id}/change",
        data=change_form(
            world, headers["X-CSRF-Token"], start="14:00", end="15:00", scope="series"
        ),
    )

    assert [b.start_at for b in await _active(db)] == [at(day, 14) for day in DATES]


async def test_saving_the_form_for_only_this_date_leaves_the_later_dates(
    client: Client, world: World, login_as: LoginAs, book: Book, db: AsyncSession
) -> None:
    weekly = await _weekly_meeting(world, book)
    headers = await login_as(world.anna)

    await client.post(
        f"/bookings/{weekly[0].id}/change",
        data=change_form(world, headers["X-CSRF-Token"], start="14:00", end="15:00", scope="one"),
    )

    assert [b.start_at.hour for b in await _active(db)] == [13, 9, 9]  # UTC: 14:00, 10:00


@pytest.mark.parametrize("htmx", [False, True], ids=["plain form", "htmx"])
async def test_the_page_lists_the_dates_that_stayed_as_they_were(
    client: Client,
    world: World,
    login_as: LoginAs,
    book: Book,
    make_person: MakePerson,
    htmx: bool,
) -> None:
    weekly = await _weekly_meeting(world, book)
    await _taken_at_two(world, book, make_person, DATES[1])
    headers = await login_as(world.anna)

    response = await client.post(
        f"/bookings/{weekly[0].id}/change",
        data=change_form(
            world, headers["X-CSRF-Token"], start="14:00", end="15:00", scope="series"
        ),
        headers={"HX-Request": "true"} if htmx else {},
    )

    assert response.status_code == 200
    assert "Gewijzigd: 2 datums van de wekelijkse reservering." in response.text
    assert "Deze datums konden niet worden gewijzigd en blijven zoals ze waren:" in response.text


async def test_a_series_change_to_another_date_is_refused_on_the_page_at_date(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    weekly = await _weekly_meeting(world, book)
    headers = await login_as(world.anna)

    response = await client.post(
        f"/bookings/{weekly[0].id}/change",
        data=change_form(world, headers["X-CSRF-Token"], date="2026-11-27", scope="series"),
    )

    assert response.status_code == 422
    assert '<a href="#date">Datum: Een wekelijkse reservering houdt haar dagen' in response.text
