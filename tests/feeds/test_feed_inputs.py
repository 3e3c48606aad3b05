"""A client holding a feed gets 304 only while nothing the feed shows has changed: every
input, changed after the feed was built, makes the next conditional request rebuild it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable

from tests.conftest import MakePerson, MakeSite, MakeSpace, MakeTeam
from tests.feeds.conftest import MakeBooking, MakeLocation, Subscribe, local
from werkplek.bookings.models import Booking
from werkplek.clock import FixedClock
from werkplek.db import Base
from werkplek.feeds.services import CANCELLED_VISIBLE_FOR, COMMIT_LAG
from werkplek.people.models import Person, Role, Team, TeamMembership
from werkplek.presence.models import WeeklyPattern, WorkLocation
from werkplek.rooms.models import Site, Space

THURSDAY = date(2026, 11, 26)
#: A change time from before the test's other rows were written (they read the system clock).
LONG_AGO = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


async def held_etag(client: AsyncTestClient[Litestar], clock: FixedClock, path: str) -> str:
    """Fetch the feed, let time pass, and check that it is still answered 304 unchanged."""
    etag = (await client.get(path)).headers["etag"]
    clock.advance(COMMIT_LAG + timedelta(minutes=1))
    assert (await client.get(path, headers={"If-None-Match": etag})).status_code == 304
    clock.advance(timedelta(minutes=1))  # the change below happens later still
    return etag


async def apply(db: AsyncSession, change: Any) -> None:
    """A new row, a statement, or a helper that makes the change itself."""
    if isinstance(change, Base):
        db.add(change)
    elif isinstance(change, Executable):
        await db.execute(change)
    else:
        await change()
    await db.commit()


async def rebuilt(client: AsyncTestClient[Litestar], path: str, etag: str) -> bool:
    response = await client.get(path, headers={"If-None-Match": etag})
    return response.status_code == 200 and response.headers["etag"] != etag


async def test_a_new_booking_rebuilds_my_feed(
    client: AsyncTestClient[Litestar],
    clock: FixedClock,
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    room = await make_space(await make_site(), "Reitdiep", kind="meeting_room")
    path = await subscribe(anna, "person", anna.id)
    etag = await held_etag(client, clock, path)
    await make_booking(room, anna, local(THURSDAY, 9), local(THURSDAY, 10), updated_at=clock.now())
    assert await rebuilt(client, path, etag)


async def test_a_booking_committed_just_after_the_build_with_an_earlier_change_time_is_found(
    client: AsyncTestClient[Litestar],
    clock: FixedClock,
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    room = await make_space(await make_site(), "Reitdiep", kind="meeting_room")
    path = await subscribe(anna, "person", anna.id)
    etag = (await client.get(path)).headers["etag"]
    stamped_before_the_build = clock.now() - COMMIT_LAG / 2
    await make_booking(
        room, anna, local(THURSDAY, 9), local(THURSDAY, 10), updated_at=stamped_before_the_build
    )
    clock.advance(timedelta(hours=1))
    assert await rebuilt(client, path, etag)


async def test_cancelling_and_moving_a_booking_rebuild_my_feed(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
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
    for change in (
        {"start_at": local(THURSDAY, 11), "end_at": local(THURSDAY, 12)},
        {"status": "cancelled", "cancelled_at": clock.now()},
    ):
        etag = await held_etag(client, clock, path)
        await db.execute(
            update(Booking)
            .where(Booking.id == booking.id)
            .values(**change, updated_at=clock.now(), sequence=Booking.sequence + 1)
        )
        await db.commit()
        assert await rebuilt(client, path, etag)


async def test_a_cancelled_booking_leaving_after_a_week_rebuilds_my_feed(
    client: AsyncTestClient[Litestar],
    clock: FixedClock,
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    room = await make_space(await make_site(), "Reitdiep", kind="meeting_room")
    cancelled_at = clock.now() - CANCELLED_VISIBLE_FOR + timedelta(hours=1)
    await make_booking(
        room,
        anna,
        local(THURSDAY - timedelta(days=8), 9),
        local(THURSDAY - timedelta(days=8), 10),
        status="cancelled",
        cancelled_at=cancelled_at,
        updated_at=cancelled_at,
    )
    path = await subscribe(anna, "person", anna.id)
    etag = await held_etag(client, clock, path)
    clock.advance(timedelta(hours=1))  # the same day: only the booking's week is over
    assert await rebuilt(client, path, etag)


async def test_setting_and_clearing_a_work_location_rebuild_my_feed(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    path = await subscribe(anna, "person", anna.id)
    etag = await held_etag(client, clock, path)
    db.add(
        WorkLocation(
            person_id=anna.id,
            date=THURSDAY,
            day_part="morning",
            kind="home",
            updated_by_id=anna.id,
            updated_at=clock.now(),
        )
    )
    await db.commit()
    assert await rebuilt(client, path, etag)
    etag = await held_etag(client, clock, path)
    await db.execute(delete(WorkLocation).where(WorkLocation.person_id == anna.id))
    await db.commit()
    assert await rebuilt(client, path, etag)


async def test_clearing_a_work_location_set_long_ago_rebuilds_the_team_feed(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    make_team: MakeTeam,
    make_location: MakeLocation,
    subscribe: Subscribe,
) -> None:
    """Its change time is older than the build: only the count of deletions shows it."""
    team = await make_team("Vergunningen")
    lead = await make_person(roles=(Role.TEAMLEAD,), lead_of=(team,))
    bram = await make_person("Bram Smit", teams=(team,))
    await make_location(bram, THURSDAY, "morning", "home", updated_at=LONG_AGO)
    path = await subscribe(lead, "team", team.id)
    etag = await held_etag(client, clock, path)
    await apply(db, delete(WorkLocation).where(WorkLocation.person_id == bram.id))
    assert await rebuilt(client, path, etag)


async def test_clearing_a_work_location_set_long_ago_rebuilds_my_feed(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    make_location: MakeLocation,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    await make_location(anna, THURSDAY, "morning", "home", updated_at=LONG_AGO)
    path = await subscribe(anna, "person", anna.id)
    etag = await held_etag(client, clock, path)
    await apply(db, delete(WorkLocation).where(WorkLocation.person_id == anna.id))
    assert await rebuilt(client, path, etag)


async def test_changing_the_weekly_pattern_rebuilds_my_feed(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    db.add(WeeklyPattern(person_id=anna.id, weekday=0, morning_kind="home", afternoon_kind="home"))
    await db.commit()
    path = await subscribe(anna, "person", anna.id)
    etag = await held_etag(client, clock, path)
    await db.execute(
        update(WeeklyPattern)
        .where(WeeklyPattern.person_id == anna.id)
        .values(morning_kind="absent")
    )
    await db.commit()
    assert await rebuilt(client, path, etag)


async def test_renaming_the_person_or_a_space_rebuilds_my_feed(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    anna = await make_person("Anna de Vries")
    room = await make_space(await make_site(), "Reitdiep", kind="meeting_room")
    await make_booking(room, anna, local(THURSDAY, 9), local(THURSDAY, 10))
    path = await subscribe(anna, "person", anna.id)
    for statement in (
        update(Person).where(Person.id == anna.id).values(name="Anna Bakker"),
        update(Space).where(Space.id == room.id).values(name="Lauwers"),
    ):
        etag = await held_etag(client, clock, path)
        await db.execute(statement)
        await db.commit()
        assert await rebuilt(client, path, etag)


async def test_a_new_language_of_the_subscriber_rebuilds_the_feed(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    path = await subscribe(anna, "person", anna.id)
    etag = await held_etag(client, clock, path)
    await db.execute(update(Person).where(Person.id == anna.id).values(language="en"))
    await db.commit()
    assert await rebuilt(client, path, etag)


async def test_each_change_to_a_team_rebuilds_its_feed(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    make_team: MakeTeam,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    make_location: MakeLocation,
    subscribe: Subscribe,
) -> None:
    team = await make_team("Vergunningen")
    lead = await make_person(roles=(Role.TEAMLEAD,), lead_of=(team,))
    bram = await make_person("Bram Smit", teams=(team,))
    carla = await make_person("Carla Dijk")
    desk = await make_space(await make_site(), "2.14")
    await make_location(carla, THURSDAY, "morning", "home")  # shown once she joins
    path = await subscribe(lead, "team", team.id)

    async def member_booking() -> None:
        await make_booking(
            desk, bram, local(THURSDAY, 8), local(THURSDAY, 13), updated_at=clock.now()
        )

    async def member_location() -> None:
        await make_location(carla, THURSDAY, "afternoon", "home", updated_at=clock.now())

    changes: list[Any] = [
        update(Team).where(Team.id == team.id).values(name="Vergunningen en handhaving"),
        member_booking,
        update(Person).where(Person.id == bram.id).values(name="Bram de Smit"),
        update(Space).where(Space.id == desk.id).values(name="2.15"),
        update(Person).where(Person.id == bram.id).values(hide_desk=True),
        TeamMembership(person_id=carla.id, team_id=team.id),
        member_location,
        WeeklyPattern(person_id=bram.id, weekday=4, morning_kind="home", afternoon_kind="home"),
        delete(TeamMembership).where(TeamMembership.person_id == carla.id),
    ]
    for change in changes:
        etag = await held_etag(client, clock, path)
        await apply(db, change)
        assert await rebuilt(client, path, etag), str(change)


async def test_a_space_renamed_with_an_earlier_change_time_than_the_latest_rebuilds_the_feed(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    make_team: MakeTeam,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    """Its write was stamped first but committed after another space's and the build."""
    team = await make_team("Vergunningen")
    lead = await make_person(roles=(Role.TEAMLEAD,), lead_of=(team,))
    bram = await make_person("Bram Smit", teams=(team,))
    site = await make_site()
    desk = await make_space(site, "2.14")
    other_desk = await make_space(site, "2.16")
    await make_booking(desk, bram, local(THURSDAY, 8), local(THURSDAY, 13))
    path = await subscribe(lead, "team", team.id)
    latest = datetime.now(UTC)
    await apply(db, update(Space).where(Space.id == other_desk.id).values(updated_at=latest))
    etag = await held_etag(client, clock, path)
    stamped_first = latest - timedelta(minutes=1)
    await apply(
        db, update(Space).where(Space.id == desk.id).values(name="2.15", updated_at=stamped_first)
    )
    assert await rebuilt(client, path, etag)


