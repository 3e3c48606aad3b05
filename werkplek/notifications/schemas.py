"""What the notification preferences API accepts and returns."""

from __future__ import annotations

import msgspec


class MailPreferencesOut(msgspec.Struct):
    """Which kinds of e-mail a person receives. ``visit_alert`` is always on."""

    booking_confirmed: bool
    booking_cancelled: bool
    approval_request: bool
    approval_decision: bool
    no_show_warning: bool
    callback_note: bool
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
    callback_note: bool | None = None
    visit_planned: bool | None = None
    visit_alert: bool | None = None
