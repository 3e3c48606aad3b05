"""Alternatives for a refused room booking: other rooms free then, other times the room is
free that day, under the booking rules.

Anna asks for the meeting room (6 seats, first floor) tomorrow 10:00-11:00; Bram holds
it then unless a test says otherwise.
"""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import (
    SATURDAY,
    TOMORROW,
    Book,
    Run,
    World,
    actor,
    at,
    count_bookings,
    desk_booking,
    local,
    room_booking,
    room_form,
)
from tests.conftest import (
    LoginAs,
    MakeFloor,
    MakePerson,
    MakeSpace,
    MakeTeam,
    add_closure,
    count_queries,
)
from werkplek.bookings import alternatives
from werkplek.bookings.schemas import AlternativesOut, BookingIn
from werkplek.clock import FixedClock
from werkplek.people.models import Person, Role
from werkplek.rooms.models import Amenity, Space

Client = AsyncTestClient[Litestar]


@pytest.fixture
async def bram(make_person: MakePerson) -> Person:
    return await make_person("Bram")


@pytest.fixture
async def room_taken(world: World, bram: Person, book: Book) -> None:
    await book(bram, room_booking(world.room))


@pytest.fixture
def offered(run: Run, clock: FixedClock, world: World) -> Any:
    """The alternatives for Anna's (or ``person``'s) request ``booking``."""

    async def call(
        booking: BookingIn | None = None, person: Person | None = None, **filters: Any
    ) -> AlternativesOut:
        asked = booking or room_booking(world.room)
        found: AlternativesOut = await run(
            alternatives.room_alternatives, clock, actor(person or world.anna), asked, **filters
        )
        return found

    return call


async def meeting_room(
    make_space: MakeSpace, world: World, name: str, capacity: int = 6, **fields: Any
) -> Space:
    fields.setdefault("floor_id", world.floor.id)
    return await make_space(world.site, name, kind="meeting_room", capacity=capacity, **fields)


def names(found: AlternativesOut) -> list[str]:
    return [room.name for room in found.rooms]


def starts(found: AlternativesOut) -> list[str]:
    return [time.local_start.strftime("%H:%M") for time in found.times]


# --- other rooms --------------------------------------------------------------------------


async def test_a_free_room_of_the_same_kind_is_offered(
    world: World, make_space: MakeSpace, room_taken: None, offered: Any
) -> None:
    await meeting_room(make_space, world, "Overleg 1.20")

    assert names(await offered()) == ["Overleg 1.20"]


async def test_an_offered_room_says_its_seats_and_floor(
    world: World, make_space: MakeSpace, room_taken: None, offered: Any
) -> None:
    other = await meeting_room(make_space, world, "Overleg 1.20", capacity=8)

    (room,) = (await offered()).rooms

    assert (room.space_id, room.capacity, room.floor) == (other.id, 8, "Eerste verdieping")


async def test_a_room_taken_then_is_not_offered(
    world: World, make_space: MakeSpace, room_taken: None, offered: Any, bram: Person, book: Book
) -> None:
    other = await meeting_room(make_space, world, "Overleg 1.20")
    await book(bram, room_booking(other, start=(10, 30), end=(12, 0)))

    assert names(await offered()) == []


async def test_a_room_too_small_for_the_people_is_not_offered(
    world: World, make_space: MakeSpace, room_taken: None, offered: Any
) -> None:
    await meeting_room(make_space, world, "Overleg 1.20", capacity=3)

    assert names(await offered(room_booking(world.room, attendees=4))) == []


async def test_the_participants_count_for_the_seats_needed(
    world: World, make_space: MakeSpace, make_person: MakePerson, room_taken: None, offered: Any
) -> None:
    await meeting_room(make_space, world, "Overleg 1.20", capacity=3)
    invited = [(await make_person(f"Collega {n}")).id for n in range(3)]

    assert names(await offered(room_booking(world.room, participants=invited))) == []


