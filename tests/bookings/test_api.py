"""The bookings API: shapes, status codes, error codes naming the field, nothing stored on error."""

from __future__ import annotations

from datetime import timedelta

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import (
    TODAY,
    TOMORROW,
    Book,
    World,
    all_bookings,
    at,
    count_bookings,
    desk_booking,
    local,
)
from tests.conftest import LoginAs, MakePerson
from werkplek.clock import FixedClock

Client = AsyncTestClient[Litestar]


def desk_body(world: World, **extra: object) -> dict[str, object]:
    return {
        "space_id": world.desk.id,
        "date": TOMORROW.isoformat(),
        "day_part": "morning",
        **extra,
    }


def room_body(world: World, start: str, end: str, **extra: object) -> dict[str, object]:
    return {"space_id": world.room.id, "start": start, "end": end, **extra}


# --- creating -----------------------------------------------------------------------------


async def test_booking_a_desk_answers_201_with_utc_and_local_times(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.post("/api/bookings", json=desk_body(world))

    assert response.status_code == 201
    (booking,) = response.json()["bookings"]
    assert booking["start"] == "2026-11-26T06:30:00Z"
    assert booking["end"] == "2026-11-26T12:00:00Z"
    assert booking["local_start"] == "2026-11-26T07:30:00+01:00"
    assert booking["local_end"] == "2026-11-26T13:00:00+01:00"
    assert (booking["status"], booking["day_part"], booking["date"]) == (
        "confirmed",
        "morning",
        "2026-11-26",
    )
    assert response.json()["skipped"] == []


async def test_booking_a_room_with_local_times_stores_utc(
    client: Client, world: World, login_as: LoginAs, db: AsyncSession
) -> None:
    await login_as(world.anna)

    response = await client.post(
        "/api/bookings",
        json=room_body(world, local(TOMORROW, 10), local(TOMORROW, 11, 30), title="Overleg"),
    )

    assert response.status_code == 201
    (stored,) = await all_bookings(db)
    assert (stored.start_at, stored.end_at, stored.title) == (
        at(TOMORROW, 10),
        at(TOMORROW, 11, 30),
        "Overleg",
    )


async def test_room_times_without_offset_are_read_as_amsterdam_time(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.post(
        "/api/bookings", json=room_body(world, "2026-11-26T10:00:00", "2026-11-26T11:00:00")
    )

    assert response.json()["bookings"][0]["start"] == "2026-11-26T09:00:00Z"


async def test_room_times_without_seconds_are_read_as_amsterdam_time(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.post(
        "/api/bookings", json=room_body(world, "2026-11-26T10:00", "2026-11-26T11:00")
    )

    assert response.status_code == 201
    assert response.json()["bookings"][0]["start"] == "2026-11-26T09:00:00Z"


async def test_room_times_with_an_offset_and_without_seconds_are_that_instant(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.post(
        "/api/bookings", json=room_body(world, "2026-11-26T09:00Z", "2026-11-26T12:00+02:00")
    )

    booking = response.json()["bookings"][0]
    assert (booking["local_start"], booking["local_end"]) == (
        "2026-11-26T10:00:00+01:00",
        "2026-11-26T11:00:00+01:00",
    )


async def test_a_start_on_a_day_that_does_not_exist_is_422_invalid_time_at_start(
    client: Client, world: World, login_as: LoginAs, db: AsyncSession
) -> None:
    await login_as(world.anna)

    response = await client.post(
        "/api/bookings", json=room_body(world, "2026-11-31T10:00", "2026-11-26T11:00")
    )

    assert (response.status_code, response.json()["error"], response.json()["field"]) == (
        422,
        "invalid_time",
        "start",
    )
    assert await count_bookings(db) == 0


async def test_an_end_beyond_the_calendar_is_422_invalid_time_at_end(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.post(
        "/api/bookings", json=room_body(world, "2026-11-26T10:00", "9999-12-31T23:59-01:00")
    )

    assert (response.status_code, response.json()["error"], response.json()["field"]) == (
        422,
        "invalid_time",
        "end",
    )


async def test_booking_a_taken_desk_is_409_with_the_conflicting_time(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    await login_as(await make_person("Bram"))

    response = await client.post("/api/bookings", json=desk_body(world))

    assert response.status_code == 409
    body = response.json()
    assert (body["error"], body["field"]) == ("booking_conflict", "space_id")
    assert body["details"]["start"] == "2026-11-26T06:30:00+00:00"
    assert body["details"]["end"] == "2026-11-26T12:00:00+00:00"
    assert body["details"]["local_start"] == "2026-11-26T07:30:00+01:00"


async def test_error_messages_are_dutch_by_default(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.post(
        "/api/bookings", json=room_body(world, local(TOMORROW, 11), local(TOMORROW, 10))
    )

    assert response.json()["message"] == "De eindtijd moet na de begintijd liggen."


async def test_error_messages_follow_the_persons_language(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson
) -> None:
    await login_as(await make_person("Emma", language="en"))

    response = await client.post(
        "/api/bookings", json=room_body(world, local(TOMORROW, 11), local(TOMORROW, 10))
    )

    assert response.json()["message"] == "The end must be after the start."


# --- bad input: 4xx naming the field, nothing stored --------------------------------------


async def test_start_after_end_is_422_on_end_and_stores_nothing(
    client: Client, world: World, login_as: LoginAs, db: AsyncSession
) -> None:
    await login_as(world.anna)

    response = await client.post(
        "/api/bookings", json=room_body(world, local(TOMORROW, 11), local(TOMORROW, 10))
    )

    assert response.status_code == 422
    assert (response.json()["error"], response.json()["field"]) == ("invalid_time_range", "end")
    assert await count_bookings(db) == 0


async def test_zero_length_is_422_and_stores_nothing(
    client: Client, world: World, login_as: LoginAs, db: AsyncSession
) -> None:
    await login_as(world.anna)

    response = await client.post(
        "/api/bookings", json=room_body(world, local(TOMORROW, 10), local(TOMORROW, 10))
    )

    assert (response.status_code, response.json()["error"]) == (422, "invalid_time_range")
    assert await count_bookings(db) == 0


async def test_a_date_in_the_past_is_422_on_date_and_stores_nothing(
    client: Client, world: World, login_as: LoginAs, db: AsyncSession
) -> None:
    await login_as(world.anna)

    response = await client.post(
        "/api/bookings", json=desk_body(world, date=(TODAY - timedelta(days=2)).isoformat())
    )

    assert response.status_code == 422
    assert (response.json()["error"], response.json()["field"]) == ("in_the_past", "date")
    assert await count_bookings(db) == 0


async def test_an_unknown_space_is_422_on_space_id(
    client: Client, world: World, login_as: LoginAs, db: AsyncSession
) -> None:
    await login_as(world.anna)

    response = await client.post("/api/bookings", json=desk_body(world, space_id=424242))

    assert response.status_code == 422
    assert (response.json()["error"], response.json()["field"]) == ("unknown_space", "space_id")
    assert await count_bookings(db) == 0


async def test_a_room_booking_on_a_desk_is_422_wrong_booking_kind(
    client: Client, world: World, login_as: LoginAs, db: AsyncSession
) -> None:
    await login_as(world.anna)

    response = await client.post(
        "/api/bookings",
        json={"space_id": world.desk.id, "start": local(TOMORROW, 9), "end": local(TOMORROW, 10)},
    )

    assert response.status_code == 422
    assert response.json()["error"] == "wrong_booking_kind"
    assert await count_bookings(db) == 0


async def test_more_attendees_than_seats_is_422_on_attendees(
    client: Client, world: World, login_as: LoginAs, db: AsyncSession
) -> None:
    await login_as(world.anna)

    response = await client.post(
        "/api/bookings",
        json=room_body(world, local(TOMORROW, 10), local(TOMORROW, 11), attendees=12),
    )

    assert response.status_code == 422
    assert (response.json()["error"], response.json()["field"]) == ("over_capacity", "attendees")
    assert await count_bookings(db) == 0


async def test_a_malformed_date_is_400_naming_the_field(
    client: Client, world: World, login_as: LoginAs, db: AsyncSession
) -> None:
    await login_as(world.anna)

    response = await client.post("/api/bookings", json=desk_body(world, date="26-11-2026"))

    assert response.status_code == 400
    assert response.json()["error"] == "validation_error"
    assert [f["field"] for f in response.json()["fields"]] == ["date"]
    assert await count_bookings(db) == 0


async def test_a_missing_body_field_is_400_naming_that_field(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.post("/api/bookings", json={"date": "2026-11-26"})

    assert [f["field"] for f in response.json()["fields"]] == ["space_id"]


async def test_a_wrongly_typed_value_is_explained_in_the_callers_language(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.post("/api/bookings", json=desk_body(world, space_id="tien"))

    assert response.json()["fields"][0]["message"] == "Vul een heel getal in."


async def test_a_missing_query_parameter_is_400_naming_it(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get("/api/availability", params={"site": world.site.id})

    assert response.status_code == 400
    assert [f["field"] for f in response.json()["fields"]] == ["date"]


async def test_a_body_that_is_not_json_is_400_invalid_json(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.post(
        "/api/bookings", content=b"{", headers={"content-type": "application/json"}
    )

    assert (response.status_code, response.json()["error"]) == (400, "invalid_json")
    assert response.json()["message"] == "De inhoud van het verzoek is geen geldige JSON."


async def test_a_body_that_is_not_json_says_why_in_the_parsers_words(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.post(
        "/api/bookings", content=b"{", headers={"content-type": "application/json"}
    )

    assert response.json()["details"] == {"reason": "Input data was truncated"}


async def test_a_number_beyond_postgresqls_integers_is_400_invalid_value(
    client: Client, world: World, login_as: LoginAs, backend: str
) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite's integers hold any number JSON gives")
    await login_as(world.anna)

    response = await client.get(f"/api/bookings/{2**40}")

    assert (response.status_code, response.json()) == (
        400,
        {
            "error": "invalid_value",
            "message": "Een waarde in het verzoek is te groot of bevat niet-toegestane tekens.",
        },
    )


async def test_a_malformed_request_answers_only_the_documented_error_fields(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get("/api/availability", params={"site": world.site.id})

    assert set(response.json()) == {"error", "message", "fields"}


async def test_a_malformed_start_is_400_naming_the_field(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.post(
        "/api/bookings", json=room_body(world, "tomorrow at ten", local(TOMORROW, 11))
    )

    assert response.status_code == 400
    assert [f["field"] for f in response.json()["fields"]] == ["start"]


async def test_a_start_without_a_time_is_400_naming_the_field(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.post(
        "/api/bookings", json=room_body(world, "2026-11-26", "2026-11-26T11:00")
    )

    assert response.status_code == 400
    assert [f["field"] for f in response.json()["fields"]] == ["start"]


async def test_an_unknown_day_part_is_400_naming_the_field(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.post("/api/bookings", json=desk_body(world, day_part="evening"))

    assert response.status_code == 400
    assert [f["field"] for f in response.json()["fields"]] == ["day_part"]


async def test_booking_without_logging_in_is_401(client: Client, world: World) -> None:
    response = await client.post("/api/bookings", json=desk_body(world))

    assert response.status_code == 401


# --- reading, cancelling, checking in -----------------------------------------------------


async def test_my_bookings_are_listed_from_today_on(
    client: Client, world: World, login_as: LoginAs, clock: FixedClock, book: Book
) -> None:
    clock.set(at(TODAY, 7))
    await book(world.anna, desk_booking(world.desk, TODAY))
    await book(world.anna, desk_booking(world.desk2))
    clock.set(at(TOMORROW, 7))
    await login_as(world.anna)

    response = await client.get("/api/bookings")

    assert [b["space_name"] for b in response.json()] == ["Flexplek 1.02"]


async def test_bookings_can_be_listed_for_a_date_range(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    await book(world.anna, desk_booking(world.desk, TOMORROW + timedelta(days=1)))
    await login_as(world.anna)

    response = await client.get(
        "/api/bookings", params={"from": TOMORROW.isoformat(), "to": TOMORROW.isoformat()}
    )

    assert [b["date"] for b in response.json()] == [TOMORROW.isoformat()]


async def test_one_booking_can_be_read(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    made = await book(world.anna, desk_booking(world.desk))
    await login_as(world.anna)

    response = await client.get(f"/api/bookings/{made.created[0].id}")

    assert (response.status_code, response.json()["space_name"]) == (200, "Flexplek 1.01")


async def test_cancelling_answers_204_and_frees_the_desk(
    client: Client, world: World, login_as: LoginAs, db: AsyncSession, book: Book
) -> None:
    made = await book(world.anna, desk_booking(world.desk))
    await login_as(world.anna)

    response = await client.delete(f"/api/bookings/{made.created[0].id}")

    assert response.status_code == 204
    (stored,) = await all_bookings(db)
    assert (stored.status, stored.sequence) == ("cancelled", 1)


async def test_checking_in_answers_the_checked_in_booking(
    client: Client, world: World, login_as: LoginAs, clock: FixedClock, book: Book
) -> None:
    made = await book(world.anna, desk_booking(world.desk))
    clock.set(at(TOMORROW, 7, 40))
    await login_as(world.anna)

    response = await client.post(f"/api/bookings/{made.created[0].id}/check-in")

    assert response.status_code == 200
    assert response.json()["status"] == "checked_in"
    assert response.json()["checked_in_at"] == "2026-11-26T06:40:00Z"


async def test_checking_in_too_early_is_422(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    made = await book(world.anna, desk_booking(world.desk))
    await login_as(world.anna)

    response = await client.post(f"/api/bookings/{made.created[0].id}/check-in")

    assert (response.status_code, response.json()["error"]) == (422, "check_in_too_early")


async def test_checking_in_twice_is_harmless(
    client: Client, world: World, login_as: LoginAs, clock: FixedClock, book: Book
) -> None:
    made = await book(world.anna, desk_booking(world.desk))
    clock.set(at(TOMORROW, 7, 40))
    await login_as(world.anna)
    await client.post(f"/api/bookings/{made.created[0].id}/check-in")

    response = await client.post(f"/api/bookings/{made.created[0].id}/check-in")

    assert (response.status_code, response.json()["sequence"]) == (200, 1)


async def test_the_release_time_is_shown_until_checked_in(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    made = await book(world.anna, desk_booking(world.desk))
    await login_as(world.anna)

    response = await client.get(f"/api/bookings/{made.created[0].id}")

    assert response.json()["release_at"] == "2026-11-26T07:00:00Z"  # 07:30 + 30 min local


async def test_the_api_is_documented_in_the_openapi_schema(client: Client) -> None:
    response = await client.get("/schema/openapi.json")

    paths = response.json()["paths"]
    assert {"/api/bookings", "/api/bookings/{booking_id}", "/api/availability"} <= set(paths)


async def test_a_last_day_before_today_without_a_first_day_is_422_on_to(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/api/bookings", params={"to": (TODAY - timedelta(days=1)).isoformat()}
    )

    assert (response.status_code, response.json()["field"]) == (422, "to")
    assert response.json()["message"] == (
        "De einddatum ligt vóór vandaag, de begindatum als u er geen geeft."
    )


async def test_a_last_day_before_the_first_day_is_422_on_to(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/api/bookings", params={"from": TOMORROW.isoformat(), "to": TODAY.isoformat()}
    )

    assert (response.status_code, response.json()["field"]) == (422, "to")
