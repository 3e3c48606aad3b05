"""Rooms on the employee plan: each placed room with its state for the date and day part
(from the room availability of the bookings), its panel with the way to the room
booking page, the list view, and the live layer's tag.

The test clock stands at Wednesday 25 November 2026, 10:00; the site is open
07:30-18:00 with the split at 13:00, so tomorrow's afternoon runs 13:00-18:00.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import TODAY, TOMORROW, room_booking
from tests.conftest import count_queries
from tests.floorplans.conftest import Office, actor, add_plan
from werkplek.bookings.services import create_booking
from werkplek.floorplans import services
from werkplek.rooms.models import Closure, Floor, Space
from werkplek.rooms.services import DayPart

AFTERNOON = f"date={TOMORROW.isoformat()}&day_part=afternoon"


@pytest.fixture
async def room(db: AsyncSession, office: Office, make_space: Any) -> Space:
    await add_plan(db, office.floor)
    space: Space = await make_space(
        office.site,
        "Vergaderruimte Dijk",
        kind="meeting_room",
        capacity=8,
        amenities=["video"],
        floor_id=office.floor.id,
        pos_x=0.5,
        pos_y=0.2,
    )
    return space


def room_label(page: str, room: Space) -> str:
    found = re.search(rf'id="room-{room.id}"[^>]*aria-label="([^"]*)"', page, re.S)
    assert found is not None, "the room is not on the plan"
    return html.unescape(found.group(1))


async def test_a_placed_room_appears_on_the_plan_with_its_state(
    client: AsyncTestClient[Any], office: Office, room: Space, login_as: Any
) -> None:
    await login_as(office.anna)
    page = await client.get(f"/plan?floor={office.floor.id}&{AFTERNOON}")
    assert page.status_code == 200
    assert (
        room_label(page.text, room) == "Vergaderruimte Dijk (8 personen): vrij van 13:00 tot 18:00"
    )


async def test_a_site_whose_floor_has_only_rooms_offers_that_floor(
    db: AsyncSession, office: Office, make_site: Any, make_space: Any
) -> None:
    town_hall = await make_site("Stadhuis")
    floor = Floor(site_id=town_hall.id, name="Raadszalen", level=0)
    db.add(floor)
    await db.commit()
    await make_space(town_hall, "Raadszaal", kind="meeting_room", floor_id=floor.id)
    choice = await services.choose_floor(db, town_hall.id, None)
    assert (
        [site.name for site in choice.sites],
        choice.floor.name if choice.floor else None,
    ) == (["Stadhuis", "Stadskantoor"], "Raadszalen")


async def test_a_booked_room_shows_as_busy_until_its_booking_ends(
    client: AsyncTestClient[Any],
    office: Office,
    room: Space,
    login_as: Any,
    make_person: Any,
    clock: Any,
    run: Any,
) -> None:
    bram = await make_person("Bram")
    await run(create_booking, clock, actor(bram), room_booking(room, start=(13, 0), end=(14, 30)))
    await login_as(office.anna)
    page = await client.get(f"/plan?floor={office.floor.id}&{AFTERNOON}")
    assert 'data-state="busy"' in page.text
    assert room_label(page.text, room).endswith(": bezet tot 14:30")


async def test_a_room_is_free_until_its_next_booking(
    db: AsyncSession, office: Office, room: Space, make_person: Any, clock: Any, run: Any
) -> None:
    bram = await make_person("Bram")
    await run(create_booking, clock, actor(bram), room_booking(room, start=(15, 0), end=(16, 0)))
    await db.rollback()
    state = await services.floor_state(
        db, clock, actor(office.anna), office.floor.id, TOMORROW, DayPart.AFTERNOON
    )
    (shown,) = state.out.rooms
    assert services.room_status_text(shown) == "vrij van 13:00 tot 15:00"


async def test_a_room_booked_by_the_viewer_shows_as_theirs(
    db: AsyncSession, office: Office, room: Space, clock: Any, run: Any
) -> None:
    await run(
        create_booking, clock, actor(office.anna), room_booking(room, start=(13, 0), end=(14, 0))
    )
    await db.rollback()
    state = await services.floor_state(
        db, clock, actor(office.anna), office.floor.id, TOMORROW, DayPart.AFTERNOON
    )
    assert [(r.state, services.room_status_text(r)) for r in state.out.rooms] == [
        ("mine", "door u gereserveerd tot 14:00")
    ]


async def test_a_room_for_other_teams_offers_no_booking(
    db: AsyncSession, office: Office, make_space: Any, clock: Any
) -> None:
    team_room = await make_space(
        office.site,
        "Teamkamer",
        kind="meeting_room",
        floor_id=office.floor.id,
        teams=(office.team,),
    )
    await db.rollback()
    state = await services.floor_state(
        db, clock, actor(office.anna), office.floor.id, TOMORROW, DayPart.AFTERNOON
    )
    (shown,) = [r for r in state.out.rooms if r.space_id == team_room.id]
    assert (shown.state, services.room_booking_url(office.site.id, TOMORROW, shown)) == (
        "restricted",
        None,
    )


async def test_a_room_with_a_closure_of_its_own_offers_no_booking(
    db: AsyncSession, office: Office, room: Space, clock: Any
) -> None:
    db.add(Closure(site_id=office.site.id, space_id=room.id, starts_on=TOMORROW, ends_on=TOMORROW))
    await db.commit()
    state = await services.floor_state(
        db, clock, actor(office.anna), office.floor.id, TOMORROW, DayPart.AFTERNOON
    )
    (shown,) = state.out.rooms
    assert (shown.state, services.room_status_text(shown)) == ("blocked", "gesloten op deze dag")


async def test_the_rooms_panel_links_to_the_room_booking_page_for_that_room_and_date(
    client: AsyncTestClient[Any], office: Office, room: Space, login_as: Any
) -> None:
    await login_as(office.anna)
    panel = await client.get(
        f"/plan/rooms/{room.id}?floor={office.floor.id}&{AFTERNOON}",
        headers={"HX-Request": "true"},
    )
    assert panel.status_code == 200
    found = re.search(r'href="(/book/room\?[^"]*)"', panel.text)
    assert found is not None
    link = urlsplit(html.unescape(found.group(1)))
    assert parse_qs(link.query) == {
        "site": [str(office.site.id)],
        "date": [TOMORROW.isoformat()],
        "space_id": [str(room.id)],
        "start": ["13:00"],
    }


async def test_the_room_booking_page_the_panel_links_to_lets_one_invite_participants(
    client: AsyncTestClient[Any], office: Office, room: Space, login_as: Any
) -> None:
    """The panel books no room itself: the page it links to, with the participant picker
    of every room booking, does."""
    await login_as(office.anna)
    panel = await client.get(
        f"/plan/rooms/{room.id}?floor={office.floor.id}&{AFTERNOON}",
        headers={"HX-Request": "true"},
    )
    found = re.search(r'href="(/book/room\?[^"]*)"', panel.text)
    assert found is not None

    page = await client.get(html.unescape(found.group(1)))

    assert '<fieldset class="participant-picker" id="participants">' in page.text


async def test_the_booking_link_starts_at_the_next_quarter_hour_once_the_day_part_has_begun(
    db: AsyncSession, office: Office, room: Space, clock: Any
) -> None:
    clock.advance(timedelta(minutes=7))  # 10:07
    await db.rollback()
    state = await services.floor_state(
        db, clock, actor(office.anna), office.floor.id, TODAY, DayPart.MORNING
    )
    url = services.room_booking_url(office.site.id, TODAY, state.out.rooms[0])
    assert url is not None and "start=10%3A15" in url


async def test_the_rooms_panel_shows_capacity_amenities_and_free_times(
    client: AsyncTestClient[Any],
    office: Office,
    room: Space,
    login_as: Any,
    make_person: Any,
    clock: Any,
    run: Any,
) -> None:
    bram = await make_person("Bram")
    await run(create_booking, clock, actor(bram), room_booking(room, start=(14, 0), end=(15, 0)))
    await login_as(office.anna)
    panel = await client.get(f"/plan/rooms/{room.id}?floor={office.floor.id}&{AFTERNOON}")
    assert panel.status_code == 200
    for fact in ("8 personen", "Video", "13:00 tot 14:00", "15:00 tot 18:00", "Ruimte boeken"):
        assert fact in panel.text


async def test_the_list_view_names_rooms_and_their_state(
    client: AsyncTestClient[Any], office: Office, room: Space, login_as: Any
) -> None:
    await login_as(office.anna)
    listed = await client.get(f"/plan/list?floor={office.floor.id}&{AFTERNOON}")
    assert listed.status_code == 200
    row = re.search(r"<tr>\s*<th scope=\"row\">Vergaderruimte Dijk</th>.*?</tr>", listed.text, re.S)
    assert row is not None
    assert "vrij van 13:00 tot 18:00" in row.group(0)


async def test_the_live_etag_changes_when_a_room_gets_booked(
    client: AsyncTestClient[Any],
    office: Office,
    room: Space,
    login_as: Any,
    make_person: Any,
    clock: Any,
    run: Any,
) -> None:
    await login_as(office.anna)
    url = f"/plan/live?floor={office.floor.id}&{AFTERNOON}"
    before = await client.get(url)
    bram = await make_person("Bram")
    await run(create_booking, clock, actor(bram), room_booking(room, start=(13, 0), end=(14, 0)))
    after = await client.get(url, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]


async def test_the_live_etag_stays_while_the_clock_moves_within_a_free_time(
    client: AsyncTestClient[Any], office: Office, room: Space, login_as: Any, clock: Any
) -> None:
    await login_as(office.anna)
    url = f"/plan/live?floor={office.floor.id}&date={TODAY.isoformat()}&day_part=morning"
    before = await client.get(url)
    clock.advance(timedelta(minutes=3))
    again = await client.get(url, headers={"If-None-Match": before.headers["etag"]})
    assert again.status_code == 304


async def test_the_state_costs_the_same_queries_for_one_room_or_twenty(
    db: AsyncSession, office: Office, room: Space, make_space: Any, clock: Any
) -> None:
    viewer = actor(office.anna)

    async def queries() -> int:
        await db.rollback()
        with count_queries(db) as statements:
            await services.floor_state(
                db, clock, viewer, office.floor.id, TOMORROW, DayPart.AFTERNOON
            )
        return len(statements)

    few = await queries()
    for number in range(19):
        await make_space(
            office.site,
            f"Overleg 2.{number:02d}",
            kind="meeting_room",
            floor_id=office.floor.id,
            pos_x=0.1,
            pos_y=0.1,
            teams=(office.team,) if number % 2 else (),
        )
    assert await queries() == few


async def test_the_state_of_a_floor_with_desks_and_rooms_takes_nine_queries(
    db: AsyncSession, office: Office, room: Space, clock: Any
) -> None:
    """The floor, the desk availability (site with hours, closures, desks, bookings),
    the room availability on the site and day it loaded (rooms, their teams, bookings),
    and the positions and the plan: what each poll of the live layer costs."""
    await db.rollback()
    with count_queries(db) as statements:
        await services.floor_state(
            db, clock, actor(office.anna), office.floor.id, TOMORROW, DayPart.AFTERNOON
        )
    assert len(statements) == 9


async def test_the_api_gives_each_rooms_state_and_free_times(
    client: AsyncTestClient[Any], office: Office, room: Space, login_as: Any
) -> None:
    await login_as(office.anna)
    response = await client.get(
        f"/api/floors/{office.floor.id}/plan/state",
        params={"date": TOMORROW.isoformat(), "day_part": "afternoon"},
    )
    (shown,) = response.json()["rooms"]
    assert (shown["name"], shown["state"], shown["until"], len(shown["free"])) == (
        "Vergaderruimte Dijk",
        "free",
        "2026-11-26T18:00:00+01:00",
        1,
    )


async def test_a_site_without_floors_says_so_on_the_plan_and_links_its_lists(
    client: AsyncTestClient[Any], office: Office, make_site: Any, make_space: Any, login_as: Any
) -> None:
    hall = await make_site("Dorpshuis De Kolk", kind="community_venue")
    await make_space(hall, "Zaal", kind="meeting_room", capacity=20)
    await login_as(office.anna)

    page = await client.get(f"/plan?site={hall.id}&{AFTERNOON}")

    assert "Dorpshuis De Kolk heeft nog geen verdiepingen" in page.text
    assert f'href="/book/room?site={hall.id}&amp;date={TOMORROW.isoformat()}"' in page.text
