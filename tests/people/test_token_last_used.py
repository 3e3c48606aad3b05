"""Noting when an API token was used never fails a request that only reads."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import MakePerson
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.db import create_engine, create_sessionmaker
from werkplek.people.models import ApiToken, Person
from werkplek.people.schemas import ApiTokenIn
from werkplek.people.services import create_api_token, current_user_for, user_for_api_token


async def test_the_use_is_noted_although_another_request_wrote_since_the_lookup_began(
    db: AsyncSession, make_person: MakePerson, clock: FixedClock, settings: Settings
) -> None:
    person = await make_person()
    token = (
        await create_api_token(db, clock, current_user_for(person), ApiTokenIn(name="script"))
    ).token
    await db.commit()
    engine = create_engine(settings.database_url)
    try:
        sessions = create_sessionmaker(engine)
        async with sessions() as request, sessions() as other_request:
            await request.execute(select(Person.id))  # the request's read has begun
            other = await other_request.get(Person, person.id)
            assert other is not None
            other.phone = "0222-123456"
            await other_request.commit()  # another request writes in between

            user = await user_for_api_token(request, clock, token)
            await request.commit()
    finally:
        await engine.dispose()

    assert user is not None
    await db.rollback()
    stamped = (await db.execute(select(ApiToken.last_used_at))).scalar_one()
    assert stamped == clock.now()
