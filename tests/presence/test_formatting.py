"""How presence pages write days and moments: short, translated, never day/month."""

from __future__ import annotations

from datetime import date, datetime

from werkplek.clock import AMSTERDAM, FixedClock
from werkplek.i18n import using_language
from werkplek.presence.services import short_day, when_formatter

MONDAY = date(2026, 11, 30)
SATURDAY_NOON = FixedClock(datetime(2026, 11, 28, 12, 0, tzinfo=AMSTERDAM))


def test_a_short_day_names_the_month_in_dutch() -> None:
    with using_language("nl"):
        assert short_day(MONDAY) == "ma 30 nov"


def test_a_short_day_names_the_month_in_english() -> None:
    with using_language("en"):
        assert short_day(MONDAY) == "Mon 30 Nov"


def test_a_moment_today_is_only_its_time() -> None:
    with using_language("nl"):
        when = when_formatter(SATURDAY_NOON)
        assert when(datetime(2026, 11, 28, 16, 0, tzinfo=AMSTERDAM)) == "16:00"


def test_a_moment_after_tomorrow_has_its_short_day() -> None:
    with using_language("nl"):
        when = when_formatter(SATURDAY_NOON)
        assert when(datetime(2026, 11, 30, 8, 30, tzinfo=AMSTERDAM)) == "ma 30 nov 08:30"
