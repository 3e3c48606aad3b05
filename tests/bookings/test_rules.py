"""The booking rules, one fact per test, through the service as the API calls it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import (
    NEXT_MONDAY,
    SATURDAY,
    TODAY,
    TOMORROW,
    Book,
    MakeSite,
    MakeSpace,
    Run,
    World,
    actor,
    all_bookings,
    at,
    count_bookings,
    desk_booking,
    local,
    room_booking,
)
from tests.conftest import MakePerson, add_closure
from werkplek.audit.models import AuditEvent
from werkplek.bookings import services
from werkplek.bookings.schemas import BookingIn
from werkplek.clock import FixedClock
from werkplek.errors import DomainError
from werkplek.people.models import Role
from werkplek.rooms.services import DayPart


async def _refused(run: Run, clock: FixedClock, who: object, data: BookingIn) -> DomainError:
    with pytest.raises(DomainError) as info:
        await run(services.create_booking, clock, who, data)
    return info.value


# --- desks by day part --------------------------------------------------------------------


async def test_a_morning_runs_from_opening_to_the_split(world: World, book: Book) -> None:
    result = await book(world.anna, desk_booking(world.desk))

    booking = result.created[0]
    assert (booking.start_at, booking.end_at) == (at(TOMORROW, 7, 30), at(TOMORROW, 13))


async def test_an_afternoon_runs_from_the_split_to_closing(world: World, book: Book) -> None:
    data = desk_booking(world.desk, part=DayPart.AFTERNOON)
    booking = (await book(world.anna, data)).created[0]

    assert (booking.start_at, booking.end_at) == (at(TOMORROW, 13), at(TOMORROW, 18))


async def test_a_whole_day_runs_from_opening_to_closing(world: World, book: Book) -> None:
    data = desk_booking(world.desk, part=DayPart.DAY)
    booking = (await book(world.anna, data)).created[0]

    assert (booking.start_at, booking.end_at) == (at(TOMORROW, 7, 30), at(TOMORROW, 18))


async def test_a_quiet_desk_is_booked_like_a_desk(world: World, book: Book) -> None:
    booking = (await book(world.anna, desk_booking(world.quiet))).created[0]

    assert booking.is_desk and booking.day_part == "morning"


async def test_a_desk_cannot_be_booked_by_start_and_end(
    world: World, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    error = await _refused(run, clock, actor(world.anna), room_booking(world.desk))

    assert (error.code, error.field, error.status_code) == ("wrong_booking_kind", "start", 422)
    assert await count_bookings(db) == 0


async def test_a_room_cannot_be_booked_by_day_part(
    world: World, run: Run, clock: FixedClock
) -> None:
    error = await _refused(run, clock, actor(world.anna), desk_booking(world.room))

    assert (error.code, error.field) == ("wrong_booking_kind", "day_part")


async def test_a_desk_booking_needs_a_day_part(world: World, run: Run, clock: FixedClock) -> None:
    data = BookingIn(space_id=world.desk.id, date=TOMORROW)

    error = await _refused(run, clock, actor(world.anna), data)

    assert (error.code, error.field) == ("missing_day_part", "day_part")


# --- time ---------------------------------------------------------------------------------


async def test_yesterday_is_in_the_past(world: World, run: Run, clock: FixedClock) -> None:
    error = await _refused(
        run, clock, actor(world.anna), desk_booking(world.desk, TODAY - timedelta(days=1))
    )

    assert (error.code, error.field) == ("in_the_past", "date")


async def test_a_morning_that_has_ended_is_in_the_past(
    world: World, run: Run, clock: FixedClock
) -> None:
    clock.set(at(TODAY, 14))

    error = await _refused(run, clock, actor(world.anna), desk_booking(world.desk, TODAY))

    assert error.code == "in_the_past"


async def test_the_morning_under_way_can_still_be_booked(world: World, book: Book) -> None:
    result = await book(world.anna, desk_booking(world.desk, TODAY))

    assert result.created[0].start_at == at(TODAY, 7, 30)


async def test_a_room_cannot_start_in_the_past(world: World, run: Run, clock: FixedClock) -> None:
    error = await _refused(
        run, clock, actor(world.anna), room_booking(world.room, TODAY, (8, 0), (9, 0))
    )

    assert (error.code, error.field) == ("in_the_past", "start")


async def test_a_room_booking_that_ended_minutes_ago_is_in_the_past(
    world: World, run: Run, clock: FixedClock
) -> None:
    error = await _refused(
        run, clock, actor(world.anna), room_booking(world.room, TODAY, (9, 50), (9, 55))
    )

    assert (error.code, error.field) == ("in_the_past", "end")


async def test_booking_beyond_max_days_ahead_is_too_far_ahead(
    world: World, run: Run, clock: FixedClock
) -> None:
    day = TODAY + timedelta(days=15)  # the site allows 14

    error = await _refused(run, clock, actor(world.anna), desk_booking(world.desk, day))

    assert (error.code, error.field) == ("too_far_ahead", "date")
    assert error.params["max_days_ahead"] == 14


async def test_booking_exactly_max_days_ahead_is_allowed(world: World, book: Book) -> None:
    day = TODAY + timedelta(days=14)

    result = await book(world.anna, desk_booking(world.desk, day))

    assert len(result.created) == 1


async def test_the_end_must_be_after_the_start(world: World, run: Run, clock: FixedClock) -> None:
    error = await _refused(
        run, clock, actor(world.anna), room_booking(world.room, start=(11, 0), end=(10, 0))
    )

    assert (error.code, error.field) == ("invalid_time_range", "end")


async def test_a_booking_of_zero_length_is_refused(
    world: World, run: Run, clock: FixedClock
) -> None:
    error = await _refused(
        run, clock, actor(world.anna), room_booking(world.room, start=(10, 0), end=(10, 0))
    )

    assert error.code == "invalid_time_range"


async def test_a_room_start_with_seconds_is_refused_at_start(
    world: World, run: Run, clock: FixedClock
) -> None:
    start = (at(TOMORROW, 10) + timedelta(seconds=30)).isoformat()
    data = BookingIn(space_id=world.room.id, start=start, end=local(TOMORROW, 11))

    error = await _refused(run, clock, actor(world.anna), data)

    assert (error.code, error.field) == ("invalid_time", "start")


async def test_a_room_end_with_seconds_is_refused_at_end(
    world: World, run: Run, clock: FixedClock
) -> None:
    end = (at(TOMORROW, 11) + timedelta(seconds=1)).isoformat()
    data = BookingIn(space_id=world.room.id, start=local(TOMORROW, 10), end=end)

    error = await _refused(run, clock, actor(world.anna), data)

    assert (error.code, error.field) == ("invalid_time", "end")


# --- opening hours, closures, holidays ----------------------------------------------------


async def test_a_room_cannot_start_before_opening(
    world: World, run: Run, clock: FixedClock
) -> None:
    error = await _refused(
        run, clock, actor(world.anna), room_booking(world.room, start=(7, 0), end=(8, 0))
    )

    assert (error.code, error.field) == ("outside_opening_hours", "start")


async def test_a_room_cannot_end_after_closing(world: World, run: Run, clock: FixedClock) -> None:
    error = await _refused(
        run, clock, actor(world.anna), room_booking(world.room, start=(17, 30), end=(18, 30))
    )

    assert (error.code, error.field) == ("outside_opening_hours", "end")


async def test_a_room_booking_ends_on_the_day_it_starts(
    world: World, run: Run, clock: FixedClock
) -> None:
    data = BookingIn(
        space_id=world.room.id,
        start=local(TOMORROW, 17),
        end=local(TOMORROW + timedelta(days=1), 8),
    )

    error = await _refused(run, clock, actor(world.anna), data)

    assert error.code == "outside_opening_hours"


async def test_a_closed_weekday_cannot_be_booked(world: World, run: Run, clock: FixedClock) -> None:
    error = await _refused(run, clock, actor(world.anna), desk_booking(world.desk, SATURDAY))

    assert (error.code, error.field) == ("site_closed", "date")


async def test_a_dutch_public_holiday_cannot_be_booked(
    world: World, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    world.site.max_days_ahead = 60
    await db.commit()
    christmas = TODAY.replace(month=12, day=25)  # a Friday

    error = await _refused(run, clock, actor(world.anna), desk_booking(world.desk, christmas))

    assert error.code == "site_closed"
    assert error.params["reason"] == "Eerste kerstdag"


async def test_a_site_that_ignores_holidays_can_be_booked_on_one(
    make_site: MakeSite, make_space: MakeSpace, make_person: MakePerson, book: Book
) -> None:
    site = await make_site(observe_public_holidays=False, max_days_ahead=60)
    desk = await make_space(site)
    person = await make_person()

    result = await book(person, desk_booking(desk, TODAY.replace(month=12, day=25)))

    assert len(result.created) == 1


async def test_a_site_closure_cannot_be_booked(
    world: World, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    await add_closure(db, world.site, TOMORROW, TOMORROW, reason="Verbouwing")

    error = await _refused(run, clock, actor(world.anna), desk_booking(world.desk))

    assert error.code == "site_closed"
    assert "Verbouwing" in error.message


async def test_a_closed_space_cannot_be_booked(
    world: World, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    await add_closure(db, world.site, TOMORROW, TOMORROW, space=world.desk, reason="Nieuwe stoel")

    error = await _refused(run, clock, actor(world.anna), desk_booking(world.desk))

    assert error.code == "space_closed"


async def test_a_space_closure_leaves_other_spaces_bookable(
    world: World, db: AsyncSession, book: Book
) -> None:
    await add_closure(db, world.site, TOMORROW, TOMORROW, space=world.desk)

    result = await book(world.anna, desk_booking(world.desk2))

    assert len(result.created) == 1


# --- spaces -------------------------------------------------------------------------------


async def test_an_unknown_space_is_refused(world: World, run: Run, clock: FixedClock) -> None:
    error = await _refused(
        run,
        clock,
        actor(world.anna),
        BookingIn(space_id=9999, date=TOMORROW, day_part=DayPart.MORNING),
    )

    assert (error.code, error.field, error.status_code) == ("unknown_space", "space_id", 422)


async def test_an_inactive_space_is_refused(
    world: World, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    world.desk.active = False
    await db.commit()

    error = await _refused(run, clock, actor(world.anna), desk_booking(world.desk))

    assert (error.code, error.field) == ("space_inactive", "space_id")


async def test_more_attendees_than_the_room_holds_is_over_capacity(
    world: World, run: Run, clock: FixedClock
) -> None:
    error = await _refused(run, clock, actor(world.anna), room_booking(world.room, attendees=7))

    assert (error.code, error.field) == ("over_capacity", "attendees")


async def test_a_full_room_is_fine(world: World, book: Book) -> None:
    result = await book(world.anna, room_booking(world.room, attendees=6))

    assert result.created[0].attendees == 6


async def test_a_space_restricted_to_a_team_refuses_others(
    make_team: object, world: World, make_space: MakeSpace, run: Run, clock: FixedClock
) -> None:
    team = await make_team("Vergunningen")  # type: ignore[operator]
    desk = await make_space(world.site, "Teamplek", teams=(team,))

    error = await _refused(run, clock, actor(world.anna), desk_booking(desk))

    assert (error.code, error.field) == ("restricted_space", "space_id")


async def test_a_space_restricted_to_a_team_admits_its_members(
    make_team: object, world: World, make_space: MakeSpace, make_person: MakePerson, book: Book
) -> None:
    team = await make_team("Vergunningen")  # type: ignore[operator]
    desk = await make_space(world.site, "Teamplek", teams=(team,))
    member = await make_person("Bram", teams=(team,))

    result = await book(member, desk_booking(desk))

    assert len(result.created) == 1


# --- overlaps -----------------------------------------------------------------------------


async def test_an_overlap_on_the_same_space_is_a_conflict_with_its_times(
    world: World, run: Run, clock: FixedClock, make_person: MakePerson, book: Book
) -> None:
    await book(world.anna, room_booking(world.room, start=(10, 0), end=(11, 0)))
    bram = await make_person("Bram")

    error = await _refused(
        run, clock, actor(bram), room_booking(world.room, start=(10, 30), end=(12, 0))
    )

    assert (error.code, error.status_code) == ("booking_conflict", 409)
    assert error.params["start"] == at(TOMORROW, 10).isoformat()
    assert error.params["end"] == at(TOMORROW, 11).isoformat()


async def test_a_conflict_with_ones_own_booking_says_it_is_ones_own(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    await book(world.anna, room_booking(world.room, start=(10, 0), end=(11, 0)))

    error = await _refused(
        run, clock, actor(world.anna), room_booking(world.room, start=(10, 30), end=(12, 0))
    )

    assert error.message == "U hebt deze ruimte al gereserveerd op 26-11-2026 van 10:00 tot 11:00."


async def test_booking_a_colleagues_own_desk_for_them_does_not_tell_whose_it_is(
    world: World, run: Run, clock: FixedClock, make_person: MakePerson, book: Book
) -> None:
    """The KCC, booking for Anna, learns only that the desk is taken, as for any other
    taken desk: Anna may hide which desk is hers."""
    await book(world.anna, desk_booking(world.desk))
    kcc = await make_person("Karin KCC", roles=(Role.KCC,))

    error = await _refused(
        run, clock, actor(kcc), desk_booking(world.desk, booked_for_id=world.anna.id)
    )

    assert error.message == "Deze ruimte is al gereserveerd op 26-11-2026 van 07:30 tot 13:00."


@pytest.fixture
def check_misses_the_winner(backend: str, monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Once called, the next check before an insert finds nothing, as when the winner of
    a race commits just after it: PostgreSQL's exclusion constraints must then say no."""
    if backend != "postgres":
        pytest.skip("on SQLite the write lock keeps a check and its insert together")
    real_check = services._conflicts

    async def nothing_yet(*args: Any) -> tuple[None, None]:
        monkeypatch.setattr(services, "_conflicts", real_check)
        return None, None

    return lambda: monkeypatch.setattr(services, "_conflicts", nothing_yet)


