"""feeds: a fingerprint of each feed's inputs, so a 304 needs no rebuild however old the body

A calendar app polls hourly; the feed cache of 0012 had always expired by then, so each
conditional request built the whole feed (0.3–0.6 s for a team) to find the same hash.
The token now keeps a hash of the feed's inputs (per input table the count, sum and
latest of the rows' change times in the window, and the rows that carry names), and a
request whose ETag and inputs are unchanged is answered 304 from one query.

Persons, team memberships, weekly patterns and spaces get an ``updated_at`` for that
(weekly patterns and memberships had no change time; names of people and spaces appear
in feeds). Rows written before this migration keep NULL until they next change.
``content_built_at`` and ``WERKPLEK_FEED_CACHE_SECONDS`` are no longer needed.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import werkplek.db

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANGE_TIME_TABLES = ("persons", "team_memberships", "weekly_patterns", "spaces")


def upgrade() -> None:
    for table in CHANGE_TIME_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("updated_at", werkplek.db.UTCDateTime(timezone=True), nullable=True)
            )
    with op.batch_alter_table("feed_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content_inputs", sa.String(length=64), nullable=True))
        batch_op.drop_column("content_built_at")


def downgrade() -> None:
    with op.batch_alter_table("feed_tokens", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("content_built_at", werkplek.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.drop_column("content_inputs")
    for table in reversed(CHANGE_TIME_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("updated_at")
