"""People as the options of a select: the first by name, those whose name or e-mail
address contains what is typed, how many more there are, and namesakes told apart."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import MakePerson
from werkplek.errors import Forbidden
from werkplek.people.models import Role
from werkplek.people.services import (
    PersonChoice,
    choices_with_former_staff,
    colleague_choices,
    current_user_for,
    person_choices,
)


async def test_choices_are_the_active_people_by_name(
    db: AsyncSession, make_person: MakePerson
) -> None:
    zwaan = await make_person("Zwaan")
    anna = await make_person("Anna")
    await make_person("Oud Medewerker", active=False)

    choices = await person_choices(db)

    assert choices.shown == [PersonChoice(anna.id, "Anna"), PersonChoice(zwaan.id, "Zwaan")]


async def test_choices_include_inactive_people_when_asked(
    db: AsyncSession, make_person: MakePerson
) -> None:
    former = await make_person("Oud Medewerker", active=False)

    choices = await person_choices(db, include_inactive=True)

    assert PersonChoice(former.id, "Oud Medewerker") in choices.shown


async def test_choices_beyond_the_limit_are_counted_not_shown(
    db: AsyncSession, make_person: MakePerson
) -> None:
    for name in ("Anna", "Bram", "Cor", "Dirk"):
        await make_person(name)

    choices = await person_choices(db, limit=2)

    assert ([p.name for p in choices.shown], choices.total, choices.more) == (
        ["Anna", "Bram"],
        4,
        2,
    )


async def test_choices_keep_their_search_as_typed_with_single_spaces(
    db: AsyncSession, make_person: MakePerson
) -> None:
    await make_person("Anna de Vries")

    choices = await person_choices(db, containing="  De   VRIES ")

    assert (choices.query, choices.total) == ("De VRIES", 1)


async def test_choices_containing_text_are_those_whose_name_contains_it_in_any_case(
    db: AsyncSession, make_person: MakePerson
) -> None:
    await make_person("Eline Smeding")
    await make_person("Mark de Smet")
    await make_person("Anna Bakker")

    choices = await person_choices(db, containing="  SME ")

    assert [p.name for p in choices.shown] == ["Eline Smeding", "Mark de Smet"]


async def test_choices_containing_text_include_those_whose_e_mail_address_contains_it(
    db: AsyncSession, make_person: MakePerson
) -> None:
    await make_person("Eline Smeding", email="e.smeding@example.nl")
    await make_person("Anna Bakker", email="a.bakker@example.nl")

    choices = await person_choices(db, containing="A.BAK")

    assert [p.name for p in choices.shown] == ["Anna Bakker"]


async def test_people_who_share_a_name_are_told_apart_by_their_e_mail_address(
    db: AsyncSession, make_person: MakePerson
) -> None:
    await make_person("Jan de Vries", email="j.devries@example.nl")
    await make_person("Jan de Vries", email="jan.de.vries@example.nl")
    await make_person("Anna Bakker", email="a.bakker@example.nl")

    choices = await person_choices(db)

    assert [p.label for p in choices.shown] == [
        "Anna Bakker",
        "Jan de Vries (j.devries@example.nl)",
        "Jan de Vries (jan.de.vries@example.nl)",
    ]


async def test_the_chosen_person_beyond_the_limit_is_told_apart_from_a_namesake(
    db: AsyncSession, make_person: MakePerson
) -> None:
    await make_person("Anna")
    await make_person("Jan de Vries", email="j.devries@example.nl")
    chosen = await make_person("Jan de Vries", email="jan.de.vries@example.nl")

    choices = await person_choices(db, keep=chosen.id, limit=1)

    assert [p.label for p in choices.shown] == ["Anna", "Jan de Vries (jan.de.vries@example.nl)"]


async def test_a_percent_sign_is_searched_for_literally(
    db: AsyncSession, make_person: MakePerson
) -> None:
    await make_person("Anna Bakker")

    choices = await person_choices(db, containing="%")

    assert (choices.shown, choices.total) == ([], 0)


async def test_the_chosen_person_is_offered_beyond_the_limit(
    db: AsyncSession, make_person: MakePerson
) -> None:
    await make_person("Anna")
    await make_person("Bram")
    zwaan = await make_person("Zwaan")

    choices = await person_choices(db, keep=zwaan.id, limit=1)

    assert ([p.name for p in choices.shown], choices.more) == (["Anna", "Zwaan"], 1)


async def test_the_chosen_person_is_not_offered_when_their_name_does_not_match(
    db: AsyncSession, make_person: MakePerson
) -> None:
    await make_person("Anna")
    zwaan = await make_person("Zwaan")

    choices = await person_choices(db, containing="ann", keep=zwaan.id)

    assert [p.name for p in choices.shown] == ["Anna"]


async def test_colleague_choices_leave_out_the_one_excluded(
    db: AsyncSession, make_person: MakePerson
) -> None:
    me = await make_person("Ik")
    other = await make_person("Collega")

    choices = await colleague_choices(db, exclude=me.id)

    assert choices.shown == [PersonChoice(other.id, "Collega")]


async def test_former_staff_are_listed_for_admins(
    db: AsyncSession, make_person: MakePerson
) -> None:
    admin = await make_person("Beheerder", roles=(Role.ADMIN,))
    former = await make_person("Oud Medewerker", active=False)

    choices = await choices_with_former_staff(db, current_user_for(admin))

    assert PersonChoice(former.id, "Oud Medewerker") in choices.shown


async def test_former_staff_are_not_listed_for_others(
    db: AsyncSession, make_person: MakePerson
) -> None:
    facilities = await make_person("Facilitair", roles=(Role.FACILITIES,))

    with pytest.raises(Forbidden):
        await choices_with_former_staff(db, current_user_for(facilities))
