"""Availability: free desks per day part, rooms with busy and free times; constant queries."""

from __future__ import annotations

from datetime import time, timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import (
    SATURDAY,
    TODAY,
    TOMORROW,
    Book,
    MakeSite,
    MakeSpace,
    Run,
    World,
    actor,
    at,
    desk_booking,
    room_booking,
)
from tests.conftest import LoginAs, MakePerson, add_closure, count_queries
from werkplek.bookings import services
from werkplek.bookings.availability import DeskAvailability, desk_availability, room_availability
from werkplek.bookings.schemas import DeskStatusOut
from werkplek.clock import FixedClock
from werkplek.people.models import Person, Role
from werkplek.rooms.models import Floor
from werkplek.rooms.services import DayPart

Client = AsyncTestClient[Litestar]


def _by_name(desks: list[dict[str, object]]) -> dict[object, dict[str, object]]:
    return {desk["name"]: desk for desk in desks}


# --- desks --------------------------------------------------------------------------------


async def test_desks_are_free_per_day_part(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson, book: Book
) -> None:
    bram = await make_person("Bram")
    await book(bram, desk_booking(world.desk))
    await login_as(world.anna)

    response = await client.get(
        "/api/availability", params={"site": world.site.id, "date": TOMORROW.isoformat()}
    )

    assert response.status_code == 200
    desk = _by_name(response.json()["desks"])["Flexplek 1.01"]
    assert (desk["morning"], desk["afternoon"], desk["day"]) == ("taken", "free", "taken")


async def test_ones_own_desk_shows_as_yours(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    await login_as(world.anna)

    response = await client.get(
        "/api/availability", params={"site": world.site.id, "date": TOMORROW.isoformat()}
    )

    assert _by_name(response.json()["desks"])["Flexplek 1.01"]["morning"] == "yours"


async def test_desks_and_quiet_desks_are_listed_by_default_without_rooms(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/api/availability", params={"site": world.site.id, "date": TOMORROW.isoformat()}
    )

    assert sorted(_by_name(response.json()["desks"])) == [
        "Flexplek 1.01",
        "Flexplek 1.02",
        "Stilteplek 1.03",
    ]
    assert response.json()["rooms"] is None


async def test_availability_gives_the_day_part_hours(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/api/availability", params={"site": world.site.id, "date": TOMORROW.isoformat()}
    )

    parts = {
        p["day_part"]: (p["local_start"], p["local_end"]) for p in response.json()["day_parts"]
    }
    assert parts["afternoon"] == ("2026-11-26T13:00:00+01:00", "2026-11-26T18:00:00+01:00")


async def test_a_closed_day_says_why(client: Client, world: World, login_as: LoginAs) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/api/availability", params={"site": world.site.id, "date": SATURDAY.isoformat()}
    )

    body = response.json()
    assert (body["open"], body["reason"]) == (False, "Gesloten op deze dag van de week")
    assert {d["morning"] for d in body["desks"]} == {"closed"}


async def test_a_closed_desk_shows_as_closed(
    client: Client, world: World, login_as: LoginAs, db: AsyncSession
) -> None:
    await add_closure(db, world.site, TOMORROW, TOMORROW, space=world.desk2)
    await login_as(world.anna)

    response = await client.get(
        "/api/availability", params={"site": world.site.id, "date": TOMORROW.isoformat()}
    )

    assert _by_name(response.json()["desks"])["Flexplek 1.02"]["day"] == "closed"


async def test_desks_can_be_listed_per_floor(
    client: Client, world: World, login_as: LoginAs, make_space: MakeSpace
) -> None:
    await make_space(world.site, "Zonder verdieping")
    await login_as(world.anna)

    response = await client.get(
        "/api/availability",
        params={"site": world.site.id, "date": TOMORROW.isoformat(), "floor": world.floor.id},
    )

    assert "Zonder verdieping" not in _by_name(response.json()["desks"])


