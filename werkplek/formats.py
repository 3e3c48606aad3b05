"""Text formats that schemas check by pattern, with what to tell someone who typed
something else (``web.form_problem`` looks the message up by the pattern)."""

from __future__ import annotations

from werkplek.i18n import N_

PHONE_PATTERN = r"^[+0-9 ()-]*$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
LANGUAGE_PATTERN = "^(nl|en)$"

PATTERN_MESSAGES = {
    PHONE_PATTERN: N_("Enter a phone number: digits, spaces and + ( ) -, such as 06 12345678."),
    EMAIL_PATTERN: N_("Enter an e-mail address, such as naam@gemeente.nl."),
    LANGUAGE_PATTERN: N_("Choose one of the options."),
}
