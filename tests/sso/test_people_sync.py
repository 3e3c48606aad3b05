"""People sync: `werkplek import-people` updates people without touching their bookings;
people missing from a full export are deactivated (never deleted) and the bookings held
for them that have not started are cancelled, so others can use those desks and rooms."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from litestar import Litestar
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import MakePerson
from werkplek.audit.models import AuditEvent
from werkplek.bookings.models import Booking
from werkplek.bookings.services import cancel_bookings_of_leavers
from werkplek.cli import main
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.db import create_engine, create_sessionmaker
from werkplek.people.importer import import_people
from werkplek.people.models import Person
from werkplek.rooms.models import Site, Space

HEADER = "email,name,teams,topics,phone"


async def desks(db: AsyncSession, count: int = 1) -> list[Space]:
    site = Site(name="Stadskantoor", kind="central_office")
    db.add(site)
    await db.flush()
    spaces = [Space(site_id=site.id, name=f"Flexplek {n}", kind="desk") for n in range(count)]
    db.add_all(spaces)
    await db.commit()
    return spaces


async def book(
    db: AsyncSession, space: Space, person: Person, start: datetime, **fields: object
) -> Booking:
    booking = Booking(
        space_id=space.id,
        site_id=space.site_id,
        is_desk=True,
        booked_for_id=person.id,
        booked_by_id=fields.pop("booked_by_id", person.id),
        start_at=start,
        end_at=start + timedelta(hours=4),
        status="confirmed",
        created_at=start - timedelta(days=7),
        updated_at=start - timedelta(days=7),
        **fields,
    )
    db.add(booking)
    await db.commit()
    return booking


async def statuses(db: AsyncSession) -> dict[int, str]:
    await db.rollback()
    return dict((await db.execute(select(Booking.id, Booking.status))).all())


async def test_an_import_updates_teams_topics_and_contacts_without_touching_bookings(
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
) -> None:
    anna = await make_person("Anna", email="anna@gemeente.nl")
    [desk] = await desks(db)
    booking = await book(db, desk, anna, clock.now() + timedelta(days=1))
    before = (booking.status, booking.updated_at, booking.sequence)

    text = f"{HEADER}\nanna@gemeente.nl,Anna,Burgerzaken,paspoort,0594 70 100\n"
    report = await import_people(db, clock, text, deactivate_missing=True)
    await db.commit()

    assert report.updated == ["anna@gemeente.nl"]
    await db.rollback()
    fresh = {"populate_existing": True}
    anna = (await db.execute(select(Person), execution_options=fresh)).scalar_one()
    assert ([m.team.name for m in anna.memberships], anna.phone) == (["Burgerzaken"], "0594 70 100")
    assert [t.topic for t in anna.topics] == ["paspoort"]
    booking = (await db.execute(select(Booking), execution_options=fresh)).scalar_one()
    assert (booking.status, booking.updated_at, booking.sequence) == before


async def test_the_report_names_the_people_it_deactivates(
    db: AsyncSession, clock: FixedClock, make_person: MakePerson
) -> None:
    await make_person("Anna", email="anna@gemeente.nl")
    bram = await make_person("Bram", email="bram@gemeente.nl")

    await db.commit()  # the fixtures' reads end: the import begins as a writer
    report = await import_people(
        db, clock, f"{HEADER}\nanna@gemeente.nl,Anna,,,\n", deactivate_missing=True
    )

    assert (report.deactivated, report.deactivated_ids) == (["bram@gemeente.nl"], [bram.id])


async def test_bookings_of_leavers_are_cancelled_only_where_they_have_not_started(
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
) -> None:
    bram = await make_person("Bram")
    carla = await make_person("Carla")
    desk, desk2 = await desks(db, 2)
    now = clock.now()
    future = await book(db, desk, bram, now + timedelta(days=1))
    under_way = await book(db, desk, bram, now - timedelta(hours=1))
    past = await book(db, desk, bram, now - timedelta(days=1))
    for_carla = await book(db, desk2, carla, now + timedelta(days=1), booked_by_id=bram.id)

    cancelled = await cancel_bookings_of_leavers(db, clock, [bram.id])
    await db.commit()

    assert [b.id for b in cancelled] == [future.id]
    assert await statuses(db) == {
        future.id: "cancelled",
        under_way.id: "confirmed",
        past.id: "confirmed",
        for_carla.id: "confirmed",
    }
    reasons = (await db.execute(select(AuditEvent.details))).scalars().all()
    assert reasons == [{"reason": "person_deactivated"}]


async def test_a_dry_run_finds_the_bookings_but_cancels_none(
    db: AsyncSession,
    clock: FixedClock,
    make_person: MakePerson,
) -> None:
    bram = await make_person("Bram")
    [desk] = await desks(db)
    booking = await book(db, desk, bram, clock.now() + timedelta(days=1))

    found = await cancel_bookings_of_leavers(db, clock, [bram.id], dry_run=True)
    await db.commit()

    assert [b.id for b in found] == [booking.id]
    assert await statuses(db) == {booking.id: "confirmed"}


def arrange_leaver_with_booking(database_url: str) -> int:
    """Anna stays, Bram leaves with a desk booked for the day after tomorrow (real time:
    the command runs on the system clock); returns the booking's id."""

    async def arrange() -> int:
        engine = create_engine(database_url)
        try:
            async with create_sessionmaker(engine)() as db:
                now = datetime.now(UTC)
                people = [
                    Person(email=f"{name}@gemeente.nl", name=name, created_at=now)
                    for name in ("anna", "bram")
                ]
                db.add_all(people)
                await db.commit()
                [desk] = await desks(db)
                return (await book(db, desk, people[1], now + timedelta(days=2))).id
        finally:
            await engine.dispose()

    return asyncio.run(arrange())


@pytest.fixture
def run_import(
    app: Litestar,
    command_env: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Callable[..., tuple[int, str]]:
    monkeypatch.setenv("WERKPLEK_LANGUAGE", "en")

    def run_it(text: str, *options: str) -> tuple[int, str]:
        path = tmp_path / "people.csv"
        path.write_text(text, encoding="utf-8")
        code = main(["import-people", str(path), *options])
        return code, capsys.readouterr().out

    return run_it


def test_the_command_deactivates_the_missing_names_them_and_cancels_their_bookings(
    run_import: Callable[..., tuple[int, str]], settings: Settings
) -> None:
    booking_id = arrange_leaver_with_booking(settings.database_url)

    # Anna is made the administrator: the command refuses a file that leaves nobody one.
    text = "email,name,roles\nanna@gemeente.nl,anna,admin\n"
    dry_code, dry_out = run_import(text, "--deactivate-missing", "--dry-run")
    code, out = run_import(text, "--deactivate-missing")

    assert (dry_code, code) == (0, 0)
    assert "Would deactivate: bram@gemeente.nl" in dry_out
    assert "Would cancel bookings of deactivated people that have not started: 1." in dry_out
    assert "Deactivated: bram@gemeente.nl" in out
    assert "Cancelled bookings of deactivated people that had not started: 1." in out

    async def check() -> tuple[str, bool]:
        engine = create_engine(settings.database_url)
        try:
            async with create_sessionmaker(engine)() as db:
                booking = await db.get(Booking, booking_id)
                bram = (
                    await db.execute(select(Person).where(Person.email == "bram@gemeente.nl"))
                ).scalar_one()
                assert booking is not None
                return booking.status, bram.active
        finally:
            await engine.dispose()

    assert asyncio.run(check()) == ("cancelled", False)
