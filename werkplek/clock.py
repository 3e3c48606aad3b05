"""Injectable clocks: all time-dependent rules ask a clock, never ``datetime.now``."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@runtime_checkable
class Clock(Protocol):
    """Where rules get the current instant.

    Runtime-checkable because Litestar validates injected dependencies (``clock: Clock``)
    against their annotation with an isinstance check.
    """

    def now(self) -> datetime:
        """The current instant, timezone-aware in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until moved; for tests and simulations."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._at = at.astimezone(UTC)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = at.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self._at += delta


def in_amsterdam(at: datetime | None) -> datetime | None:
    """An instant as shown in Europe/Amsterdam, or None for none."""
    return at.astimezone(AMSTERDAM) if at is not None else None


def local_today(clock: Clock, zone: ZoneInfo = AMSTERDAM) -> date:
    return clock.now().astimezone(zone).date()


def local_midnight(day: date, zone: ZoneInfo = AMSTERDAM) -> datetime:
    """The UTC instant at which ``day`` starts in ``zone``."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def days_through(first: date, last: date) -> list[date]:
    """Every date from ``first`` through ``last`` (none when ``last`` comes before)."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def zone_named(name: str | None) -> ZoneInfo:
    """A site's time zone by its name; Amsterdam's when it has none."""
    return ZoneInfo(name) if name else AMSTERDAM
