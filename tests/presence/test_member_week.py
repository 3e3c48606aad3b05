"""A team member's week, planned by their lead on the My week page with ``?person=``."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson, MakeTeam
from tests.presence.conftest import TODAY, SetEntry, Sites
from werkplek.audit.models import AuditEvent
from werkplek.people.models import Person, Role, Team
from werkplek.presence.models import WeeklyPattern, WorkLocation
from werkplek.rooms.models import Space

HTMX = {"HX-Request": "true"}
DAY = TODAY.isoformat()


@dataclass
class Handhaving:
    team: Team
    member: Person
    lead: Person


@pytest.fixture
async def handhaving(make_person: MakePerson, make_team: MakeTeam) -> Handhaving:
    team = await make_team("Handhaving")
    member = await make_person("Fatima Yilmaz", teams=(team,))
    lead = await make_person("Marco Veenstra", lead_of=(team,))
    return Handhaving(team, member, lead)


async def _kinds(db: AsyncSession, person: Person) -> list[tuple[str, str]]:
    await db.rollback()
    rows = await db.execute(
        select(WorkLocation.day_part, WorkLocation.kind).where(WorkLocation.person_id == person.id)
    )
    return sorted((part, kind) for part, kind in rows.all())


@pytest.fixture
async def members_week_page(
    client: AsyncTestClient[Litestar], login_as: LoginAs, handhaving: Handhaving
) -> str:
    """The member's week as their lead sees it."""
    await login_as(handhaving.lead)
    response = await client.get("/my-week", params={"person": handhaving.member.id})
    assert response.status_code == 200
    return response.text


async def test_a_lead_opens_a_members_week_under_their_name(members_week_page: str) -> None:
    assert "<h1>Week van Fatima Yilmaz</h1>" in members_week_page


async def test_the_members_week_saves_each_day_for_the_member(
    handhaving: Handhaving, members_week_page: str
) -> None:
    assert f'action="/my-week/{DAY}?person={handhaving.member.id}"' in members_week_page


async def test_a_lead_saves_a_members_day(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    login_as: LoginAs,
    handhaving: Handhaving,
    sites: Sites,
) -> None:
    await login_as(handhaving.lead)

    response = await client.post(
        f"/my-week/{DAY}",
        params={"person": handhaving.member.id},
        data={"morning": f"office:{sites.town_hall.id}", "afternoon": "home"},
        follow_redirects=False,
    )

    assert response.headers["location"] == (
        f"/my-week?person={handhaving.member.id}&week={DAY}&saved={DAY}"
    )
    assert await _kinds(db, handhaving.member) == [("afternoon", "home"), ("morning", "office")]


