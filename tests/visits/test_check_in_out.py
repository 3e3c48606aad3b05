"""On the day: check in on arrival, check out ("veilig vertrokken"), extend, cancel."""

from __future__ import annotations

from datetime import datetime

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs
from tests.visits.conftest import Crew, PlanVisit, at, audit_actions, stored_visit
from werkplek.clock import FixedClock
from werkplek.visits.schemas import VisitOut

Client = AsyncTestClient[Litestar]


async def test_checking_in_records_the_arrival(
    client: Client, db: AsyncSession, clock: FixedClock, annas_visit: VisitOut
) -> None:
    response = await client.post(f"/api/visits/{annas_visit.id}/check-in")

    assert (response.status_code, response.json()["status"]) == (200, "checked_in")
    assert (await stored_visit(db, annas_visit.id)).checked_in_at == clock.now()


async def test_only_a_visitor_can_check_in(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.bram)

    response = await client.post(f"/api/visits/{visit.id}/check-in")

    assert response.status_code == 403


async def test_checking_in_before_the_day_of_the_visit_is_refused(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna], start=at(9, 0, day=26), end=at(10, 0, day=26))
    await login_as(crew.anna)

    response = await client.post(f"/api/visits/{visit.id}/check-in")

    assert (response.status_code, response.json()["error"]) == (409, "check_in_too_early")


async def test_checking_in_late_on_the_last_day_of_the_visit_is_allowed(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(23, 50))
    await login_as(crew.anna)

    response = await client.post(f"/api/visits/{visit.id}/check-in")

    assert (response.status_code, response.json()["status"]) == (200, "checked_in")


async def test_checking_in_after_the_day_the_visit_ended_is_refused(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(0, 5, day=26))
    await login_as(crew.anna)

    response = await client.post(f"/api/visits/{visit.id}/check-in")

    assert (response.status_code, response.json()["error"]) == (409, "check_in_too_late")


async def test_a_visit_from_an_earlier_day_offers_no_check_in(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(9, 0, day=26))
    await login_as(crew.anna)

    response = await client.get(f"/api/visits/{visit.id}")

    assert response.json()["can_check_in"] is False


async def test_checking_out_marks_the_visitor_safe(client: Client, annas_visit: VisitOut) -> None:
    await client.post(f"/api/visits/{annas_visit.id}/check-in")

    response = await client.post(f"/api/visits/{annas_visit.id}/check-out")

    assert (response.status_code, response.json()["status"]) == (200, "checked_out")


async def test_checking_out_twice_is_harmless(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(10, 45))
    await login_as(crew.anna)
    first = await client.post(f"/api/visits/{visit.id}/check-out")
    clock.set(at(10, 50))

    second = await client.post(f"/api/visits/{visit.id}/check-out")

    assert second.status_code == 200
    assert second.json()["checked_out_at"] == first.json()["checked_out_at"]


async def test_the_second_check_out_is_not_audited_again(
    client: Client,
    db: AsyncSession,
    clock: FixedClock,
    crew: Crew,
    plan: PlanVisit,
    login_as: LoginAs,
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(10, 45))
    await login_as(crew.anna)
    await client.post(f"/api/visits/{visit.id}/check-out")

    await client.post(f"/api/visits/{visit.id}/check-out")

    actions = [a for a, _actor in await audit_actions(db, visit.id)]
    assert actions.count("check_out") == 1


async def test_the_team_lead_can_check_out_on_behalf_of_a_visitor(
    client: Client,
    db: AsyncSession,
    clock: FixedClock,
    crew: Crew,
    plan: PlanVisit,
    login_as: LoginAs,
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(10, 45))
    await login_as(crew.lead)

    response = await client.post(f"/api/visits/{visit.id}/check-out")

    assert response.status_code == 200
    assert (await stored_visit(db, visit.id)).checked_out_by_id == crew.lead.id


async def test_a_colleague_of_another_team_cannot_check_out_for_the_visitor(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.outsider)

    response = await client.post(f"/api/visits/{visit.id}/check-out")

    assert response.status_code == 403


async def test_checking_out_before_the_visit_is_under_way_is_refused(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])  # 10:30-11:30, and it is 10:00: not checked in
    await login_as(crew.anna)

    response = await client.post(f"/api/visits/{visit.id}/check-out")

    assert (response.status_code, response.json()["error"]) == (409, "visit_not_under_way")


async def test_a_refused_early_check_out_leaves_the_visit_planned(
    client: Client, db: AsyncSession, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.lead)

    await client.post(f"/api/visits/{visit.id}/check-out")

    assert (await stored_visit(db, visit.id)).status == "planned"


