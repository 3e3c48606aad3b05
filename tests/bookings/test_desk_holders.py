"""Who holds a taken desk: named in the availability (so one can sit with one's team),
unless they hide their desk; one's own team is marked."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.bookings.conftest import TOMORROW, Book, World, desk_booking
from tests.conftest import LoginAs, MakePerson, MakeTeam
from werkplek.bookings.availability import TeammateDesk, teammates_seated
from werkplek.bookings.schemas import DeskHolderOut, DeskStatusOut
from werkplek.people.models import Role
from werkplek.rooms.models import SpaceKind
from werkplek.rooms.services import DayPart

Client = AsyncTestClient[Litestar]


async def _desk(client: Client, world: World, name: str = "Flexplek 1.01") -> dict[str, object]:
    response = await client.get(
        "/api/availability", params={"site": world.site.id, "date": TOMORROW.isoformat()}
    )
    assert response.status_code == 200
    return next(desk for desk in response.json()["desks"] if desk["name"] == name)


async def test_a_taken_desk_names_who_holds_it(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson, book: Book
) -> None:
    bram = await make_person("Bram de Vries")
    await book(bram, desk_booking(world.desk))
    await login_as(world.anna)

    desk = await _desk(client, world)

    assert desk["morning_holder"] == {
        "person_id": bram.id,
        "name": "Bram de Vries",
        "teammate": False,
    }


async def test_a_free_half_names_nobody(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson, book: Book
) -> None:
    await book(await make_person("Bram"), desk_booking(world.desk))  # the morning only
    await login_as(world.anna)

    desk = await _desk(client, world)

    assert desk["afternoon_holder"] is None


async def test_a_holder_in_a_team_of_ones_own_is_a_teammate(
    client: Client,
    world: World,
    login_as: LoginAs,
    make_person: MakePerson,
    make_team: MakeTeam,
    book: Book,
) -> None:
    team = await make_team("Burgerzaken")
    bram = await make_person("Bram", teams=(team,))
    await book(bram, desk_booking(world.desk))
    await login_as(await make_person("Cor", teams=(team,)))

    desk = await _desk(client, world)

    assert desk["morning_holder"]["teammate"] is True


async def test_a_holder_who_hides_their_desk_is_not_named(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson, book: Book
) -> None:
    await book(await make_person("Bram", hide_desk=True), desk_booking(world.desk))
    await login_as(world.anna)

    desk = await _desk(client, world)

    assert (desk["morning"], desk["morning_holder"]) == ("taken", None)


async def test_an_administrator_sees_who_holds_a_hidden_desk(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson, book: Book
) -> None:
    await book(await make_person("Bram", hide_desk=True), desk_booking(world.desk))
    await login_as(await make_person("Beheer", roles=(Role.ADMIN,)))

    desk = await _desk(client, world)

    assert desk["morning_holder"]["name"] == "Bram"


async def test_ones_own_desk_names_no_holder(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    await login_as(world.anna)

    desk = await _desk(client, world)

    assert (desk["morning"], desk["morning_holder"]) == ("yours", None)


async def test_the_desk_page_names_who_holds_a_taken_desk(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson, book: Book
) -> None:
    await book(await make_person("Bram de Vries"), desk_booking(world.desk))
    await login_as(world.anna)

    response = await client.get(
        "/book/desk", params={"site": world.site.id, "date": TOMORROW.isoformat()}
    )

    assert '<span class="desk-holder">Bram de Vries</span>' in response.text


async def test_the_desk_page_says_where_ones_team_sits(
    client: Client,
    world: World,
    login_as: LoginAs,
    make_person: MakePerson,
    make_team: MakeTeam,
    book: Book,
) -> None:
    team = await make_team("Burgerzaken")
    await book(await make_person("Bram", teams=(team,)), desk_booking(world.desk))
    await login_as(await make_person("Cor", teams=(team,)))

    response = await client.get(
        "/book/desk", params={"site": world.site.id, "date": TOMORROW.isoformat()}
    )

    assert (
        'Van uw team hier: Bram (<span class="nowrap">Flexplek 1.01</span>, ochtend).'
        in response.text
    )


def test_a_teammate_holding_a_desk_all_day_is_listed_once_for_the_whole_day() -> None:
    bram = DeskHolderOut(person_id=7, name="Bram", teammate=True)
    desk = DeskStatusOut(
        space_id=1,
        name="Flexplek 1.01",
        kind=SpaceKind.DESK,
        floor_id=None,
        zone_id=None,
        amenities=[],
        morning="taken",
        afternoon="taken",
        day="taken",
        morning_holder=bram,
        afternoon_holder=bram,
    )

    assert teammates_seated([desk]) == [TeammateDesk("Bram", "Flexplek 1.01", DayPart.DAY)]
