"""displays: door displays of rooms and lobby screens of sites

A tablet at a meeting room's door (or in a site's lobby) shows whether rooms are free,
until when, and today's meetings, from a secret URL that facilities make and revoke.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import werkplek.db

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "display_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=True),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", werkplek.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", werkplek.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", werkplek.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(kind = 'room' AND space_id IS NOT NULL) OR (kind = 'lobby' AND space_id IS NULL)",
            name=op.f("ck_display_links_room_or_lobby"),
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
            name=op.f("fk_display_links_site_id_sites"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["space_id"],
            ["spaces.id"],
            name=op.f("fk_display_links_space_id_spaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["persons.id"],
            name=op.f("fk_display_links_created_by_id_persons"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_display_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_display_links_token_hash")),
    )
    op.create_index("ix_display_links_site_id", "display_links", ["site_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_display_links_site_id", table_name="display_links")
    op.drop_table("display_links")
