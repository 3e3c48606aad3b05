"""Who may book for whom, and who may see or change which bookings."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import TOMORROW, Book, World, count_bookings, desk_booking
from tests.conftest import LoginAs, MakePerson, MakeTeam
from werkplek.people.models import Role

Client = AsyncTestClient[Litestar]


def desk_for(world: World, person_id: int) -> dict[str, object]:
    return {
        "space_id": world.desk.id,
        "date": TOMORROW.isoformat(),
        "day_part": "morning",
        "booked_for_id": person_id,
    }


# --- booking for someone else -------------------------------------------------------------


async def test_an_employee_cannot_book_for_a_colleague(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson, db: AsyncSession
) -> None:
    bram = await make_person("Bram")
    await login_as(world.anna)

    response = await client.post("/api/bookings", json=desk_for(world, bram.id))

    assert response.status_code == 403
    assert (response.json()["error"], response.json()["field"]) == (
        "not_allowed_to_book_for",
        "booked_for_id",
    )
    assert await count_bookings(db) == 0


async def test_a_team_lead_books_for_a_team_member(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson, make_team: MakeTeam
) -> None:
    team = await make_team("Burgerzaken")
    member = await make_person("Bram", teams=(team,))
    await login_as(await make_person("Lotte", roles=(Role.TEAMLEAD,), lead_of=(team,)))

    response = await client.post("/api/bookings", json=desk_for(world, member.id))

    assert response.status_code == 201
    booking = response.json()["bookings"][0]
    assert (booking["booked_for_name"], booking["booked_by_name"]) == ("Bram", "Lotte")


async def test_a_team_lead_cannot_book_for_someone_outside_the_team(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson, make_team: MakeTeam
) -> None:
    team = await make_team("Burgerzaken")
    await login_as(await make_person("Lotte", roles=(Role.TEAMLEAD,), lead_of=(team,)))

    response = await client.post("/api/bookings", json=desk_for(world, world.anna.id))

    assert response.status_code == 403


async def test_the_kcc_books_for_anyone(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson
) -> None:
    await login_as(await make_person("Karim", roles=(Role.KCC,)))

    response = await client.post("/api/bookings", json=desk_for(world, world.anna.id))

    assert response.status_code == 201


async def test_facilities_book_for_anyone(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson
) -> None:
    await login_as(await make_person("Fenna", roles=(Role.FACILITIES,)))

    response = await client.post("/api/bookings", json=desk_for(world, world.anna.id))

    assert response.status_code == 201


async def test_booking_for_an_unknown_colleague_is_422(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson
) -> None:
    await login_as(await make_person("Karim", roles=(Role.KCC,)))

    response = await client.post("/api/bookings", json=desk_for(world, 99999))

    assert (response.status_code, response.json()["error"]) == (422, "unknown_person")


async def test_a_colleague_who_already_has_a_desk_is_told_apart_from_oneself(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk2))
    await login_as(await make_person("Karim", roles=(Role.KCC,)))

    response = await client.post("/api/bookings", json=desk_for(world, world.anna.id))

    assert response.status_code == 422
    assert (response.json()["error"], response.json()["field"]) == (
        "already_has_desk",
        "booked_for_id",
    )


# --- seeing bookings ----------------------------------------------------------------------


async def test_someone_elses_booking_is_404_for_an_employee(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson, book: Book
) -> None:
    made = await book(world.anna, desk_booking(world.desk))
    await login_as(await make_person("Bram"))

    response = await client.get(f"/api/bookings/{made.created[0].id}")

    assert response.status_code == 404


async def test_a_team_lead_sees_a_team_members_booking(
    client: Client,
    world: World,
    login_as: LoginAs,
    make_person: MakePerson,
    make_team: MakeTeam,
    book: Book,
) -> None:
    team = await make_team("Burgerzaken")
    member = await make_person("Bram", teams=(team,))
    made = await book(member, desk_booking(world.desk))
    await login_as(await make_person("Lotte", lead_of=(team,)))

    response = await client.get(f"/api/bookings/{made.created[0].id}")

    assert response.status_code == 200


async def test_facilities_see_any_booking(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson, book: Book
) -> None:
    made = await book(world.anna, desk_booking(world.desk))
    await login_as(await make_person("Fenna", roles=(Role.FACILITIES,)))

    response = await client.get(f"/api/bookings/{made.created[0].id}")

    assert response.status_code == 200


async def test_an_employee_listing_a_site_sees_only_their_own_bookings(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson, book: Book
) -> None:
    bram = await make_person("Bram")
    await book(world.anna, desk_booking(world.desk))
    await book(bram, desk_booking(world.desk2))
    await login_as(bram)

    response = await client.get("/api/bookings", params={"site": world.site.id})

    assert [b["booked_for_name"] for b in response.json()] == ["Bram"]


async def test_facilities_list_every_booking_of_a_site(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson, book: Book
) -> None:
    bram = await make_person("Bram")
    await book(world.anna, desk_booking(world.desk))
    await book(bram, desk_booking(world.desk2))
    await login_as(await make_person("Fenna", roles=(Role.FACILITIES,)))

    response = await client.get("/api/bookings", params={"site": world.site.id})

    assert sorted(b["booked_for_name"] for b in response.json()) == ["Anna de Vries", "Bram"]


async def test_an_employee_cannot_list_a_colleagues_bookings(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson
) -> None:
    await login_as(await make_person("Bram"))

    response = await client.get("/api/bookings", params={"person": world.anna.id})

    assert (response.status_code, response.json()["field"]) == (403, "person")


async def test_a_team_lead_lists_a_team_members_bookings(
    client: Client,
    world: World,
    login_as: LoginAs,
    make_person: MakePerson,
    make_team: MakeTeam,
    book: Book,
) -> None:
    team = await make_team("Burgerzaken")
    member = await make_person("Bram", teams=(team,))
    await book(member, desk_booking(world.desk))
    await login_as(await make_person("Lotte", lead_of=(team,)))

    response = await client.get("/api/bookings", params={"person": member.id})

    assert [b["booked_for_name"] for b in response.json()] == ["Bram"]


# --- changing bookings --------------------------------------------------------------------


async def test_an_employee_cannot_cancel_someone_elses_booking(
    client: Client,
    world: World,
    login_as: LoginAs,
    make_person: MakePerson,
    db: AsyncSession,
    book: Book,
) -> None:
    made = await book(world.anna, desk_booking(world.desk))
    await login_as(await make_person("Bram"))

    response = await client.delete(f"/api/bookings/{made.created[0].id}")

    assert response.status_code == 404
    assert await count_bookings(db, status="confirmed") == 1


async def test_whoever_booked_for_a_colleague_may_cancel_it(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson, book: Book
) -> None:
    karim = await make_person("Karim", roles=(Role.KCC,))
    made = await book(karim, desk_booking(world.desk, booked_for_id=world.anna.id))
    await login_as(karim)

    response = await client.delete(f"/api/bookings/{made.created[0].id}")

    assert response.status_code == 204


async def test_an_employee_cannot_approve(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    made = await book(world.anna, desk_booking(world.desk))
    await login_as(world.anna)

    response = await client.post(f"/api/bookings/{made.created[0].id}/approve")

    assert response.status_code == 403
