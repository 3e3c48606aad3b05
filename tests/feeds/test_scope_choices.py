"""What the "Subscribe to calendar" form offers at a municipality's scale: admins choose
a colleague in a select of people of its own, and single spaces are rooms, not desks."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import LoginAs, MakePerson, MakeSite, MakeSpace
from werkplek.people.models import Person, Role

Client = AsyncTestClient[Litestar]


async def admin_and_bert(make_person: MakePerson) -> tuple[Person, Person]:
    return await make_person("Beheerder", roles=(Role.ADMIN,)), await make_person("Bert")


async def test_an_admin_chooses_a_colleague_in_a_select_of_people(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    admin, bert = await admin_and_bert(make_person)
    await login_as(admin)

    page = (await client.get("/feeds")).text

    assert '<option value="colleague" >De collega die u hieronder kiest</option>' in page
    assert '<select id="colleague_id" name="colleague_id"' in page
    assert f'<option value="{bert.id}">Bert</option>' in page


async def test_others_are_offered_no_colleague(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Bert")
    await login_as(await make_person("Anna"))

    page = (await client.get("/feeds")).text

    assert 'value="colleague"' not in page
    assert 'id="colleague_id"' not in page


async def test_an_admin_subscribes_to_the_colleague_chosen_in_the_select_of_people(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    admin, bert = await admin_and_bert(make_person)
    csrf = await login_as(admin)

    response = await client.post(
        "/feeds",
        data={"_csrf": csrf["X-CSRF-Token"], "scope": "colleague", "colleague_id": str(bert.id)},
    )

    assert response.status_code == 200
    assert "Uw abonnementslink voor Bert" in response.text


async def test_choosing_a_colleague_without_naming_one_is_refused_at_the_select_of_people(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    admin, _bert = await admin_and_bert(make_person)
    csrf = await login_as(admin)

    response = await client.post(
        "/feeds", data={"_csrf": csrf["X-CSRF-Token"], "scope": "colleague", "colleague_id": ""}
    )

    assert response.status_code == 422
    assert '<p class="field-error" id="colleague_id-error">Kies een collega.</p>' in " ".join(
        response.text.split()
    )


async def test_a_colleague_in_the_address_is_chosen_in_the_select_of_people(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    admin, bert = await admin_and_bert(make_person)
    await login_as(admin)

    page = (await client.get("/feeds", params={"scope": f"person:{bert.id}"})).text

    assert '<option value="colleague" selected>' in page
    assert f'<option value="{bert.id}" selected>Bert</option>' in page


async def test_single_spaces_offered_are_rooms_not_desks(
    client: Client, employee: dict[str, str], make_site: MakeSite, make_space: MakeSpace
) -> None:
    site = await make_site()
    room = await make_space(site, "Overleg 1", kind="meeting_room")
    desk = await make_space(site, "Flexplek 1")

    page = (await client.get("/feeds")).text

    assert f'value="space:{room.id}"' in page
    assert f'value="space:{desk.id}"' not in page
