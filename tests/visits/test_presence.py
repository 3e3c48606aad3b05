"""During a field visit the KCC sees the colleague "op locatie (area) gepland tot (planned
end)";
never the address, and colleagues without a contact role see only "not in the office"."""

from __future__ import annotations

from datetime import datetime

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakeSite, MakeSpace
from tests.visits.conftest import Crew, PlanVisit, at, user
from werkplek.bookings.models import Booking
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.visits import services

Client = AsyncTestClient[Litestar]


async def test_active_visits_at_gives_the_area_and_the_planned_end(
    db: AsyncSession, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna, crew.bram])

    found = await services.active_visits_at(db, [crew.anna.id, crew.lead.id], at(10, 45))

    assert list(found) == [crew.anna.id]
    assert (found[crew.anna.id].visit_id, found[crew.anna.id].area) == (visit.id, "Marum")
    assert found[crew.anna.id].until == at(11, 30)


async def test_nobody_is_on_a_visit_before_it_starts(
    db: AsyncSession, crew: Crew, plan: PlanVisit
) -> None:
    await plan([crew.anna])

    assert await services.active_visits_at(db, [crew.anna.id], at(10, 29)) == {}


async def test_someone_checked_in_stays_on_location_past_the_planned_end(
    db: AsyncSession, clock: FixedClock, crew: Crew, plan: PlanVisit
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(10, 35))
    await services.check_in(db, clock, user(crew.anna), visit.id)
    await db.commit()

    assert crew.anna.id in await services.active_visits_at(db, [crew.anna.id], at(11, 40))


async def test_a_checked_out_visit_is_over(
    db: AsyncSession,
    clock: FixedClock,
    crew: Crew,
    plan: PlanVisit,
    settings: Settings,
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(10, 50))
    await services.check_out(db, clock, settings, user(crew.anna), visit.id)
    await db.commit()

    assert await services.active_visits_at(db, [crew.anna.id], at(11, 0)) == {}


