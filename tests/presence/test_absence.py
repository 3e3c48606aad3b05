"""Reporting an absence over a period (a holiday, a course), and withdrawing it:
``POST`` and ``DELETE /api/presence/absence`` and the page ``/my-week/absence``.

The test clock stands at Wednesday 25 November 2026, 10:00 in Amsterdam.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import date, timedelta

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson, MakeSpace, MakeTeam
from tests.notifications.conftest import outbox
from tests.presence.conftest import (
    TODAY,
    TOMORROW,
    BookDesk,
    SetEntry,
    SetPattern,
    Sites,
    at,
)
from werkplek.audit.models import AuditEvent
from werkplek.bookings.models import Booking, BookingParticipant
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.notifications.models import MailStatus, OutboxMail
from werkplek.notifications.render import render_mail
from werkplek.people.models import Person
from werkplek.presence.models import DayReachability, WorkLocation
from werkplek.presence.services import days_absent
from werkplek.rooms.models import Space
from werkplek.webhooks.models import WebhookDelivery, WebhookEndpoint

URL = "/api/presence/absence"
NEXT_MONDAY = date(2026, 11, 30)
NEXT_FRIDAY = date(2026, 12, 4)
NEXT_WEEK = {"first": NEXT_MONDAY.isoformat(), "last": NEXT_FRIDAY.isoformat()}


async def _entries(db: AsyncSession, person_id: int) -> list[tuple[date, str, str, str | None]]:
    await db.rollback()
    rows = await db.execute(
        select(
            WorkLocation.date, WorkLocation.day_part, WorkLocation.kind, WorkLocation.absence_reason
        )
        .where(WorkLocation.person_id == person_id)
        .order_by(WorkLocation.date, WorkLocation.day_part)
    )
    return [tuple(row) for row in rows.all()]


@pytest.fixture
async def me(make_person: MakePerson, login_as: LoginAs) -> Person:
    """The client logged in as a colleague without a role."""
    person = await make_person("Sanne Hoekstra")
    await login_as(person)
    return person


async def _room_booking(
    db: AsyncSession, clock: FixedClock, room: Space, person: Person, day: date = NEXT_MONDAY
) -> Booking:
    booking = Booking(
        space_id=room.id,
        site_id=room.site_id,
        is_desk=False,
        booked_for_id=person.id,
        booked_by_id=person.id,
        start_at=at(day, 10),
        end_at=at(day, 11),
        title="Werkoverleg",
        attendees=4,
        created_at=clock.now(),
        updated_at=clock.now(),
    )
    db.add(booking)
    await db.commit()
    return booking


@pytest.fixture
async def room(make_space: MakeSpace, sites: Sites) -> Space:
    return await make_space(sites.town_hall, name="Grutto", kind="meeting_room", capacity=8)


# --- reporting ----------------------------------------------------------------------------


async def test_every_working_day_of_the_period_becomes_absent_both_half_days(
    client: AsyncTestClient[Litestar], db: AsyncSession, me: Person
) -> None:
    await client.post(URL, json={"first": "2026-11-26", "last": "2026-12-01"})
    days = sorted({day for day, *_rest in await _entries(db, me.id)})
    assert days == [date(2026, 11, 26), date(2026, 11, 27), date(2026, 11, 30), date(2026, 12, 1)]


async def test_the_answer_lists_the_working_days_marked_absent(
    client: AsyncTestClient[Litestar], me: Person
) -> None:
    body = (await client.post(URL, json={"first": "2026-11-27", "last": "2026-11-30"})).json()
    assert body["days"] == ["2026-11-27", "2026-11-30"]


async def test_the_reason_is_stored_with_every_half_day(
    client: AsyncTestClient[Litestar], db: AsyncSession, me: Person
) -> None:
    await client.post(URL, json={**NEXT_WEEK, "absence_reason": "Vakantie"})
    assert {(kind, reason) for _d, _p, kind, reason in await _entries(db, me.id)} == {
        ("absent", "Vakantie")
    }


async def test_what_was_set_for_a_day_before_is_replaced(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    me: Person,
    set_entry: SetEntry,
    sites: Sites,
) -> None:
    await set_entry(me, NEXT_MONDAY, "morning", "office", site=sites.town_hall)
    await client.post(URL, json=NEXT_WEEK)
    monday = [
        (part, kind) for day, part, kind, _r in await _entries(db, me.id) if day == NEXT_MONDAY
    ]
    assert monday == [("afternoon", "absent"), ("morning", "absent")]


async def test_the_note_and_backup_are_set_on_every_day(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    me: Person,
    make_person: MakePerson,
) -> None:
    backup_id = (await make_person("Jeroen de Boer")).id
    await client.post(URL, json={**NEXT_WEEK, "note": "Mail me", "backup_id": backup_id})
    my_id = me.id
    await db.rollback()
    rows = (
        await db.execute(select(DayReachability).where(DayReachability.person_id == my_id))
    ).scalars()
    assert {(row.note, row.backup_id) for row in rows} == {("Mail me", backup_id)}


async def test_a_desk_booked_in_the_period_is_cancelled(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    me: Person,
    desk: Space,
    book_desk: BookDesk,
) -> None:
    booking = await book_desk(me, desk, NEXT_MONDAY)
    body = (await client.post(URL, json=NEXT_WEEK)).json()
    await db.refresh(booking)
    assert (booking.status, [item["id"] for item in body["cancelled_desk_bookings"]]) == (
        "cancelled",
        [booking.id],
    )


async def test_the_holder_is_told_why_their_desk_was_cancelled(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    me: Person,
    desk: Space,
    book_desk: BookDesk,
) -> None:
    await book_desk(me, desk, NEXT_MONDAY)
    await client.post(URL, json=NEXT_WEEK)
    (mail,) = await outbox(db, "booking_cancelled")
    assert json.loads(mail.context)["reason"] == "absent"


async def test_desks_are_kept_when_asked(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    me: Person,
    desk: Space,
    book_desk: BookDesk,
) -> None:
    booking = await book_desk(me, desk, NEXT_MONDAY)
    await client.post(URL, json={**NEXT_WEEK, "cancel_desk_bookings": False})
    await db.refresh(booking)
    assert booking.status == "confirmed"


async def test_a_desk_under_way_is_left_to_the_no_show_release(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    me: Person,
    desk: Space,
    book_desk: BookDesk,
) -> None:
    booking = await book_desk(me, desk, TODAY)
    await client.post(URL, json={"first": TODAY.isoformat(), "last": TOMORROW.isoformat()})
    await db.refresh(booking)
    assert booking.status == "confirmed"


async def test_a_desk_outside_the_period_is_kept(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    me: Person,
    desk: Space,
    book_desk: BookDesk,
) -> None:
    booking = await book_desk(me, desk, NEXT_FRIDAY + timedelta(days=3))
    await client.post(URL, json=NEXT_WEEK)
    await db.refresh(booking)
    assert booking.status == "confirmed"


async def test_rooms_held_in_the_period_are_listed_not_cancelled(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    me: Person,
    room: Space,
) -> None:
    booking = await _room_booking(db, clock, room, me)
    body = (await client.post(URL, json=NEXT_WEEK)).json()
    await db.refresh(booking)
    assert (booking.status, [item["id"] for item in body["room_bookings"]]) == (
        "confirmed",
        [booking.id],
    )


InviteMe = Callable[[str], Awaitable[BookingParticipant]]


@pytest.fixture
async def organiser(make_person: MakePerson) -> Person:
    return await make_person("Ilse Mulder")


@pytest.fixture
def invite_me(
    db: AsyncSession, clock: FixedClock, me: Person, organiser: Person, room: Space
) -> InviteMe:
    """``me`` invited to the organiser's meeting next Monday, having answered ``response``."""

    async def invite(response: str) -> BookingParticipant:
        return await _invite(db, clock, room, organiser, me, response)

    return invite


