"""The mail outbox (messages waiting to be sent, and sent ones as a log) and mail preferences."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from werkplek.db import Base, UTCDateTime


class MailKind(enum.StrEnum):
    """Kinds of e-mail; each person can switch off any kind but the field visit alerts."""

    BOOKING_CONFIRMED = "booking_confirmed"
    BOOKING_CANCELLED = "booking_cancelled"
    APPROVAL_REQUEST = "approval_request"
    APPROVAL_DECISION = "approval_decision"
    NO_SHOW_WARNING = "no_show_warning"
    MEETING_INVITATION = "meeting_invitation"
    MEETING_RESPONSE = "meeting_response"
    VISITOR_ARRIVED = "visitor_arrived"
    CALLBACK_NOTE = "callback_note"
    ABSENCE_REPORTED = "absence_reported"
    BACKUP_NAMED = "backup_named"
    VISIT_PLANNED = "visit_planned"
    VISIT_ALERT = "visit_alert"


#: Kinds nobody can switch off: a colleague's safety depends on them.
MANDATORY_KINDS = frozenset({MailKind.VISIT_ALERT})


class MailStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its (next) attempt
    SENDING = "sending"  # claimed by a sender: on its way now (or again, after a crash)
    SENT = "sent"
    FAILED = "failed"  # gave up after the last attempt
    CANCELLED = "cancelled"  # no longer needed (e.g. an acknowledged alert)


#: Messages that may still go out: waiting for an attempt, or claimed by a sender.
UNSENT_STATUS_VALUES = (MailStatus.PENDING.value, MailStatus.SENDING.value)
#: Messages that reached their recipients, or are reaching them now: too late to withdraw.
REACHED_STATUS_VALUES = (MailStatus.SENDING.value, MailStatus.SENT.value)


class OutboxMail(Base):
    """One message to send, written in the same transaction as the change it tells about.

    A message is either rendered when it is queued (``subject``/``body`` set) or from a
    template in ``templates/mail/`` when it is sent (``template`` and ``context``, a JSON
    snapshot; the rendered text is kept afterwards). A booking's confirmation names only
    its bookings until the outbox first claims it, which writes their snapshot and invites
    (``services.compose_confirmations``). ``ref`` ties it to what it is about, e.g.
    ``visit_alert:12``.
    """

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), default=None
    )
    recipients: Mapped[str] = mapped_column(Text)  # one address per line
    language: Mapped[str] = mapped_column(String(5))
    template: Mapped[str | None] = mapped_column(String(80), default=None)
    context: Mapped[str] = mapped_column(Text, default="{}")
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    headers: Mapped[str] = mapped_column(Text, default="{}")
    ref: Mapped[str | None] = mapped_column(String(80), default=None)
    status: Mapped[str] = mapped_column(String(10), default=MailStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    last_error: Mapped[str | None] = mapped_column(String(500), default=None)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    attachments: Mapped[list[OutboxAttachment]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="OutboxAttachment.id"
    )

    __table_args__ = (
        Index("ix_mail_outbox_status_next", "status", "next_attempt_at"),
        Index("ix_mail_outbox_ref", "ref"),
    )

    @property
    def recipient_list(self) -> list[str]:
        return [line for line in self.recipients.splitlines() if line]


class OutboxAttachment(Base):
    __tablename__ = "mail_outbox_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mail_id: Mapped[int] = mapped_column(
        ForeignKey("mail_outbox.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(120))
    content_type: Mapped[str] = mapped_column(String(80))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class MailPreference(Base):
    """A person's choice for one kind of mail; without a row the kind is on."""

    __tablename__ = "mail_preferences"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