async def test_a_room_closed_that_day_is_not_offered(
    db: AsyncSession, world: World, make_space: MakeSpace, room_taken: None, offered: Any
) -> None:
    other = await meeting_room(make_space, world, "Overleg 1.20")
    await add_closure(db, world.site, TOMORROW, TOMORROW, space=other, reason="Schilderwerk")

    assert names(await offered()) == []


async def test_a_room_of_the_other_kind_is_not_offered(
    world: World, room_taken: None, offered: Any
) -> None:
    # The resident room (Spreekkamer A) is free then and large enough for two.
    assert names(await offered(room_booking(world.room, attendees=2))) == []


async def test_a_room_reserved_for_other_teams_is_not_offered(
    world: World, make_space: MakeSpace, make_team: MakeTeam, room_taken: None, offered: Any
) -> None:
    await meeting_room(make_space, world, "Raadzaal", teams=(await make_team("Griffie"),))

    assert names(await offered()) == []


async def test_a_room_reserved_for_the_team_of_whom_it_is_for_is_offered(
    world: World,
    make_space: MakeSpace,
    make_team: MakeTeam,
    make_person: MakePerson,
    room_taken: None,
    offered: Any,
) -> None:
    griffie = await make_team("Griffie")
    await meeting_room(make_space, world, "Raadzaal", teams=(griffie,))
    karim = await make_person("Karim", roles=(Role.KCC,))
    griffier = await make_person("Gerda", teams=(griffie,))

    found = await offered(room_booking(world.room, booked_for_id=griffier.id), person=karim)

    assert names(found) == ["Raadzaal"]


async def test_a_room_without_the_amenities_asked_for_is_not_offered(
    world: World, make_space: MakeSpace, room_taken: None, offered: Any
) -> None:
    await meeting_room(make_space, world, "Overleg 1.20", amenities=["screen"])

    assert names(await offered(amenities=[Amenity.VIDEO])) == []


async def test_a_room_with_the_amenities_asked_for_is_offered(
    world: World, make_space: MakeSpace, room_taken: None, offered: Any
) -> None:
    await meeting_room(make_space, world, "Overleg 1.20", amenities=["screen", "video"])

    assert names(await offered(amenities=[Amenity.VIDEO])) == ["Overleg 1.20"]


async def resident_room(make_space: MakeSpace, world: World, name: str, **fields: Any) -> Space:
    return await make_space(world.site, name, kind="resident_room", capacity=3, **fields)


async def test_a_resident_room_without_the_refused_rooms_safety_features_is_not_offered(
    world: World, make_space: MakeSpace, bram: Person, book: Book, offered: Any
) -> None:
    # Spreekkamer A has an alarm button and a second exit; B lacks the second exit.
    await book(bram, room_booking(world.resident_room))
    await resident_room(make_space, world, "Spreekkamer B", safety_features=["alarm_button"])

    assert names(await offered(room_booking(world.resident_room))) == []


async def test_a_resident_room_with_the_refused_rooms_safety_features_is_offered(
    world: World, make_space: MakeSpace, bram: Person, book: Book, offered: Any
) -> None:
    await book(bram, room_booking(world.resident_room))
    await resident_room(
        make_space,
        world,
        "Spreekkamer C",
        safety_features=["alarm_button", "second_exit", "line_of_sight"],
    )

    assert names(await offered(room_booking(world.resident_room))) == ["Spreekkamer C"]


async def test_a_meeting_room_needs_no_safety_features_of_the_refused_room(
    world: World, db: AsyncSession, make_space: MakeSpace, room_taken: None, offered: Any
) -> None:
    world.room.safety_features = ["line_of_sight"]
    await db.commit()
    await meeting_room(make_space, world, "Overleg 1.20")

    assert names(await offered()) == ["Overleg 1.20"]


async def test_a_room_that_needs_approval_is_offered_as_a_request(
    world: World, make_space: MakeSpace, room_taken: None, offered: Any
) -> None:
    await meeting_room(make_space, world, "Overleg 1.20", requires_approval=True)

    (room,) = (await offered()).rooms

    assert room.requires_approval


