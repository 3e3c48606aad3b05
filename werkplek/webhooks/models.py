"""Webhook endpoints registered by admins, and the deliveries of events to them (the log)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from werkplek.db import Base, UTCDateTime
from werkplek.i18n import N_


class WebhookEvent(enum.StrEnum):
    BOOKING_CREATED = "booking.created"
    BOOKING_CANCELLED = "booking.cancelled"
    BOOKING_APPROVED = "booking.approved"
    BOOKING_CHECKED_IN = "booking.checked_in"
    BOOKING_CHECKED_OUT = "booking.checked_out"
    BOOKING_CHANGED = "booking.changed"
    PRESENCE_CHANGED = "presence.changed"
    #: Sent only by the "send test" button, to the one endpoint.
    PING = "ping"


SUBSCRIBABLE_EVENTS = (
    WebhookEvent.BOOKING_CREATED,
    WebhookEvent.BOOKING_CANCELLED,
    WebhookEvent.BOOKING_APPROVED,
    WebhookEvent.BOOKING_CHECKED_IN,
    WebhookEvent.BOOKING_CHECKED_OUT,
    WebhookEvent.BOOKING_CHANGED,
    WebhookEvent.PRESENCE_CHANGED,
)

#: What each event means, for the admin choosing them (translated on display).
EVENT_DESCRIPTIONS = {
    WebhookEvent.BOOKING_CREATED: N_("A booking is made (also one awaiting approval)"),
    WebhookEvent.BOOKING_CANCELLED: N_(
        "A booking no longer holds its space: cancelled, declined, lapsed or released as a no-show"
    ),
    WebhookEvent.BOOKING_APPROVED: N_("Facilities approve a booking"),
    WebhookEvent.BOOKING_CHECKED_IN: N_("Someone checks in"),
    WebhookEvent.BOOKING_CHECKED_OUT: N_(
        "Someone leaves early: the rest of the booking's time is free"
    ),
    WebhookEvent.BOOKING_CHANGED: N_(
        "A room booking under way gets another end: the same booking, longer or shorter"
    ),
    WebhookEvent.PRESENCE_CHANGED: N_("Someone changes where they work on a day"),
}


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"  # gave up after the last attempt


class WebhookEndpoint(Base):
    """A URL that receives events, signed with its secret (kept: it is needed to sign)."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(String(200), default="")
    secret: Mapped[str] = mapped_column(String(200))
    events: Mapped[str] = mapped_column(String(200))  # comma-separated event names
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    @property
    def event_list(self) -> list[str]:
        return [event for event in self.events.split(",") if event]


class WebhookDelivery(Base):
    """One event for one endpoint, queued with the change and retried until delivered."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoints.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(40))
    event_id: Mapped[str] = mapped_column(String(36))
    payload: Mapped[str] = mapped_column(Text)  # the exact JSON body that is sent
    status: Mapped[str] = mapped_column(String(10), default=DeliveryStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    response_status: Mapped[int | None] = mapped_column(Integer, default=None)
    last_error: Mapped[str | None] = mapped_column(String(500), default=None)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_webhook_deliveries_status_next", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_endpoint", "endpoint_id", "created_at"),
    )
