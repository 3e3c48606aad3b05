"""A floor's plan image: the bytes themselves, so every app instance serves the same plan."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from werkplek.db import Base, UTCDateTime


class FloorPlan(Base):
    """One plan per floor (SVG sanitised on upload, or PNG/JPEG as sent).

    ``width`` and ``height`` are the plan's own size (pixels, or the SVG's viewBox);
    space positions are fractions of them, so a plan can be replaced by one of
    another resolution without moving the desks.
    """

    __tablename__ = "floor_plans"

    floor_id: Mapped[int] = mapped_column(
        ForeignKey("floors.id", ondelete="CASCADE"), primary_key=True
    )
    content_type: Mapped[str] = mapped_column(String(40))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    width: Mapped[float] = mapped_column(Float)
    height: Mapped[float] = mapped_column(Float)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True))
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), default=None
    )
