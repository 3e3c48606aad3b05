"""Reachable now, until when, and when next: from half days and reachable hours (pure rules)."""

from __future__ import annotations

from datetime import date, time, timedelta

from tests.presence.conftest import TODAY, at
from werkplek.presence.models import WorkKind
from werkplek.presence.services import (
    UNKNOWN,
    DayView,
    Slot,
    reachability_at,
    reachable_windows,
)

OFFICE = Slot(WorkKind.OFFICE, "entry", site_id=1)
HOME = Slot(WorkKind.HOME, "pattern")
ABSENT = Slot(WorkKind.ABSENT, "entry", absence_reason="verlof")


def day(
    on: date,
    morning: Slot = OFFICE,
    afternoon: Slot | None = None,
    hours: tuple[time, time] = (time(8, 30), time(17)),
) -> DayView:
    return DayView(
        person_id=1,
        day=on,
        morning=morning,
        afternoon=afternoon if afternoon is not None else morning,
        reachable_from=hours[0],
        reachable_until=hours[1],
        note="",
        backup_id=None,
    )


def week(*views: DayView) -> list[DayView]:
    return list(views)


def test_someone_working_within_their_hours_is_reachable() -> None:
    state = reachability_at([day(TODAY)], at(TODAY, 10))
    assert state.reachable_now


def test_while_reachable_until_is_the_end_of_the_reachable_hours() -> None:
    state = reachability_at([day(TODAY)], at(TODAY, 10))
    assert state.until == at(TODAY, 17)


def test_an_office_morning_and_a_home_afternoon_make_one_reachable_stretch() -> None:
    windows = reachable_windows(day(TODAY, OFFICE, HOME))
    assert windows == [(at(TODAY, 8, 30), at(TODAY, 17))]


def test_someone_absent_in_the_afternoon_is_reachable_until_the_day_split() -> None:
    state = reachability_at([day(TODAY, OFFICE, ABSENT)], at(TODAY, 10))
    assert state.until == at(TODAY, 13)


def test_before_their_hours_someone_is_next_reachable_when_the_hours_start() -> None:
    state = reachability_at([day(TODAY)], at(TODAY, 7))
    assert (state.reachable_now, state.next_reachable) == (False, at(TODAY, 8, 30))


def test_after_their_hours_someone_is_next_reachable_the_next_working_morning() -> None:
    views = week(day(TODAY), day(TODAY + timedelta(days=1)))
    state = reachability_at(views, at(TODAY, 18))
    assert state.next_reachable == at(TODAY + timedelta(days=1), 8, 30)


def test_someone_absent_today_is_next_reachable_on_the_first_day_they_work() -> None:
    views = week(
        day(TODAY, ABSENT),
        day(TODAY + timedelta(days=1), ABSENT),
        day(TODAY + timedelta(days=2), HOME),
    )
    state = reachability_at(views, at(TODAY, 10))
    assert state.next_reachable == at(TODAY + timedelta(days=2), 8, 30)


def test_someone_absent_in_the_morning_is_next_reachable_at_the_day_split() -> None:
    state = reachability_at([day(TODAY, ABSENT, OFFICE)], at(TODAY, 10))
    assert state.next_reachable == at(TODAY, 13)


def test_while_unreachable_until_is_when_they_can_be_reached_again() -> None:
    state = reachability_at([day(TODAY, ABSENT, OFFICE)], at(TODAY, 10))
    assert state.until == at(TODAY, 13)


def test_own_reachable_hours_narrow_the_working_day() -> None:
    state = reachability_at([day(TODAY, hours=(time(12), time(15)))], at(TODAY, 10))
    assert state.next_reachable == at(TODAY, 12)


def test_hours_that_end_before_the_split_leave_the_afternoon_unreachable() -> None:
    windows = reachable_windows(day(TODAY, hours=(time(8), time(12, 30))))
    assert windows == [(at(TODAY, 8), at(TODAY, 12, 30))]


def test_a_day_nobody_said_anything_about_is_not_reachable() -> None:
    state = reachability_at([day(TODAY, UNKNOWN)], at(TODAY, 10))
    assert (state.reachable_now, state.next_reachable) == (False, None)


def test_nobody_is_next_reachable_beyond_the_days_looked_at() -> None:
    state = reachability_at(week(day(TODAY, ABSENT)), at(TODAY, 10))
    assert state.next_reachable is None


def test_the_end_of_the_hours_is_not_reachable_any_more() -> None:
    state = reachability_at([day(TODAY)], at(TODAY, 17))
    assert not state.reachable_now
