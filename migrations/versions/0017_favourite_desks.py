"""bookings: favourite desks

Someone who likes to sit at the same few desks found them again in a list of up to 500
on every visit to the booking page. A person now keeps favourites, listed first.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import werkplek.db

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "favourite_desks",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("created_at", werkplek.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_favourite_desks_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["space_id"],
            ["spaces.id"],
            name=op.f("fk_favourite_desks_space_id_spaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", "space_id", name=op.f("pk_favourite_desks")),
    )
    op.create_index(
        op.f("ix_favourite_desks_space_id"), "favourite_desks", ["space_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_favourite_desks_space_id"), table_name="favourite_desks")
    op.drop_table("favourite_desks")
