"""bookings: participants of room bookings

A room booking had only a count of attendees. Its holder now invites colleagues: each
gets an invitation with the meeting's iCalendar request and answers it (accepted or
declined); a change or cancellation of the meeting reaches them too.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import werkplek.db

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "booking_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("response", sa.String(length=10), nullable=False),
        sa.Column("created_at", werkplek.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("responded_at", werkplek.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["bookings.id"],
            name=op.f("fk_booking_participants_booking_id_bookings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_booking_participants_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_participants")),
        sa.UniqueConstraint(
            "booking_id", "person_id", name="uq_booking_participants_booking_person"
        ),
    )
    op.create_index(
        op.f("ix_booking_participants_person_id"),
        "booking_participants",
        ["person_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_booking_participants_person_id"), table_name="booking_participants")
    op.drop_table("booking_participants")
