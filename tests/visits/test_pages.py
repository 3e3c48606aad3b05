"""Pages: the phone page with one-tap check-in/out, planning form, my visits, one visit,
the home page block. Plain forms work without JavaScript; htmx swaps the card."""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs
from tests.people.helpers import csrf_field
from tests.visits.conftest import (
    Crew,
    Overdue,
    PlanVisit,
    RunJob,
    at,
    audit_actions,
    count_visits,
    stored_visit,
    user,
    visit_in,
)
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.visits import services
from werkplek.visits.schemas import VisitOut

Client = AsyncTestClient[Litestar]


def plan_form(crew: Crew, **changes: str) -> dict[str, str]:
    """The plan form as Anna fills it for a visit on 25 November, with ``changes``."""
    return {
        "visitor_id": str(crew.anna.id),
        "date": "2026-11-25",
        "start_time": "14:00",
        "end_time": "15:00",
        "area": "Niekerk",
        "address": "Hoofdstraat 3",
        **changes,
    }


HTMX = {"HX-Request": "true"}


async def test_the_phone_page_offers_a_one_tap_check_in(
    client: Client, annas_visit: VisitOut
) -> None:
    response = await client.get("/visits/today")

    assert response.status_code == 200
    assert f'action="/visits/{annas_visit.id}/check-in"' in response.text
    assert "Ik ben er (aanmelden)" in response.text
    assert "Molenweg 12" in response.text


async def test_my_visits_name_the_weekday_of_each_visit(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    await plan([crew.anna])
    await login_as(crew.anna)

    response = await client.get("/visits")

    assert 'woensdag 25-11-2026, <span class="nowrap">10:30–11:30</span>' in response.text


async def test_before_its_start_a_visit_offers_no_check_out(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])  # 10:30–11:30, and it is 10:00
    await login_as(crew.anna)

    response = await client.get("/visits/today")

    assert f'action="/visits/{visit.id}/check-out"' not in response.text


async def test_before_its_start_a_visit_offers_no_extension(
    client: Client, annas_visit: VisitOut
) -> None:
    response = await client.get("/visits/today")

    assert f'action="/visits/{annas_visit.id}/extend"' not in response.text


async def test_a_visit_past_its_start_without_check_in_offers_check_out(
    client: Client, clock: FixedClock, annas_visit: VisitOut
) -> None:
    clock.set(at(10, 45))

    response = await client.get("/visits/today")

    assert f'action="/visits/{annas_visit.id}/check-out"' in response.text


async def test_the_extension_buttons_write_the_minutes_in_full_dutch(
    client: Client, clock: FixedClock, annas_visit: VisitOut
) -> None:
    clock.set(at(10, 45))

    response = await client.get("/visits/today")

    assert re.findall(r'name="minutes" value="\d+" class="button">([^<]*)<', response.text) == [
        "15 minuten",
        "30 minuten",
        "60 minuten",
    ]