async def test_a_floor_of_another_site_is_refused_naming_the_floor(
    client: Client, world: World, login_as: LoginAs, make_site: MakeSite, db: AsyncSession
) -> None:
    elsewhere = await make_site("Servicepunt")
    other_floor = Floor(site_id=elsewhere.id, name="Begane grond", level=0)
    db.add(other_floor)
    await db.commit()
    await login_as(world.anna)

    response = await client.get(
        "/api/availability",
        params={"site": world.site.id, "date": TOMORROW.isoformat(), "floor": other_floor.id},
    )

    assert response.status_code == 422
    assert response.json() == {
        "error": "floor_not_at_site",
        "message": "Deze verdieping hoort niet bij deze locatie.",
        "field": "floor",
    }


async def test_an_unknown_floor_is_refused_for_rooms_too(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/api/availability",
        params={
            "site": world.site.id,
            "date": TOMORROW.isoformat(),
            "kind": "meeting_room",
            "floor": 999_999,
        },
    )

    assert (response.status_code, response.json()["field"]) == (422, "floor")


async def test_a_reached_capacity_cap_shows_free_desks_as_full(
    make_site: MakeSite,
    make_space: MakeSpace,
    make_person: MakePerson,
    run: Run,
    clock: FixedClock,
    db: AsyncSession,
    book: Book,
) -> None:
    site = await make_site("Satelliet", capacity_cap_percent=50)
    first = await make_space(site, "A")
    await make_space(site, "B")
    anna = await make_person()
    await book(anna, desk_booking(first))
    viewer = await make_person()

    availability = await run(desk_availability, clock, actor(viewer), site.id, TOMORROW)

    assert [(d.name, d.morning, d.afternoon) for d in availability.desks] == [
        ("A", "taken", "free"),
        ("B", "full", "free"),
    ]
    assert availability.cap is not None
    assert (availability.cap.limit, availability.cap.booked_morning) == (1, 1)


async def test_desks_of_another_team_show_as_restricted(
    world: World, make_space: MakeSpace, make_team: object, run: Run, clock: FixedClock
) -> None:
    team = await make_team("Wijkteam")  # type: ignore[operator]
    await make_space(world.site, "Teamplek", teams=(team,))

    availability = await run(desk_availability, clock, actor(world.anna), world.site.id, TOMORROW)

    assert {d.name: d.day for d in availability.desks}["Teamplek"] == "restricted"


async def test_desk_availability_takes_the_same_number_of_queries_for_many_desks(
    world: World,
    make_space: MakeSpace,
    make_person: MakePerson,
    run: Run,
    clock: FixedClock,
    db: AsyncSession,
    book: Book,
) -> None:
    async def queries() -> int:
        await db.commit()
        with count_queries(db) as statements:
            await run(desk_availability, clock, actor(world.anna), world.site.id, TOMORROW)
        return len(statements)

    few = await queries()
    people: list[Person] = []
    for n in range(60):
        desk = await make_space(world.site, f"Plek {n:03}", floor_id=world.floor.id)
        person = await make_person()
        people.append(person)
        if n % 2:
            await book(person, desk_booking(desk))

    assert await queries() == few


# --- how far ahead ------------------------------------------------------------------------

LAST_DAY = TODAY + timedelta(days=14)  # the site allows booking 14 days ahead


async def test_availability_gives_the_last_bookable_date(
    world: World, run: Run, clock: FixedClock
) -> None:
    availability = await run(desk_availability, clock, actor(world.anna), world.site.id, TOMORROW)

    assert availability.last_day == LAST_DAY


async def test_desks_on_the_last_bookable_date_are_not_too_far_ahead(
    world: World, run: Run, clock: FixedClock
) -> None:
    availability = await run(desk_availability, clock, actor(world.anna), world.site.id, LAST_DAY)

    assert availability.not_bookable is None


async def test_desks_after_the_last_bookable_date_say_why_they_cannot_be_booked(
    world: World, run: Run, clock: FixedClock
) -> None:
    day = LAST_DAY + timedelta(days=1)

    availability = await run(desk_availability, clock, actor(world.anna), world.site.id, day)

    assert availability.not_bookable == (
        "Op deze locatie kunt u hoogstens 14 dagen vooruit reserveren."
    )


async def test_rooms_after_the_last_bookable_date_say_why_they_cannot_be_booked(
    world: World, run: Run, clock: FixedClock
) -> None:
    day = LAST_DAY + timedelta(days=1)

    availability = await run(room_availability, clock, actor(world.anna), world.site.id, day)

    assert availability.not_bookable == (
        "Op deze locatie kunt u hoogstens 14 dagen vooruit reserveren."
    )