async def test_the_room_with_the_fewest_seats_that_fit_comes_first(
    world: World, make_space: MakeSpace, room_taken: None, offered: Any
) -> None:
    await meeting_room(make_space, world, "Aula", capacity=40)
    await meeting_room(make_space, world, "Zolder", capacity=4)

    assert names(await offered()) == ["Zolder", "Aula"]


async def test_of_rooms_as_large_the_one_on_the_same_floor_comes_first(
    world: World, make_space: MakeSpace, make_floor: MakeFloor, room_taken: None, offered: Any
) -> None:
    ground = await make_floor(world.site, "Begane grond")
    await meeting_room(make_space, world, "Aan de gracht", floor_id=ground.id)
    await meeting_room(make_space, world, "Zolder")

    assert names(await offered()) == ["Zolder", "Aan de gracht"]


async def test_at_most_three_rooms_are_offered(
    world: World, make_space: MakeSpace, room_taken: None, offered: Any
) -> None:
    for number in range(4):
        await meeting_room(make_space, world, f"Overleg 2.0{number}")

    assert len((await offered()).rooms) == 3


async def test_nothing_is_offered_on_a_day_the_site_is_closed(
    world: World, make_space: MakeSpace, offered: Any
) -> None:
    await meeting_room(make_space, world, "Overleg 1.20")

    found = await offered(room_booking(world.room, day=SATURDAY))

    assert found == alternatives.NO_ALTERNATIVES


async def test_no_room_is_offered_for_a_time_already_past(
    world: World, make_space: MakeSpace, offered: Any, clock: FixedClock
) -> None:
    await meeting_room(make_space, world, "Overleg 1.20")
    clock.set(at(TOMORROW, 11))

    assert names(await offered()) == []


async def test_finding_alternatives_takes_the_same_queries_for_many_rooms(
    world: World,
    make_space: MakeSpace,
    make_floor: MakeFloor,
    room_taken: None,
    offered: Any,
    db: AsyncSession,
    bram: Person,
    book: Book,
) -> None:
    async def queries() -> int:
        await db.commit()
        with count_queries(db) as statements:
            await offered()
        return len(statements)

    await meeting_room(make_space, world, "Overleg 1.20")
    few = await queries()
    ground = await make_floor(world.site, "Begane grond")
    for number in range(20):
        room = await meeting_room(make_space, world, f"Overleg 0.{number:02}", floor_id=ground.id)
        if number % 2:
            await book(bram, room_booking(room, start=(10, 30), end=(11, 30)))

    assert await queries() == few


# --- other times --------------------------------------------------------------------------


async def test_other_times_are_the_nearest_free_ones_as_long(
    room_taken: None, offered: Any
) -> None:
    assert starts(await offered()) == ["09:00", "11:00", "08:45"]


async def test_an_other_time_lasts_as_long_as_the_time_asked_for(
    room_taken: None, offered: Any
) -> None:
    first = (await offered()).times[0]

    assert (first.local_start.hour, first.local_end.hour) == (9, 10)


async def test_other_times_leave_the_other_bookings_alone(
    world: World, room_taken: None, offered: Any, bram: Person, book: Book
) -> None:
    await book(bram, room_booking(world.room, start=(8, 30), end=(10, 0)))

    assert starts(await offered()) == ["11:00", "11:15", "11:30"]


async def test_other_times_lie_within_opening_hours(
    world: World, offered: Any, bram: Person, book: Book
) -> None:
    await book(bram, room_booking(world.room, start=(16, 0), end=(18, 0)))

    found = await offered(room_booking(world.room, start=(16, 0), end=(18, 0)))

    assert starts(found) == ["14:00", "13:45", "13:30"]


async def test_a_room_too_small_offers_no_other_times(world: World, offered: Any) -> None:
    assert (await offered(room_booking(world.room, attendees=7))).times == []


# --- the API ------------------------------------------------------------------------------


