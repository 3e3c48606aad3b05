"""Expected visitors: residents and external partners coming to a room booking."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from werkplek.db import Base, UTCDateTime


class BookingVisitor(Base):
    """Someone from outside the municipality expected at a room booking, so reception
    knows who is coming and for whom. Only a name and an organisation are kept (no
    e-mail, no phone): personal data of non-employees, removed with the booking and
    purged ``WERKPLEK_RETENTION_VISITOR_DAYS`` after it (``services.purge_visitors``)."""

    __tablename__ = "booking_visitors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    #: Marked by reception when they go: an evacuation's roll call lists only those still in.
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
