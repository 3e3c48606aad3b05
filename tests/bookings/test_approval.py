"""Rooms that need approval: pending holds the slot until facilities approve or decline."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.bookings.conftest import (
    TOMORROW,
    Book,
    MakeSpace,
    Run,
    World,
    actor,
    all_bookings,
    at,
    room_booking,
)
from tests.conftest import LoginAs, MakePerson
from tests.notifications.conftest import outbox
from werkplek.audit.models import AuditEvent
from werkplek.bookings import services
from werkplek.bookings.models import Booking
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.errors import DomainError
from werkplek.notifications.models import MailKind, OutboxMail
from werkplek.notifications.render import render_mail
from werkplek.people.models import Person, Role
from werkplek.rooms.models import Space
from werkplek.scheduler import JOBS, run_jobs_once
from werkplek.webhooks.models import WebhookDelivery, WebhookEndpoint

Client = AsyncTestClient[Litestar]


@pytest.fixture
async def council_room(world: World, make_space: MakeSpace) -> Space:
    return await make_space(
        world.site, "Raadzaal", kind="meeting_room", capacity=40, requires_approval=True
    )


@pytest.fixture
async def fenna(make_person: MakePerson) -> Person:
    return await make_person("Fenna", roles=(Role.FACILITIES,))


@pytest.fixture
async def request_made(world: World, council_room: Space, book: Book) -> Booking:
    result = await book(world.anna, room_booking(council_room))
    booking: Booking = result.created[0]
    return booking


async def test_facilities_approve_a_request(
    client: Client, request_made: Booking, fenna: Person, login_as: LoginAs
) -> None:
    await login_as(fenna)

    response = await client.post(f"/api/bookings/{request_made.id}/approve")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["sequence"]) == ("confirmed", 1)


async def test_approval_records_who_decided(
    client: Client, request_made: Booking, fenna: Person, login_as: LoginAs, db: AsyncSession
) -> None:
    await login_as(fenna)

    await client.post(f"/api/bookings/{request_made.id}/approve")

    (stored,) = await all_bookings(db)
    assert stored.decided_by_id == fenna.id


async def test_a_declined_request_frees_the_slot(
    request_made: Booking,
    council_room: Space,
    fenna: Person,
    make_person: MakePerson,
    run: Run,
    clock: FixedClock,
    book: Book,
) -> None:
    await run(services.decline_booking, clock, actor(fenna), request_made.id)
    bram = await make_person("Bram")

    result = await book(bram, room_booking(council_room))

    assert result.created[0].status == "pending"


async def test_declining_answers_the_declined_booking(
    client: Client, request_made: Booking, fenna: Person, login_as: LoginAs
) -> None:
    await login_as(fenna)

    response = await client.post(f"/api/bookings/{request_made.id}/decline")

    assert (response.status_code, response.json()["status"]) == (200, "declined")


async def test_a_confirmed_booking_cannot_be_approved_again(
    request_made: Booking, fenna: Person, run: Run, clock: FixedClock
) -> None:
    await run(services.approve_booking, clock, actor(fenna), request_made.id)

    with pytest.raises(DomainError) as info:
        await run(services.approve_booking, clock, actor(fenna), request_made.id)

    assert (info.value.code, info.value.status_code) == ("not_pending", 409)


async def test_a_pending_booking_cannot_be_checked_in(
    request_made: Booking, world: World, run: Run, clock: FixedClock
) -> None:
    clock.set(at(TOMORROW, 10))

    with pytest.raises(DomainError) as info:
        await run(services.check_in, clock, actor(world.anna), request_made.id)

    assert info.value.code == "awaiting_approval"


async def test_a_pending_booking_is_never_released_as_a_no_show(
    request_made: Booking, run: Run, clock: FixedClock
) -> None:
    clock.set(at(TOMORROW, 12))

    released = await run(services.release_no_shows_after, clock, timedelta(minutes=30))

    assert released == []


async def test_an_approved_booking_gets_its_grace_period_from_the_approval(
    request_made: Booking, fenna: Person, run: Run, clock: FixedClock
) -> None:
    clock.set(at(TOMORROW, 10, 20))  # approved 20 minutes after the meeting began
    await run(services.approve_booking, clock, actor(fenna), request_made.id)
    clock.set(at(TOMORROW, 10, 40))

    released = await run(services.release_no_shows_after, clock, timedelta(minutes=30))

    assert released == []


async def test_the_approval_queue_lists_pending_requests(
    client: Client, request_made: Booking, fenna: Person, login_as: LoginAs
) -> None:
    await login_as(fenna)

    response = await client.get("/bookings/approvals")

    assert response.status_code == 200
    assert "Raadzaal" in response.text
    assert f'action="/bookings/{request_made.id}/approve"' in response.text


async def test_approving_from_the_queue_page_redirects_back(
    client: Client, request_made: Booking, fenna: Person, login_as: LoginAs, db: AsyncSession
) -> None:
    await login_as(fenna)

    response = await client.post(f"/bookings/{request_made.id}/approve", follow_redirects=False)

    assert response.status_code in {302, 303}
    assert response.headers["location"].startswith("/bookings/approvals")
    (stored,) = await all_bookings(db)
    assert stored.status == "confirmed"


async def test_the_queue_says_which_request_was_approved(
    client: Client, request_made: Booking, fenna: Person, login_as: LoginAs
) -> None:
    await login_as(fenna)

    response = await client.post(f"/bookings/{request_made.id}/approve")

    assert "Goedgekeurd: Raadzaal, donderdag 26-11-2026, 10:00–11:00." in response.text


async def test_the_queue_says_which_request_was_declined(
    client: Client, request_made: Booking, fenna: Person, login_as: LoginAs
) -> None:
    await login_as(fenna)

    response = await client.post(f"/bookings/{request_made.id}/decline")

    assert "Afgewezen: Raadzaal, donderdag 26-11-2026, 10:00–11:00." in response.text


async def test_the_queue_heads_the_attendee_count_as_number_of_people(
    client: Client, request_made: Booking, fenna: Person, login_as: LoginAs
) -> None:
    await login_as(fenna)

    response = await client.get("/bookings/approvals")

    assert '<th scope="col">Aantal personen</th>' in response.text


async def test_employees_cannot_open_the_approval_queue(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get("/bookings/approvals")

    assert response.status_code == 403


async def test_an_approval_is_announced_to_webhooks(
    request_made: Booking, fenna: Person, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    db.add(
        WebhookEndpoint(
            url="https://rooster.example.nl/hook",
            secret="s" * 32,
            events="booking.approved",
            created_at=clock.now(),
        )
    )
    await db.commit()

    await run(services.approve_booking, clock, actor(fenna), request_made.id)

    (delivery,) = (await db.execute(select(WebhookDelivery))).scalars().all()
    assert json.loads(delivery.payload)["data"]["status"] == "confirmed"


async def test_the_reason_for_declining_goes_into_the_requesters_mail(
    client: Client, request_made: Booking, fenna: Person, login_as: LoginAs, db: AsyncSession
) -> None:
    await login_as(fenna)

    await client.post(
        f"/api/bookings/{request_made.id}/decline", json={"reason": "De zaal is voor de raad."}
    )

    await db.rollback()
    mail = (
        await db.execute(select(OutboxMail).where(OutboxMail.kind == "approval_decision"))
    ).scalar_one()
    assert json.loads(mail.context)["reason"] == "De zaal is voor de raad."


async def test_the_api_names_a_decline_reason_over_300_characters_reason_too_long_at_its_field(
    client: Client, request_made: Booking, fenna: Person, login_as: LoginAs
) -> None:
    await login_as(fenna)

    response = await client.post(
        f"/api/bookings/{request_made.id}/decline", json={"reason": "x" * 301}
    )

    assert (response.status_code, response.json()["error"], response.json()["field"]) == (
        422,
        "reason_too_long",
        "reason",
    )


async def test_the_api_declines_with_a_reason_of_300_characters(
    client: Client, request_made: Booking, fenna: Person, login_as: LoginAs
) -> None:
    await login_as(fenna)

    response = await client.post(
        f"/api/bookings/{request_made.id}/decline", json={"reason": "x" * 300}
    )

    assert (response.status_code, response.json()["status"]) == (200, "declined")


async def test_the_approvals_page_declines_with_the_reason_typed(
    client: Client, request_made: Booking, fenna: Person, login_as: LoginAs, db: AsyncSession
) -> None:
    await login_as(fenna)

    await client.post(f"/bookings/{request_made.id}/decline", data={"reason": "Verbouwing"})

    await db.rollback()
    mail = (
        await db.execute(select(OutboxMail).where(OutboxMail.kind == "approval_decision"))
    ).scalar_one()
    assert json.loads(mail.context)["reason"] == "Verbouwing"


async def test_a_reason_too_long_keeps_the_request_waiting(
    client: Client, request_made: Booking, fenna: Person, login_as: LoginAs, db: AsyncSession
) -> None:
    await login_as(fenna)

    response = await client.post(f"/bookings/{request_made.id}/decline", data={"reason": "x" * 301})

    (stored,) = await all_bookings(db)
    assert (response.status_code, stored.status) == (422, "pending")


# --- requests nobody decided --------------------------------------------------------------

GRACE = timedelta(minutes=30)
LAPSES_AT = at(TOMORROW, 10, 30)  # the meeting begins at 10:00


async def test_a_request_nobody_decided_lapses_when_a_no_show_would_be_released(
    request_made: Booking, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    clock.set(LAPSES_AT)

    await run(services.expire_requests_after, clock, GRACE)

    (stored,) = await all_bookings(db)
    assert (stored.status, stored.decided_by_id) == ("lapsed", None)


async def test_a_request_facilities_declined_is_declined_not_lapsed(
    request_made: Booking, fenna: Person, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    await run(services.decline_booking, clock, actor(fenna), request_made.id)

    (stored,) = await all_bookings(db)
    assert (stored.status, stored.decided_by_id) == ("declined", fenna.id)


@pytest.fixture
async def lapsed(request_made: Booking, run: Run, clock: FixedClock) -> Booking:
    """Anna's request, lapsed: nobody decided it before the job ran at its deadline."""
    clock.set(LAPSES_AT)
    await run(services.expire_requests_after, clock, GRACE)
    return request_made


