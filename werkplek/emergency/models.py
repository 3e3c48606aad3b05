"""Emergency roll calls (ontruiming): who was in a building when it was evacuated, and
whom the emergency responders (BHV) have seen at the assembly point."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from werkplek.db import Base, UTCDateTime


class EntrySource(enum.StrEnum):
    """How Werkplek knew someone was in the building when the roll call started."""

    CHECKED_IN = "checked_in"  # a desk or room booking checked in at the site
    MEETING = "meeting"  # invited to a meeting under way here that its holder checked in to
    BOOKED = "booked"  # a desk or confirmed meeting here for now, not checked in
    PLANNED = "planned"  # their work location says office/field base at the site now
    VISITOR = "visitor"  # a visitor reception marked arrived today
    ADDED = "added"  # not on the list: added at the assembly point


class RollCall(Base):
    """One evacuation of a site: open until the responders close it. Personal data:
    deleted ``WERKPLEK_RETENTION_ROLL_CALL_DAYS`` after it closed
    (``services.purge_roll_calls``)."""

    __tablename__ = "roll_calls"
    __table_args__ = (
        # One open roll call per site, also when two responders start at once.
        Index(
            "uq_roll_calls_open_site",
            "site_id",
            unique=True,
            sqlite_where=text("closed_at IS NULL"),
            postgresql_where=text("closed_at IS NULL"),
        ),
        Index("ix_roll_calls_closed_at", "closed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    started_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), default=None
    )
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    closed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), default=None
    )


class RollCallEntry(Base):
    """Someone expected in the building, frozen when the roll call started: a name, where
    they were thought to be, a number to call and whether they are accounted for."""

    __tablename__ = "roll_call_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    roll_call_id: Mapped[int] = mapped_column(
        ForeignKey("roll_calls.id", ondelete="CASCADE"), index=True
    )
    #: The list's order, fixed at the start (checked in first, then by name).
    position: Mapped[int] = mapped_column(Integer)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), default=None
    )
    name: Mapped[str] = mapped_column(String(200))
    floor: Mapped[str] = mapped_column(String(120), default="")
    place: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    source: Mapped[str] = mapped_column(String(20))
    accounted_for: Mapped[bool] = mapped_column(Boolean, default=False)
    marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    marked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), default=None
    )
