"""Domain errors: raised by services, mapped once to HTTP responses.

Each error carries a stable ``code`` for API clients, a message already
translated into the request's language (services raise ``_("...")``), the field
it concerns (if any), and values that API clients may use.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from werkplek.clock import AMSTERDAM
from werkplek.i18n import _


class DomainError(Exception):
    status_code: ClassVar[int] = 422
    code: ClassVar[str] = "invalid"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str | None = None,
        **params: Any,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.params = params
        if code is not None:
            self.code = code  # type: ignore[misc]


class InvalidInput(DomainError):
    status_code = 422
    code = "invalid_input"


def refuse_all(problems: list[InvalidInput]) -> None:
    """Refuse a form's problems together, so one save names every mistake: the first as
    the message and field, and all of them as ``fields`` (field and message each)."""
    if not problems:
        return
    first = problems[0]
    listed = [{"field": p.field, "message": p.message} for p in problems]
    raise InvalidInput(first.message, field=first.field, fields=listed)


def required_name(value: str, field: str = "name") -> str:
    """A name as typed without the spaces around it; one of spaces only is no name."""
    name = value.strip()
    if not name:
        raise InvalidInput(_("A name is required."), field=field)
    return name


#: The days a filter or report may ask for: well beyond any booking or event, well within
#: what dates and datetimes can hold once shifted by a time zone or a day.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)


class DateOutOfRange(InvalidInput):
    code = "date_out_of_range"


def check_day_in_range(day: date | None, field: str) -> None:
    """Refuse a day before ``FIRST_DAY`` or after ``LAST_DAY`` at ``field`` (nothing asked
    for passes): a date such as 0001-01-01 would overflow once made an instant."""
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        raise DateOutOfRange(
            _(
                "Choose a date in the years %(first)s to %(last)s.",
                first=FIRST_DAY.year,
                last=LAST_DAY.year,
            ),
            field=field,
            earliest=FIRST_DAY.isoformat(),
            latest=LAST_DAY.isoformat(),
        )


class InvalidTime(InvalidInput):
    code = "invalid_time"


def _invalid_time(field: str) -> InvalidTime:
    return InvalidTime(_("Enter a date and time, such as 2026-12-08T09:00."), field=field)


def read_date_time(text: str, field: str) -> datetime:
    """A date-time as typed (shaped as ``formats.DATE_TIME_PATTERN`` says), with its offset
    or without one; a day or hour the calendar lacks (2026-02-30, 25:00) is refused at
    ``field`` with ``invalid_time``."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise _invalid_time(field) from None


def read_instant(text: str, field: str, zone: ZoneInfo = AMSTERDAM) -> datetime:
    """A date-time as typed (``read_date_time``) as an instant in ``zone``: with an offset
    that instant, without one a local time there (a time the clocks skip reads as the one
    an hour later; one they pass twice as its first occurrence)."""
    value = read_date_time(text, field)
    try:
        instant = value.replace(tzinfo=zone) if value.tzinfo is None else value
        # By way of UTC: a moment stored or compared in UTC must exist there too.
        return instant.astimezone(UTC).astimezone(zone)
    except OverflowError:  # beyond the calendar's ends
        raise _invalid_time(field) from None


class TooLarge(DomainError):
    """A request body over its route's limit, refused before it was read whole."""

    status_code = 413
    code = "too_large"


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class Forbidden(DomainError):
    status_code = 403
    code = "forbidden"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"
