"""The door display and the lobby screen: what they show and hide, checking in from the
door, and pages fit for a tablet that nobody logs in on."""

from __future__ import annotations

from datetime import timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakeFloor, MakePerson, MakeSite, MakeSpace
from tests.displays.conftest import TODAY, MakeLink, MakeMeeting, at
from werkplek.audit.models import AuditEvent
from werkplek.rooms.models import Space

TOMORROW = TODAY + timedelta(days=1)


async def test_a_meeting_room_display_shows_the_subject_and_who_booked(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_meeting: MakeMeeting,
    make_link: MakeLink,
    room: Space,
) -> None:
    anna = await make_person("Anna de Vries")
    await make_meeting(room, anna, at(14), at(15), title="Begroting 2027")
    token = await make_link(room.site_id, room)
    text = (await client.get(f"/display/{token}")).text
    assert "Begroting 2027" in text and "Anna de Vries" in text


async def test_a_resident_room_display_hides_the_subject_and_names(
    client: AsyncTestClient[Litestar],
    make_site: MakeSite,
    make_space: MakeSpace,
    make_person: MakePerson,
    make_meeting: MakeMeeting,
    make_link: MakeLink,
) -> None:
    site = await make_site()
    room = await make_space(site, "Spreekkamer 1", kind="resident_room")
    anna = await make_person("Anna de Vries")
    await make_meeting(room, anna, at(14), at(15), title="Schuldhulp mevrouw Jansen")
    token = await make_link(room.site_id, room)
    text = (await client.get(f"/display/{token}")).text
    assert "14:00–15:00" in text
    assert "Jansen" not in text and "Schuldhulp" not in text and "Anna" not in text


async def test_the_display_lists_the_rest_of_todays_meetings_only(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_meeting: MakeMeeting,
    make_link: MakeLink,
    room: Space,
) -> None:
    anna = await make_person()
    await make_meeting(room, anna, at(8), at(9), title="Voorbij")
    await make_meeting(room, anna, at(14), at(15), title="Straks")
    await make_meeting(
        room,
        anna,
        at(14, day=TOMORROW),
        at(15, day=TOMORROW),
        title="Morgen",
    )
    token = await make_link(room.site_id, room)
    text = (await client.get(f"/display/{token}")).text
    assert "Straks" in text and "Voorbij" not in text and "Morgen" not in text


