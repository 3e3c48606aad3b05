"""emergency: roll calls of an evacuation

When a building is evacuated, the emergency responders (BHV) start a roll call: who
Werkplek knows to be in the building, frozen at that instant, ticked off at the assembly
point. One open roll call per site; closed ones are deleted after their retention time.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import werkplek.db

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "roll_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("started_at", werkplek.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", werkplek.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_roll_calls_site_id_sites"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["started_by_id"],
            ["persons.id"],
            name=op.f("fk_roll_calls_started_by_id_persons"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"],
            ["persons.id"],
            name=op.f("fk_roll_calls_closed_by_id_persons"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roll_calls")),
    )
    op.create_index(
        "uq_roll_calls_open_site",
        "roll_calls",
        ["site_id"],
        unique=True,
        sqlite_where=sa.text("closed_at IS NULL"),
        postgresql_where=sa.text("closed_at IS NULL"),
    )
    op.create_index("ix_roll_calls_closed_at", "roll_calls", ["closed_at"], unique=False)
    op.create_table(
        "roll_call_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("roll_call_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("floor", sa.String(length=120), nullable=False),
        sa.Column("place", sa.String(length=120), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("accounted_for", sa.Boolean(), nullable=False),
        sa.Column("marked_at", werkplek.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("marked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["roll_call_id"],
            ["roll_calls.id"],
            name=op.f("fk_roll_call_entries_roll_call_id_roll_calls"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_roll_call_entries_person_id_persons"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["marked_by_id"],
            ["persons.id"],
            name=op.f("fk_roll_call_entries_marked_by_id_persons"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roll_call_entries")),
    )
    op.create_index(
        op.f("ix_roll_call_entries_roll_call_id"),
        "roll_call_entries",
        ["roll_call_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_roll_call_entries_roll_call_id"), table_name="roll_call_entries")
    op.drop_table("roll_call_entries")
    op.drop_index("ix_roll_calls_closed_at", table_name="roll_calls")
    op.drop_index("uq_roll_calls_open_site", table_name="roll_calls")
    op.drop_table("roll_calls")
