"""Moving a desk booking to another desk: the old one is cancelled only if the new one is
booked; once checked in and under way, the old one is checked out and the new one booked,
checked in, for the rest of its time. Whoever may cancel a booking may move it until it is
checked in; a checked-in one only its holder and facilities, who may check it out."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import (
    TODAY,
    TOMORROW,
    Book,
    MakeSpace,
    Run,
    World,
    actor,
    all_bookings,
    at,
    desk_booking,
    room_booking,
)
from tests.conftest import LoginAs, MakePerson
from tests.notifications.conftest import outbox
from werkplek.audit.models import AuditEvent
from werkplek.bookings import services
from werkplek.bookings.services import BookingConflict, BookingRuleBroken
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.errors import Forbidden
from werkplek.notifications.models import OutboxMail
from werkplek.notifications.render import render_mail
from werkplek.people.models import Person, Role
from werkplek.webhooks.models import WebhookDelivery, WebhookEndpoint

Client = AsyncTestClient[Litestar]


async def _annas_morning(world: World, run: Run, clock: FixedClock) -> int:
    made = await run(services.create_booking, clock, actor(world.anna), desk_booking(world.desk))
    booking_id: int = made.created[0].id
    return booking_id


async def test_moving_books_the_other_desk_for_the_same_day_part(
    world: World, run: Run, clock: FixedClock
) -> None:
    booking_id = await _annas_morning(world, run, clock)

    moved = await run(
        services.move_desk_booking, clock, actor(world.anna), booking_id, world.desk2.id
    )

    (new,) = moved.created
    assert (new.space_id, new.day_part, new.booked_for_id) == (
        world.desk2.id,
        "morning",
        world.anna.id,
    )


async def test_moving_cancels_the_old_booking(
    world: World, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    booking_id = await _annas_morning(world, run, clock)

    await run(services.move_desk_booking, clock, actor(world.anna), booking_id, world.desk2.id)

    statuses = {b.space_id: b.status for b in await all_bookings(db)}
    assert statuses == {world.desk.id: "cancelled", world.desk2.id: "confirmed"}


async def test_a_move_to_a_taken_desk_keeps_the_old_booking(
    world: World, run: Run, clock: FixedClock, db: AsyncSession, make_person: MakePerson, book: Book
) -> None:
    booking_id = await _annas_morning(world, run, clock)
    bram = await make_person("Bram")
    await book(bram, desk_booking(world.desk2))

    with pytest.raises(BookingConflict):
        await run(services.move_desk_booking, clock, actor(world.anna), booking_id, world.desk2.id)

    statuses = {b.booked_for_id: b.status for b in await all_bookings(db)}
    assert statuses == {world.anna.id: "confirmed", bram.id: "confirmed"}


async def test_moving_to_the_same_desk_is_refused(
    world: World, run: Run, clock: FixedClock
) -> None:
    booking_id = await _annas_morning(world, run, clock)

    with pytest.raises(BookingRuleBroken) as refused:
        await run(services.move_desk_booking, clock, actor(world.anna), booking_id, world.desk.id)

    assert (refused.value.code, refused.value.field) == ("same_desk", "space_id")


async def test_a_room_booking_cannot_move_to_a_desk(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    made = await book(world.anna, room_booking(world.room))

    with pytest.raises(BookingRuleBroken) as refused:
        await run(
            services.move_desk_booking, clock, actor(world.anna), made.created[0].id, world.desk.id
        )

    assert refused.value.code == "not_a_desk_booking"


async def test_a_desk_booking_cannot_move_to_a_room(
    world: World, run: Run, clock: FixedClock
) -> None:
    booking_id = await _annas_morning(world, run, clock)

    with pytest.raises(BookingRuleBroken) as refused:
        await run(services.move_desk_booking, clock, actor(world.anna), booking_id, world.room.id)

    assert (refused.value.code, refused.value.field) == ("not_a_desk", "space_id")


async def test_the_api_answers_the_new_booking(
    client: Client, world: World, login_as: LoginAs, run: Run, clock: FixedClock
) -> None:
    booking_id = await _annas_morning(world, run, clock)
    await login_as(world.anna)

    response = await client.post(
        f"/api/bookings/{booking_id}/move", json={"space_id": world.desk2.id}
    )

    assert response.status_code == 201
    assert (response.json()["space_id"], response.json()["date"]) == (
        world.desk2.id,
        TOMORROW.isoformat(),
    )


async def test_a_colleague_cannot_move_someone_elses_booking(
    client: Client,
    world: World,
    login_as: LoginAs,
    run: Run,
    clock: FixedClock,
    make_person: MakePerson,
) -> None:
    booking_id = await _annas_morning(world, run, clock)
    await login_as(await make_person("Bram"))

    response = await client.post(
        f"/api/bookings/{booking_id}/move", json={"space_id": world.desk2.id}
    )

    assert response.status_code == 404


async def test_the_desk_page_offers_to_move_to_a_free_desk(
    client: Client, world: World, login_as: LoginAs, run: Run, clock: FixedClock
) -> None:
    booking_id = await _annas_morning(world, run, clock)
    await login_as(world.anna)

    response = await client.get(
        "/book/desk",
        params={"site": world.site.id, "date": TOMORROW.isoformat(), "day_part": "morning"},
    )

    assert f'name="moving" value="{booking_id}"' in response.text
    assert f'name="move_to" value="{world.desk2.id}"' in response.text


async def test_moving_from_the_desk_page(
    client: Client, world: World, login_as: LoginAs, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    booking_id = await _annas_morning(world, run, clock)
    headers = await login_as(world.anna)

    await client.post("/book/desk", data=_move_form(world, headers["X-CSRF-Token"], booking_id))

    active = [b.space_id for b in await all_bookings(db) if b.status == "confirmed"]
    assert active == [world.desk2.id]


def _move_form(world: World, csrf: str, booking_id: int) -> dict[str, str]:
    return {
        "_csrf": csrf,
        "site": str(world.site.id),
        "date": TOMORROW.isoformat(),
        "day_part": "morning",
        "moving": str(booking_id),
        "move_to": str(world.desk2.id),
    }


@pytest.mark.parametrize("htmx", [False, True], ids=["plain form", "htmx"])
async def test_the_desk_page_says_where_the_booking_moved(
    client: Client, world: World, login_as: LoginAs, run: Run, clock: FixedClock, htmx: bool
) -> None:
    booking_id = await _annas_morning(world, run, clock)
    headers = await login_as(world.anna)

    response = await client.post(
        "/book/desk",
        data=_move_form(world, headers["X-CSRF-Token"], booking_id),
        headers={"HX-Request": "true"} if htmx else {},
    )

    assert "Verplaatst naar Flexplek 1.02." in response.text


# --- moving a booking one is checked in on --------------------------------------------------


async def _annas_checked_in(
    world: World, run: Run, clock: FixedClock, part: str = "morning"
) -> int:
    """Anna's desk today (the morning: 07:30-13:00), checked in at 08:00."""
    clock.set(at(TODAY, 8))
    made = await run(
        services.create_booking, clock, actor(world.anna), desk_booking(world.desk, TODAY, part)
    )
    booking_id: int = made.created[0].id
    await run(services.check_in, clock, actor(world.anna), booking_id)
    return booking_id


