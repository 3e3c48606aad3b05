"""Calendar feed tokens: a secret URL per scope, stored only as a hash."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from werkplek.db import Base, UTCDateTime


class FeedScope(enum.StrEnum):
    """What a feed shows: one person, a team's work locations, a site's rooms, one space."""

    PERSON = "person"
    TEAM = "team"
    SITE = "site"
    SPACE = "space"


class FeedToken(Base):
    """A subscription URL. The token itself is shown once; only its SHA-256 is kept.

    A token grants what its creator may see at the moment of each request, never
    more: the creator's rights are checked again every time the feed is read.
    ``content_etag``/``content_changed_at`` remember the last body served, so the
    feed can answer ``Last-Modified`` truthfully (the moment its content changed);
    ``content_inputs``, ``content_since`` and ``content_expires_at`` say what that body
    was built from, so that a client holding it gets 304 without a rebuild while none of
    it changed (``services``, "what a feed is built from").
    """

    __tablename__ = "feed_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    scope: Mapped[str] = mapped_column(String(10))
    scope_id: Mapped[int] = mapped_column(Integer)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    content_etag: Mapped[str | None] = mapped_column(String(64), default=None)
    content_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    content_inputs: Mapped[str | None] = mapped_column(String(64), default=None)
    content_since: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    content_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    __table_args__ = (
        CheckConstraint("scope IN ('person', 'team', 'site', 'space')", name="known_scope"),
        Index("ix_feed_tokens_created_by_id", "created_by_id"),
    )


class RowDeletions(Base):
    """How many rows were ever deleted from a table the feeds depend on as a whole
    (people, spaces), counted by database triggers (migration 0015), whatever deletes
    them. A feed's fingerprint compares this one number instead of counting the table's
    thousands of rows on every poll; additions and changes show in the change times."""

    __tablename__ = "row_deletions"

    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    deleted: Mapped[int] = mapped_column(BigInteger)


class WorkLocationDeletions(Base):
    """How many of a person's work locations were ever deleted (a half day set back to
    the usual week, the retention job), counted by a database trigger (migration 0016).
    Person and team feeds compare it instead of counting the work locations in their
    window on every poll. No foreign key to ``persons``: erasing a person deletes their
    work locations, and the trigger counts those while the person's row is going."""

    __tablename__ = "work_location_deletions"

    person_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    deleted: Mapped[int] = mapped_column(BigInteger)
