"""Fifty people book the same desk at the same moment against a real server with two workers.

Exactly one gets it (201); everyone else hears 409 ``booking_conflict`` — never a 500,
never "database is locked". On PostgreSQL the exclusion constraint decides; on SQLite
the write lock taken first (WAL + BEGIN IMMEDIATE) serialises check-then-insert.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import MakeSite, MakeSpace
from tests.conftest import MakePerson, Server, add_login
from werkplek.bookings.models import ACTIVE_STATUS_VALUES, Booking
from werkplek.clock import AMSTERDAM

REQUESTS = 50


def _bookable_day() -> date:
    """A day the server (which runs on the real clock) accepts: tomorrow, local time."""
    return datetime.now(AMSTERDAM).date() + timedelta(days=1)


async def test_fifty_simultaneous_bookings_of_one_desk_give_exactly_one(
    db: AsyncSession,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_person: MakePerson,
    server: Server,
) -> None:
    every_day = dict.fromkeys(range(7), (time(0, 30), time(23, 30)))
    site = await make_site("Stadskantoor", hours=every_day, observe_public_holidays=False)
    desk = await make_space(site, "Flexplek 1")
    now = datetime.now(UTC)
    logins = [add_login(db, await make_person(f"Medewerker {n}"), now) for n in range(REQUESTS)]
    await db.commit()
    body = {"space_id": desk.id, "date": _bookable_day().isoformat(), "day_part": "day"}

    async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
        responses = await asyncio.gather(
            *(http.post("/api/bookings", json=body, headers=login.headers) for login in logins)
        )

    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 1, 409: REQUESTS - 1}, server.log_tail()
    assert {r.json()["error"] for r in responses if r.status_code == 409} == {"booking_conflict"}
    await db.rollback()
    active = await db.execute(
        select(func.count(Booking.id)).where(
            Booking.space_id == desk.id, Booking.status.in_(ACTIVE_STATUS_VALUES)
        )
    )
    assert active.scalar_one() == 1