async def test_a_race_lost_at_the_insert_is_a_conflict_with_the_winners_times(
    world: World,
    run: Run,
    clock: FixedClock,
    make_person: MakePerson,
    db: AsyncSession,
    check_misses_the_winner: Callable[[], None],
    book: Book,
) -> None:
    bram = await make_person("Bram")
    await book(world.anna, room_booking(world.room, start=(10, 0), end=(11, 0)))
    check_misses_the_winner()

    error = await _refused(
        run, clock, actor(bram), room_booking(world.room, start=(10, 30), end=(12, 0))
    )

    assert (error.code, error.params["start"], error.params["end"]) == (
        "booking_conflict",
        at(TOMORROW, 10).isoformat(),
        at(TOMORROW, 11).isoformat(),
    )
    assert await count_bookings(db) == 1


async def test_a_race_for_a_second_desk_lost_at_the_insert_says_one_has_a_desk(
    world: World,
    run: Run,
    clock: FixedClock,
    db: AsyncSession,
    check_misses_the_winner: Callable[[], None],
    book: Book,
) -> None:
    await book(world.anna, desk_booking(world.desk))
    check_misses_the_winner()

    error = await _refused(run, clock, actor(world.anna), desk_booking(world.desk2))

    assert (error.code, error.status_code) == ("already_has_desk", 422)
    assert await count_bookings(db) == 1


