"""Webhooks: registered by admins, queued with the change, delivered signed to a real
local HTTP receiver, retried with backoff after a failure, and logged."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from datetime import date, timedelta
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import TOMORROW, Run, World, actor, at, desk_booking, room_booking
from tests.conftest import LoginAs, MakePerson
from tests.html_attributes import duplicated_attributes
from tests.stacked_tables import assert_stacks_on_phone, stacked_table
from tests.webhooks.conftest import Receiver, deliver
from werkplek.bookings import services as bookings
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.people.models import Person, Role
from werkplek.presence.days import set_day
from werkplek.presence.models import WorkKind
from werkplek.presence.schemas import DayIn, PartIn
from werkplek.rooms.services import DayPart
from werkplek.webhooks import services as webhooks
from werkplek.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent


def verify(secret: str, header: str, body: bytes, now: float, tolerance: int = 300) -> bool:
    """The receiver's check, as docs/email-and-webhooks.md shows it."""
    fields = dict(part.split("=", 1) for part in header.split(","))
    timestamp = int(fields["t"])
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return abs(now - timestamp) <= tolerance and hmac.compare_digest(
        expected.hexdigest(), fields["v1"]
    )


async def register(
    client: AsyncTestClient[Litestar], url: str, events: list[str] | None = None
) -> Any:
    response = await client.post(
        "/api/webhooks", json={"url": url, "events": events or ["booking.created"]}
    )
    assert response.status_code == 201, response.text
    return response.json()


async def admin(make_person: MakePerson, login_as: LoginAs) -> Person:
    person = await make_person("Ada Admin", roles=(Role.ADMIN,))
    await login_as(person)
    return person


async def _subscribe(
    db: AsyncSession, clock: FixedClock, events: str, url: str = "https://rooster.example.nl/hook"
) -> None:
    db.add(
        WebhookEndpoint(
            url=url,
            secret="s" * 32,
            events=events,
            created_at=clock.now(),
        )
    )
    await db.commit()  # the fixtures read in this session; a booking begins a writer