async def test_a_members_day_saved_with_htmx_comes_back_as_their_card(
    client: AsyncTestClient[Litestar], login_as: LoginAs, handhaving: Handhaving
) -> None:
    await login_as(handhaving.lead)

    response = await client.post(
        f"/my-week/{DAY}",
        params={"person": handhaving.member.id},
        data={"whole_day": "home"},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert f'hx-post="/my-week/{DAY}?person={handhaving.member.id}"' in response.text


async def test_a_refused_members_day_comes_back_with_the_error_on_their_card(
    client: AsyncTestClient[Litestar], login_as: LoginAs, handhaving: Handhaving
) -> None:
    await login_as(handhaving.lead)

    response = await client.post(
        f"/my-week/{DAY}",
        params={"person": handhaving.member.id},
        data={"whole_day": "office:999999"},
        headers=HTMX,
    )

    assert response.status_code == 422
    assert "Onbekende locatie." in response.text
    assert "Achtervang als Fatima Yilmaz niet bereikbaar is" in response.text


async def test_a_refused_members_day_does_not_address_the_lead_as_the_member(
    client: AsyncTestClient[Litestar], login_as: LoginAs, handhaving: Handhaving
) -> None:
    await login_as(handhaving.lead)

    response = await client.post(
        f"/my-week/{DAY}",
        params={"person": handhaving.member.id},
        data={"whole_day": "home", "reachable_from": "17:00", "reachable_until": "08:00"},
        headers=HTMX,
    )

    assert response.status_code == 422
    assert "Het begin van de bereikbaarheid moet voor het einde liggen." in response.text


async def test_the_member_sees_the_day_their_lead_set(
    client: AsyncTestClient[Litestar], login_as: LoginAs, handhaving: Handhaving
) -> None:
    await login_as(handhaving.lead)
    await client.post(
        f"/my-week/{DAY}", params={"person": handhaving.member.id}, data={"whole_day": "home"}
    )
    await login_as(handhaving.member)

    response = await client.get("/my-week", params={"week": DAY})

    card = response.text.split(f'id="day-{DAY}"', 1)[1].split("</form>", 1)[0]
    assert card.count('<option value="home" selected>') == 2


async def test_a_lead_setting_a_members_day_is_audited_as_the_lead(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    login_as: LoginAs,
    handhaving: Handhaving,
) -> None:
    await login_as(handhaving.lead)

    await client.post(
        f"/my-week/{DAY}", params={"person": handhaving.member.id}, data={"whole_day": "home"}
    )

    await db.rollback()
    event = (
        await db.execute(select(AuditEvent).where(AuditEvent.action == "set_day"))
    ).scalar_one()
    assert (event.actor_id, event.object_id) == (handhaving.lead.id, str(handhaving.member.id))


async def test_a_lead_copies_last_week_into_a_members_week(
    client: AsyncTestClient[Litestar], login_as: LoginAs, handhaving: Handhaving
) -> None:
    await login_as(handhaving.lead)

    response = await client.post(
        "/my-week/copy",
        params={"person": handhaving.member.id},
        data={"week": DAY},
        follow_redirects=False,
    )

    assert response.headers["location"].startswith(
        f"/my-week?person={handhaving.member.id}&week={DAY}&copied=0"
    )


async def test_a_colleague_in_the_team_may_not_open_a_members_week(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    handhaving: Handhaving,
) -> None:
    await login_as(await make_person(teams=(handhaving.team,)))

    response = await client.get("/my-week", params={"person": handhaving.member.id})

    assert response.status_code == 403
    assert "die van een collega alleen als teamleider van diens team." in response.text


async def test_a_colleague_in_the_team_may_not_save_a_members_day(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
    handhaving: Handhaving,
) -> None:
    await login_as(await make_person(teams=(handhaving.team,)))

    response = await client.post(
        f"/my-week/{DAY}", params={"person": handhaving.member.id}, data={"whole_day": "home"}
    )

    assert response.status_code == 403
    assert await _kinds(db, handhaving.member) == []


async def test_a_lead_of_another_team_may_not_open_a_members_week(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
    handhaving: Handhaving,
) -> None:
    await login_as(await make_person(lead_of=(await make_team("Burgerzaken"),)))

    response = await client.get("/my-week", params={"person": handhaving.member.id})

    assert response.status_code == 403


async def test_a_lead_of_another_team_may_not_copy_into_a_members_week(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
    handhaving: Handhaving,
) -> None:
    await login_as(await make_person(lead_of=(await make_team("Burgerzaken"),)))

    response = await client.post(
        "/my-week/copy", params={"person": handhaving.member.id}, data={"week": DAY}
    )

    assert response.status_code == 403


async def test_an_admin_opens_a_members_week(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    handhaving: Handhaving,
) -> None:
    await login_as(await make_person(roles=(Role.ADMIN,)))

    response = await client.get("/my-week", params={"person": handhaving.member.id})

    assert response.status_code == 200


async def test_a_lead_is_not_offered_the_members_absence_reason(
    client: AsyncTestClient[Litestar],
    login_as: LoginAs,
    handhaving: Handhaving,
    set_entry: SetEntry,
) -> None:
    await set_entry(handhaving.member, TODAY, "morning", "absent", reason="huisarts")
    await login_as(handhaving.lead)

    response = await client.get("/my-week", params={"person": handhaving.member.id})

    assert 'name="absence_reason"' not in response.text
    assert "huisarts" not in response.text
    assert "Alleen Fatima Yilmaz legt de reden van een afwezigheid vast" in response.text


async def test_an_admin_is_offered_the_members_absence_reason(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    handhaving: Handhaving,
    set_entry: SetEntry,
) -> None:
    await set_entry(handhaving.member, TODAY, "morning", "absent", reason="huisarts")
    await login_as(await make_person(roles=(Role.ADMIN,)))

    response = await client.get("/my-week", params={"person": handhaving.member.id})

    assert 'value="huisarts"' in response.text


async def test_a_members_week_leads_back_to_the_team_board(
    handhaving: Handhaving, members_week_page: str
) -> None:
    assert f'href="/teams/{handhaving.team.id}/board?date=2026-11-23"' in members_week_page


async def test_a_leads_own_week_is_my_week_in_the_menu(
    client: AsyncTestClient[Litestar], login_as: LoginAs, handhaving: Handhaving
) -> None:
    await login_as(handhaving.lead)

    response = await client.get("/my-week", params={"person": handhaving.lead.id})

    assert 'href="/my-week" aria-current="page"' in response.text


@pytest.mark.parametrize("page", ["/my-week", "/my-week/pattern"])
async def test_a_members_week_is_not_my_week_in_the_menu(
    client: AsyncTestClient[Litestar], login_as: LoginAs, handhaving: Handhaving, page: str
) -> None:
    await login_as(handhaving.lead)

    response = await client.get(page, params={"person": handhaving.member.id})

    assert response.status_code == 200
    assert 'aria-current="page"' not in response.text


async def test_the_lead_finds_each_members_week_on_the_team_board(
    client: AsyncTestClient[Litestar], login_as: LoginAs, handhaving: Handhaving
) -> None:
    await login_as(handhaving.lead)

    response = await client.get(f"/teams/{handhaving.team.id}/board")

    assert f'href="/my-week?person={handhaving.member.id}&amp;week=2026-11-23"' in response.text


async def test_a_colleague_finds_no_members_week_on_the_team_board(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    handhaving: Handhaving,
) -> None:
    await login_as(await make_person(teams=(handhaving.team,)))

    response = await client.get(f"/teams/{handhaving.team.id}/board")

    assert "/my-week?person=" not in response.text


async def test_a_members_week_offers_to_book_a_desk_for_them(
    client: AsyncTestClient[Litestar],
    login_as: LoginAs,
    handhaving: Handhaving,
    sites: Sites,
    desk: Space,
    set_entry: SetEntry,
) -> None:
    await set_entry(handhaving.member, TODAY, "morning", "office", site=sites.town_hall)
    await login_as(handhaving.lead)

    response = await client.get("/my-week", params={"person": handhaving.member.id})

    assert f"day_part=morning&amp;booked_for_id={handhaving.member.id}" in response.text


async def test_the_member_sees_that_their_lead_set_the_day(
    client: AsyncTestClient[Litestar], login_as: LoginAs, handhaving: Handhaving
) -> None:
    await login_as(handhaving.lead)
    await client.post(
        f"/my-week/{DAY}", params={"person": handhaving.member.id}, data={"whole_day": "home"}
    )
    await login_as(handhaving.member)

    response = await client.get("/my-week", params={"week": DAY})

    card = response.text.split(f'id="day-{DAY}"', 1)[1].split("</form>", 1)[0]
    assert "ingevuld door Marco Veenstra" in card


async def test_a_day_the_member_set_again_themselves_names_nobody_else(
    client: AsyncTestClient[Litestar], login_as: LoginAs, handhaving: Handhaving
) -> None:
    await login_as(handhaving.lead)
    await client.post(
        f"/my-week/{DAY}", params={"person": handhaving.member.id}, data={"whole_day": "home"}
    )
    await login_as(handhaving.member)
    await client.post(f"/my-week/{DAY}", data={"whole_day": "home"})

    response = await client.get("/my-week", params={"week": DAY})

    assert "ingevuld door" not in response.text


async def test_a_lead_opens_a_members_usual_week_under_their_name(
    client: AsyncTestClient[Litestar], login_as: LoginAs, handhaving: Handhaving
) -> None:
    await login_as(handhaving.lead)

    response = await client.get("/my-week/pattern", params={"person": handhaving.member.id})

    assert "<h1>Vaste week van Fatima Yilmaz</h1>" in response.text
    assert f'action="/my-week/pattern?person={handhaving.member.id}"' in response.text


async def test_a_lead_saves_a_members_usual_week(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    login_as: LoginAs,
    handhaving: Handhaving,
) -> None:
    await login_as(handhaving.lead)

    response = await client.post(
        "/my-week/pattern",
        params={"person": handhaving.member.id},
        data={"morning_0": "home", "afternoon_0": "home"},
        follow_redirects=False,
    )

    assert response.headers["location"] == (
        f"/my-week/pattern?person={handhaving.member.id}&saved=true"
    )
    await db.rollback()
    kinds = await db.execute(
        select(WeeklyPattern.morning_kind).where(WeeklyPattern.person_id == handhaving.member.id)
    )
    assert kinds.scalars().all() == ["home"]


async def test_a_refused_members_usual_week_comes_back_under_their_name(
    client: AsyncTestClient[Litestar], login_as: LoginAs, handhaving: Handhaving
) -> None:
    await login_as(handhaving.lead)

    response = await client.post(
        "/my-week/pattern",
        params={"person": handhaving.member.id},
        data={"morning_0": "office:999999"},
    )

    assert response.status_code == 422
    assert "De vaste week is niet opgeslagen:" in response.text
    assert "<h1>Vaste week van Fatima Yilmaz</h1>" in response.text


async def test_a_colleague_in_the_team_may_not_save_a_members_usual_week(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    handhaving: Handhaving,
) -> None:
    await login_as(await make_person(teams=(handhaving.team,)))

    response = await client.post(
        "/my-week/pattern", params={"person": handhaving.member.id}, data={"morning_0": "home"}
    )

    assert response.status_code == 403


async def test_a_leads_own_week_leads_to_their_team_board_to_plan_it(
    client: AsyncTestClient[Litestar], login_as: LoginAs, handhaving: Handhaving
) -> None:
    await login_as(handhaving.lead)

    response = await client.get("/my-week")

    board = f"/teams/{handhaving.team.id}/board?date=2026-11-23"
    assert f'<a href="{board}">Week van mijn team plannen</a>' in response.text


async def test_a_colleagues_own_week_has_no_team_board_to_plan(
    client: AsyncTestClient[Litestar], login_as: LoginAs, handhaving: Handhaving
) -> None:
    await login_as(handhaving.member)

    response = await client.get("/my-week")

    assert "Week van mijn team plannen" not in response.text
