"""bookings: the desk waitlist

When no desk was free (the site full, or its capacity cap reached), a desk freed later by
a cancellation or a no-show release went unused. Someone may now wait for one: the
scheduler books the first desk that comes free for the first waiting.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import werkplek.db

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "desk_waits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("floor_id", sa.Integer(), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("day_part", sa.String(length=10), nullable=False),
        sa.Column("created_at", werkplek.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_desk_waits_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_desk_waits_site_id_sites"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["floor_id"],
            ["floors.id"],
            name=op.f("fk_desk_waits_floor_id_floors"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_waits")),
        sa.UniqueConstraint(
            "person_id", "date", "day_part", name="uq_desk_waits_person_day_part"
        ),
    )
    op.create_index(op.f("ix_desk_waits_site_id"), "desk_waits", ["site_id"], unique=False)
    op.create_index("ix_desk_waits_created_at", "desk_waits", ["created_at", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_desk_waits_created_at", table_name="desk_waits")
    op.drop_index(op.f("ix_desk_waits_site_id"), table_name="desk_waits")
    op.drop_table("desk_waits")
