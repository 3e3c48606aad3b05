"""Display links: the secret URL of a room's door display or a site's lobby screen."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from werkplek.db import Base, UTCDateTime


class DisplayKind(enum.StrEnum):
    """A door display shows one room; a lobby screen every room of a site."""

    ROOM = "room"
    LOBBY = "lobby"


class DisplayLink(Base):
    """The URL a tablet shows. As with calendar feed tokens, the token is shown once and
    only its SHA-256 is kept; revoking it makes the URL answer 404 at once.

    The link belongs to its site, not to whoever made it: a display keeps working when
    its maker leaves (``created_by_id`` then becomes NULL)."""

    __tablename__ = "display_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    space_id: Mapped[int | None] = mapped_column(
        ForeignKey("spaces.id", ondelete="CASCADE"), default=None
    )
    label: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    __table_args__ = (
        CheckConstraint(
            "(kind = 'room' AND space_id IS NOT NULL) OR (kind = 'lobby' AND space_id IS NULL)",
            name="room_or_lobby",
        ),
        Index("ix_display_links_site_id", "site_id"),
    )
