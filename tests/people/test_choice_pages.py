"""A select of people offers the first hundred by name; its box asks /people/choices for
those whose name contains what is typed, and without the script its Search button sends
the form to be shown again with the select narrowed, everything typed kept, nothing saved."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson, MakeTeam
from werkplek.audit.models import AuditEvent
from werkplek.clock import FixedClock
from werkplek.people.models import Person, Role, Team
from werkplek.people.services import CHOICES_SHOWN

Client = AsyncTestClient[Litestar]


async def _add_people(db: AsyncSession, clock: FixedClock, count: int) -> None:
    """``count`` active colleagues named "Medewerker 0001" and on."""
    db.add_all(
        Person(
            email=f"medewerker{number}@example.nl",
            name=f"Medewerker {number:04d}",
            created_at=clock.now(),
            language="nl",
        )
        for number in range(1, count + 1)
    )
    await db.commit()


async def test_the_options_are_the_people_whose_name_contains_what_is_typed(
    client: Client, login_as: LoginAs, make_person: MakePerson
) -> None:
    await login_as(await make_person("Kees", roles=(Role.KCC,)))
    eline = await make_person("Eline Smeding")
    await make_person("Anna Bakker")

    response = await client.get("/people/choices", params={"list": "active", "q": "smed"})

    assert response.status_code == 200
    assert response.text.strip() == f'<option value="{eline.id}">Eline Smeding</option>'


async def test_the_options_say_when_no_name_contains_what_is_typed(
    client: Client, login_as: LoginAs, make_person: MakePerson
) -> None:
    await login_as(await make_person("Kees", roles=(Role.KCC,)))

    response = await client.get("/people/choices", params={"list": "active", "q": "xyz"})

    assert "Geen naam of e-mailadres bevat “xyz”" in response.text


async def test_the_options_leave_out_the_one_excluded(
    client: Client, login_as: LoginAs, make_person: MakePerson
) -> None:
    me = await make_person("Ik Zelf")
    await login_as(me)

    response = await client.get(
        "/people/choices", params={"list": "active", "q": "zelf", "exclude": me.id}
    )

    assert f'value="{me.id}"' not in response.text


async def test_the_options_keep_the_chosen_person_when_their_name_matches(
    client: Client, clock: FixedClock, db: AsyncSession, login_as: LoginAs, make_person: MakePerson
) -> None:
    await login_as(await make_person("Aad", roles=(Role.KCC,)))
    await _add_people(db, clock, CHOICES_SHOWN)
    zwaan = await make_person("Zwaan")

    response = await client.get("/people/choices", params={"list": "active", "keep": zwaan.id})

    assert f'<option value="{zwaan.id}">Zwaan</option>' in response.text


async def test_bookable_options_are_a_team_leads_team(
    client: Client,
    login_as: LoginAs,
    make_person: MakePerson,
    make_team: Callable[[str], Awaitable[Team]],
) -> None:
    team = await make_team("Wijkteam")
    await login_as(await make_person("Lotte", lead_of=(team,)))
    member = await make_person("Bram Wijk", teams=(team,))
    await make_person("Bert Buiten")

    response = await client.get("/people/choices", params={"list": "bookable", "q": "b"})

    assert response.text.strip() == f'<option value="{member.id}">Bram Wijk</option>'


async def test_former_staff_options_are_refused_to_non_admins(
    client: Client, login_as: LoginAs, make_person: MakePerson
) -> None:
    await login_as(await make_person("Kees", roles=(Role.KCC,)))

    response = await client.get("/people/choices", params={"list": "everyone"})

    assert response.status_code == 403


async def test_an_unknown_list_is_a_bad_request_naming_it(
    client: Client, login_as: LoginAs, make_person: MakePerson
) -> None:
    await login_as(await make_person("Kees"))

    response = await client.get("/people/choices", params={"list": "iedereen"})

    assert (response.status_code, "list" in response.text) == (400, True)


async def test_the_options_need_a_login(client: Client) -> None:
    response = await client.get(
        "/people/choices", params={"list": "active"}, follow_redirects=False
    )

    assert response.status_code in (302, 303, 401)


async def test_a_long_select_offers_the_first_hundred_and_counts_the_others(
    client: Client, clock: FixedClock, db: AsyncSession, login_as: LoginAs, make_person: MakePerson
) -> None:
    await login_as(await make_person("Kees", roles=(Role.KCC,)))
    await _add_people(db, clock, CHOICES_SHOWN + 5)  # with Kees, 6 more than are shown

    response = await client.get("/callback-notes")

    select = re.search(r'<select id="person_id".*?</select>', response.text, re.DOTALL)
    assert select is not None
    people = re.findall(r'<option value="\d+"', select.group())
    hint = "… en nog 6 anderen: typ een deel van de naam"
    assert (len(people), hint in select.group()) == (CHOICES_SHOWN, True)


# --- the Search button of a form's select of people (without the script) ----------------


#: The forms with a select of people that save something: where they are sent, the
#: select's id, the roles of who fills them in, and a field typed in them besides.
SEARCHING_FORMS = [
    pytest.param("/profile", "backup_id", (), {"phone": "010 7654321"}, id="profile"),
    pytest.param(
        "/admin/people/new", "backup_id", (Role.ADMIN,), {"phone": "010 7654321"}, id="person"
    ),
    pytest.param("/visits/new", "second_visitor_id", (), {"area": "Oud-Beijerland"}, id="visit"),
    pytest.param(
        "/callback-notes",
        "person_id",
        (Role.KCC,),
        {"callback_number": "06 12345678"},
        id="callback note",
    ),
    pytest.param("/feeds", "colleague_id", (Role.ADMIN,), {}, id="feed"),
    pytest.param("/visits/safety/contacts", "contact-person", (Role.ADMIN,), {}, id="safety"),
]


async def _search_on(
    client: Client,
    login_as: LoginAs,
    make_person: MakePerson,
    make_team: MakeTeam,
    path: str,
    roles: tuple[Role, ...],
    typed: dict[str, str],
) -> str:
    """The page of the form at ``path``, sent by its box's Search button with "smed" typed."""
    await make_team("Burgerzaken")  # a safety contact is one of a team's
    await login_as(await make_person("Kees", roles=roles))
    # What the forms' selects send besides: the feed's choice of a colleague, a language.
    data: dict[str, Any] = {
        "find": "smed",
        "find_people": "1",
        "scope": "colleague",
        "language": "nl",
        **typed,
    }
    response = await client.post(path, data=data)
    assert response.status_code == 200
    return response.text


