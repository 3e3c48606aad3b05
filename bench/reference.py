"""The bare reference: one indexed query behind Litestar, on the app's database.

``GET /ref/person/{id}`` selects one person by primary key and answers it as msgspec JSON.
It uses the app's engine settings (``werkplek.db.create_engine``: pool size on PostgreSQL,
WAL and busy timeout on SQLite) and is served the way ``werkplek serve`` serves the app
(uvicorn, same workers), so the ratio app/reference shows what the app's own work costs:

    WERKPLEK_DATABASE_URL=... uvicorn bench.reference:create_app --factory --workers 2
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import msgspec
from litestar import Litestar, get
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from sqlalchemy import select

from werkplek.config import _normalise_database_url
from werkplek.db import create_engine, create_sessionmaker
from werkplek.people.models import Person


class PersonRef(msgspec.Struct):
    id: int
    name: str
    email: str


@get("/ref/person/{person_id:int}")
async def person(state: State, person_id: int) -> PersonRef:
    async with state.sessionmaker() as session:
        row = (
            await session.execute(
                select(Person.id, Person.name, Person.email).where(Person.id == person_id)
            )
        ).one_or_none()
    if row is None:
        raise NotFoundException()
    return PersonRef(id=row.id, name=row.name, email=row.email)


@get("/ref/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


def create_app() -> Litestar:
    engine = create_engine(_normalise_database_url(os.environ["WERKPLEK_DATABASE_URL"]))

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await engine.dispose()

    return Litestar(
        route_handlers=[person, health],
        lifespan=[lifespan],
        state=State({"sessionmaker": create_sessionmaker(engine)}),
    )
