"""Favourite desks: kept per person, listed first on the desk page, kept and dropped from
the list, the plan's panel and the API."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import (
    TODAY,
    TOMORROW,
    MakeSpace,
    Run,
    World,
    actor,
    at,
    count_bookings,
    desk_booking,
)
from tests.conftest import LoginAs, MakePerson
from werkplek.bookings import favourites
from werkplek.bookings.services import create_booking
from werkplek.errors import InvalidInput
from werkplek.people.models import Team
from werkplek.presence.models import WorkLocation

Client = AsyncTestClient[Litestar]
HTMX = {"HX-Request": "true"}


async def kept(db: AsyncSession, world: World) -> set[int]:
    await db.rollback()
    return await favourites.favourite_desk_ids(db, world.anna.id)


def desk_page_form(world: World, csrf: str, **extra: str) -> dict[str, str]:
    return {
        "_csrf": csrf,
        "site": str(world.site.id),
        "date": TOMORROW.isoformat(),
        "day_part": "morning",
        "amenity": "screen",
        **extra,
    }


# --- the rules ----------------------------------------------------------------------------


async def test_a_kept_desk_is_a_favourite(
    db: AsyncSession, world: World, clock: Any, run: Run
) -> None:
    await run(favourites.add_favourite, clock, actor(world.anna), world.desk2.id)
    assert await kept(db, world) == {world.desk2.id}


async def test_keeping_a_favourite_twice_keeps_it_once(
    db: AsyncSession, world: World, clock: Any, run: Run
) -> None:
    await run(favourites.add_favourite, clock, actor(world.anna), world.desk2.id)
    await run(favourites.add_favourite, clock, actor(world.anna), world.desk2.id)
    assert await kept(db, world) == {world.desk2.id}


async def test_a_quiet_desk_can_be_a_favourite(
    db: AsyncSession, world: World, clock: Any, run: Run
) -> None:
    await run(favourites.add_favourite, clock, actor(world.anna), world.quiet.id)
    assert await kept(db, world) == {world.quiet.id}


async def test_a_room_cannot_be_a_favourite(world: World, clock: Any, run: Run) -> None:
    with pytest.raises(favourites.NotADesk):
        await run(favourites.add_favourite, clock, actor(world.anna), world.room.id)


async def test_an_unknown_space_cannot_be_a_favourite(world: World, clock: Any, run: Run) -> None:
    with pytest.raises(InvalidInput) as refused:
        await run(favourites.add_favourite, clock, actor(world.anna), 999_999)
    assert refused.value.code == "unknown_space"


async def test_a_desk_out_of_use_cannot_become_a_favourite(
    db: AsyncSession, world: World, clock: Any, run: Run
) -> None:
    world.desk2.active = False
    await db.commit()
    with pytest.raises(InvalidInput) as refused:
        await run(favourites.add_favourite, clock, actor(world.anna), world.desk2.id)
    assert (refused.value.code, refused.value.field) == ("space_inactive", "space_id")


async def test_a_desk_at_a_site_out_of_use_cannot_become_a_favourite(
    db: AsyncSession, world: World, clock: Any, run: Run
) -> None:
    world.site.active = False
    await db.commit()
    with pytest.raises(InvalidInput) as refused:
        await run(favourites.add_favourite, clock, actor(world.anna), world.desk2.id)
    assert refused.value.code == "site_inactive"


async def test_a_desk_reserved_for_another_team_cannot_become_a_favourite(
    db: AsyncSession,
    world: World,
    clock: Any,
    run: Run,
    make_space: MakeSpace,
    make_team: Callable[[str], Awaitable[Team]],
) -> None:
    team_desk = await make_space(
        world.site, "Flexplek Buitendienst", teams=(await make_team("Buitendienst"),)
    )
    with pytest.raises(InvalidInput) as refused:
        await run(favourites.add_favourite, clock, actor(world.anna), team_desk.id)
    assert (refused.value.code, refused.value.field) == ("restricted_space", "space_id")
    assert await kept(db, world) == set()


async def test_a_desk_reserved_for_ones_own_team_can_be_a_favourite(
    db: AsyncSession,
    world: World,
    clock: Any,
    run: Run,
    make_space: MakeSpace,
    make_team: Callable[[str], Awaitable[Team]],
    make_person: MakePerson,
) -> None:
    team = await make_team("Buitendienst")
    team_desk = await make_space(world.site, "Flexplek Buitendienst", teams=(team,))
    bart = await make_person("Bart", teams=(team,))
    await run(favourites.add_favourite, clock, actor(bart), team_desk.id)
    await db.rollback()
    assert await favourites.favourite_desk_ids(db, bart.id) == {team_desk.id}


async def test_one_more_favourite_than_the_most_is_refused(
    db: AsyncSession, world: World, clock: Any, run: Run, make_space: MakeSpace
) -> None:
    for number in range(favourites.MAX_FAVOURITES):
        desk = await make_space(world.site, f"Flexplek 3.{number:02d}")
        await run(favourites.add_favourite, clock, actor(world.anna), desk.id)
    with pytest.raises(favourites.TooManyFavourites):
        await run(favourites.add_favourite, clock, actor(world.anna), world.desk.id)
    assert world.desk.id not in await kept(db, world)


async def test_a_dropped_favourite_is_no_longer_kept(
    db: AsyncSession, world: World, clock: Any, run: Run
) -> None:
    await run(favourites.add_favourite, clock, actor(world.anna), world.desk2.id)
    await run(favourites.remove_favourite, actor(world.anna), world.desk2.id)
    assert await kept(db, world) == set()


async def test_favourites_are_each_persons_own(
    db: AsyncSession, world: World, clock: Any, run: Run, make_person: Any
) -> None:
    bram = await make_person("Bram")
    await run(favourites.add_favourite, clock, actor(bram), world.desk2.id)
    assert await kept(db, world) == set()


# --- the desk page ------------------------------------------------------------------------


async def test_the_desk_page_lists_favourites_first(
    client: Client, world: World, login_as: LoginAs, clock: Any, run: Run
) -> None:
    await run(favourites.add_favourite, clock, actor(world.anna), world.quiet.id)
    await login_as(world.anna)
    response = await client.get(
        "/book/desk", params={"site": world.site.id, "date": TOMORROW.isoformat()}
    )
    page = " ".join(response.text.split())
    favourites_heading = page.index('scope="rowgroup"> Uw favoriete werkplekken')
    assert favourites_heading < page.index("Stilteplek 1.03</th>")
    assert page.index("Stilteplek 1.03</th>") < page.index("Flexplek 1.01</th>")


async def test_keeping_a_favourite_with_htmx_marks_it_and_keeps_the_filter(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs
) -> None:
    headers = await login_as(world.anna)
    response = await client.post(
        "/book/desk/favourite",
        data=desk_page_form(world, headers["X-CSRF-Token"], add_favourite=str(world.desk.id)),
        headers=HTMX,
    )
    assert "Flexplek 1.01 staat nu bij uw favorieten." in response.text
    assert f'name="remove_favourite" value="{world.desk.id}"' in response.text
    assert "Flexplek 1.02</th>" not in response.text  # still only desks with a screen
    assert await kept(db, world) == {world.desk.id}


async def test_dropping_a_favourite_with_a_plain_form_returns_to_the_same_list(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs, clock: Any, run: Run
) -> None:
    await run(favourites.add_favourite, clock, actor(world.anna), world.desk.id)
    headers = await login_as(world.anna)
    response = await client.post(
        "/book/desk/favourite",
        data=desk_page_form(world, headers["X-CSRF-Token"], remove_favourite=str(world.desk.id)),
        follow_redirects=False,
    )
    assert response.status_code in (302, 303)
    assert "amenity=screen" in response.headers["location"]
    assert f"date={TOMORROW.isoformat()}" in response.headers["location"]
    assert await kept(db, world) == set()


async def test_keeping_a_room_from_the_desk_page_says_why_and_stores_nothing(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs
) -> None:
    headers = await login_as(world.anna)
    response = await client.post(
        "/book/desk/favourite",
        data=desk_page_form(world, headers["X-CSRF-Token"], add_favourite=str(world.room.id)),
        headers=HTMX,
    )
    assert response.status_code == 422
    assert "Alleen werkplekken kunnen favoriet zijn" in response.text
    assert await kept(db, world) == set()


# --- the plan's desk panel ----------------------------------------------------------------


async def test_keeping_a_favourite_from_the_plans_panel(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs
) -> None:
    headers = await login_as(world.anna)
    response = await client.post(
        "/plan/favourite",
        data={
            "_csrf": headers["X-CSRF-Token"],
            "floor": str(world.floor.id),
            "date": TOMORROW.isoformat(),
            "day_part": "morning",
            "add_favourite": str(world.desk2.id),
        },
        headers=HTMX,
    )
    assert "Flexplek 1.02 staat nu bij uw favorieten." in response.text
    assert 'aria-pressed="true"' in response.text
    assert await kept(db, world) == {world.desk2.id}


async def test_the_plans_panel_shows_a_favourite_as_kept(
    client: Client, world: World, login_as: LoginAs, clock: Any, run: Run
) -> None:
    await run(favourites.add_favourite, clock, actor(world.anna), world.desk2.id)
    await login_as(world.anna)
    response = await client.get(
        f"/plan/desks/{world.desk2.id}",
        params={"floor": world.floor.id, "date": TOMORROW.isoformat(), "day_part": "morning"},
        headers=HTMX,
    )
    assert f'name="remove_favourite" value="{world.desk2.id}"' in response.text


# --- the API ------------------------------------------------------------------------------


async def test_the_api_keeps_a_favourite_and_lists_it(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)
    await client.put(f"/api/favourite-desks/{world.desk.id}")
    response = await client.get("/api/favourite-desks")
    assert response.json() == [
        {
            "space_id": world.desk.id,
            "name": "Flexplek 1.01",
            "active": True,
            "site_id": world.site.id,
            "site_name": "Stadskantoor",
            "floor_name": "Eerste verdieping",
        }
    ]


async def test_the_api_refuses_a_room_as_favourite_naming_the_field(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)
    response = await client.put(f"/api/favourite-desks/{world.room.id}")
    assert response.status_code == 422
    assert response.json()["error"] == "not_a_desk"
    assert response.json()["field"] == "space_id"


async def test_the_api_refuses_a_desk_out_of_use_as_favourite_naming_the_field(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs
) -> None:
    world.desk.active = False
    await db.commit()
    await login_as(world.anna)
    response = await client.put(f"/api/favourite-desks/{world.desk.id}")
    assert response.status_code == 422
    assert (response.json()["error"], response.json()["field"]) == ("space_inactive", "space_id")


async def test_the_api_drops_a_favourite(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs, clock: Any, run: Run
) -> None:
    await run(favourites.add_favourite, clock, actor(world.anna), world.desk.id)
    await login_as(world.anna)
    response = await client.delete(f"/api/favourite-desks/{world.desk.id}")
    assert response.status_code == 204
    assert await kept(db, world) == set()


# --- booking a favourite from the home page -----------------------------------------------


async def to_book(db: AsyncSession, world: World, clock: Any) -> list[favourites.FavouritesToBook]:
    await db.rollback()
    return await favourites.favourites_to_book(db, clock, actor(world.anna))


async def test_the_home_page_offers_favourites_on_today_while_the_site_is_open(
    db: AsyncSession, world: World, clock: Any, run: Run
) -> None:
    await run(favourites.add_favourite, clock, actor(world.anna), world.desk2.id)
    [group] = await to_book(db, world, clock)
    assert (group.day, group.day_part.value) == (TODAY, "day")
    assert [(desk.name, desk.day) for desk in group.desks] == [("Flexplek 1.02", "free")]


async def test_the_home_page_passes_over_a_day_on_which_one_holds_a_desk(
    db: AsyncSession, world: World, clock: Any, run: Run
) -> None:
    await run(favourites.add_favourite, clock, actor(world.anna), world.desk2.id)
    await run(create_booking, clock, actor(world.anna), desk_booking(world.desk, TODAY, "day"))
    [group] = await to_book(db, world, clock)
    assert group.day == TOMORROW


async def test_the_home_page_passes_over_a_day_on_which_one_is_away(
    db: AsyncSession, world: World, clock: Any, run: Run
) -> None:
    await run(favourites.add_favourite, clock, actor(world.anna), world.desk2.id)

    async def away_today(first: date, last: date) -> set[date]:
        return {TODAY}

    await db.rollback()
    [group] = await favourites.favourites_to_book(db, clock, actor(world.anna), away_today)
    assert group.day == TOMORROW


async def test_the_home_page_offers_favourites_after_an_absence(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs, clock: Any, run: Run
) -> None:
    await run(favourites.add_favourite, clock, actor(world.anna), world.desk2.id)
    db.add_all(
        WorkLocation(
            person_id=world.anna.id,
            date=TODAY,
            day_part=part,
            kind="absent",
            updated_at=clock.now(),
        )
        for part in ("morning", "afternoon")
    )
    await db.commit()
    await login_as(world.anna)
    home = await client.get("/")
    assert f'name="date" value="{TOMORROW.isoformat()}"' in home.text


async def test_the_home_page_offers_the_afternoon_once_the_morning_has_ended(
    db: AsyncSession, world: World, clock: Any, run: Run
) -> None:
    await run(favourites.add_favourite, clock, actor(world.anna), world.desk2.id)
    clock.set(at(TODAY, 14))
    [group] = await to_book(db, world, clock)
    assert (group.day, group.day_part.value) == (TODAY, "afternoon")


async def test_the_home_page_leaves_out_a_favourite_out_of_use(
    db: AsyncSession, world: World, clock: Any, run: Run
) -> None:
    await run(favourites.add_favourite, clock, actor(world.anna), world.desk2.id)
    world.desk2.active = False
    await db.commit()
    assert await to_book(db, world, clock) == []


async def test_the_home_page_books_a_free_favourite_in_one_click(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs, clock: Any, run: Run
) -> None:
    await run(favourites.add_favourite, clock, actor(world.anna), world.desk2.id)
    headers = await login_as(world.anna)
    home = await client.get("/")
    assert "Uw favoriete werkplekken" in home.text
    assert f'name="space_id" value="{world.desk2.id}"' in home.text

    response = await client.post(
        "/book/desk",
        data={
            "_csrf": headers["X-CSRF-Token"],
            "site": str(world.site.id),
            "date": TODAY.isoformat(),
            "day_part": "day",
            "space_id": str(world.desk2.id),
        },
    )
    assert "Gereserveerd: Flexplek 1.02." in response.text
    assert await count_bookings(db, space_id=world.desk2.id, booked_for_id=world.anna.id) == 1


async def test_the_home_page_shows_no_favourites_block_without_favourites(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)
    home = await client.get("/")
    assert "Uw favoriete werkplekken" not in home.text
