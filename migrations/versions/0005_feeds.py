"""feeds: calendar subscription tokens (stored as SHA-256 hashes)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 19:58:12.804510
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import werkplek.db

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feed_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("scope_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", werkplek.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", werkplek.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", werkplek.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("content_etag", sa.String(length=64), nullable=True),
        sa.Column("content_changed_at", werkplek.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "scope IN ('person', 'team', 'site', 'space')",
            name=op.f("ck_feed_tokens_known_scope"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["persons.id"],
            name=op.f("fk_feed_tokens_created_by_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_feed_tokens_token_hash")),
    )
    op.create_index("ix_feed_tokens_created_by_id", "feed_tokens", ["created_by_id"])


def downgrade() -> None:
    op.drop_index("ix_feed_tokens_created_by_id", table_name="feed_tokens")
    op.drop_table("feed_tokens")
