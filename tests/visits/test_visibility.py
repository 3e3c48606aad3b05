"""Who sees a visit's address: the visitors, their team lead and safety contacts; views by
anyone else than the visitors are recorded and the visitors can see them."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs
from tests.visits.conftest import Crew, Overdue, PlanVisit, RunJob, at, audit_actions
from werkplek.clock import FixedClock
from werkplek.visits.models import VisitSafetyContact
from werkplek.visits.schemas import VisitOut

Client = AsyncTestClient[Litestar]


async def test_the_kcc_sees_only_the_area(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.kcc)

    response = await client.get(f"/api/visits/{visit.id}")

    assert response.status_code == 200
    shown = response.json()
    assert (shown["area"], shown["address"], shown["purpose"], shown["address_visible"]) == (
        "Marum",
        None,
        None,
        False,
    )
    assert "Molenweg" not in response.text


async def test_a_kcc_look_at_a_visit_is_not_recorded_as_an_address_view(
    client: Client, db: AsyncSession, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.kcc)

    await client.get(f"/api/visits/{visit.id}")

    assert ("view_address", crew.kcc.id) not in await audit_actions(db, visit.id)


async def test_a_colleague_of_another_team_does_not_see_the_address(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.outsider)

    response = await client.get(f"/api/visits/{visit.id}")

    assert response.json()["address"] is None


async def test_the_team_lead_sees_the_address(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.lead)

    response = await client.get(f"/api/visits/{visit.id}")

    assert response.json()["address"] == "Molenweg 12, 9363 AB Marum"


async def test_the_team_leads_view_of_the_address_is_audited(
    client: Client, db: AsyncSession, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.lead)

    await client.get(f"/api/visits/{visit.id}")

    assert ("view_address", crew.lead.id) in await audit_actions(db, visit.id)


async def test_a_visitor_reading_their_own_visit_is_not_recorded(
    client: Client, db: AsyncSession, annas_visit: VisitOut
) -> None:
    await client.get(f"/api/visits/{annas_visit.id}")

    assert [a for a, _actor in await audit_actions(db, annas_visit.id)] == ["create"]


async def test_a_safety_contact_of_the_team_sees_the_address(
    client: Client, db: AsyncSession, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    db.add(VisitSafetyContact(team_id=crew.team.id, person_id=crew.outsider.id))
    await db.commit()
    visit = await plan([crew.anna])
    await login_as(crew.outsider)

    response = await client.get(f"/api/visits/{visit.id}")

    assert response.json()["address"] == "Molenweg 12, 9363 AB Marum"


async def test_an_admin_does_not_see_the_address_of_an_ordinary_visit(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.admin)

    response = await client.get(f"/api/visits/{visit.id}")

    assert response.json()["address"] is None


async def test_an_admin_sees_the_address_while_an_escalation_is_open(
    client: Client,
    clock: FixedClock,
    crew: Crew,
    raise_alerts: RunJob,
    login_as: LoginAs,
    overdue: Overdue,
) -> None:
    visit = overdue.visit
    clock.set(at(12, 15))
    await raise_alerts()
    await login_as(crew.admin)

    response = await client.get(f"/api/visits/{visit.id}")

    assert response.json()["address"] == "Molenweg 12, 9363 AB Marum"


@pytest.mark.parametrize(
    ("action", "body"),
    [("check-out", None), ("extend", {"minutes": 15}), ("cancel", None)],
)
async def test_the_answer_to_an_action_does_not_show_the_team_lead_the_address(
    client: Client,
    clock: FixedClock,
    crew: Crew,
    plan: PlanVisit,
    login_as: LoginAs,
    action: str,
    body: dict[str, int] | None,
) -> None:
    """The team lead reads the address on the visit itself, where the look is recorded."""
    visit = await plan([crew.anna])
    clock.set(at(10, 45))
    await login_as(crew.lead)

    response = await client.post(f"/api/visits/{visit.id}/{action}", json=body)

    assert response.status_code == 200
    assert "Molenweg" not in response.text


async def test_the_answer_to_planning_for_a_team_member_does_not_show_the_team_lead_the_address(
    client: Client, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.lead)

    response = await client.post(
        "/api/visits",
        json={
            "visitor_ids": [crew.anna.id],
            "start": "2026-11-25T10:30:00",
            "end": "2026-11-25T11:30:00",
            "area": "Marum",
            "address": "Molenweg 12, 9363 AB Marum",
        },
    )

    assert response.status_code == 201
    assert "Molenweg" not in response.text


async def test_the_answer_to_a_visitors_action_shows_the_visitor_the_address(
    client: Client, annas_visit: VisitOut
) -> None:
    response = await client.post(f"/api/visits/{annas_visit.id}/check-in")

    assert response.json()["address"] == "Molenweg 12, 9363 AB Marum"


async def test_a_visitors_action_is_not_recorded_as_an_address_view(
    client: Client, db: AsyncSession, annas_visit: VisitOut
) -> None:
    await client.post(f"/api/visits/{annas_visit.id}/check-in")

    assert [a for a, _actor in await audit_actions(db, annas_visit.id)] == ["create", "check_in"]


async def test_the_visitor_sees_who_viewed_the_address(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.lead)
    await client.get(f"/api/visits/{visit.id}")
    await login_as(crew.anna)

    response = await client.get(f"/api/visits/{visit.id}/address-views")

    assert response.status_code == 200
    assert [view["viewer"]["name"] for view in response.json()] == ["Lotte Leider"]


async def test_others_cannot_see_who_viewed_the_address(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.lead)

    response = await client.get(f"/api/visits/{visit.id}/address-views")

    assert response.status_code == 403


async def test_an_unknown_visit_is_404(client: Client, crew: Crew, login_as: LoginAs) -> None:
    await login_as(crew.anna)

    response = await client.get("/api/visits/4242")

    assert (response.status_code, response.json()["error"]) == (404, "not_found")
