"""The rooms API: /api/sites with floors, closures and calendar, and /api/spaces."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakeFloor, MakePerson, MakeSite, MakeSpace, add_closure
from tests.floorplans.conftest import add_plan
from werkplek.audit.models import AuditEvent
from werkplek.floorplans.models import FloorPlan
from werkplek.rooms.models import Floor

Client = AsyncTestClient[Litestar]


def _site(**fields: Any) -> dict[str, Any]:
    return {"name": "Stadskantoor", "kind": "central_office", **fields}


def _space(site_id: int, **fields: Any) -> dict[str, Any]:
    return {"site_id": site_id, "name": "Flexplek 1.01", "kind": "desk", **fields}


# --- sites --------------------------------------------------------------------------------


async def test_facilities_create_a_site_open_on_weekdays_by_default(
    client: Client, facilities: dict[str, str]
) -> None:
    response = await client.post("/api/sites", json=_site(city="Dorpstad"))

    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["kind"], body["city"], body["active"]) == (
        "Stadskantoor",
        "central_office",
        "Dorpstad",
        True,
    )
    assert body["opening_hours"] == [
        {"weekday": day, "opens": "07:30:00", "closes": "18:00:00"} for day in range(5)
    ]


async def test_an_employee_may_not_create_a_site(client: Client, employee: dict[str, str]) -> None:
    response = await client.post("/api/sites", json=_site())

    assert response.status_code == 403


async def test_anonymous_callers_may_not_create_a_site(client: Client) -> None:
    response = await client.post("/api/sites", json=_site())

    assert response.status_code == 401


async def test_opening_after_closing_is_422_on_that_days_opening_hours(
    client: Client, facilities: dict[str, str]
) -> None:
    response = await client.post(
        "/api/sites",
        json=_site(opening_hours=[{"weekday": 0, "opens": "18:00:00", "closes": "08:00:00"}]),
    )

    assert response.status_code == 422
    assert response.json()["field"] == "opening_hours.0"


async def test_every_day_opening_after_closing_is_listed_by_its_field(
    client: Client, facilities: dict[str, str]
) -> None:
    late = {"opens": "18:00:00", "closes": "08:00:00"}

    response = await client.post(
        "/api/sites",
        json=_site(opening_hours=[{"weekday": 1, **late}, {"weekday": 4, **late}]),
    )

    assert [item["field"] for item in response.json()["details"]["fields"]] == [
        "opening_hours.1",
        "opening_hours.4",
    ]


async def test_a_weekday_listed_twice_is_422_on_opening_hours(
    client: Client, facilities: dict[str, str]
) -> None:
    monday = {"weekday": 0, "opens": "08:00:00", "closes": "17:00:00"}

    response = await client.post("/api/sites", json=_site(opening_hours=[monday, monday]))

    assert response.status_code == 422
    assert response.json()["field"] == "opening_hours"


async def test_a_site_open_only_on_a_friday_morning_before_its_split_is_saved(
    client: Client, facilities: dict[str, str]
) -> None:
    response = await client.post(
        "/api/sites",
        json=_site(
            day_split="13:00:00",
            opening_hours=[{"weekday": 4, "opens": "08:00:00", "closes": "12:30:00"}],
        ),
    )

    assert response.status_code == 201


async def test_a_site_with_days_on_either_side_of_its_split_is_saved(
    client: Client,
    facilities: dict[str, str],
) -> None:
    morning = {"weekday": 2, "opens": "08:00:00", "closes": "12:00:00"}
    evening = {"weekday": 3, "opens": "13:00:00", "closes": "21:00:00"}

    response = await client.post(
        "/api/sites", json=_site(day_split="12:30:00", opening_hours=[morning, evening])
    )

    assert response.status_code == 201


async def test_a_site_name_in_use_is_409_name_taken(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    await make_site("Stadskantoor")

    response = await client.post("/api/sites", json=_site(name="STADSKANTOOR"))

    assert response.status_code == 409
    assert response.json()["error"] == "name_taken"


async def test_sites_are_listed_by_name_without_inactive_sites(
    client: Client, employee: dict[str, str], make_site: MakeSite
) -> None:
    await make_site("Stadskantoor")
    await make_site("Dorpshuis De Linde", kind="community_venue")
    await make_site("Oude werf", active=False)

    response = await client.get("/api/sites")

    assert [s["name"] for s in response.json()] == ["Dorpshuis De Linde", "Stadskantoor"]


async def test_an_unknown_site_is_404(client: Client, employee: dict[str, str]) -> None:
    response = await client.get("/api/sites/999999")

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


async def test_reading_a_site_answers_what_creating_it_answered(
    client: Client, facilities: dict[str, str]
) -> None:
    created = (await client.post("/api/sites", json=_site(city="Dorpstad"))).json()

    response = await client.get(f"/api/sites/{created['id']}")

    assert response.status_code == 200
    assert response.json() == created


async def test_a_site_open_on_no_weekday_reads_without_opening_hours(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site("Stadskantoor")
    await client.put(f"/api/sites/{site.id}", json=_site(opening_hours=[]))

    response = await client.get(f"/api/sites/{site.id}")

    assert (response.status_code, response.json()["opening_hours"]) == (200, [])


async def test_facilities_change_the_opening_hours_of_a_site(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site("Stadskantoor")
    saturday = {"weekday": 5, "opens": "09:00:00", "closes": "14:00:00"}

    response = await client.put(f"/api/sites/{site.id}", json=_site(opening_hours=[saturday]))

    assert response.status_code == 200
    assert (await client.get(f"/api/sites/{site.id}")).json()["opening_hours"] == [saturday]


async def test_a_site_taken_out_of_use_is_left_out_of_the_sites_list(
    client: Client, facilities: dict[str, str]
) -> None:
    site = (await client.post("/api/sites", json=_site())).json()

    response = await client.put(f"/api/sites/{site['id']}", json=_site(active=False))

    assert (response.json()["active"], response.json()["cancelled_booking_ids"]) == (False, [])
    assert (await client.get("/api/sites")).json() == []


# --- floors -------------------------------------------------------------------------------


async def test_facilities_add_a_floor_with_zones(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.post(
        f"/api/sites/{site.id}/floors",
        json={"name": "Eerste verdieping", "level": 1, "zones": ["Noord", "Zuid"]},
    )

    assert response.status_code == 201
    assert response.json()["level"] == 1
    assert [zone["name"] for zone in response.json()["zones"]] == ["Noord", "Zuid"]


async def test_floors_are_listed_from_the_lowest_level_up(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()
    for name, level in (("Tweede", 2), ("Kelder", -1), ("Begane grond", 0)):
        await client.post(f"/api/sites/{site.id}/floors", json={"name": name, "level": level})

    response = await client.get(f"/api/sites/{site.id}/floors")

    assert [floor["name"] for floor in response.json()] == ["Kelder", "Begane grond", "Tweede"]


async def test_a_second_floor_of_the_same_name_at_a_site_is_409_on_name(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()
    await client.post(f"/api/sites/{site.id}/floors", json={"name": "Zolder", "level": 7})

    response = await client.post(f"/api/sites/{site.id}/floors", json={"name": " zolder"})

    assert (response.status_code, response.json()["field"]) == (409, "name")
    assert response.json()["error"] == "name_taken"


async def test_another_site_may_have_a_floor_of_the_same_name(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    first, second = await make_site("Gemeentehuis"), await make_site("Dorpshuis")
    await client.post(f"/api/sites/{first.id}/floors", json={"name": "Begane grond"})

    response = await client.post(f"/api/sites/{second.id}/floors", json={"name": "Begane grond"})

    assert response.status_code == 201


async def test_floors_of_an_unknown_site_are_404(client: Client, employee: dict[str, str]) -> None:
    response = await client.get("/api/sites/999999/floors")

    assert response.status_code == 404


async def test_an_employee_may_not_add_a_floor(
    client: Client, employee: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.post(f"/api/sites/{site.id}/floors", json={"name": "Zolder"})

    assert response.status_code == 403


def _floor_url(floor: Any) -> str:
    return f"/api/sites/{floor.site_id}/floors/{floor.id}"


async def test_facilities_rename_a_floor_and_change_its_level(
    client: Client, facilities: dict[str, str], make_site: MakeSite, make_floor: MakeFloor
) -> None:
    floor = await make_floor(await make_site(), "Eerste verdiepnig")

    response = await client.put(_floor_url(floor), json={"name": "Eerste verdieping", "level": 1})

    assert response.status_code == 200
    assert (response.json()["name"], response.json()["level"]) == ("Eerste verdieping", 1)


async def test_a_zone_added_to_a_floor_leaves_its_other_zones_as_they_were(
    client: Client, facilities: dict[str, str], make_site: MakeSite, make_floor: MakeFloor
) -> None:
    floor = await make_floor(await make_site(), zones=("Noord",))

    response = await client.put(
        _floor_url(floor), json={"name": floor.name, "zones": ["noord", "Zuid"]}
    )

    assert [
        (zone["id"] == floor.zones[0].id, zone["name"]) for zone in response.json()["zones"]
    ] == [
        (True, "Noord"),
        (False, "Zuid"),
    ]


async def test_an_empty_zone_left_out_of_a_floor_is_removed(
    client: Client, facilities: dict[str, str], make_site: MakeSite, make_floor: MakeFloor
) -> None:
    floor = await make_floor(await make_site(), zones=("Noord", "Zuid"))

    response = await client.put(_floor_url(floor), json={"name": floor.name, "zones": ["Zuid"]})

    assert [zone["name"] for zone in response.json()["zones"]] == ["Zuid"]


async def test_a_zone_with_spaces_left_out_of_a_floor_is_422_on_zones(
    client: Client,
    facilities: dict[str, str],
    make_site: MakeSite,
    make_floor: MakeFloor,
    make_space: MakeSpace,
) -> None:
    site = await make_site()
    floor = await make_floor(site, zones=("Noord",))
    await make_space(site, floor_id=floor.id, zone_id=floor.zones[0].id)

    response = await client.put(_floor_url(floor), json={"name": floor.name, "zones": []})

    assert (response.status_code, response.json()["field"]) == (422, "zones")


async def test_renaming_a_floor_to_another_floors_name_is_409_on_name(
    client: Client, facilities: dict[str, str], make_site: MakeSite, make_floor: MakeFloor
) -> None:
    site = await make_site()
    await make_floor(site, "Begane grond")
    floor = await make_floor(site, "Zolder")

    response = await client.put(_floor_url(floor), json={"name": "Begane Grond"})

    assert (response.status_code, response.json()["field"]) == (409, "name")


async def test_a_floor_changed_under_another_site_is_404(
    client: Client, facilities: dict[str, str], make_site: MakeSite, make_floor: MakeFloor
) -> None:
    floor = await make_floor(await make_site("Stadskantoor"))
    other = await make_site("Dorpshuis")

    response = await client.put(f"/api/sites/{other.id}/floors/{floor.id}", json={"name": "X"})

    assert response.status_code == 404


async def test_an_employee_may_not_change_a_floor(
    client: Client, employee: dict[str, str], make_site: MakeSite, make_floor: MakeFloor
) -> None:
    floor = await make_floor(await make_site())

    response = await client.put(_floor_url(floor), json={"name": "Zolder"})

    assert response.status_code == 403


async def test_a_floor_change_is_audited_with_the_fields_it_changed(
    client: Client,
    facilities: dict[str, str],
    db: AsyncSession,
    make_site: MakeSite,
    make_floor: MakeFloor,
) -> None:
    floor = await make_floor(await make_site())

    await client.put(_floor_url(floor), json={"name": floor.name, "level": 2, "zones": ["Oost"]})

    assert [event["fields"] for event in await _update_events(db, "floor")] == [["level", "zones"]]


async def test_facilities_remove_a_floor_without_spaces(
    client: Client,
    db: AsyncSession,
    facilities: dict[str, str],
    make_site: MakeSite,
    make_floor: MakeFloor,
) -> None:
    floor = await make_floor(await make_site(), "Zolder", zones=("Noord",))

    response = await client.delete(_floor_url(floor))

    await db.rollback()
    assert response.status_code == 204
    assert (await db.execute(select(Floor.id))).first() is None


async def test_a_floor_plan_goes_with_its_floor(
    client: Client,
    db: AsyncSession,
    facilities: dict[str, str],
    make_site: MakeSite,
    make_floor: MakeFloor,
) -> None:
    floor = await make_floor(await make_site(), "Zolder")
    await add_plan(db, floor)

    await client.delete(_floor_url(floor))

    await db.rollback()
    assert (await db.execute(select(FloorPlan.floor_id))).first() is None


async def test_a_floor_with_a_space_is_409_floor_in_use(
    client: Client,
    facilities: dict[str, str],
    make_site: MakeSite,
    make_floor: MakeFloor,
    make_space: MakeSpace,
) -> None:
    site = await make_site()
    floor = await make_floor(site, "Zolder")
    await make_space(site, floor_id=floor.id)

    response = await client.delete(_floor_url(floor))

    assert (response.status_code, response.json()["error"]) == (409, "floor_in_use")


async def test_a_floor_with_only_a_space_out_of_use_is_refused_too(
    client: Client,
    facilities: dict[str, str],
    make_site: MakeSite,
    make_floor: MakeFloor,
    make_space: MakeSpace,
) -> None:
    site = await make_site()
    floor = await make_floor(site, "Zolder")
    await make_space(site, floor_id=floor.id, active=False)

    response = await client.delete(_floor_url(floor))

    assert response.status_code == 409


async def test_the_refusal_to_remove_a_floor_says_how_many_spaces_are_on_it(
    client: Client,
    facilities: dict[str, str],
    make_site: MakeSite,
    make_floor: MakeFloor,
    make_space: MakeSpace,
) -> None:
    site = await make_site()
    floor = await make_floor(site, "Zolder")
    for name in ("Flexplek 1", "Flexplek 2"):
        await make_space(site, name, floor_id=floor.id)

    response = await client.delete(_floor_url(floor))

    assert response.json()["message"] == (
        "Op deze verdieping staan nog 2 ruimtes; geef die eerst een andere verdieping."
    )


async def test_a_floor_removed_under_another_site_is_404(
    client: Client,
    facilities: dict[str, str],
    make_site: MakeSite,
    make_floor: MakeFloor,
) -> None:
    floor = await make_floor(await make_site("Stadskantoor"))
    other = await make_site("Dorpshuis")

    response = await client.delete(f"/api/sites/{other.id}/floors/{floor.id}")

    assert response.status_code == 404


async def test_an_employee_may_not_remove_a_floor(
    client: Client,
    make_person: MakePerson,
    login_as: LoginAs,
    make_site: MakeSite,
    make_floor: MakeFloor,
) -> None:
    floor = await make_floor(await make_site())
    await login_as(await make_person("Anna"))

    response = await client.delete(_floor_url(floor))

    assert response.status_code == 403


async def test_a_removed_floor_is_audited_with_its_name(
    client: Client,
    db: AsyncSession,
    facilities: dict[str, str],
    make_site: MakeSite,
    make_floor: MakeFloor,
) -> None:
    floor = await make_floor(await make_site(), "Zolder")

    await client.delete(_floor_url(floor))

    await db.rollback()
    event = (await db.execute(select(AuditEvent).where(AuditEvent.action == "delete"))).scalar_one()
    assert (event.object_type, event.object_id, event.details["name"]) == (
        "floor",
        str(floor.id),
        "Zolder",
    )


# --- closures -----------------------------------------------------------------------------


async def test_facilities_close_a_site_for_maintenance(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.post(
        f"/api/sites/{site.id}/closures",
        json={"starts_on": "2026-12-07", "ends_on": "2026-12-08", "reason": "Onderhoud"},
    )

    assert response.status_code == 201
    assert (await client.get(f"/api/sites/{site.id}/closures")).json() == [
        {
            "id": response.json()["id"],
            "site_id": site.id,
            "space_id": None,
            "starts_on": "2026-12-07",
            "ends_on": "2026-12-08",
            "reason": "Onderhoud",
        }
    ]


async def test_a_closure_on_days_the_place_is_already_closed_is_409_on_starts_on(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()
    url = f"/api/sites/{site.id}/closures"
    await client.post(url, json={"starts_on": "2026-12-07", "ends_on": "2026-12-11"})

    response = await client.post(url, json={"starts_on": "2026-12-08", "ends_on": "2026-12-09"})

    assert (response.status_code, response.json()["field"]) == (409, "starts_on")
    assert response.json()["error"] == "already_closed"


async def test_a_closure_sent_again_names_the_one_day_already_closed_once(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()
    url = f"/api/sites/{site.id}/closures"
    day = {"starts_on": "2026-12-07", "ends_on": "2026-12-07"}
    await client.post(url, json=day)

    response = await client.post(url, json=day)

    assert response.json()["message"] == "Deze dag is al gesloten (07-12-2026)."


async def test_a_closure_within_another_names_the_days_already_closed(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()
    url = f"/api/sites/{site.id}/closures"
    await client.post(url, json={"starts_on": "2026-12-07", "ends_on": "2026-12-11"})

    response = await client.post(url, json={"starts_on": "2026-12-08", "ends_on": "2026-12-08"})

    assert response.json()["message"] == "Deze dagen zijn al gesloten (07-12-2026 – 11-12-2026)."


async def test_a_closure_reaching_past_another_of_the_same_place_is_kept(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()
    url = f"/api/sites/{site.id}/closures"
    await client.post(url, json={"starts_on": "2026-12-07", "ends_on": "2026-12-08"})

    response = await client.post(url, json={"starts_on": "2026-12-08", "ends_on": "2026-12-09"})

    assert response.status_code == 201


async def test_a_space_may_close_on_days_another_space_is_closed(
    client: Client, facilities: dict[str, str], make_site: MakeSite, make_space: MakeSpace
) -> None:
    site = await make_site()
    first, second = await make_space(site, "Flexplek 1"), await make_space(site, "Flexplek 2")
    url = f"/api/sites/{site.id}/closures"
    days = {"starts_on": "2026-12-07", "ends_on": "2026-12-07"}
    await client.post(url, json={**days, "space_id": first.id})

    response = await client.post(url, json={**days, "space_id": second.id})

    assert response.status_code == 201


async def test_a_closure_ending_before_it_starts_is_422_on_ends_on(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.post(
        f"/api/sites/{site.id}/closures", json={"starts_on": "2026-12-08", "ends_on": "2026-12-07"}
    )

    assert response.status_code == 422
    assert response.json()["field"] == "ends_on"


async def test_a_closure_starting_more_than_a_year_ago_is_422_on_starts_on(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.post(
        f"/api/sites/{site.id}/closures", json={"starts_on": "2020-01-01", "ends_on": "2020-01-02"}
    )

    assert (response.status_code, response.json()["field"]) == (422, "starts_on")


async def test_a_closure_recorded_afterwards_within_the_year_is_kept(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.post(
        f"/api/sites/{site.id}/closures", json={"starts_on": "2026-11-02", "ends_on": "2026-11-02"}
    )

    assert response.status_code == 201


async def test_a_closure_ending_more_than_five_years_ahead_is_422_on_ends_on(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.post(
        f"/api/sites/{site.id}/closures", json={"starts_on": "2026-12-20", "ends_on": "2036-12-20"}
    )

    assert (response.status_code, response.json()["field"]) == (422, "ends_on")


async def test_closures_that_ended_before_from_are_left_out(
    client: Client, employee: dict[str, str], db: AsyncSession, make_site: MakeSite
) -> None:
    site = await make_site()
    await add_closure(db, site, date(2026, 10, 1), date(2026, 10, 2))
    await add_closure(db, site, date(2026, 12, 1), date(2026, 12, 1))

    response = await client.get(f"/api/sites/{site.id}/closures", params={"from": "2026-11-25"})

    assert [c["starts_on"] for c in response.json()] == ["2026-12-01"]


async def test_a_closure_for_a_space_of_another_site_is_422_on_space_id(
    client: Client, facilities: dict[str, str], make_site: MakeSite, make_space: MakeSpace
) -> None:
    site = await make_site("Stadskantoor")
    elsewhere = await make_space(await make_site("Dorpshuis"), "Zaal")

    response = await client.post(
        f"/api/sites/{site.id}/closures",
        json={"starts_on": "2026-12-07", "ends_on": "2026-12-07", "space_id": elsewhere.id},
    )

    assert response.status_code == 422
    assert response.json()["field"] == "space_id"


async def test_facilities_remove_a_closure(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()
    closure = await client.post(
        f"/api/sites/{site.id}/closures", json={"starts_on": "2026-12-07", "ends_on": "2026-12-07"}
    )

    response = await client.delete(f"/api/sites/{site.id}/closures/{closure.json()['id']}")

    assert response.status_code == 204
    assert (await client.get(f"/api/sites/{site.id}/closures")).json() == []


async def _closure_events(db: AsyncSession) -> list[tuple[str, dict[str, object]]]:
    await db.rollback()
    rows = await db.execute(
        select(AuditEvent.action, AuditEvent.details)
        .where(AuditEvent.object_type == "closure")
        .order_by(AuditEvent.id)
    )
    return [(action, details) for action, details in rows]


async def test_a_closure_is_audited_with_its_days_space_and_reason(
    client: Client,
    facilities: dict[str, str],
    db: AsyncSession,
    make_site: MakeSite,
    make_space: MakeSpace,
) -> None:
    site = await make_site()
    room = await make_space(site, "Zwaluw", kind="meeting_room", capacity=6)

    await client.post(
        f"/api/sites/{site.id}/closures",
        json={
            "starts_on": "2026-12-07",
            "ends_on": "2026-12-08",
            "reason": "Nieuw tapijt",
            "space_id": room.id,
        },
    )

    assert await _closure_events(db) == [
        (
            "create",
            {
                "site_id": site.id,
                "space_id": room.id,
                "starts_on": "2026-12-07",
                "ends_on": "2026-12-08",
                "closure_reason": "Nieuw tapijt",
            },
        )
    ]


async def test_removing_a_closure_is_audited_with_the_days_it_had_closed(
    client: Client, facilities: dict[str, str], db: AsyncSession, make_site: MakeSite
) -> None:
    site = await make_site()
    closure = await client.post(
        f"/api/sites/{site.id}/closures", json={"starts_on": "2026-12-07", "ends_on": "2026-12-07"}
    )

    await client.delete(f"/api/sites/{site.id}/closures/{closure.json()['id']}")

    assert (await _closure_events(db))[-1] == (
        "delete",
        {
            "site_id": site.id,
            "space_id": None,
            "starts_on": "2026-12-07",
            "ends_on": "2026-12-07",
            "closure_reason": "",
        },
    )


# --- calendar -----------------------------------------------------------------------------


async def test_the_calendar_shows_christmas_closed_with_the_dutch_holiday_names(
    client: Client, employee: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.get(
        f"/api/sites/{site.id}/calendar", params={"from": "2026-12-24", "to": "2026-12-27"}
    )

    assert response.status_code == 200
    assert [(d["date"], d["open"], d["reason"]) for d in response.json()] == [
        ("2026-12-24", True, None),
        ("2026-12-25", False, "Eerste kerstdag"),
        ("2026-12-26", False, "Tweede kerstdag"),
        ("2026-12-27", False, "Gesloten op deze dag van de week"),
    ]


async def test_the_calendar_gives_the_hours_of_an_open_day(
    client: Client, employee: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site(hours={3: (time(8), time(17, 30))})

    response = await client.get(
        f"/api/sites/{site.id}/calendar", params={"from": "2026-11-26", "to": "2026-11-26"}
    )

    assert response.json() == [
        {
            "date": "2026-11-26",
            "open": True,
            "opens": "08:00:00",
            "closes": "17:30:00",
            "reason": None,
        }
    ]


async def test_the_calendar_names_holidays_in_english_for_english_speakers(
    client: Client, make_person: MakePerson, login_as: LoginAs, make_site: MakeSite
) -> None:
    site = await make_site()
    await login_as(await make_person("Anne", language="en"))

    response = await client.get(
        f"/api/sites/{site.id}/calendar", params={"from": "2026-12-25", "to": "2026-12-25"}
    )

    assert response.json()[0]["reason"] == "Christmas Day"


async def test_a_site_that_ignores_public_holidays_is_open_on_christmas_day(
    client: Client, employee: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site(observe_public_holidays=False)

    response = await client.get(
        f"/api/sites/{site.id}/calendar", params={"from": "2026-12-25", "to": "2026-12-25"}
    )

    assert response.json()[0]["open"] is True


async def test_a_closure_shows_its_reason_in_the_calendar(
    client: Client, employee: dict[str, str], db: AsyncSession, make_site: MakeSite
) -> None:
    site = await make_site()
    await add_closure(db, site, date(2026, 12, 1), date(2026, 12, 2), reason="Verhuizing")

    response = await client.get(
        f"/api/sites/{site.id}/calendar", params={"from": "2026-11-30", "to": "2026-12-03"}
    )

    assert [(d["open"], d["reason"]) for d in response.json()] == [
        (True, None),
        (False, "Verhuizing"),
        (False, "Verhuizing"),
        (True, None),
    ]


async def test_the_calendar_refuses_more_than_92_days_at_once(
    client: Client, employee: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.get(
        f"/api/sites/{site.id}/calendar", params={"from": "2026-01-01", "to": "2026-12-31"}
    )

    assert response.status_code == 422
    assert response.json()["field"] == "to"


async def test_the_calendar_refuses_an_end_before_the_start(
    client: Client, employee: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.get(
        f"/api/sites/{site.id}/calendar", params={"from": "2026-12-02", "to": "2026-12-01"}
    )

    assert response.status_code == 422
    assert response.json()["field"] == "to"


async def test_a_malformed_date_is_400_naming_the_query_parameter_as_sent(
    client: Client, employee: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.get(
        f"/api/sites/{site.id}/calendar", params={"from": "2 december", "to": "2026-12-01"}
    )

    assert (response.status_code, [f["field"] for f in response.json()["fields"]]) == (
        400,
        ["from"],
    )


# --- spaces -------------------------------------------------------------------------------


async def test_facilities_create_a_desk_with_amenities(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.post(
        "/api/spaces", json=_space(site.id, amenities=["screen", "docking", "screen"])
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["capacity"], body["amenities"]) == (
        "desk",
        1,
        ["docking", "screen"],
    )


async def test_an_employee_may_not_create_a_space(
    client: Client, employee: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.post("/api/spaces", json=_space(site.id))

    assert response.status_code == 403


async def test_anonymous_callers_may_not_create_a_space(
    client: Client, make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.post("/api/spaces", json=_space(site.id))

    assert response.status_code == 401


async def test_a_desk_for_two_is_422_on_capacity(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.post("/api/spaces", json=_space(site.id, capacity=2))

    assert response.status_code == 422
    assert response.json()["field"] == "capacity"


async def test_safety_features_on_a_meeting_room_are_422(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.post(
        "/api/spaces",
        json=_space(site.id, kind="meeting_room", capacity=8, safety_features=["alarm_button"]),
    )

    assert response.status_code == 422
    assert response.json()["field"] == "safety_features"


async def test_a_resident_room_records_its_safety_features(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.post(
        "/api/spaces",
        json=_space(
            site.id,
            name="Spreekkamer 1",
            kind="resident_room",
            capacity=4,
            safety_features=["second_exit", "alarm_button"],
        ),
    )

    assert response.status_code == 201
    assert response.json()["safety_features"] == ["alarm_button", "second_exit"]


async def test_a_floor_of_another_site_is_422_on_floor_id(
    client: Client, facilities: dict[str, str], make_site: MakeSite, make_floor: MakeFloor
) -> None:
    site = await make_site("Stadskantoor")
    other_floor = await make_floor(await make_site("Dorpshuis"))

    response = await client.post("/api/spaces", json=_space(site.id, floor_id=other_floor.id))

    assert response.status_code == 422
    assert response.json()["field"] == "floor_id"


async def test_a_zone_of_another_floor_is_422_on_zone_id(
    client: Client, facilities: dict[str, str], make_site: MakeSite, make_floor: MakeFloor
) -> None:
    site = await make_site()
    ground = await make_floor(site, "Begane grond", zones=("Noord",))
    first = await make_floor(site, "Eerste verdieping")

    response = await client.post(
        "/api/spaces", json=_space(site.id, floor_id=first.id, zone_id=ground.zones[0].id)
    )

    assert response.status_code == 422
    assert response.json()["field"] == "zone_id"


async def test_an_unknown_site_is_422_naming_site_id(
    client: Client, facilities: dict[str, str]
) -> None:
    response = await client.post("/api/spaces", json=_space(999999))

    assert response.status_code == 422
    assert response.json()["field"] == "site_id"


async def test_restricting_a_space_to_an_unknown_team_is_422_on_team_ids(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.post("/api/spaces", json=_space(site.id, team_ids=[424242]))

    assert response.status_code == 422
    assert response.json()["field"] == "team_ids"


async def test_a_space_name_in_use_at_the_site_is_409_name_taken(
    client: Client, facilities: dict[str, str], make_site: MakeSite, make_space: MakeSpace
) -> None:
    site = await make_site()
    await make_space(site, "Flexplek 1.01")

    response = await client.post("/api/spaces", json=_space(site.id, name="flexplek 1.01"))

    assert response.status_code == 409
    assert response.json()["error"] == "name_taken"


async def test_the_same_space_name_may_be_used_at_another_site(
    client: Client, facilities: dict[str, str], make_site: MakeSite, make_space: MakeSpace
) -> None:
    await make_space(await make_site("Stadskantoor"), "Flexplek 1.01")
    other = await make_site("Dorpshuis")

    response = await client.post("/api/spaces", json=_space(other.id, name="Flexplek 1.01"))

    assert response.status_code == 201


async def test_facilities_edit_a_space(
    client: Client,
    facilities: dict[str, str],
    make_team: Any,
    make_site: MakeSite,
    make_space: MakeSpace,
) -> None:
    site = await make_site()
    space = await make_space(site, "Overleg 1", kind="meeting_room", capacity=6)
    team = await make_team("WMO")

    response = await client.put(
        f"/api/spaces/{space.id}",
        json=_space(
            site.id,
            name="Overleg Noord",
            kind="meeting_room",
            capacity=10,
            amenities=["video"],
            team_ids=[team.id],
            requires_approval=True,
        ),
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["capacity"], body["amenities"]) == ("Overleg Noord", 10, ["video"])
    assert (body["team_ids"], body["requires_approval"]) == ([team.id], True)


async def test_the_kind_of_a_space_cannot_change(
    client: Client, facilities: dict[str, str], make_site: MakeSite, make_space: MakeSpace
) -> None:
    site = await make_site()
    space = await make_space(site, "Flexplek 1.01")

    response = await client.put(f"/api/spaces/{space.id}", json=_space(site.id, kind="quiet_desk"))

    assert response.status_code == 422
    assert response.json()["field"] == "kind"


async def test_a_space_cannot_move_to_another_site(
    client: Client, facilities: dict[str, str], make_site: MakeSite, make_space: MakeSpace
) -> None:
    space = await make_space(await make_site("Stadskantoor"), "Flexplek 1.01")
    other = await make_site("Dorpshuis")

    response = await client.put(f"/api/spaces/{space.id}", json=_space(other.id))

    assert (response.status_code, response.json()["field"]) == (422, "site_id")


async def test_a_space_moved_to_another_floor_leaves_the_old_floor_plan(
    client: Client,
    facilities: dict[str, str],
    db: AsyncSession,
    make_site: MakeSite,
    make_floor: MakeFloor,
    make_space: MakeSpace,
) -> None:
    site = await make_site()
    ground, first = await make_floor(site, "Begane grond"), await make_floor(site, "Eerste")
    space = await make_space(site, "Flexplek 1.01", floor_id=ground.id, pos_x=0.4, pos_y=0.6)

    await client.put(f"/api/spaces/{space.id}", json=_space(site.id, floor_id=first.id))

    await db.refresh(space)
    assert (space.pos_x, space.pos_y) == (None, None)


async def test_a_space_name_of_blanks_only_is_refused(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.post("/api/spaces", json=_space(site.id, name="   "))

    assert (response.status_code, response.json()["field"]) == (422, "name")


async def test_a_site_name_of_blanks_only_is_refused(
    client: Client, facilities: dict[str, str]
) -> None:
    response = await client.post("/api/sites", json=_site(name="  "))

    assert (response.status_code, response.json()["field"]) == (422, "name")


async def test_a_zone_name_of_blanks_only_is_refused(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.post(
        f"/api/sites/{site.id}/floors", json={"name": "Eerste", "zones": ["Noord", " "]}
    )

    assert (response.status_code, response.json()["field"]) == (422, "zones")


async def test_zones_that_differ_only_in_surrounding_blanks_are_one_zone(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.post(
        f"/api/sites/{site.id}/floors", json={"name": "Eerste", "zones": ["Noord", "Noord "]}
    )

    assert [zone["name"] for zone in response.json()["zones"]] == ["Noord"]


async def test_a_day_split_with_a_utc_offset_is_refused(
    client: Client, facilities: dict[str, str]
) -> None:
    response = await client.post("/api/sites", json=_site(day_split="12:00:00+01:00"))

    assert (response.status_code, [f["field"] for f in response.json()["fields"]]) == (
        400,
        ["day_split"],
    )


async def test_a_closure_of_an_unknown_space_names_the_space(
    client: Client, facilities: dict[str, str], make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.post(
        f"/api/sites/{site.id}/closures",
        json={"starts_on": "2026-12-01", "ends_on": "2026-12-01", "space_id": 99999},
    )

    assert (response.status_code, response.json()["field"]) == (422, "space_id")


async def test_spaces_can_be_filtered_by_site_and_kind(
    client: Client, employee: dict[str, str], make_site: MakeSite, make_space: MakeSpace
) -> None:
    site = await make_site("Stadskantoor")
    other = await make_site("Dorpshuis")
    await make_space(site, "Flexplek 1")
    await make_space(site, "Stilteplek 1", kind="quiet_desk")
    await make_space(site, "Overleg 1", kind="meeting_room", capacity=6)
    await make_space(other, "Flexplek 2")

    response = await client.get(
        "/api/spaces", params={"site": site.id, "kind": ["desk", "quiet_desk"]}
    )

    assert [s["name"] for s in response.json()] == ["Flexplek 1", "Stilteplek 1"]


async def test_inactive_spaces_are_not_listed(
    client: Client, employee: dict[str, str], make_site: MakeSite, make_space: MakeSpace
) -> None:
    site = await make_site()
    await make_space(site, "Flexplek 1")
    await make_space(site, "Flexplek 2", active=False)

    response = await client.get("/api/spaces", params={"site": site.id})

    assert [s["name"] for s in response.json()] == ["Flexplek 1"]


async def test_an_unknown_space_is_404(client: Client, employee: dict[str, str]) -> None:
    response = await client.get("/api/spaces/999999")

    assert response.status_code == 404


async def test_creating_a_space_is_recorded_in_the_audit_trail(
    client: Client, facilities: dict[str, str], db: AsyncSession, make_site: MakeSite
) -> None:
    site = await make_site()

    response = await client.post("/api/spaces", json=_space(site.id))

    await db.rollback()
    events = (
        await db.execute(select(AuditEvent.action).where(AuditEvent.object_type == "space"))
    ).scalars()
    assert response.status_code == 201
    assert list(events) == ["create"]


async def _update_events(db: AsyncSession, object_type: str) -> list[dict[str, Any]]:
    await db.rollback()
    rows = await db.execute(
        select(AuditEvent.details)
        .where(AuditEvent.object_type == object_type, AuditEvent.action == "update")
        .order_by(AuditEvent.id)
    )
    return list(rows.scalars())


async def test_a_site_change_is_audited_with_the_fields_it_changed(
    client: Client, facilities: dict[str, str], db: AsyncSession
) -> None:
    site = (await client.post("/api/sites", json=_site())).json()

    await client.put(f"/api/sites/{site['id']}", json=_site(city="Dorpstad", max_days_ahead=30))

    assert [event["fields"] for event in await _update_events(db, "site")] == [
        ["city", "max_days_ahead"]
    ]


async def test_a_space_change_is_audited_with_the_fields_it_changed(
    client: Client,
    facilities: dict[str, str],
    db: AsyncSession,
    make_team: Any,
    make_site: MakeSite,
) -> None:
    site = await make_site()
    team = await make_team("Burgerzaken")
    room = {"site_id": site.id, "name": "Zwaluw", "kind": "meeting_room", "capacity": 8}
    space = (await client.post("/api/spaces", json=room)).json()

    await client.put(
        f"/api/spaces/{space['id']}", json={**room, "capacity": 6, "team_ids": [team.id]}
    )

    assert [event["fields"] for event in await _update_events(db, "space")] == [
        ["capacity", "team_ids"]
    ]


async def test_saving_a_space_unchanged_adds_nothing_to_the_audit_log(
    client: Client, facilities: dict[str, str], db: AsyncSession, make_site: MakeSite
) -> None:
    site = await make_site()
    space = (await client.post("/api/spaces", json=_space(site.id))).json()

    await client.put(f"/api/spaces/{space['id']}", json=_space(site.id))

    assert await _update_events(db, "space") == []