def _offered(page: str, select_id: str) -> list[str]:
    """The names the select ``select_id`` offers."""
    found = re.search(rf'<select id="{select_id}".*?</select>', page, re.DOTALL)
    assert found is not None
    return re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', found.group())


@pytest.mark.parametrize(("path", "select_id", "roles", "typed"), SEARCHING_FORMS)
async def test_the_search_button_narrows_the_select_to_matching_names(
    client: Client,
    login_as: LoginAs,
    make_person: MakePerson,
    make_team: MakeTeam,
    path: str,
    select_id: str,
    roles: tuple[Role, ...],
    typed: dict[str, str],
) -> None:
    await make_person("Eline Smeding")
    await make_person("Anna Bakker")

    page = await _search_on(client, login_as, make_person, make_team, path, roles, typed)

    assert _offered(page, select_id) == ["Eline Smeding"]


@pytest.mark.parametrize(("path", "select_id", "roles", "typed"), SEARCHING_FORMS)
async def test_the_search_button_saves_nothing(
    client: Client,
    db: AsyncSession,
    login_as: LoginAs,
    make_person: MakePerson,
    make_team: MakeTeam,
    path: str,
    select_id: str,
    roles: tuple[Role, ...],
    typed: dict[str, str],
) -> None:
    await make_person("Eline Smeding")

    await _search_on(client, login_as, make_person, make_team, path, roles, typed)

    await db.rollback()
    assert await db.scalar(select(func.count()).select_from(AuditEvent)) == 0


@pytest.mark.parametrize(
    ("path", "select_id", "roles", "typed"),
    [form for form in SEARCHING_FORMS if form.values[3]],
)
async def test_the_search_button_keeps_what_was_typed_in_the_form(
    client: Client,
    login_as: LoginAs,
    make_person: MakePerson,
    make_team: MakeTeam,
    path: str,
    select_id: str,
    roles: tuple[Role, ...],
    typed: dict[str, str],
) -> None:
    page = await _search_on(client, login_as, make_person, make_team, path, roles, typed)

    [(name, value)] = typed.items()
    assert re.search(rf'id="{name}"[^>]*value="{value}"', page)


@pytest.mark.parametrize(("path", "select_id", "roles", "typed"), SEARCHING_FORMS)
async def test_the_search_button_keeps_what_was_typed_in_its_box(
    client: Client,
    login_as: LoginAs,
    make_person: MakePerson,
    make_team: MakeTeam,
    path: str,
    select_id: str,
    roles: tuple[Role, ...],
    typed: dict[str, str],
) -> None:
    page = await _search_on(client, login_as, make_person, make_team, path, roles, typed)

    assert re.search(rf'id="{select_id}-search"[^>]*value="smed"', page)


async def test_the_audit_logs_search_narrows_its_select_to_matching_names(
    client: Client, login_as: LoginAs, make_person: MakePerson
) -> None:
    await login_as(await make_person("Beheerder", roles=(Role.ADMIN,)))
    await make_person("Eline Smeding")

    response = await client.get("/admin/audit", params={"find": "smed", "find_people": "1"})

    assert _offered(response.text, "actor_id") == ["Eline Smeding"]


async def test_a_form_sent_by_its_own_button_keeps_its_select_narrowed(
    client: Client, login_as: LoginAs, make_person: MakePerson
) -> None:
    await login_as(await make_person("Kees", roles=(Role.KCC,)))
    await make_person("Eline Smeding")
    await make_person("Anna Bakker")

    response = await client.post("/callback-notes", data={"person_id": "", "find": "smed"})

    assert (response.status_code, _offered(response.text, "person_id")) == (422, ["Eline Smeding"])
