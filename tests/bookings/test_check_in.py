"""Checking in says one is at the space, so only the holder (whom the booking is for) can."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import TODAY, Run, World, actor, all_bookings, at, desk_booking
from tests.conftest import LoginAs, MakePerson, MakeTeam
from werkplek.bookings import services
from werkplek.bookings.services import BookingRuleBroken
from werkplek.clock import FixedClock
from werkplek.errors import Forbidden
from werkplek.people.models import Person

Client = AsyncTestClient[Litestar]


async def _booked_by(world: World, run: Run, clock: FixedClock, booker: Person) -> int:
    """A desk for Anna this morning, booked by ``booker``; the clock at 08:00."""
    clock.set(at(TODAY, 7))
    made = await run(
        services.create_booking,
        clock,
        actor(booker),
        desk_booking(world.desk, TODAY, booked_for_id=world.anna.id),
    )
    clock.set(at(TODAY, 8))
    booking_id: int = made.created[0].id
    return booking_id


async def test_whoever_booked_for_a_colleague_cannot_check_in_for_them(
    world: World, run: Run, clock: FixedClock, karim: Person
) -> None:
    booking_id = await _booked_by(world, run, clock, karim)

    with pytest.raises(Forbidden) as refused:
        await run(services.check_in, clock, actor(karim), booking_id)

    assert (refused.value.code, refused.value.field) == ("not_the_holder", "booking")


async def test_a_team_lead_cannot_check_in_a_team_members_booking(
    world: World, run: Run, clock: FixedClock, make_person: MakePerson, make_team: MakeTeam
) -> None:
    team = await make_team("Burgerzaken")
    lead = await make_person("Lotte", lead_of=(team,))
    anna = await make_person("Anna", teams=(team,))
    made = await run(
        services.create_booking, clock, actor(anna), desk_booking(world.desk, TODAY, "afternoon")
    )
    clock.set(at(TODAY, 13))

    with pytest.raises(Forbidden):
        await run(services.check_in, clock, actor(lead), made.created[0].id)


async def test_a_refused_check_in_leaves_the_booking_unchecked(
    world: World, run: Run, clock: FixedClock, karim: Person, db: AsyncSession
) -> None:
    booking_id = await _booked_by(world, run, clock, karim)

    with pytest.raises(Forbidden):
        await run(services.check_in, clock, actor(karim), booking_id)

    (booking,) = await all_bookings(db)
    assert (booking.status, booking.checked_in_at) == ("confirmed", None)


async def test_the_holder_checks_in_on_a_booking_made_for_them(
    world: World, run: Run, clock: FixedClock, karim: Person
) -> None:
    booking_id = await _booked_by(world, run, clock, karim)

    booking = await run(services.check_in, clock, actor(world.anna), booking_id)

    assert booking.status == "checked_in"


async def test_the_api_refuses_someone_elses_check_in_with_403_saying_why(
    client: Client, world: World, login_as: LoginAs, run: Run, clock: FixedClock, karim: Person
) -> None:
    booking_id = await _booked_by(world, run, clock, karim)
    await login_as(karim)

    response = await client.post(f"/api/bookings/{booking_id}/check-in")

    assert response.status_code == 403
    assert response.json() == {
        "error": "not_the_holder",
        "message": "Alleen degene voor wie de reservering is, kan inchecken.",
        "field": "booking",
    }


async def test_my_bookings_offers_no_check_in_on_a_booking_made_for_a_colleague(
    client: Client, world: World, login_as: LoginAs, run: Run, clock: FixedClock, karim: Person
) -> None:
    booking_id = await _booked_by(world, run, clock, karim)
    await login_as(karim)

    response = await client.get("/bookings")

    assert f'action="/bookings/{booking_id}/cancel"' in response.text
    assert f'action="/bookings/{booking_id}/check-in"' not in response.text


async def test_checking_in_for_a_colleague_from_a_page_says_why_not(
    client: Client, world: World, login_as: LoginAs, run: Run, clock: FixedClock, karim: Person
) -> None:
    booking_id = await _booked_by(world, run, clock, karim)
    await login_as(karim)

    response = await client.post(f"/bookings/{booking_id}/check-in", headers={"HX-Request": "true"})

    assert response.status_code == 403
    assert "Alleen degene voor wie de reservering is, kan inchecken." in response.text


async def test_the_qr_page_checks_in_the_holder_of_a_booking_made_for_them(
    client: Client,
    world: World,
    login_as: LoginAs,
    run: Run,
    clock: FixedClock,
    karim: Person,
    db: AsyncSession,
) -> None:
    await _booked_by(world, run, clock, karim)
    headers = await login_as(world.anna)

    await client.post(f"/check-in/{world.desk.id}", data={"_csrf": headers["X-CSRF-Token"]})

    (booking,) = await all_bookings(db)
    assert booking.status == "checked_in"


async def test_the_qr_page_offers_no_check_in_to_whoever_booked_for_a_colleague(
    client: Client, world: World, login_as: LoginAs, run: Run, clock: FixedClock, karim: Person
) -> None:
    await _booked_by(world, run, clock, karim)
    await login_as(karim)

    response = await client.get(f"/check-in/{world.desk.id}")

    assert "U hebt op dit moment geen reservering voor deze werkplek." in response.text


async def test_too_early_a_check_in_names_the_time_in_the_sites_zone(
    world: World, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    world.site.timezone = "Europe/Lisbon"  # an hour behind Amsterdam
    await db.commit()
    made = await run(services.create_booking, clock, actor(world.anna), desk_booking(world.desk))

    with pytest.raises(BookingRuleBroken) as refused:
        await run(services.check_in, clock, actor(world.anna), made.created[0].id)

    assert refused.value.message == "U kunt inchecken vanaf 07:00."


async def test_a_check_in_refused_for_want_of_a_booking_says_so_once(
    client: Client, world: World, login_as: LoginAs
) -> None:
    headers = await login_as(world.anna)

    response = await client.post(
        f"/check-in/{world.desk.id}", data={"_csrf": headers["X-CSRF-Token"]}
    )

    assert response.text.count("U hebt op dit moment geen reservering voor deze werkplek.") == 1
