"""Rendering e-mails from ``templates/mail/<name>.txt`` in the recipient's language.

A mail template defines two blocks, ``subject`` and ``body``. It is rendered with the
recipient's translations (never the language of whoever caused the mail) and with
filters that show instants in Amsterdam time, dates with the weekday spelled out in
that language, and stored codes as labels.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from werkplek.clock import AMSTERDAM
from werkplek.config import Settings
from werkplek.i18n import current_language, translations, using_language


def _local(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(AMSTERDAM)


def long_date(value: str) -> str:
    """``2026-11-26T08:00:00+00:00`` → "donderdag 26 november 2026" (or in English)."""
    return format_date(_local(value).date(), "EEEE d MMMM y", locale=current_language())


def clock_time(value: str) -> str:
    return _local(value).strftime("%H:%M")


@cache
def _environment(templates_dir: Path) -> Environment:
    # Imported here: the labels come with the navigation, which imports the booking
    # services, which queue mail.
    from werkplek.labels import label

    env = Environment(
        loader=FileSystemLoader(templates_dir / "mail"),
        extensions=["jinja2.ext.i18n"],
        autoescape=False,  # plain text
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message: translations(current_language()).gettext(message),
        lambda singular, plural, n: translations(current_language()).ngettext(singular, plural, n),
        newstyle=True,
    )
    env.filters["label"] = label
    env.filters["long_date"] = long_date
    env.filters["clock_time"] = clock_time
    return env


def render_mail(
    settings: Settings, template_name: str, context: dict[str, Any], language: str
) -> tuple[str, str]:
    """The subject (one line) and the body of a mail template in ``language``."""
    template = _environment(settings.templates_dir).get_template(f"{template_name}.txt")
    with using_language(language):
        values = template.new_context({**context, "public_url": settings.public_url.rstrip("/")})
        subject = " ".join("".join(template.blocks["subject"](values)).split())
        body = "".join(template.blocks["body"](values)).strip() + "\n"
    return subject, body