async def test_a_new_booking_reaches_the_receiver_with_a_valid_signature(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
    world: World,
    receiver: Receiver,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    await admin(make_person, login_as)
    endpoint = await register(client, receiver.url)
    await db.commit()  # the fixtures read in this session; the booking begins a writer
    result = await bookings.create_booking(db, clock, actor(world.anna), desk_booking(world.desk))

    await deliver(db, clock, settings)

    (request,) = receiver.requests
    assert request.headers["Werkplek-Event"] == "booking.created"
    body = json.loads(request.body)
    assert body["data"]["booking_id"] == result.created[0].id
    assert "title" not in body["data"]
    signature = request.headers["Werkplek-Signature"]
    assert verify(endpoint["secret"], signature, request.body, clock.now().timestamp())
    assert not verify("another-secret-entirely", signature, request.body, clock.now().timestamp())


async def test_a_delivery_answered_with_500_is_retried_after_the_backoff_and_logged(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
    world: World,
    receiver: Receiver,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    await admin(make_person, login_as)
    await register(client, receiver.url)
    receiver.answers = [500]
    await db.commit()  # the fixtures read in this session; the booking begins a writer
    await bookings.create_booking(db, clock, actor(world.anna), desk_booking(world.desk))
    await deliver(db, clock, settings)
    clock.advance(timedelta(seconds=30))
    await deliver(db, clock, settings)  # too early for the retry
    failed = (await client.get("/api/webhooks/deliveries")).json()
    clock.advance(timedelta(seconds=30))

    await deliver(db, clock, settings)

    assert len(receiver.requests) == 2
    assert [(d["status"], d["attempts"], d["response_status"]) for d in failed] == [
        ("pending", 1, 500)
    ]
    (done,) = (await client.get("/api/webhooks/deliveries")).json()
    assert (done["status"], done["attempts"], done["response_status"]) == ("delivered", 2, 200)


async def test_the_secret_is_shown_once(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    created = await register(client, "https://rooster.gemeente.example.nl/werkplek")

    listed = (await client.get("/api/webhooks")).json()

    assert len(created["secret"]) >= 32
    assert [set(item) for item in listed] == [set(created) - {"secret"}]


async def test_a_url_that_is_not_http_is_refused_and_nothing_is_stored(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    await admin(make_person, login_as)

    responses = [
        await client.post("/api/webhooks", json={"url": url, "events": ["booking.created"]})
        for url in ("ftp://example.nl/x", "rooster.example.nl", "https://", "https://a b.nl")
    ]

    assert [(r.status_code, r.json()["field"]) for r in responses] == [(422, "url")] * 4
    await db.rollback()
    assert (await db.execute(select(func.count(WebhookEndpoint.id)))).scalar_one() == 0


async def test_the_page_names_a_wrong_url_in_dutch_and_keeps_the_input(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)

    response = await client.post(
        "/admin/webhooks", data={"url": "ftp://example.nl/x", "events": "booking.created"}
    )

    assert response.status_code == 422
    assert "Vul een webadres in dat begint met https://" in response.text
    assert 'value="ftp://example.nl/x"' in response.text


async def test_the_page_refuses_a_url_too_long_instead_of_cutting_it(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    url = "https://hooks.example.nl/" + "x" * 2000

    response = await client.post("/admin/webhooks", data={"url": url, "events": "booking.created"})

    await db.rollback()
    assert (response.status_code, "Vul hoogstens 2000 tekens in." in response.text) == (422, True)
    assert (await db.execute(select(func.count(WebhookEndpoint.id)))).scalar_one() == 0


async def test_the_page_buttons_name_their_endpoint_for_screen_readers(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    await register(client, "https://hooks.example.nl/werkplek")

    page = (await client.get("/admin/webhooks")).text

    assert (
        'Verwijderen<span class="visually-hidden"> https://hooks.example.nl/werkplek</span>' in page
    )


async def test_the_buttons_are_laid_out_inside_their_table_cell_not_as_the_cell(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    await register(client, "https://hooks.example.nl/werkplek")

    page = (await client.get("/admin/webhooks")).text

    # A cell that is itself a flex box drops out of the table row, and the row's border with it.
    assert '<td><div class="webhook-actions">' in page
    assert '<td class="webhook-actions">' not in page


async def test_the_test_button_sends_a_ping(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
    receiver: Receiver,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    await admin(make_person, login_as)
    endpoint = await register(client, receiver.url)

    response = await client.post(f"/admin/webhooks/{endpoint['id']}/test", follow_redirects=False)
    await deliver(db, clock, settings)

    assert response.status_code in (302, 303)
    assert [r.headers["Werkplek-Event"] for r in receiver.requests] == ["ping"]


async def test_a_changed_work_location_is_sent_without_the_absence_reason(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
    receiver: Receiver,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    await admin(make_person, login_as)
    await register(client, receiver.url, ["presence.changed"])
    anna = await make_person("Anna")
    await db.commit()  # the fixtures' reads end: setting the day begins as a writer
    await set_day(
        db,
        clock,
        settings,
        actor(anna),
        anna.id,
        date(2026, 11, 26),
        DayIn(
            parts=[PartIn(day_part=DayPart.DAY, kind=WorkKind.ABSENT, absence_reason="tandarts")]
        ),
    )

    await deliver(db, clock, settings)

    (request,) = receiver.requests
    body = json.loads(request.body)
    assert body["event"] == "presence.changed"
    assert body["data"]["parts"]["morning"] == {"kind": "absent", "site_id": None}
    assert b"tandarts" not in request.body


async def test_an_endpoint_that_cannot_be_sent_to_does_not_hold_up_the_others(
    db: AsyncSession, clock: FixedClock, settings: Settings, receiver: Receiver
) -> None:
    await _subscribe(db, clock, "ping", "https://xn--a.nl/")  # stored before it was refused
    await _subscribe(db, clock, "ping", receiver.url)
    await webhooks.emit(db, clock, WebhookEvent.PING, [{"message": "test"}])

    await deliver(db, clock, settings)

    assert len(receiver.requests) == 1


async def test_a_delivery_that_cannot_be_sent_is_a_failed_attempt_to_retry(
    db: AsyncSession, clock: FixedClock, settings: Settings
) -> None:
    await _subscribe(db, clock, "ping", "https://xn--a.nl/")
    await webhooks.emit(db, clock, WebhookEvent.PING, [{"message": "test"}])

    await deliver(db, clock, settings)

    (delivery,) = (await db.execute(select(WebhookDelivery))).scalars().all()
    assert (delivery.status, delivery.attempts, (delivery.last_error or "").split(":")[0]) == (
        "pending",
        1,
        "InvalidCodepoint",
    )


async def test_a_delivery_to_an_internal_address_is_refused_when_the_setting_forbids_it(
    db: AsyncSession, clock: FixedClock, settings: Settings, receiver: Receiver
) -> None:
    await _subscribe(db, clock, "ping", receiver.url)  # registered while it was allowed
    await webhooks.emit(db, clock, WebhookEvent.PING, [{"message": "test"}])

    await deliver(db, clock, settings.with_changes(webhook_allow_internal=False))

    assert receiver.requests == []


async def test_a_half_day_cleared_by_setting_the_day_again_is_sent_as_null(
    db: AsyncSession, clock: FixedClock, settings: Settings, make_person: MakePerson
) -> None:
    await _subscribe(db, clock, "presence.changed")
    anna = await make_person("Anna")
    await db.commit()  # the fixtures' reads end: setting the day begins as a writer
    day = date(2026, 12, 16)
    absent_and_home = [
        PartIn(day_part=DayPart.MORNING, kind=WorkKind.ABSENT),
        PartIn(day_part=DayPart.AFTERNOON, kind=WorkKind.HOME),
    ]
    await set_day(db, clock, settings, actor(anna), anna.id, day, DayIn(parts=absent_and_home))
    await db.commit()

    afternoon_only = [PartIn(day_part=DayPart.AFTERNOON, kind=WorkKind.ON_LOCATION, area="Noord")]
    await set_day(db, clock, settings, actor(anna), anna.id, day, DayIn(parts=afternoon_only))
    await db.commit()

    payloads = await db.execute(select(WebhookDelivery.payload).order_by(WebhookDelivery.id))
    assert json.loads(payloads.scalars().all()[-1])["data"]["parts"] == {
        "morning": None,
        "afternoon": {"kind": "on_location", "site_id": None},
    }


def test_the_signature_example_rejects_an_old_timestamp() -> None:
    body = b'{"event":"ping"}'
    header = f"t=1000,v1={hmac.new(b'geheim', b'1000.' + body, hashlib.sha256).hexdigest()}"

    assert verify("geheim", header, body, now=1000)
    assert not verify("geheim", header, body, now=time.time())


async def test_bookings_freed_because_their_holder_left_are_announced_as_cancelled(
    db: AsyncSession, clock: FixedClock, world: World
) -> None:
    await _subscribe(db, clock, "booking.cancelled")
    await bookings.create_booking(db, clock, actor(world.anna), desk_booking(world.desk))
    await db.commit()

    await bookings.cancel_bookings_of_leavers(db, clock, [world.anna.id])
    await db.commit()

    events = (await db.execute(select(WebhookDelivery.event))).scalars().all()
    assert events == ["booking.cancelled"]


async def test_the_log_forgets_deliveries_after_thirty_days(
    db: AsyncSession, clock: FixedClock, settings: Settings
) -> None:
    endpoint = WebhookEndpoint(
        url="https://rooster.example.nl/hook",
        secret="s" * 32,
        events="ping",
        created_at=clock.now(),
    )
    db.add(endpoint)
    await db.flush()
    db.add_all(
        WebhookDelivery(
            endpoint_id=endpoint.id,
            event="ping",
            event_id=str(age),
            payload="{}",
            status="delivered",
            next_attempt_at=clock.now(),
            created_at=clock.now() - timedelta(days=age),
        )
        for age in (29, 31)
    )

    await deliver(db, clock, settings)

    ids = (await db.execute(select(WebhookDelivery.event_id))).scalars().all()
    assert ids == ["29"]


async def test_checking_in_is_announced_with_the_booking_checked_in(
    db: AsyncSession, clock: FixedClock, world: World, run: Run
) -> None:
    await _subscribe(db, clock, "booking.checked_in")
    made = await run(bookings.create_booking, clock, actor(world.anna), room_booking(world.room))
    clock.set(at(TOMORROW, 10))

    await run(bookings.check_in, clock, actor(world.anna), made.created[0].id)

    (delivery,) = (await db.execute(select(WebhookDelivery))).scalars().all()
    assert (delivery.event, json.loads(delivery.payload)["data"]["status"]) == (
        "booking.checked_in",
        "checked_in",
    )


async def test_checking_out_is_announced_with_the_new_end(
    db: AsyncSession, clock: FixedClock, world: World, run: Run
) -> None:
    await _subscribe(db, clock, "booking.checked_out")
    made = await run(bookings.create_booking, clock, actor(world.anna), room_booking(world.room))
    clock.set(at(TOMORROW, 10))
    await run(bookings.check_in, clock, actor(world.anna), made.created[0].id)
    clock.set(at(TOMORROW, 10, 45))

    await run(bookings.check_out, clock, actor(world.anna), made.created[0].id)

    (delivery,) = (await db.execute(select(WebhookDelivery))).scalars().all()
    assert json.loads(delivery.payload)["data"]["end"] == at(TOMORROW, 10, 45).isoformat()


async def test_the_page_says_in_dutch_what_each_event_means(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)

    page = (await client.get("/admin/webhooks")).text

    described = r"<code>booking.checked_in</code></label>\s*<p [^>]*>Iemand checkt in</p>"
    assert re.search(described, page)


async def test_the_page_keeps_the_chosen_events_when_it_refuses_the_form(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)

    response = await client.post(
        "/admin/webhooks", data={"url": "ftp://example.nl/x", "events": "booking.approved"}
    )

    assert re.search(r'value="booking.approved"[^>]*checked', response.text)


async def test_the_list_of_webhooks_stacks_on_a_phone(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    await register(client, "https://hooks.example.nl/werkplek")

    table = stacked_table((await client.get("/admin/webhooks")).text, "webhook-list")

    assert "stack-on-phone" in table.classes
    assert table.rows[0][1].attrs["data-label"] == "Gebeurtenissen"


async def test_the_delivery_log_stacks_on_a_phone(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)
    endpoint = await register(client, "https://hooks.example.nl/werkplek")
    await client.post(f"/admin/webhooks/{endpoint['id']}/test")

    assert_stacks_on_phone((await client.get("/admin/webhooks")).text, "webhook-log")


async def _refused_form(client: AsyncTestClient[Litestar]) -> str:
    """The page after a form wrong in every field: the URL, no event, a short secret."""
    response = await client.post(
        "/admin/webhooks",
        data={"url": "ftp://example.nl/x", "description": "Rooster", "secret": "kort"},
    )
    assert response.status_code == 422
    return response.text


async def test_the_page_names_a_wrong_url_missing_events_and_a_short_secret_at_once(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)

    page = await _refused_form(client)

    assert [f'id="{name}-error"' in page for name in ("url", "events", "secret")] == [True] * 3


async def test_the_refused_webhook_form_writes_no_attribute_twice(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)

    assert duplicated_attributes(await _refused_form(client)) == []


async def test_the_page_keeps_the_description_and_secret_when_it_refuses_the_form(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)

    page = await _refused_form(client)

    assert ('value="Rooster"' in page, 'value="kort"' in page) == (True, True)


async def test_the_api_lists_every_wrong_field_of_a_webhook(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)

    response = await client.post(
        "/api/webhooks", json={"url": "rooster.example.nl", "events": [], "secret": "kort"}
    )

    fields = response.json()["details"]["fields"]
    assert [item["field"] for item in fields] == ["url", "events", "secret"]


async def test_the_log_of_a_deleted_endpoint_can_still_be_read(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
    world: World,
    receiver: Receiver,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    await admin(make_person, login_as)
    endpoint = await register(client, receiver.url)
    await db.commit()  # the fixtures read in this session; the booking begins a writer
    await bookings.create_booking(db, clock, actor(world.anna), desk_booking(world.desk))
    await deliver(db, clock, settings)
    await client.delete(f"/api/webhooks/{endpoint['id']}")

    response = await client.get("/api/webhooks/deliveries", params={"endpoint_id": endpoint["id"]})

    assert [d["status"] for d in response.json()] == ["delivered"]


async def test_the_log_of_an_unknown_endpoint_is_404(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await admin(make_person, login_as)

    response = await client.get("/api/webhooks/deliveries", params={"endpoint_id": 999})

    assert response.status_code == 404
