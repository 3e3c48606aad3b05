"""Changing a planned visit on its page ("Wijzigen"): the plan form, filled in with the
visit, saves every field; a refusal shows the form again with what was typed."""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs
from tests.visits.conftest import Crew, PlanVisit, at, audit_actions, stored_visit
from werkplek.clock import FixedClock
from werkplek.visits.schemas import VisitOut

Client = AsyncTestClient[Litestar]


def change_form(crew: Crew, **changes: str) -> dict[str, str]:
    """The change form of Anna's visit as it comes filled in, with ``changes``."""
    return {
        "visitor_id": str(crew.anna.id),
        "second_visitor_id": "",
        "date": "2026-11-25",
        "start_time": "10:30",
        "end_time": "11:30",
        "area": "Marum",
        "address": "Molenweg 12, 9363 AB Marum",
        "purpose": "Keukentafelgesprek Wmo",
        "booking_id": "",
        **changes,
    }


async def test_the_visit_page_offers_its_visitor_a_change_link(
    client: Client, annas_visit: VisitOut
) -> None:
    response = await client.get(f"/visits/{annas_visit.id}")

    assert re.search(rf'href="/visits/{annas_visit.id}/edit"[^>]*>Wijzigen<', response.text)


async def test_the_visit_page_offers_the_kcc_no_change_link(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.kcc)

    response = await client.get(f"/visits/{visit.id}")

    assert f"/visits/{visit.id}/edit" not in response.text


async def test_the_change_form_is_filled_in_with_the_visit(
    client: Client, annas_visit: VisitOut
) -> None:
    response = await client.get(f"/visits/{annas_visit.id}/edit")

    assert response.status_code == 200
    assert re.search(r'id="start_time"[^>]*value="10:30"', response.text)
    assert re.search(r'id="area"[^>]*value="Marum"', response.text)
    assert "Molenweg 12, 9363 AB Marum</textarea>" in response.text


async def test_the_change_form_is_sent_to_the_visit_and_saves_changes(
    client: Client, annas_visit: VisitOut
) -> None:
    response = await client.get(f"/visits/{annas_visit.id}/edit")

    assert f'action="/visits/{annas_visit.id}/edit"' in response.text
    assert "Wijzigingen opslaan" in response.text


async def test_the_change_form_of_a_colleague_from_another_team_is_refused(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.outsider)

    response = await client.get(f"/visits/{visit.id}/edit")

    assert response.status_code == 403
    assert "Molenweg" not in response.text


async def test_the_change_form_of_a_visit_under_way_says_why_not(
    client: Client, clock: FixedClock, annas_visit: VisitOut
) -> None:
    clock.set(at(10, 45))

    response = await client.get(f"/visits/{annas_visit.id}/edit")

    assert response.status_code == 409
    assert "kan niet meer worden gewijzigd" in response.text


async def test_saving_the_change_form_shows_the_visit_changed(
    client: Client, crew: Crew, annas_visit: VisitOut
) -> None:
    response = await client.post(
        f"/visits/{annas_visit.id}/edit",
        data=change_form(crew, start_time="14:00", end_time="15:30"),
        follow_redirects=True,
    )

    assert response.status_code == 200
    assert "Het bezoek is gewijzigd." in response.text
    assert "14:00–15:30" in response.text


async def test_saving_the_change_form_stores_the_new_time(
    client: Client, db: AsyncSession, crew: Crew, annas_visit: VisitOut
) -> None:
    await client.post(
        f"/visits/{annas_visit.id}/edit",
        data=change_form(crew, start_time="14:00", end_time="15:30"),
    )

    stored = await stored_visit(db, annas_visit.id)
    assert (stored.planned_start, stored.planned_end) == (at(14, 0), at(15, 30))


async def test_the_change_form_empties_a_field_left_empty(
    client: Client, db: AsyncSession, crew: Crew, annas_visit: VisitOut
) -> None:
    await client.post(f"/visits/{annas_visit.id}/edit", data=change_form(crew, purpose=""))

    assert (await stored_visit(db, annas_visit.id)).purpose == ""


async def test_the_change_form_adds_a_colleague_who_goes_along(
    client: Client, db: AsyncSession, crew: Crew, annas_visit: VisitOut
) -> None:
    await client.post(
        f"/visits/{annas_visit.id}/edit",
        data=change_form(crew, second_visitor_id=str(crew.bram.id)),
    )

    assert (await stored_visit(db, annas_visit.id)).visitor_ids == [crew.anna.id, crew.bram.id]


async def test_a_refused_change_shows_the_form_again_with_what_was_typed(
    client: Client, crew: Crew, annas_visit: VisitOut
) -> None:
    response = await client.post(
        f"/visits/{annas_visit.id}/edit",
        data=change_form(crew, area="Kerkstraat 14b Marum", start_time="14:00", end_time="15:00"),
    )

    assert response.status_code == 422
    assert re.search(
        r'id="area"[^>]*value="Kerkstraat 14b Marum"[^>]*aria-invalid="true"', response.text
    )
    assert re.search(r'id="start_time"[^>]*value="14:00"', response.text)
    assert "Vul alleen een wijk of dorp in, nooit een adres." in response.text


async def test_a_refused_change_is_still_sent_to_the_visit(
    client: Client, crew: Crew, annas_visit: VisitOut
) -> None:
    response = await client.post(
        f"/visits/{annas_visit.id}/edit", data=change_form(crew, end_time="")
    )

    assert response.status_code == 422
    assert f'action="/visits/{annas_visit.id}/edit"' in response.text


async def test_a_refused_change_stores_nothing(
    client: Client, db: AsyncSession, crew: Crew, annas_visit: VisitOut
) -> None:
    await client.post(
        f"/visits/{annas_visit.id}/edit",
        data=change_form(crew, area="Kerkstraat 14b Marum", start_time="14:00", end_time="15:00"),
    )

    stored = await stored_visit(db, annas_visit.id)
    assert (stored.area, stored.planned_start) == ("Marum", at(10, 30))
    assert await audit_actions(db, annas_visit.id) == [("create", crew.anna.id)]


async def test_the_team_lead_changes_a_members_visit_keeping_the_member_as_visitor(
    client: Client, db: AsyncSession, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.lead)
    form = await client.get(f"/visits/{visit.id}/edit")
    assert re.search(rf'<option value="{crew.anna.id}" selected>', form.text)

    await client.post(f"/visits/{visit.id}/edit", data=change_form(crew, end_time="12:00"))

    stored = await stored_visit(db, visit.id)
    assert (stored.visitor_ids, stored.planned_end) == ([crew.anna.id], at(12, 0))


async def test_the_change_form_in_english_says_change_visit(
    client: Client, db: AsyncSession, crew: Crew, annas_visit: VisitOut
) -> None:
    crew.anna.language = "en"
    await db.commit()

    response = await client.get(f"/visits/{annas_visit.id}/edit")

    assert "<h1>Change visit</h1>" in response.text