# --- desks a person holds -----------------------------------------------------------------


async def test_a_desk_held_in_the_morning_is_held_during_the_whole_day(
    world: World, run: Run, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))

    held = await run(services.desks_held, world.anna.id, at(TOMORROW, 7, 30), at(TOMORROW, 18))

    assert [desk.space_name for desk in held] == ["Flexplek 1.01"]


async def test_a_desk_held_in_the_morning_is_not_held_in_the_afternoon(
    world: World, run: Run, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))

    held = await run(services.desks_held, world.anna.id, at(TOMORROW, 13), at(TOMORROW, 18))

    assert held == []


async def test_a_desk_held_at_another_site_counts(
    world: World, run: Run, make_site: MakeSite, make_space: MakeSpace, book: Book
) -> None:
    elsewhere = await make_space(await make_site("Marrewoude"), "Werkplek M.01")
    await book(world.anna, desk_booking(elsewhere))

    held = await run(services.desks_held, world.anna.id, at(TOMORROW, 7, 30), at(TOMORROW, 13))

    assert [desk.space_name for desk in held] == ["Werkplek M.01"]


# --- rooms --------------------------------------------------------------------------------


async def test_a_room_lists_its_busy_times_and_free_intervals(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson, book: Book
) -> None:
    bram = await make_person("Bram")
    await book(bram, room_booking(world.room, start=(10, 0), end=(11, 30), title="Geheim"))
    await login_as(world.anna)

    response = await client.get(
        "/api/availability",
        params={"site": world.site.id, "date": TOMORROW.isoformat(), "kind": "meeting_room"},
    )

    (room,) = response.json()["rooms"]
    assert [(b["local_start"], b["local_end"], b["yours"], b["title"]) for b in room["busy"]] == [
        ("2026-11-26T10:00:00+01:00", "2026-11-26T11:30:00+01:00", False, None)
    ]
    assert [(f["local_start"][11:16], f["local_end"][11:16]) for f in room["free"]] == [
        ("07:30", "10:00"),
        ("11:30", "18:00"),
    ]


async def test_desks_are_filtered_by_amenity(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/api/availability",
        params={"site": world.site.id, "date": TOMORROW.isoformat(), "amenity": "screen"},
    )

    assert [d["name"] for d in response.json()["desks"]] == ["Flexplek 1.01"]


async def test_desks_must_have_every_amenity_asked_for(
    client: Client, world: World, login_as: LoginAs, make_space: MakeSpace
) -> None:
    await make_space(world.site, "Flexplek 1.04", amenities=["screen", "sit_stand"])
    await login_as(world.anna)

    response = await client.get(
        "/api/availability",
        params={
            "site": world.site.id,
            "date": TOMORROW.isoformat(),
            "amenity": ["screen", "sit_stand"],
        },
    )

    assert [d["name"] for d in response.json()["desks"]] == ["Flexplek 1.04"]


async def test_an_unknown_amenity_is_refused_naming_the_field(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/api/availability",
        params={"site": world.site.id, "date": TOMORROW.isoformat(), "amenity": "jacuzzi"},
    )

    assert response.status_code == 400
    assert "amenity" in response.text


async def test_rooms_are_filtered_by_capacity(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/api/availability",
        params={
            "site": world.site.id,
            "date": TOMORROW.isoformat(),
            "kind": ["meeting_room", "resident_room"],
            "min_capacity": 4,
        },
    )

    assert [r["name"] for r in response.json()["rooms"]] == ["Overleg 1.10"]


async def test_rooms_are_filtered_by_amenity(
    client: Client, world: World, login_as: LoginAs, make_space: MakeSpace
) -> None:
    await make_space(world.site, "Zonder scherm", kind="meeting_room", capacity=4)
    await login_as(world.anna)

    response = await client.get(
        "/api/availability",
        params={
            "site": world.site.id,
            "date": TOMORROW.isoformat(),
            "kind": "meeting_room",
            "amenity": "video",
        },
    )

    assert [r["name"] for r in response.json()["rooms"]] == ["Overleg 1.10"]


