"""Planning a field visit through the API: who may plan what, and bad input stores nothing."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson
from tests.visits.conftest import Crew, at, audit_actions, count_visits, resident_room_booking
from werkplek.clock import AMSTERDAM, FixedClock
from werkplek.presence.models import WorkLocation

Client = AsyncTestClient[Litestar]
ONE_DAY = timedelta(days=1)


def body(visitor_ids: list[int], **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "visitor_ids": visitor_ids,
        "start": "2026-11-25T10:30:00+01:00",
        "end": "2026-11-25T11:30:00+01:00",
        "area": "Marum",
        "address": "Molenweg 12, 9363 AB Marum",
    }
    values.update(changes)
    return values


async def test_a_visit_is_planned_with_its_area_address_and_window(
    client: Client, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.anna)

    response = await client.post("/api/visits", json=body([crew.anna.id]))

    assert response.status_code == 201
    visit = response.json()
    assert (visit["status"], visit["area"], visit["address"]) == (
        "planned",
        "Marum",
        "Molenweg 12, 9363 AB Marum",
    )
    assert (visit["start"], visit["end"]) == (
        "2026-11-25T10:30:00+01:00",
        "2026-11-25T11:30:00+01:00",
    )


async def test_times_without_a_zone_are_amsterdam_time(
    client: Client, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.anna)

    response = await client.post(
        "/api/visits",
        json=body([crew.anna.id], start="2026-11-25T14:00:00", end="2026-11-25T15:00:00"),
    )

    assert datetime.fromisoformat(response.json()["start"]) == at(14, 0)


async def test_times_may_leave_out_the_seconds(
    client: Client, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.anna)

    response = await client.post(
        "/api/visits", json=body([crew.anna.id], start="2026-11-25T14:00", end="2026-11-25T15:00")
    )

    assert datetime.fromisoformat(response.json()["start"]) == at(14, 0)


async def test_a_day_that_does_not_exist_is_refused_naming_the_field(
    client: Client, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.anna)

    response = await client.post("/api/visits", json=body([crew.anna.id], end="2026-11-31T15:00"))

    assert (response.status_code, response.json()["error"], response.json()["field"]) == (
        422,
        "invalid_time",
        "end",
    )


async def test_a_start_that_is_no_date_time_is_400_naming_the_field(
    client: Client, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.anna)

    response = await client.post("/api/visits", json=body([crew.anna.id], start="morgen 10 uur"))

    assert (response.status_code, [f["field"] for f in response.json()["fields"]]) == (
        400,
        ["start"],
    )


async def test_planning_is_audited_without_the_address(
    client: Client, db: AsyncSession, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.anna)

    visit = (await client.post("/api/visits", json=body([crew.anna.id]))).json()

    assert await audit_actions(db, visit["id"]) == [("create", crew.anna.id)]


async def test_an_end_before_the_start_is_refused_naming_end(
    client: Client, db: AsyncSession, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.anna)

    response = await client.post(
        "/api/visits", json=body([crew.anna.id], end="2026-11-25T10:00:00+01:00")
    )

    assert (response.status_code, response.json()["field"]) == (422, "end")
    assert await count_visits(db) == 0


async def test_a_visit_of_zero_length_is_refused(
    client: Client, db: AsyncSession, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.anna)

    response = await client.post(
        "/api/visits", json=body([crew.anna.id], end="2026-11-25T10:30:00+01:00")
    )

    assert (response.status_code, response.json()["field"]) == (422, "end")
    assert await count_visits(db) == 0


async def test_a_visit_that_has_already_ended_is_refused(
    client: Client, db: AsyncSession, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.anna)

    response = await client.post(
        "/api/visits",
        json=body(
            [crew.anna.id], start="2026-11-25T08:00:00+01:00", end="2026-11-25T09:00:00+01:00"
        ),
    )

    assert (response.status_code, response.json()["field"]) == (422, "end")


async def test_two_people_required_with_one_visitor_is_refused_naming_visitor_ids(
    client: Client, db: AsyncSession, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.anna)

    response = await client.post("/api/visits", json=body([crew.anna.id], two_person_required=True))

    assert response.status_code == 422
    assert (response.json()["error"], response.json()["field"]) == (
        "two_people_required",
        "visitor_ids",
    )
    assert await count_visits(db) == 0


async def test_two_people_required_with_two_visitors_is_planned(
    client: Client, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.anna)

    response = await client.post(
        "/api/visits", json=body([crew.anna.id, crew.bram.id], two_person_required=True)
    )

    assert response.status_code == 201
    assert [v["name"] for v in response.json()["visitors"]] == ["Anna Veld", "Bram Buiten"]


async def test_an_unknown_visitor_is_refused(
    client: Client, db: AsyncSession, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.anna)

    response = await client.post("/api/visits", json=body([crew.anna.id, 99999]))

    assert (response.status_code, response.json()["field"]) == (422, "visitor_ids")
    assert await count_visits(db) == 0


async def test_a_visitor_who_is_no_longer_active_is_refused(
    client: Client, db: AsyncSession, crew: Crew, make_person: MakePerson, login_as: LoginAs
) -> None:
    gone = await make_person("Oud Collega", active=False)
    await login_as(crew.anna)

    response = await client.post("/api/visits", json=body([crew.anna.id, gone.id]))

    assert (response.status_code, response.json()["field"]) == (422, "visitor_ids")
    assert await count_visits(db) == 0


async def test_three_visitors_are_refused(client: Client, crew: Crew, login_as: LoginAs) -> None:
    await login_as(crew.anna)

    response = await client.post(
        "/api/visits", json=body([crew.anna.id, crew.bram.id, crew.lead.id])
    )

    assert (response.status_code, response.json()["field"]) == (422, "visitor_ids")


async def test_a_visitor_on_another_visit_at_that_time_is_refused(
    client: Client, db: AsyncSession, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.anna)
    await client.post("/api/visits", json=body([crew.anna.id]))

    response = await client.post(
        "/api/visits",
        json=body(
            [crew.anna.id], start="2026-11-25T11:00:00+01:00", end="2026-11-25T12:00:00+01:00"
        ),
    )

    assert response.status_code == 422
    assert (response.json()["error"], response.json()["field"]) == (
        "visitor_elsewhere",
        "visitor_ids",
    )
    assert await count_visits(db) == 1


async def test_a_visit_may_start_when_the_visitors_previous_one_ends(
    client: Client, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.anna)
    await client.post("/api/visits", json=body([crew.anna.id]))

    response = await client.post(
        "/api/visits",
        json=body(
            [crew.anna.id], start="2026-11-25T11:30:00+01:00", end="2026-11-25T12:30:00+01:00"
        ),
    )

    assert response.status_code == 201


async def test_a_visitor_absent_that_day_part_is_refused(
    client: Client, db: AsyncSession, clock: Any, crew: Crew, login_as: LoginAs
) -> None:
    db.add(
        WorkLocation(
            person_id=crew.bram.id,
            date=date(2026, 11, 25),
            day_part="morning",
            kind="absent",
            absence_reason="tandarts",
            updated_at=clock.now(),
        )
    )
    await db.commit()
    await login_as(crew.anna)

    response = await client.post("/api/visits", json=body([crew.anna.id, crew.bram.id]))

    assert response.status_code == 422
    assert (response.json()["error"], response.json()["field"]) == (
        "visitor_absent",
        "visitor_ids",
    )
    assert await count_visits(db) == 0


async def test_absence_in_another_day_part_does_not_stop_a_visit(
    client: Client, db: AsyncSession, clock: Any, crew: Crew, login_as: LoginAs
) -> None:
    db.add(
        WorkLocation(
            person_id=crew.anna.id,
            date=date(2026, 11, 25),
            day_part="afternoon",
            kind="absent",
            updated_at=clock.now(),
        )
    )
    await db.commit()
    await login_as(crew.anna)

    response = await client.post("/api/visits", json=body([crew.anna.id]))

    assert response.status_code == 201


async def test_a_home_visit_needs_an_address(client: Client, crew: Crew, login_as: LoginAs) -> None:
    await login_as(crew.anna)

    response = await client.post("/api/visits", json=body([crew.anna.id], address="  "))

    assert (response.status_code, response.json()["field"]) == (422, "address")


async def test_a_visit_needs_an_area(client: Client, crew: Crew, login_as: LoginAs) -> None:
    await login_as(crew.anna)

    response = await client.post("/api/visits", json=body([crew.anna.id], area=""))

    assert (response.status_code, response.json()["field"]) == (422, "area")


async def test_an_area_with_a_house_number_is_refused_naming_area(
    client: Client, db: AsyncSession, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.anna)

    response = await client.post(
        "/api/visits", json=body([crew.anna.id], area="Kerkstraat 14b Marum")
    )

    assert (response.status_code, response.json()["field"]) == (422, "area")
    assert await count_visits(db) == 0


async def test_an_area_with_a_house_number_is_refused_as_in_my_week(
    client: Client, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.anna)

    response = await client.post(
        "/api/visits", json=body([crew.anna.id], area="Kerkstraat 14b Marum")
    )

    assert response.json()["message"] == "Vul alleen een wijk of dorp in, nooit een adres."


async def test_an_employee_cannot_plan_a_visit_for_someone_else(
    client: Client, db: AsyncSession, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.anna)

    response = await client.post("/api/visits", json=body([crew.bram.id]))

    assert response.status_code == 403
    assert await count_visits(db) == 0


async def test_a_team_lead_plans_a_visit_for_a_team_member(
    client: Client, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.lead)

    response = await client.post("/api/visits", json=body([crew.bram.id]))

    assert response.status_code == 201


async def test_a_team_lead_cannot_plan_for_another_team(
    client: Client, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.lead)

    response = await client.post("/api/visits", json=body([crew.outsider.id]))

    assert response.status_code == 403


# --- a resident room instead of a home visit ----------------------------------------------


async def test_a_visit_in_a_booked_resident_room_links_the_booking(
    client: Client, db: AsyncSession, clock: Any, crew: Crew, login_as: LoginAs
) -> None:
    booking = await resident_room_booking(db, clock, crew.anna.id)
    await login_as(crew.anna)

    response = await client.post(
        "/api/visits", json=body([crew.anna.id], address="", area="", booking_id=booking.id)
    )

    assert response.status_code == 201
    visit = response.json()
    assert (visit["area"], visit["booking"]["space_name"]) == ("Marum", "Spreekkamer 1")


async def test_a_booking_of_a_desk_cannot_be_linked(
    client: Client, db: AsyncSession, clock: Any, crew: Crew, login_as: LoginAs
) -> None:
    booking = await resident_room_booking(db, clock, crew.anna.id, kind="desk")
    await login_as(crew.anna)

    response = await client.post("/api/visits", json=body([crew.anna.id], booking_id=booking.id))

    assert (response.status_code, response.json()["field"]) == (422, "booking_id")


async def test_a_booking_of_someone_else_cannot_be_linked(
    client: Client, db: AsyncSession, clock: Any, crew: Crew, login_as: LoginAs
) -> None:
    booking = await resident_room_booking(db, clock, crew.outsider.id)
    await login_as(crew.anna)

    response = await client.post("/api/visits", json=body([crew.anna.id], booking_id=booking.id))

    assert (response.status_code, response.json()["field"]) == (422, "booking_id")


# --- listing ------------------------------------------------------------------------------


async def test_my_visits_lists_only_visits_i_go_on(
    client: Client, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.lead)
    await client.post("/api/visits", json=body([crew.anna.id], area="Marum"))
    await client.post("/api/visits", json=body([crew.bram.id], area="Grootegast"))
    await login_as(crew.anna)

    response = await client.get("/api/visits")

    assert [v["area"] for v in response.json()] == ["Marum"]


async def test_my_visits_over_a_date_range(client: Client, crew: Crew, login_as: LoginAs) -> None:
    await login_as(crew.anna)
    await client.post("/api/visits", json=body([crew.anna.id], area="Marum"))
    await client.post(
        "/api/visits",
        json=body(
            [crew.anna.id],
            area="Leek",
            start="2026-11-27T09:00:00+01:00",
            end="2026-11-27T10:00:00+01:00",
        ),
    )

    today = await client.get("/api/visits")
    week = await client.get("/api/visits", params={"from": "2026-11-25", "to": "2026-11-29"})

    assert [v["area"] for v in today.json()] == ["Marum"]
    assert [v["area"] for v in week.json()] == ["Marum", "Leek"]


# --- summer and winter time ---------------------------------------------------------------


def _night_of(clock: FixedClock, day: str, start: str, end: str, crew: Crew) -> dict[str, Any]:
    """A visit in the night ``day`` (times without a zone), planned the day before."""
    clock.set(datetime.fromisoformat(f"{day}T10:00:00").replace(tzinfo=AMSTERDAM) - ONE_DAY)
    return body([crew.anna.id], start=f"{day}T{start}:00", end=f"{day}T{end}:00")


async def test_a_start_time_skipped_by_summer_time_is_refused_naming_start(
    client: Client, db: AsyncSession, clock: FixedClock, crew: Crew, login_as: LoginAs
) -> None:
    visit = _night_of(clock, "2027-03-28", "02:30", "03:15", crew)
    await login_as(crew.anna)

    response = await client.post("/api/visits", json=visit)

    assert (response.status_code, response.json()["field"]) == (422, "start")
    assert await count_visits(db) == 0


async def test_a_start_time_skipped_by_summer_time_is_refused_as_not_existing_that_day(
    client: Client, clock: FixedClock, crew: Crew, login_as: LoginAs
) -> None:
    visit = _night_of(clock, "2027-03-28", "02:30", "03:15", crew)
    await login_as(crew.anna)

    response = await client.post("/api/visits", json=visit)

    assert (response.json()["error"], response.json()["message"]) == (
        "time_skipped",
        "De begintijd 02:30 bestaat niet op zondag 28-03-2027: "
        "de klok gaat dan een uur vooruit naar de zomertijd.",
    )


async def test_an_end_time_skipped_by_summer_time_is_refused_naming_end(
    client: Client, clock: FixedClock, crew: Crew, login_as: LoginAs
) -> None:
    visit = _night_of(clock, "2027-03-28", "01:30", "02:15", crew)
    await login_as(crew.anna)

    response = await client.post("/api/visits", json=visit)

    assert (response.status_code, response.json()["field"]) == (422, "end")
    assert response.json()["message"].startswith("De eindtijd 02:15 bestaat niet")


async def test_a_visit_across_the_start_of_summer_time_lasts_the_time_that_passes(
    client: Client, clock: FixedClock, crew: Crew, login_as: LoginAs
) -> None:
    visit = _night_of(clock, "2027-03-28", "01:30", "03:15", crew)
    await login_as(crew.anna)

    response = await client.post("/api/visits", json=visit)

    assert (response.json()["start"], response.json()["end"]) == (
        "2027-03-28T01:30:00+01:00",
        "2027-03-28T03:15:00+02:00",
    )


async def test_a_time_passed_twice_when_summer_time_ends_is_its_first_occurrence(
    client: Client, clock: FixedClock, crew: Crew, login_as: LoginAs
) -> None:
    visit = _night_of(clock, "2027-10-31", "02:30", "03:15", crew)
    await login_as(crew.anna)

    response = await client.post("/api/visits", json=visit)

    assert (response.json()["start"], response.json()["end"]) == (
        "2027-10-31T02:30:00+02:00",
        "2027-10-31T03:15:00+01:00",
    )


async def test_the_second_occurrence_of_a_time_passed_twice_can_be_given_with_its_offset(
    client: Client, clock: FixedClock, crew: Crew, login_as: LoginAs
) -> None:
    visit = _night_of(clock, "2027-10-31", "02:30", "03:15", crew)
    visit["start"] = "2027-10-31T02:30:00+01:00"
    await login_as(crew.anna)

    response = await client.post("/api/visits", json=visit)

    assert response.json()["start"] == "2027-10-31T02:30:00+01:00"