async def test_a_race_lost_at_the_insert_in_a_callers_savepoint_keeps_the_callers_transaction(
    world: World,
    run: Run,
    clock: FixedClock,
    make_person: MakePerson,
    db: AsyncSession,
    check_misses_the_winner: Callable[[], None],
    book: Book,
) -> None:
    """A team day books each member in a savepoint: losing one member's race must not
    undo the desks booked before it in the same transaction."""
    bram = await make_person("Bram")
    await book(world.anna, room_booking(world.room, start=(10, 0), end=(11, 0)))

    async def desk_then_lost_room(session: AsyncSession) -> DomainError:
        await services.create_booking(session, clock, actor(bram), desk_booking(world.desk))
        check_misses_the_winner()
        with pytest.raises(DomainError) as refused:
            async with session.begin_nested():
                await services.create_booking(
                    session, clock, actor(bram), room_booking(world.room, start=(10, 30))
                )
        return refused.value

    error = await run(desk_then_lost_room)

    assert error.code == "booking_conflict"
    assert await count_bookings(db, booked_for_id=bram.id) == 1


async def test_back_to_back_bookings_do_not_overlap(
    world: World, make_person: MakePerson, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    bram = await make_person("Bram")

    result = await book(bram, desk_booking(world.desk, part=DayPart.AFTERNOON))

    assert len(result.created) == 1


async def test_a_whole_day_conflicts_with_a_morning(
    world: World, run: Run, clock: FixedClock, make_person: MakePerson, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    bram = await make_person("Bram")

    error = await _refused(run, clock, actor(bram), desk_booking(world.desk, part=DayPart.DAY))

    assert error.code == "booking_conflict"


async def test_one_person_holds_one_desk_at_a_time(
    world: World, run: Run, clock: FixedClock, db: AsyncSession, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))

    error = await _refused(
        run, clock, actor(world.anna), desk_booking(world.desk2, part=DayPart.DAY)
    )

    assert (error.code, error.status_code) == ("already_has_desk", 422)
    assert await count_bookings(db) == 1


async def test_a_second_desk_is_refused_naming_when_the_first_is_held(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))

    error = await _refused(run, clock, actor(world.anna), desk_booking(world.desk2))

    assert error.message == (
        "U hebt op 26-11-2026 van 07:30 tot 13:00 al een werkplek gereserveerd."
    )


