"""The reception role (receptie, gastvrouw): the visitors of the day and marking them
arrived, nothing more of facilities' rights; the list opens on the site where the
receptionist works today.

The clock stands at Wednesday 25 November 2026, 10:00 in Amsterdam (a morning)."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import TODAY, World, at
from tests.conftest import LoginAs, MakeSite, MakeSpace
from tests.presence.conftest import SetEntry, SetPattern, set_entry, set_pattern  # noqa: F401
from tests.visitors.conftest import MakeBooking, add_visitor, visitors
from werkplek.people.models import Person
from werkplek.rooms.models import Site

Client = AsyncTestClient[Litestar]


@pytest.fixture
async def satellite(make_site: MakeSite) -> Site:
    """A second site, besides the world's central office (the main site)."""
    return await make_site("Servicepunt Noord", kind="satellite")


def opened_on(site: Site) -> str:
    """How the list shows the site it is of: chosen in the site field."""
    return f'<option value="{site.id}" selected>'


# --- what a receptionist may do -----------------------------------------------------------


async def test_a_receptionist_sees_the_visitors_of_the_day(
    client: Client,
    db: AsyncSession,
    login_as: LoginAs,
    make_booking: MakeBooking,
    receptionist: Person,
) -> None:
    booking = await make_booking(start=at(TODAY, 11), end=at(TODAY, 12))
    await add_visitor(db, booking, "Jan Jansen", "GGD")
    await login_as(receptionist)

    page = await client.get("/visitors/today")

    assert (page.status_code, "Jan Jansen" in page.text) == (200, True)


async def test_a_receptionist_marks_a_visitor_arrived(
    client: Client,
    db: AsyncSession,
    login_as: LoginAs,
    make_booking: MakeBooking,
    receptionist: Person,
) -> None:
    visitor = await add_visitor(db, await make_booking(start=at(TODAY, 10)), "Jan Jansen")
    headers = await login_as(receptionist)

    await client.post(f"/visitors/{visitor.id}/arrived", data={"_csrf": headers["X-CSRF-Token"]})

    assert [v.arrived_at for v in await visitors(db)] == [at(TODAY, 10)]


async def test_a_receptionist_lists_the_visitors_of_the_day_in_the_api(
    client: Client,
    db: AsyncSession,
    world: World,
    login_as: LoginAs,
    make_booking: MakeBooking,
    receptionist: Person,
) -> None:
    await add_visitor(db, await make_booking(start=at(TODAY, 11)), "Jan Jansen")
    await login_as(receptionist)

    response = await client.get(
        "/api/visitors", params={"site": world.site.id, "date": TODAY.isoformat()}
    )

    assert [v["name"] for v in response.json()] == ["Jan Jansen"]


async def test_a_receptionist_marks_a_visitor_arrived_in_the_api(
    client: Client,
    db: AsyncSession,
    login_as: LoginAs,
    make_booking: MakeBooking,
    receptionist: Person,
) -> None:
    visitor = await add_visitor(db, await make_booking(start=at(TODAY, 10)), "Jan Jansen")
    await login_as(receptionist)

    response = await client.post(f"/api/visitors/{visitor.id}/arrived")

    assert (response.status_code, response.json()["arrived_at"] is not None) == (200, True)


# --- what a receptionist may not do -------------------------------------------------------


async def test_a_receptionist_cannot_open_the_booking_approvals(
    client: Client, world: World, login_as: LoginAs, receptionist: Person
) -> None:
    await login_as(receptionist)

    page = await client.get("/bookings/approvals")

    assert page.status_code == 403


async def test_a_receptionist_cannot_open_a_sites_edit_page(
    client: Client, world: World, login_as: LoginAs, receptionist: Person
) -> None:
    await login_as(receptionist)

    page = await client.get(f"/admin/sites/{world.site.id}/edit")

    assert page.status_code == 403


async def test_a_receptionist_cannot_expect_a_visitor_at_someone_elses_booking(
    client: Client,
    db: AsyncSession,
    login_as: LoginAs,
    make_booking: MakeBooking,
    receptionist: Person,
) -> None:
    booking = await make_booking()
    await login_as(receptionist)

    response = await client.post(
        f"/api/bookings/{booking.id}/visitors", json={"name": "Jan Jansen"}
    )

    assert (response.status_code, await visitors(db)) == (404, [])


async def test_an_employee_is_refused_the_visitors_of_the_day_in_the_api(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/api/visitors", params={"site": world.site.id, "date": TODAY.isoformat()}
    )

    assert response.status_code == 403


# --- the site the list opens on -----------------------------------------------------------


