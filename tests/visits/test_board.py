"""The safety board: for team leads and safety contacts, overdue visits first, acknowledged
alerts apart, no addresses; and the team's list of safety contacts."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs
from tests.visits.conftest import Crew, Overdue, PlanVisit, RunJob, at
from werkplek.clock import FixedClock
from werkplek.visits.models import VisitSafetyContact

Client = AsyncTestClient[Litestar]


async def test_an_overdue_visit_is_listed_as_overdue(
    client: Client,
    crew: Crew,
    login_as: LoginAs,
    overdue: Overdue,
) -> None:
    visit = overdue.visit
    await login_as(crew.lead)

    board = (await client.get("/api/visits/safety")).json()

    assert [v["id"] for v in board["overdue"]] == [visit.id]
    assert (board["acknowledged"], board["open"]) == ([], [])


async def test_a_visit_under_way_is_listed_as_open(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(10, 45))
    await login_as(crew.lead)

    board = (await client.get("/api/visits/safety")).json()

    assert [v["id"] for v in board["open"]] == [visit.id]


async def test_an_acknowledged_alert_moves_the_visit_to_acknowledged(
    client: Client,
    crew: Crew,
    login_as: LoginAs,
    overdue: Overdue,
) -> None:
    visit, alert = overdue.visit, overdue.alert
    await login_as(crew.lead)

    acknowledged = await client.post(f"/api/visits/alerts/{alert.id}/acknowledge")
    board = (await client.get("/api/visits/safety")).json()

    assert acknowledged.status_code == 200
    assert acknowledged.json()["acknowledged_by"]["name"] == "Lotte Leider"
    assert [v["id"] for v in board["acknowledged"]] == [visit.id]
    assert board["overdue"] == []


async def test_acknowledging_twice_keeps_the_first_acknowledgement(
    client: Client,
    clock: FixedClock,
    crew: Crew,
    plan: PlanVisit,
    raise_alerts: RunJob,
    login_as: LoginAs,
    db: AsyncSession,
) -> None:
    db.add(VisitSafetyContact(team_id=crew.team.id, person_id=crew.kcc.id))
    await db.commit()
    await plan([crew.anna])
    clock.set(at(11, 45))
    (alert,) = await raise_alerts()
    await login_as(crew.lead)
    await client.post(f"/api/visits/alerts/{alert.id}/acknowledge")
    await login_as(crew.kcc)

    second = await client.post(f"/api/visits/alerts/{alert.id}/acknowledge")

    assert second.status_code == 200
    assert second.json()["acknowledged_by"]["name"] == "Lotte Leider"


async def test_someone_outside_the_team_cannot_acknowledge(
    client: Client,
    crew: Crew,
    login_as: LoginAs,
    overdue: Overdue,
) -> None:
    alert = overdue.alert
    await login_as(crew.outsider)

    response = await client.post(f"/api/visits/alerts/{alert.id}/acknowledge")

    assert response.status_code == 403


async def test_a_checked_out_visit_leaves_the_board(
    client: Client,
    crew: Crew,
    login_as: LoginAs,
    overdue: Overdue,
) -> None:
    visit = overdue.visit
    await login_as(crew.anna)
    await client.post(f"/api/visits/{visit.id}/check-out")
    await login_as(crew.lead)

    board = (await client.get("/api/visits/safety")).json()

    assert (board["overdue"], board["acknowledged"], board["open"]) == ([], [], [])


async def test_the_board_shows_no_addresses(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    await plan([crew.anna])
    clock.set(at(10, 45))
    await login_as(crew.lead)

    response = await client.get("/api/visits/safety")

    assert response.json()["open"][0]["address"] is None
    assert "Molenweg" not in response.text


async def test_the_board_lists_only_visits_of_the_teams_looked_after(
    client: Client,
    clock: FixedClock,
    crew: Crew,
    plan: PlanVisit,
    login_as: LoginAs,
) -> None:
    await plan([crew.outsider], area="Zuidhorn")
    await plan([crew.anna], area="Marum")
    clock.set(at(10, 45))
    await login_as(crew.lead)

    board = (await client.get("/api/visits/safety")).json()

    assert [v["area"] for v in board["open"]] == ["Marum"]


async def test_an_employee_who_looks_after_no_team_cannot_open_the_board(
    client: Client, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.anna)

    response = await client.get("/api/visits/safety")

    assert response.status_code == 403


async def test_a_safety_contact_can_open_the_board(
    client: Client, db: AsyncSession, crew: Crew, login_as: LoginAs
) -> None:
    db.add(VisitSafetyContact(team_id=crew.team.id, person_id=crew.bram.id))
    await db.commit()
    await login_as(crew.bram)

    response = await client.get("/api/visits/safety")

    assert response.status_code == 200


async def test_the_board_page_refreshes_itself_every_15_seconds(
    client: Client, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.lead)

    response = await client.get("/visits/safety")

    assert response.status_code == 200
    assert 'hx-get="/visits/safety/board"' in response.text
    assert 'hx-trigger="every 15s"' in response.text


async def test_the_board_partial_lists_the_overdue_visit_with_an_acknowledge_button(
    client: Client,
    crew: Crew,
    login_as: LoginAs,
    overdue: Overdue,
) -> None:
    alert = overdue.alert
    await login_as(crew.lead)

    response = await client.get("/visits/safety/board", headers={"HX-Request": "true"})

    assert "<html" not in response.text
    assert f'action="/visits/alerts/{alert.id}/acknowledge"' in response.text
    assert "Anna Veld" in response.text and "Molenweg" not in response.text


async def test_an_escalated_visit_has_one_acknowledge_button_on_the_board(
    client: Client,
    clock: FixedClock,
    crew: Crew,
    raise_alerts: RunJob,
    login_as: LoginAs,
    overdue: Overdue,
) -> None:
    """Taking up the escalation takes up the first alert too: a second button would leave
    the lead wondering which one to press, and pressing the first would not stop the
    escalation."""
    clock.set(at(12, 15))
    (escalation,) = await raise_alerts()
    await login_as(crew.lead)

    response = await client.get("/visits/safety/board", headers={"HX-Request": "true"})

    assert response.text.count('action="/visits/alerts/') == 1
    assert f'action="/visits/alerts/{escalation.id}/acknowledge"' in response.text


async def test_the_boards_links_and_buttons_have_ids_that_survive_its_refresh(
    client: Client,
    crew: Crew,
    login_as: LoginAs,
    overdue: Overdue,
) -> None:
    """htmx puts the focus back on the element with the same id after each refresh."""
    visit, alert = overdue.visit, overdue.alert
    await login_as(crew.lead)

    first = await client.get("/visits/safety/board", headers={"HX-Request": "true"})
    again = await client.get("/visits/safety/board", headers={"HX-Request": "true"})

    ids = [
        f'id="board-visit-{visit.id}"',
        f'id="board-details-{visit.id}"',
        f'id="board-acknowledge-{alert.id}"',
        f'id="board-call-{visit.id}-{crew.anna.id}"',
    ]
    assert all(id_ in first.text and id_ in again.text for id_ in ids)


async def test_the_board_partial_opened_on_its_own_leads_to_the_safety_page(
    client: Client, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.lead)

    response = await client.get("/visits/safety/board", follow_redirects=False)

    assert (response.status_code, response.headers["location"]) == (302, "/visits/safety")


async def test_acknowledging_on_the_board_page_redirects_back_without_javascript(
    client: Client,
    crew: Crew,
    login_as: LoginAs,
    overdue: Overdue,
) -> None:
    alert = overdue.alert
    await login_as(crew.lead)

    response = await client.post(f"/visits/alerts/{alert.id}/acknowledge", follow_redirects=False)

    assert (response.status_code, response.headers["location"]) == (302, "/visits/safety")


async def test_checking_out_on_their_behalf_on_the_board_says_so_in_the_redrawn_board(
    client: Client,
    crew: Crew,
    login_as: LoginAs,
    overdue: Overdue,
) -> None:
    visit = overdue.visit
    await login_as(crew.lead)

    response = await client.post(
        f"/visits/{visit.id}/check-out",
        data={"next": "/visits/safety"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Namens hen afgemeld" in response.text
    assert f'id="board-visit-{visit.id}"' not in response.text


# --- safety contacts ----------------------------------------------------------------------


async def test_a_team_lead_adds_a_safety_contact(
    client: Client, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.lead)

    response = await client.post(
        "/api/visits/safety-contacts", json={"team_id": crew.team.id, "person_id": crew.bram.id}
    )
    listed = await client.get("/api/visits/safety-contacts")

    assert response.status_code == 201
    assert [(c["person"]["name"], c["is_lead"]) for c in listed.json()] == [
        ("Lotte Leider", True),
        ("Bram Buiten", False),
    ]


async def test_an_employee_cannot_add_safety_contacts(
    client: Client, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.anna)

    response = await client.post(
        "/api/visits/safety-contacts", json={"team_id": crew.team.id, "person_id": crew.anna.id}
    )

    assert response.status_code == 403


async def test_a_team_lead_removes_a_safety_contact(
    client: Client, db: AsyncSession, crew: Crew, login_as: LoginAs
) -> None:
    db.add(VisitSafetyContact(team_id=crew.team.id, person_id=crew.bram.id))
    await db.commit()
    await login_as(crew.lead)

    response = await client.delete(f"/api/visits/safety-contacts/{crew.team.id}/{crew.bram.id}")
    listed = await client.get("/api/visits/safety-contacts")

    assert response.status_code == 204
    assert [c["person"]["name"] for c in listed.json()] == ["Lotte Leider"]


async def test_acknowledging_on_the_board_says_so_in_a_status_message(
    client: Client,
    crew: Crew,
    login_as: LoginAs,
    overdue: Overdue,
) -> None:
    alert = overdue.alert
    await login_as(crew.lead)

    response = await client.post(
        f"/visits/alerts/{alert.id}/acknowledge", headers={"HX-Request": "true"}
    )

    assert 'role="status">U pakt dit op; het bord toont uw naam aan de anderen.' in response.text