async def test_a_desk_for_a_colleague_holding_one_is_refused_naming_when(
    world: World, run: Run, clock: FixedClock, make_person: MakePerson, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    fenna = await make_person("Fenna", roles=(Role.FACILITIES,))

    error = await _refused(
        run, clock, actor(fenna), desk_booking(world.desk2, booked_for_id=world.anna.id)
    )

    assert error.message == (
        "Deze collega heeft op 26-11-2026 van 07:30 tot 13:00 al een werkplek gereserveerd."
    )


async def test_a_desk_and_a_room_may_be_held_at_the_same_time(world: World, book: Book) -> None:
    await book(world.anna, desk_booking(world.desk))

    result = await book(world.anna, room_booking(world.room))

    assert len(result.created) == 1


async def test_a_cancelled_booking_frees_the_space(
    world: World, run: Run, clock: FixedClock, make_person: MakePerson, book: Book
) -> None:
    first = await book(world.anna, desk_booking(world.desk))
    await run(services.cancel_booking, clock, actor(world.anna), first.created[0].id)
    bram = await make_person("Bram")

    result = await book(bram, desk_booking(world.desk))

    assert len(result.created) == 1


# --- capacity cap -------------------------------------------------------------------------


async def test_the_capacity_cap_stops_bookings_past_its_percentage(
    make_site: MakeSite,
    make_space: MakeSpace,
    make_person: MakePerson,
    run: Run,
    clock: FixedClock,
    book: Book,
) -> None:
    site = await make_site(capacity_cap_percent=50)
    desks = [await make_space(site, f"Plek {n}") for n in range(4)]  # 50 % of 4 = 2
    people = [await make_person() for _ in range(3)]
    for desk, person in zip(desks[:2], people, strict=False):
        await book(person, desk_booking(desk))

    error = await _refused(run, clock, actor(people[2]), desk_booking(desks[2]))

    assert (error.code, error.params["limit"]) == ("capacity_cap_reached", 2)


async def test_the_capacity_cap_refusal_writes_the_percentage_as_the_reports_do(
    make_site: MakeSite,
    make_space: MakeSpace,
    make_person: MakePerson,
    run: Run,
    clock: FixedClock,
    book: Book,
) -> None:
    site = await make_site(capacity_cap_percent=50)
    desks = [await make_space(site, f"Plek {n}") for n in range(2)]  # 50 % of 2 = 1
    people = [await make_person() for _ in range(2)]
    await book(people[0], desk_booking(desks[0]))

    error = await _refused(run, clock, actor(people[1]), desk_booking(desks[1]))

    assert error.message.startswith("Op deze locatie mag hoogstens 50\u00a0% van de werkplekken")


def test_the_capacity_cap_rounds_down() -> None:
    assert services.cap_limit(7, 50) == 3


def test_the_capacity_cap_lets_at_least_one_desk_be_booked() -> None:
    assert services.cap_limit(1, 50) == 1


def test_the_capacity_cap_of_a_site_without_desks_is_none() -> None:
    assert services.cap_limit(0, 50) == 0


async def test_the_only_desk_of_a_capped_site_can_be_booked(
    make_site: MakeSite, make_space: MakeSpace, make_person: MakePerson, run: Run, clock: FixedClock
) -> None:
    site = await make_site(capacity_cap_percent=50)
    desk = await make_space(site, "Plek")

    result = await run(
        services.create_booking, clock, actor(await make_person()), desk_booking(desk)
    )

    assert len(result.created) == 1


async def test_the_capacity_cap_counts_each_day_part_on_its_own(
    make_site: MakeSite, make_space: MakeSpace, make_person: MakePerson, book: Book
) -> None:
    site = await make_site(capacity_cap_percent=50)
    desks = [await make_space(site, f"Plek {n}") for n in range(2)]  # 1 per day part
    anna, bram = await make_person(), await make_person()
    await book(anna, desk_booking(desks[0]))

    result = await book(bram, desk_booking(desks[1], part=DayPart.AFTERNOON))

    assert len(result.created) == 1


async def test_the_capacity_cap_counts_someone_who_moved_desks_once(
    make_site: MakeSite,
    make_space: MakeSpace,
    make_person: MakePerson,
    run: Run,
    clock: FixedClock,
    book: Book,
) -> None:
    site = await make_site(capacity_cap_percent=50)
    desks = [await make_space(site, f"Plek {n}") for n in range(2)]  # 1 per day part
    anna = await make_person()
    made = await book(anna, desk_booking(desks[0], TODAY, "morning"))
    await run(services.check_in, clock, actor(anna), made.created[0].id)

    moved = await run(
        services.move_desk_booking, clock, actor(anna), made.created[0].id, desks[1].id
    )

    assert len(moved.created) == 1


async def test_rooms_do_not_count_for_the_capacity_cap(
    make_site: MakeSite, make_space: MakeSpace, make_person: MakePerson, book: Book
) -> None:
    site = await make_site(capacity_cap_percent=50)
    desk = await make_space(site, "Plek")
    await make_space(site, "Plek 2")
    room = await make_space(site, "Zaal", kind="meeting_room", capacity=4)
    anna = await make_person()
    await book(anna, desk_booking(desk))

    result = await book(anna, room_booking(room))

    assert len(result.created) == 1


# --- approval -----------------------------------------------------------------------------


async def test_a_room_that_needs_approval_is_booked_as_pending(
    world: World, make_space: MakeSpace, book: Book
) -> None:
    room = await make_space(
        world.site, "Raadzaal", kind="meeting_room", capacity=30, requires_approval=True
    )

    result = await book(world.anna, room_booking(room))

    assert result.created[0].status == "pending"


async def test_a_pending_booking_holds_the_slot(
    world: World,
    make_space: MakeSpace,
    make_person: MakePerson,
    run: Run,
    clock: FixedClock,
    book: Book,
) -> None:
    room = await make_space(
        world.site, "Raadzaal", kind="meeting_room", capacity=30, requires_approval=True
    )
    await book(world.anna, room_booking(room))
    bram = await make_person("Bram")

    error = await _refused(run, clock, actor(bram), room_booking(room))

    assert error.code == "booking_conflict"


async def test_facilities_book_a_room_that_needs_approval_directly(
    world: World, make_space: MakeSpace, make_person: MakePerson, book: Book
) -> None:
    room = await make_space(
        world.site, "Raadzaal", kind="meeting_room", capacity=30, requires_approval=True
    )
    facilities = await make_person("Fenna", roles=(Role.FACILITIES,))

    result = await book(facilities, room_booking(room))

    assert result.created[0].status == "confirmed"


# --- bookkeeping --------------------------------------------------------------------------


async def test_a_new_booking_records_who_booked_it_and_when(
    world: World, clock: FixedClock, db: AsyncSession, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))

    (booking,) = await all_bookings(db)
    assert (booking.booked_for_id, booking.booked_by_id) == (world.anna.id, world.anna.id)
    assert booking.created_at == booking.updated_at == clock.now()
    assert booking.sequence == 0