async def test_resident_rooms_are_filtered_by_safety_features(
    client: Client, world: World, login_as: LoginAs, make_space: MakeSpace
) -> None:
    await make_space(
        world.site,
        "Spreekkamer B",
        kind="resident_room",
        capacity=3,
        safety_features=["alarm_button"],
    )
    await login_as(world.anna)

    response = await client.get(
        "/api/availability",
        params={
            "site": world.site.id,
            "date": TOMORROW.isoformat(),
            "kind": "resident_room",
            "safety": ["alarm_button", "second_exit"],
        },
    )

    assert [r["name"] for r in response.json()["rooms"]] == ["Spreekkamer A"]


async def test_a_room_with_a_closure_of_its_own_is_closed_without_free_times(
    world: World, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    await add_closure(db, world.site, TOMORROW, TOMORROW, space=world.room)

    availability = await run(room_availability, clock, actor(world.anna), world.site.id, TOMORROW)

    room = next(r for r in availability.rooms if r.space_id == world.room.id)
    assert (room.closed, room.free) == (True, [])


async def test_a_closed_room_says_why_it_is_closed(
    world: World, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    await add_closure(db, world.site, TOMORROW, TOMORROW, space=world.room, reason="Schilderwerk")

    availability = await run(room_availability, clock, actor(world.anna), world.site.id, TOMORROW)

    room = next(r for r in availability.rooms if r.space_id == world.room.id)
    assert room.closed_reason == "Schilderwerk"


async def test_free_room_time_starts_now_today(world: World, run: Run, clock: FixedClock) -> None:
    clock.set(at(TOMORROW, 12, 15))

    availability = await run(room_availability, clock, actor(world.anna), world.site.id, TOMORROW)

    room = next(r for r in availability.rooms if r.name == "Overleg 1.10")
    assert [(f.start, f.end) for f in room.free] == [(at(TOMORROW, 12, 15), at(TOMORROW, 18))]


async def test_facilities_see_the_titles_of_others_meetings(
    world: World, run: Run, clock: FixedClock, make_person: MakePerson, book: Book
) -> None:
    await book(world.anna, room_booking(world.room, title="Sollicitatie"))
    fenna = await make_person("Fenna", roles=(Role.FACILITIES,))

    availability = await run(room_availability, clock, actor(fenna), world.site.id, TOMORROW)

    room = next(r for r in availability.rooms if r.name == "Overleg 1.10")
    assert [b.title for b in room.busy] == ["Sollicitatie"]


async def test_asking_for_desks_and_rooms_at_once_is_422(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/api/availability",
        params={
            "site": world.site.id,
            "date": TOMORROW.isoformat(),
            "kind": ["desk", "meeting_room"],
        },
    )

    assert (response.status_code, response.json()["field"]) == (422, "kind")


async def test_an_unknown_site_is_404(client: Client, world: World, login_as: LoginAs) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/api/availability", params={"site": 999, "date": TOMORROW.isoformat()}
    )

    assert response.status_code == 404


async def test_a_malformed_date_is_400(client: Client, world: World, login_as: LoginAs) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/api/availability", params={"site": world.site.id, "date": "morgen"}
    )

    assert response.status_code == 400


async def test_a_site_with_a_short_day_splits_within_its_hours(
    make_site: MakeSite, make_space: MakeSpace, make_person: MakePerson, book: Book
) -> None:
    site = await make_site("Dorpshuis", hours={3: (time(9), time(12))})  # closes before 13:00
    desk = await make_space(site)
    person = await make_person()

    booking = (await book(person, desk_booking(desk, part=DayPart.MORNING))).created[0]

    assert (booking.start_at, booking.end_at) == (at(TOMORROW, 9), at(TOMORROW, 12))


async def _short_day_desk(
    make_site: MakeSite, make_space: MakeSpace, make_person: MakePerson, run: Run, clock: FixedClock
) -> DeskStatusOut:
    """A desk tomorrow at a site open 09:00-12:00 that day, before its split at 13:00."""
    site = await make_site("Dorpshuis", hours={3: (time(9), time(12))})
    await make_space(site)
    found = await run(desk_availability, clock, actor(await make_person()), site.id, TOMORROW)
    desk: DeskStatusOut = found.desks[0]
    return desk


