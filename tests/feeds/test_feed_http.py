"""Conditional requests (ETag, Last-Modified), last-used time, and the feed URL itself."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import MakePerson, MakeSite, MakeSpace
from tests.feeds.conftest import MakeBooking, Subscribe, local
from werkplek.bookings.models import Booking
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.feeds.models import FeedToken

THURSDAY = date(2026, 11, 26)


async def test_the_etag_is_the_hash_of_the_content(
    client: AsyncTestClient[Litestar], make_person: MakePerson, subscribe: Subscribe
) -> None:
    anna = await make_person()
    response = await client.get(await subscribe(anna, "person", anna.id))
    assert response.headers["etag"] == f'W/"{hashlib.sha256(response.content).hexdigest()}"'


async def test_a_matching_etag_gets_304_without_a_body(
    client: AsyncTestClient[Litestar], make_person: MakePerson, subscribe: Subscribe
) -> None:
    anna = await make_person()
    path = await subscribe(anna, "person", anna.id)
    etag = (await client.get(path)).headers["etag"]
    response = await client.get(path, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == etag


async def test_a_head_request_answers_with_the_feeds_headers_and_no_body(
    client: AsyncTestClient[Litestar], make_person: MakePerson, subscribe: Subscribe
) -> None:
    anna = await make_person()
    path = await subscribe(anna, "person", anna.id)
    etag = (await client.get(path)).headers["etag"]
    response = await client.head(path)
    assert (response.status_code, response.headers["etag"], response.content) == (200, etag, b"")


async def test_a_strong_form_of_the_same_etag_also_matches(
    client: AsyncTestClient[Litestar], make_person: MakePerson, subscribe: Subscribe
) -> None:
    anna = await make_person()
    path = await subscribe(anna, "person", anna.id)
    etag = (await client.get(path)).headers["etag"].removeprefix("W/")
    response = await client.get(path, headers={"If-None-Match": f'"other", {etag}'})
    assert response.status_code == 304


async def test_a_changed_booking_changes_the_etag(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    settings: Settings,
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    room = await make_space(await make_site(), "Reitdiep", kind="meeting_room")
    booking = await make_booking(room, anna, local(THURSDAY, 9), local(THURSDAY, 10))
    path = await subscribe(anna, "person", anna.id)
    etag = (await client.get(path)).headers["etag"]
    await db.execute(
        update(Booking)
        .where(Booking.id == booking.id)
        .values(status="cancelled", cancelled_at=clock.now(), updated_at=clock.now(), sequence=1)
    )
    await db.commit()
    response = await client.get(path, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.headers["etag"] != etag
    assert b"STATUS:CANCELLED" in response.content


async def test_if_modified_since_the_last_modified_time_gets_304(
    client: AsyncTestClient[Litestar], make_person: MakePerson, subscribe: Subscribe
) -> None:
    anna = await make_person()
    path = await subscribe(anna, "person", anna.id)
    last_modified = (await client.get(path)).headers["last-modified"]
    response = await client.get(path, headers={"If-Modified-Since": last_modified})
    assert response.status_code == 304


async def test_last_modified_moves_when_the_content_changes(
    client: AsyncTestClient[Litestar],
    clock: FixedClock,
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    path = await subscribe(anna, "person", anna.id)
    last_modified = (await client.get(path)).headers["last-modified"]
    clock.advance(timedelta(minutes=10))
    room = await make_space(await make_site(), "Reitdiep", kind="meeting_room")
    await make_booking(room, anna, local(THURSDAY, 9), local(THURSDAY, 10))
    response = await client.get(path, headers={"If-Modified-Since": last_modified})
    assert response.status_code == 200
    assert response.headers["last-modified"] != last_modified


async def test_last_modified_stays_while_the_content_does_not_change(
    client: AsyncTestClient[Litestar],
    clock: FixedClock,
    make_person: MakePerson,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    path = await subscribe(anna, "person", anna.id)
    first = (await client.get(path)).headers["last-modified"]
    clock.advance(timedelta(minutes=10))
    assert (await client.get(path)).headers["last-modified"] == first


async def test_a_stale_etag_wins_over_a_fresh_if_modified_since(
    client: AsyncTestClient[Litestar], make_person: MakePerson, subscribe: Subscribe
) -> None:
    anna = await make_person()
    path = await subscribe(anna, "person", anna.id)
    last_modified = (await client.get(path)).headers["last-modified"]
    response = await client.get(
        path, headers={"If-None-Match": '"stale"', "If-Modified-Since": last_modified}
    )
    assert response.status_code == 200


async def test_an_unreadable_if_modified_since_is_ignored(
    client: AsyncTestClient[Litestar], make_person: MakePerson, subscribe: Subscribe
) -> None:
    anna = await make_person()
    path = await subscribe(anna, "person", anna.id)
    response = await client.get(path, headers={"If-Modified-Since": "yesterday"})
    assert response.status_code == 200


async def test_the_last_used_time_is_written_at_most_once_a_minute(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    path = await subscribe(anna, "person", anna.id)

    async def last_used() -> object:
        await db.rollback()
        return (await db.execute(select(FeedToken.last_used_at))).scalar_one()

    await client.get(path)
    first = await last_used()
    assert first == clock.now()
    clock.advance(timedelta(seconds=59))
    await client.get(path)
    assert await last_used() == first
    clock.advance(timedelta(seconds=2))
    await client.get(path)
    assert await last_used() == clock.now()


async def test_a_conditional_request_counts_as_use(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    path = await subscribe(anna, "person", anna.id)
    etag = (await client.get(path)).headers["etag"]
    clock.advance(timedelta(minutes=5))
    assert (await client.get(path, headers={"If-None-Match": etag})).status_code == 304
    await db.rollback()
    assert (await db.execute(select(FeedToken.last_used_at))).scalar_one() == clock.now()


async def test_a_feed_url_without_the_ics_suffix_is_not_found(
    client: AsyncTestClient[Litestar], make_person: MakePerson, subscribe: Subscribe
) -> None:
    anna = await make_person()
    path = await subscribe(anna, "person", anna.id)
    assert (await client.get(path.removesuffix(".ics"))).status_code == 404


async def test_a_feed_needs_no_login(
    client: AsyncTestClient[Litestar], make_person: MakePerson, subscribe: Subscribe
) -> None:
    anna = await make_person()
    path = await subscribe(anna, "person", anna.id)
    assert "werkplek_session" not in client.cookies
    assert (await client.get(path)).status_code == 200
