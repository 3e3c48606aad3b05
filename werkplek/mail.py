"""Sending e-mail: a small async SMTP sender shared by every domain.

Configured with ``WERKPLEK_SMTP_*`` (see ``werkplek.config.Settings``). Domains do not call
``send_mail`` themselves: they queue messages in the outbox (``werkplek.notifications.outbox``),
whose scheduler job sends them and retries after a failure. Without a host the
message is written to the log instead of being sent, so development and demo setups work
without a mail server; ``send_mail`` then returns ``False``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import aiosmtplib

from werkplek.config import Settings

logger = logging.getLogger("werkplek.mail")

#: Seconds to wait for the mail server before giving up (the caller may retry later).
SMTP_TIMEOUT = 15


class MailError(Exception):
    """The mail server could not be reached or refused the message."""


@dataclass(frozen=True)
class Attachment:
    """A file sent along, e.g. a booking's ``.ics`` invite (``text/calendar``), its type
    with parameters if any (``text/calendar; method=REQUEST`` for a meeting invitation)."""

    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class Mail:
    """A plain-text message to one or more recipients, with optional attachments."""

    to: Sequence[str]
    subject: str
    body: str
    reply_to: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    attachments: Sequence[Attachment] = ()


def build_message(settings: Settings, mail: Mail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = ", ".join(mail.to)
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    domain = settings.smtp_from.rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    if mail.reply_to:
        message["Reply-To"] = mail.reply_to
    for name, value in mail.headers.items():
        message[name] = value
    message.set_content(mail.body)
    for attachment in mail.attachments:
        kind, *parameters = (part.strip() for part in attachment.content_type.split(";"))
        maintype, _slash, subtype = kind.partition("/")
        message.add_attachment(
            attachment.content,
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
            params=dict(p.partition("=")[::2] for p in parameters),
        )
    return message


async def send_mail(settings: Settings, mail: Mail) -> bool:
    """Send ``mail``; ``True`` when the server accepted it, ``False`` when only logged.

    Raises ``MailError`` when a configured server cannot be reached or refuses it.
    """
    recipients = [address for address in dict.fromkeys(mail.to) if address]
    if not recipients:
        raise MailError("a message needs at least one recipient")
    if not settings.smtp_host:
        logger.info(
            "No SMTP host configured; mail not sent. To: %s Subject: %s\n%s",
            ", ".join(recipients),
            mail.subject,
            mail.body,
        )
        return False
    message = build_message(settings, replace(mail, to=recipients))
    try:
        await aiosmtplib.send(
            message,
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username or None,
            password=settings.smtp_password or None,
            start_tls=settings.smtp_starttls,
            timeout=SMTP_TIMEOUT,
        )
    except (aiosmtplib.SMTPException, OSError) as exc:
        raise MailError(
            f"sending to {settings.smtp_host}:{settings.smtp_port} failed: {exc}"
        ) from exc
    logger.info("Mail sent to %s: %s", ", ".join(recipients), mail.subject)
    return True
