"""The plan for a date and day part: each desk's state, booking from the plan, and
finding a colleague's desk (unless they hide it)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import (
    TODAY,
    TOMORROW,
    at,
    count_bookings,
    desk_booking,
)
from tests.conftest import count_queries
from tests.floorplans.conftest import Office, actor, add_plan
from werkplek.bookings.services import create_booking
from werkplek.floorplans import services
from werkplek.people.models import Role
from werkplek.rooms.models import Closure
from werkplek.rooms.services import DayPart


async def states(db: AsyncSession, office: Office, viewer: Any, clock: Any) -> dict[str, str]:
    await db.rollback()
    state = await services.floor_state(
        db, clock, actor(viewer), office.floor.id, TOMORROW, DayPart.MORNING
    )
    return {desk.name: desk.state for desk in state.out.desks}


async def test_each_desk_has_its_state_for_the_viewer(
    db: AsyncSession, office: Office, make_person: Any, clock: Any, run: Any
) -> None:
    bram = await make_person("Bram")
    await run(create_booking, clock, actor(office.anna), desk_booking(office.desk))
    await run(create_booking, clock, actor(bram), desk_booking(office.desk2))
    assert await states(db, office, office.anna, clock) == {
        "Flexplek 1.01": "mine",
        "Flexplek 1.02": "taken",
        "Flexplek 1.03": "restricted",
    }


async def test_a_taken_desk_on_the_plan_names_who_holds_it(
    db: AsyncSession, office: Office, make_person: Any, clock: Any, run: Any
) -> None:
    bram = await make_person("Bram")
    await run(create_booking, clock, actor(bram), desk_booking(office.desk2))
    await db.rollback()

    state = await services.floor_state(
        db, clock, actor(office.anna), office.floor.id, TOMORROW, DayPart.MORNING
    )

    desk = next(desk for desk in state.out.desks if desk.space_id == office.desk2.id)
    assert [holder.name for holder in desk.held_by] == ["Bram"]


async def test_the_desk_panel_says_for_whom_a_taken_desk_is_booked(
    client: AsyncTestClient[Any],
    office: Office,
    make_person: Any,
    clock: Any,
    run: Any,
    login_as: Any,
) -> None:
    bram = await make_person("Bram de Vries")
    await run(create_booking, clock, actor(bram), desk_booking(office.desk2))
    await login_as(office.anna)

    response = await client.get(
        f"/plan/desks/{office.desk2.id}",
        params={"floor": office.floor.id, "date": TOMORROW.isoformat(), "day_part": "morning"},
    )

    assert "Bram de Vries" in response.text


async def test_a_closed_desk_is_not_bookable(db: AsyncSession, office: Office, clock: Any) -> None:
    db.add(
        Closure(
            site_id=office.site.id, space_id=office.desk.id, starts_on=TOMORROW, ends_on=TOMORROW
        )
    )
    await db.commit()
    assert (await states(db, office, office.anna, clock))["Flexplek 1.01"] == "blocked"


async def test_an_employee_books_a_free_desk_from_the_plan(
    client: AsyncTestClient[Any], db: AsyncSession, office: Office, login_as: Any
) -> None:
    await add_plan(db, office.floor)
    await login_as(office.anna)
    response = await client.post(
        "/plan/book",
        data={
            "space_id": office.desk.id,
            "floor": office.floor.id,
            "date": TOMORROW.isoformat(),
            "day_part": "morning",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.headers["hx-trigger"] == "plan-changed"
    assert "Gereserveerd: Flexplek 1.01." in response.text
    assert await count_bookings(db, space_id=office.desk.id, booked_for_id=office.anna.id) == 1


async def test_booking_a_taken_desk_from_the_plan_says_why_and_stores_nothing(
    client: AsyncTestClient[Any],
    db: AsyncSession,
    office: Office,
    login_as: Any,
    make_person: Any,
    clock: Any,
    run: Any,
) -> None:
    bram = await make_person("Bram")
    await run(create_booking, clock, actor(bram), desk_booking(office.desk))
    await login_as(office.anna)
    response = await client.post(
        "/plan/book",
        data={"space_id": office.desk.id, "date": TOMORROW.isoformat(), "day_part": "morning"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert 'role="alert"' in response.text
    assert await count_bookings(db, booked_for_id=office.anna.id) == 0


async def test_the_live_layer_answers_304_while_nothing_changed(
    client: AsyncTestClient[Any], db: AsyncSession, office: Office, login_as: Any
) -> None:
    await add_plan(db, office.floor)
    await login_as(office.anna)
    url = f"/plan/live?floor={office.floor.id}&date={TOMORROW.isoformat()}&day_part=morning"
    first = await client.get(url)
    assert first.status_code == 200
    assert 'data-state="free"' in first.text
    again = await client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


async def test_one_desk_off_the_plan_is_counted_in_the_singular(
    client: AsyncTestClient[Any], db: AsyncSession, office: Office, login_as: Any
) -> None:
    await add_plan(db, office.floor)
    await login_as(office.anna)

    live = await client.get(
        f"/plan/live?floor={office.floor.id}&date={TOMORROW.isoformat()}&day_part=morning"
    )

    assert "1 werkplek staat niet op de plattegrond; de lijst toont ze allemaal." in live.text


async def test_the_plan_page_and_the_list_show_the_desks(
    client: AsyncTestClient[Any], db: AsyncSession, office: Office, login_as: Any
) -> None:
    await add_plan(db, office.floor)
    await login_as(office.anna)
    query = f"floor={office.floor.id}&date={TOMORROW.isoformat()}&day_part=morning"
    plan = await client.get(f"/plan?{query}")
    assert plan.status_code == 200
    assert plan.text.count('class="plan-desk ') == 2  # the third desk is not placed
    listed = await client.get(f"/plan/list?{query}")
    assert listed.status_code == 200
    assert "Flexplek 1.01 reserveren" in listed.text
    assert "Flexplek 1.03 reserveren" not in listed.text  # for another team


async def test_the_plan_page_starts_on_the_next_open_day_once_the_site_has_closed(
    client: AsyncTestClient[Any], db: AsyncSession, office: Office, login_as: Any, clock: Any
) -> None:
    await add_plan(db, office.floor)
    clock.set(at(TODAY, 19))
    await login_as(office.anna)

    plan = await client.get(f"/plan?floor={office.floor.id}")

    assert f'name="date" type="date" value="{TOMORROW.isoformat()}"' in plan.text


async def test_the_plan_of_a_past_day_says_it_has_passed(
    client: AsyncTestClient[Any], db: AsyncSession, office: Office, login_as: Any
) -> None:
    await add_plan(db, office.floor)
    await login_as(office.anna)
    yesterday = TODAY - timedelta(days=1)

    plan = await client.get(f"/plan?floor={office.floor.id}&date={yesterday.isoformat()}")

    assert "Deze dag is voorbij: kies vandaag of een latere dag." in plan.text


async def test_the_plan_for_today_starts_on_the_afternoon_once_the_morning_has_ended(
    db: AsyncSession, office: Office, clock: Any
) -> None:
    clock.set(at(TODAY, 14))

    state = await services.floor_state(db, clock, actor(office.anna), office.floor.id, TODAY, None)

    assert state.out.day_part is DayPart.AFTERNOON


async def test_a_colleagues_desk_is_found_on_the_plan(
    db: AsyncSession, office: Office, make_person: Any, clock: Any, run: Any
) -> None:
    bram = await make_person("Bram Visser")
    await run(create_booking, clock, actor(bram), desk_booking(office.desk2))
    found = await services.find_colleague_desks(
        db, actor(office.anna), "visser", TOMORROW, DayPart.MORNING
    )
    assert [(c.name, c.space_name, c.floor_id) for c in found] == [
        ("Bram Visser", "Flexplek 1.02", office.floor.id)
    ]


async def test_a_hidden_desk_is_not_shown_to_colleagues_but_to_admins(
    db: AsyncSession, office: Office, make_person: Any, clock: Any, run: Any
) -> None:
    bram = await make_person("Bram Visser", hide_desk=True)
    admin = await make_person("Beheer", roles=(Role.ADMIN,))
    await run(create_booking, clock, actor(bram), desk_booking(office.desk2))
    seen_by_anna = await services.find_colleague_desks(
        db, actor(office.anna), "visser", TOMORROW, DayPart.DAY
    )
    assert [(c.hidden, c.space_id) for c in seen_by_anna] == [(True, None)]
    seen_by_admin = await services.find_colleague_desks(
        db, actor(admin), "visser", TOMORROW, DayPart.DAY
    )
    assert [c.space_id for c in seen_by_admin] == [office.desk2.id]


async def test_a_colleague_without_a_desk_that_day_part_is_found_without_one(
    db: AsyncSession, office: Office, make_person: Any, clock: Any, run: Any
) -> None:
    bram = await make_person("Bram Visser")
    await run(create_booking, clock, actor(bram), desk_booking(office.desk2, part="afternoon"))
    found = await services.find_colleague_desks(
        db, actor(office.anna), "visser", TOMORROW, DayPart.MORNING
    )
    assert [c.space_id for c in found] == [None]


async def test_the_state_costs_the_same_queries_for_three_desks_or_thirty(
    db: AsyncSession, office: Office, make_space: Any, clock: Any
) -> None:
    await add_plan(db, office.floor)
    viewer = actor(office.anna)

    async def queries() -> int:
        await db.rollback()
        with count_queries(db) as statements:
            await services.floor_state(
                db, clock, viewer, office.floor.id, TOMORROW, DayPart.MORNING
            )
        return len(statements)

    few = await queries()
    for number in range(27):
        await make_space(office.site, f"Flexplek 2.{number:02d}", floor_id=office.floor.id)
    assert await queries() == few


async def test_the_api_gives_each_desks_state(
    client: AsyncTestClient[Any], db: AsyncSession, office: Office, login_as: Any
) -> None:
    await login_as(office.anna)
    response = await client.get(
        f"/api/floors/{office.floor.id}/plan/state",
        params={"date": TOMORROW.isoformat(), "day_part": "afternoon"},
    )
    assert response.status_code == 200
    assert {d["name"]: (d["state"], d["x"]) for d in response.json()["desks"]} == {
        "Flexplek 1.01": ("free", 0.25),
        "Flexplek 1.02": ("free", 0.75),
        "Flexplek 1.03": ("restricted", None),
    }


async def test_booking_from_the_list_without_script_returns_to_the_list(
    client: AsyncTestClient[Any], db: AsyncSession, office: Office, login_as: Any
) -> None:
    await login_as(office.anna)
    response = await client.post(
        "/plan/book",
        data={
            "from": "list",
            "space_id": office.desk2.id,
            "floor": office.floor.id,
            "date": TOMORROW.isoformat(),
            "day_part": "afternoon",
        },
    )
    assert response.status_code == 200  # the client followed the redirect
    assert response.url.path == "/plan/list"
    assert "Gereserveerd: Flexplek 1.02." in response.text
    assert await count_bookings(db, space_id=office.desk2.id) == 1
