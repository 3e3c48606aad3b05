"""Expected visitors through the API: the organiser of a room booking names residents and
partners who come; reception (the reception role, facilities) lists the day's visitors at a
site and marks them arrived."""

from __future__ import annotations

import json

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import TODAY, TOMORROW, World, at
from tests.conftest import LoginAs, MakePerson, MakeSite, MakeSpace
from tests.notifications.conftest import outbox
from tests.visitors.conftest import MakeBooking, add_visitor, visitors
from werkplek.audit.models import AuditEvent
from werkplek.bookings.models import BookingStatus
from werkplek.notifications.models import MailKind, MailPreference
from werkplek.people.models import Person, Role

Client = AsyncTestClient[Litestar]


# --- adding and removing ------------------------------------------------------------------


async def test_the_organiser_expects_a_visitor_at_their_room_booking(
    client: Client, world: World, login_as: LoginAs, make_booking: MakeBooking
) -> None:
    booking = await make_booking()
    await login_as(world.anna)

    response = await client.post(
        f"/api/bookings/{booking.id}/visitors",
        json={"name": "Jan Jansen", "organisation": "Woningcorporatie Dichtbij"},
    )

    assert response.status_code == 201, response.text
    listed = (await client.get(f"/api/bookings/{booking.id}/visitors")).json()
    assert [(v["name"], v["organisation"], v["arrived_at"]) for v in listed] == [
        ("Jan Jansen", "Woningcorporatie Dichtbij", None)
    ]


async def test_a_visitor_needs_no_organisation_and_loses_the_spaces_around_their_name(
    client: Client, world: World, login_as: LoginAs, make_booking: MakeBooking
) -> None:
    booking = await make_booking()
    await login_as(world.anna)

    response = await client.post(f"/api/bookings/{booking.id}/visitors", json={"name": " Jan "})

    assert (response.json()["name"], response.json()["organisation"]) == ("Jan", "")


async def test_a_visitor_takes_no_email_address(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs, make_booking: MakeBooking
) -> None:
    booking = await make_booking()
    await login_as(world.anna)

    response = await client.post(
        f"/api/bookings/{booking.id}/visitors", json={"name": "Jan", "email": "jan@example.nl"}
    )

    assert response.status_code == 400
    assert await visitors(db) == []


async def test_an_empty_name_is_refused_at_name(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs, make_booking: MakeBooking
) -> None:
    booking = await make_booking()
    await login_as(world.anna)

    response = await client.post(f"/api/bookings/{booking.id}/visitors", json={"name": "  "})

    assert (response.status_code, response.json()["field"]) == (422, "name")
    assert await visitors(db) == []


async def test_a_name_too_long_is_refused_at_name(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs, make_booking: MakeBooking
) -> None:
    booking = await make_booking()
    await login_as(world.anna)

    response = await client.post(f"/api/bookings/{booking.id}/visitors", json={"name": "J" * 201})

    assert response.status_code == 400
    assert [f["field"] for f in response.json()["fields"]] == ["name"]
    assert await visitors(db) == []


async def test_a_desk_booking_has_no_visitors(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs, make_booking: MakeBooking
) -> None:
    booking = await make_booking(world.desk)
    await login_as(world.anna)

    response = await client.post(f"/api/bookings/{booking.id}/visitors", json={"name": "Jan"})

    assert (response.status_code, response.json()["error"]) == (422, "desk_booking")
    assert await visitors(db) == []


async def test_a_cancelled_booking_expects_no_visitors(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs, make_booking: MakeBooking
) -> None:
    booking = await make_booking(status=BookingStatus.CANCELLED)
    await login_as(world.anna)

    response = await client.post(f"/api/bookings/{booking.id}/visitors", json={"name": "Jan"})

    assert (response.status_code, response.json()["error"]) == (422, "booking_not_active")
    assert await visitors(db) == []


