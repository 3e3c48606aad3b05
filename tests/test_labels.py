"""How the pages write codes, dates and instants (``werkplek.labels``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from werkplek.labels import kind_unless_named, local_moment, space_at_site


def test_an_instant_is_written_in_amsterdam_winter_time() -> None:
    assert local_moment(datetime(2026, 1, 15, 12, 0, 5, tzinfo=UTC)) == "15-01-2026 13:00:05"


def test_an_instant_is_written_in_amsterdam_summer_time() -> None:
    assert local_moment(datetime(2026, 7, 15, 12, 0, 5, tzinfo=UTC)) == "15-07-2026 14:00:05"


def test_an_instant_in_another_zone_is_written_in_amsterdam_time() -> None:
    new_york = timezone(timedelta(hours=-5))

    assert local_moment(datetime(2026, 1, 15, 7, 0, tzinfo=new_york)) == "15-01-2026 13:00:00"


def test_a_space_is_named_with_its_site() -> None:
    assert space_at_site("Flexplek 1.01", "Stadhuis") == "Flexplek 1.01 (Stadhuis)"


def test_a_space_whose_name_says_its_site_is_named_alone() -> None:
    assert space_at_site("Stadhuis 1.01", "stadhuis") == "Stadhuis 1.01"


def test_a_space_without_a_site_name_is_named_alone() -> None:
    assert space_at_site("Flexplek 1.01", "") == "Flexplek 1.01"


def test_a_spaces_kind_is_said_beside_a_name_that_does_not_say_it() -> None:
    assert kind_unless_named("meeting_room", "Lauwersmeer") == "Overlegruimte"


def test_a_spaces_kind_is_left_out_when_its_name_starts_with_it() -> None:
    assert kind_unless_named("desk", "flexplek 1.01") == ""
