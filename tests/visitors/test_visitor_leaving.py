"""Reception marks a visitor who arrived as gone ("Vertrokken"), so that an evacuation's
roll call lists only the visitors still in the building.

The clock stands at Wednesday 25 November 2026, 10:00 in Amsterdam."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import TODAY, World, at
from tests.conftest import LoginAs, MakePerson
from tests.visitors.conftest import MakeBooking, add_visitor, visitors
from werkplek.people.models import Person, Role
from werkplek.visitors.models import BookingVisitor

Client = AsyncTestClient[Litestar]


async def _arrived(db: AsyncSession, make_booking: MakeBooking) -> BookingVisitor:
    """Jan, who came to Anna's meeting from 10:00 today and arrived at 9:55."""
    visitor = await add_visitor(db, await make_booking(start=at(TODAY, 10)), "Jan Jansen")
    visitor.arrived_at = at(TODAY, 9, 55)
    await db.commit()
    return visitor


async def test_reception_marks_a_visitor_gone(
    client: Client,
    db: AsyncSession,
    login_as: LoginAs,
    make_booking: MakeBooking,
    receptionist: Person,
) -> None:
    visitor = await _arrived(db, make_booking)
    await login_as(receptionist)

    await client.post(f"/api/visitors/{visitor.id}/left")

    assert [v.left_at for v in await visitors(db)] == [at(TODAY, 10)]


async def test_marking_a_visitor_gone_again_keeps_the_first_time(
    client: Client,
    db: AsyncSession,
    login_as: LoginAs,
    make_booking: MakeBooking,
    receptionist: Person,
) -> None:
    visitor = await _arrived(db, make_booking)
    visitor.left_at = at(TODAY, 9, 58)
    await db.commit()
    await login_as(receptionist)

    response = await client.post(f"/api/visitors/{visitor.id}/left")

    assert response.json()["left_at"] == at(TODAY, 9, 58).isoformat().replace("+00:00", "Z")


async def test_a_visitor_who_has_not_arrived_cannot_leave(
    client: Client,
    db: AsyncSession,
    login_as: LoginAs,
    make_booking: MakeBooking,
    receptionist: Person,
) -> None:
    visitor = await add_visitor(db, await make_booking(start=at(TODAY, 10)), "Jan Jansen")
    await login_as(receptionist)

    response = await client.post(f"/api/visitors/{visitor.id}/left")

    assert (response.status_code, response.json()["error"]) == (409, "visitor_not_arrived")


async def test_a_colleague_cannot_mark_a_visitor_gone(
    client: Client, db: AsyncSession, world: World, login_as: LoginAs, make_booking: MakeBooking
) -> None:
    visitor = await _arrived(db, make_booking)
    await login_as(world.anna)

    response = await client.post(f"/api/visitors/{visitor.id}/left")

    assert response.status_code == 403


async def test_the_row_of_a_visitor_who_arrived_offers_to_mark_them_gone(
    client: Client,
    db: AsyncSession,
    world: World,
    login_as: LoginAs,
    make_booking: MakeBooking,
    receptionist: Person,
) -> None:
    visitor = await _arrived(db, make_booking)
    await login_as(receptionist)

    page = await client.get("/visitors/today", params={"site": world.site.id})

    assert f'action="/visitors/{visitor.id}/left"' in page.text


async def test_the_page_button_marks_the_visitor_gone_and_shows_when(
    client: Client,
    db: AsyncSession,
    login_as: LoginAs,
    make_booking: MakeBooking,
    receptionist: Person,
) -> None:
    visitor = await _arrived(db, make_booking)
    headers = await login_as(receptionist)

    row = await client.post(
        f"/visitors/{visitor.id}/left",
        data={"_csrf": headers["X-CSRF-Token"]},
        headers={"HX-Request": "true"},
    )

    assert "Vertrokken om 10:00" in row.text


async def test_an_evacuation_roll_call_leaves_out_a_visitor_who_left(
    client: Client,
    db: AsyncSession,
    world: World,
    login_as: LoginAs,
    make_person: MakePerson,
    make_booking: MakeBooking,
) -> None:
    visitor = await _arrived(db, make_booking)
    visitor.left_at = at(TODAY, 9, 58)
    await db.commit()
    await login_as(await make_person("Bert BHV", roles=(Role.EMERGENCY,)))

    response = await client.post(f"/api/sites/{world.site.id}/roll-calls")

    assert "Jan Jansen" not in [entry["name"] for entry in response.json()["entries"]]
