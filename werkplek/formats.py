"""Text formats that schemas check by pattern, with what to tell someone who typed
something else (``web.form_problem`` looks the message up by the pattern)."""

from __future__ import annotations

from werkplek.i18n import N_

PHONE_PATTERN = r"^[+0-9 ()-]*$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
LANGUAGE_PATTERN = "^(nl|en)$"
#: A date-time as people and calendar tools write it: ISO 8601 whose seconds and offset may
#: be left out (``2026-12-08T09:00``, ``2026-12-08T09:00:00+01:00``, ``2026-12-08T08:00Z``);
#: ``errors.read_instant`` reads it and refuses a day or hour that does not exist.
DATE_TIME_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$"

PATTERN_MESSAGES = {
    PHONE_PATTERN: N_("Enter a phone number: digits, spaces and + ( ) -, such as 06 12345678."),
    EMAIL_PATTERN: N_("Enter an e-mail address, such as naam@gemeente.nl."),
    LANGUAGE_PATTERN: N_("Choose one of the options."),
    DATE_TIME_PATTERN: N_("Enter a date and time, such as 2026-12-08T09:00."),
}