async def test_a_booking_that_has_ended_expects_no_visitors(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs, make_booking: MakeBooking
) -> None:
    booking = await make_booking(start=at(TODAY, 8), end=at(TODAY, 9))
    await login_as(world.anna)

    response = await client.post(f"/api/bookings/{booking.id}/visitors", json={"name": "Jan"})

    assert (response.status_code, response.json()["error"]) == (422, "in_the_past")
    assert await visitors(db) == []


async def test_a_meeting_under_way_still_takes_a_visitor(
    client: Client, world: World, login_as: LoginAs, make_booking: MakeBooking
) -> None:
    booking = await make_booking(start=at(TODAY, 9), end=at(TODAY, 11))
    await login_as(world.anna)

    response = await client.post(f"/api/bookings/{booking.id}/visitors", json={"name": "Jan"})

    assert response.status_code == 201


async def test_an_unknown_booking_is_404(client: Client, world: World, login_as: LoginAs) -> None:
    await login_as(world.anna)

    response = await client.post("/api/bookings/999/visitors", json={"name": "Jan"})

    assert response.status_code == 404


async def test_a_colleague_cannot_expect_visitors_at_someone_elses_booking(
    client: Client,
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
    make_booking: MakeBooking,
) -> None:
    booking = await make_booking()
    await login_as(await make_person("Cor"))

    response = await client.post(f"/api/bookings/{booking.id}/visitors", json={"name": "Jan"})

    assert response.status_code == 404
    assert await visitors(db) == []


async def test_a_colleague_does_not_see_the_visitors_of_someone_elses_booking(
    client: Client,
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
    make_booking: MakeBooking,
) -> None:
    booking = await make_booking()
    await add_visitor(db, booking, "Jan Jansen")
    await login_as(await make_person("Cor"))

    response = await client.get(f"/api/bookings/{booking.id}/visitors")

    assert response.status_code == 404
    assert "Jan Jansen" not in response.text


async def test_facilities_expect_visitors_at_anyones_booking(
    client: Client, login_as: LoginAs, make_booking: MakeBooking, facilities: Person
) -> None:
    booking = await make_booking()
    await login_as(facilities)

    response = await client.post(f"/api/bookings/{booking.id}/visitors", json={"name": "Jan"})

    assert response.status_code == 201


async def test_the_organiser_takes_a_visitor_off(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs, make_booking: MakeBooking
) -> None:
    booking = await make_booking()
    visitor = await add_visitor(db, booking, "Jan")
    await login_as(world.anna)

    response = await client.delete(f"/api/bookings/{booking.id}/visitors/{visitor.id}")

    assert response.status_code == 204
    assert await visitors(db) == []


async def test_a_visitor_of_another_booking_is_404(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs, make_booking: MakeBooking
) -> None:
    mine = await make_booking()
    other = await make_booking(start=at(TOMORROW, 14), end=at(TOMORROW, 15))
    visitor = await add_visitor(db, other, "Jan")
    await login_as(world.anna)

    response = await client.delete(f"/api/bookings/{mine.id}/visitors/{visitor.id}")

    assert response.status_code == 404
    assert len(await visitors(db)) == 1


