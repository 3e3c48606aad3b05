"""A visitor's departure: reception marks them left, so an evacuation's roll call lists only
the visitors still in the building.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import werkplek.db

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("booking_visitors") as batch_op:
        batch_op.add_column(sa.Column("left_at", werkplek.db.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("booking_visitors") as batch_op:
        batch_op.drop_column("left_at")
