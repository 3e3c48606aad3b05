"""Team days: a team lead books desks close together for the team's members in one go, by
the rules of a single booking, reporting per member what was booked and what was not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import TODAY, TOMORROW, Book, Run, actor, count_bookings, desk_booking
from tests.conftest import LoginAs, MakeFloor, MakePerson, MakeSite, MakeSpace, MakeTeam
from werkplek.audit.models import AuditEvent
from werkplek.bookings.schemas import TeamDayIn, TeamDayOut
from werkplek.bookings.team_days import book_team_day, desks_close_together
from werkplek.clock import FixedClock
from werkplek.errors import Forbidden, InvalidInput
from werkplek.notifications.models import OutboxMail
from werkplek.people.models import Person, Role, Team
from werkplek.rooms.models import Site, Space
from werkplek.rooms.services import DayPart

Client = AsyncTestClient[Litestar]


@dataclass
class Office:
    """A site whose floor has zone A (two desks) and zone B (three desks), and a team
    Vergunningen of a lead and three members."""

    site: Site
    zone_a: list[Space]
    zone_b: list[Space]
    team: Team
    lead: Person
    members: list[Person]


@pytest.fixture
async def office(
    make_site: MakeSite,
    make_floor: MakeFloor,
    make_space: MakeSpace,
    make_team: MakeTeam,
    make_person: MakePerson,
) -> Office:
    site = await make_site()
    floor = await make_floor(site, "Eerste verdieping", level=1, zones=("Zone A", "Zone B"))
    zone_a, zone_b = sorted(floor.zones, key=lambda zone: zone.name)
    a = [await make_space(site, f"A.0{n}", floor_id=floor.id, zone_id=zone_a.id) for n in (1, 2)]
    b = [await make_space(site, f"B.0{n}", floor_id=floor.id, zone_id=zone_b.id) for n in (1, 2, 3)]
    team = await make_team("Vergunningen")
    lead = await make_person("Lotte Leiding", lead_of=(team,))
    members = [await make_person(name, teams=(team,)) for name in ("Bram", "Cas", "Daan")]
    return Office(site, a, b, team, lead, members)


def team_day(office: Office, **extra: Any) -> TeamDayIn:
    fields: dict[str, Any] = {
        "team_id": office.team.id,
        "site_id": office.site.id,
        "date": TOMORROW,
        "day_part": DayPart.MORNING,
        "person_ids": [member.id for member in office.members],
        **extra,
    }
    return TeamDayIn(**fields)


async def plan(run: Run, clock: FixedClock, by: Person, data: TeamDayIn) -> TeamDayOut:
    result: TeamDayOut = await run(book_team_day, clock, actor(by), data)
    return result


def booked_desks(result: TeamDayOut) -> dict[str, str]:
    return {seat.name: seat.space_name for seat in result.booked}


# --- where the team sits ------------------------------------------------------------------


async def test_the_team_sits_together_in_the_zone_with_room_for_most(
    office: Office, run: Run, clock: FixedClock
) -> None:
    result = await plan(run, clock, office.lead, team_day(office))

    assert booked_desks(result) == {"Bram": "B.01", "Cas": "B.02", "Daan": "B.03"}


async def test_a_team_too_big_for_one_zone_continues_on_the_same_floor(
    office: Office, run: Run, clock: FixedClock, make_person: MakePerson
) -> None:
    extra = [await make_person(name, teams=(office.team,)) for name in ("Eva", "Fenna")]
    people = [*office.members, *extra]

    result = await plan(
        run, clock, office.lead, team_day(office, person_ids=[p.id for p in people])
    )

    assert sorted(booked_desks(result).values()) == ["A.01", "A.02", "B.01", "B.02", "B.03"]


async def test_quiet_desks_are_taken_only_after_every_plain_desk(
    office: Office, run: Run, clock: FixedClock, make_space: MakeSpace, make_person: MakePerson
) -> None:
    for n in range(1, 5):  # a quiet zone bigger than any other
        await make_space(office.site, f"Q.0{n}", kind="quiet_desk")
    extra = [await make_person(name, teams=(office.team,)) for name in ("Eva", "Fenna", "Gijs")]
    people = [*office.members, *extra]

    result = await plan(
        run, clock, office.lead, team_day(office, person_ids=[p.id for p in people])
    )

    assert booked_desks(result)["Gijs"] == "Q.01"
    assert sorted(booked_desks(result).values())[:5] == ["A.01", "A.02", "B.01", "B.02", "B.03"]


def test_desks_without_a_zone_come_after_the_zones_with_more_desks() -> None:
    def desk(name: str, floor: int | None, zone: int | None) -> Any:
        return type("Desk", (), {"name": name, "floor_id": floor, "zone_id": zone})()

    desks = [desk("1", 1, None), desk("2", 1, 7), desk("3", 1, 7), desk("4", 2, 9)]

    assert [d.name for d in desks_close_together(desks)] == ["2", "3", "1", "4"]


async def test_every_member_is_booked_when_no_one_is_named(
    office: Office, run: Run, clock: FixedClock
) -> None:
    result = await plan(run, clock, office.lead, team_day(office, person_ids=None))

    assert sorted(booked_desks(result)) == ["Bram", "Cas", "Daan", "Lotte Leiding"]


async def test_a_desk_reserved_for_another_team_is_skipped_for_a_member_not_in_it(
    office: Office,
    run: Run,
    clock: FixedClock,
    make_site: MakeSite,
    make_team: MakeTeam,
    make_person: MakePerson,
    make_space: MakeSpace,
) -> None:
    other = await make_team("Handhaving")
    site = await make_site("Buitenpost")
    await make_space(site, "C.01", teams=(other,))
    await make_space(site, "C.02")
    zeno = await make_person("Zeno", teams=(office.team, other))
    cas = office.members[1]

    result = await plan(
        run, clock, office.lead, team_day(office, site_id=site.id, person_ids=[cas.id, zeno.id])
    )

    assert booked_desks(result) == {"Cas": "C.02", "Zeno": "C.01"}


# --- what is reported ---------------------------------------------------------------------


async def test_a_member_who_holds_a_desk_already_is_reported_with_it_and_not_rebooked(
    office: Office, run: Run, clock: FixedClock, book: Book, db: AsyncSession
) -> None:
    bram = office.members[0]
    await book(bram, desk_booking(office.zone_a[0]))

    result = await plan(run, clock, office.lead, team_day(office))

    assert [(s.name, s.space_name) for s in result.already_seated] == [("Bram", "A.01")]
    assert "Bram" not in booked_desks(result)
    assert await count_bookings(db, booked_for_id=bram.id) == 1


async def test_a_reached_capacity_cap_is_reported_for_each_member_not_booked(
    office: Office, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    office.site.capacity_cap_percent = 40  # 40 % of 5 desks: 2 people per day part
    await db.commit()

    result = await plan(run, clock, office.lead, team_day(office))

    assert len(result.booked) == 2
    assert [(r.name, r.error) for r in result.not_booked] == [("Daan", "capacity_cap_reached")]


async def test_a_member_without_a_desk_left_is_reported_as_such(
    office: Office, run: Run, clock: FixedClock, make_person: MakePerson
) -> None:
    many = [await make_person(f"Lid {n}", teams=(office.team,)) for n in range(6)]

    result = await plan(run, clock, office.lead, team_day(office, person_ids=[p.id for p in many]))

    assert [(r.name, r.error) for r in result.not_booked] == [("Lid 5", "no_free_desk")]


async def test_sent_twice_nothing_is_booked_twice(
    office: Office, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    await plan(run, clock, office.lead, team_day(office))

    again = await plan(run, clock, office.lead, team_day(office))

    assert (len(again.booked), len(again.already_seated)) == (0, 3)
    assert await count_bookings(db) == 3


async def test_each_member_gets_one_confirmation_and_each_booking_is_audited(
    office: Office, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    office.site.capacity_cap_percent = 40  # Daan's refusal mails nobody
    await db.commit()
    await plan(run, clock, office.lead, team_day(office))
    await plan(run, clock, office.lead, team_day(office))

    await db.rollback()
    mails = await db.execute(
        select(OutboxMail.person_id, func.count()).group_by(OutboxMail.person_id)
    )
    audited = await db.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.object_type == "booking")
    )
    assert sorted(count for _person, count in mails) == [1, 1]
    assert audited == 2


# --- who may, and what is refused ---------------------------------------------------------


async def test_a_member_who_does_not_lead_the_team_is_refused(
    office: Office, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    with pytest.raises(Forbidden) as refused:
        await plan(run, clock, office.members[0], team_day(office))

    assert (refused.value.code, refused.value.field) == ("not_team_lead", "team_id")
    assert await count_bookings(db) == 0


async def test_facilities_may_plan_any_team(
    office: Office, run: Run, clock: FixedClock, make_person: MakePerson
) -> None:
    facilities = await make_person("Fien", roles=(Role.FACILITIES,))

    result = await plan(run, clock, facilities, team_day(office))

    assert len(result.booked) == 3


async def test_someone_not_in_the_team_cannot_be_chosen(
    office: Office, run: Run, clock: FixedClock, make_person: MakePerson
) -> None:
    outsider = await make_person("Olaf")

    with pytest.raises(InvalidInput) as refused:
        await plan(run, clock, office.lead, team_day(office, person_ids=[outsider.id]))

    assert (refused.value.code, refused.value.field) == ("not_a_member", "person_ids")


async def test_a_date_beyond_the_horizon_is_refused_at_the_date(
    office: Office, run: Run, clock: FixedClock
) -> None:
    with pytest.raises(InvalidInput) as refused:
        await plan(run, clock, office.lead, team_day(office, date=TODAY + timedelta(days=15)))

    assert (refused.value.code, refused.value.field) == ("too_far_ahead", "date")


async def test_a_day_part_that_has_ended_is_refused_at_the_day_part(
    office: Office, run: Run, clock: FixedClock
) -> None:
    clock.advance(timedelta(hours=4))  # 14:00: the morning is over

    with pytest.raises(InvalidInput) as refused:
        await plan(run, clock, office.lead, team_day(office, date=TODAY))

    assert (refused.value.code, refused.value.field) == ("in_the_past", "day_part")


# --- the API ------------------------------------------------------------------------------


def body(office: Office, **extra: object) -> dict[str, object]:
    return {
        "team_id": office.team.id,
        "site_id": office.site.id,
        "date": TOMORROW.isoformat(),
        "day_part": "morning",
        **extra,
    }


async def test_the_api_answers_what_was_booked(
    office: Office, client: Client, login_as: LoginAs
) -> None:
    await login_as(office.lead)

    response = await client.post("/api/bookings/team-day", json=body(office))

    assert response.status_code == 200
    assert [seat["space_name"] for seat in response.json()["booked"]] == [
        "B.01",
        "B.02",
        "B.03",
        "A.01",
    ]


async def test_the_api_refuses_a_colleague_who_does_not_lead_the_team(
    office: Office, client: Client, login_as: LoginAs
) -> None:
    await login_as(office.members[0])

    response = await client.post("/api/bookings/team-day", json=body(office))

    assert (response.status_code, response.json()["error"]) == (403, "not_team_lead")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"team_id": 999}, "team_id"),
        ({"site_id": 999}, "site_id"),
        ({"date": (TODAY + timedelta(days=30)).isoformat()}, "date"),
        ({"day_part": "evening"}, "day_part"),
        ({"person_ids": "all"}, "person_ids"),
    ],
)
async def test_the_api_refuses_bad_input_naming_the_field(
    office: Office, client: Client, login_as: LoginAs, change: dict[str, object], field: str
) -> None:
    await login_as(office.lead)

    response = await client.post("/api/bookings/team-day", json=body(office, **change))

    answer = response.json()
    named = (
        [f["field"] for f in answer["fields"]] if response.status_code == 400 else [answer["field"]]
    )
    assert response.status_code in (400, 422)
    assert named == [field]


# --- the page -----------------------------------------------------------------------------


def page_form(office: Office, csrf: str, **extra: object) -> dict[str, object]:
    return {
        "_csrf": csrf,
        "shown_team": str(office.team.id),
        "team": str(office.team.id),
        "site": str(office.site.id),
        "floor": "",
        "date": TOMORROW.isoformat(),
        "day_part": "morning",
        "person_ids": [str(member.id) for member in office.members],
        **extra,
    }


async def test_the_page_lists_the_members_ticked_in_dutch(
    office: Office, client: Client, login_as: LoginAs
) -> None:
    await login_as(office.lead)

    response = await client.get(f"/bookings/team-day?team={office.team.id}&date={TOMORROW}")

    assert response.status_code == 200
    assert "<h1>Teamdag plannen</h1>" in response.text
    assert f'name="person_ids" value="{office.members[0].id}" checked' in response.text


async def test_the_page_says_who_holds_a_desk_already(
    office: Office, client: Client, login_as: LoginAs, book: Book
) -> None:
    await book(office.members[0], desk_booking(office.zone_a[0]))
    await login_as(office.lead)

    response = await client.get(
        f"/bookings/team-day?team={office.team.id}&date={TOMORROW}&day_part=morning"
    )

    assert "Bram heeft al een werkplek: A.01." in response.text


async def test_the_page_shows_what_was_booked_in_dutch(
    office: Office, client: Client, login_as: LoginAs, db: AsyncSession
) -> None:
    csrf = (await login_as(office.lead))["X-CSRF-Token"]

    response = await client.post("/bookings/team-day", data=page_form(office, csrf))

    assert response.status_code == 200
    assert "3 werkplekken gereserveerd." in response.text
    assert "Bram: B.01" in response.text
    assert await count_bookings(db) == 3


async def test_showing_the_members_books_nothing(
    office: Office, client: Client, login_as: LoginAs, db: AsyncSession
) -> None:
    csrf = (await login_as(office.lead))["X-CSRF-Token"]

    response = await client.post("/bookings/team-day", data=page_form(office, csrf, show="1"))

    assert response.status_code == 200
    assert await count_bookings(db) == 0


async def test_the_page_refuses_a_date_too_far_ahead_at_the_date_keeping_it(
    office: Office, client: Client, login_as: LoginAs
) -> None:
    csrf = (await login_as(office.lead))["X-CSRF-Token"]
    far = (TODAY + timedelta(days=30)).isoformat()

    response = await client.post("/bookings/team-day", data=page_form(office, csrf, date=far))

    assert response.status_code == 422
    assert (
        'id="date-error">Op deze locatie kunt u hoogstens 14 dagen vooruit reserveren.'
        in response.text
    )
    assert f'value="{far}"' in response.text


async def test_the_page_refuses_no_member_ticked_at_the_members(
    office: Office, client: Client, login_as: LoginAs
) -> None:
    csrf = (await login_as(office.lead))["X-CSRF-Token"]

    response = await client.post("/bookings/team-day", data=page_form(office, csrf, person_ids=[]))

    assert response.status_code == 422
    assert 'id="person_ids-error">Kies ten minste één teamlid.' in response.text


async def test_the_page_is_refused_to_someone_who_leads_no_team(
    office: Office, client: Client, login_as: LoginAs
) -> None:
    await login_as(office.members[0])

    response = await client.get("/bookings/team-day")

    assert response.status_code == 403


async def test_the_team_board_of_a_team_one_leads_links_to_its_team_day(
    office: Office, client: Client, login_as: LoginAs
) -> None:
    await login_as(office.lead)

    response = await client.get(f"/teams/{office.team.id}/board")

    assert f'href="/bookings/team-day?team={office.team.id}">Teamdag plannen</a>' in response.text


async def test_werkplek_boeken_links_a_lead_to_the_team_day(
    office: Office, client: Client, login_as: LoginAs
) -> None:
    await login_as(office.lead)

    response = await client.get("/book/desk")

    assert 'href="/bookings/team-day"' in response.text


async def test_the_page_says_so_to_facilities_when_there_are_no_teams(
    client: Client, login_as: LoginAs, make_person: MakePerson
) -> None:
    await login_as(await make_person("Fien", roles=(Role.FACILITIES,)))

    response = await client.get("/bookings/team-day")

    assert "Er zijn nog geen teams." in response.text


async def test_the_page_belongs_to_the_team_board_in_the_menu(
    office: Office, client: Client, login_as: LoginAs
) -> None:
    await login_as(office.lead)

    response = await client.get("/bookings/team-day")

    assert '<a href="/teams/board" aria-current="page">' in response.text
    assert '<a href="/bookings" aria-current="page">' not in response.text