async def test_the_phone_page_has_no_inline_styles_or_scripts(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    await plan([crew.anna])
    await login_as(crew.anna)

    response = await client.get("/visits/today")

    assert " style=" not in response.text
    assert re.search(r"<script(?![^>]*\bsrc=)", response.text) is None


async def test_checking_in_without_javascript_returns_to_the_phone_page(
    client: Client, db: AsyncSession, annas_visit: VisitOut
) -> None:
    page = await client.get("/visits/today")

    response = await client.post(
        f"/visits/{annas_visit.id}/check-in",
        data={"_csrf": csrf_field(page.text), "next": "/visits/today"},
        headers={"X-CSRF-Token": ""},
        follow_redirects=False,
    )

    assert (response.status_code, response.headers["location"]) == (302, "/visits/today")
    assert (await stored_visit(db, annas_visit.id)).status == "checked_in"


async def test_checking_out_with_htmx_answers_with_the_updated_card(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(10, 45))
    await login_as(crew.anna)

    response = await client.post(
        f"/visits/{visit.id}/check-out", data={"next": "/visits/today"}, headers=HTMX
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith("<article")
    assert f'id="visit-{visit.id}"' in response.text
    assert "Afgemeld om 10:45" in response.text


async def test_extending_with_htmx_shows_the_new_end(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(10, 45))
    await login_as(crew.anna)

    response = await client.post(f"/visits/{visit.id}/extend", data={"minutes": "30"}, headers=HTMX)

    assert response.status_code == 200
    assert "10:30–12:00" in response.text


async def test_checking_in_with_htmx_says_so_in_a_status_message(
    client: Client, annas_visit: VisitOut
) -> None:
    response = await client.post(
        f"/visits/{annas_visit.id}/check-in", data={"next": "/visits/today"}, headers=HTMX
    )

    assert '<p class="alert alert-success" role="status">Aangemeld om 10:00.</p>' in response.text


async def test_extending_with_htmx_says_until_when_in_a_status_message(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(10, 45))
    await login_as(crew.anna)

    response = await client.post(f"/visits/{visit.id}/extend", data={"minutes": "30"}, headers=HTMX)

    assert '<p class="alert alert-success" role="status">Verlengd tot 12:00.</p>' in response.text


async def test_the_check_in_message_answers_the_button_only(
    client: Client, annas_visit: VisitOut
) -> None:
    await client.post(f"/visits/{annas_visit.id}/check-in", headers=HTMX)

    response = await client.get("/visits/today")

    assert "Op locatie" in response.text
    assert "Aangemeld om" not in response.text


async def test_a_refused_check_in_shows_no_check_in_message(
    client: Client, annas_visit: VisitOut
) -> None:
    await client.post(f"/api/visits/{annas_visit.id}/cancel")

    response = await client.post(f"/visits/{annas_visit.id}/check-in", headers=HTMX)

    assert 'role="status"' not in response.text


async def test_a_refused_action_with_htmx_shows_the_reason_in_the_card(
    client: Client, annas_visit: VisitOut
) -> None:
    await client.post(f"/api/visits/{annas_visit.id}/cancel")

    response = await client.post(f"/visits/{annas_visit.id}/check-in", headers=HTMX)

    assert response.status_code == 409
    assert "Dit bezoek is geannuleerd." in response.text


def visit_facts(html: str) -> str:
    """The "Gegevens" list of a visit page (or of its swapped region)."""
    start = html.index('id="visit-facts"')
    return html[start : html.index("</dl>", start)]


async def test_the_actions_on_the_visit_page_swap_its_details_card_and_cancel_button_together(
    client: Client, clock: FixedClock, annas_visit: VisitOut
) -> None:
    clock.set(at(10, 45))  # started, nobody checked in yet: every action is offered

    response = await client.get(f"/visits/{annas_visit.id}")

    assert (
        response.text.count(f'hx-target="#visit-{annas_visit.id}-page"') == 3
    )  # in, out, + (cancelling asks first, on a page of its own)
    assert f'hx-target="#visit-{annas_visit.id}"' not in response.text


async def test_checking_in_on_the_visit_page_shows_the_new_status_in_its_details(
    client: Client, annas_visit: VisitOut
) -> None:
    response = await client.post(
        f"/visits/{annas_visit.id}/check-in",
        data={"next": f"/visits/{annas_visit.id}"},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<div id="visit-{annas_visit.id}-page"')
    assert "Op locatie" in visit_facts(response.text)
    assert "Gepland" not in visit_facts(response.text)


async def test_the_visit_details_say_aangemeld_as_its_check_in_button_does(
    client: Client, annas_visit: VisitOut
) -> None:
    response = await client.post(
        f"/visits/{annas_visit.id}/check-in",
        data={"next": f"/visits/{annas_visit.id}"},
        headers=HTMX,
    )

    assert "<dt>Aangemeld</dt>" in visit_facts(response.text)
    assert "Ingecheckt" not in response.text


async def test_extending_on_the_visit_page_shows_the_new_end_in_its_details(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(10, 45))
    await login_as(crew.anna)

    response = await client.post(
        f"/visits/{visit.id}/extend",
        data={"minutes": "30", "next": f"/visits/{visit.id}"},
        headers=HTMX,
    )

    assert "10:30–12:00" in visit_facts(response.text)


async def test_checking_out_on_the_visit_page_no_longer_offers_to_cancel_it(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(10, 45))
    await login_as(crew.anna)

    response = await client.post(
        f"/visits/{visit.id}/check-out", data={"next": f"/visits/{visit.id}"}, headers=HTMX
    )

    assert "Veilig vertrokken" in visit_facts(response.text)
    assert "Dit bezoek annuleren" not in response.text


async def test_an_action_on_the_visit_page_drops_the_planned_banner(
    client: Client, annas_visit: VisitOut
) -> None:
    planned = await client.get(f"/visits/{annas_visit.id}?saved=1")

    response = await client.post(
        f"/visits/{annas_visit.id}/check-in",
        data={"next": f"/visits/{annas_visit.id}"},
        headers=HTMX,
    )

    assert "Het bezoek is gepland." in planned.text
    assert "Het bezoek is gepland." not in response.text


async def test_the_planned_banner_is_not_shown_for_a_visit_checked_in_since(
    client: Client, annas_visit: VisitOut
) -> None:
    await client.post(f"/api/visits/{annas_visit.id}/check-in")

    response = await client.get(f"/visits/{annas_visit.id}?saved=1")

    assert "Het bezoek is gepland." not in response.text


async def test_cancelling_on_the_visit_page_shows_it_cancelled_without_actions(
    client: Client, annas_visit: VisitOut
) -> None:
    response = await client.post(
        f"/visits/{annas_visit.id}/cancel",
        data={"next": f"/visits/{annas_visit.id}", "confirmed": "1"},
        headers=HTMX,
    )

    assert "Geannuleerd" in visit_facts(response.text)
    assert "Dit bezoek annuleren" not in response.text
    assert f'action="/visits/{annas_visit.id}/check-in"' not in response.text


async def test_a_refused_action_on_the_visit_page_shows_the_reason_with_the_current_state(
    client: Client, annas_visit: VisitOut
) -> None:
    await client.post(f"/api/visits/{annas_visit.id}/cancel")

    response = await client.post(
        f"/visits/{annas_visit.id}/check-in",
        data={"next": f"/visits/{annas_visit.id}"},
        headers=HTMX,
    )

    assert response.status_code == 409
    assert "Dit bezoek is geannuleerd." in response.text
    assert "Geannuleerd" in visit_facts(response.text)


async def test_the_plan_form_plans_a_visit_and_shows_it(
    client: Client, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.anna)

    response = await client.post(
        "/visits/new",
        data=plan_form(
            crew,
            second_visitor_id=str(crew.bram.id),
            end_time="15:30",
            address="Hoofdstraat 3, Niekerk",
            two_person_required="on",
        ),
        follow_redirects=True,
    )

    assert response.status_code == 200
    assert "Bezoek in Niekerk" in response.text
    assert "14:00–15:30" in response.text
    assert "Hoofdstraat 3, Niekerk" in response.text


async def test_the_plan_form_marks_the_visitors_when_two_people_are_required(
    client: Client, db: AsyncSession, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.anna)

    response = await client.post(
        "/visits/new",
        data=plan_form(crew, second_visitor_id="", two_person_required="on"),
    )

    assert response.status_code == 422
    assert 'id="visitor_ids-error"' in response.text
    assert re.search(r'id="visitor_id"[^>]*aria-invalid="true"', response.text)
    assert "Voor dit bezoek zijn twee mensen nodig" in response.text
    assert await count_visits(db) == 0


async def test_the_plan_form_late_in_the_evening_proposes_an_hour_until_midnight(
    client: Client, clock: FixedClock, crew: Crew, login_as: LoginAs
) -> None:
    clock.set(at(22, 20))
    await login_as(crew.anna)

    response = await client.get("/visits/new")

    assert re.search(r'id="start_time"[^>]*value="23:00"', response.text)
    assert re.search(r'id="end_time"[^>]*value="00:00"', response.text)


async def test_the_plan_form_proposes_a_time_after_ones_own_visit_it_would_overlap(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    clock.set(at(9, 20))
    await plan([crew.anna], start=at(10, 0), end=at(11, 30))
    await login_as(crew.anna)

    response = await client.get("/visits/new")

    assert re.search(r'id="start_time"[^>]*value="12:00"', response.text)
    assert re.search(r'id="end_time"[^>]*value="13:00"', response.text)


async def test_the_plan_form_proposes_the_next_hour_when_ones_visit_ends_on_it(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    clock.set(at(9, 20))
    await plan([crew.anna], start=at(10, 0), end=at(11, 0))
    await login_as(crew.anna)

    response = await client.get("/visits/new")

    assert re.search(r'id="start_time"[^>]*value="11:00"', response.text)


async def test_the_plan_form_takes_an_end_before_the_start_as_the_next_day(
    client: Client, db: AsyncSession, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.anna)

    response = await client.post(
        "/visits/new",
        data=plan_form(crew, start_time="22:00", end_time="01:30"),
        follow_redirects=False,
    )

    visit_id = int(response.headers["location"].split("/")[2].split("?")[0])
    visit = await stored_visit(db, visit_id)
    assert (visit.planned_start, visit.planned_end) == (at(22, 0), at(1, 30, day=26))


async def test_the_plan_form_marks_an_end_before_the_start(
    client: Client, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.anna)

    response = await client.post(
        "/visits/new",
        data=plan_form(crew, start_time="15:00", end_time="14:00"),
    )

    assert response.status_code == 422
    assert 'id="end-error"' in response.text
    assert re.search(r'id="end_time"[^>]*aria-invalid="true"', response.text)


async def test_the_plan_form_marks_a_missing_area_and_a_missing_address_together(
    client: Client, db: AsyncSession, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.anna)

    response = await client.post("/visits/new", data=plan_form(crew, area="", address=""))

    assert response.status_code == 422
    assert 'id="area-error"' in response.text
    assert 'id="address-error"' in response.text
    assert await count_visits(db) == 0


async def test_the_plan_form_marks_an_area_with_a_house_number_and_keeps_it(
    client: Client, db: AsyncSession, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.anna)

    response = await client.post(
        "/visits/new",
        data=plan_form(crew, area="Kerkstraat 14b Marum", address="Kerkstraat 14b, Marum"),
    )

    assert response.status_code == 422
    assert re.search(
        r'id="area"[^>]*value="Kerkstraat 14b Marum"[^>]*aria-invalid="true"', response.text
    )
    assert "Vul alleen een wijk of dorp in, nooit een adres." in response.text
    assert await count_visits(db) == 0


async def test_the_plan_form_marks_a_start_time_skipped_by_summer_time_and_keeps_it(
    client: Client, clock: FixedClock, crew: Crew, login_as: LoginAs
) -> None:
    clock.set(at(10, 0).replace(year=2027, month=3, day=27))
    await login_as(crew.anna)

    response = await client.post(
        "/visits/new",
        data=plan_form(crew, date="2027-03-28", start_time="02:30", end_time="03:15"),
    )

    assert response.status_code == 422
    assert re.search(r'id="start_time"[^>]*value="02:30"[^>]*aria-invalid="true"', response.text)
    assert "De begintijd 02:30 bestaat niet op zondag 28-03-2027" in response.text


async def test_my_visits_page_lists_the_coming_visits(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    await plan([crew.anna], area="Marum")
    await plan([crew.anna], area="Leek", start=at(9, 0, day=30), end=at(10, 0, day=30))
    await login_as(crew.anna)

    response = await client.get("/visits")

    assert response.status_code == 200
    assert response.text.index("Marum") < response.text.index("Leek")


async def test_the_visit_page_shows_the_team_lead_the_address_and_records_it(
    client: Client, db: AsyncSession, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.lead)

    response = await client.get(f"/visits/{visit.id}")

    assert "Molenweg 12, 9363 AB Marum" in response.text
    assert ("view_address", crew.lead.id) in await audit_actions(db, visit.id)


async def test_the_visit_page_shows_the_visitor_who_viewed_the_address(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.lead)
    await client.get(f"/visits/{visit.id}")
    await login_as(crew.anna)

    response = await client.get(f"/visits/{visit.id}")

    section = response.text[response.text.index("Wie heeft het adres bekeken") :]
    assert "Lotte Leider" in section


async def test_the_visit_page_shows_the_kcc_only_the_area(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    await login_as(crew.kcc)

    response = await client.get(f"/visits/{visit.id}")

    assert response.status_code == 200
    assert "Marum" in response.text and "Molenweg" not in response.text


async def test_the_home_page_shows_my_visits_today_with_one_tap_check_in(
    client: Client, annas_visit: VisitOut
) -> None:
    response = await client.get("/")

    assert "Mijn bezoeken vandaag" in response.text
    assert f'action="/visits/{annas_visit.id}/check-in"' in response.text
    assert 'name="next" value="/"' in response.text


async def test_the_home_page_has_no_visits_block_without_visits(
    client: Client, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.anna)

    response = await client.get("/")

    assert "Mijn bezoeken vandaag" not in response.text


async def test_the_menu_offers_field_visits_to_everyone_and_the_board_to_team_leads(
    client: Client, crew: Crew, login_as: LoginAs
) -> None:
    await login_as(crew.anna)
    employee = await client.get("/")
    await login_as(crew.lead)
    lead = await client.get("/")

    assert 'href="/visits"' in employee.text and 'href="/visits/safety"' not in employee.text
    assert 'href="/visits/safety"' in lead.text


async def test_a_visit_checked_out_yesterday_is_not_on_the_phone_page(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna])
    clock.set(at(10, 45))
    await login_as(crew.anna)
    await client.post(f"/api/visits/{visit.id}/check-out")
    clock.set(at(9, 0, day=26))
    await login_as(crew.anna)  # yesterday's login has expired

    response = await client.get("/visits/today")

    assert "Marum" not in response.text


async def test_the_home_page_tells_the_team_lead_about_an_unacknowledged_alert(
    client: Client,
    crew: Crew,
    login_as: LoginAs,
    overdue: Overdue,
) -> None:
    await login_as(crew.lead)

    response = await client.get("/")

    assert "1 veldbezoek is over tijd en niemand heeft het nog bevestigd." in response.text
    assert 'href="/visits/safety"' in response.text


async def test_the_home_page_counts_an_escalated_visit_once(
    client: Client,
    clock: FixedClock,
    crew: Crew,
    raise_alerts: RunJob,
    login_as: LoginAs,
    overdue: Overdue,
) -> None:
    clock.set(at(12, 15))
    await raise_alerts()  # the escalation: a second alert for the same visit
    await login_as(crew.lead)

    response = await client.get("/")

    assert "1 veldbezoek is over tijd en niemand heeft het nog bevestigd." in response.text


async def test_the_home_page_counts_each_overdue_visit(
    client: Client,
    clock: FixedClock,
    crew: Crew,
    plan: PlanVisit,
    raise_alerts: RunJob,
    login_as: LoginAs,
) -> None:
    await plan([crew.anna])
    await plan([crew.bram])
    clock.set(at(11, 45))
    await raise_alerts()
    await login_as(crew.lead)

    response = await client.get("/")

    assert "2 veldbezoeken zijn over tijd en niemand heeft ze nog bevestigd." in response.text


async def test_the_home_page_no_longer_counts_a_visit_once_it_has_left_the_safety_board(
    client: Client,
    clock: FixedClock,
    crew: Crew,
    login_as: LoginAs,
    overdue: Overdue,
) -> None:
    """The board shows a visit until a day after its planned end (11:30): so does the count."""
    clock.set(at(11, 31, day=26))
    await login_as(crew.lead)

    response = await client.get("/")

    assert "over tijd en niemand" not in response.text


async def test_the_home_page_no_longer_counts_an_acknowledged_visit(
    client: Client,
    crew: Crew,
    login_as: LoginAs,
    overdue: Overdue,
) -> None:
    alert = overdue.alert
    await login_as(crew.lead)
    await client.post(f"/api/visits/alerts/{alert.id}/acknowledge")

    response = await client.get("/")

    assert "over tijd en niemand" not in response.text


async def test_checking_out_for_a_visitor_on_the_visit_page_records_the_address_view(
    client: Client,
    db: AsyncSession,
    clock: FixedClock,
    crew: Crew,
    plan: PlanVisit,
    login_as: LoginAs,
) -> None:
    """The swapped-in details show the team lead the address: that look is recorded."""
    visit = await plan([crew.anna])
    clock.set(at(10, 45))
    await login_as(crew.lead)

    response = await client.post(
        f"/visits/{visit.id}/check-out", data={"next": f"/visits/{visit.id}"}, headers=HTMX
    )

    assert "Molenweg 12" in response.text
    assert ("view_address", crew.lead.id) in await audit_actions(db, visit.id)


async def test_the_home_page_puts_the_overdue_alert_above_everything_else(
    client: Client,
    crew: Crew,
    login_as: LoginAs,
    overdue: Overdue,
) -> None:
    await login_as(crew.lead)

    response = await client.get("/")

    alert = response.text.index("visits-home-alert")
    assert alert < min(response.text.index('class="tiles"'), response.text.index("<section"))


async def test_the_home_page_of_a_visitor_shows_no_alert_banner(
    client: Client,
    crew: Crew,
    login_as: LoginAs,
    overdue: Overdue,
) -> None:
    await login_as(crew.anna)

    response = await client.get("/")

    assert "over tijd en niemand" not in response.text


async def test_a_visitor_past_the_end_reads_when_the_team_lead_was_alerted(
    client: Client,
    crew: Crew,
    login_as: LoginAs,
    overdue: Overdue,
) -> None:
    await login_as(crew.anna)

    response = await client.get("/visits/today")

    assert "Uw teamleider heeft om 11:45 een melding gekregen" in response.text
    assert "Meld u af zodra u veilig vertrokken bent, of verleng het bezoek." in response.text


async def test_a_visitor_past_the_end_reads_who_is_taking_up_the_alert(
    client: Client,
    crew: Crew,
    login_as: LoginAs,
    overdue: Overdue,
) -> None:
    await login_as(crew.lead)
    await client.post(f"/api/visits/alerts/{overdue.alert.id}/acknowledge")
    await login_as(crew.anna)

    response = await client.get("/visits/today")

    assert f"{crew.lead.name} pakt de melding op" in response.text


async def test_a_visitor_past_the_end_before_any_alert_reads_of_none(
    client: Client,
    clock: FixedClock,
    annas_visit: VisitOut,
) -> None:
    clock.set(at(11, 35))

    response = await client.get("/visits/today")

    assert "een melding gekregen" not in response.text


async def test_the_plan_form_says_an_end_earlier_than_the_start_is_the_next_day(
    client: Client, annas_visit: VisitOut
) -> None:
    """Not "voor de begintijd", which reads as "for the start time" as well."""
    response = await client.get("/visits/new")

    assert "(eerder dan de begintijd: de volgende dag)" in response.text


async def test_the_visit_page_names_the_address_once(client: Client, annas_visit: VisitOut) -> None:
    """The card below the details is there for its buttons, not to repeat the details."""
    response = await client.get(f"/visits/{annas_visit.id}")

    assert response.text.count("Molenweg 12") == 1
    assert f'action="/visits/{annas_visit.id}/check-in"' in response.text


async def test_the_visit_page_of_a_visit_with_nothing_to_do_yet_shows_no_empty_card(
    client: Client, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    visit = await plan([crew.anna], start=at(10, 30, day=27), end=at(11, 30, day=27))
    await login_as(crew.anna)

    response = await client.get(f"/visits/{visit.id}")

    assert 'class="visit-card' not in response.text


async def test_a_team_lead_on_the_visit_page_checks_out_as_having_reached_them(
    client: Client, clock: FixedClock, crew: Crew, plan: PlanVisit, login_as: LoginAs
) -> None:
    """ "Veilig vertrokken" is the visitor's own word; the lead did not leave anywhere."""
    visit = await plan([crew.anna])
    clock.set(at(10, 45))
    await login_as(crew.lead)

    response = await client.get(f"/visits/{visit.id}")

    assert "Bereikt: namens hen afmelden" in response.text
    assert "Veilig vertrokken (afmelden)" not in response.text
    assert "Bezoek verlengen met" in response.text


async def test_a_visitor_on_the_visit_page_checks_out_as_having_left_safely(
    client: Client, clock: FixedClock, annas_visit: VisitOut
) -> None:
    clock.set(at(10, 45))

    response = await client.get(f"/visits/{annas_visit.id}")

    assert "Veilig vertrokken (afmelden)" in response.text
    assert "Meer tijd nodig? Verleng met" in response.text


async def test_a_team_lead_finds_the_visit_they_planned_for_a_member_among_their_visits(
    client: Client,
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
    crew: Crew,
    login_as: LoginAs,
) -> None:
    await db.commit()
    visit = await services.plan_visit(db, clock, settings, user(crew.lead), visit_in([crew.anna]))
    await db.commit()
    await login_as(crew.lead)

    response = await client.get("/visits")

    planned = response.text.split("Door u gepland voor collega's", 1)[1]
    assert f'href="/visits/{visit.id}"' in planned
    assert "Anna Veld" in planned


async def test_the_visits_planned_for_colleagues_show_no_address(
    client: Client,
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
    crew: Crew,
    login_as: LoginAs,
) -> None:
    """A look at the address by the lead is recorded, on the visit itself: not in a list."""
    await db.commit()
    visit = await services.plan_visit(db, clock, settings, user(crew.lead), visit_in([crew.anna]))
    await db.commit()
    await login_as(crew.lead)

    response = await client.get("/visits")

    assert "Molenweg" not in response.text
    assert ("view_address", crew.lead.id) not in await audit_actions(db, visit.id)


async def test_ones_own_visits_are_not_listed_again_as_planned_for_colleagues(
    client: Client, annas_visit: VisitOut
) -> None:
    response = await client.get("/visits")

    assert "Door u gepland voor collega's" not in response.text
