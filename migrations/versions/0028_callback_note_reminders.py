"""A callback note still open the working day after it was left reminds its colleague once:
when that happened.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 21:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import werkplek.db

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("callback_notes") as batch_op:
        batch_op.add_column(sa.Column("reminded_at", werkplek.db.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("callback_notes") as batch_op:
        batch_op.drop_column("reminded_at")