async def _invite(
    db: AsyncSession,
    clock: FixedClock,
    room: Space,
    organiser: Person,
    guest: Person,
    response: str,
    day: date = NEXT_MONDAY,
) -> BookingParticipant:
    """``guest`` invited to the organiser's meeting on ``day``, having answered ``response``."""
    booking = await _room_booking(db, clock, room, organiser, day)
    invitation = BookingParticipant(
        booking_id=booking.id, person_id=guest.id, response=response, created_at=clock.now()
    )
    db.add(invitation)
    await db.commit()
    return invitation


async def test_a_meeting_one_is_invited_to_in_the_period_is_declined(
    client: AsyncTestClient[Litestar], db: AsyncSession, invite_me: InviteMe
) -> None:
    invitation = await invite_me("accepted")
    body = (await client.post(URL, json=NEXT_WEEK)).json()
    await db.refresh(invitation)
    assert (invitation.response, [item["id"] for item in body["declined_invitations"]]) == (
        "declined",
        [invitation.booking_id],
    )


async def test_the_organiser_is_told_the_invitation_was_declined(
    client: AsyncTestClient[Litestar], db: AsyncSession, organiser: Person, invite_me: InviteMe
) -> None:
    await invite_me("pending")
    await client.post(URL, json=NEXT_WEEK)
    (mail,) = await outbox(db, "meeting_response")
    assert (mail.person_id, json.loads(mail.context)["accepted"]) == (organiser.id, False)


async def test_invitations_are_kept_when_asked(
    client: AsyncTestClient[Litestar], db: AsyncSession, invite_me: InviteMe
) -> None:
    invitation = await invite_me("accepted")
    await client.post(URL, json={**NEXT_WEEK, "decline_invitations": False})
    await db.refresh(invitation)
    assert invitation.response == "accepted"


async def test_an_invitation_already_declined_tells_the_organiser_nothing_again(
    client: AsyncTestClient[Litestar], db: AsyncSession, invite_me: InviteMe
) -> None:
    await invite_me("declined")
    await client.post(URL, json=NEXT_WEEK)
    assert await outbox(db, "meeting_response") == []


async def test_reporting_is_audited_once_for_the_period(
    client: AsyncTestClient[Litestar], db: AsyncSession, me: Person
) -> None:
    await client.post(URL, json=NEXT_WEEK)
    events = (
        await db.execute(select(AuditEvent).where(AuditEvent.action == "report_absence"))
    ).scalars()
    assert [event.details["days"] for event in events] == [5]


async def test_webhook_receivers_hear_of_each_day(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    me: Person,
) -> None:
    endpoint = WebhookEndpoint(
        url="https://rooster.example.nl/hook",
        secret="s" * 32,
        events="presence.changed",
        created_at=clock.now(),
    )
    db.add(endpoint)
    await db.commit()
    await client.post(URL, json=NEXT_WEEK)
    deliveries = (await db.execute(select(WebhookDelivery))).scalars().all()
    dates = sorted(json.loads(delivery.payload)["data"]["date"] for delivery in deliveries)
    assert dates == [(NEXT_MONDAY + timedelta(days=n)).isoformat() for n in range(5)]


# --- refused ------------------------------------------------------------------------------