async def test_adding_and_removing_are_audited_on_the_booking_without_the_visitors_name(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs, make_booking: MakeBooking
) -> None:
    booking = await make_booking()
    await login_as(world.anna)
    visitor = (
        await client.post(f"/api/bookings/{booking.id}/visitors", json={"name": "Jan Jansen"})
    ).json()
    await client.delete(f"/api/bookings/{booking.id}/visitors/{visitor['id']}")

    await db.rollback()
    events = list(await db.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    assert [(e.action, e.object_type, e.object_id, e.details) for e in events] == [
        ("add_visitor", "booking", str(booking.id), {"visitor_id": visitor["id"]}),
        ("remove_visitor", "booking", str(booking.id), {"visitor_id": visitor["id"]}),
    ]


async def test_the_visitors_go_with_their_booking(
    db: AsyncSession, make_booking: MakeBooking
) -> None:
    booking = await make_booking()
    await add_visitor(db, booking, "Jan")

    await db.delete(booking)
    await db.commit()

    assert await visitors(db) == []


# --- reception ----------------------------------------------------------------------------


async def test_reception_lists_the_days_visitors_of_a_site_by_time_with_room_and_host(
    client: Client,
    db: AsyncSession,
    world: World,
    make_person: MakePerson,
    login_as: LoginAs,
    make_booking: MakeBooking,
    facilities: Person,
) -> None:
    bram = await make_person("Bram Bakker")
    later = await make_booking(start=at(TODAY, 14), end=at(TODAY, 15))
    sooner = await make_booking(world.resident_room, holder=bram, start=at(TODAY, 11))
    await add_visitor(db, later, "Piet", "Buurtteam")
    await add_visitor(db, sooner, "Jan")
    await login_as(facilities)

    response = await client.get(
        "/api/visitors", params={"site": world.site.id, "date": TODAY.isoformat()}
    )

    assert [
        (v["local_start"][11:16], v["space_name"], v["name"], v["organisation"], v["host_name"])
        for v in response.json()
    ] == [
        ("11:00", "Spreekkamer A", "Jan", "", "Bram Bakker"),
        ("14:00", "Overleg 1.10", "Piet", "Buurtteam", "Anna de Vries"),
    ]


async def test_reception_leaves_out_other_days_other_sites_and_cancelled_bookings(
    client: Client,
    db: AsyncSession,
    world: World,
    make_site: MakeSite,
    make_space: MakeSpace,
    login_as: LoginAs,
    make_booking: MakeBooking,
    facilities: Person,
) -> None:
    elsewhere = await make_space(await make_site("Dorpshuis"), "Zaal", kind="meeting_room")
    await add_visitor(db, await make_booking(), "Tomorrow")
    await add_visitor(db, await make_booking(elsewhere, start=at(TODAY, 11)), "Elsewhere")
    cancelled = await make_booking(start=at(TODAY, 11), status=BookingStatus.CANCELLED)
    await add_visitor(db, cancelled, "Cancelled")
    await login_as(facilities)

    response = await client.get(
        "/api/visitors", params={"site": world.site.id, "date": TODAY.isoformat()}
    )

    assert response.json() == []


async def test_a_colleague_does_not_see_receptions_list(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/api/visitors", params={"site": world.site.id, "date": TODAY.isoformat()}
    )

    assert response.status_code == 403


async def test_reception_marks_a_visitor_arrived(
    client: Client,
    db: AsyncSession,
    login_as: LoginAs,
    make_booking: MakeBooking,
    facilities: Person,
) -> None:
    visitor = await add_visitor(db, await make_booking(start=at(TODAY, 10)), "Jan")
    await login_as(facilities)

    response = await client.post(f"/api/visitors/{visitor.id}/arrived")

    assert response.status_code == 200
    assert response.json()["arrived_at"] is not None
    (stored,) = await visitors(db)
    assert stored.arrived_at is not None


async def test_marking_a_visitor_arrived_again_keeps_the_first_time(
    client: Client,
    db: AsyncSession,
    login_as: LoginAs,
    make_booking: MakeBooking,
    facilities: Person,
) -> None:
    visitor = await add_visitor(db, await make_booking(start=at(TODAY, 10)), "Jan")
    visitor.arrived_at = at(TODAY, 9, 55)
    await db.commit()
    await login_as(facilities)

    response = await client.post(f"/api/visitors/{visitor.id}/arrived")

    assert response.json()["arrived_at"] == at(TODAY, 9, 55).isoformat().replace("+00:00", "Z")


async def test_a_visitor_of_a_cancelled_booking_cannot_arrive(
    client: Client,
    db: AsyncSession,
    login_as: LoginAs,
    make_booking: MakeBooking,
    facilities: Person,
) -> None:
    booking = await make_booking(start=at(TODAY, 10), status=BookingStatus.CANCELLED)
    visitor = await add_visitor(db, booking, "Jan")
    await login_as(facilities)

    response = await client.post(f"/api/visitors/{visitor.id}/arrived")

    assert (response.status_code, response.json()["error"]) == (422, "booking_not_active")
    (stored,) = await visitors(db)
    assert stored.arrived_at is None


async def test_an_unknown_visitor_cannot_arrive(
    client: Client, login_as: LoginAs, facilities: Person
) -> None:
    await login_as(facilities)

    response = await client.post("/api/visitors/999/arrived")

    assert response.status_code == 404


async def test_the_organiser_cannot_mark_their_own_visitor_arrived(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs, make_booking: MakeBooking
) -> None:
    visitor = await add_visitor(db, await make_booking(start=at(TODAY, 10)), "Jan")
    await login_as(world.anna)

    response = await client.post(f"/api/visitors/{visitor.id}/arrived")

    assert response.status_code == 403


async def test_an_arrival_is_audited_on_the_booking(
    client: Client,
    db: AsyncSession,
    login_as: LoginAs,
    make_booking: MakeBooking,
    facilities: Person,
) -> None:
    booking = await make_booking(start=at(TODAY, 10))
    visitor = await add_visitor(db, booking, "Jan")
    await login_as(facilities)

    await client.post(f"/api/visitors/{visitor.id}/arrived")

    await db.rollback()
    event = await db.scalar(select(AuditEvent).where(AuditEvent.action == "visitor_arrived"))
    assert event is not None
    assert (event.actor_id, event.object_id, event.details) == (
        facilities.id,
        str(booking.id),
        {"visitor_id": visitor.id},
    )


async def test_admins_are_reception_too(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs, world: World
) -> None:
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))

    response = await client.get(
        "/api/visitors", params={"site": world.site.id, "date": TODAY.isoformat()}
    )

    assert response.status_code == 200