async def test_the_kcc_status_shows_on_location_in_the_area_until_the_planned_end(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    await plan([crew.anna])
    clock.set(at(10, 45))
    await login_as(crew.kcc)

    response = await client.get(f"/api/people/{crew.anna.id}/status")

    location = response.json()["location"]
    assert (location["kind"], location["area"], location["source"]) == (
        "on_location",
        "Marum",
        "visit",
    )
    assert datetime.fromisoformat(location["visit_until"]) == at(11, 30)
    assert "Molenweg" not in response.text


async def test_the_kcc_finder_reads_on_location_marum_planned_until_the_end_in_dutch(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    await plan([crew.anna])
    clock.set(at(10, 45))
    await login_as(crew.kcc)

    response = await client.get("/kcc", params={"q": "Anna"})

    assert response.status_code == 200
    text = " ".join(response.text.split())
    assert "Op locatie</span> · Marum gepland tot 11:30" in text
    assert "Molenweg" not in text


async def test_the_kcc_finder_says_the_end_of_a_visit_once_when_it_ends_the_reachable_time(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    await plan([crew.anna])  # Anna has no weekly pattern: reachable until the visit ends
    clock.set(at(10, 45))
    await login_as(crew.kcc)

    response = await client.get("/kcc", params={"q": "Anna"})

    text = " ".join(response.text.split())
    assert (text.count("11:30"), "tot het bezoek eindigt" in text) == (1, True)


async def test_the_status_says_when_someone_is_reachable_until_their_visit_ends(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    await plan([crew.anna])
    clock.set(at(10, 45))
    await login_as(crew.kcc)

    status = (await client.get(f"/api/people/{crew.anna.id}/status")).json()

    assert status["until_visit_ends"] is True


async def test_the_status_does_not_say_so_when_someone_is_reachable_after_their_visit(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    await login_as(crew.anna)
    await client.put(
        "/api/presence/2026-11-25",
        json={"parts": [{"day_part": "day", "kind": "home"}]},  # reachable 08:30-17:00
    )
    await plan([crew.anna])
    clock.set(at(10, 45))
    await login_as(crew.kcc)

    status = (await client.get(f"/api/people/{crew.anna.id}/status")).json()

    assert (status["until_visit_ends"], datetime.fromisoformat(status["until"])) == (
        False,
        at(17),
    )


@pytest.fixture
async def running_late(db: AsyncSession, clock: FixedClock, crew: Crew, plan: PlanVisit) -> None:
    """Anna checked in at 10:35 and is not checked out at 11:45, past the planned 11:30."""
    visit = await plan([crew.anna])
    clock.set(at(10, 35))
    await services.check_in(db, clock, user(crew.anna), visit.id)
    await db.commit()
    clock.set(at(11, 45))


@pytest.mark.usefixtures("running_late")
async def test_the_kcc_finder_still_reads_planned_until_the_end_once_it_has_passed(
    client: Client, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.kcc)

    response = await client.get("/kcc", params={"q": "Anna"})

    assert "Marum gepland tot 11:30" in " ".join(response.text.split())


@pytest.mark.usefixtures("running_late")
async def test_the_kcc_finder_says_the_end_of_a_visit_running_late_is_not_known(
    client: Client, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.kcc)

    response = await client.get("/kcc", params={"q": "Anna"})

    assert "einde onbekend (bezoek loopt uit)" in response.text


async def test_a_colleague_without_a_contact_role_does_not_see_the_visit_area(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    await plan([crew.anna])
    clock.set(at(10, 45))
    await login_as(crew.outsider)

    response = await client.get(f"/api/people/{crew.anna.id}/status")

    location = response.json()["location"]
    assert (location["kind"], location["area"], location["visit_until"]) == (
        "not_in",
        None,
        None,
    )


async def test_someone_on_a_visit_is_reachable_until_its_planned_end(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    await plan([crew.anna])  # Anna has no weekly pattern: her day is otherwise unknown
    clock.set(at(10, 45))
    await login_as(crew.kcc)

    status = (await client.get(f"/api/people/{crew.anna.id}/status")).json()

    assert (status["reachable_now"], datetime.fromisoformat(status["until"])) == (
        True,
        at(11, 30),
    )


async def test_a_colleague_is_not_told_that_it_is_a_field_visit(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    await plan([crew.anna])
    clock.set(at(10, 45))
    await login_as(crew.outsider)

    location = (await client.get(f"/api/people/{crew.anna.id}/status")).json()["location"]

    assert (location["kind"], location["source"]) == ("not_in", "entry")


# --- a visit planned stands in the way of being absent then --------------------------------

TODAY_URL = "/api/presence/2026-11-25"


async def test_a_half_day_with_a_visit_planned_cannot_be_set_absent(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    await plan([crew.anna])
    await login_as(crew.anna)
    response = await client.put(
        TODAY_URL, json={"parts": [{"day_part": "morning", "kind": "absent"}]}
    )
    assert (response.status_code, response.json()["error"], response.json()["field"]) == (
        422,
        "visit_planned",
        "parts",
    )


async def test_the_refusal_names_the_visit_to_cancel_first(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    await plan([crew.anna])
    await login_as(crew.anna)
    response = await client.put(TODAY_URL, json={"parts": [{"day_part": "day", "kind": "absent"}]})
    assert response.json()["message"] == (
        "Anna Veld heeft een veldbezoek in Marum op woensdag 25-11-2026 om 10:30: annuleer "
        "dat eerst en plan het opnieuw voor wie in plaats daarvan gaat."
    )


async def test_the_other_half_day_of_a_visit_can_be_set_absent(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    await plan([crew.anna])
    await login_as(crew.anna)
    response = await client.put(
        TODAY_URL, json={"parts": [{"day_part": "afternoon", "kind": "absent"}]}
    )
    assert response.status_code == 200


async def test_a_cancelled_visit_no_longer_stands_in_the_way(
    client: Client,
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
    crew: Crew,
    plan: PlanVisit,
    login_as: LoginAs,
) -> None:
    visit = await plan([crew.anna])
    await services.cancel(db, clock, settings, user(crew.anna), visit.id)
    await db.commit()
    await login_as(crew.anna)
    response = await client.put(
        TODAY_URL, json={"parts": [{"day_part": "morning", "kind": "absent"}]}
    )
    assert response.status_code == 200


async def test_a_fellow_visitor_cannot_report_an_absence_over_the_visit_either(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    await plan([crew.anna, crew.bram])
    await login_as(crew.bram)
    response = await client.post(
        "/api/presence/absence", json={"first": "2026-11-25", "last": "2026-11-27"}
    )
    assert (response.status_code, response.json()["field"]) == (422, "first")


async def test_an_absence_refused_for_a_visit_stores_nothing(
    client: Client, db: AsyncSession, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    await plan([crew.anna])
    await login_as(crew.lead)
    await client.post(
        f"/api/presence/absence?person={crew.anna.id}",
        json={"first": "2026-11-25", "last": "2026-11-27"},
    )
    days = (await client.get(f"/api/presence/absence?person={crew.anna.id}")).json()
    assert days == []


async def test_someone_on_a_visit_is_not_shown_in_a_meeting_held_for_them_then(
    client: Client,
    db: AsyncSession,
    clock: FixedClock,
    crew: Crew,
    plan: PlanVisit,
    login_as: LoginAs,
    make_site: MakeSite,
    make_space: MakeSpace,
) -> None:
    """The visit says where they are: a resident room may be its place, or a room held
    at the office while they are out is not where to reach them."""
    room = await make_space(await make_site("Stadhuis"), "Spreekkamer 1", kind="resident_room")
    db.add(
        Booking(
            space_id=room.id,
            site_id=room.site_id,
            is_desk=False,
            booked_for_id=crew.anna.id,
            booked_by_id=crew.anna.id,
            start_at=at(10, 30),
            end_at=at(11, 30),
            status="confirmed",
            created_at=clock.now(),
            updated_at=clock.now(),
        )
    )
    await db.commit()
    await plan([crew.anna])
    clock.set(at(10, 45))
    await login_as(crew.kcc)

    response = await client.get(f"/api/people/{crew.anna.id}/status")

    assert response.json()["location"]["meeting_until"] is None
