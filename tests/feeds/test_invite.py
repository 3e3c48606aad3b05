"""A booking as an .ics download: one event, for those who may see the booking."""

from __future__ import annotations

from datetime import UTC, date, datetime

import icalendar
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import LoginAs, MakePerson, MakeSite, MakeSpace, MakeTeam
from tests.feeds.conftest import MakeBooking, local, parse_feed
from werkplek.people.models import Role

THURSDAY = date(2026, 11, 26)


async def test_my_booking_downloads_as_a_single_published_event(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    login_as: LoginAs,
) -> None:
    anna = await make_person()
    room = await make_space(await make_site(), "Reitdiep", kind="meeting_room")
    booking = await make_booking(
        room, anna, local(THURSDAY, 14), local(THURSDAY, 15), title="Overleg", sequence=2
    )
    await login_as(anna)
    response = await client.get(f"/api/bookings/{booking.id}/invite.ics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="werkplek-booking-{booking.id}.ics"'
    )
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["method"]) == "PUBLISH"
    assert len(calendar.walk("VEVENT")) == 1
    event = parse_feed(response.content)[f"booking-{booking.id}@werkplek"]
    assert (event.summary, event.sequence) == ("Overleg", 2)
    assert (event.start, event.end) == (
        datetime(2026, 11, 26, 13, tzinfo=UTC),
        datetime(2026, 11, 26, 14, tzinfo=UTC),
    )


async def test_the_page_route_downloads_the_same_invite(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    login_as: LoginAs,
) -> None:
    anna = await make_person()
    room = await make_space(await make_site(), "Reitdiep", kind="meeting_room")
    booking = await make_booking(room, anna, local(THURSDAY, 14), local(THURSDAY, 15))
    await login_as(anna)
    api = await client.get(f"/api/bookings/{booking.id}/invite.ics")
    page = await client.get(f"/bookings/{booking.id}/invite.ics")
    assert page.status_code == 200
    assert page.content == api.content
    assert page.headers["content-disposition"].startswith("attachment;")


async def test_someone_elses_booking_is_not_found(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    login_as: LoginAs,
) -> None:
    anna, bert = await make_person(), await make_person()
    room = await make_space(await make_site(), "Reitdiep", kind="meeting_room")
    booking = await make_booking(room, anna, local(THURSDAY, 14), local(THURSDAY, 15))
    await login_as(bert)
    assert (await client.get(f"/api/bookings/{booking.id}/invite.ics")).status_code == 404
    assert (await client.get(f"/bookings/{booking.id}/invite.ics")).status_code == 404


async def test_whoever_made_the_booking_for_a_colleague_may_download_it(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    login_as: LoginAs,
) -> None:
    anna, agent = await make_person(), await make_person(roles=(Role.KCC,))
    room = await make_space(await make_site(), "Reitdiep", kind="meeting_room")
    booking = await make_booking(
        room, anna, local(THURSDAY, 14), local(THURSDAY, 15), booked_by=agent
    )
    await login_as(agent)
    response = await client.get(f"/api/bookings/{booking.id}/invite.ics")
    assert response.status_code == 200
    assert (
        "Gereserveerd door"
        in parse_feed(response.content)[f"booking-{booking.id}@werkplek"].description
    )


async def test_a_team_lead_may_download_a_booking_of_their_team(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_team: MakeTeam,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    login_as: LoginAs,
) -> None:
    team = await make_team("Vergunningen")
    anna = await make_person(teams=(team,))
    lead = await make_person(roles=(Role.TEAMLEAD,), lead_of=(team,))
    room = await make_space(await make_site(), "Reitdiep", kind="meeting_room")
    booking = await make_booking(room, anna, local(THURSDAY, 14), local(THURSDAY, 15))
    await login_as(lead)
    assert (await client.get(f"/api/bookings/{booking.id}/invite.ics")).status_code == 200


async def test_an_invite_needs_a_login(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
) -> None:
    anna = await make_person()
    room = await make_space(await make_site(), "Reitdiep", kind="meeting_room")
    booking = await make_booking(room, anna, local(THURSDAY, 14), local(THURSDAY, 15))
    assert (await client.get(f"/api/bookings/{booking.id}/invite.ics")).status_code == 401
    page = await client.get(f"/bookings/{booking.id}/invite.ics", follow_redirects=False)
    assert page.status_code in (302, 303)
