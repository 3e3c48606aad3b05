"""feeds: when a token's body was last built, so a recent one answers 304 without a rebuild

A calendar app polls with If-None-Match; building a large feed only to find the same
hash made a 304 as costly as a 200 (issue 9). For ``WERKPLEK_FEED_CACHE_SECONDS``
after a build, a request carrying the stored ETag is answered 304 after the token and
its creator's rights are checked, without building the feed.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-24 00:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import werkplek.db

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("feed_tokens", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("content_built_at", werkplek.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("feed_tokens", schema=None) as batch_op:
        batch_op.drop_column("content_built_at")
