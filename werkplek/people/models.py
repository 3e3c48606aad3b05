"""People, teams, roles, topics, login sessions and API tokens."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from werkplek.db import Base, UTCDateTime, change_time_column


class Role(enum.StrEnum):
    EMPLOYEE = "employee"
    KCC = "kcc"
    TEAMLEAD = "teamlead"
    FACILITIES = "facilities"
    #: Reception (receptie, gastvrouw): the visitors of the day and marking them arrived,
    #: nothing more of facilities' rights.
    RECEPTION = "reception"
    #: Emergency response (BHV, bedrijfshulpverlener): the roll call of an evacuation,
    #: nothing more of facilities' rights.
    EMERGENCY = "emergency"
    ADMIN = "admin"


class Person(Base):
    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(200), default=None)
    phone: Mapped[str | None] = mapped_column(String(40), default=None)
    mobile: Mapped[str | None] = mapped_column(String(40), default=None)
    chat_handle: Mapped[str | None] = mapped_column(String(120), default=None)
    language: Mapped[str] = mapped_column(String(5), default="nl")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    hide_desk: Mapped[bool] = mapped_column(Boolean, default=False)
    backup_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime | None] = change_time_column()

    roles: Mapped[list[PersonRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    memberships: Mapped[list[TeamMembership]] = relationship(
        back_populates="person", cascade="all, delete-orphan", lazy="selectin"
    )
    topics: Mapped[list[PersonTopic]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="PersonTopic.topic"
    )

    __table_args__ = (Index("ix_persons_updated_at", "updated_at"),)

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(Role(r.role) for r in self.roles)


class PersonRole(Base):
    __tablename__ = "person_roles"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class PersonTopic(Base):
    """A subject a person answers questions about, e.g. "paspoort"; the KCC searches these."""

    __tablename__ = "person_topics"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(80), primary_key=True)

    __table_args__ = (Index("ix_person_topics_topic", "topic"),)


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(String(500), default="")

    memberships: Mapped[list[TeamMembership]] = relationship(
        back_populates="team", cascade="all, delete-orphan"
    )


class TeamMembership(Base):
    __tablename__ = "team_memberships"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True
    )
    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    is_lead: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime | None] = change_time_column()

    person: Mapped[Person] = relationship(back_populates="memberships")
    team: Mapped[Team] = relationship(back_populates="memberships", lazy="joined")

    __table_args__ = (Index("ix_team_memberships_team_id", "team_id"),)


class LoginSession(Base):
    """A browser login; only the hash of the cookie value is stored."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The provider's ID token of a single sign-on login: the hint when logging out there.
    id_token: Mapped[str | None] = mapped_column(Text, default=None)


class ExternalIdentity(Base):
    """A person's account at the single sign-on provider.

    (issuer, subject) is the provider's stable key for the account; the e-mail
    address may change there, so a person is found by this link once it exists.
    """

    __tablename__ = "external_identities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("issuer", "subject"),
        Index("ix_external_identities_person_id", "person_id"),
    )


class ApiToken(Base):
    """A bearer token for scripts; only its hash is stored, shown once on creation."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    read_only: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class LoginAttempt(Base):
    """A failed login, kept briefly to rate-limit by account and by address."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_login_attempts_email_at", "email", "at"),
        Index("ix_login_attempts_address_at", "address", "at"),
    )
