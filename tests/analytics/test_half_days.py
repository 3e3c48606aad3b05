"""A room booking covers the afternoon of its date when it ends after the day split's minute.

The default site splits at 13:00 (Amsterdam).
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tests.analytics.conftest import Book, Client, local
from tests.conftest import MakeSite, MakeSpace
from werkplek.people.models import Person

MON, TUE = date(2026, 11, 16), date(2026, 11, 17)


async def _monday(client: Client, site_id: int) -> Any:
    response = await client.get(
        "/api/analytics/occupancy",
        params={"site": site_id, "from": "2026-11-16", "to": "2026-11-17", "kind": "meeting_room"},
    )
    assert response.status_code == 200, response.text
    return next(r for r in response.json()["rooms"]["days"] if r["date"] == MON.isoformat())


async def test_a_room_booking_that_ends_at_the_split_covers_the_morning_only(
    client: Client, make_site: MakeSite, make_space: MakeSpace, book: Book, facilities: Person
) -> None:
    site = await make_site()
    room = await make_space(site, kind="meeting_room", capacity=4)
    await book(room, MON, start=time(12), end=time(13))

    day = await _monday(client, site.id)

    assert (day["morning_booked"], day["afternoon_booked"]) == (1, 0)


async def test_a_room_booking_that_ends_within_the_split_minute_covers_the_morning_only(
    client: Client, make_site: MakeSite, make_space: MakeSpace, book: Book, facilities: Person
) -> None:
    site = await make_site()
    room = await make_space(site, kind="meeting_room", capacity=4)
    await book(room, MON, start=time(12), end=time(13, 0, 30))

    day = await _monday(client, site.id)

    assert day["afternoon_booked"] == 0


async def test_a_room_booking_that_ends_a_minute_after_the_split_covers_the_afternoon(
    client: Client, make_site: MakeSite, make_space: MakeSpace, book: Book, facilities: Person
) -> None:
    site = await make_site()
    room = await make_space(site, kind="meeting_room", capacity=4)
    await book(room, MON, start=time(12), end=time(13, 1))

    day = await _monday(client, site.id)

    assert (day["morning_booked"], day["afternoon_booked"]) == (1, 1)


async def test_a_room_booking_into_the_next_day_covers_the_afternoon_of_its_first_day(
    client: Client,
    db: AsyncSession,
    make_site: MakeSite,
    make_space: MakeSpace,
    book: Book,
    facilities: Person,
) -> None:
    site = await make_site()
    room = await make_space(site, kind="meeting_room", capacity=4)
    booking = await book(room, MON, start=time(7), end=time(8))
    booking.end_at = local(TUE, time(7))  # ends before the split, but on the next day
    await db.commit()

    day = await _monday(client, site.id)

    assert (day["morning_booked"], day["afternoon_booked"]) == (1, 1)
