"""Who the roll call lists: the people Werkplek knows to be in the building at the start
(checked in, in a meeting, a desk or a meeting booked for now, their half day planned at the
site) and the visitors reception marked arrived today; checked in first, then by name.

The clock stands at Wednesday 25 November 2026, 10:00 in Amsterdam (a morning)."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import TODAY, World, at
from tests.conftest import MakePerson, MakeSite
from tests.emergency.conftest import Client, entry_of, names, start
from tests.presence.conftest import SetEntry, SetPattern
from tests.visitors.conftest import MakeBooking, add_visitor
from werkplek.bookings.models import BookingParticipant, BookingStatus
from werkplek.people.models import Person


async def test_a_checked_in_desk_holder_is_on_the_list(
    client: Client, world: World, make_booking: MakeBooking, as_responder: object
) -> None:
    await make_booking(
        world.desk, start=at(TODAY, 8), end=at(TODAY, 17), status=BookingStatus.CHECKED_IN
    )

    roll_call = await start(client, world)

    assert entry_of(roll_call, "Anna de Vries")["source"] == "checked_in"


async def test_a_checked_in_desk_holder_is_listed_at_floor_and_desk(
    client: Client, world: World, make_booking: MakeBooking, as_responder: object
) -> None:
    await make_booking(
        world.desk, start=at(TODAY, 8), end=at(TODAY, 17), status=BookingStatus.CHECKED_IN
    )

    entry = entry_of(await start(client, world), "Anna de Vries")

    assert (entry["floor"], entry["place"]) == ("Eerste verdieping", "Flexplek 1.01")


async def _meeting(
    db: AsyncSession,
    make_booking: MakeBooking,
    world: World,
    invited: Person,
    response: str,
    *,
    status: BookingStatus = BookingStatus.CHECKED_IN,
    start: datetime = at(TODAY, 9, 30),
    end: datetime = at(TODAY, 11),
) -> None:
    """Anna's meeting in the room from 9:30 to 11:00 today, checked in, ``invited`` to it
    (unless told otherwise)."""
    booking = await make_booking(world.room, start=start, end=end, status=status)
    db.add(
        BookingParticipant(
            booking_id=booking.id, person_id=invited.id, response=response, created_at=at(TODAY, 8)
        )
    )
    await db.commit()


async def test_a_colleague_in_a_meeting_under_way_here_is_on_the_list_in_its_room(
    client: Client,
    db: AsyncSession,
    world: World,
    make_person: MakePerson,
    make_booking: MakeBooking,
    as_responder: object,
) -> None:
    await _meeting(db, make_booking, world, await make_person("Karim Bouali"), "accepted")

    entry = entry_of(await start(client, world), "Karim Bouali")

    assert (entry["source"], entry["place"]) == ("meeting", world.room.name)


async def test_a_colleague_who_declined_the_meeting_is_not_on_the_list_for_it(
    client: Client,
    db: AsyncSession,
    world: World,
    make_person: MakePerson,
    make_booking: MakeBooking,
    as_responder: object,
) -> None:
    await _meeting(db, make_booking, world, await make_person("Karim Bouali"), "declined")

    assert "Karim Bouali" not in names(await start(client, world))


async def test_someone_planned_at_the_office_this_half_day_is_on_the_list(
    client: Client,
    world: World,
    make_person: MakePerson,
    set_entry: SetEntry,
    as_responder: object,
) -> None:
    karim = await make_person("Karim Bouali")
    await set_entry(karim, TODAY, "morning", "office", site=world.site)

    roll_call = await start(client, world)

    assert entry_of(roll_call, "Karim Bouali")["source"] == "planned"


async def test_someone_whose_usual_week_says_this_site_is_on_the_list(
    client: Client,
    world: World,
    make_person: MakePerson,
    set_pattern: SetPattern,
    as_responder: object,
) -> None:
    karim = await make_person("Karim Bouali")
    await set_pattern(karim, TODAY.weekday(), "office", site=world.site)

    assert "Karim Bouali" in names(await start(client, world))


async def test_someone_planned_here_only_this_afternoon_is_not_on_the_list(
    client: Client,
    world: World,
    make_person: MakePerson,
    set_entry: SetEntry,
    as_responder: object,
) -> None:
    karim = await make_person("Karim Bouali")
    await set_entry(karim, TODAY, "afternoon", "office", site=world.site)

    assert "Karim Bouali" not in names(await start(client, world))


async def test_someone_at_home_is_not_on_the_list(
    client: Client,
    world: World,
    make_person: MakePerson,
    set_entry: SetEntry,
    set_pattern: SetPattern,
    as_responder: object,
) -> None:
    karim = await make_person("Karim Bouali")
    await set_pattern(karim, TODAY.weekday(), "office", site=world.site)
    await set_entry(karim, TODAY, "morning", "home")

    assert "Karim Bouali" not in names(await start(client, world))


async def test_someone_planned_at_another_site_is_not_on_the_list(
    client: Client,
    world: World,
    make_person: MakePerson,
    make_site: MakeSite,
    set_entry: SetEntry,
    as_responder: object,
) -> None:
    karim = await make_person("Karim Bouali")
    await set_entry(karim, TODAY, "morning", "office", site=await make_site("Servicepunt Noord"))

    assert "Karim Bouali" not in names(await start(client, world))


async def test_a_desk_booked_for_now_but_not_checked_in_is_listed_as_booked(
    client: Client, world: World, make_booking: MakeBooking, as_responder: object
) -> None:
    await make_booking(world.desk, start=at(TODAY, 8), end=at(TODAY, 17))

    assert entry_of(await start(client, world), "Anna de Vries")["source"] == "booked"


async def test_an_arrived_visitor_is_on_the_list(
    client: Client, db: AsyncSession, world: World, make_booking: MakeBooking, as_responder: object
) -> None:
    booking = await make_booking(start=at(TODAY, 9), end=at(TODAY, 11))
    visitor = await add_visitor(db, booking, "Jan Jansen", "GGD")
    visitor.arrived_at = at(TODAY, 9, 5)
    await db.commit()

    entry = entry_of(await start(client, world), "Jan Jansen")

    assert (entry["source"], entry["place"]) == ("visitor", "Overleg 1.10")


async def test_a_visitor_not_yet_arrived_is_not_on_the_list(
    client: Client, db: AsyncSession, world: World, make_booking: MakeBooking, as_responder: object
) -> None:
    booking = await make_booking(start=at(TODAY, 11), end=at(TODAY, 12))
    await add_visitor(db, booking, "Jan Jansen")

    assert "Jan Jansen" not in names(await start(client, world))


async def test_a_hidden_desk_shows_the_floor_only(
    client: Client,
    world: World,
    make_person: MakePerson,
    make_booking: MakeBooking,
    as_responder: object,
) -> None:
    sanne = await make_person("Sanne Verborgen", hide_desk=True)
    await make_booking(
        world.desk,
        holder=sanne,
        start=at(TODAY, 8),
        end=at(TODAY, 17),
        status=BookingStatus.CHECKED_IN,
    )

    entry = entry_of(await start(client, world), "Sanne Verborgen")

    assert (entry["floor"], entry["place"]) == ("Eerste verdieping", "")


async def test_the_list_gives_the_mobile_number_to_call(
    client: Client,
    world: World,
    make_person: MakePerson,
    set_entry: SetEntry,
    as_responder: object,
) -> None:
    karim = await make_person("Karim Bouali", phone="0201234567", mobile="0612345678")
    await set_entry(karim, TODAY, "morning", "office", site=world.site)

    assert entry_of(await start(client, world), "Karim Bouali")["phone"] == "0612345678"


async def test_checked_in_people_come_first_then_the_others_by_name(
    client: Client,
    world: World,
    make_person: MakePerson,
    make_booking: MakeBooking,
    set_entry: SetEntry,
    as_responder: object,
) -> None:
    for name in ("Bob", "Aad"):
        await set_entry(await make_person(name), TODAY, "morning", "office", site=world.site)
    zoe = await make_person("Zoë")
    await make_booking(
        world.desk, holder=zoe, start=at(TODAY, 8), end=at(TODAY, 17),
        status=BookingStatus.CHECKED_IN,
    )  # fmt: skip

    assert names(await start(client, world)) == ["Zoë", "Aad", "Bob"]


async def test_someone_in_a_meeting_while_holding_a_desk_is_listed_at_the_desk(
    client: Client, world: World, make_booking: MakeBooking, as_responder: object
) -> None:
    await make_booking(world.room, start=at(TODAY, 9), end=at(TODAY, 11))
    await make_booking(world.desk, start=at(TODAY, 9, 30), end=at(TODAY, 17))

    entry = entry_of(await start(client, world), "Anna de Vries")

    assert (entry["source"], entry["place"]) == ("booked", "Flexplek 1.01")


async def test_the_holder_of_a_confirmed_meeting_under_way_is_listed_as_booked_in_its_room(
    client: Client, world: World, make_booking: MakeBooking, as_responder: object
) -> None:
    await make_booking(world.room, start=at(TODAY, 9), end=at(TODAY, 11))

    entry = entry_of(await start(client, world), "Anna de Vries")

    assert (entry["source"], entry["floor"], entry["place"]) == (
        "booked",
        "Eerste verdieping",
        "Overleg 1.10",
    )


async def test_a_colleague_who_accepted_a_confirmed_meeting_under_way_is_listed_as_booked(
    client: Client,
    db: AsyncSession,
    world: World,
    make_person: MakePerson,
    make_booking: MakeBooking,
    as_responder: object,
) -> None:
    karim = await make_person("Karim Bouali")
    await _meeting(db, make_booking, world, karim, "accepted", status=BookingStatus.CONFIRMED)

    entry = entry_of(await start(client, world), "Karim Bouali")

    assert (entry["source"], entry["place"]) == ("booked", "Overleg 1.10")


async def test_a_colleague_yet_to_answer_a_confirmed_meeting_under_way_is_listed_as_booked(
    client: Client,
    db: AsyncSession,
    world: World,
    make_person: MakePerson,
    make_booking: MakeBooking,
    as_responder: object,
) -> None:
    karim = await make_person("Karim Bouali")
    await _meeting(db, make_booking, world, karim, "pending", status=BookingStatus.CONFIRMED)

    entry = entry_of(await start(client, world), "Karim Bouali")

    assert (entry["source"], entry["place"]) == ("booked", "Overleg 1.10")


async def test_a_colleague_who_declined_a_confirmed_meeting_is_not_on_the_list(
    client: Client,
    db: AsyncSession,
    world: World,
    make_person: MakePerson,
    make_booking: MakeBooking,
    as_responder: object,
) -> None:
    karim = await make_person("Karim Bouali")
    await _meeting(db, make_booking, world, karim, "declined", status=BookingStatus.CONFIRMED)

    assert "Karim Bouali" not in names(await start(client, world))


async def test_a_confirmed_meeting_not_yet_begun_lists_nobody(
    client: Client,
    db: AsyncSession,
    world: World,
    make_person: MakePerson,
    make_booking: MakeBooking,
    as_responder: object,
) -> None:
    karim = await make_person("Karim Bouali")
    await _meeting(
        db, make_booking, world, karim, "accepted",
        status=BookingStatus.CONFIRMED, start=at(TODAY, 10, 30), end=at(TODAY, 11),
    )  # fmt: skip

    assert names(await start(client, world)) == []


async def test_a_confirmed_meeting_that_has_ended_lists_nobody(
    client: Client,
    db: AsyncSession,
    world: World,
    make_person: MakePerson,
    make_booking: MakeBooking,
    as_responder: object,
) -> None:
    karim = await make_person("Karim Bouali")
    await _meeting(
        db, make_booking, world, karim, "accepted",
        status=BookingStatus.CONFIRMED, start=at(TODAY, 9), end=at(TODAY, 10),
    )  # fmt: skip

    assert names(await start(client, world)) == []


@pytest.mark.parametrize(
    "status",
    [BookingStatus.RELEASED, BookingStatus.CANCELLED, BookingStatus.PENDING],
    ids=["released as a no-show", "cancelled", "still waiting for approval"],
)
async def test_a_meeting_not_taking_place_lists_nobody(
    client: Client,
    db: AsyncSession,
    world: World,
    make_person: MakePerson,
    make_booking: MakeBooking,
    as_responder: object,
    status: BookingStatus,
) -> None:
    karim = await make_person("Karim Bouali")
    await _meeting(db, make_booking, world, karim, "accepted", status=status)

    assert names(await start(client, world)) == []


async def test_a_colleague_whose_own_day_says_home_is_not_listed_for_a_confirmed_meeting(
    client: Client,
    db: AsyncSession,
    world: World,
    make_person: MakePerson,
    make_booking: MakeBooking,
    set_entry: SetEntry,
    as_responder: object,
) -> None:
    karim = await make_person("Karim Bouali")
    await set_entry(karim, TODAY, "morning", "home")
    await _meeting(db, make_booking, world, karim, "accepted", status=BookingStatus.CONFIRMED)

    assert "Karim Bouali" not in names(await start(client, world))


async def test_a_colleague_whose_usual_week_says_home_is_listed_for_a_confirmed_meeting(
    client: Client,
    db: AsyncSession,
    world: World,
    make_person: MakePerson,
    make_booking: MakeBooking,
    set_pattern: SetPattern,
    as_responder: object,
) -> None:
    karim = await make_person("Karim Bouali")
    await set_pattern(karim, TODAY.weekday(), "home")
    await _meeting(db, make_booking, world, karim, "accepted", status=BookingStatus.CONFIRMED)

    assert entry_of(await start(client, world), "Karim Bouali")["source"] == "booked"


async def test_someone_checked_in_at_a_desk_and_invited_to_a_meeting_is_listed_once_checked_in(
    client: Client,
    db: AsyncSession,
    world: World,
    make_person: MakePerson,
    make_booking: MakeBooking,
    as_responder: object,
) -> None:
    karim = await make_person("Karim Bouali")
    await make_booking(
        world.desk, holder=karim, start=at(TODAY, 8), end=at(TODAY, 17),
        status=BookingStatus.CHECKED_IN,
    )  # fmt: skip
    await _meeting(db, make_booking, world, karim, "accepted", status=BookingStatus.CONFIRMED)

    entries = (await start(client, world))["entries"]

    assert [(e["source"], e["place"]) for e in entries if e["name"] == "Karim Bouali"] == [
        ("checked_in", "Flexplek 1.01")
    ]


async def test_a_hidden_desk_in_a_confirmed_meeting_shows_the_floor_only(
    client: Client,
    db: AsyncSession,
    world: World,
    make_person: MakePerson,
    make_booking: MakeBooking,
    as_responder: object,
) -> None:
    sanne = await make_person("Sanne Verborgen", hide_desk=True)
    await _meeting(db, make_booking, world, sanne, "accepted", status=BookingStatus.CONFIRMED)

    entry = entry_of(await start(client, world), "Sanne Verborgen")

    assert (entry["floor"], entry["place"]) == ("Eerste verdieping", "")
