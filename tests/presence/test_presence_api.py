"""/api/presence: one's own days and weekly pattern, and team members' for their lead."""

from __future__ import annotations

from datetime import timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson, MakeTeam
from tests.presence.conftest import MONDAY, TODAY, TOMORROW, SetEntry, Sites, at
from werkplek.audit.models import AuditEvent
from werkplek.presence.models import WeeklyPattern, WorkLocation

DAY_URL = f"/api/presence/{TODAY.isoformat()}"
TODAY_INSTANT = at(TODAY, 10)


def office(site_id: int, day_part: str = "day") -> dict[str, object]:
    return {"day_part": day_part, "kind": "office", "site_id": site_id}


async def _stored(db: AsyncSession, person_id: int) -> list[tuple[str, str]]:
    await db.rollback()
    rows = await db.execute(
        select(WorkLocation.day_part, WorkLocation.kind).where(WorkLocation.person_id == person_id)
    )
    return sorted(rows.all())


# --- one day -----------------------------------------------------------------------------


async def test_a_day_set_with_put_comes_back_with_get(
    client: AsyncTestClient[Litestar], employee: dict[str, str], sites: Sites
) -> None:
    await client.put(DAY_URL, json={"parts": [office(sites.town_hall.id)]})
    body = (await client.get(DAY_URL)).json()
    assert [(p["kind"], p["site_name"], p["source"]) for p in body["parts"]] == [
        ("office", "Stadhuis", "entry"),
        ("office", "Stadhuis", "entry"),
    ]


