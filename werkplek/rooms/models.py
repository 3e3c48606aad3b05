"""Sites, floors, zones, spaces, opening hours and closures."""

from __future__ import annotations

import enum
from datetime import date, datetime, time

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Time,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from werkplek.db import Base, change_time_column


class SiteKind(enum.StrEnum):
    CENTRAL_OFFICE = "central_office"
    SATELLITE = "satellite"
    FIELD_BASE = "field_base"
    COMMUNITY_VENUE = "community_venue"


class SpaceKind(enum.StrEnum):
    DESK = "desk"
    QUIET_DESK = "quiet_desk"
    MEETING_ROOM = "meeting_room"
    RESIDENT_ROOM = "resident_room"

    @property
    def is_desk(self) -> bool:
        return self in (SpaceKind.DESK, SpaceKind.QUIET_DESK)


class Amenity(enum.StrEnum):
    SCREEN = "screen"
    DOCKING = "docking"
    SIT_STAND = "sit_stand"
    VIDEO = "video"
    WHEELCHAIR = "wheelchair"


class SafetyFeature(enum.StrEnum):
    ALARM_BUTTON = "alarm_button"
    SECOND_EXIT = "second_exit"
    LINE_OF_SIGHT = "line_of_sight"


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(250), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    timezone: Mapped[str] = mapped_column(String(60), default="Europe/Amsterdam")
    day_split: Mapped[time] = mapped_column(Time, default=time(13, 0))
    max_days_ahead: Mapped[int] = mapped_column(Integer, default=14)
    capacity_cap_percent: Mapped[int | None] = mapped_column(Integer, default=None)
    observe_public_holidays: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    opening_hours: Mapped[list[OpeningHours]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="OpeningHours.weekday"
    )
    floors: Mapped[list[Floor]] = relationship(
        back_populates="site", cascade="all, delete-orphan", order_by="Floor.level"
    )


class OpeningHours(Base):
    """Hours on one weekday (0 = Monday); a weekday without a row is closed."""

    __tablename__ = "opening_hours"

    site_id: Mapped[int] = mapped_column(
        ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True
    )
    weekday: Mapped[int] = mapped_column(Integer, primary_key=True)
    opens: Mapped[time] = mapped_column(Time)
    closes: Mapped[time] = mapped_column(Time)


class Closure(Base):
    """Days a site (or one space) cannot be booked: maintenance, a local holiday."""

    __tablename__ = "closures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    space_id: Mapped[int | None] = mapped_column(
        ForeignKey("spaces.id", ondelete="CASCADE"), default=None
    )
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (Index("ix_closures_site_dates", "site_id", "starts_on", "ends_on"),)


class Floor(Base):
    __tablename__ = "floors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[int] = mapped_column(Integer, default=0)

    site: Mapped[Site] = relationship(back_populates="floors")
    zones: Mapped[list[Zone]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="Zone.name"
    )

    __table_args__ = (Index("ix_floors_site_id", "site_id"),)


class Zone(Base):
    """Part of a floor, e.g. a team's neighbourhood."""

    __tablename__ = "zones"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    floor_id: Mapped[int] = mapped_column(ForeignKey("floors.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))


class Space(Base):
    __tablename__ = "spaces"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    floor_id: Mapped[int | None] = mapped_column(
        ForeignKey("floors.id", ondelete="SET NULL"), default=None
    )
    zone_id: Mapped[int | None] = mapped_column(
        ForeignKey("zones.id", ondelete="SET NULL"), default=None
    )
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    amenities: Mapped[list[str]] = mapped_column(JSON, default=list)
    safety_features: Mapped[list[str]] = mapped_column(JSON, default=list)
    requires_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    pos_x: Mapped[float | None] = mapped_column(Float, default=None)
    pos_y: Mapped[float | None] = mapped_column(Float, default=None)
    updated_at: Mapped[datetime | None] = change_time_column()

    restricted_to: Mapped[list[SpaceTeam]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    __table_args__ = (
        Index("ix_spaces_site_kind", "site_id", "kind"),
        Index("ix_spaces_floor_id", "floor_id"),
        Index("ix_spaces_updated_at", "updated_at"),
    )

    @property
    def team_ids(self) -> list[int]:
        return sorted(link.team_id for link in self.restricted_to)


class SpaceTeam(Base):
    """Restricts a space to teams; a space without rows is bookable by all."""

    __tablename__ = "space_teams"

    space_id: Mapped[int] = mapped_column(
        ForeignKey("spaces.id", ondelete="CASCADE"), primary_key=True
    )
    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