async def test_the_display_sets_no_cookie_and_asks_not_to_be_indexed(
    client: AsyncTestClient[Litestar],
    make_link: MakeLink,
    room: Space,
) -> None:
    token = await make_link(room.site_id, room)
    response = await client.get(f"/display/{token}")
    assert "set-cookie" not in response.headers
    assert response.headers["x-robots-tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.text


async def test_the_display_speaks_the_installations_language_whatever_the_tablet_asks(
    client: AsyncTestClient[Litestar],
    make_link: MakeLink,
    room: Space,
) -> None:
    token = await make_link(room.site_id, room)
    response = await client.get(f"/display/{token}", headers={"Accept-Language": "en-US,en"})
    assert '<html lang="nl"' in response.text


async def test_the_display_has_no_site_navigation(
    client: AsyncTestClient[Litestar],
    make_site: MakeSite,
    make_space: MakeSpace,
    make_link: MakeLink,
) -> None:
    site = await make_site()
    room = await make_space(site, "Zaal", kind="meeting_room")
    token = await make_link(site.id, room)
    text = (await client.get(f"/display/{token}")).text
    assert "site-header" not in text and 'href="/' not in text.replace('href="/static/', "")


async def test_the_board_refreshes_itself_every_30_seconds_with_a_reload_fallback(
    client: AsyncTestClient[Litestar],
    make_link: MakeLink,
    room: Space,
) -> None:
    token = await make_link(room.site_id, room)
    text = (await client.get(f"/display/{token}")).text
    assert f'hx-get="/display/{token}/board" hx-trigger="every 30s"' in text
    assert '<noscript><meta http-equiv="refresh" content="30"></noscript>' in text


async def test_the_board_alone_is_what_the_display_polls(
    client: AsyncTestClient[Litestar],
    make_link: MakeLink,
    room: Space,
) -> None:
    token = await make_link(room.site_id, room)
    response = await client.get(f"/display/{token}/board")
    assert response.text.startswith('<div id="board"')


async def test_the_display_offers_check_in_when_a_meeting_may_be_checked_in(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_meeting: MakeMeeting,
    make_link: MakeLink,
    room: Space,
) -> None:
    booking = await make_meeting(room, await make_person(), at(10, 15), at(11))
    token = await make_link(room.site_id, room)
    text = (await client.get(f"/display/{token}")).text
    assert f'name="booking_id" value="{booking.id}"' in text


async def test_the_display_offers_no_check_in_an_hour_before_a_meeting(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_meeting: MakeMeeting,
    make_link: MakeLink,
    room: Space,
) -> None:
    await make_meeting(room, await make_person(), at(11), at(12))
    token = await make_link(room.site_id, room)
    assert 'name="booking_id"' not in (await client.get(f"/display/{token}")).text


async def test_checking_in_from_the_display_is_audited_as_the_displays(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    make_meeting: MakeMeeting,
    make_link: MakeLink,
    room: Space,
) -> None:
    booking = await make_meeting(room, await make_person(), at(9, 45), at(11))
    token = await make_link(room.site_id, room)
    response = await client.post(f"/display/{token}/check-in", data={"booking_id": str(booking.id)})
    assert response.status_code == 200  # the redirect to the display, followed
    await db.rollback()
    event = (
        await db.execute(select(AuditEvent).where(AuditEvent.action == "check_in"))
    ).scalar_one()
    assert (event.actor_id, event.object_id, event.details) == (
        None,
        str(booking.id),
        {"display_link_id": 1},
    )


async def test_checking_in_from_the_display_twice_checks_in_once(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    make_meeting: MakeMeeting,
    make_link: MakeLink,
    room: Space,
) -> None:
    booking = await make_meeting(room, await make_person(), at(9, 45), at(11))
    token = await make_link(room.site_id, room)
    for _ in range(2):
        await client.post(
            f"/display/{token}/check-in",
            data={"booking_id": str(booking.id)},
            headers={"HX-Request": "true"},
        )
    await db.refresh(booking)
    events = (await db.execute(select(AuditEvent).where(AuditEvent.action == "check_in"))).all()
    assert booking.status == "checked_in" and len(events) == 1


async def test_the_display_cannot_check_in_a_meeting_in_another_room(
    client: AsyncTestClient[Litestar],
    make_site: MakeSite,
    make_space: MakeSpace,
    make_person: MakePerson,
    make_meeting: MakeMeeting,
    make_link: MakeLink,
) -> None:
    site = await make_site()
    room = await make_space(site, "Zaal", kind="meeting_room")
    other = await make_space(site, "Andere zaal", kind="meeting_room")
    booking = await make_meeting(other, await make_person(), at(9, 45), at(11))
    token = await make_link(site.id, room)
    response = await client.post(f"/display/{token}/check-in", data={"booking_id": str(booking.id)})
    assert response.status_code == 404
    assert "Deze afspraak is niet in deze ruimte." in response.text


async def test_a_login_session_is_not_used_on_a_display(
    client: AsyncTestClient[Litestar],
    login_as: LoginAs,
    make_person: MakePerson,
    make_link: MakeLink,
    room: Space,
) -> None:
    token = await make_link(room.site_id, room)
    await login_as(await make_person("Anna de Vries"))
    assert "Anna de Vries" not in (await client.get(f"/display/{token}")).text


async def test_the_lobby_lists_the_sites_rooms_floor_by_floor(
    client: AsyncTestClient[Litestar],
    make_site: MakeSite,
    make_floor: MakeFloor,
    make_space: MakeSpace,
    make_link: MakeLink,
) -> None:
    site = await make_site()
    # Names found nowhere else on the page (a short "1e" may be in the display's token).
    ground = await make_floor(site, "Begane grond")
    first = await make_floor(site, "Eerste verdieping", level=1)
    await make_space(site, "Zaal 1.01", kind="meeting_room", floor_id=first.id)
    await make_space(site, "Spreekkamer A", kind="resident_room", floor_id=ground.id)
    await make_space(site, "Flexplek 7", floor_id=ground.id)
    token = await make_link(site.id)
    text = (await client.get(f"/display/{token}")).text
    names = ("Begane grond", "Spreekkamer A", "Eerste verdieping", "Zaal 1.01")
    order = [text.index(name) for name in names]
    assert order == sorted(order) and "Flexplek 7" not in text


async def test_the_lobby_shows_until_when_a_room_is_busy_and_its_next_meeting(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_meeting: MakeMeeting,
    make_link: MakeLink,
    room: Space,
) -> None:
    anna = await make_person()
    await make_meeting(room, anna, at(9, 30), at(11))
    await make_meeting(room, anna, at(14), at(15))
    token = await make_link(room.site_id)
    text = (await client.get(f"/display/{token}")).text
    assert "Bezet tot 11:00" in text and "Volgende: 14:00" in text
