"""Fifty KCC agents leave a callback note at the same moment, against a real server with
two workers: every one is stored. Each request reads (who asks, the colleague) before it
writes; on SQLite a write whose transaction read before another committed was refused at
once ("database is locked", a 503) until such requests took the write lock first."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import MakePerson, Server, add_login
from tests.presence.test_callback_notes import note_for
from werkplek.people.models import Role
from werkplek.presence.models import CallbackNote

AGENTS = 50


async def test_fifty_callback_notes_left_at_the_same_moment_are_all_stored(
    db: AsyncSession, make_person: MakePerson, server: Server
) -> None:
    colleague = await make_person("Kees Jansen")
    note = note_for(colleague)
    now = datetime.now(UTC)
    logins = [
        add_login(db, await make_person(f"KCC {n}", roles=(Role.KCC,)), now) for n in range(AGENTS)
    ]
    await db.commit()

    async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
        responses = await asyncio.gather(
            *(
                http.post("/api/callback-notes", json=note, headers=login.headers)
                for login in logins
            )
        )

    assert Counter(r.status_code for r in responses) == {201: AGENTS}, server.log_tail()
    await db.rollback()
    assert await db.scalar(select(func.count(CallbackNote.id))) == AGENTS
