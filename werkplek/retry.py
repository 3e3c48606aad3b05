"""When to try again: exponential backoff shared by the mail outbox and webhook deliveries."""

from __future__ import annotations

from datetime import datetime, timedelta

#: The wait after the first failed attempt; each further failure doubles it.
FIRST_RETRY = timedelta(minutes=1)
#: The longest wait between two attempts.
LONGEST_WAIT = timedelta(hours=2)


def retry_delay(attempts: int) -> timedelta:
    """The wait after ``attempts`` attempts (1, 2, 4, 8 ... minutes, at most two hours)."""
    return min(FIRST_RETRY * 2 ** max(0, attempts - 1), LONGEST_WAIT)


def next_attempt_at(now: datetime, attempts: int) -> datetime:
    return now + retry_delay(attempts)