async def test_a_period_running_backwards_is_refused_at_last(
    client: AsyncTestClient[Litestar], me: Person
) -> None:
    response = await client.post(URL, json={"first": "2026-12-04", "last": "2026-11-30"})
    assert (response.status_code, response.json()["field"]) == (422, "last")


async def test_a_weekend_alone_is_refused(client: AsyncTestClient[Litestar], me: Person) -> None:
    response = await client.post(URL, json={"first": "2026-11-28", "last": "2026-11-29"})
    assert (response.status_code, response.json()["field"]) == (422, "first")


async def test_a_last_day_beyond_the_planning_horizon_is_refused_at_last(
    client: AsyncTestClient[Litestar], me: Person
) -> None:
    response = await client.post(URL, json={"first": "2026-11-30", "last": "2027-06-01"})
    assert (response.json()["error"], response.json()["field"]) == (
        "outside_planning_horizon",
        "last",
    )


async def test_a_malformed_date_is_refused_naming_the_field(
    client: AsyncTestClient[Litestar], me: Person
) -> None:
    response = await client.post(URL, json={"first": "30-11-2026", "last": "2026-12-04"})
    assert (response.status_code, response.json()["fields"][0]["field"]) == (400, "first")


async def test_a_backup_absent_in_the_period_is_refused_and_nothing_is_stored(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    me: Person,
    make_person: MakePerson,
    set_entry: SetEntry,
) -> None:
    backup = await make_person("Jeroen de Boer")
    await set_entry(backup, NEXT_FRIDAY, "afternoon", "absent")
    response = await client.post(URL, json={**NEXT_WEEK, "backup_id": backup.id})
    assert (response.json()["error"], await _entries(db, me.id)) == ("backup_absent", [])


async def test_oneself_as_backup_is_refused(
    client: AsyncTestClient[Litestar], db: AsyncSession, me: Person
) -> None:
    response = await client.post(URL, json={**NEXT_WEEK, "backup_id": me.id})
    assert (response.status_code, response.json()["field"]) == (422, "backup_id")


# --- a team lead for a member -------------------------------------------------------------


async def test_a_lead_reports_a_member_absent(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
) -> None:
    team = await make_team("Burgerzaken")
    member = await make_person(teams=(team,))
    await login_as(await make_person(lead_of=(team,)))
    await client.post(f"{URL}?person={member.id}", json=NEXT_WEEK)
    assert len(await _entries(db, member.id)) == 10


async def test_a_lead_may_not_give_a_members_reason(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
) -> None:
    team = await make_team("Burgerzaken")
    member = await make_person(teams=(team,))
    await login_as(await make_person(lead_of=(team,)))
    response = await client.post(
        f"{URL}?person={member.id}", json={**NEXT_WEEK, "absence_reason": "Ziek"}
    )
    assert (response.status_code, response.json()["field"]) == (403, "absence_reason")