async def test_the_api_says_a_request_lapsed(
    client: Client, world: World, lapsed: Booking, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get(f"/api/bookings/{lapsed.id}")

    assert response.json()["status"] == "lapsed"


async def test_the_api_finds_lapsed_requests_by_their_status(
    client: Client, world: World, lapsed: Booking, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    found = await client.get("/api/bookings", params={"from": "2026-11-26", "status": "lapsed"})
    declined = await client.get(
        "/api/bookings", params={"from": "2026-11-26", "status": "declined"}
    )

    assert ([b["id"] for b in found.json()], declined.json()) == ([lapsed.id], [])


@pytest.mark.parametrize(
    ("language", "label"),
    [("nl", "Vervallen (niet op tijd beslist)"), ("en", "Lapsed (not decided in time)")],
)
@pytest.mark.usefixtures("lapsed")
async def test_earlier_bookings_show_a_lapsed_request_as_lapsed(
    client: Client, world: World, login_as: LoginAs, language: str, label: str
) -> None:
    world.anna.language = language
    await login_as(world.anna)

    response = await client.get("/bookings/history")

    assert label in response.text


async def test_a_request_stays_open_until_it_lapses(
    request_made: Booking, run: Run, clock: FixedClock
) -> None:
    clock.set(LAPSES_AT - timedelta(seconds=1))

    lapsed = await run(services.expire_requests_after, clock, GRACE)

    assert lapsed == []


async def test_a_request_made_after_its_start_gets_the_grace_period_from_when_it_was_made(
    world: World, council_room: Space, run: Run, clock: FixedClock
) -> None:
    clock.set(at(TOMORROW, 10, 10))  # the meeting began at 10:00
    await run(services.create_booking, clock, actor(world.anna), room_booking(council_room))
    clock.set(at(TOMORROW, 10, 39))

    lapsed = await run(services.expire_requests_after, clock, GRACE)

    assert lapsed == []


async def test_a_request_that_ends_before_its_grace_period_lapses_at_its_end(
    world: World, council_room: Space, run: Run, clock: FixedClock
) -> None:
    await run(
        services.create_booking,
        clock,
        actor(world.anna),
        room_booking(council_room, start=(10, 0), end=(10, 15)),
    )
    clock.set(at(TOMORROW, 10, 15))

    lapsed = await run(services.expire_requests_after, clock, GRACE)

    assert len(lapsed) == 1


async def test_a_lapsed_request_frees_its_slot(
    request_made: Booking,
    council_room: Space,
    make_person: MakePerson,
    run: Run,
    clock: FixedClock,
) -> None:
    clock.set(LAPSES_AT)
    await run(services.expire_requests_after, clock, GRACE)
    bram = await make_person("Bram")

    result = await run(
        services.create_booking,
        clock,
        actor(bram),
        room_booking(council_room, start=(10, 30), end=(11, 0)),
    )

    assert len(result.created) == 1


async def test_the_requester_is_told_that_the_request_lapsed(
    request_made: Booking, run: Run, clock: FixedClock, db: AsyncSession, settings: Settings
) -> None:
    clock.set(LAPSES_AT)

    await run(services.expire_requests_after, clock, GRACE)

    await db.rollback()
    mail = (
        await db.execute(select(OutboxMail).where(OutboxMail.kind == "approval_decision"))
    ).scalar_one()
    subject, body = render_mail(settings, "approval_decision", json.loads(mail.context), "nl")
    assert subject == "Vervallen: Raadzaal (Stadskantoor), do 26 november, 10:00–11:00"
    assert "Facilitair heeft niet op tijd over uw aanvraag beslist;" in body


async def test_a_lapsed_request_is_audited_without_an_actor(
    request_made: Booking, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    clock.set(LAPSES_AT)

    await run(services.expire_requests_after, clock, GRACE)

    await db.rollback()
    event = (
        await db.execute(select(AuditEvent).where(AuditEvent.action == "decline"))
    ).scalar_one()
    assert (event.actor_id, event.details) == (None, {"reason": "lapsed"})


async def test_the_approval_queue_leaves_out_requests_that_lapsed(
    client: Client, request_made: Booking, fenna: Person, login_as: LoginAs, clock: FixedClock
) -> None:
    clock.set(LAPSES_AT)  # before the job has run
    await login_as(fenna)

    response = await client.get("/bookings/approvals")

    assert f'action="/bookings/{request_made.id}/approve"' not in response.text


async def test_the_scheduler_lets_requests_lapse(
    request_made: Booking,
    clock: FixedClock,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    db: AsyncSession,
) -> None:
    clock.set(LAPSES_AT)

    await run_jobs_once(sessionmaker, clock, settings, JOBS)

    (stored,) = await all_bookings(db)
    assert stored.status == "lapsed"


async def test_the_queue_page_says_why_a_reason_too_long_is_refused(
    client: Client, request_made: Booking, fenna: Person, login_as: LoginAs
) -> None:
    await login_as(fenna)

    response = await client.post(f"/bookings/{request_made.id}/decline", data={"reason": "x" * 301})

    assert "Te lang: hoogstens 300 tekens." in response.text


async def test_approving_a_request_decided_already_from_the_queue_page_says_why_with_409(
    client: Client,
    request_made: Booking,
    fenna: Person,
    login_as: LoginAs,
    run: Run,
    clock: FixedClock,
) -> None:
    await run(services.approve_booking, clock, actor(fenna), request_made.id)
    await login_as(fenna)

    response = await client.post(f"/bookings/{request_made.id}/approve")

    assert response.status_code == 409
    assert "Deze reservering wacht niet op goedkeuring." in response.text


async def test_the_home_page_of_facilities_says_how_many_requests_wait(
    client: Client, request_made: Booking, fenna: Person, login_as: LoginAs
) -> None:
    await login_as(fenna)

    page = (await client.get("/")).text

    assert "1 aanvraag wacht op uw besluit" in page
    assert 'href="/bookings/approvals">Goedkeuren of afwijzen</a>' in page


async def test_the_home_page_counts_no_request_that_lapsed(
    client: Client,
    request_made: Booking,
    fenna: Person,
    login_as: LoginAs,
    clock: FixedClock,
    settings: Settings,
) -> None:
    await login_as(fenna)
    clock.set(request_made.start_at + settings.no_show_grace)

    page = (await client.get("/")).text

    assert "wacht op uw besluit" not in page


async def test_the_home_page_of_an_employee_says_nothing_of_requests(
    client: Client, request_made: Booking, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    page = (await client.get("/")).text

    assert "wacht op uw besluit" not in page


# --- the participants of a request ---------------------------------------------------------


@pytest.fixture
async def guest(make_person: MakePerson) -> Person:
    return await make_person("Gerrit Gast")


@pytest.fixture
async def meeting_requested(
    world: World, council_room: Space, book: Book, guest: Person
) -> Booking:
    """Anna's request for the Raadzaal tomorrow 10:00-11:00, with Gerrit invited."""
    result = await book(world.anna, room_booking(council_room, participants=[guest.id]))
    booking: Booking = result.created[0]
    return booking


Calendars = list[tuple[str | None, str]]
Decide = Callable[[str], Awaitable[Calendars]]


async def _guests_calendars(db: AsyncSession, guest: Person) -> Calendars:
    """Each meeting mail Gerrit got: its template and its (one) calendar file."""
    mails = await outbox(db, MailKind.MEETING_INVITATION.value)
    return [
        (m.template, m.attachments[0].content.decode()) for m in mails if m.person_id == guest.id
    ]


async def test_a_requests_participants_are_invited_to_a_tentative_event(
    meeting_requested: Booking, db: AsyncSession, guest: Person
) -> None:
    ((_template, calendar),) = await _guests_calendars(db, guest)

    assert "STATUS:TENTATIVE" in calendar


@pytest.fixture
def decided(
    meeting_requested: Booking,
    fenna: Person,
    run: Run,
    clock: FixedClock,
    db: AsyncSession,
    guest: Person,
) -> Decide:
    """The request ends ``approved`` or ``declined`` by Fenna, or ``lapsed``; returns
    Gerrit's meeting mails by then."""

    async def decide(how: str) -> Calendars:
        if how == "lapsed":
            clock.set(LAPSES_AT)
            await run(services.expire_requests_after, clock, GRACE)
        else:
            deciding = services.approve_booking if how == "approved" else services.decline_booking
            await run(deciding, clock, actor(fenna), meeting_requested.id)
        return await _guests_calendars(db, guest)

    return decide


async def test_approving_a_request_sends_its_participants_the_confirmed_invitation(
    decided: Decide,
) -> None:
    _invitation, (template, calendar) = await decided("approved")

    assert (template, "METHOD:REQUEST" in calendar, "STATUS:CONFIRMED" in calendar) == (
        "meeting_confirmed",
        True,
        True,
    )


async def test_the_confirmed_invitation_raises_the_sequence(decided: Decide) -> None:
    (_, invited), (_, confirmed) = await decided("approved")

    assert ("SEQUENCE:0" in invited, "SEQUENCE:1" in confirmed) == (True, True)


@pytest.mark.parametrize("ending", ["declined", "lapsed"])
async def test_a_declined_or_lapsed_request_sends_its_participants_the_cancellation(
    decided: Decide, ending: str
) -> None:
    _invitation, (template, calendar) = await decided(ending)

    assert (template, "METHOD:CANCEL" in calendar) == ("meeting_cancelled", True)
