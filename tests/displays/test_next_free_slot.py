"""What a door display offers to book by scanning its QR code (``services.next_free_slot``):
the first free stretch of the rest of today, from the next quarter hour, until the next
meeting, closing time or an hour later."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tests.displays.conftest import AMSTERDAM, at
from werkplek.bookings.models import Booking
from werkplek.displays.services import FreeSlot, RoomDay, next_free_slot, next_quarter_hour

OPEN_DAY = RoomDay(at(7, 30), at(18))
#: Sunday 29 March 2026: at 02:00 the clocks went forward to 03:00 (summer time).
SPRING_FORWARD = date(2026, 3, 29)
#: Sunday 25 October 2026: at 03:00 the clocks went back to 02:00 (winter time).
FALL_BACK = date(2026, 10, 25)


def meeting(start: datetime, end: datetime) -> Booking:
    return Booking(start_at=start, end_at=end, status="confirmed")


def test_a_quarter_hour_stays_as_it_is() -> None:
    assert next_quarter_hour(at(10, 15)) == at(10, 15)


def test_a_time_past_a_quarter_hour_rounds_up_to_the_next() -> None:
    assert next_quarter_hour(at(10, 1)) == at(10, 15)


def test_a_few_seconds_past_a_quarter_hour_round_up_to_the_next() -> None:
    assert next_quarter_hour(at(10) + timedelta(seconds=30)) == at(10, 15)


def test_a_free_room_offers_an_hour_from_now_on_the_quarter_hour() -> None:
    assert next_free_slot(at(10), [], OPEN_DAY) == FreeSlot(at(10), at(11))


def test_a_free_room_offers_its_slot_from_the_next_quarter_hour() -> None:
    assert next_free_slot(at(10, 7), [], OPEN_DAY) == FreeSlot(at(10, 15), at(11, 15))


def test_the_slot_ends_when_the_next_meeting_begins() -> None:
    meetings = [meeting(at(10, 40), at(11, 30))]
    assert next_free_slot(at(10), meetings, OPEN_DAY) == FreeSlot(at(10), at(10, 40))


def test_the_slot_lasts_at_most_the_longest_asked_for() -> None:
    slot = next_free_slot(at(10), [], OPEN_DAY, longest=timedelta(minutes=30))
    assert slot == FreeSlot(at(10), at(10, 30))


def test_a_busy_room_offers_the_quarter_hour_after_its_meeting_ends() -> None:
    meetings = [meeting(at(9, 30), at(11, 20))]
    assert next_free_slot(at(10), meetings, OPEN_DAY) == FreeSlot(at(11, 30), at(12, 30))


def test_a_busy_room_offers_the_time_after_back_to_back_meetings() -> None:
    meetings = [meeting(at(9), at(10, 30)), meeting(at(10, 30), at(11)), meeting(at(13), at(14))]
    assert next_free_slot(at(10), meetings, OPEN_DAY) == FreeSlot(at(11), at(12))


def test_a_gap_shorter_than_a_quarter_hour_is_passed_over() -> None:
    meetings = [meeting(at(10, 20), at(11)), meeting(at(11, 10), at(12))]
    assert next_free_slot(at(10, 7), meetings, OPEN_DAY) == FreeSlot(at(12), at(13))


def test_a_gap_of_a_quarter_hour_is_offered() -> None:
    meetings = [meeting(at(10, 30), at(11))]
    assert next_free_slot(at(10, 7), meetings, OPEN_DAY) == FreeSlot(at(10, 15), at(10, 30))


def test_meetings_already_over_are_no_obstacle() -> None:
    meetings = [meeting(at(8), at(9)), meeting(at(9), at(9, 55))]
    assert next_free_slot(at(10), meetings, OPEN_DAY) == FreeSlot(at(10), at(11))


def test_before_opening_the_slot_starts_at_opening_time() -> None:
    assert next_free_slot(at(7), [], OPEN_DAY) == FreeSlot(at(7, 30), at(8, 30))


def test_near_closing_time_the_slot_ends_at_closing_time() -> None:
    assert next_free_slot(at(17, 20), [], OPEN_DAY) == FreeSlot(at(17, 30), at(18))


def test_the_last_quarter_hour_before_closing_is_offered() -> None:
    assert next_free_slot(at(17, 40), [], OPEN_DAY) == FreeSlot(at(17, 45), at(18))


def test_nothing_is_offered_when_the_next_quarter_hour_is_closing_time() -> None:
    assert next_free_slot(at(17, 50), [], OPEN_DAY) is None


def test_nothing_is_offered_after_closing_time() -> None:
    assert next_free_slot(at(18, 30), [], OPEN_DAY) is None


def test_nothing_is_offered_when_the_last_meeting_runs_until_closing_time() -> None:
    meetings = [meeting(at(9), at(12)), meeting(at(12), at(18))]
    assert next_free_slot(at(10), meetings, OPEN_DAY) is None


def test_nothing_is_offered_when_the_meeting_ends_less_than_a_quarter_before_closing() -> None:
    meetings = [meeting(at(9), at(17, 50))]
    assert next_free_slot(at(10), meetings, OPEN_DAY) is None


def test_nothing_is_offered_on_a_day_the_room_is_closed() -> None:
    assert next_free_slot(at(10), [], RoomDay(None, None, "Onderhoud")) is None


def test_on_the_day_summer_time_begins_the_slot_is_in_summer_time() -> None:
    day = RoomDay(at(7, 30, day=SPRING_FORWARD), at(18, day=SPRING_FORWARD))
    slot = next_free_slot(at(8, 37, day=SPRING_FORWARD), [], day)
    assert slot == FreeSlot(
        datetime(2026, 3, 29, 6, 45, tzinfo=UTC), datetime(2026, 3, 29, 7, 45, tzinfo=UTC)
    )


def test_on_the_day_winter_time_begins_the_slot_is_in_winter_time() -> None:
    day = RoomDay(at(7, 30, day=FALL_BACK), at(18, day=FALL_BACK))
    meetings = [meeting(at(9, 30, day=FALL_BACK), at(10, day=FALL_BACK))]
    slot = next_free_slot(at(8, 37, day=FALL_BACK), meetings, day)
    assert slot == FreeSlot(
        datetime(2026, 10, 25, 7, 45, tzinfo=UTC), datetime(2026, 10, 25, 8, 30, tzinfo=UTC)
    )


def test_a_slot_in_the_hour_the_clocks_skip_starts_at_three() -> None:
    """A room open through the night: at 01:50 the next quarter hour is not 02:00, which
    did not exist that night, but 03:00 summer time, ten minutes later."""
    day = RoomDay(at(0, 0, day=SPRING_FORWARD), at(12, day=SPRING_FORWARD))
    slot = next_free_slot(at(1, 50, day=SPRING_FORWARD), [], day)
    assert slot is not None
    assert slot.start.astimezone(AMSTERDAM).strftime("%H:%M") == "03:00"
    assert slot.end - slot.start == timedelta(hours=1)


def test_a_meeting_across_the_change_to_summer_time_is_waited_out_in_real_time() -> None:
    """01:00-03:30 on that night lasted an hour and a half: the slot begins at 03:30."""
    day = RoomDay(at(0, 0, day=SPRING_FORWARD), at(12, day=SPRING_FORWARD))
    meetings = [meeting(at(1, 0, day=SPRING_FORWARD), at(3, 30, day=SPRING_FORWARD))]
    slot = next_free_slot(at(1, 10, day=SPRING_FORWARD), meetings, day)
    assert slot == FreeSlot(at(3, 30, day=SPRING_FORWARD), at(4, 30, day=SPRING_FORWARD))
