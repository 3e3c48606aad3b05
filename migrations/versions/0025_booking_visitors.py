"""visitors: expected visitors of room bookings

Residents and external partners come to resident rooms and meeting rooms; the organiser
names them on the booking (name and organisation only), so reception at the site knows
who is coming, marks their arrival and tells the host.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import werkplek.db

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "booking_visitors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("created_at", werkplek.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("arrived_at", werkplek.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["bookings.id"],
            name=op.f("fk_booking_visitors_booking_id_bookings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_visitors")),
    )
    op.create_index(
        op.f("ix_booking_visitors_booking_id"), "booking_visitors", ["booking_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_booking_visitors_booking_id"), table_name="booking_visitors")
    op.drop_table("booking_visitors")