async def test_cancelling_bumps_sequence_and_update_time(
    world: World, run: Run, clock: FixedClock, db: AsyncSession, book: Book
) -> None:
    result = await book(world.anna, desk_booking(world.desk))
    clock.advance(timedelta(minutes=5))

    await run(services.cancel_booking, clock, actor(world.anna), result.created[0].id)

    (booking,) = await all_bookings(db)
    assert (booking.status, booking.sequence) == ("cancelled", 1)
    assert booking.updated_at == booking.cancelled_at == clock.now()


async def test_every_change_is_audited(
    world: World, run: Run, clock: FixedClock, db: AsyncSession, book: Book
) -> None:
    clock.set(at(TOMORROW, 7))
    result = await book(world.anna, desk_booking(world.desk))
    booking_id = result.created[0].id
    await run(services.check_in, clock, actor(world.anna), booking_id)
    await run(services.cancel_booking, clock, actor(world.anna), booking_id)

    await db.rollback()
    actions = (
        (
            await db.execute(
                select(AuditEvent.action)
                .where(AuditEvent.object_type == "booking", AuditEvent.object_id == str(booking_id))
                .order_by(AuditEvent.id)
            )
        )
        .scalars()
        .all()
    )
    assert actions == ["create", "check_in", "cancel"]


