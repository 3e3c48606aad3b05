"""Where someone is per half day: explicit entry > desk booking > weekly pattern > unknown."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import MakePerson
from tests.presence.conftest import (
    TODAY,
    BookDesk,
    SetEntry,
    SetPattern,
    Sites,
)
from werkplek.presence.models import PresencePart, WorkKind
from werkplek.presence.services import DayView, load_presence, resolve_day
from werkplek.rooms.models import Space

WEDNESDAY = TODAY.weekday()


async def _day(db: AsyncSession, person_id: int, day: date = TODAY) -> DayView:
    data = await load_presence(db, [person_id], day, day)
    return resolve_day(data, person_id, day, None)


async def test_a_day_with_nothing_known_is_unknown(
    db: AsyncSession, make_person: MakePerson
) -> None:
    person = await make_person()
    view = await _day(db, person.id)
    assert (view.morning.kind, view.morning.source) == (None, "none")


async def test_the_weekly_pattern_fills_a_day_that_was_not_set(
    db: AsyncSession, make_person: MakePerson, sites: Sites, set_pattern: SetPattern
) -> None:
    person = await make_person()
    await set_pattern(person, WEDNESDAY, "office", site=sites.town_hall)
    view = await _day(db, person.id)
    assert (view.afternoon.kind, view.afternoon.site_id, view.afternoon.source) == (
        WorkKind.OFFICE,
        sites.town_hall.id,
        "pattern",
    )


async def test_the_pattern_of_another_weekday_does_not_fill_the_day(
    db: AsyncSession, make_person: MakePerson, set_pattern: SetPattern
) -> None:
    person = await make_person()
    await set_pattern(person, WEDNESDAY + 1, "home")
    view = await _day(db, person.id)
    assert view.morning.kind is None


async def test_a_pattern_can_split_the_day_into_office_and_home(
    db: AsyncSession, make_person: MakePerson, sites: Sites, set_pattern: SetPattern
) -> None:
    person = await make_person()
    await set_pattern(person, WEDNESDAY, "office", site=sites.town_hall, afternoon="home")
    view = await _day(db, person.id)
    assert (view.morning.kind, view.afternoon.kind) == (WorkKind.OFFICE, WorkKind.HOME)


async def test_the_pattern_does_not_fill_a_public_holiday(
    db: AsyncSession, make_person: MakePerson, set_pattern: SetPattern
) -> None:
    person = await make_person()
    christmas = date(2026, 12, 25)  # a Friday
    await set_pattern(person, christmas.weekday(), "home")
    view = await _day(db, person.id, christmas)
    assert view.morning.kind is None


async def test_a_desk_booking_implies_office_at_its_site(
    db: AsyncSession,
    make_person: MakePerson,
    sites: Sites,
    desk: Space,
    book_desk: BookDesk,
) -> None:
    person = await make_person()
    await book_desk(person, desk, TODAY)
    view = await _day(db, person.id)
    assert (view.morning.kind, view.morning.site_id, view.morning.desk, view.morning.source) == (
        WorkKind.OFFICE,
        sites.town_hall.id,
        "Flexplek 2.14",
        "booking",
    )


async def test_a_desk_booking_at_a_field_base_implies_field_base(
    db: AsyncSession, make_person: MakePerson, sites: Sites, book_desk: BookDesk
) -> None:
    person = await make_person()
    space = Space(site_id=sites.depot.id, name="Werkplek kantine", kind="desk", capacity=1)
    db.add(space)
    await db.commit()
    await book_desk(person, space, TODAY)
    view = await _day(db, person.id)
    assert view.afternoon.kind is WorkKind.FIELD_BASE


async def test_a_morning_desk_booking_leaves_the_afternoon_to_the_pattern(
    db: AsyncSession,
    make_person: MakePerson,
    desk: Space,
    book_desk: BookDesk,
    set_pattern: SetPattern,
) -> None:
    person = await make_person()
    await book_desk(person, desk, TODAY, "morning")
    await set_pattern(person, WEDNESDAY, "home")
    view = await _day(db, person.id)
    assert (view.morning.source, view.afternoon.source) == ("booking", "pattern")


async def test_a_desk_booking_beats_the_weekly_pattern(
    db: AsyncSession,
    make_person: MakePerson,
    desk: Space,
    book_desk: BookDesk,
    set_pattern: SetPattern,
) -> None:
    person = await make_person()
    await set_pattern(person, WEDNESDAY, "home")
    await book_desk(person, desk, TODAY)
    view = await _day(db, person.id)
    assert view.morning.kind is WorkKind.OFFICE


async def test_an_explicit_entry_beats_a_desk_booking(
    db: AsyncSession,
    make_person: MakePerson,
    desk: Space,
    book_desk: BookDesk,
    set_entry: SetEntry,
) -> None:
    person = await make_person()
    await book_desk(person, desk, TODAY)
    await set_entry(person, TODAY, "morning", "home")
    view = await _day(db, person.id)
    assert (view.morning.kind, view.morning.source) == (WorkKind.HOME, "entry")


async def test_an_explicit_entry_beats_the_weekly_pattern(
    db: AsyncSession,
    make_person: MakePerson,
    sites: Sites,
    set_entry: SetEntry,
    set_pattern: SetPattern,
) -> None:
    person = await make_person()
    await set_pattern(person, WEDNESDAY, "office", site=sites.town_hall)
    await set_entry(person, TODAY, "afternoon", "absent", reason="tandarts")
    view = await _day(db, person.id)
    assert (view.morning.kind, view.afternoon.kind) == (WorkKind.OFFICE, WorkKind.ABSENT)


async def test_an_office_entry_at_the_booked_site_keeps_the_desk(
    db: AsyncSession,
    make_person: MakePerson,
    sites: Sites,
    desk: Space,
    book_desk: BookDesk,
    set_entry: SetEntry,
) -> None:
    person = await make_person()
    await book_desk(person, desk, TODAY)
    await set_entry(person, TODAY, "morning", "office", site=sites.town_hall)
    view = await _day(db, person.id)
    assert view.morning.desk == "Flexplek 2.14"


async def test_a_cancelled_desk_booking_implies_nothing(
    db: AsyncSession, make_person: MakePerson, desk: Space, book_desk: BookDesk
) -> None:
    person = await make_person()
    await book_desk(person, desk, TODAY, status="cancelled")
    view = await _day(db, person.id)
    assert view.morning.kind is None


async def test_a_desk_booking_by_the_hour_covers_the_half_days_it_overlaps(
    db: AsyncSession, make_person: MakePerson, desk: Space, book_desk: BookDesk
) -> None:
    person = await make_person()
    booking = await book_desk(person, desk, TODAY, "morning")
    booking.day_part = None
    booking.end_at = booking.end_at.replace(hour=booking.end_at.hour + 2)  # until 15:00
    await db.commit()
    view = await _day(db, person.id)
    assert [view.slot(part).source for part in PresencePart] == ["booking", "booking"]


async def test_a_desk_booking_of_someone_else_says_nothing_about_me(
    db: AsyncSession, make_person: MakePerson, desk: Space, book_desk: BookDesk
) -> None:
    me, other = await make_person(), await make_person()
    await book_desk(other, desk, TODAY)
    view = await _day(db, me.id)
    assert view.morning.kind is None