async def test_the_early_check_out_is_refused_in_dutch(
    client: Client, annas_visit: VisitOut
) -> None:
    response = await client.post(f"/api/visits/{annas_visit.id}/check-out")

    assert response.json()["message"] == (
        "U kunt zich afmelden zodra het bezoek begonnen is: "
        "na het aanmelden, of vanaf het geplande begin."
    )


async def test_a_visit_checked_in_before_its_planned_start_can_be_checked_out(
    client: Client, annas_visit: VisitOut
) -> None:
    await client.post(f"/api/visits/{annas_visit.id}/check-in")

    response = await client.post(f"/api/visits/{annas_visit.id}/check-out")

    assert (response.status_code, response.json()["status"]) == (200, "checked_out")


async def test_a_visit_past_its_planned_start_can_be_checked_out_without_check_in(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(10, 30))
    await login_as(crew.anna)

    response = await client.post(f"/api/visits/{visit.id}/check-out")

    assert (response.status_code, response.json()["status"]) == (200, "checked_out")


async def test_extending_before_the_visit_is_under_way_is_refused(
    client: Client, annas_visit: VisitOut
) -> None:
    response = await client.post(f"/api/visits/{annas_visit.id}/extend", json={"minutes": 15})

    assert (response.status_code, response.json()["error"]) == (409, "visit_not_under_way")


async def test_a_visit_checked_in_before_its_planned_start_can_be_extended(
    client: Client, annas_visit: VisitOut
) -> None:
    await client.post(f"/api/visits/{annas_visit.id}/check-in")

    response = await client.post(f"/api/visits/{annas_visit.id}/extend", json={"minutes": 15})

    assert datetime.fromisoformat(response.json()["end"]) == at(11, 45)


async def test_extending_moves_the_planned_end(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(10, 45))
    await login_as(crew.anna)

    response = await client.post(f"/api/visits/{visit.id}/extend", json={"minutes": 30})

    assert response.status_code == 200
    assert datetime.fromisoformat(response.json()["end"]) == at(12, 0)


async def test_extending_a_visit_past_its_end_counts_from_now(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(11, 40))
    await login_as(crew.anna)

    response = await client.post(f"/api/visits/{visit.id}/extend", json={"minutes": 15})

    assert datetime.fromisoformat(response.json()["end"]) == at(11, 55)


async def test_extending_by_another_number_of_minutes_is_refused(
    client: Client, annas_visit: VisitOut
) -> None:
    response = await client.post(f"/api/visits/{annas_visit.id}/extend", json={"minutes": 45})

    assert (response.status_code, response.json()["field"]) == (422, "minutes")


async def test_extending_is_audited_with_the_old_and_new_end(
    client: Client,
    db: AsyncSession,
    clock: FixedClock,
    crew: Crew,
    plan: PlanVisit,
    login_as: LoginAs,
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(10, 45))
    await login_as(crew.anna)

    await client.post(f"/api/visits/{visit.id}/extend", json={"minutes": 60})

    assert ("extend", crew.anna.id) in await audit_actions(db, visit.id)


async def test_a_checked_out_visit_cannot_be_extended(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(10, 45))
    await login_as(crew.anna)
    await client.post(f"/api/visits/{visit.id}/check-out")

    response = await client.post(f"/api/visits/{visit.id}/extend", json={"minutes": 15})

    assert (response.status_code, response.json()["error"]) == (409, "visit_closed")


async def test_a_planned_visit_is_cancelled(client: Client, annas_visit: VisitOut) -> None:
    response = await client.post(f"/api/visits/{annas_visit.id}/cancel")

    assert (response.status_code, response.json()["status"]) == (200, "cancelled")


async def test_a_visit_under_way_cannot_be_cancelled(client: Client, annas_visit: VisitOut) -> None:
    await client.post(f"/api/visits/{annas_visit.id}/check-in")

    response = await client.post(f"/api/visits/{annas_visit.id}/cancel")

    assert (response.status_code, response.json()["error"]) == (409, "visit_closed")


async def test_a_cancelled_visit_cannot_be_checked_in(
    client: Client, annas_visit: VisitOut
) -> None:
    await client.post(f"/api/visits/{annas_visit.id}/cancel")

    response = await client.post(f"/api/visits/{annas_visit.id}/check-in")

    assert (response.status_code, response.json()["error"]) == (409, "visit_closed")


async def test_a_colleague_of_another_team_cannot_cancel(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.outsider)

    response = await client.post(f"/api/visits/{visit.id}/cancel")

    assert response.status_code == 403