async def test_each_change_to_a_site_rebuilds_its_feed(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    anna = await make_person("Anna de Vries")
    site = await make_site()
    room = await make_space(site, "Reitdiep", kind="meeting_room")
    await make_booking(room, anna, local(THURSDAY, 9), local(THURSDAY, 10))
    path = await subscribe(anna, "site", site.id)

    async def new_booking() -> None:
        await make_booking(
            room, anna, local(THURSDAY, 11), local(THURSDAY, 12), updated_at=clock.now()
        )

    changes: list[Any] = [
        new_booking,
        update(Person).where(Person.id == anna.id).values(name="Anna Bakker"),
        update(Space).where(Space.id == room.id).values(name="Lauwers"),
        update(Site).where(Site.id == site.id).values(name="Kantoor Grootegast"),
    ]
    for change in changes:
        etag = await held_etag(client, clock, path)
        await apply(db, change)
        assert await rebuilt(client, path, etag), str(change)


async def test_a_desk_booking_at_the_site_leaves_its_room_feed_alone(
    client: AsyncTestClient[Litestar],
    clock: FixedClock,
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    site = await make_site()
    desk = await make_space(site, "2.14")
    path = await subscribe(anna, "site", site.id)
    etag = await held_etag(client, clock, path)
    await make_booking(desk, anna, local(THURSDAY, 8), local(THURSDAY, 13), updated_at=clock.now())
    assert (await client.get(path, headers={"If-None-Match": etag})).status_code == 304


async def test_renaming_a_desk_at_the_site_leaves_its_room_feed_alone(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    site = await make_site()
    desk = await make_space(site, "2.14")
    path = await subscribe(anna, "site", site.id)
    etag = await held_etag(client, clock, path)
    await apply(db, update(Space).where(Space.id == desk.id).values(name="2.15"))
    assert (await client.get(path, headers={"If-None-Match": etag})).status_code == 304


async def test_erasing_the_holder_of_a_shown_booking_rebuilds_the_site_feed(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    """The database clears the booking's holder without stamping the booking, and Bram
    last changed long before anyone else: no change time shows his removal."""
    anna = await make_person("Anna de Vries")
    bram = await make_person("Bram Smit")
    site = await make_site()
    await make_booking(
        await make_space(site, "Reitdiep", kind="meeting_room"),
        bram,
        local(THURSDAY, 9),
        local(THURSDAY, 10),
    )
    await apply(db, update(Person).where(Person.id == bram.id).values(updated_at=LONG_AGO))
    path = await subscribe(anna, "site", site.id)
    etag = await held_etag(client, clock, path)
    await apply(db, delete(Person).where(Person.id == bram.id))
    assert await rebuilt(client, path, etag)


async def test_deleting_the_space_of_a_members_desk_booking_rebuilds_the_team_feed(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    make_team: MakeTeam,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    """The booking goes with it, by the database's cascade, stamping nothing, and the
    desk last changed long before any other space: no change time shows its removal."""
    team = await make_team("Vergunningen")
    lead = await make_person(roles=(Role.TEAMLEAD,), lead_of=(team,))
    bram = await make_person("Bram Smit", teams=(team,))
    site = await make_site()
    desk = await make_space(site, "2.14")
    await make_space(site, "2.16")
    await make_booking(desk, bram, local(THURSDAY, 8), local(THURSDAY, 13))
    await apply(db, update(Space).where(Space.id == desk.id).values(updated_at=LONG_AGO))
    path = await subscribe(lead, "team", team.id)
    etag = await held_etag(client, clock, path)
    await apply(db, delete(Space).where(Space.id == desk.id))
    assert await rebuilt(client, path, etag)


async def test_moving_a_booking_of_a_space_rebuilds_its_feed(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
    make_site: MakeSite,
    make_space: MakeSpace,
    make_booking: MakeBooking,
    subscribe: Subscribe,
) -> None:
    anna = await make_person()
    room = await make_space(await make_site(), "Reitdiep", kind="meeting_room")
    booking = await make_booking(room, anna, local(THURSDAY, 9), local(THURSDAY, 10))
    path = await subscribe(anna, "space", room.id)
    etag = await held_etag(client, clock, path)
    await db.execute(
        update(Booking)
        .where(Booking.id == booking.id)
        .values(start_at=local(THURSDAY, 14), end_at=local(THURSDAY, 15), updated_at=clock.now())
    )
    await db.commit()
    assert await rebuilt(client, path, etag)