async def test_whole_day_sets_the_morning_and_the_afternoon(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    person = await make_person()
    await login_as(person)
    await client.put(DAY_URL, json={"parts": [{"day_part": "day", "kind": "home"}]})
    assert await _stored(db, person.id) == [("afternoon", "home"), ("morning", "home")]


async def test_a_half_day_left_out_falls_back_to_the_pattern(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    person = await make_person()
    await set_entry(person, TODAY, "afternoon", "home")
    await login_as(person)
    await client.put(DAY_URL, json={"parts": [{"day_part": "morning", "kind": "home"}]})
    assert await _stored(db, person.id) == [("morning", "home")]


async def test_a_half_day_given_twice_is_refused(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.put(
        DAY_URL,
        json={
            "parts": [{"day_part": "day", "kind": "home"}, {"day_part": "morning", "kind": "home"}]
        },
    )
    assert (response.status_code, response.json()["field"]) == (422, "parts")


async def test_reachable_hours_note_and_backup_are_kept_for_the_day(
    client: AsyncTestClient[Litestar], employee: dict[str, str], make_person: MakePerson
) -> None:
    backup = await make_person("Joris Bakker")
    await client.put(
        DAY_URL,
        json={
            "parts": [{"day_part": "day", "kind": "home"}],
            "reachable_from": "09:00:00",
            "reachable_until": "15:30:00",
            "note": "Liever via chat",
            "backup_id": backup.id,
        },
    )
    body = (await client.get(DAY_URL)).json()
    assert (body["reachable_from"], body["reachable_until"], body["note"], body["backup"]) == (
        "09:00:00",
        "15:30:00",
        "Liever via chat",
        {"id": backup.id, "name": "Joris Bakker"},
    )


async def test_the_backup_defaults_to_the_persons_usual_backup(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    backup = await make_person("Joris Bakker")
    await login_as(await make_person(backup_id=backup.id))
    body = (await client.get(DAY_URL)).json()
    assert body["backup"] == {"id": backup.id, "name": "Joris Bakker"}


async def test_reachable_hours_need_both_ends(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.put(DAY_URL, json={"reachable_from": "09:00:00"})
    assert (response.status_code, response.json()["field"]) == (422, "reachable_until")


async def test_reachable_hours_must_run_forward(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.put(
        DAY_URL, json={"reachable_from": "15:00:00", "reachable_until": "09:00:00"}
    )
    assert (response.status_code, response.json()["field"]) == (422, "reachable_until")


async def test_setting_a_day_is_audited(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    person = await make_person()
    await login_as(person)
    await client.put(DAY_URL, json={"parts": [{"day_part": "day", "kind": "home"}]})
    await db.rollback()
    event = (
        await db.execute(select(AuditEvent).where(AuditEvent.action == "set_day"))
    ).scalar_one()
    assert (event.actor_id, event.object_id, event.details["date"]) == (
        person.id,
        str(person.id),
        TODAY.isoformat(),
    )


async def test_the_audit_trail_does_not_hold_the_absence_reason(
    client: AsyncTestClient[Litestar], employee: dict[str, str], db: AsyncSession
) -> None:
    await client.put(
        DAY_URL,
        json={"parts": [{"day_part": "day", "kind": "absent", "absence_reason": "ziek"}]},
    )
    await db.rollback()
    event = (
        await db.execute(select(AuditEvent).where(AuditEvent.action == "set_day"))
    ).scalar_one()
    assert "ziek" not in str(event.details)


# --- what is refused, and then nothing is stored -----------------------------------------


async def test_a_date_beyond_the_planning_horizon_is_refused_naming_date(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    far = TODAY + timedelta(days=91)
    response = await client.put(
        f"/api/presence/{far.isoformat()}", json={"parts": [{"day_part": "day", "kind": "home"}]}
    )
    assert (response.status_code, response.json()["field"]) == (422, "date")


async def test_the_last_day_of_the_planning_horizon_is_accepted(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    last = TODAY + timedelta(days=90)
    response = await client.put(
        f"/api/presence/{last.isoformat()}", json={"parts": [{"day_part": "day", "kind": "home"}]}
    )
    assert response.status_code == 200


async def test_a_date_more_than_31_days_back_is_refused_naming_date(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    old = TODAY - timedelta(days=32)
    response = await client.get(f"/api/presence/{old.isoformat()}")
    assert (response.status_code, response.json()["field"]) == (422, "date")


async def test_an_unknown_kind_is_refused_and_nothing_is_stored(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    person = await make_person()
    await login_as(person)
    response = await client.put(DAY_URL, json={"parts": [{"day_part": "day", "kind": "beach"}]})
    assert response.status_code == 400
    assert await _stored(db, person.id) == []


async def test_a_time_without_seconds_is_refused_saying_the_form_the_api_takes(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.put(DAY_URL, json={"parts": [], "reachable_from": "09:00"})

    (problem,) = response.json()["fields"]
    assert (problem["field"], problem["message"]) == (
        "reachable_from",
        "Vul een tijd in als uu:mm:ss.",
    )


async def test_office_at_a_field_base_is_refused_naming_site_id(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
    sites: Sites,
    set_entry: SetEntry,
) -> None:
    person = await make_person()
    await set_entry(person, TODAY, "morning", "home")
    await login_as(person)
    response = await client.put(DAY_URL, json={"parts": [office(sites.depot.id)]})
    assert (response.status_code, response.json()["field"]) == (422, "site_id")
    assert await _stored(db, person.id) == [("morning", "home")]


async def test_field_base_at_an_office_is_refused(
    client: AsyncTestClient[Litestar], employee: dict[str, str], sites: Sites
) -> None:
    response = await client.put(
        DAY_URL,
        json={"parts": [{"day_part": "day", "kind": "field_base", "site_id": sites.town_hall.id}]},
    )
    assert (response.status_code, response.json()["field"]) == (422, "site_id")


async def test_a_community_venue_is_no_office(
    client: AsyncTestClient[Litestar], employee: dict[str, str], sites: Sites
) -> None:
    response = await client.put(DAY_URL, json={"parts": [office(sites.village_hall.id)]})
    assert response.status_code == 422


async def test_office_without_a_site_is_refused(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.put(DAY_URL, json={"parts": [{"day_part": "day", "kind": "office"}]})
    assert (response.status_code, response.json()["field"]) == (422, "site_id")


async def test_home_with_a_site_is_refused(
    client: AsyncTestClient[Litestar], employee: dict[str, str], sites: Sites
) -> None:
    response = await client.put(
        DAY_URL,
        json={"parts": [{"day_part": "day", "kind": "home", "site_id": sites.town_hall.id}]},
    )
    assert (response.status_code, response.json()["field"]) == (422, "site_id")


async def test_work_on_location_needs_an_area(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.put(
        DAY_URL, json={"parts": [{"day_part": "day", "kind": "on_location"}]}
    )
    assert (response.status_code, response.json()["field"]) == (422, "area")


async def test_an_area_that_looks_like_an_address_is_refused(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.put(
        DAY_URL,
        json={"parts": [{"day_part": "day", "kind": "on_location", "area": "Kerkstraat 12"}]},
    )
    assert (response.status_code, response.json()["field"]) == (422, "area")


async def test_an_absence_reason_without_an_absence_is_refused(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.put(
        DAY_URL,
        json={"parts": [{"day_part": "day", "kind": "home", "absence_reason": "ziek"}]},
    )
    assert (response.status_code, response.json()["field"]) == (422, "absence_reason")


# --- the backup colleague ------------------------------------------------------------------


async def test_a_backup_who_is_absent_that_day_is_refused_naming_backup_id(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    backup = await make_person()
    await set_entry(backup, TODAY, "morning", "absent")
    person = await make_person()
    await login_as(person)
    response = await client.put(
        DAY_URL,
        json={"parts": [{"day_part": "day", "kind": "absent"}], "backup_id": backup.id},
    )
    assert (response.status_code, response.json()["field"], response.json()["error"]) == (
        422,
        "backup_id",
        "backup_absent",
    )
    assert await _stored(db, person.id) == []


async def test_a_backup_absent_only_while_the_person_works_is_accepted(
    client: AsyncTestClient[Litestar],
    employee: dict[str, str],
    make_person: MakePerson,
    set_entry: SetEntry,
) -> None:
    backup = await make_person()
    await set_entry(backup, TODAY, "morning", "absent")
    response = await client.put(
        DAY_URL,
        json={
            "parts": [
                {"day_part": "morning", "kind": "home"},
                {"day_part": "afternoon", "kind": "absent"},
            ],
            "backup_id": backup.id,
        },
    )
    assert response.status_code == 200


async def test_one_cannot_be_ones_own_backup(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    person = await make_person()
    await login_as(person)
    response = await client.put(DAY_URL, json={"backup_id": person.id})
    assert (response.status_code, response.json()["field"]) == (422, "backup_id")


async def test_an_unknown_backup_is_refused(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.put(DAY_URL, json={"backup_id": 999_999})
    assert (response.status_code, response.json()["field"]) == (422, "backup_id")


# --- who may set whose days ----------------------------------------------------------------


async def test_a_team_lead_sets_a_members_day(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
) -> None:
    team = await make_team("Handhaving")
    member = await make_person(teams=(team,))
    await login_as(await make_person(lead_of=(team,)))
    response = await client.put(
        DAY_URL,
        params={"person": member.id},
        json={"parts": [{"day_part": "day", "kind": "on_location", "area": "Noord"}]},
    )
    assert response.status_code == 200
    assert await _stored(db, member.id) == [
        ("afternoon", "on_location"),
        ("morning", "on_location"),
    ]


async def test_a_members_day_says_which_lead_set_it(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
) -> None:
    team = await make_team("Handhaving")
    member = await make_person(teams=(team,))
    lead = await make_person("Marco Veenstra", lead_of=(team,))
    await login_as(lead)
    await client.put(
        DAY_URL, params={"person": member.id}, json={"parts": [{"day_part": "day", "kind": "home"}]}
    )
    await login_as(member)

    body = (await client.get(DAY_URL)).json()

    assert body["set_by"] == {"id": lead.id, "name": "Marco Veenstra"}


async def test_a_day_one_set_oneself_names_nobody_as_setting_it(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    await client.put(DAY_URL, json={"parts": [{"day_part": "day", "kind": "home"}]})

    body = (await client.get(DAY_URL)).json()

    assert body["set_by"] is None


async def test_a_colleague_cannot_set_someone_elses_day(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
) -> None:
    team = await make_team("Handhaving")
    member = await make_person(teams=(team,))
    await login_as(await make_person(teams=(team,)))
    response = await client.put(
        DAY_URL, params={"person": member.id}, json={"parts": [{"day_part": "day", "kind": "home"}]}
    )
    assert response.status_code == 403


async def test_a_lead_of_another_team_cannot_read_someones_day(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
) -> None:
    member = await make_person(teams=(await make_team("Handhaving"),))
    await login_as(await make_person(lead_of=(await make_team("Burgerzaken"),)))
    response = await client.get(DAY_URL, params={"person": member.id})
    assert response.status_code == 403


async def test_a_team_lead_does_not_see_a_members_absence_reason(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    team = await make_team("Handhaving")
    member = await make_person(teams=(team,))
    await set_entry(member, TODAY, "morning", "absent", reason="huisarts")
    await login_as(await make_person(lead_of=(team,)))
    body = (await client.get(DAY_URL, params={"person": member.id})).json()
    assert (body["parts"][0]["kind"], body["parts"][0]["absence_reason"]) == ("absent", None)


async def test_a_lead_cannot_record_an_absence_reason_for_someone(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
) -> None:
    team = await make_team("Handhaving")
    member = await make_person(teams=(team,))
    await login_as(await make_person(lead_of=(team,)))
    response = await client.put(
        DAY_URL,
        params={"person": member.id},
        json={"parts": [{"day_part": "day", "kind": "absent", "absence_reason": "ziek"}]},
    )
    assert (response.status_code, response.json()["field"]) == (403, "absence_reason")


async def test_a_lead_changing_a_members_absent_day_keeps_the_private_reason(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
    set_entry: SetEntry,
) -> None:
    team = await make_team("Handhaving")
    member = await make_person(teams=(team,))
    await set_entry(member, TODAY, "morning", "absent", reason="huisarts")
    await login_as(await make_person(lead_of=(team,)))
    await client.put(
        DAY_URL,
        params={"person": member.id},
        json={"parts": [{"day_part": "morning", "kind": "absent"}], "note": "Terug na de lunch"},
    )
    await db.rollback()
    reason = (
        await db.execute(
            select(WorkLocation.absence_reason).where(WorkLocation.person_id == member.id)
        )
    ).scalar_one()
    assert reason == "huisarts"


# --- several days -------------------------------------------------------------------------


async def test_days_are_listed_from_one_date_to_another(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.get(
        "/api/presence", params={"from": MONDAY.isoformat(), "to": TOMORROW.isoformat()}
    )
    assert [day["date"] for day in response.json()] == [
        "2026-11-23",
        "2026-11-24",
        "2026-11-25",
        "2026-11-26",
    ]


async def test_31_days_are_listed_at_once(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    last = TODAY + timedelta(days=30)
    response = await client.get(
        "/api/presence", params={"from": TODAY.isoformat(), "to": last.isoformat()}
    )
    assert len(response.json()) == 31


async def test_asking_for_32_days_at_once_is_refused_naming_to(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    last = TODAY + timedelta(days=31)
    response = await client.get(
        "/api/presence", params={"from": TODAY.isoformat(), "to": last.isoformat()}
    )
    assert (response.status_code, response.json()["field"]) == (422, "to")


# --- weekly pattern ------------------------------------------------------------------------


async def test_a_weekly_pattern_set_with_put_comes_back_with_get(
    client: AsyncTestClient[Litestar], employee: dict[str, str], sites: Sites
) -> None:
    await client.put(
        "/api/presence/pattern",
        json={
            "days": [
                {
                    "weekday": 0,
                    "morning": {"kind": "office", "site_id": sites.town_hall.id},
                    "afternoon": {"kind": "office", "site_id": sites.town_hall.id},
                },
                {"weekday": 1, "morning": {"kind": "home"}, "afternoon": {"kind": "home"}},
            ]
        },
    )
    body = (await client.get("/api/presence/pattern")).json()
    assert [
        (d["weekday"], d["morning"]["kind"], d["morning"]["site_name"]) for d in body["days"]
    ] == [
        (0, "office", "Stadhuis"),
        (1, "home", None),
    ]


async def test_the_weekly_pattern_fills_the_days_api(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    await client.put(
        "/api/presence/pattern",
        json={"days": [{"weekday": TODAY.weekday(), "morning": {"kind": "home"}}]},
    )
    body = (await client.get(DAY_URL)).json()
    assert [(p["kind"], p["source"]) for p in body["parts"]] == [
        ("home", "pattern"),
        ("unknown", "none"),
    ]


async def test_putting_a_pattern_replaces_the_old_one(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
) -> None:
    person = await make_person()
    await login_as(person)
    await client.put(
        "/api/presence/pattern", json={"days": [{"weekday": 0, "morning": {"kind": "home"}}]}
    )
    await client.put(
        "/api/presence/pattern", json={"days": [{"weekday": 2, "morning": {"kind": "home"}}]}
    )
    await db.rollback()
    weekdays = (
        await db.execute(select(WeeklyPattern.weekday).where(WeeklyPattern.person_id == person.id))
    ).scalars()
    assert list(weekdays) == [2]


async def test_a_pattern_with_a_weekday_twice_is_refused(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.put(
        "/api/presence/pattern",
        json={
            "days": [
                {"weekday": 0, "morning": {"kind": "home"}},
                {"weekday": 0, "afternoon": {"kind": "home"}},
            ]
        },
    )
    assert (response.status_code, response.json()["field"]) == (422, "days")


async def test_a_pattern_with_an_office_that_is_a_field_base_names_the_day_and_part(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
    sites: Sites,
) -> None:
    person = await make_person()
    await login_as(person)
    response = await client.put(
        "/api/presence/pattern",
        json={"days": [{"weekday": 3, "afternoon": {"kind": "office", "site_id": sites.depot.id}}]},
    )
    assert (response.status_code, response.json()["field"]) == (422, "days.3.afternoon.site_id")
    await db.rollback()
    assert (await db.execute(select(WeeklyPattern))).all() == []


async def test_reachable_hours_from_the_pattern_say_so(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    await client.put(
        "/api/presence/pattern",
        json={
            "days": [
                {
                    "weekday": TODAY.weekday(),
                    "morning": {"kind": "home"},
                    "reachable_from": "07:30:00",
                    "reachable_until": "16:00:00",
                }
            ]
        },
    )
    body = (await client.get(DAY_URL)).json()
    assert (body["reachable_from"], body["reachable_until"], body["hours_source"]) == (
        "07:30:00",
        "16:00:00",
        "pattern",
    )


async def test_a_pattern_with_hours_ending_before_they_start_names_the_day(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.put(
        "/api/presence/pattern",
        json={
            "days": [{"weekday": 0, "reachable_from": "17:00:00", "reachable_until": "08:00:00"}]
        },
    )
    assert (response.status_code, response.json()["field"]) == (422, "days.0.reachable_until")


async def test_a_refused_pattern_lists_every_problem_with_its_field(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.put(
        "/api/presence/pattern",
        json={
            "days": [
                {"weekday": 0, "morning": {"kind": "on_location"}},
                {"weekday": 2, "reachable_from": "17:00:00", "reachable_until": "08:00:00"},
            ]
        },
    )
    listed = [item["field"] for item in response.json()["details"]["fields"]]
    assert listed == ["days.0.morning.area", "days.2.reachable_until"]


async def test_person_zero_is_refused_naming_the_field_instead_of_meaning_oneself(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    response = await client.get(f"/api/presence/{TODAY.isoformat()}", params={"person": 0})
    assert (response.status_code, response.json()["fields"][0]["field"]) == (400, "person")