async def test_the_list_opens_on_the_site_where_the_receptionist_works_today(
    client: Client,
    world: World,
    satellite: Site,
    login_as: LoginAs,
    set_entry: SetEntry,  # noqa: F811
    receptionist: Person,
) -> None:
    await set_entry(receptionist, TODAY, "morning", "office", site=satellite)
    await login_as(receptionist)

    page = await client.get("/visitors/today")

    assert opened_on(satellite) in page.text


async def test_the_list_opens_on_the_site_of_the_receptionists_desk_booking_today(
    client: Client,
    world: World,
    satellite: Site,
    login_as: LoginAs,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    receptionist: Person,
) -> None:
    desk = await make_space(satellite, "Balie 1")
    await make_booking(desk, holder=receptionist, start=at(TODAY, 8), end=at(TODAY, 17))
    await login_as(receptionist)

    page = await client.get("/visitors/today")

    assert opened_on(satellite) in page.text


async def test_the_list_opens_on_the_site_of_the_receptionists_usual_week(
    client: Client,
    world: World,
    satellite: Site,
    login_as: LoginAs,
    set_pattern: SetPattern,  # noqa: F811
    receptionist: Person,
) -> None:
    await set_pattern(receptionist, TODAY.weekday(), "office", site=satellite)
    await login_as(receptionist)

    page = await client.get("/visitors/today")

    assert opened_on(satellite) in page.text


async def test_at_home_this_morning_the_list_opens_on_the_site_of_the_afternoon(
    client: Client,
    world: World,
    satellite: Site,
    login_as: LoginAs,
    set_entry: SetEntry,  # noqa: F811
    receptionist: Person,
) -> None:
    await set_entry(receptionist, TODAY, "morning", "home")
    await set_entry(receptionist, TODAY, "afternoon", "office", site=satellite)
    await login_as(receptionist)

    page = await client.get("/visitors/today")

    assert opened_on(satellite) in page.text


async def test_the_list_opens_on_the_site_of_the_half_day_now(
    client: Client,
    world: World,
    satellite: Site,
    login_as: LoginAs,
    set_entry: SetEntry,  # noqa: F811
    receptionist: Person,
) -> None:
    await set_entry(receptionist, TODAY, "morning", "office", site=satellite)
    await set_entry(receptionist, TODAY, "afternoon", "office", site=world.site)
    await login_as(receptionist)

    page = await client.get("/visitors/today")

    assert opened_on(satellite) in page.text


async def test_working_from_home_today_the_list_opens_on_the_site_of_the_usual_week(
    client: Client,
    world: World,
    satellite: Site,
    login_as: LoginAs,
    set_entry: SetEntry,  # noqa: F811
    set_pattern: SetPattern,  # noqa: F811
    receptionist: Person,
) -> None:
    await set_pattern(receptionist, TODAY.weekday(), "office", site=satellite)
    for part in ("morning", "afternoon"):
        await set_entry(receptionist, TODAY, part, "home")
    await login_as(receptionist)

    page = await client.get("/visitors/today")

    assert opened_on(satellite) in page.text


async def test_without_a_site_of_work_today_the_list_opens_on_the_main_site(
    client: Client, world: World, satellite: Site, login_as: LoginAs, receptionist: Person
) -> None:
    await login_as(receptionist)

    page = await client.get("/visitors/today")

    assert opened_on(world.site) in page.text


async def test_a_receptionist_may_still_choose_another_site(
    client: Client,
    world: World,
    satellite: Site,
    login_as: LoginAs,
    set_entry: SetEntry,  # noqa: F811
    receptionist: Person,
) -> None:
    await set_entry(receptionist, TODAY, "morning", "office", site=satellite)
    await login_as(receptionist)

    page = await client.get("/visitors/today", params={"site": world.site.id})

    assert opened_on(world.site) in page.text


async def test_facilities_open_the_list_on_the_site_where_they_work_today_too(
    client: Client,
    world: World,
    satellite: Site,
    login_as: LoginAs,
    set_entry: SetEntry,  # noqa: F811
    facilities: Person,
) -> None:
    await set_entry(facilities, TODAY, "morning", "office", site=satellite)
    await login_as(facilities)

    page = await client.get("/visitors/today")

    assert opened_on(satellite) in page.text


async def test_a_receptionist_without_sites_is_told_facilities_add_them(
    client: Client, login_as: LoginAs, receptionist: Person
) -> None:
    await login_as(receptionist)

    page = await client.get("/visitors/today")

    assert "Er zijn nog geen locaties: die voegt Facilitair toe." in page.text
