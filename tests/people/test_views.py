"""People pages: the profile with API tokens, and the people and teams admin."""

from __future__ import annotations

import re

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson, MakeTeam
from tests.people.helpers import field_marked_invalid
from tests.stacked_tables import assert_stacks_on_phone
from werkplek.audit.models import AuditEvent
from werkplek.clock import FixedClock
from werkplek.people.models import ApiToken, Person, PersonTopic, Role, Team

Client = AsyncTestClient[Litestar]
HTMX = {"HX-Request": "true"}


async def _reload(db: AsyncSession, person: Person) -> Person:
    await db.rollback()
    fresh = await db.get(Person, person.id, populate_existing=True)
    assert fresh is not None
    await db.refresh(fresh, ["roles", "memberships", "topics"])
    return fresh


# --- profile ------------------------------------------------------------------------------


async def test_the_profile_shows_my_contact_details(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna", phone="020 555 0101"))

    response = await client.get("/profile")

    assert response.status_code == 200
    assert "Mijn profiel" in response.text
    assert 'value="020 555 0101"' in response.text


async def test_i_save_my_contact_details_on_the_profile(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person("Anna")
    headers = await login_as(anna)

    response = await client.post(
        "/profile",
        data={
            "_csrf": headers["X-CSRF-Token"],
            "phone": "020 555 0101",
            "mobile": "06 1234 5678",
            "chat_handle": "",
            "language": "nl",
            "hide_desk": "on",
        },
    )

    stored = await _reload(db, anna)
    assert response.status_code == 200
    assert "Opgeslagen." in response.text
    assert (stored.phone, stored.mobile, stored.chat_handle, stored.hide_desk) == (
        "020 555 0101",
        "06 1234 5678",
        None,
        True,
    )


async def test_an_invalid_phone_number_is_422_with_the_field_marked(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person("Anna", phone="020 555 0101")
    headers = await login_as(anna)

    response = await client.post(
        "/profile",
        data={"_csrf": headers["X-CSRF-Token"], "phone": "bel maar", "language": "nl"},
    )

    assert response.status_code == 422
    assert field_marked_invalid(response.text, "phone")
    assert "Verbeter de gemarkeerde velden." in response.text
    assert (await _reload(db, anna)).phone == "020 555 0101"


async def test_a_phone_number_with_letters_is_told_what_a_phone_number_may_hold(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    headers = await login_as(await make_person("Anna"))

    response = await client.post(
        "/profile",
        data={"_csrf": headers["X-CSRF-Token"], "phone": "bel maar", "language": "nl"},
    )

    assert "Vul een telefoonnummer in: cijfers, spaties en + ( ) -" in response.text


async def test_the_profile_changes_nothing_it_does_not_offer_not_even_for_an_admin(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Other admin", roles=(Role.ADMIN,))
    ada = await make_person("Ada", roles=(Role.ADMIN,))
    headers = await login_as(ada)

    await client.post(
        "/profile",
        data={"_csrf": headers["X-CSRF-Token"], "language": "nl", "active": "false", "roles": ""},
    )

    stored = await _reload(db, ada)
    assert (stored.active, stored.role_set) == (True, {Role.ADMIN})


async def test_a_refused_profile_shows_again_what_i_typed(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    headers = await login_as(await make_person("Anna", phone="020 555 0101"))

    response = await client.post(
        "/profile",
        data={
            "_csrf": headers["X-CSRF-Token"],
            "phone": "bel maar",
            "chat_handle": "@anna.nieuw",
            "language": "nl",
        },
    )

    assert 'value="bel maar"' in response.text and 'value="@anna.nieuw"' in response.text


async def test_i_choose_my_usual_backup_on_the_profile(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    anna, bram = await make_person("Anna"), await make_person("Bram")
    headers = await login_as(anna)

    await client.post(
        "/profile",
        data={"_csrf": headers["X-CSRF-Token"], "backup_id": str(bram.id), "language": "nl"},
    )

    assert (await _reload(db, anna)).backup_id == bram.id


async def test_i_set_the_topics_the_kcc_finds_me_by_on_the_profile(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person("Anna")
    headers = await login_as(anna)

    await client.post(
        "/profile",
        data={"_csrf": headers["X-CSRF-Token"], "topics": "WMO, Paspoort, ", "language": "nl"},
    )

    assert [t.topic for t in (await _reload(db, anna)).topics] == ["paspoort", "wmo"]


async def test_the_profile_shows_my_topics(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(
        await make_person("Anna", topics=[PersonTopic(topic="paspoort"), PersonTopic(topic="wmo")])
    )

    response = await client.get("/profile")

    assert 'value="paspoort, wmo"' in response.text


async def test_a_topic_too_long_is_422_at_the_topics_field(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person("Anna", topics=[PersonTopic(topic="paspoort")])
    headers = await login_as(anna)

    response = await client.post(
        "/profile",
        data={"_csrf": headers["X-CSRF-Token"], "topics": "x" * 81, "language": "nl"},
    )

    assert response.status_code == 422
    assert field_marked_invalid(response.text, "topics")
    assert [t.topic for t in (await _reload(db, anna)).topics] == ["paspoort"]


async def test_a_topic_too_long_says_the_limit_holds_for_each_topic(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    headers = await login_as(await make_person("Anna"))

    response = await client.post(
        "/profile",
        data={"_csrf": headers["X-CSRF-Token"], "topics": "wmo, " + "x" * 81, "language": "nl"},
    )

    assert "Vul voor elk hoogstens 80 tekens in." in response.text


async def test_the_profile_shows_my_usual_backup_chosen(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    bram = await make_person("Bram")
    await login_as(await make_person("Anna", backup_id=bram.id))

    response = await client.get("/profile")

    assert f'<option value="{bram.id}" selected>' in response.text


async def test_emptying_the_usual_backup_on_the_profile_removes_it(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    bram = await make_person("Bram")
    anna = await make_person("Anna", backup_id=bram.id)
    headers = await login_as(anna)

    await client.post(
        "/profile", data={"_csrf": headers["X-CSRF-Token"], "backup_id": "", "language": "nl"}
    )

    assert (await _reload(db, anna)).backup_id is None


async def test_a_departed_colleague_as_usual_backup_is_refused_at_the_field(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    gone = await make_person("Gone", active=False)
    anna = await make_person("Anna")
    headers = await login_as(anna)

    response = await client.post(
        "/profile",
        data={"_csrf": headers["X-CSRF-Token"], "backup_id": str(gone.id), "language": "nl"},
    )

    assert response.status_code == 422
    assert field_marked_invalid(response.text, "backup_id")
    assert (await _reload(db, anna)).backup_id is None


async def test_a_token_made_on_the_profile_is_shown_once(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    headers = await login_as(await make_person("Anna"))

    created = await client.post(
        "/profile/tokens", data={"_csrf": headers["X-CSRF-Token"], "name": "Export"}
    )
    later = await client.get("/profile")

    await db.rollback()
    token = (await db.execute(select(ApiToken))).scalar_one()
    assert created.status_code == 200
    assert "Uw nieuwe token:" in created.text
    assert "Uw nieuwe token:" not in later.text
    assert "Export" in later.text
    assert token.read_only is False


async def test_a_token_is_revoked_from_the_profile(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    headers = await login_as(await make_person("Anna"))
    await client.post("/profile/tokens", data={"_csrf": headers["X-CSRF-Token"], "name": "Oud"})
    await db.rollback()
    token_id = (await db.execute(select(ApiToken.id))).scalar_one()

    response = await client.post(
        f"/profile/tokens/{token_id}/revoke",
        data={"_csrf": headers["X-CSRF-Token"]},
        follow_redirects=False,
    )

    await db.rollback()
    revoked = await db.get(ApiToken, token_id, populate_existing=True)
    assert response.headers["location"] == "/profile"
    assert revoked is not None
    assert revoked.revoked_at is not None


# --- people admin -------------------------------------------------------------------------


async def test_an_admin_sees_everyone_including_inactive_people(
    client: Client, make_person: MakePerson, make_team: MakeTeam, login_as: LoginAs
) -> None:
    wmo = await make_team("WMO")
    await make_person("Karin Visser", roles=(Role.KCC,), teams=(wmo,))
    await make_person("Oud Medewerker", active=False)
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.get("/admin/people")

    assert response.status_code == 200
    assert "Karin Visser" in response.text
    assert "KCC-medewerker" in response.text
    assert "Oud Medewerker" in response.text
    assert "Inactief" in response.text


async def test_the_people_table_stacks_on_a_phone_also_after_an_htmx_search(
    client: Client, make_person: MakePerson, make_team: MakeTeam, login_as: LoginAs
) -> None:
    await make_person("Karin Visser", roles=(Role.KCC,), teams=(await make_team("WMO"),))
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    page = (await client.get("/admin/people")).text
    rows = (await client.get("/admin/people", params={"q": "viss"}, headers=HTMX)).text

    table = assert_stacks_on_phone(page)
    assert table.headers == ["Naam", "E-mailadres", "Teams", "Rollen", "Status"]
    head = "".join(f"<th>{header}</th>" for header in table.headers)
    assert_stacks_on_phone(
        f'<table class="stack-on-phone"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
    )


async def test_the_htmx_search_returns_only_the_matching_rows(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Karin Visser")
    await make_person("Pieter de Boer")
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.get(
        "/admin/people", params={"q": "viss"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith("<tr>")
    assert "<html" not in response.text
    assert "Karin Visser" in response.text
    assert "Pieter de Boer" not in response.text


async def test_a_search_without_results_says_so(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.get(
        "/admin/people", params={"q": "xyz"}, headers={"HX-Request": "true"}
    )

    assert "Niemand gevonden." in response.text


async def _add_people(db: AsyncSession, clock: FixedClock, count: int) -> None:
    """``count`` active people named "Collega 0001" onwards, in one statement."""
    rows = [
        {
            "email": f"collega{n:04d}@example.nl",
            "name": f"Collega {n:04d}",
            "created_at": clock.now(),
            "language": "nl",
            "active": True,
            "hide_desk": False,
        }
        for n in range(1, count + 1)
    ]
    await db.execute(insert(Person), rows)
    await db.commit()


async def test_the_people_list_says_which_of_how_many_people_a_page_shows(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _add_people(db, clock, 1010)
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.get("/admin/people")

    assert "Medewerkers 1 tot en met 100 van 1.011." in response.text


async def test_the_next_page_of_the_people_list_shows_the_next_people(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _add_people(db, clock, 150)
    await login_as(await make_person("Zwaan", roles=(Role.ADMIN,)))

    response = await client.get("/admin/people", params={"offset": "100"})

    assert ("Collega 0101" in response.text, "Collega 0100" in response.text) == (True, False)


async def test_the_paging_links_of_the_people_list_keep_its_filters(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _add_people(db, clock, 150)
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.get(
        "/admin/people", params={"q": "collega", "role": "", "status": "active"}
    )

    assert 'href="/admin/people?q=collega&amp;status=active&amp;offset=100"' in response.text


async def _people_listed(client: Client, **params: str) -> list[str]:
    rows = (await client.get("/admin/people", params=params, headers=HTMX)).text
    return re.findall(r'<a href="/admin/people/\d+">([^<]+)</a>', rows)


async def test_the_people_list_filters_by_role(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Karin Visser", roles=(Role.KCC,))
    await make_person("Pieter de Boer")
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    assert await _people_listed(client, role="kcc") == ["Karin Visser"]


async def test_the_people_list_shows_only_deactivated_people_when_asked(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Oud Medewerker", active=False)
    await make_person("Pieter de Boer")
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    assert await _people_listed(client, status="inactive") == ["Oud Medewerker"]


async def test_the_people_list_shows_only_active_people_when_asked(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Oud Medewerker", active=False)
    await make_person("Pieter de Boer")
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    assert await _people_listed(client, status="active") == ["Beheerder", "Pieter de Boer"]


async def test_the_people_list_filters_by_team(
    client: Client, make_person: MakePerson, make_team: MakeTeam, login_as: LoginAs
) -> None:
    await make_person("Karin Visser", teams=(wmo := await make_team("WMO"),))
    await make_person("Pieter de Boer")
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    assert await _people_listed(client, team_id=str(wmo.id)) == ["Karin Visser"]


async def test_the_people_filter_form_keeps_what_was_chosen(
    client: Client, make_person: MakePerson, make_team: MakeTeam, login_as: LoginAs
) -> None:
    wmo = await make_team("WMO")
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))
    chosen = {"q": "viss", "team_id": str(wmo.id), "role": "kcc", "status": "inactive"}

    page = (await client.get("/admin/people", params=chosen)).text

    assert [
        'value="viss"' in page,
        f'<option value="{wmo.id}" selected>' in page,
        '<option value="kcc" selected>' in page,
        '<option value="inactive" selected>' in page,
    ] == [True, True, True, True]


async def test_an_unknown_role_in_the_people_filter_is_refused_at_the_role(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.get("/admin/people", params={"role": "wizard"})

    assert (response.status_code, field_marked_invalid(response.text, "role")) == (422, True)


async def test_the_person_form_keeps_a_backup_who_sorts_after_the_first_thousand(
    client: Client, db: AsyncSession, clock: FixedClock, make_person: MakePerson, login_as: LoginAs
) -> None:
    await _add_people(db, clock, 1000)
    zwaan = await make_person("Zwaan")
    anna = await make_person("Anna", backup_id=zwaan.id)
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.get(f"/admin/people/{anna.id}")

    assert f'<option value="{zwaan.id}" selected>Zwaan</option>' in response.text


async def test_an_employee_gets_403_on_the_people_admin(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna", roles=(Role.FACILITIES, Role.TEAMLEAD)))

    response = await client.get("/admin/people")

    assert response.status_code == 403


async def test_anonymous_visitors_of_the_people_admin_are_sent_to_log_in(client: Client) -> None:
    response = await client.get("/admin/people", follow_redirects=False)

    assert response.headers["location"] == "/login?next=/admin/people"


async def test_an_admin_creates_a_person_through_the_form(
    client: Client,
    db: AsyncSession,
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
) -> None:
    wmo = await make_team("WMO")
    headers = await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.post(
        "/admin/people/new",
        data={
            "_csrf": headers["X-CSRF-Token"],
            "name": "Karin Visser",
            "email": "karin@gemeente.nl",
            "phone": "",
            "mobile": "",
            "chat_handle": "",
            "topics": "Paspoort, rijbewijs",
            "roles": ["kcc"],
            "team_ids": [str(wmo.id)],
            "backup_id": "",
            "language": "nl",
            "active": "on",
            "password": "",
        },
        follow_redirects=False,
    )

    await db.rollback()
    karin = (
        await db.execute(select(Person).where(Person.email == "karin@gemeente.nl"))
    ).scalar_one()
    assert response.headers["location"] == f"/admin/people/{karin.id}?saved=1"
    assert karin.role_set == {Role.KCC}
    assert [m.team_id for m in karin.memberships] == [wmo.id]
    assert [t.topic for t in karin.topics] == ["paspoort", "rijbewijs"]
    assert karin.password_hash is None


async def test_a_bad_email_in_the_person_form_is_422_and_nothing_is_stored(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    headers = await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.post(
        "/admin/people/new",
        data={"_csrf": headers["X-CSRF-Token"], "name": "Karin", "email": "karin.gemeente.nl"},
    )

    await db.rollback()
    assert response.status_code == 422
    assert field_marked_invalid(response.text, "email")
    assert 'value="Karin"' in response.text  # what was typed is kept
    assert (await db.execute(select(func.count(Person.id)))).scalar_one() == 1


async def test_an_email_in_use_in_the_person_form_marks_the_email(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Karin", email="karin@gemeente.nl")
    headers = await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.post(
        "/admin/people/new",
        data={"_csrf": headers["X-CSRF-Token"], "name": "K", "email": "karin@gemeente.nl"},
    )

    assert response.status_code == 409
    assert field_marked_invalid(response.text, "email")
    assert "Dit e-mailadres is al in gebruik." in response.text


async def test_a_refused_person_form_shows_the_topics_as_typed(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    headers = await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.post(
        "/admin/people/new",
        data={
            "_csrf": headers["X-CSRF-Token"],
            "name": "Karin",
            "email": "karin.gemeente.nl",
            "topics": "paspoort, rijbewijs",
        },
    )

    assert 'value="paspoort, rijbewijs"' in response.text


async def test_the_edit_form_shows_the_person(
    client: Client, make_person: MakePerson, make_team: MakeTeam, login_as: LoginAs
) -> None:
    wmo = await make_team("WMO")
    pieter = await make_person("Pieter", roles=(Role.TEAMLEAD,), lead_of=(wmo,))
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.get(f"/admin/people/{pieter.id}")

    assert response.status_code == 200
    assert 'value="Pieter"' in response.text
    assert 'id="role-teamlead" name="roles" value="teamlead" checked' in response.text
    assert f'name="lead_team_ids" value="{wmo.id}" aria-label="Teamleider van WMO" checked' in (
        response.text
    )


async def test_the_person_form_offers_the_reception_role_in_dutch(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.get("/admin/people/new")

    assert '<label for="role-reception">Receptie</label>' in response.text


async def test_the_person_form_offers_the_emergency_role_as_bhv(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.get("/admin/people/new")

    assert '<label for="role-emergency">BHV</label>' in response.text


async def test_an_administrator_gives_someone_the_reception_role_on_their_form(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    roos = await make_person("Roos")
    headers = await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    await client.post(
        f"/admin/people/{roos.id}",
        data={
            "_csrf": headers["X-CSRF-Token"],
            "name": "Roos",
            "email": roos.email,
            "language": "nl",
            "active": "on",
            "roles": ["employee", "reception"],
        },
    )

    assert (await _reload(db, roos)).role_set == {Role.EMPLOYEE, Role.RECEPTION}


async def test_the_edit_form_lists_the_persons_teams_first(
    client: Client, make_person: MakePerson, make_team: MakeTeam, login_as: LoginAs
) -> None:
    await make_team("Archief")
    vergunningen = await make_team("Vergunningen")
    wmo = await make_team("WMO")
    pieter = await make_person("Pieter", teams=(wmo,), lead_of=(vergunningen,))
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    page = (await client.get(f"/admin/people/{pieter.id}")).text

    rows = [page.index(f'<tr><th scope="row">{name}</th>') for name in ("Vergunningen", "WMO")]
    assert max(rows) < page.index('<tr><th scope="row">Archief</th>')


async def test_an_admin_edits_a_person_through_the_form(
    client: Client,
    db: AsyncSession,
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
) -> None:
    wmo = await make_team("WMO")
    pieter = await make_person("Pieter")
    backup = await make_person("Bram")
    headers = await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.post(
        f"/admin/people/{pieter.id}",
        data={
            "_csrf": headers["X-CSRF-Token"],
            "name": "Pieter de Boer",
            "email": pieter.email,
            "phone": "020 555 0199",
            "mobile": "",
            "chat_handle": "",
            "topics": "WMO",
            "roles": ["teamlead", "kcc"],
            "team_ids": [str(wmo.id)],
            "lead_team_ids": [str(wmo.id)],
            "backup_id": str(backup.id),
            "language": "en",
            "active": "on",
        },
        follow_redirects=False,
    )

    stored = await _reload(db, pieter)
    assert response.headers["location"] == f"/admin/people/{pieter.id}?saved=1"
    assert (stored.name, stored.phone, stored.language, stored.backup_id) == (
        "Pieter de Boer",
        "020 555 0199",
        "en",
        backup.id,
    )
    assert stored.role_set == {Role.TEAMLEAD, Role.KCC}
    assert [(m.team_id, m.is_lead) for m in stored.memberships] == [(wmo.id, True)]


async def test_saving_the_form_never_deactivates_a_person(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    """Deactivating asks first, on a page of its own (tests/bookings/test_leavers.py)."""
    pieter = await make_person("Pieter")
    headers = await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    await client.post(
        f"/admin/people/{pieter.id}",
        data={"_csrf": headers["X-CSRF-Token"], "name": "Pieter", "email": pieter.email},
    )

    assert (await _reload(db, pieter)).active is True


async def test_ticking_active_again_on_the_form_reactivates_a_person(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    pieter = await make_person("Pieter", active=False)
    headers = await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    await client.post(
        f"/admin/people/{pieter.id}",
        data={"_csrf": headers["X-CSRF-Token"], "name": "Pieter", "email": pieter.email}
        | {"active": "on"},
    )

    assert (await _reload(db, pieter)).active is True


async def _person_events(db: AsyncSession, person: Person) -> list[AuditEvent]:
    await db.rollback()
    return list(
        (
            await db.execute(
                select(AuditEvent)
                .where(AuditEvent.object_type == "person", AuditEvent.object_id == str(person.id))
                .order_by(AuditEvent.id)
            )
        ).scalars()
    )


async def test_saving_a_person_without_changes_adds_nothing_to_the_audit_log(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    pieter = await make_person("Pieter")
    headers = await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    await client.post(
        f"/admin/people/{pieter.id}", data=_form_of(headers, pieter, roles=["employee"])
    )

    assert await _person_events(db, pieter) == []


async def test_the_audit_log_names_only_the_fields_a_save_changed(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    pieter = await make_person("Pieter")
    headers = await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    await client.post(
        f"/admin/people/{pieter.id}",
        data=_form_of(headers, pieter, roles=["employee"], phone="020 555 0199"),
    )

    (event,) = await _person_events(db, pieter)
    assert event.details["fields"] == ["phone"]


async def test_a_role_change_is_audited_with_the_roles_it_leaves(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    pieter = await make_person("Pieter")
    headers = await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    await client.post(
        f"/admin/people/{pieter.id}",
        data=_form_of(headers, pieter, roles=["employee", "admin"]),
    )

    (event,) = await _person_events(db, pieter)
    assert (event.details["fields"], event.details["roles"]) == (
        ["roles"],
        ["admin", "employee"],
    )


@pytest.mark.parametrize("active", [False, True], ids=["deactivated", "reactivated"])
async def test_a_deactivation_or_reactivation_is_audited_with_whether_they_are_active(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs, active: bool
) -> None:
    pieter = await make_person("Pieter", active=not active)
    headers = await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))
    if active:
        await client.post(
            f"/admin/people/{pieter.id}", data=_form_of(headers, pieter, roles=["employee"])
        )
    else:
        await client.post(
            f"/admin/people/{pieter.id}/deactivate", data={"_csrf": headers["X-CSRF-Token"]}
        )

    (event,) = await _person_events(db, pieter)
    assert (event.details["fields"], event.details["active"]) == (["active"], active)


async def test_a_bad_email_in_the_edit_form_is_422_and_nothing_changes(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    pieter = await make_person("Pieter")
    headers = await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.post(
        f"/admin/people/{pieter.id}",
        data={
            "_csrf": headers["X-CSRF-Token"],
            "name": "Pieter de Boer",
            "email": "geen adres",
            "active": "on",
        },
    )

    stored = await _reload(db, pieter)
    assert response.status_code == 422
    assert field_marked_invalid(response.text, "email")
    assert (stored.name, stored.email) == ("Pieter", pieter.email)


def _form_of(headers: dict[str, str], person: Person, **changes: object) -> dict[str, object]:
    """The form of an administrator ``person`` as it is submitted unchanged, with ``changes``."""
    return {
        "_csrf": headers["X-CSRF-Token"],
        "name": person.name,
        "email": person.email,
        "roles": ["admin"],
        "language": "nl",
        "active": "on",
        **changes,
    }


async def test_the_last_active_admin_unticking_their_admin_role_is_refused_at_the_roles(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    admin = await make_person("Beheerder", roles=(Role.ADMIN,))
    headers = await login_as(admin)

    response = await client.post(
        f"/admin/people/{admin.id}", data=_form_of(headers, admin, roles=["employee"])
    )

    assert response.status_code == 422
    assert 'id="roles-error">Dit is de laatste actieve beheerder' in response.text
    assert (await _reload(db, admin)).role_set == {Role.ADMIN}


async def test_an_unknown_lead_team_in_the_person_form_is_shown_at_the_teams(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    pieter = await make_person("Pieter")
    headers = await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))
    form = _form_of(headers, pieter, roles=["employee"], lead_team_ids=["424242"])

    response = await client.post(f"/admin/people/{pieter.id}", data=form)

    assert response.status_code == 422
    assert 'id="lead_team_ids-error">Onbekend team: 424242.' in response.text


# --- teams --------------------------------------------------------------------------------


async def test_the_teams_page_lists_teams_with_their_member_count(
    client: Client, make_person: MakePerson, make_team: MakeTeam, login_as: LoginAs
) -> None:
    wmo = await make_team("WMO")
    await make_person("Pieter", teams=(wmo,))
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.get("/admin/teams")

    assert response.status_code == 200
    assert (f'<a href="/admin/people?team_id={wmo.id}&amp;status=active">WMO</a>') in response.text
    assert '<td data-label="Omschrijving"></td><td data-label="Leden">1</td>' in response.text


async def test_the_teams_page_counts_only_the_active_members(
    client: Client, make_person: MakePerson, make_team: MakeTeam, login_as: LoginAs
) -> None:
    wmo = await make_team("WMO")
    await make_person("Pieter", teams=(wmo,))
    await make_person("Oud Medewerker", teams=(wmo,), active=False)
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.get("/admin/teams")

    assert '<td data-label="Leden">1</td>' in response.text


async def _teams_listed(client: Client, q: str) -> list[str]:
    page = (await client.get("/admin/teams", params={"q": q})).text
    return re.findall(r'<a href="/admin/people\?team_id=\d+&amp;status=active">([^<]+)</a>', page)


async def test_the_teams_page_finds_teams_by_part_of_their_name_whatever_the_case(
    client: Client, make_person: MakePerson, make_team: MakeTeam, login_as: LoginAs
) -> None:
    for name in ("Wijkteam Noord", "Wijkteam Zuid", "Burgerzaken"):
        await make_team(name)
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    assert await _teams_listed(client, "WIJK") == ["Wijkteam Noord", "Wijkteam Zuid"]


async def test_the_teams_search_keeps_what_was_typed(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    page = (await client.get("/admin/teams", params={"q": "wijk"})).text

    assert 'name="q" type="search" maxlength="100" value="wijk"' in page


async def test_a_teams_search_over_a_hundred_characters_is_422_at_the_search_field(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.get("/admin/teams", params={"q": "w" * 101})

    assert (response.status_code, field_marked_invalid(response.text, "q")) == (422, True)
    assert "Vul hoogstens 100 tekens in." in response.text


async def test_a_refused_teams_search_keeps_what_was_typed_and_shows_every_team(
    client: Client, make_person: MakePerson, make_team: MakeTeam, login_as: LoginAs
) -> None:
    await make_team("Burgerzaken")
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    page = (await client.get("/admin/teams", params={"q": "w" * 101})).text

    assert (f'value="{"w" * 101}"' in page, "Burgerzaken" in page) == (True, True)


async def test_a_teams_search_without_results_says_so(
    client: Client, make_person: MakePerson, make_team: MakeTeam, login_as: LoginAs
) -> None:
    await make_team("Burgerzaken")
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    page = (await client.get("/admin/teams", params={"q": "wijk"})).text

    assert "Geen team gevonden." in page


async def test_the_teams_table_stacks_on_a_phone(
    client: Client, make_person: MakePerson, make_team: MakeTeam, login_as: LoginAs
) -> None:
    await make_team("WMO")
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.get("/admin/teams")

    assert assert_stacks_on_phone(response.text).headers == ["Naam", "Omschrijving", "Leden"]


async def test_an_admin_adds_a_team_on_the_teams_page(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    headers = await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.post(
        "/admin/teams",
        data={"_csrf": headers["X-CSRF-Token"], "name": "Vergunningen", "description": "VTH"},
        follow_redirects=False,
    )

    await db.rollback()
    team = (await db.execute(select(Team))).scalar_one()
    assert response.headers["location"] == "/admin/teams?saved=1"
    assert (team.name, team.description) == ("Vergunningen", "VTH")


async def test_the_teams_page_says_a_team_added_was_saved(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    headers = await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.post(
        "/admin/teams", data={"_csrf": headers["X-CSRF-Token"], "name": "Vergunningen"}
    )

    assert '<p class="alert alert-success" role="status">Opgeslagen.</p>' in response.text


async def test_the_teams_page_is_marked_as_part_of_people_and_teams(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.get("/admin/teams")

    assert 'href="/admin/people" aria-current="page"' in response.text


async def test_a_team_name_in_use_marks_the_name(
    client: Client, make_person: MakePerson, make_team: MakeTeam, login_as: LoginAs
) -> None:
    await make_team("WMO")
    headers = await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.post(
        "/admin/teams", data={"_csrf": headers["X-CSRF-Token"], "name": "WMO"}
    )

    assert response.status_code == 409  # as renaming a team to a name in use is
    assert field_marked_invalid(response.text, "name")
    assert "Er bestaat al een team met deze naam." in response.text


async def test_an_admin_renames_a_team_and_changes_its_description_on_its_form(
    client: Client,
    db: AsyncSession,
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
) -> None:
    team = await make_team("Vergunnigen")
    headers = await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.post(
        f"/admin/teams/{team.id}",
        data={"_csrf": headers["X-CSRF-Token"], "name": "Vergunningen", "description": "VTH"},
        follow_redirects=False,
    )

    await db.rollback()
    stored = await db.get(Team, team.id, populate_existing=True)
    assert response.headers["location"] == "/admin/teams?saved=1"
    assert stored is not None and (stored.name, stored.description) == ("Vergunningen", "VTH")


async def test_the_team_form_shows_the_team_as_it_is(
    client: Client, make_person: MakePerson, make_team: MakeTeam, login_as: LoginAs
) -> None:
    team = await make_team("WMO")
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.get(f"/admin/teams/{team.id}")

    assert 'id="name" name="name" required maxlength="120" value="WMO"' in response.text


async def test_a_team_renamed_to_another_teams_name_is_refused_at_the_name(
    client: Client, make_person: MakePerson, make_team: MakeTeam, login_as: LoginAs
) -> None:
    await make_team("WMO")
    team = await make_team("Burgerzaken")
    headers = await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.post(
        f"/admin/teams/{team.id}", data={"_csrf": headers["X-CSRF-Token"], "name": "wmo"}
    )

    assert response.status_code == 409
    assert field_marked_invalid(response.text, "name")


async def test_an_unknown_team_form_is_404(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.get("/admin/teams/99999")

    assert response.status_code == 404


async def test_a_team_name_of_only_spaces_marks_the_name(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    headers = await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.post(
        "/admin/teams", data={"_csrf": headers["X-CSRF-Token"], "name": "   "}
    )

    assert response.status_code == 422
    assert field_marked_invalid(response.text, "name")
    await db.rollback()
    assert (await db.execute(select(func.count(Team.id)))).scalar_one() == 0


async def test_a_team_description_too_long_marks_the_description(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    headers = await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.post(
        "/admin/teams",
        data={"_csrf": headers["X-CSRF-Token"], "name": "Wmo", "description": "x" * 501},
    )

    assert (response.status_code, field_marked_invalid(response.text, "description")) == (
        422,
        True,
    )
