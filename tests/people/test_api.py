"""The people API: /api/me, /api/people and /api/teams."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson, MakeTeam
from werkplek.audit.models import AuditEvent
from werkplek.people.models import Person, Role, Team

Client = AsyncTestClient[Litestar]


# --- /api/me ------------------------------------------------------------------------------


async def test_me_describes_the_logged_in_person(
    client: Client, make_person: MakePerson, make_team: MakeTeam, login_as: LoginAs
) -> None:
    team = await make_team("Burgerzaken")
    anna = await make_person("Anna de Vries", roles=(Role.KCC,), lead_of=(team,))
    headers = await login_as(anna)

    response = await client.get("/api/me")

    assert response.status_code == 200
    body = response.json()
    assert body["person"]["email"] == anna.email
    assert body["person"]["roles"] == ["employee", "kcc"]
    assert body["person"]["teams"] == [{"id": team.id, "name": "Burgerzaken", "is_lead": True}]
    assert body["csrf_token"] == headers["X-CSRF-Token"]


async def test_me_without_logging_in_is_401(client: Client) -> None:
    response = await client.get("/api/me")

    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"


async def test_a_person_changes_their_own_phone_through_me(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person("Anna")
    await login_as(anna)

    response = await client.patch("/api/me", json={"phone": "+31 20 555 0101"})

    assert response.status_code == 200
    assert response.json()["phone"] == "+31 20 555 0101"
    await db.rollback()
    stored = await db.get(Person, anna.id, populate_existing=True)
    assert stored is not None
    assert stored.phone == "+31 20 555 0101"


# --- /api/people: reading -----------------------------------------------------------------


async def test_people_are_listed_by_name_without_inactive_people(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Zoë Jansen")
    await make_person("Bram Bakker")
    await make_person("Oud Medewerker", active=False)
    await login_as(await make_person("Anna"))

    response = await client.get("/api/people")

    assert response.status_code == 200
    assert [p["name"] for p in response.json()] == ["Anna", "Bram Bakker", "Zoë Jansen"]


async def test_a_former_colleague_is_not_found_by_id(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    former = await make_person("Oud Medewerker", active=False)
    await login_as(await make_person("Anna"))

    response = await client.get(f"/api/people/{former.id}")

    assert response.status_code == 404


async def test_an_admin_finds_a_former_colleague_by_id(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    former = await make_person("Oud Medewerker", active=False)
    await login_as(await make_person("Ada Admin", roles=(Role.ADMIN,)))

    response = await client.get(f"/api/people/{former.id}")

    assert response.json()["active"] is False


async def test_people_search_matches_part_of_a_name_regardless_of_case(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Pieter de Boer")
    await make_person("Karin Visser")
    await login_as(await make_person("Anna"))

    response = await client.get("/api/people", params={"q": "BOER"})

    assert [p["name"] for p in response.json()] == ["Pieter de Boer"]


async def test_people_search_matches_the_email_address(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Pieter", email="p.deboer@gemeente.nl")
    await make_person("Karin", email="k.visser@gemeente.nl")
    await login_as(await make_person("Anna"))

    response = await client.get("/api/people", params={"q": "visser@"})

    assert [p["name"] for p in response.json()] == ["Karin"]


async def test_people_search_takes_percent_and_underscore_literally(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Pieter", email="pieter@gemeente.nl")
    await make_person("Karin", email="k_visser@gemeente.nl")
    await login_as(await make_person("Anna", email="anna@gemeente.nl"))

    underscore = await client.get("/api/people", params={"q": "_"})
    percent = await client.get("/api/people", params={"q": "%"})

    assert [p["name"] for p in underscore.json()] == ["Karin"]
    assert percent.json() == []


async def test_people_can_be_filtered_by_team(
    client: Client, make_person: MakePerson, make_team: MakeTeam, login_as: LoginAs
) -> None:
    wmo = await make_team("WMO")
    await make_person("Pieter", teams=(wmo,))
    await make_person("Karin")
    await login_as(await make_person("Anna"))

    response = await client.get("/api/people", params={"team_id": wmo.id})

    assert [p["name"] for p in response.json()] == ["Pieter"]


async def test_one_person_is_shown_with_phone_and_teams(
    client: Client, make_person: MakePerson, make_team: MakeTeam, login_as: LoginAs
) -> None:
    wmo = await make_team("WMO")
    pieter = await make_person("Pieter", teams=(wmo,), phone="020 555 0102")
    await login_as(await make_person("Anna"))

    response = await client.get(f"/api/people/{pieter.id}")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Pieter"
    assert body["phone"] == "020 555 0102"
    assert body["teams"] == [{"id": wmo.id, "name": "WMO", "is_lead": False}]


async def test_an_unknown_person_is_404(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna"))

    response = await client.get("/api/people/999999")

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert response.json()["message"] == "Deze medewerker bestaat niet."


async def test_anonymous_callers_cannot_list_people(client: Client) -> None:
    assert (await client.get("/api/people")).status_code == 401


# --- /api/people: creating ----------------------------------------------------------------


async def test_an_admin_creates_a_person_with_roles_teams_and_topics(
    client: Client, make_person: MakePerson, make_team: MakeTeam, login_as: LoginAs
) -> None:
    wmo = await make_team("WMO")
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.post(
        "/api/people",
        json={
            "email": "Karin.Visser@Gemeente.nl",
            "name": "Karin Visser",
            "roles": ["kcc"],
            "team_ids": [wmo.id],
            "lead_team_ids": [wmo.id],
            "topics": ["Paspoort", "WMO ", "paspoort"],
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "karin.visser@gemeente.nl"
    assert body["roles"] == ["employee", "kcc"]
    assert body["teams"] == [{"id": wmo.id, "name": "WMO", "is_lead": True}]
    assert body["topics"] == ["paspoort", "wmo"]


async def test_creating_a_person_is_recorded_in_the_audit_trail(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    admin = await make_person("Beheerder", roles=(Role.ADMIN,))
    await login_as(admin)

    response = await client.post("/api/people", json={"email": "k@gemeente.nl", "name": "Karin"})

    await db.rollback()
    event = (
        await db.execute(select(AuditEvent).where(AuditEvent.object_type == "person"))
    ).scalar_one()
    assert (event.actor_id, event.action, event.object_id) == (
        admin.id,
        "create",
        str(response.json()["id"]),
    )


async def test_only_an_admin_may_create_a_person(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna", roles=(Role.TEAMLEAD, Role.FACILITIES)))

    response = await client.post("/api/people", json={"email": "k@gemeente.nl", "name": "Karin"})

    assert response.status_code == 403
    await db.rollback()
    assert (await db.execute(select(func.count(Person.id)))).scalar_one() == 1


async def test_an_invalid_email_is_400_naming_the_field(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.post("/api/people", json={"email": "not-an-address", "name": "K"})

    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "validation_error"
    assert [f["field"] for f in body["fields"]] == ["email"]


async def test_an_email_already_in_use_is_409_email_taken_whatever_its_case(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Karin", email="karin@gemeente.nl")
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.post("/api/people", json={"email": "KARIN@gemeente.nl", "name": "K"})

    assert response.status_code == 409
    assert response.json()["error"] == "email_taken"
    assert response.json()["field"] == "email"


async def test_a_person_cannot_be_created_in_an_unknown_team(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.post(
        "/api/people", json={"email": "k@gemeente.nl", "name": "Karin", "team_ids": [424242]}
    )

    assert response.status_code == 422
    assert response.json()["field"] == "team_ids"


async def test_a_person_cannot_be_created_leading_an_unknown_team(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.post(
        "/api/people", json={"email": "k@gemeente.nl", "name": "Karin", "lead_team_ids": [424242]}
    )

    assert response.status_code == 422
    assert response.json()["field"] == "lead_team_ids"


async def test_a_name_of_only_spaces_is_refused_naming_the_name(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.post("/api/people", json={"email": "k@gemeente.nl", "name": "   "})

    assert response.status_code == 422
    assert response.json()["field"] == "name"
    await db.rollback()
    assert (await db.execute(select(func.count(Person.id)))).scalar_one() == 1


# --- /api/people: changing ----------------------------------------------------------------


async def test_a_person_may_change_their_own_contact_details(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person("Anna")
    await login_as(anna)

    response = await client.patch(
        f"/api/people/{anna.id}", json={"mobile": "06 1234 5678", "chat_handle": "@anna"}
    )

    assert response.status_code == 200
    await db.rollback()
    stored = await db.get(Person, anna.id, populate_existing=True)
    assert stored is not None
    assert (stored.mobile, stored.chat_handle) == ("06 1234 5678", "@anna")


async def test_a_person_may_change_their_own_topics(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna"))

    response = await client.patch("/api/me", json={"topics": ["omgevingsvergunning"]})

    assert response.json()["topics"] == ["omgevingsvergunning"]


async def test_a_person_may_not_change_their_own_roles(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person("Anna")
    await login_as(anna)

    response = await client.patch(f"/api/people/{anna.id}", json={"roles": ["admin"]})

    assert response.status_code == 403
    await db.rollback()
    await db.refresh(anna, ["roles"])
    assert anna.role_set == frozenset()


async def test_a_person_may_not_change_someone_elses_contact_details(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    pieter = await make_person("Pieter")
    await login_as(await make_person("Anna"))

    response = await client.patch(f"/api/people/{pieter.id}", json={"phone": "0201234567"})

    assert response.status_code == 403


async def test_an_admin_changes_someones_roles_and_teams(
    client: Client, make_person: MakePerson, make_team: MakeTeam, login_as: LoginAs
) -> None:
    wmo = await make_team("WMO")
    pieter = await make_person("Pieter")
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.patch(
        f"/api/people/{pieter.id}", json={"roles": ["teamlead"], "lead_team_ids": [wmo.id]}
    )

    assert response.status_code == 200
    assert response.json()["roles"] == ["employee", "teamlead"]
    assert response.json()["teams"] == [{"id": wmo.id, "name": "WMO", "is_lead": True}]


async def test_changing_an_unknown_person_is_404(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.patch("/api/people/999999", json={"name": "Niemand"})

    assert response.status_code == 404


async def test_changing_to_an_email_in_use_is_409(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Karin", email="karin@gemeente.nl")
    pieter = await make_person("Pieter")
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.patch(f"/api/people/{pieter.id}", json={"email": "karin@gemeente.nl"})

    assert response.status_code == 409
    assert response.json()["error"] == "email_taken"


async def test_a_person_cannot_be_their_own_backup(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    anna = await make_person("Anna")
    await login_as(anna)

    response = await client.patch(f"/api/people/{anna.id}", json={"backup_id": anna.id})

    assert response.status_code == 422
    assert response.json()["field"] == "backup_id"


async def test_a_deactivated_person_can_no_longer_use_their_session(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    admin = await make_person("Beheerder", roles=(Role.ADMIN,))
    pieter = await make_person("Pieter")
    await login_as(admin)
    await client.patch(f"/api/people/{pieter.id}", json={"active": False})

    await login_as(pieter)
    response = await client.get("/api/me")

    assert response.status_code == 401


async def test_a_new_name_is_stored_without_the_spaces_around_it(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    pieter = await make_person("Pieter")
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.patch(f"/api/people/{pieter.id}", json={"name": "  Pieter de Boer "})

    assert response.json()["name"] == "Pieter de Boer"


async def test_renaming_to_only_spaces_is_refused_and_keeps_the_name(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    pieter = await make_person("Pieter")
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.patch(f"/api/people/{pieter.id}", json={"name": "  "})

    assert response.status_code == 422
    assert response.json()["field"] == "name"
    await db.rollback()
    stored = await db.get(Person, pieter.id, populate_existing=True)
    assert stored is not None
    assert stored.name == "Pieter"


async def test_an_unknown_lead_team_is_reported_as_lead_team_ids(
    client: Client, make_person: MakePerson, make_team: MakeTeam, login_as: LoginAs
) -> None:
    wmo = await make_team("WMO")
    pieter = await make_person("Pieter")
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.patch(
        f"/api/people/{pieter.id}", json={"team_ids": [wmo.id], "lead_team_ids": [424242]}
    )

    assert response.status_code == 422
    assert response.json()["field"] == "lead_team_ids"


async def test_an_unknown_field_is_400_naming_it(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    pieter = await make_person("Pieter")
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.patch(f"/api/people/{pieter.id}", json={"bogus": 1})

    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "Ongeldige invoer in: bogus."
    assert [(f["field"], f["message"]) for f in body["fields"]] == [("bogus", "Onbekend veld.")]


# --- the last administrator ---------------------------------------------------------------


async def test_the_last_active_admin_cannot_take_away_their_own_admin_role(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    admin = await make_person("Beheerder", roles=(Role.ADMIN,))
    await login_as(admin)

    response = await client.patch(f"/api/people/{admin.id}", json={"roles": ["employee"]})

    assert response.status_code == 422
    assert (response.json()["error"], response.json()["field"]) == ("last_admin", "roles")
    await db.rollback()
    await db.refresh(admin, ["roles"])
    assert admin.role_set == {Role.ADMIN}


async def test_the_last_active_admin_cannot_deactivate_themselves(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    admin = await make_person("Beheerder", roles=(Role.ADMIN,))
    await login_as(admin)

    response = await client.patch("/api/me", json={"active": False})

    assert response.status_code == 422
    assert (response.json()["error"], response.json()["field"]) == ("last_admin", "active")
    assert response.json()["message"].startswith("Dit is de laatste actieve beheerder")
    await db.rollback()
    stored = await db.get(Person, admin.id, populate_existing=True)
    assert stored is not None
    assert stored.active


async def test_an_admin_may_give_up_the_role_while_another_active_admin_stays(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    admin = await make_person("Beheerder", roles=(Role.ADMIN,))
    await make_person("Tweede beheerder", roles=(Role.ADMIN,))
    await login_as(admin)

    response = await client.patch(f"/api/people/{admin.id}", json={"roles": ["employee"]})

    assert response.status_code == 200
    assert response.json()["roles"] == ["employee"]


async def test_an_inactive_admin_does_not_count_as_the_admin_who_stays(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    admin = await make_person("Beheerder", roles=(Role.ADMIN,))
    await make_person("Oud-beheerder", roles=(Role.ADMIN,), active=False)
    await login_as(admin)

    response = await client.patch(f"/api/people/{admin.id}", json={"active": False})

    assert response.status_code == 422


# --- /api/teams ---------------------------------------------------------------------------


async def test_teams_are_listed_with_their_member_count(
    client: Client, make_person: MakePerson, make_team: MakeTeam, login_as: LoginAs
) -> None:
    wmo = await make_team("WMO")
    await make_team("Burgerzaken")
    await make_person("Pieter", teams=(wmo,))
    await login_as(await make_person("Anna", teams=(wmo,)))

    response = await client.get("/api/teams")

    assert response.status_code == 200
    assert [(t["name"], t["member_count"]) for t in response.json()] == [
        ("Burgerzaken", 0),
        ("WMO", 2),
    ]


async def test_an_admin_creates_a_team(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.post(
        "/api/teams", json={"name": "Vergunningen", "description": "Omgevingsvergunningen"}
    )

    assert response.status_code == 201
    assert response.json()["name"] == "Vergunningen"
    assert response.json()["member_count"] == 0


async def test_an_employee_may_not_create_a_team(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna"))

    response = await client.post("/api/teams", json={"name": "Vergunningen"})

    assert response.status_code == 403


async def test_a_team_name_in_use_is_409_name_taken_whatever_its_case(
    client: Client, make_person: MakePerson, make_team: MakeTeam, login_as: LoginAs
) -> None:
    await make_team("WMO")
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.post("/api/teams", json={"name": "wmo"})

    assert response.status_code == 409
    assert response.json()["error"] == "name_taken"


async def test_a_team_name_of_only_spaces_is_refused_naming_the_name(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.post("/api/teams", json={"name": "  "})

    assert response.status_code == 422
    assert response.json()["field"] == "name"
    assert (await client.get("/api/teams")).json() == []


async def test_an_admin_renames_a_team(
    client: Client, make_person: MakePerson, make_team: MakeTeam, login_as: LoginAs
) -> None:
    team = await make_team("WMO")
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.patch(f"/api/teams/{team.id}", json={"name": "Zorg en WMO"})

    assert response.status_code == 200
    assert (await client.get(f"/api/teams/{team.id}")).json()["name"] == "Zorg en WMO"


async def test_renaming_a_team_keeps_its_description(
    client: Client, db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    db.add(Team(name="WMO", description="Zorg en ondersteuning"))
    await db.commit()
    team_id = (await db.execute(select(Team.id))).scalar_one()
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    response = await client.patch(f"/api/teams/{team_id}", json={"name": "Zorg en WMO"})

    assert response.json()["description"] == "Zorg en ondersteuning"


async def _team_updates(db: AsyncSession) -> list[object]:
    await db.rollback()
    rows = await db.execute(
        select(AuditEvent.details).where(
            AuditEvent.object_type == "team", AuditEvent.action == "update"
        )
    )
    return list(rows.scalars())


async def test_a_team_saved_as_it_was_is_not_audited(
    client: Client,
    db: AsyncSession,
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
) -> None:
    team = await make_team("WMO")
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    await client.patch(f"/api/teams/{team.id}", json={"name": "WMO"})

    assert await _team_updates(db) == []


async def test_a_team_change_is_audited_with_the_fields_it_changed(
    client: Client,
    db: AsyncSession,
    make_person: MakePerson,
    make_team: MakeTeam,
    login_as: LoginAs,
) -> None:
    team = await make_team("WMO")
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))

    await client.patch(f"/api/teams/{team.id}", json={"description": "Zorg"})

    assert await _team_updates(db) == [{"fields": ["description"], "name": "WMO"}]


async def test_an_unknown_team_is_404(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna"))

    response = await client.get("/api/teams/999999")

    assert response.status_code == 404


async def test_the_people_search_makes_spaces_inside_the_text_single(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await make_person("Anna de Vries")
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))

    response = await client.get("/api/people", params={"q": "de   vries"})

    assert [person["name"] for person in response.json()] == ["Anna de Vries"]
