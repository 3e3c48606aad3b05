"""Who may take up an overdue alert: one rule (``services.can_acknowledge``) for the safety
board's button and for the API, which never lets a visitor acknowledge an alert about
their own visit, even one who leads the team."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import LoginAs
from tests.visits.conftest import Crew, Overdue, PlanVisit, RunJob, at
from werkplek.clock import FixedClock
from werkplek.visits.services import Access, can_acknowledge

Client = AsyncTestClient[Litestar]
HTMX = {"HX-Request": "true"}


def access(
    *, visitor: bool = False, guardian: bool = False, admin: bool = False, creator: bool = False
) -> Access:
    return Access(
        is_visitor=visitor,
        is_guardian=guardian,
        is_admin=admin,
        is_creator=creator,
        open_escalation=False,
    )


def test_a_team_lead_of_the_visitors_may_acknowledge() -> None:
    assert can_acknowledge(access(guardian=True))


def test_an_admin_may_acknowledge() -> None:
    assert can_acknowledge(access(admin=True))


def test_a_visitor_may_not_acknowledge() -> None:
    assert not can_acknowledge(access(visitor=True))


def test_a_visitor_who_leads_the_team_may_not_acknowledge_the_alert_about_them() -> None:
    assert not can_acknowledge(access(visitor=True, guardian=True))


def test_whoever_planned_the_visit_for_others_may_not_acknowledge() -> None:
    assert not can_acknowledge(access(creator=True))


async def _leads_own_overdue_visit(
    crew: Crew, clock: FixedClock, plan: PlanVisit, raise_alerts: RunJob
) -> int:
    """The team lead's own visit 10:30-11:30, overdue at 11:45; its alert's id."""
    await plan([crew.lead])
    clock.set(at(11, 45))
    (alert,) = await raise_alerts()
    return alert.id


async def test_a_team_lead_cannot_acknowledge_the_alert_about_her_own_visit(
    client: Client,
    clock: FixedClock,
    crew: Crew,
    plan: PlanVisit,
    raise_alerts: RunJob,
    login_as: LoginAs,
) -> None:
    alert_id = await _leads_own_overdue_visit(crew, clock, plan, raise_alerts)
    await login_as(crew.lead)

    response = await client.post(f"/api/visits/alerts/{alert_id}/acknowledge")

    assert response.status_code == 403


async def test_the_board_offers_no_acknowledge_button_for_the_viewers_own_visit(
    client: Client,
    clock: FixedClock,
    crew: Crew,
    plan: PlanVisit,
    raise_alerts: RunJob,
    login_as: LoginAs,
) -> None:
    alert_id = await _leads_own_overdue_visit(crew, clock, plan, raise_alerts)
    await login_as(crew.lead)

    response = await client.get("/visits/safety/board", headers=HTMX)

    assert f'action="/visits/alerts/{alert_id}/acknowledge"' not in response.text


async def test_the_api_tells_the_team_lead_she_may_acknowledge_the_alert(
    client: Client, crew: Crew, login_as: LoginAs, overdue: Overdue
) -> None:
    await login_as(crew.lead)

    board = (await client.get("/api/visits/safety")).json()

    assert board["overdue"][0]["alerts"][0]["can_acknowledge"] is True


async def test_the_api_tells_the_visitor_she_may_not_acknowledge_her_alert(
    client: Client, crew: Crew, login_as: LoginAs, overdue: Overdue
) -> None:
    await login_as(crew.anna)

    visit = (await client.get(f"/api/visits/{overdue.visit.id}")).json()

    assert visit["alerts"][0]["can_acknowledge"] is False
