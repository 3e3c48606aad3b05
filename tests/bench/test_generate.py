"""The bench data generator still fits the models: a tiny data set into SQLite."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from bench import generate

TODAY = date(2026, 11, 25)
TINY = ["--people", "60", "--desks", "20", "--rooms", "10", "--days", "30"]


@pytest.fixture(scope="module")
def tiny_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "bench.db"
    generate.main([f"sqlite:///{path}", *TINY, "--today", TODAY.isoformat()])
    return path


def count(path: Path, sql: str) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute(sql).fetchone()[0])


def test_the_tiny_data_set_has_the_requested_people_spaces_and_sites(tiny_database: Path) -> None:
    assert count(tiny_database, "SELECT count(*) FROM persons") == 60
    assert count(tiny_database, "SELECT count(*) FROM spaces WHERE kind LIKE '%desk'") == 20
    assert count(tiny_database, "SELECT count(*) FROM spaces WHERE kind LIKE '%room'") == 10
    assert count(tiny_database, "SELECT count(*) FROM sites") == 10


def test_the_tiny_data_set_has_bookings_and_work_locations(tiny_database: Path) -> None:
    assert count(tiny_database, "SELECT count(*) FROM bookings WHERE is_desk") > 0
    assert count(tiny_database, "SELECT count(*) FROM bookings WHERE NOT is_desk") > 0
    assert count(tiny_database, "SELECT count(*) FROM work_locations") > 0


def test_the_tiny_data_set_has_a_field_visit_for_each_day_someone_is_on_location(
    tiny_database: Path,
) -> None:
    on_location_days = count(
        tiny_database,
        "SELECT count(*) FROM work_locations WHERE kind = 'on_location' AND day_part = 'morning'",
    )
    assert on_location_days > 0
    assert count(tiny_database, "SELECT count(*) FROM field_visitors") == on_location_days


def test_no_space_is_booked_twice_at_once(tiny_database: Path) -> None:
    overlapping = """
        SELECT count(*) FROM bookings a JOIN bookings b
          ON a.space_id = b.space_id AND a.id < b.id
         AND a.start_at < b.end_at AND b.start_at < a.end_at
       WHERE a.status IN ('pending', 'confirmed', 'checked_in')
         AND b.status IN ('pending', 'confirmed', 'checked_in')
    """
    assert count(tiny_database, overlapping) == 0


def test_the_load_pool_holds_no_desk_from_today_on(tiny_database: Path) -> None:
    data = generate.build(generate.Size(people=60, desks=20, rooms=10, days=30), 2026, TODAY)
    pool = ", ".join(str(person) for person in data.load_pool)
    sql = (
        f"SELECT count(*) FROM bookings WHERE is_desk AND booked_for_id IN ({pool}) "
        f"AND start_at >= '{TODAY.isoformat()}'"
    )
    assert count(tiny_database, sql) == 0


def test_the_same_seed_builds_the_same_rows() -> None:
    size = generate.Size(people=60, desks=20, rooms=10, days=30)
    assert generate.build(size, 1, TODAY).tables == generate.build(size, 1, TODAY).tables
