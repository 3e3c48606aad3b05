"""``db.in_ids``: a list of ids as one parameter, on both databases."""

from typing import Any

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import MakePerson
from werkplek.db import ids_param, in_ids
from werkplek.people.models import Person

_NAMES = select(Person.name).where(in_ids(Person.id, ids_param("ids"))).order_by(Person.name)


async def test_in_ids_finds_the_rows_of_the_listed_ids(
    db: AsyncSession, make_person: MakePerson
) -> None:
    anna, bram, _cas = [await make_person(name) for name in ("Anna", "Bram", "Cas")]
    names = (await db.execute(_NAMES, {"ids": [bram.id, anna.id, 10**6]})).scalars()
    assert list(names) == ["Anna", "Bram"]


async def test_in_ids_of_no_ids_finds_nothing(db: AsyncSession, make_person: MakePerson) -> None:
    await make_person("Anna")
    assert (await db.execute(_NAMES, {"ids": []})).all() == []


async def test_in_ids_sends_the_same_statement_for_any_number_of_ids(db: AsyncSession) -> None:
    statements: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith("SELECT"):
            statements.append(statement)

    engine = db.get_bind()
    event.listen(engine, "before_cursor_execute", note)
    try:
        await db.execute(_NAMES, {"ids": [1]})
        await db.execute(_NAMES, {"ids": [1, 2, 3]})
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert len(statements) == 2
    assert statements[0] == statements[1]