async def test_an_ended_booking_cannot_be_cancelled(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    result = await book(world.anna, desk_booking(world.desk))
    clock.set(at(TOMORROW, 13))

    with pytest.raises(DomainError) as info:
        await run(services.cancel_booking, clock, actor(world.anna), result.created[0].id)

    assert info.value.code == "in_the_past"


async def test_a_cancelled_booking_cannot_be_cancelled_again(
    world: World, run: Run, clock: FixedClock, book: Book
) -> None:
    result = await book(world.anna, desk_booking(world.desk))
    await run(services.cancel_booking, clock, actor(world.anna), result.created[0].id)

    with pytest.raises(DomainError) as info:
        await run(services.cancel_booking, clock, actor(world.anna), result.created[0].id)

    assert (info.value.code, info.value.status_code) == ("booking_not_active", 409)


async def test_desk_bookings_between_lists_active_desk_bookings_per_person(
    world: World, run: Run, clock: FixedClock, db: AsyncSession, make_person: MakePerson, book: Book
) -> None:
    bram = await make_person("Bram")
    await book(world.anna, desk_booking(world.desk))
    await book(world.anna, room_booking(world.room))
    cancelled = await book(bram, desk_booking(world.desk2, NEXT_MONDAY))
    await run(services.cancel_booking, clock, actor(bram), cancelled.created[0].id)
    await book(bram, desk_booking(world.quiet, part=DayPart.DAY))

    await db.rollback()
    found = await services.desk_bookings_between(db, [world.anna.id, bram.id], TODAY, NEXT_MONDAY)

    assert [(b.person_id, b.space_name, b.date, b.day_part) for b in found] == [
        (world.anna.id, "Flexplek 1.01", TOMORROW, "morning"),
        (bram.id, "Stilteplek 1.03", TOMORROW, "day"),
    ]


async def test_desk_bookings_between_leaves_out_days_outside_the_range(
    world: World, db: AsyncSession, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk, NEXT_MONDAY))

    await db.rollback()
    found = await services.desk_bookings_between(db, [world.anna.id], TODAY, TOMORROW)

    assert found == []


