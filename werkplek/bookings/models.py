"""Bookings of spaces, and the recurring series they may belong to."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from werkplek.db import Base, UTCDateTime


class BookingStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for approval; holds the slot
    CONFIRMED = "confirmed"
    CHECKED_IN = "checked_in"
    CANCELLED = "cancelled"
    RELEASED = "released"  # no-show, freed by the scheduler
    DECLINED = "declined"  # by facilities
    LAPSED = "lapsed"  # a request nobody decided in time, dropped by the scheduler


ACTIVE_STATUSES = (BookingStatus.PENDING, BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN)
ACTIVE_STATUS_VALUES = tuple(status.value for status in ACTIVE_STATUSES)


class BookingSeries(Base):
    """A weekly recurrence: the bookings it made point back to it."""

    __tablename__ = "booking_series"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    weekdays: Mapped[str] = mapped_column(String(20))  # e.g. "0,3" for Monday and Thursday
    first_date: Mapped[date] = mapped_column(Date)
    until: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Booking(Base):
    """A space held for a person over [start_at, end_at) in UTC.

    Never two active bookings overlap on one space, and one person holds at
    most one desk per moment. PostgreSQL enforces both with exclusion
    constraints (migration 0002); on SQLite the booking service takes the
    write lock before it checks and inserts.
    """

    __tablename__ = "bookings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    is_desk: Mapped[bool] = mapped_column(Boolean)
    booked_for_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime())
    end_at: Mapped[datetime] = mapped_column(UTCDateTime())
    day_part: Mapped[str | None] = mapped_column(String(10), default=None)
    status: Mapped[str] = mapped_column(String(12), default=BookingStatus.CONFIRMED.value)
    title: Mapped[str] = mapped_column(String(200), default="")
    attendees: Mapped[int] = mapped_column(Integer, default=1)
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("booking_series.id", ondelete="SET NULL"), default=None
    )
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sequence: Mapped[int] = mapped_column(Integer, default=0)  # iCalendar SEQUENCE

    __table_args__ = (
        CheckConstraint("end_at > start_at", name="positive_length"),
        Index("ix_bookings_space_start", "space_id", "start_at"),
        Index("ix_bookings_person_start", "booked_for_id", "start_at"),
        Index("ix_bookings_site_start", "site_id", "start_at"),
        Index("ix_bookings_status_start", "status", "start_at"),
        Index("ix_bookings_updated_at", "updated_at"),
        Index("ix_bookings_person_updated_at", "booked_for_id", "updated_at"),
        Index("ix_bookings_space_updated_at", "space_id", "updated_at"),
        # Overlap queries (end_at > start AND start_at < end) range over end_at: only the
        # bookings that end after the moment asked about are read, not all since the first.
        Index("ix_bookings_site_end", "site_id", "end_at"),
        Index("ix_bookings_space_end", "space_id", "end_at"),
        Index("ix_bookings_person_end", "booked_for_id", "end_at"),
    )


class ParticipantResponse(enum.StrEnum):
    """What an invited colleague answered to a meeting: nothing yet, yes or no."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class BookingParticipant(Base):
    """A colleague invited to a room booking by its holder, and what they answered.

    The holder is never a participant of their own booking. A participant sees the
    booking and answers it (``participants.respond``); only who may change the booking
    changes its participants (``participants.replace_participants``).
    """

    __tablename__ = "booking_participants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    response: Mapped[str] = mapped_column(String(10), default=ParticipantResponse.PENDING.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    __table_args__ = (
        UniqueConstraint("booking_id", "person_id", name="uq_booking_participants_booking_person"),
    )


class FavouriteDesk(Base):
    """A desk someone likes to sit at: the booking page lists their favourites first."""

    __tablename__ = "favourite_desks"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True
    )
    space_id: Mapped[int] = mapped_column(
        ForeignKey("spaces.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DeskWait(Base):
    """Someone waiting for a desk at a site (or one of its floors) for a date and day part
    when none was free: the ``desk_waitlist`` job books the first free one for the first
    waiting (``werkplek.bookings.waitlist``)."""

    __tablename__ = "desk_waits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    floor_id: Mapped[int | None] = mapped_column(
        ForeignKey("floors.id", ondelete="CASCADE"), default=None
    )
    date: Mapped[date] = mapped_column(Date)
    day_part: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("person_id", "date", "day_part", name="uq_desk_waits_person_day_part"),
        # The job reads the waits first come, first served.
        Index("ix_desk_waits_created_at", "created_at", "id"),
    )
