"""Where people work per day part, their weekly pattern, reachability and callback notes."""

from __future__ import annotations

import enum
from datetime import date, datetime, time

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from werkplek.db import Base, UTCDateTime, change_time_column


class WorkKind(enum.StrEnum):
    """Where someone works during a day part."""

    OFFICE = "office"  # a site of kind central_office or satellite
    FIELD_BASE = "field_base"  # a site of kind field_base
    HOME = "home"
    ON_LOCATION = "on_location"  # an area or village name only, never an address
    ABSENT = "absent"  # the reason is private to the person (and admins)

    @property
    def needs_site(self) -> bool:
        return self in (WorkKind.OFFICE, WorkKind.FIELD_BASE)

    @property
    def is_working(self) -> bool:
        return self is not WorkKind.ABSENT


class PresencePart(enum.StrEnum):
    """A half day; ``day`` in input stands for both."""

    MORNING = "morning"
    AFTERNOON = "afternoon"


class WorkLocation(Base):
    """What a person said about one day part; it overrides bookings and the pattern."""

    __tablename__ = "work_locations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    date: Mapped[date] = mapped_column(Date)
    day_part: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(20))
    site_id: Mapped[int | None] = mapped_column(
        ForeignKey("sites.id", ondelete="CASCADE"), default=None
    )
    area: Mapped[str | None] = mapped_column(String(120), default=None)
    absence_reason: Mapped[str | None] = mapped_column(String(200), default=None)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), default=None
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        # Also the index for "this person, these dates" (its leading columns).
        UniqueConstraint("person_id", "date", "day_part", name="uq_work_locations_person_day_part"),
        Index("ix_work_locations_date", "date"),
        Index("ix_work_locations_person_updated_at", "person_id", "updated_at"),
        # Who is marked absent for a half day: the KCC finder puts them after the others.
        Index(
            "ix_work_locations_absent",
            "date",
            "day_part",
            "person_id",
            postgresql_where=text("kind = 'absent'"),
            sqlite_where=text("kind = 'absent'"),
        ),
    )


class DayReachability(Base):
    """How and when a person is reachable on one date, and who stands in for them."""

    __tablename__ = "day_reachability"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    date: Mapped[date] = mapped_column(Date)
    reachable_from: Mapped[time | None] = mapped_column(Time, default=None)
    reachable_until: Mapped[time | None] = mapped_column(Time, default=None)
    note: Mapped[str] = mapped_column(String(200), default="")
    backup_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), default=None
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("person_id", "date", name="uq_day_reachability_person_date"),
        Index("ix_day_reachability_date", "date"),
    )


class WeeklyPattern(Base):
    """A person's usual week: per weekday (0 = Monday) where each half day is spent."""

    __tablename__ = "weekly_patterns"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True
    )
    weekday: Mapped[int] = mapped_column(Integer, primary_key=True)
    morning_kind: Mapped[str | None] = mapped_column(String(20), default=None)
    morning_site_id: Mapped[int | None] = mapped_column(
        ForeignKey("sites.id", ondelete="SET NULL"), default=None
    )
    morning_area: Mapped[str | None] = mapped_column(String(120), default=None)
    afternoon_kind: Mapped[str | None] = mapped_column(String(20), default=None)
    afternoon_site_id: Mapped[int | None] = mapped_column(
        ForeignKey("sites.id", ondelete="SET NULL"), default=None
    )
    afternoon_area: Mapped[str | None] = mapped_column(String(120), default=None)
    reachable_from: Mapped[time | None] = mapped_column(Time, default=None)
    reachable_until: Mapped[time | None] = mapped_column(Time, default=None)
    updated_at: Mapped[datetime | None] = change_time_column()

    __table_args__ = (
        # The few usual weeks with an absent half day, per weekday (the KCC finder's order).
        Index(
            "ix_weekly_patterns_absent",
            "weekday",
            "person_id",
            postgresql_where=text("morning_kind = 'absent' OR afternoon_kind = 'absent'"),
            sqlite_where=text("morning_kind = 'absent' OR afternoon_kind = 'absent'"),
        ),
    )


class CallbackNote(Base):
    """A resident's question the KCC could not pass on live; removed after the retention time."""

    __tablename__ = "callback_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), default=None
    )
    resident_name: Mapped[str] = mapped_column(String(200), default="")
    callback_number: Mapped[str] = mapped_column(String(40))
    question: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    done_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), default=None
    )
    #: When the colleague was reminded of it, still open the working day after (once).
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    __table_args__ = (
        Index("ix_callback_notes_person_done", "person_id", "done_at"),
        Index("ix_callback_notes_created_by", "created_by_id", "created_at"),
        Index("ix_callback_notes_created_at", "created_at"),
    )
