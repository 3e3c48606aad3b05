"""Translations: English message ids, Dutch by default.

Each domain keeps its own Dutch catalogue in ``werkplek/locale/nl/<domain>.po``;
they are merged when the app starts, so no compile step is needed.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"

_current_language: ContextVar[str] = ContextVar("werkplek_language", default=DEFAULT_LANGUAGE)


@cache
def translations(language: str) -> NullTranslations:
    """The merged catalogue for a language; English is the message ids themselves."""
    language_dir = LOCALE_DIR / language
    if language == "en" or not language_dir.is_dir():
        return NullTranslations()
    merged: Translations | None = None
    for po_path in sorted(language_dir.glob("*.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        part = Translations(buffer)
        if merged is None:
            merged = part
        else:
            merged._catalog.update(part._catalog)
    return merged if merged is not None else NullTranslations()


def N_(message: str) -> str:
    """Mark a string for translation; it is translated where it is shown."""
    return message


def set_language(language: str) -> None:
    _current_language.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def current_language() -> str:
    return _current_language.get()


@contextmanager
def using_language(language: str) -> Iterator[None]:
    """Translate in ``language`` for a while (e-mails go out in the recipient's language)."""
    token = _current_language.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _current_language.reset(token)


def gettext(message: str, **params: object) -> str:
    """Translate into the current request's language and fill ``%(name)s`` params."""
    text = translations(current_language()).gettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, count: int, **params: object) -> str:
    text = translations(current_language()).ngettext(singular, plural, count)
    return text % readable_counts({"count": count, **params})


def readable_counts(params: dict[str, object]) -> dict[str, object]:
    """A counted text's whole numbers as people read them (``1.020`` in Dutch, ``1,020``
    in English); its other parameters as they are."""
    return {
        name: format_number(value, 0)
        if isinstance(value, int) and not isinstance(value, bool)
        else value
        for name, value in params.items()
    }


_ = gettext


def negotiate_language(
    preferred: str | None,
    cookie: str | None,
    accept_language: str | None,
    default: str = DEFAULT_LANGUAGE,
) -> str:
    """Pick the language: the person's choice, then the cookie, then the browser, then the
    installation's default (``WERKPLEK_LANGUAGE``, Dutch unless set)."""
    for candidate in (preferred, cookie):
        if candidate in LANGUAGES:
            return candidate
    for part in _accept_language_tags(accept_language or ""):
        if part in LANGUAGES:
            return part
    return default if default in LANGUAGES else DEFAULT_LANGUAGE


def _accept_language_tags(header: str) -> Iterable[str]:
    weighted: list[tuple[float, str]] = []
    for item in header.split(","):
        tag, _sep, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag:
            weighted.append((quality, tag.split("-")[0].lower()))
    return [tag for _q, tag in sorted(weighted, key=lambda pair: -pair[0])]


def locale_code() -> str:
    return "en_GB" if current_language() == "en" else "nl_NL"


def format_number(value: float | int, decimals: int = 1) -> str:
    """A number for people to read, in the page's language (``12,5`` in Dutch)."""
    if isinstance(value, int) or decimals == 0:
        return format_decimal(round(value), locale=locale_code())
    pattern = "#,##0." + "0" * decimals
    return format_decimal(
        Decimal(str(round(value, decimals))), format=pattern, locale=locale_code()
    )


def format_percent(value: float | int, decimals: int = 1) -> str:
    """A percentage as every page writes it: ``59,9 %`` in Dutch (a non-breaking space
    before the sign, Dutch style), ``59.9%`` in English; a whole number (a site's cap
    of 60) without decimals."""
    number = format_number(value, decimals)
    return f"{number}\u00a0%" if current_language() == "nl" else f"{number}%"