def room_body(world: World, **extra: object) -> dict[str, object]:
    return {
        "space_id": world.room.id,
        "start": local(TOMORROW, 10),
        "end": local(TOMORROW, 11),
        **extra,
    }


async def test_a_taken_room_answers_409_with_the_other_rooms(
    client: Client, world: World, make_space: MakeSpace, login_as: LoginAs, room_taken: None
) -> None:
    other = await meeting_room(make_space, world, "Overleg 1.20")
    await login_as(world.anna)

    response = await client.post("/api/bookings", json=room_body(world))

    assert response.status_code == 409
    assert response.json()["details"]["alternatives"]["rooms"] == [
        {
            "space_id": other.id,
            "name": "Overleg 1.20",
            "capacity": 6,
            "floor": "Eerste verdieping",
            "requires_approval": False,
        }
    ]


async def test_a_taken_room_answers_409_with_the_other_times(
    client: Client, world: World, login_as: LoginAs, room_taken: None
) -> None:
    await login_as(world.anna)

    response = await client.post("/api/bookings", json=room_body(world))

    assert response.json()["details"]["alternatives"]["times"][0] == {
        "start": "2026-11-26T08:00:00Z",
        "end": "2026-11-26T09:00:00Z",
        "local_start": "2026-11-26T09:00:00+01:00",
        "local_end": "2026-11-26T10:00:00+01:00",
    }


async def test_the_409_keeps_the_conflicting_time(
    client: Client, world: World, login_as: LoginAs, room_taken: None
) -> None:
    await login_as(world.anna)

    response = await client.post("/api/bookings", json=room_body(world))

    assert response.json()["details"]["local_start"] == "2026-11-26T10:00:00+01:00"


async def test_a_room_too_small_answers_422_with_larger_rooms(
    client: Client, world: World, make_space: MakeSpace, login_as: LoginAs
) -> None:
    await meeting_room(make_space, world, "Aula", capacity=40)
    await login_as(world.anna)

    response = await client.post("/api/bookings", json=room_body(world, attendees=10))

    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "over_capacity"
    assert [room["name"] for room in body["details"]["alternatives"]["rooms"]] == ["Aula"]


async def test_a_taken_resident_room_answers_without_rooms_lacking_its_safety_features(
    client: Client,
    world: World,
    make_space: MakeSpace,
    login_as: LoginAs,
    bram: Person,
    book: Book,
) -> None:
    await book(bram, room_booking(world.resident_room))
    await resident_room(make_space, world, "Spreekkamer B", safety_features=["alarm_button"])
    await login_as(world.anna)

    body = room_body(world, space_id=world.resident_room.id)
    response = await client.post("/api/bookings", json=body)

    assert response.status_code == 409
    assert response.json()["details"]["alternatives"]["rooms"] == []


async def test_a_taken_desk_answers_without_alternatives(
    client: Client, world: World, login_as: LoginAs, bram: Person, book: Book
) -> None:
    await book(bram, desk_booking(world.desk))
    await login_as(world.anna)

    body = {"space_id": world.desk.id, "date": TOMORROW.isoformat(), "day_part": "morning"}
    response = await client.post("/api/bookings", json=body)

    assert "alternatives" not in response.json()["details"]