async def test_a_lead_keeps_the_reason_the_member_gave(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    team = await make_team("Burgerzaken")
    member = await make_person(teams=(team,))
    await set_entry(member, NEXT_MONDAY, "morning", "absent", reason="Tandarts")
    await login_as(await make_person(lead_of=(team,)))
    await client.post(f"{URL}?person={member.id}", json=NEXT_WEEK)
    reasons = {(day, part): reason for day, part, _k, reason in await _entries(db, member.id)}
    assert reasons[(NEXT_MONDAY, "morning")] == "Tandarts"


@pytest.fixture
async def reported_by_lead(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
) -> Person:
    """A member of Burgerzaken, the client logged in as its lead Lea Leider."""
    team = await make_team("Burgerzaken")
    member = await make_person("Sanne Hoekstra", teams=(team,))
    await login_as(await make_person("Lea Leider", lead_of=(team,)))
    return member


async def _absence_mail(db: AsyncSession, settings: Settings) -> tuple[str, str, str]:
    """The one ``absence_reported`` mail queued: to whom, its subject and its body."""
    return await _mail_of_kind(db, settings, "absence_reported")


async def test_a_member_reported_absent_by_their_lead_is_mailed_the_period(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    settings: Settings,
    reported_by_lead: Person,
) -> None:
    await client.post(f"{URL}?person={reported_by_lead.id}", json=NEXT_WEEK)
    recipients, subject, _body = await _absence_mail(db, settings)
    assert (recipients, subject) == (
        reported_by_lead.email,
        "Afwezig gemeld door Lea Leider: ma 30 november – vr 4 december",
    )


async def test_the_members_mail_lists_the_rooms_they_still_hold(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
    room: Space,
    reported_by_lead: Person,
) -> None:
    await _room_booking(db, clock, room, reported_by_lead)
    await client.post(f"{URL}?person={reported_by_lead.id}", json=NEXT_WEEK)
    _to, _subject, body = await _absence_mail(db, settings)
    assert "Grutto" in body and "Werkoverleg" in body


async def test_the_members_mail_never_holds_the_reason_they_gave(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    settings: Settings,
    set_entry: SetEntry,
    reported_by_lead: Person,
) -> None:
    await set_entry(reported_by_lead, NEXT_MONDAY, "morning", "absent", reason="Tandarts")
    await client.post(f"{URL}?person={reported_by_lead.id}", json=NEXT_WEEK)
    _to, subject, body = await _absence_mail(db, settings)
    assert "Tandarts" not in subject + body


async def _mail_of_kind(db: AsyncSession, settings: Settings, kind: str) -> tuple[str, str, str]:
    """The one mail of ``kind`` queued: to whom, its subject and its body."""
    (mail,) = await outbox(db, kind)
    subject, body = render_mail(
        settings, mail.template or "", json.loads(mail.context or "{}"), mail.language
    )
    return mail.recipients, subject, body


async def test_the_backup_named_for_the_period_is_mailed(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    settings: Settings,
    me: Person,
    make_person: MakePerson,
) -> None:
    backup = await make_person("Jeroen de Boer")
    address = backup.email
    await client.post(URL, json={**NEXT_WEEK, "backup_id": backup.id})
    recipients, subject, _body = await _mail_of_kind(db, settings, "backup_named")
    assert (recipients, subject) == (
        address,
        "Achtervang voor Sanne Hoekstra: ma 30 november – vr 4 december",
    )


async def test_the_backups_mail_holds_the_note_but_never_the_reason(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    settings: Settings,
    me: Person,
    make_person: MakePerson,
) -> None:
    backup = await make_person("Jeroen de Boer")
    await client.post(
        URL,
        json={
            **NEXT_WEEK,
            "backup_id": backup.id,
            "note": "Spoed via Jeroen",
            "absence_reason": "Ziek",
        },
    )
    _to, subject, body = await _mail_of_kind(db, settings, "backup_named")
    assert ("Spoed via Jeroen" in body, "Ziek" in subject + body) == (True, False)


@pytest.fixture
async def jeroen(make_person: MakePerson) -> Person:
    """A colleague to name as backup."""
    return await make_person("Jeroen de Boer")


async def _mark_sent(db: AsyncSession) -> None:
    """The mails queued so far went out."""
    await db.rollback()
    await db.execute(update(OutboxMail).values(status=MailStatus.SENT.value))
    await db.commit()


async def _waiting_to(db: AsyncSession, settings: Settings, address: str) -> list[str]:
    """The subjects of the ``backup_named`` mails (``backup_dropped`` among them) waiting
    to go out to ``address``."""
    subjects = []
    for mail in await outbox(db, "backup_named"):
        if mail.status == MailStatus.PENDING.value and mail.recipients == address:
            context = json.loads(mail.context or "{}")
            subjects.append(render_mail(settings, mail.template or "", context, "nl")[0])
    return subjects


async def test_withdrawing_an_absence_tells_its_backup_who_heard_of_it_they_no_longer_are(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    settings: Settings,
    me: Person,
    jeroen: Person,
) -> None:
    address = jeroen.email
    await client.post(URL, json={**NEXT_WEEK, "backup_id": jeroen.id})
    await _mark_sent(db)

    await client.delete(URL, params=NEXT_WEEK)

    assert await _waiting_to(db, settings, address) == [
        "Geen achtervang meer voor Sanne Hoekstra: ma 30 november, di 1 december, "
        "wo 2 december, do 3 december, vr 4 december"
    ]


async def test_withdrawing_an_absence_before_its_backups_mail_went_out_withdraws_that_mail(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    me: Person,
    jeroen: Person,
) -> None:
    await client.post(URL, json={**NEXT_WEEK, "backup_id": jeroen.id})

    await client.delete(URL, params=NEXT_WEEK)

    assert [mail.status for mail in await outbox(db, "backup_named")] == [
        MailStatus.CANCELLED.value
    ]


async def test_withdrawing_part_of_an_absence_before_the_mail_went_out_leaves_its_other_days(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    settings: Settings,
    me: Person,
    jeroen: Person,
) -> None:
    address = jeroen.email
    await client.post(URL, json={**NEXT_WEEK, "backup_id": jeroen.id})

    await client.delete(URL, params={"first": NEXT_MONDAY.isoformat(), "last": "2026-12-01"})

    assert await _waiting_to(db, settings, address) == [
        "Achtervang voor Sanne Hoekstra: wo 2 december, do 3 december, vr 4 december"
    ]


async def test_reporting_the_absence_again_with_another_backup_tells_the_first_one(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    settings: Settings,
    me: Person,
    jeroen: Person,
    make_person: MakePerson,
) -> None:
    address, karin_id = jeroen.email, (await make_person("Karin Smit")).id
    await client.post(URL, json={**NEXT_WEEK, "backup_id": jeroen.id})
    await _mark_sent(db)

    await client.post(URL, json={**NEXT_WEEK, "backup_id": karin_id})

    assert len(await _waiting_to(db, settings, address)) == 1


async def test_a_day_of_the_absence_given_another_backup_is_taken_out_of_the_waiting_mail(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    settings: Settings,
    me: Person,
    jeroen: Person,
) -> None:
    address = jeroen.email
    await client.post(URL, json={**NEXT_WEEK, "backup_id": jeroen.id})

    await client.put(
        f"/api/presence/{NEXT_FRIDAY.isoformat()}",
        json={"parts": [{"day_part": "day", "kind": "absent"}]},
    )

    assert await _waiting_to(db, settings, address) == [
        "Achtervang voor Sanne Hoekstra: ma 30 november, di 1 december, wo 2 december, "
        "do 3 december"
    ]


async def test_a_day_named_by_the_member_joins_the_waiting_mail_of_their_leads_report(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    settings: Settings,
    login_as: LoginAs,
    reported_by_lead: Person,
    jeroen: Person,
) -> None:
    address, member_id, backup_id = jeroen.email, reported_by_lead.id, jeroen.id
    first_day = {"first": NEXT_MONDAY.isoformat(), "last": NEXT_MONDAY.isoformat()}
    reported = await client.post(
        f"{URL}?person={member_id}", json={**first_day, "backup_id": backup_id}
    )
    assert reported.status_code == 200
    await db.rollback()  # reading the fixtures began a read on SQLite: logging in writes
    await db.refresh(reported_by_lead)
    await login_as(reported_by_lead)

    await client.put(f"/api/presence/{TOMORROW.isoformat()}", json={"backup_id": backup_id})

    assert await _waiting_to(db, settings, address) == [
        "Achtervang voor Sanne Hoekstra: do 26 november, ma 30 november"
    ]


async def test_reporting_ones_own_absence_mails_nobody_about_it(
    client: AsyncTestClient[Litestar], db: AsyncSession, me: Person
) -> None:
    await client.post(URL, json=NEXT_WEEK)
    assert await outbox(db, "absence_reported") == []


async def test_a_member_whose_absence_their_lead_withdraws_is_mailed(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    settings: Settings,
    set_entry: SetEntry,
    reported_by_lead: Person,
) -> None:
    await set_entry(reported_by_lead, NEXT_MONDAY, "morning", "absent")
    await client.delete(URL, params={**NEXT_WEEK, "person": reported_by_lead.id})
    _to, subject, _body = await _absence_mail(db, settings)
    assert subject == "Afwezigheid ingetrokken door Lea Leider: ma 30 november"


async def test_a_colleague_may_not_report_someone_else_absent(
    client: AsyncTestClient[Litestar], me: Person, make_person: MakePerson
) -> None:
    other = await make_person()
    response = await client.post(f"{URL}?person={other.id}", json=NEXT_WEEK)
    assert response.status_code == 403


# --- listing ------------------------------------------------------------------------------


async def test_the_absences_from_today_on_are_listed_as_periods_across_a_weekend(
    client: AsyncTestClient[Litestar], me: Person
) -> None:
    await client.post(URL, json={"first": "2026-11-26", "last": "2026-12-01"})
    assert (await client.get(URL)).json() == [
        {"first": "2026-11-26", "last": "2026-12-01", "days": 4, "absence_reason": None}
    ]


async def test_a_working_day_present_between_absences_splits_them(
    client: AsyncTestClient[Litestar], me: Person
) -> None:
    await client.post(URL, json={"first": "2026-11-30", "last": "2026-11-30"})
    await client.post(URL, json={"first": "2026-12-02", "last": "2026-12-02"})
    assert [period["first"] for period in (await client.get(URL)).json()] == [
        "2026-11-30",
        "2026-12-02",
    ]


async def test_an_absence_before_today_is_not_listed(
    client: AsyncTestClient[Litestar], me: Person, set_entry: SetEntry
) -> None:
    await set_entry(me, TODAY - timedelta(days=1), "morning", "absent")
    assert (await client.get(URL)).json() == []


async def test_a_different_reason_starts_a_new_period(
    client: AsyncTestClient[Litestar], me: Person
) -> None:
    await client.post(URL, json={**NEXT_WEEK, "absence_reason": "Vakantie"})
    await client.post(
        URL, json={"first": "2026-12-07", "last": "2026-12-07", "absence_reason": "Cursus"}
    )
    assert [period["absence_reason"] for period in (await client.get(URL)).json()] == [
        "Vakantie",
        "Cursus",
    ]


async def test_a_lead_sees_a_members_periods_without_their_reason(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    team = await make_team("Burgerzaken")
    member = await make_person(teams=(team,))
    await set_entry(member, NEXT_MONDAY, "morning", "absent", reason="Tandarts")
    await set_entry(member, NEXT_MONDAY + timedelta(days=1), "morning", "absent", reason="Ziek")
    await login_as(await make_person(lead_of=(team,)))
    assert (await client.get(URL, params={"person": member.id})).json() == [
        {"first": "2026-11-30", "last": "2026-12-01", "days": 2, "absence_reason": None}
    ]


async def test_the_page_lists_the_absences_with_a_button_to_withdraw_each(
    client: AsyncTestClient[Litestar], me: Person
) -> None:
    await client.post(URL, json=NEXT_WEEK)
    response = await client.get("/my-week/absence")
    assert (
        'Intrekken<span class="visually-hidden"> maandag 30 november tot en met vrijdag 4 december'
        in response.text
    )


# --- days away ----------------------------------------------------------------------------


async def test_a_day_absent_both_half_days_is_a_day_away(
    db: AsyncSession, me: Person, set_entry: SetEntry
) -> None:
    await set_entry(me, NEXT_MONDAY, "morning", "absent")
    await set_entry(me, NEXT_MONDAY, "afternoon", "absent")
    assert await days_absent(db, me.id, NEXT_MONDAY, NEXT_FRIDAY) == {NEXT_MONDAY}


async def test_a_day_absent_one_half_day_is_not_a_day_away(
    db: AsyncSession, me: Person, set_entry: SetEntry
) -> None:
    await set_entry(me, NEXT_MONDAY, "morning", "absent")
    assert await days_absent(db, me.id, NEXT_MONDAY, NEXT_FRIDAY) == set()


async def test_the_day_off_of_the_usual_week_is_a_day_away(
    db: AsyncSession, me: Person, set_pattern: SetPattern
) -> None:
    await set_pattern(me, NEXT_FRIDAY.weekday(), "absent")
    assert await days_absent(db, me.id, NEXT_MONDAY, NEXT_FRIDAY) == {NEXT_FRIDAY}


# --- withdrawing --------------------------------------------------------------------------


async def test_withdrawing_takes_the_absent_days_back_to_the_usual_week(
    client: AsyncTestClient[Litestar], db: AsyncSession, me: Person
) -> None:
    await client.post(URL, json=NEXT_WEEK)
    await client.delete(URL, params=NEXT_WEEK)
    assert await _entries(db, me.id) == []


async def test_withdrawing_keeps_half_days_set_to_anything_else(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    me: Person,
    set_entry: SetEntry,
) -> None:
    await set_entry(me, NEXT_MONDAY, "morning", "home")
    await set_entry(me, NEXT_MONDAY, "afternoon", "absent")
    await client.delete(URL, params=NEXT_WEEK)
    assert [(part, kind) for _d, part, kind, _r in await _entries(db, me.id)] == [
        ("morning", "home")
    ]


async def test_withdrawing_answers_the_days_that_follow_the_usual_week_again(
    client: AsyncTestClient[Litestar], me: Person, set_entry: SetEntry
) -> None:
    await set_entry(me, NEXT_FRIDAY, "morning", "absent")
    response = await client.delete(URL, params=NEXT_WEEK)
    assert (response.status_code, response.json()["days"]) == (200, [NEXT_FRIDAY.isoformat()])


async def _notes_and_backups(db: AsyncSession, person_id: int) -> set[tuple[str, int | None]]:
    await db.rollback()
    rows = await db.scalars(select(DayReachability).where(DayReachability.person_id == person_id))
    return {(row.note, row.backup_id) for row in rows}


async def test_withdrawing_removes_the_note_and_backup_the_absence_left(
    client: AsyncTestClient[Litestar], db: AsyncSession, me: Person, make_person: MakePerson
) -> None:
    backup_id = (await make_person("Jeroen de Boer")).id
    my_id = me.id
    await client.post(URL, json={**NEXT_WEEK, "note": "Met vakantie", "backup_id": backup_id})
    await client.delete(URL, params=NEXT_WEEK)
    assert await _notes_and_backups(db, my_id) == set()


async def test_withdrawing_keeps_a_days_own_reachable_hours(
    client: AsyncTestClient[Litestar], db: AsyncSession, me: Person
) -> None:
    my_id = me.id
    await client.put(
        f"/api/presence/{NEXT_MONDAY.isoformat()}",
        json={"parts": [], "reachable_from": "10:00:00", "reachable_until": "14:00:00"},
    )
    await client.post(URL, json={**NEXT_WEEK, "note": "Met vakantie"})
    await client.delete(URL, params=NEXT_WEEK)
    await db.rollback()
    (reach,) = await db.scalars(select(DayReachability).where(DayReachability.person_id == my_id))
    assert reach.reachable_from.isoformat() == "10:00:00"


async def test_withdrawing_keeps_the_note_of_a_day_absent_for_half_of_it(
    client: AsyncTestClient[Litestar], db: AsyncSession, me: Person
) -> None:
    my_id = me.id
    await client.put(
        f"/api/presence/{NEXT_MONDAY.isoformat()}",
        json={
            "parts": [
                {"day_part": "morning", "kind": "absent"},
                {"day_part": "afternoon", "kind": "home"},
            ],
            "note": "Middag via Teams",
        },
    )
    await client.delete(URL, params=NEXT_WEEK)
    assert await _notes_and_backups(db, my_id) == {("Middag via Teams", None)}


async def _active_desks(db: AsyncSession, person: Person) -> list[tuple[int, date]]:
    await db.rollback()
    rows = await db.scalars(
        select(Booking).where(
            Booking.booked_for_id == person.id,
            Booking.is_desk.is_(True),
            Booking.status == "confirmed",
        )
    )
    return [(booking.space_id, booking.start_at.date()) for booking in rows]


async def test_withdrawing_books_again_the_desk_the_absence_cancelled(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    me: Person,
    desk: Space,
    book_desk: BookDesk,
) -> None:
    await book_desk(me, desk, NEXT_MONDAY)
    await client.post(URL, json=NEXT_WEEK)
    await client.delete(URL, params=NEXT_WEEK)
    assert await _active_desks(db, me) == [(desk.id, NEXT_MONDAY)]


async def test_the_answer_lists_the_desk_booked_again(
    client: AsyncTestClient[Litestar], me: Person, desk: Space, book_desk: BookDesk
) -> None:
    await book_desk(me, desk, NEXT_MONDAY, "morning")
    await client.post(URL, json=NEXT_WEEK)
    body = (await client.delete(URL, params=NEXT_WEEK)).json()
    assert [(b["space_id"], b["day_part"]) for b in body["restored_desk_bookings"]] == [
        (desk.id, "morning")
    ]


async def test_a_desk_taken_since_is_listed_as_not_booked_again_with_the_reason(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    me: Person,
    desk: Space,
    book_desk: BookDesk,
) -> None:
    cancelled = await book_desk(me, desk, NEXT_MONDAY)
    await client.post(URL, json=NEXT_WEEK)
    await book_desk(await make_person(), desk, NEXT_MONDAY)
    body = (await client.delete(URL, params=NEXT_WEEK)).json()
    assert [(item["booking"]["id"], item["error"]) for item in body["desks_not_restored"]] == [
        (cancelled.id, "booking_conflict")
    ]


async def test_a_lead_withdrawing_a_members_absence_books_their_desk_again(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    desk: Space,
    book_desk: BookDesk,
    reported_by_lead: Person,
) -> None:
    await book_desk(reported_by_lead, desk, NEXT_MONDAY)
    await client.post(f"{URL}?person={reported_by_lead.id}", json=NEXT_WEEK)
    await client.delete(URL, params={**NEXT_WEEK, "person": reported_by_lead.id})
    assert await _active_desks(db, reported_by_lead) == [(desk.id, NEXT_MONDAY)]


async def test_desks_stay_cancelled_when_asked(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    me: Person,
    desk: Space,
    book_desk: BookDesk,
) -> None:
    await book_desk(me, desk, NEXT_MONDAY)
    await client.post(URL, json=NEXT_WEEK)
    await client.delete(URL, params={**NEXT_WEEK, "restore_desk_bookings": "false"})
    assert await _active_desks(db, me) == []


async def test_a_desk_its_holder_cancelled_is_not_booked_again(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    me: Person,
    desk: Space,
    book_desk: BookDesk,
) -> None:
    booking = await book_desk(me, desk, NEXT_MONDAY)
    await client.delete(f"/api/bookings/{booking.id}")
    await client.post(URL, json=NEXT_WEEK)
    await client.delete(URL, params=NEXT_WEEK)
    assert await _active_desks(db, me) == []


async def test_the_desks_booked_again_are_confirmed_in_one_mail(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    me: Person,
    desk: Space,
    book_desk: BookDesk,
) -> None:
    await book_desk(me, desk, NEXT_MONDAY)
    await book_desk(me, desk, NEXT_MONDAY + timedelta(days=1))
    await client.post(URL, json=NEXT_WEEK)
    before = len(await outbox(db, "booking_confirmed"))
    await client.delete(URL, params=NEXT_WEEK)
    assert len(await outbox(db, "booking_confirmed")) == before + 1


async def _answer_of(db: AsyncSession, invitation: BookingParticipant) -> str:
    await db.rollback()
    await db.refresh(invitation)
    return invitation.response


async def test_withdrawing_gives_an_accepted_meeting_its_acceptance_back(
    client: AsyncTestClient[Litestar], db: AsyncSession, invite_me: InviteMe
) -> None:
    invitation = await invite_me("accepted")
    await client.post(URL, json=NEXT_WEEK)
    await client.delete(URL, params=NEXT_WEEK)
    assert await _answer_of(db, invitation) == "accepted"


async def test_withdrawing_leaves_a_meeting_not_answered_before_unanswered_again(
    client: AsyncTestClient[Litestar], db: AsyncSession, invite_me: InviteMe
) -> None:
    invitation = await invite_me("pending")
    await client.post(URL, json=NEXT_WEEK)
    await client.delete(URL, params=NEXT_WEEK)
    assert await _answer_of(db, invitation) == "pending"


async def test_a_decline_that_did_not_record_the_earlier_answer_becomes_pending(
    client: AsyncTestClient[Litestar], db: AsyncSession, invite_me: InviteMe
) -> None:
    invitation = await invite_me("accepted")
    await client.post(URL, json=NEXT_WEEK)
    await db.rollback()
    (decline,) = await db.scalars(select(AuditEvent).where(AuditEvent.action == "respond"))
    decline.details = {key: v for key, v in decline.details.items() if key != "previous_response"}
    await db.commit()
    await client.delete(URL, params=NEXT_WEEK)
    assert await _answer_of(db, invitation) == "pending"


async def test_a_meeting_that_has_begun_stays_declined(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    login_as: LoginAs,
    me: Person,
    invite_me: InviteMe,
) -> None:
    invitation = await invite_me("accepted")
    await client.post(URL, json=NEXT_WEEK)
    clock.set(at(NEXT_MONDAY, 10, 30))
    await login_as(me)  # the session of five days before has lapsed
    response = await client.delete(URL, params=NEXT_WEEK)
    assert (response.status_code, await _answer_of(db, invitation)) == (200, "declined")


async def test_a_cancelled_meeting_stays_declined(
    client: AsyncTestClient[Litestar], db: AsyncSession, invite_me: InviteMe
) -> None:
    invitation = await invite_me("accepted")
    await client.post(URL, json=NEXT_WEEK)
    booking = await db.get_one(Booking, invitation.booking_id)
    booking.status = "cancelled"
    await db.commit()
    await client.delete(URL, params=NEXT_WEEK)
    assert await _answer_of(db, invitation) == "declined"


async def test_a_meeting_declined_again_by_oneself_after_the_absence_stays_declined(
    client: AsyncTestClient[Litestar], db: AsyncSession, invite_me: InviteMe
) -> None:
    invitation = await invite_me("accepted")
    answer_url = f"/api/bookings/{invitation.booking_id}/response"
    await client.post(URL, json=NEXT_WEEK)
    await client.post(answer_url, json={"response": "accepted"})
    await client.post(answer_url, json={"response": "declined"})
    await client.delete(URL, params=NEXT_WEEK)
    assert await _answer_of(db, invitation) == "declined"


async def test_a_meeting_on_a_day_not_withdrawn_stays_declined(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    me: Person,
    organiser: Person,
    room: Space,
) -> None:
    tuesday = NEXT_MONDAY + timedelta(days=1)
    invitation = await _invite(db, clock, room, organiser, me, "accepted", tuesday)
    await client.post(URL, json=NEXT_WEEK)
    monday = NEXT_MONDAY.isoformat()
    await client.delete(URL, params={"first": monday, "last": monday})
    assert await _answer_of(db, invitation) == "declined"


async def test_meetings_stay_declined_when_asked(
    client: AsyncTestClient[Litestar], db: AsyncSession, invite_me: InviteMe
) -> None:
    invitation = await invite_me("accepted")
    await client.post(URL, json=NEXT_WEEK)
    await client.delete(URL, params={**NEXT_WEEK, "restore_invitations": "false"})
    assert await _answer_of(db, invitation) == "declined"


async def test_the_organiser_is_told_the_acceptance_is_back(
    client: AsyncTestClient[Litestar], db: AsyncSession, organiser: Person, invite_me: InviteMe
) -> None:
    await invite_me("accepted")
    await client.post(URL, json=NEXT_WEEK)
    await client.delete(URL, params=NEXT_WEEK)
    *_declined, mail = await outbox(db, "meeting_response")
    assert (mail.person_id, json.loads(mail.context)["accepted"]) == (organiser.id, True)


async def test_the_organiser_is_told_a_meeting_not_answered_before_is_no_longer_declined(
    client: AsyncTestClient[Litestar], db: AsyncSession, settings: Settings, invite_me: InviteMe
) -> None:
    await invite_me("pending")
    await client.post(URL, json=NEXT_WEEK)
    await client.delete(URL, params=NEXT_WEEK)
    *_declined, mail = await outbox(db, "meeting_response")
    subject, _body = render_mail(settings, mail.template or "", json.loads(mail.context), "nl")
    assert subject.startswith("Niet langer afgewezen door Sanne Hoekstra")


async def test_the_answer_given_back_is_audited_with_the_withdrawal_as_reason(
    client: AsyncTestClient[Litestar], db: AsyncSession, me: Person, invite_me: InviteMe
) -> None:
    invitation = await invite_me("accepted")
    await client.post(URL, json=NEXT_WEEK)
    await client.delete(URL, params=NEXT_WEEK)
    await db.rollback()
    answers = await db.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "respond", AuditEvent.object_id == str(invitation.booking_id))
        .order_by(AuditEvent.id)
    )
    assert [(event.actor_id, event.details) for event in answers][-1] == (
        me.id,
        {"response": "accepted", "person_id": me.id, "reason": "absence_withdrawn"},
    )


