from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from werkplek.db import Base, UTCDateTime


class AuditEvent(Base):
    """Who changed what, when. ``details`` never holds passwords or tokens."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), default=None
    )
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(40))
    details: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)

    __table_args__ = (
        Index("ix_audit_events_at", "at"),
        Index("ix_audit_events_object", "object_type", "object_id"),
    )
