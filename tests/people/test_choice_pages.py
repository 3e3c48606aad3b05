"""A select of people offers the first hundred by name; its box asks /people/choices for
those whose name contains what is typed."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson
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