async def test_the_answer_lists_the_meetings_answered_again(
    client: AsyncTestClient[Litestar], invite_me: InviteMe
) -> None:
    invitation = await invite_me("accepted")
    await client.post(URL, json=NEXT_WEEK)
    body = (await client.delete(URL, params=NEXT_WEEK)).json()
    assert [booking["id"] for booking in body["restored_invitations"]] == [invitation.booking_id]


async def test_the_members_mail_says_how_many_meetings_have_their_answer_back(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
    room: Space,
    organiser: Person,
    reported_by_lead: Person,
) -> None:
    await _invite(db, clock, room, organiser, reported_by_lead, "accepted")
    await client.post(f"{URL}?person={reported_by_lead.id}", json=NEXT_WEEK)
    await db.execute(delete(OutboxMail).where(OutboxMail.kind == "absence_reported"))
    await db.commit()
    await client.delete(URL, params={**NEXT_WEEK, "person": reported_by_lead.id})
    _to, _subject, body = await _absence_mail(db, settings)
    assert "Het overleg dat voor de afwezigheid was afgewezen, heeft weer uw eerdere" in body


# --- the page -----------------------------------------------------------------------------


async def test_the_page_reports_the_absence_and_says_how_many_days(
    client: AsyncTestClient[Litestar], me: Person
) -> None:
    response = await client.post(
        "/my-week/absence",
        data={**NEXT_WEEK, "cancel_desk_bookings": "on"},
    )
    assert "5 werkdagen" in response.text


