"""Ruimte boeken: rooms of one floor or of all floors (listed floor by floor), and the
filters kept from the grid's free times to the page after booking."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import TOMORROW, MakeSite, World, room_form
from tests.conftest import LoginAs, add_closure
from werkplek.rooms.models import Floor
from werkplek.rooms.services import by_floor

Client = AsyncTestClient[Litestar]


def test_by_floor_puts_what_is_on_no_floor_or_another_floor_last() -> None:
    ground, first = Floor(id=1, name="Begane grond"), Floor(id=2, name="Eerste verdieping")
    items = [("a", 2), ("b", None), ("c", 1), ("d", 9), ("e", 2)]

    groups = by_floor(items, [ground, first], lambda item: item[1])

    assert [(floor, [name for name, _ in on]) for floor, on in groups] == [
        (ground, ["c"]),
        (first, ["a", "e"]),
        (None, ["b", "d"]),
    ]


async def room_page(client: Client, world: World, **filters: Any) -> str:
    params = {"site": world.site.id, "date": TOMORROW.isoformat(), **filters}
    return " ".join((await client.get("/book/room", params=params)).text.split())


async def test_the_room_grid_shows_only_the_rooms_of_the_chosen_floor(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    page = await room_page(client, world, floor=world.floor.id)

    assert "Overleg 1.10" in page
    assert "Spreekkamer A" not in page


async def test_all_floors_list_the_rooms_under_each_floors_name(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    page = await room_page(client, world)

    floor_name = '<th scope="rowgroup" colspan="22"><span class="room-group-name">{}</span></th>'
    first_floor = page.index(floor_name.format("Eerste verdieping"))
    no_floor = page.index(floor_name.format("Niet op een verdieping"))
    assert first_floor < page.index("Overleg 1.10") < no_floor < page.index("Spreekkamer A")


async def test_the_booking_forms_room_choice_follows_the_grid_under_its_floor_names(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    page = await room_page(client, world)

    choice = page[page.index('<select id="space_id"') :]
    first_floor = choice.index('<optgroup label="Eerste verdieping">')
    no_floor = choice.index('<optgroup label="Niet op een verdieping">')
    assert first_floor < choice.index("Overleg 1.10") < no_floor < choice.index("Spreekkamer A")


async def test_a_floor_of_another_site_shows_all_floors(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs, make_site: MakeSite
) -> None:
    elsewhere = Floor(site_id=(await make_site("Buitendienst")).id, name="Werkplaats")
    db.add(elsewhere)
    await db.commit()
    await login_as(world.anna)

    page = await room_page(client, world, floor=elsewhere.id)

    assert "Overleg 1.10" in page
    assert "Spreekkamer A" in page


async def test_a_free_time_keeps_the_filters(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    page = await room_page(client, world, floor=world.floor.id, min_capacity=4, amenity="video")

    assert (
        f"floor={world.floor.id}&amp;min_capacity=4&amp;amenity=video"
        f"&amp;space_id={world.room.id}&amp;start=09:30"
    ) in page


def filtered_room_form(world: World, csrf: str, **times: str) -> dict[str, str]:
    """A booking of the meeting room, sent from a grid of first-floor meeting rooms."""
    return room_form(world, csrf, floor=str(world.floor.id), kind="meeting_room", **times)


async def test_booking_a_room_returns_to_the_grid_with_its_filters(
    client: Client, world: World, login_as: LoginAs
) -> None:
    headers = await login_as(world.anna)

    response = await client.post(
        "/book/room",
        data=filtered_room_form(world, headers["X-CSRF-Token"]),
        follow_redirects=False,
    )

    location = response.headers["location"]
    assert f"floor={world.floor.id}" in location
    assert "kind=meeting_room" in location


async def test_a_refused_room_booking_shows_the_grid_with_its_filters(
    client: Client, world: World, login_as: LoginAs
) -> None:
    headers = await login_as(world.anna)

    response = await client.post(
        "/book/room", data=filtered_room_form(world, headers["X-CSRF-Token"], end="19:00")
    )

    assert response.status_code == 422
    assert "Overleg 1.10" in response.text
    assert "Spreekkamer A" not in response.text


CSS = Path(__file__).parents[2] / "static" / "css" / "werkplek.css"


def _css_rule(selector: str) -> str:
    """The declarations of the first rule for exactly ``selector`` (a selector list)."""
    match = re.search(r"(?:^|[}\s])" + re.escape(selector) + r"\s*\{([^}]*)\}", CSS.read_text())
    assert match, selector
    return match.group(1)


def test_on_a_phone_the_room_names_stay_in_place_while_the_grid_scrolls_sideways() -> None:
    rule = _css_rule('.room-grid th[scope="row"], .room-grid thead th:first-child')
    assert "position: sticky" in rule
    assert "left: 0" in rule
    assert "background:" in rule


async def test_a_closed_room_says_so_at_the_start_of_its_row(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs
) -> None:
    await add_closure(db, world.site, TOMORROW, TOMORROW, space=world.room, reason="Schilderwerk")
    await login_as(world.anna)

    page = await room_page(client, world)

    row = page[page.index(f'<th scope="row">{world.room.name}') :]
    row = row[: row.index("</tr>")]
    assert row.count("<td") == 1  # the whole day in one cell, right after the room's name
    half_hours = page.count('class="room-grid-time"')
    assert f'<td class="slot slot-closed" colspan="{half_hours}">' in row
    assert (
        '<span class="slot-closed-text">Gesloten<span class="slot-title" title="Schilderwerk">'
    ) in row
    assert "text-align: start" in _css_rule(".room-grid td.slot-closed")
    assert "position: sticky" in _css_rule(".room-grid .slot-closed-text")
