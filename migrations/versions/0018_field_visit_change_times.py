"""visits: an index on the change time of field visits

Calendar feeds show field visits as time on location; a feed polled with its ETag reads
the visits changed since it was built, through this index, instead of every visit.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 01:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        op.f("ix_field_visits_updated_at"), "field_visits", ["updated_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_field_visits_updated_at"), table_name="field_visits")