async def test_a_site_with_a_late_split_shortens_the_afternoon(
    make_site: MakeSite, make_space: MakeSpace, make_person: MakePerson, book: Book
) -> None:
    site = await make_site(day_split=time(12, 30), hours={3: (time(8), time(17))})
    desk = await make_space(site)
    person = await make_person()

    booking = (await book(person, desk_booking(desk, part=DayPart.AFTERNOON))).created[0]

    assert (booking.start_at, booking.end_at) == (at(TOMORROW, 12, 30), at(TOMORROW, 17))


async def test_an_afternoon_at_a_site_closing_before_the_split_is_refused_at_the_day_part(
    make_site: MakeSite, make_space: MakeSpace, make_person: MakePerson, run: Run, clock: FixedClock
) -> None:
    site = await make_site(hours={3: (time(8), time(12))})
    desk = await make_space(site)

    error = await _refused(
        run, clock, actor(await make_person()), desk_booking(desk, part=DayPart.AFTERNOON)
    )

    assert (error.code, error.field) == ("day_part_closed", "day_part")


async def test_an_afternoon_at_a_site_closing_at_the_split_is_refused_at_the_day_part(
    make_site: MakeSite, make_space: MakeSpace, make_person: MakePerson, run: Run, clock: FixedClock
) -> None:
    site = await make_site(day_split=time(12, 30), hours={3: (time(8), time(12, 30))})
    desk = await make_space(site)

    error = await _refused(
        run, clock, actor(await make_person()), desk_booking(desk, part=DayPart.AFTERNOON)
    )

    assert (error.code, error.field) == ("day_part_closed", "day_part")


