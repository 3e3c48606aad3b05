"""People as the options of a select: everyone, by name, however many there are."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import MakePerson
from werkplek.people.services import PersonChoice, person_choices


async def test_choices_are_the_active_people_by_name(
    db: AsyncSession, make_person: MakePerson
) -> None:
    zwaan = await make_person("Zwaan")
    anna = await make_person("Anna")
    await make_person("Oud Medewerker", active=False)

    assert await person_choices(db) == [
        PersonChoice(anna.id, "Anna"),
        PersonChoice(zwaan.id, "Zwaan"),
    ]


async def test_choices_include_inactive_people_when_asked(
    db: AsyncSession, make_person: MakePerson
) -> None:
    former = await make_person("Oud Medewerker", active=False)

    assert PersonChoice(former.id, "Oud Medewerker") in await person_choices(
        db, include_inactive=True
    )
