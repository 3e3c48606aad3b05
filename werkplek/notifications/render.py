"""Rendering e-mails from ``templates/mail/<name>.txt`` in the recipient's language.

A mail template defines two blocks, ``subject`` and ``body``. It is rendered with the
recipient's translations (never the language of whoever caused the mail) and with
filters that show instants in Amsterdam time, dates with the weekday spelled out in
that language (``werkplek.labels``), and stored codes as labels. Its subject names what,
when and where at a glance (``at_a_glance``), and every body ends with the same sign-off
(``signed``).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from werkplek import labels
from werkplek.clock import AMSTERDAM
from werkplek.config import Settings
from werkplek.i18n import _, current_language, ngettext, translations, using_language


def _local(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(AMSTERDAM)


def _day(value: str) -> date:
    """A date as a JSON value (``2026-11-26``) itself; an instant's day in Amsterdam."""
    return date.fromisoformat(value) if "T" not in value else _local(value).date()


def long_date(value: str) -> str:
    """``2026-11-26T08:00:00+00:00`` or ``2026-11-26`` → "donderdag 26 november 2026" (or
    in English)."""
    return labels.long_date(_day(value))


def glance_date(value: str) -> str:
    """``2026-11-26T08:00:00+00:00`` or ``2026-11-26`` → "do 26 november", as a subject
    writes a day."""
    return labels.glance_date(_day(value))


def clock_time(value: str) -> str:
    return labels.clock_time(datetime.fromisoformat(value))


def time_range(start: str, end: str) -> str:
    """Two instants as JSON values → "09:00–10:30" in Amsterdam time."""
    return labels.time_range(datetime.fromisoformat(start), datetime.fromisoformat(end))


def at_a_glance(what: str, start: str, end: str, day_part: str | None = None) -> str:
    """``labels.at_a_glance`` for instants as JSON values."""
    return labels.at_a_glance(
        what, datetime.fromisoformat(start), datetime.fromisoformat(end), day_part
    )


def bookings_at_a_glance(bookings: list[dict[str, Any]]) -> str:
    """A mail's bookings (``services.booking_facts``) as its subject names them: "Flexplek
    1.01 (Stadhuis), do 26 november, ochtend", or for a series "Flexplek 1.01 (Stadhuis),
    3 dagen vanaf do 26 november". Every mail queued with them holds their site."""
    first = bookings[0]
    space = labels.space_at_site(first["space"], first["site"])
    if len(bookings) == 1:
        return at_a_glance(space, first["start"], first["end"], first["day_part"])
    return ngettext(
        "%(space)s, %(count)s day from %(day)s",
        "%(space)s, %(count)s days from %(day)s",
        len(bookings),
        space=space,
        day=glance_date(first["start"]),
    )


def signed(body: str, public_url: str) -> str:
    """A mail's body with the sign-off every Werkplek mail ends with: who sends it, and
    where one chooses which mails one receives."""
    where = (
        _(
            "Choose which e-mails you receive under Notifications: %(url)s",
            url=public_url + "/notifications",
        )
        if public_url
        else _("Choose which e-mails you receive under Notifications in Werkplek.")
    )
    lines = [
        body.rstrip(),
        "",
        _("Kind regards,"),
        "Werkplek",
        "",
        _("This e-mail was sent by Werkplek."),
        where,
    ]
    return "\n".join(lines) + "\n"


@cache
def _environment(templates_dir: Path) -> Environment:
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
    env.filters["label"] = labels.label
    env.filters["long_date"] = long_date
    env.filters["clock_time"] = clock_time
    env.filters["glance_date"] = glance_date
    env.globals["time_range"] = time_range
    env.globals["at_a_glance"] = at_a_glance
    env.filters["at_a_glance"] = bookings_at_a_glance
    return env


def render_mail(
    settings: Settings, template_name: str, context: dict[str, Any], language: str
) -> tuple[str, str]:
    """The subject (one line) and the body of a mail template in ``language``."""
    template = _environment(settings.templates_dir).get_template(f"{template_name}.txt")
    with using_language(language):
        public_url = settings.public_url.rstrip("/")
        values = template.new_context(
            {
                **context,
                "public_url": public_url,
                "grace_minutes": settings.no_show_grace_minutes,
            }
        )
        subject = " ".join("".join(template.blocks["subject"](values)).split())
        body = signed("".join(template.blocks["body"](values)).strip(), public_url)
    return subject, body