async def test_the_afternoon_of_a_site_closing_before_the_split_is_closed(
    make_site: MakeSite, make_space: MakeSpace, make_person: MakePerson, run: Run, clock: FixedClock
) -> None:
    desk = await _short_day_desk(make_site, make_space, make_person, run, clock)

    assert desk.afternoon == "closed"


async def test_the_afternoon_of_a_site_closing_at_the_split_is_closed(
    make_site: MakeSite, make_space: MakeSpace, make_person: MakePerson, run: Run, clock: FixedClock
) -> None:
    site = await make_site("Dorpshuis", day_split=time(12, 30), hours={3: (time(8), time(12, 30))})
    await make_space(site)

    found = await run(desk_availability, clock, actor(await make_person()), site.id, TOMORROW)

    assert (found.desks[0].morning, found.desks[0].afternoon) == ("free", "closed")


async def test_the_whole_day_of_a_site_open_only_in_the_morning_is_as_its_morning(
    make_site: MakeSite, make_space: MakeSpace, make_person: MakePerson, run: Run, clock: FixedClock
) -> None:
    desk = await _short_day_desk(make_site, make_space, make_person, run, clock)

    assert (desk.morning, desk.day) == ("free", "free")


async def _after_a_move_under_way(
    make_site: MakeSite, make_space: MakeSpace, make_person: MakePerson, run: Run, clock: FixedClock
) -> DeskAvailability:
    """This morning at a site of four desks capped at two per day part: Anna checked in at
    desk A and moved to desk B at 10:00 (A's booking ends then); a colleague looks."""
    site = await make_site("Satelliet", capacity_cap_percent=50)
    desks = [await make_space(site, name) for name in "ABCD"]
    anna = await make_person()
    made = await run(
        services.create_booking, clock, actor(anna), desk_booking(desks[0], TODAY, "morning")
    )
    await run(services.check_in, clock, actor(anna), made.created[0].id)
    await run(services.move_desk_booking, clock, actor(anna), made.created[0].id, desks[1].id)
    viewer = await make_person()
    found: DeskAvailability = await run(desk_availability, clock, actor(viewer), site.id, TODAY)
    return found


async def test_someone_who_moved_desks_counts_once_towards_the_capacity_cap(
    make_site: MakeSite, make_space: MakeSpace, make_person: MakePerson, run: Run, clock: FixedClock
) -> None:
    availability = await _after_a_move_under_way(make_site, make_space, make_person, run, clock)

    assert availability.cap is not None
    assert availability.cap.booked_morning == 1


async def test_a_desk_under_the_cap_after_a_move_shows_as_free(
    make_site: MakeSite, make_space: MakeSpace, make_person: MakePerson, run: Run, clock: FixedClock
) -> None:
    availability = await _after_a_move_under_way(make_site, make_space, make_person, run, clock)

    assert {d.name: d.morning for d in availability.desks}["C"] == "free"


async def test_a_holder_counted_in_a_reached_cap_sees_the_other_desks_free_to_move_to(
    make_site: MakeSite,
    make_space: MakeSpace,
    make_person: MakePerson,
    run: Run,
    clock: FixedClock,
    book: Book,
) -> None:
    site = await make_site("Satelliet", capacity_cap_percent=50)
    first = await make_space(site, "A")
    await make_space(site, "B")
    anna = await make_person()
    await book(anna, desk_booking(first))

    availability = await run(desk_availability, clock, actor(anna), site.id, TOMORROW)

    assert {d.name: d.morning for d in availability.desks}["B"] == "free"


async def test_desks_of_a_past_day_say_why_they_cannot_be_booked(
    world: World, run: Run, clock: FixedClock
) -> None:
    availability = await run(
        desk_availability,
        clock,
        actor(world.anna),
        world.site.id,
        TODAY - timedelta(days=1),
    )

    assert availability.not_bookable == "Deze dag is voorbij: kies vandaag of een latere dag."


async def test_desks_of_today_can_be_booked(world: World, run: Run, clock: FixedClock) -> None:
    availability = await run(desk_availability, clock, actor(world.anna), world.site.id, TODAY)

    assert availability.not_bookable is None
