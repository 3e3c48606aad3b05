"""Changing a planned visit through the API (PATCH /api/visits/{id}): its time, place and
who goes change in place, by the rules of a new plan, and only before it starts."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs
from tests.visits.conftest import Crew, PlanVisit, at, audit_actions, stored_visit, user
from werkplek.audit.models import AuditEvent
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.presence.models import WorkLocation
from werkplek.visits import services

Client = AsyncTestClient[Litestar]


async def change(client: Client, visit_id: int, **fields: Any) -> Any:
    return await client.patch(f"/api/visits/{visit_id}", json=fields)


async def update_details(db: AsyncSession, visit_id: int) -> list[dict[str, Any]]:
    await db.rollback()
    rows = await db.execute(
        select(AuditEvent.details).where(
            AuditEvent.object_type == "field_visit",
            AuditEvent.object_id == str(visit_id),
            AuditEvent.action == "update",
        )
    )
    found = [dict(details) for details in rows.scalars()]
    await db.commit()
    return found


async def test_a_visit_moved_to_another_time_answers_with_its_new_window(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.anna)

    response = await change(
        client, visit.id, start="2026-11-25T14:00:00+01:00", end="2026-11-25T15:30:00+01:00"
    )

    assert response.status_code == 200
    assert (response.json()["start"], response.json()["end"]) == (
        "2026-11-25T14:00:00+01:00",
        "2026-11-25T15:30:00+01:00",
    )


async def test_a_visit_moved_to_another_time_is_stored_with_it(
    client: Client, db: AsyncSession, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.anna)

    await change(client, visit.id, start="2026-11-25T14:00:00", end="2026-11-25T15:30:00")

    stored = await stored_visit(db, visit.id)
    assert (stored.planned_start, stored.planned_end) == (at(14, 0), at(15, 30))


async def test_the_fields_left_out_stay_as_they_were(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.anna)

    response = await change(client, visit.id, area="Niekerk")

    changed = response.json()
    assert (changed["area"], changed["address"], changed["purpose"], changed["start"]) == (
        "Niekerk",
        "Molenweg 12, 9363 AB Marum",
        "Keukentafelgesprek Wmo",
        "2026-11-25T10:30:00+01:00",
    )


async def test_a_change_is_audited_once_as_update_by_whoever_made_it(
    client: Client, db: AsyncSession, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.lead)

    await change(client, visit.id, start="2026-11-25T14:00:00", end="2026-11-25T15:00:00")

    assert await audit_actions(db, visit.id) == [("create", crew.anna.id), ("update", crew.lead.id)]


async def test_the_audit_of_a_change_names_only_the_fields_that_changed(
    client: Client, db: AsyncSession, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.anna)

    await change(
        client,
        visit.id,
        start="2026-11-25T14:00:00",
        end="2026-11-25T15:00:00",
        area="Marum",
        visitor_ids=[crew.anna.id],
    )

    (details,) = await update_details(db, visit.id)
    assert details["fields"] == ["end", "start"]


async def test_the_audit_of_a_new_address_names_the_field_but_not_the_address(
    client: Client, db: AsyncSession, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.anna)

    await change(client, visit.id, address="Dorpsstraat 1, Marum")

    (details,) = await update_details(db, visit.id)
    assert details == {"fields": ["address"]}


async def test_a_change_that_changes_nothing_is_not_audited(
    client: Client, db: AsyncSession, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.anna)

    response = await change(client, visit.id, area="Marum")

    assert response.status_code == 200
    assert await audit_actions(db, visit.id) == [("create", crew.anna.id)]


async def test_a_visit_under_way_is_refused_as_409_visit_under_way(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(10, 45))
    await login_as(crew.anna)

    response = await change(client, visit.id, area="Niekerk")

    assert (response.status_code, response.json()["error"]) == (409, "visit_under_way")


async def test_a_visit_under_way_is_left_as_it_was(
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

    await change(client, visit.id, area="Niekerk")

    assert (await stored_visit(db, visit.id)).area == "Marum"


async def test_a_cancelled_visit_is_refused_as_409_visit_closed(
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

    response = await change(client, visit.id, area="Niekerk")

    assert (response.status_code, response.json()["error"]) == (409, "visit_closed")


async def test_a_colleague_from_another_team_is_refused_with_403(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.outsider)

    response = await change(client, visit.id, area="Niekerk")

    assert response.status_code == 403


async def test_a_refused_stranger_changes_nothing(
    client: Client, db: AsyncSession, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.outsider)

    await change(client, visit.id, visitor_ids=[crew.outsider.id])

    assert (await stored_visit(db, visit.id)).visitor_ids == [crew.anna.id]


async def test_a_visitor_cannot_hand_the_visit_over_alone_as_they_cannot_plan_it_for_others(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.anna)

    response = await change(client, visit.id, visitor_ids=[crew.bram.id])

    assert (response.status_code, response.json()["field"]) == (403, "visitor_ids")


async def test_the_team_lead_hands_a_visit_over_to_another_member(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.lead)

    response = await change(client, visit.id, visitor_ids=[crew.bram.id])

    assert [v["name"] for v in response.json()["visitors"]] == [crew.bram.name]


async def test_a_visitor_adds_a_colleague_who_goes_along(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.anna)

    response = await change(
        client, visit.id, visitor_ids=[crew.anna.id, crew.bram.id], two_person_required=True
    )

    assert response.status_code == 200
    assert [v["id"] for v in response.json()["visitors"]] == [crew.anna.id, crew.bram.id]


async def test_taking_off_the_second_person_of_a_two_person_visit_is_refused(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna, crew.bram], two_person_required=True)
    await login_as(crew.anna)

    response = await change(client, visit.id, visitor_ids=[crew.anna.id])

    assert (response.status_code, response.json()["error"]) == (422, "two_people_required")


async def test_a_new_visitor_who_is_absent_then_is_refused_naming_visitor_ids(
    client: Client,
    db: AsyncSession,
    clock: FixedClock,
    crew: Crew,
    plan: PlanVisit,
    login_as: LoginAs,
) -> None:
    visit = await plan([crew.anna])
    db.add(
        WorkLocation(
            person_id=crew.bram.id,
            date=date(2026, 11, 25),
            day_part="morning",
            kind="absent",
            updated_at=clock.now(),
        )
    )
    await db.commit()
    await login_as(crew.anna)

    response = await change(client, visit.id, visitor_ids=[crew.anna.id, crew.bram.id])

    assert response.status_code == 422
    assert (response.json()["error"], response.json()["field"]) == (
        "visitor_absent",
        "visitor_ids",
    )


async def test_a_refused_new_visitor_is_not_put_on_the_visit(
    client: Client,
    db: AsyncSession,
    clock: FixedClock,
    crew: Crew,
    plan: PlanVisit,
    login_as: LoginAs,
) -> None:
    visit = await plan([crew.anna])
    db.add(
        WorkLocation(
            person_id=crew.bram.id,
            date=date(2026, 11, 25),
            day_part="morning",
            kind="absent",
            updated_at=clock.now(),
        )
    )
    await db.commit()
    await login_as(crew.anna)

    await change(client, visit.id, visitor_ids=[crew.anna.id, crew.bram.id])

    assert (await stored_visit(db, visit.id)).visitor_ids == [crew.anna.id]


async def test_a_visit_moved_over_its_own_time_is_not_another_visit_of_its_visitor(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.anna)

    response = await change(client, visit.id, end="2026-11-25T12:00:00")

    assert response.status_code == 200


async def test_a_visit_moved_onto_another_visit_of_its_visitor_is_refused(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await plan([crew.anna], start=at(13, 0), end=at(14, 0))
    await login_as(crew.anna)

    response = await change(
        client, visit.id, start="2026-11-25T12:30:00", end="2026-11-25T13:30:00"
    )

    assert (response.status_code, response.json()["error"]) == (422, "visitor_elsewhere")


async def test_an_end_before_the_start_is_refused_naming_end(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.anna)

    response = await change(client, visit.id, end="2026-11-25T10:00:00")

    assert (response.status_code, response.json()["field"]) == (422, "end")


async def test_an_unknown_field_is_refused(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.anna)

    response = await change(client, visit.id, status="checked_out")

    assert response.status_code == 400


async def test_an_unknown_visit_is_404(client: Client, crew: Crew, login_as: LoginAs) -> None:
    await login_as(crew.anna)

    response = await change(client, 999, area="Niekerk")

    assert response.status_code == 404


async def test_a_visit_offers_its_visitor_to_change_it_before_it_starts(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.anna)

    assert (await client.get(f"/api/visits/{visit.id}")).json()["can_change"] is True


async def test_a_visit_offers_the_kcc_no_change(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.kcc)

    assert (await client.get(f"/api/visits/{visit.id}")).json()["can_change"] is False


async def test_a_visit_under_way_offers_no_change(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(10, 30))
    await login_as(crew.anna)

    assert (await client.get(f"/api/visits/{visit.id}")).json()["can_change"] is False