async def test_another_refusal_answers_without_alternatives(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    early = room_body(world, start=local(TOMORROW, 6), end=local(TOMORROW, 7))
    response = await client.post("/api/bookings", json=early)

    assert response.json()["error"] == "outside_opening_hours"
    assert "alternatives" not in response.json()["details"]


async def test_a_booking_made_looks_for_no_alternatives(
    client: Client, world: World, login_as: LoginAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def not_on_success(*args: object, **kwargs: object) -> None:
        raise AssertionError("alternatives looked for after a booking was made")

    monkeypatch.setattr(alternatives, "room_alternatives", not_on_success)
    await login_as(world.anna)

    response = await client.post("/api/bookings", json=room_body(world))

    assert response.status_code == 201
    assert set(response.json()) == {"bookings", "skipped", "series_id"}


async def test_the_api_description_documents_the_alternatives(client: Client) -> None:
    schema = (await client.get("/schema/openapi.json")).json()

    answers = schema["paths"]["/api/bookings"]["post"]["responses"]
    assert "`alternatives`" in answers["409"]["description"]
    assert "`alternatives`" in answers["422"]["description"]


# --- the page -----------------------------------------------------------------------------


async def refused_on_the_page(client: Client, world: World, login_as: LoginAs, **extra: str) -> str:
    headers = await login_as(world.anna)
    response = await client.post(
        "/book/room", data=room_form(world, headers["X-CSRF-Token"], **extra)
    )
    assert response.status_code in (409, 422)
    return " ".join(response.text.split())


async def test_the_page_offers_the_rooms_free_at_that_time_under_the_error(
    client: Client, world: World, make_space: MakeSpace, login_as: LoginAs, room_taken: None
) -> None:
    await meeting_room(make_space, world, "Overleg 1.20")

    page = await refused_on_the_page(client, world, login_as)

    assert "Wel vrij op dit tijdstip:" in page
    assert "Overleg 1.20 reserveren</button>" in page


async def test_the_page_offers_the_other_times_the_room_is_free(
    client: Client, world: World, login_as: LoginAs, room_taken: None
) -> None:
    page = await refused_on_the_page(client, world, login_as)

    assert "Reserveren van 09:00 tot 10:00</button>" in page


async def test_a_room_too_small_on_the_page_offers_larger_rooms(
    client: Client, world: World, make_space: MakeSpace, login_as: LoginAs
) -> None:
    await meeting_room(make_space, world, "Aula", capacity=40)

    page = await refused_on_the_page(client, world, login_as, attendees="10")

    assert "Aula reserveren</button>" in page


async def test_an_offered_room_is_booked_with_one_click(
    client: Client,
    db: AsyncSession,
    world: World,
    make_space: MakeSpace,
    login_as: LoginAs,
    room_taken: None,
) -> None:
    other = await meeting_room(make_space, world, "Overleg 1.20")
    headers = await login_as(world.anna)
    offer = {
        **room_form(world, headers["X-CSRF-Token"], title="Overleg"),
        "space_id": str(other.id),
    }

    response = await client.post("/book/room", data=offer, follow_redirects=False)

    assert response.status_code == 302
    assert await count_bookings(db, space_id=other.id, title="Overleg") == 1


async def test_an_offer_books_what_the_refused_form_asked_for(
    client: Client, world: World, make_space: MakeSpace, login_as: LoginAs, room_taken: None
) -> None:
    await meeting_room(make_space, world, "Overleg 1.20")

    page = await refused_on_the_page(client, world, login_as, title="Werkoverleg", attendees="3")

    offer = page.split("Wel vrij op dit tijdstip:")[1].split("</form>")[0]
    assert '<input type="hidden" name="title" value="Werkoverleg">' in offer
    assert '<input type="hidden" name="attendees" value="3">' in offer
    assert '<input type="hidden" name="start" value="10:00">' in offer


async def test_an_htmx_request_is_offered_the_same(
    client: Client, world: World, make_space: MakeSpace, login_as: LoginAs, room_taken: None
) -> None:
    await meeting_room(make_space, world, "Overleg 1.20")
    headers = await login_as(world.anna)

    response = await client.post(
        "/book/room",
        data=room_form(world, headers["X-CSRF-Token"]),
        headers={"HX-Request": "true"},
    )

    assert "Overleg 1.20 reserveren</button>" in response.text


async def test_a_refusal_for_another_reason_offers_nothing(
    client: Client, world: World, make_space: MakeSpace, login_as: LoginAs
) -> None:
    await meeting_room(make_space, world, "Overleg 1.20")

    page = await refused_on_the_page(client, world, login_as, start="06:00", end="07:00")

    assert "Wel vrij" not in page