async def test_the_page_names_the_rooms_still_held(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    me: Person,
    room: Space,
) -> None:
    await _room_booking(db, clock, room, me)
    response = await client.post("/my-week/absence", data=NEXT_WEEK)
    assert "Grutto" in response.text


async def test_the_page_says_how_many_invitations_were_declined(
    client: AsyncTestClient[Litestar], invite_me: InviteMe
) -> None:
    await invite_me("pending")
    response = await client.post(
        "/my-week/absence", data={**NEXT_WEEK, "decline_invitations": "on"}
    )
    assert "1 uitnodiging voor een overleg in die periode is afgeslagen" in response.text


async def test_the_page_says_how_many_desks_were_booked_again_after_withdrawing(
    client: AsyncTestClient[Litestar], me: Person, desk: Space, book_desk: BookDesk
) -> None:
    await book_desk(me, desk, NEXT_MONDAY)
    await client.post(URL, json=NEXT_WEEK)
    response = await client.post("/my-week/absence/withdraw", data=NEXT_WEEK)
    assert "1 werkplekreservering die de afwezigheid annuleerde, is opnieuw geboekt." in (
        response.text
    )


async def test_the_page_says_how_many_meetings_have_their_answer_back_after_withdrawing(
    client: AsyncTestClient[Litestar], invite_me: InviteMe
) -> None:
    await invite_me("accepted")
    await client.post(URL, json=NEXT_WEEK)
    response = await client.post("/my-week/absence/withdraw", data=NEXT_WEEK)
    assert "1 uitnodiging voor een overleg die de afwezigheid afsloeg, heeft weer het" in (
        response.text
    )


async def test_the_page_refuses_a_backwards_period_at_its_field_in_dutch(
    client: AsyncTestClient[Litestar], me: Person
) -> None:
    response = await client.post(
        "/my-week/absence", data={"first": "2026-12-04", "last": "2026-11-30"}
    )
    assert response.status_code == 422
    assert 'id="last-error">De laatste dag kan niet voor de eerste liggen.' in response.text


async def test_the_page_refuses_an_empty_date_without_storing_anything(
    client: AsyncTestClient[Litestar], db: AsyncSession, me: Person
) -> None:
    response = await client.post("/my-week/absence", data={"first": "", "last": "2026-11-30"})
    assert (response.status_code, await _entries(db, me.id)) == (422, [])


async def test_the_page_withdraws_an_absence(
    client: AsyncTestClient[Litestar], db: AsyncSession, me: Person
) -> None:
    await client.post(URL, json=NEXT_WEEK)
    response = await client.post("/my-week/absence/withdraw", data=NEXT_WEEK)
    assert "De afwezigheid is van 5 dagen ingetrokken" in response.text
