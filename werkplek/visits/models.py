"""Field visits (veldbezoeken): who goes where and when, check-in/out, overdue alerts."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from werkplek.db import Base, UTCDateTime


class VisitStatus(enum.StrEnum):
    PLANNED = "planned"
    CHECKED_IN = "checked_in"  # arrived
    CHECKED_OUT = "checked_out"  # left safely ("veilig vertrokken")
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        """Not yet closed: someone may still be on location."""
        return self in (VisitStatus.PLANNED, VisitStatus.CHECKED_IN)


OPEN_STATUS_VALUES = (VisitStatus.PLANNED.value, VisitStatus.CHECKED_IN.value)


class AlertLevel(enum.IntEnum):
    OVERDUE = 1  # to the team lead(s) and safety contacts
    ESCALATION = 2  # again, and to the admins or the escalation address


class FieldVisit(Base):
    """A visit to a resident's home or a village hall by one or two colleagues.

    ``address`` is private: only the visitors, the team leads of their teams and the
    teams' safety contacts see it. Everyone else (the KCC, colleagues) sees ``area``.
    """

    __tablename__ = "field_visits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(300), default="")
    purpose: Mapped[str] = mapped_column(String(200), default="")
    planned_start: Mapped[datetime] = mapped_column(UTCDateTime())
    planned_end: Mapped[datetime] = mapped_column(UTCDateTime())
    two_person_required: Mapped[bool] = mapped_column(Boolean, default=False)
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("bookings.id", ondelete="SET NULL"), default=None
    )
    status: Mapped[str] = mapped_column(String(12), default=VisitStatus.PLANNED.value)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    checked_in_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), default=None
    )
    checked_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    checked_out_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), default=None
    )
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    visitors: Mapped[list[FieldVisitor]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="FieldVisitor.position"
    )

    __table_args__ = (
        CheckConstraint("planned_end > planned_start", name="positive_length"),
        Index("ix_field_visits_status_end", "status", "planned_end"),
        Index("ix_field_visits_start", "planned_start"),
        # feeds read the visits changed since they were built (see feeds.services)
        Index("ix_field_visits_updated_at", "updated_at"),
    )

    @property
    def visitor_ids(self) -> list[int]:
        return [v.person_id for v in self.visitors]

    @property
    def state(self) -> VisitStatus:
        return VisitStatus(self.status)


class FieldVisitor(Base):
    """One of the (one or two) colleagues who go on a visit."""

    __tablename__ = "field_visitors"

    visit_id: Mapped[int] = mapped_column(
        ForeignKey("field_visits.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_field_visitors_person_id", "person_id"),)


class VisitSafetyContact(Base):
    """Someone alerted when a team member's visit is overdue, besides the team leads."""

    __tablename__ = "visit_safety_contacts"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True
    )

    __table_args__ = (Index("ix_visit_safety_contacts_person_id", "person_id"),)


class VisitAlert(Base):
    """An overdue alert (level 1) or its escalation (level 2) for one planned end.

    ``due_end`` is the planned end the alert was raised for: after an extension the
    visit can become overdue again and raise new alerts. The unique constraint makes
    raising an alert twice impossible, even for two scheduler runs at once.
    ``resolved_at`` is set when the visit is checked out, extended or cancelled.
    """

    __tablename__ = "visit_alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("field_visits.id", ondelete="CASCADE"))
    level: Mapped[int] = mapped_column(Integer)
    due_end: Mapped[datetime] = mapped_column(UTCDateTime())
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime())
    acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), default=None
    )
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    #: When the last of its e-mails left the outbox (ref ``visit_alert:<id>``).
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    __table_args__ = (
        UniqueConstraint("visit_id", "level", "due_end", name="uq_visit_alerts_visit_level_end"),
        Index("ix_visit_alerts_raised_at", "raised_at"),
    )