async def _move_at(
    world: World, run: Run, clock: FixedClock, booking_id: int, when: datetime
) -> services.BookingResult:
    clock.set(when)
    moved: services.BookingResult = await run(
        services.move_desk_booking, clock, actor(world.anna), booking_id, world.desk2.id
    )
    return moved


async def test_moving_a_checked_in_booking_checks_the_old_one_out_at_the_minute_of_the_move(
    world: World, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    booking_id = await _annas_checked_in(world, run, clock)

    await _move_at(world, run, clock, booking_id, at(TODAY, 10, 5).replace(second=42))

    old = next(b for b in await all_bookings(db) if b.id == booking_id)
    assert (old.status, old.checked_in_at, old.end_at) == (
        "checked_in",
        at(TODAY, 8),
        at(TODAY, 10, 5),
    )


async def test_a_checked_in_booking_moves_from_the_minute_of_the_move_to_the_old_end(
    world: World, run: Run, clock: FixedClock
) -> None:
    booking_id = await _annas_checked_in(world, run, clock)

    moved = await _move_at(world, run, clock, booking_id, at(TODAY, 10, 5).replace(second=42))

    (new,) = moved.created
    assert (new.space_id, new.start_at, new.end_at) == (
        world.desk2.id,
        at(TODAY, 10, 5),
        at(TODAY, 13),
    )


async def test_the_desk_a_checked_in_booking_moves_to_is_checked_in_at_the_move(
    world: World, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    booking_id = await _annas_checked_in(world, run, clock)

    await _move_at(world, run, clock, booking_id, at(TODAY, 10, 5))

    new = next(b for b in await all_bookings(db) if b.space_id == world.desk2.id)
    assert (new.status, new.checked_in_at) == ("checked_in", at(TODAY, 10, 5))


async def test_a_booking_moved_while_checked_in_is_not_released_as_a_no_show(
    world: World, run: Run, clock: FixedClock
) -> None:
    booking_id = await _annas_checked_in(world, run, clock)
    await _move_at(world, run, clock, booking_id, at(TODAY, 10))
    clock.set(at(TODAY, 11))

    released = await run(services.release_no_shows_after, clock, timedelta(minutes=15))

    assert released == []


async def test_a_whole_day_moved_in_the_afternoon_is_an_afternoon_on_the_new_desk(
    world: World, run: Run, clock: FixedClock
) -> None:
    booking_id = await _annas_checked_in(world, run, clock, "day")

    moved = await _move_at(world, run, clock, booking_id, at(TODAY, 14))

    assert moved.created[0].day_part == "afternoon"


async def test_a_booking_checked_in_before_it_begins_is_cancelled_and_moves_checked_in(
    world: World, run: Run, clock: FixedClock, db: AsyncSession, book: Book
) -> None:
    clock.set(at(TODAY, 12, 40))
    made = await book(world.anna, desk_booking(world.desk, TODAY, "afternoon"))
    await run(services.check_in, clock, actor(world.anna), made.created[0].id)

    await _move_at(world, run, clock, made.created[0].id, at(TODAY, 12, 45))

    statuses = {b.space_id: b.status for b in await all_bookings(db)}
    assert statuses == {world.desk.id: "cancelled", world.desk2.id: "checked_in"}


async def test_a_checked_in_booking_cannot_move_to_a_desk_that_needs_approval(
    world: World, run: Run, clock: FixedClock, make_space: MakeSpace
) -> None:
    booking_id = await _annas_checked_in(world, run, clock)
    guarded = await make_space(world.site, "Flexplek 1.04", requires_approval=True)
    clock.set(at(TODAY, 10))

    with pytest.raises(BookingRuleBroken) as refused:
        await run(services.move_desk_booking, clock, actor(world.anna), booking_id, guarded.id)

    assert (refused.value.code, refused.value.field) == ("needs_approval", "space_id")


async def test_a_refused_move_of_a_checked_in_booking_leaves_it_as_it_was(
    world: World, run: Run, clock: FixedClock, db: AsyncSession, make_person: MakePerson, book: Book
) -> None:
    booking_id = await _annas_checked_in(world, run, clock)
    bram = await make_person("Bram")
    await book(bram, desk_booking(world.desk2, TODAY))

    with pytest.raises(BookingConflict):
        await _move_at(world, run, clock, booking_id, at(TODAY, 10))

    old = next(b for b in await all_bookings(db) if b.id == booking_id)
    assert (old.status, old.end_at) == ("checked_in", at(TODAY, 13))


async def test_moving_a_checked_in_booking_tells_webhooks_checked_out_created_checked_in(
    world: World, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    booking_id = await _annas_checked_in(world, run, clock)
    db.add(
        WebhookEndpoint(
            url="https://rooster.example.nl/hook",
            secret="s" * 32,
            events="booking.created,booking.cancelled,booking.checked_in,booking.checked_out",
            created_at=clock.now(),
        )
    )
    await db.commit()

    await _move_at(world, run, clock, booking_id, at(TODAY, 10))

    await db.rollback()
    events = await db.execute(select(WebhookDelivery.event).order_by(WebhookDelivery.id))
    assert events.scalars().all() == [
        "booking.checked_out",
        "booking.created",
        "booking.checked_in",
    ]


async def test_moving_a_checked_in_booking_mails_the_new_desk_and_no_cancellation(
    world: World, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    booking_id = await _annas_checked_in(world, run, clock)
    await db.rollback()
    before = (await db.execute(select(func.coalesce(func.max(OutboxMail.id), 0)))).scalar_one()

    await _move_at(world, run, clock, booking_id, at(TODAY, 10))

    await db.rollback()
    kinds = await db.execute(select(OutboxMail.kind).where(OutboxMail.id > before))
    assert kinds.scalars().all() == ["booking_confirmed"]


async def test_the_api_moves_a_checked_in_booking_from_the_minute_of_the_move(
    client: Client, world: World, login_as: LoginAs, run: Run, clock: FixedClock
) -> None:
    booking_id = await _annas_checked_in(world, run, clock)
    clock.set(at(TODAY, 10, 5))
    await login_as(world.anna)

    response = await client.post(
        f"/api/bookings/{booking_id}/move", json={"space_id": world.desk2.id}
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], datetime.fromisoformat(body["start"])) == (
        "checked_in",
        at(TODAY, 10, 5),
    )


async def test_after_a_move_while_checked_in_the_desk_page_offers_to_move_the_new_booking(
    client: Client, world: World, login_as: LoginAs, run: Run, clock: FixedClock
) -> None:
    booking_id = await _annas_checked_in(world, run, clock)
    moved = await _move_at(world, run, clock, booking_id, at(TODAY, 10))
    await login_as(world.anna)

    response = await client.get(
        "/book/desk",
        params={"site": world.site.id, "date": TODAY.isoformat(), "day_part": "morning"},
    )

    assert f'name="moving" value="{moved.created[0].id}"' in response.text


async def test_a_booking_checked_out_is_not_offered_to_move(
    client: Client, world: World, login_as: LoginAs, run: Run, clock: FixedClock
) -> None:
    booking_id = await _annas_checked_in(world, run, clock)
    clock.set(at(TODAY, 10))
    await run(services.check_out, clock, actor(world.anna), booking_id)
    await login_as(world.anna)

    response = await client.get(
        "/book/desk",
        params={"site": world.site.id, "date": TODAY.isoformat(), "day_part": "morning"},
    )

    assert 'name="moving"' not in response.text


# --- who may move -------------------------------------------------------------------------


async def _booked_by_karim(world: World, run: Run, clock: FixedClock, karim: Person) -> int:
    """Anna's desk today (the morning: 07:30-13:00) that Karim booked for her; the clock
    at 08:00. Its id."""
    clock.set(at(TODAY, 8))
    made = await run(
        services.create_booking,
        clock,
        actor(karim),
        desk_booking(world.desk, TODAY, booked_for_id=world.anna.id),
    )
    booking_id: int = made.created[0].id
    return booking_id


async def test_whoever_booked_for_a_colleague_may_move_it_before_check_in(
    world: World, run: Run, clock: FixedClock, karim: Person
) -> None:
    booking_id = await _booked_by_karim(world, run, clock, karim)

    moved = await run(services.move_desk_booking, clock, actor(karim), booking_id, world.desk2.id)

    assert moved.created[0].space_id == world.desk2.id


async def test_whoever_booked_for_a_colleague_cannot_move_it_once_checked_in(
    world: World, run: Run, clock: FixedClock, karim: Person
) -> None:
    booking_id = await _booked_by_karim(world, run, clock, karim)
    await run(services.check_in, clock, actor(world.anna), booking_id)

    with pytest.raises(Forbidden) as refused:
        await run(services.move_desk_booking, clock, actor(karim), booking_id, world.desk2.id)

    assert (refused.value.code, refused.value.field) == ("not_the_holder", "booking")


async def test_a_booking_checked_in_before_it_begins_moves_only_by_its_holder_or_facilities(
    world: World, run: Run, clock: FixedClock, karim: Person, book: Book
) -> None:
    clock.set(at(TODAY, 12, 40))
    made = await book(
        karim, desk_booking(world.desk, TODAY, "afternoon", booked_for_id=world.anna.id)
    )
    await run(services.check_in, clock, actor(world.anna), made.created[0].id)

    with pytest.raises(Forbidden):
        await run(
            services.move_desk_booking, clock, actor(karim), made.created[0].id, world.desk2.id
        )


async def test_a_refused_move_of_someone_elses_checked_in_booking_leaves_it_as_it_was(
    world: World, run: Run, clock: FixedClock, db: AsyncSession, karim: Person
) -> None:
    booking_id = await _booked_by_karim(world, run, clock, karim)
    await run(services.check_in, clock, actor(world.anna), booking_id)
    clock.set(at(TODAY, 10))

    with pytest.raises(Forbidden):
        await run(services.move_desk_booking, clock, actor(karim), booking_id, world.desk2.id)

    (booking,) = await all_bookings(db)
    assert (booking.space_id, booking.status, booking.end_at) == (
        world.desk.id,
        "checked_in",
        at(TODAY, 13),
    )


async def test_facilities_move_a_checked_in_booking(
    world: World, run: Run, clock: FixedClock, make_person: MakePerson
) -> None:
    booking_id = await _annas_checked_in(world, run, clock)
    fenna = await make_person("Fenna", roles=(Role.FACILITIES,))
    clock.set(at(TODAY, 10))

    moved = await run(services.move_desk_booking, clock, actor(fenna), booking_id, world.desk2.id)

    assert (moved.created[0].space_id, moved.created[0].status) == (world.desk2.id, "checked_in")


async def test_the_api_refuses_moving_someone_elses_checked_in_booking_with_403_saying_why(
    client: Client, world: World, login_as: LoginAs, run: Run, clock: FixedClock, karim: Person
) -> None:
    booking_id = await _booked_by_karim(world, run, clock, karim)
    await run(services.check_in, clock, actor(world.anna), booking_id)
    await login_as(karim)

    response = await client.post(
        f"/api/bookings/{booking_id}/move", json={"space_id": world.desk2.id}
    )

    assert response.status_code == 403
    assert response.json() == {
        "error": "not_the_holder",
        "message": "Alleen degene voor wie de reservering is, of Facilitair, kan haar "
        "verplaatsen zodra er is ingecheckt.",
        "field": "booking",
    }


# --- moving a colleague's desk booking from the desk page ----------------------------------


@dataclass(frozen=True)
class Mover:
    """Anna's desk booking for tomorrow morning, and the CSRF token of whoever is logged in
    to move it."""

    booking_id: int
    csrf: str


@pytest.fixture
async def fenna_logged_in(
    world: World, run: Run, clock: FixedClock, login_as: LoginAs, make_person: MakePerson
) -> Mover:
    """Fenna of facilities, who may move Anna's booking."""
    booking_id = await _annas_morning(world, run, clock)
    headers = await login_as(await make_person("Fenna Facilitair", roles=(Role.FACILITIES,)))
    return Mover(booking_id, headers["X-CSRF-Token"])


@pytest.fixture
async def karim_logged_in(
    world: World, run: Run, clock: FixedClock, login_as: LoginAs, karim: Person
) -> Mover:
    """Karim of the KCC, who books for anyone but did not book Anna's desk, so may not
    cancel or move it."""
    booking_id = await _annas_morning(world, run, clock)
    headers = await login_as(karim)
    return Mover(booking_id, headers["X-CSRF-Token"])


async def _desk_page_for_anna(client: Client, world: World) -> str:
    """Werkplek boeken for tomorrow morning, booking for Anna."""
    response = await client.get(
        "/book/desk",
        params={
            "site": world.site.id,
            "date": TOMORROW.isoformat(),
            "day_part": "morning",
            "booked_for_id": world.anna.id,
        },
    )
    return response.text


async def test_booking_for_a_colleague_the_desk_page_names_the_desk_they_hold(
    client: Client, world: World, fenna_logged_in: Mover
) -> None:
    page = await _desk_page_for_anna(client, world)

    assert "Anna de Vries heeft voor dit dagdeel al een werkplek: Flexplek 1.01." in page


async def test_facilities_booking_for_a_colleague_are_offered_to_move_their_desk(
    client: Client, world: World, fenna_logged_in: Mover
) -> None:
    page = await _desk_page_for_anna(client, world)

    assert f'name="moving" value="{fenna_logged_in.booking_id}"' in page
    assert f'name="move_to" value="{world.desk2.id}"' in page


async def test_the_desk_page_offers_no_booking_for_a_colleague_who_holds_a_desk(
    client: Client, world: World, fenna_logged_in: Mover
) -> None:
    page = await _desk_page_for_anna(client, world)

    assert f'name="space_id" value="{world.desk2.id}"' not in page


async def test_a_refused_booking_for_a_colleague_who_holds_a_desk_offers_to_move_it(
    client: Client, world: World, fenna_logged_in: Mover
) -> None:
    response = await client.post(
        "/book/desk",
        data={
            "_csrf": fenna_logged_in.csrf,
            "site": str(world.site.id),
            "date": TOMORROW.isoformat(),
            "day_part": "morning",
            "booked_for_id": str(world.anna.id),
            "space_id": str(world.desk2.id),
        },
    )

    assert response.status_code == 422  # already_has_desk, as the API answers
    assert f'name="moving" value="{fenna_logged_in.booking_id}"' in response.text


async def test_facilities_move_a_colleagues_desk_booking_from_the_desk_page(
    client: Client, world: World, db: AsyncSession, fenna_logged_in: Mover
) -> None:
    response = await client.post(
        "/book/desk",
        data=_move_form(world, fenna_logged_in.csrf, fenna_logged_in.booking_id)
        | {"booked_for_id": str(world.anna.id)},
    )

    assert "Verplaatst naar Flexplek 1.02." in response.text
    active = [
        (b.space_id, b.booked_for_id) for b in await all_bookings(db) if b.status == "confirmed"
    ]
    assert active == [(world.desk2.id, world.anna.id)]


async def test_the_holder_of_a_desk_facilities_moved_from_the_page_gets_a_mail_naming_them(
    client: Client, world: World, db: AsyncSession, settings: Settings, fenna_logged_in: Mover
) -> None:
    before = len(await outbox(db))

    await client.post(
        "/book/desk", data=_move_form(world, fenna_logged_in.csrf, fenna_logged_in.booking_id)
    )

    (mail,) = (await outbox(db))[before:]
    body = render_mail(settings, "booking_moved", json.loads(mail.context), mail.language)[1]
    assert mail.person_id == world.anna.id
    assert "Facilitair (Fenna Facilitair) heeft uw reservering verplaatst" in body


async def test_booking_for_a_colleague_one_may_not_move_for_offers_no_move(
    client: Client, world: World, karim_logged_in: Mover
) -> None:
    page = await _desk_page_for_anna(client, world)

    assert 'name="move_to"' not in page
    assert "U kunt deze reservering niet verplaatsen." in page


async def test_the_desk_page_refuses_a_move_by_one_who_may_not_cancel_the_booking(
    client: Client, world: World, db: AsyncSession, karim_logged_in: Mover
) -> None:
    response = await client.post(
        "/book/desk", data=_move_form(world, karim_logged_in.csrf, karim_logged_in.booking_id)
    )

    assert response.status_code == 404
    assert "Deze reservering bestaat niet." in response.text
    (booking,) = await all_bookings(db)
    assert (booking.space_id, booking.status) == (world.desk.id, "confirmed")


async def _annas_whole_day_seen_in_the_morning(
    client: Client, world: World, run: Run, clock: FixedClock, booked_for: Person | None = None
) -> str:
    """Werkplek boeken for tomorrow morning while Anna holds a desk for the whole day."""
    await run(
        services.create_booking, clock, actor(world.anna), desk_booking(world.desk, part="day")
    )
    params = {"site": world.site.id, "date": TOMORROW.isoformat(), "day_part": "morning"}
    if booked_for is not None:
        params["booked_for_id"] = booked_for.id
    return (await client.get("/book/desk", params=params)).text


async def test_the_desk_page_says_which_day_part_moves_ones_whole_day_booking(
    client: Client, world: World, login_as: LoginAs, run: Run, clock: FixedClock
) -> None:
    await login_as(world.anna)

    page = await _annas_whole_day_seen_in_the_morning(client, world, run, clock)

    assert "Om die te verplaatsen, kies „Hele dag”: daarvoor is die gereserveerd." in page


async def test_facilities_are_told_which_day_part_moves_a_colleagues_whole_day_booking(
    client: Client,
    world: World,
    login_as: LoginAs,
    run: Run,
    clock: FixedClock,
    make_person: MakePerson,
) -> None:
    await login_as(await make_person("Fenna Facilitair", roles=(Role.FACILITIES,)))

    page = await _annas_whole_day_seen_in_the_morning(client, world, run, clock, world.anna)

    assert "kies „Hele dag”" in page


async def test_one_who_may_not_move_a_colleagues_booking_is_not_told_how_to(
    client: Client, world: World, login_as: LoginAs, run: Run, clock: FixedClock, karim: Person
) -> None:
    await login_as(karim)

    page = await _annas_whole_day_seen_in_the_morning(client, world, run, clock, world.anna)

    assert "Om die te verplaatsen" not in page


# --- why a booking moved, and the audit log ------------------------------------------------


async def _fenna_moves_by_api(client: Client, world: World, mover: Mover, reason: str) -> Any:
    return await client.post(
        f"/api/bookings/{mover.booking_id}/move",
        json={"space_id": world.desk2.id, "reason": reason},
    )


async def test_the_api_refuses_a_reason_over_200_characters_with_422(
    client: Client, world: World, fenna_logged_in: Mover
) -> None:
    response = await _fenna_moves_by_api(client, world, fenna_logged_in, "x" * 201)

    assert response.status_code == 422


async def test_the_api_names_a_reason_over_200_characters_reason_too_long_at_its_field(
    client: Client, world: World, fenna_logged_in: Mover
) -> None:
    response = await _fenna_moves_by_api(client, world, fenna_logged_in, "x" * 201)

    assert (response.json()["error"], response.json()["field"]) == ("reason_too_long", "reason")


async def test_a_move_refused_for_its_reason_leaves_the_booking_as_it_was(
    client: Client, world: World, db: AsyncSession, fenna_logged_in: Mover
) -> None:
    await _fenna_moves_by_api(client, world, fenna_logged_in, "x" * 201)

    (booking,) = await all_bookings(db)
    assert (booking.space_id, booking.status) == (world.desk.id, "confirmed")


async def test_a_reason_of_200_characters_is_taken(
    client: Client, world: World, fenna_logged_in: Mover
) -> None:
    response = await _fenna_moves_by_api(client, world, fenna_logged_in, "x" * 200)

    assert response.status_code == 201


async def test_the_desk_page_asks_facilities_why_they_move_a_colleague(
    client: Client, world: World, fenna_logged_in: Mover
) -> None:
    page = await _desk_page_for_anna(client, world)

    assert "Reden voor het verplaatsen (niet verplicht)" in page


async def test_the_desk_page_does_not_ask_why_one_moves_ones_own_desk(
    client: Client, world: World, login_as: LoginAs, run: Run, clock: FixedClock
) -> None:
    await _annas_morning(world, run, clock)
    await login_as(world.anna)

    page = await _desk_page_for_anna(client, world)

    assert 'name="reason"' not in page


async def _fenna_moves_on_the_page(client: Client, world: World, mover: Mover, reason: str) -> Any:
    return await client.post(
        "/book/desk",
        data=_move_form(world, mover.csrf, mover.booking_id)
        | {"booked_for_id": str(world.anna.id), "reason": reason},
    )


async def test_the_desk_page_refuses_a_reason_over_200_characters_in_dutch(
    client: Client, world: World, fenna_logged_in: Mover
) -> None:
    response = await _fenna_moves_on_the_page(client, world, fenna_logged_in, "x" * 201)

    assert response.status_code == 422
    assert '<p class="field-error" id="reason-error">Te lang: hoogstens 200 tekens.</p>' in (
        response.text
    )


async def test_the_desk_page_keeps_a_refused_reason_as_typed(
    client: Client, world: World, fenna_logged_in: Mover
) -> None:
    response = await _fenna_moves_on_the_page(client, world, fenna_logged_in, "x" * 201)

    assert f'value="{"x" * 201}"' in response.text


async def test_a_move_refused_on_the_page_for_its_reason_leaves_the_booking_as_it_was(
    client: Client, world: World, db: AsyncSession, fenna_logged_in: Mover
) -> None:
    await _fenna_moves_on_the_page(client, world, fenna_logged_in, "x" * 201)

    (booking,) = await all_bookings(db)
    assert (booking.space_id, booking.status) == (world.desk.id, "confirmed")


async def test_after_a_move_on_the_page_the_reason_field_is_empty_for_the_next(
    client: Client, world: World, fenna_logged_in: Mover
) -> None:
    response = await client.post(
        "/book/desk",
        data=_move_form(world, fenna_logged_in.csrf, fenna_logged_in.booking_id)
        | {"booked_for_id": str(world.anna.id), "reason": "Lekkage bij 1.01"},
        headers={"HX-Request": "true"},
    )

    assert "Verplaatst naar Flexplek 1.02." in response.text
    assert 'name="reason" maxlength="200" value=""' in response.text


async def test_the_reason_given_on_the_page_is_in_the_holders_mail(
    client: Client, world: World, db: AsyncSession, settings: Settings, fenna_logged_in: Mover
) -> None:
    before = len(await outbox(db))

    await _fenna_moves_on_the_page(
        client, world, fenna_logged_in, "De 1.01 krijgt een nieuw scherm"
    )

    (mail,) = (await outbox(db))[before:]
    body = render_mail(settings, "booking_moved", json.loads(mail.context), mail.language)[1]
    assert "Reden: De 1.01 krijgt een nieuw scherm" in body


async def test_a_move_is_audited_as_a_move_of_the_old_booking_from_one_space_to_the_other(
    world: World, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    booking_id = await _annas_morning(world, run, clock)

    moved = await run(
        services.move_desk_booking, clock, actor(world.anna), booking_id, world.desk2.id
    )

    (event,) = (await db.execute(select(AuditEvent).where(AuditEvent.action == "move"))).scalars()
    assert (event.object_type, event.object_id, event.actor_id, event.details) == (
        "booking",
        str(booking_id),
        world.anna.id,
        {
            "from_space_id": world.desk.id,
            "to_space_id": world.desk2.id,
            "new_booking_id": moved.created[0].id,
        },
    )


async def test_a_refused_move_is_not_audited(
    client: Client, world: World, db: AsyncSession, fenna_logged_in: Mover
) -> None:
    await _fenna_moves_by_api(client, world, fenna_logged_in, "x" * 201)

    moves = await db.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "move")
    )
    assert moves == 0
