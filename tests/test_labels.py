"""How the pages write codes, dates and instants (``werkplek.labels``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from werkplek.labels import local_moment


def test_an_instant_is_written_in_amsterdam_winter_time() -> None:
    assert local_moment(datetime(2026, 1, 15, 12, 0, 5, tzinfo=UTC)) == "15-01-2026 13:00:05"


def test_an_instant_is_written_in_amsterdam_summer_time() -> None:
    assert local_moment(datetime(2026, 7, 15, 12, 0, 5, tzinfo=UTC)) == "15-07-2026 14:00:05"


def test_an_instant_in_another_zone_is_written_in_amsterdam_time() -> None:
    new_york = timezone(timedelta(hours=-5))

    assert local_moment(datetime(2026, 1, 15, 7, 0, tzinfo=new_york)) == "15-01-2026 13:00:00"