async def test_an_afternoon_refused_on_a_short_day_names_the_days_hours(
    make_site: MakeSite, make_space: MakeSpace, make_person: MakePerson, run: Run, clock: FixedClock
) -> None:
    site = await make_site(hours={3: (time(8), time(12, 30))})
    desk = await make_space(site)

    error = await _refused(
        run, clock, actor(await make_person()), desk_booking(desk, part=DayPart.AFTERNOON)
    )

    assert error.message == (
        "Op 26-11-2026 is de locatie alleen open van 08:00 tot 12:30; kies een ander dagdeel."
    )


async def test_a_morning_at_a_site_opening_after_the_split_is_refused_at_the_day_part(
    make_site: MakeSite, make_space: MakeSpace, make_person: MakePerson, run: Run, clock: FixedClock
) -> None:
    site = await make_site(hours={3: (time(14), time(18))})
    desk = await make_space(site)

    error = await _refused(
        run, clock, actor(await make_person()), desk_booking(desk, part=DayPart.MORNING)
    )

    assert (error.code, error.field) == ("day_part_closed", "day_part")


async def test_a_whole_day_at_a_site_open_only_in_the_morning_is_its_opening_hours(
    make_site: MakeSite, make_space: MakeSpace, make_person: MakePerson, book: Book
) -> None:
    site = await make_site(hours={3: (time(8), time(12))})
    desk = await make_space(site)

    data = desk_booking(desk, part=DayPart.DAY)
    made = await book(await make_person(), data)

    assert (made.created[0].start_at, made.created[0].end_at) == (at(TOMORROW, 8), at(TOMORROW, 12))
