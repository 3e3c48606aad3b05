"""What the notification preferences API and the outbox API for administrators accept and
return."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from werkplek.notifications.models import MailKind, MailStatus


class MailPreferencesOut(msgspec.Struct):
    """Which kinds of e-mail a person receives. ``visit_alert`` is always on."""

    booking_confirmed: bool
    booking_cancelled: bool
    approval_request: bool
    approval_decision: bool
    no_show_warning: bool
    meeting_invitation: bool
    meeting_response: bool
    visitor_arrived: bool
    callback_note: bool
    absence_reported: bool
    backup_named: bool
    visit_planned: bool
    visit_alert: bool


class MailPreferencesIn(msgspec.Struct, forbid_unknown_fields=True):
    """Switch kinds on (true) or off (false); a kind left out stays as it is.

    ``visit_alert`` (field visit safety alerts) cannot be switched off."""

    booking_confirmed: bool | None = None
    booking_cancelled: bool | None = None
    approval_request: bool | None = None
    approval_decision: bool | None = None
    no_show_warning: bool | None = None
    meeting_invitation: bool | None = None
    meeting_response: bool | None = None
    visitor_arrived: bool | None = None
    callback_note: bool | None = None
    absence_reported: bool | None = None
    backup_named: bool | None = None
    visit_planned: bool | None = None
    visit_alert: bool | None = None


class OutboxFilter(msgspec.Struct, kw_only=True):
    """Which messages of the outbox to list (administrators), newest first."""

    status: MailStatus | None = None
    kind: MailKind | None = None
    #: Part of a recipient's address or of the subject, whatever the case.
    q: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    limit: Annotated[int, msgspec.Meta(ge=1, le=500)] = 50
    offset: Annotated[int, msgspec.Meta(ge=0)] = 0


class OutboxMailOut(msgspec.Struct):
    """A message in the outbox, without its body or attachments (they may hold personal
    data: an absence, a resident's question). ``subject`` is empty while a message
    written from a template when it is sent still waits for its first attempt."""

    id: int
    kind: MailKind
    recipients: list[str]
    subject: str
    status: MailStatus
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None  # only while it waits for an attempt
    last_attempt_at: datetime | None
    sent_at: datetime | None
    last_error: str | None


class OutboxCounts(msgspec.Struct):
    """How many messages have each status (under the filters but the status)."""

    pending: int
    sending: int
    sent: int
    failed: int
    cancelled: int


class OutboxPage(msgspec.Struct):
    total: int
    limit: int
    offset: int
    counts: OutboxCounts
    mails: list[OutboxMailOut]