# --- the host's mail ----------------------------------------------------------------------


async def test_the_host_gets_a_mail_when_their_visitor_arrives(
    client: Client,
    db: AsyncSession,
    world: World,
    login_as: LoginAs,
    make_booking: MakeBooking,
    facilities: Person,
) -> None:
    visitor = await add_visitor(db, await make_booking(start=at(TODAY, 10)), "Jan", "GGD")
    await login_as(facilities)

    await client.post(f"/api/visitors/{visitor.id}/arrived")

    (mail,) = await outbox(db, MailKind.VISITOR_ARRIVED.value)
    context = json.loads(mail.context)
    assert (mail.person_id, context["visitor"], context["organisation"]) == (
        world.anna.id,
        "Jan",
        "GGD",
    )


async def test_marking_a_visitor_arrived_again_sends_no_second_mail(
    client: Client,
    db: AsyncSession,
    login_as: LoginAs,
    make_booking: MakeBooking,
    facilities: Person,
) -> None:
    visitor = await add_visitor(db, await make_booking(start=at(TODAY, 10)), "Jan")
    await login_as(facilities)

    await client.post(f"/api/visitors/{visitor.id}/arrived")
    await client.post(f"/api/visitors/{visitor.id}/arrived")

    assert len(await outbox(db, MailKind.VISITOR_ARRIVED.value)) == 1


async def test_a_host_who_switched_the_mail_off_gets_none(
    client: Client,
    db: AsyncSession,
    world: World,
    login_as: LoginAs,
    make_booking: MakeBooking,
    facilities: Person,
) -> None:
    visitor = await add_visitor(db, await make_booking(start=at(TODAY, 10)), "Jan")
    db.add(MailPreference(person_id=world.anna.id, kind="visitor_arrived", enabled=False))
    await db.commit()
    await login_as(facilities)

    await client.post(f"/api/visitors/{visitor.id}/arrived")

    assert await outbox(db, MailKind.VISITOR_ARRIVED.value) == []


async def test_visitors_come_along_when_the_meeting_moves_to_another_time(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs, make_booking: MakeBooking
) -> None:
    booking = await make_booking()
    await add_visitor(db, booking, "Mevrouw Jansen")
    await login_as(world.anna)
    moved = (
        await client.patch(f"/api/bookings/{booking.id}", json={"start": "14:00", "end": "15:00"})
    ).json()
    assert [visitor.booking_id for visitor in await visitors(db)] == [moved["id"]]
