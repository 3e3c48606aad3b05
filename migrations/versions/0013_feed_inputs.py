"""feeds: what a feed was built from, so a 304 needs no rebuild however old the body

A calendar app polls hourly; the feed cache of 0012 had always expired by then, so each
conditional request built the whole feed (0.3-1.3 s) to find the same hash. The token
now keeps when the data of its body was read (less a margin for late commits), when a
cancelled booking in it is due to leave it, and a hash of what change times cannot show
(counts of deletable rows, sites by value, the creator's rights); a request whose ETag
matches and whose inputs did not change since is answered 304 from one query.

Persons, team memberships, weekly patterns and spaces get an ``updated_at`` for that
(weekly patterns and memberships had no change time; names of people and spaces appear
in feeds), set by the models on every insert and update; rows written before this
migration keep NULL until they next change. Indexes on change times (of persons and
spaces; of work locations and bookings per person; of bookings per space) let the check
for what changed read only what changed.
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
CHANGE_TIME_INDEXES = {
    "ix_persons_updated_at": ("persons", ["updated_at"]),
    "ix_spaces_updated_at": ("spaces", ["updated_at"]),
    "ix_work_locations_person_updated_at": ("work_locations", ["person_id", "updated_at"]),
    "ix_bookings_person_updated_at": ("bookings", ["booked_for_id", "updated_at"]),
    "ix_bookings_space_updated_at": ("bookings", ["space_id", "updated_at"]),
}


def upgrade() -> None:
    for table in CHANGE_TIME_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("updated_at", werkplek.db.UTCDateTime(timezone=True), nullable=True)
            )
    for name, (table, columns) in CHANGE_TIME_INDEXES.items():
        op.create_index(name, table, columns, unique=False)
    with op.batch_alter_table("feed_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content_inputs", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("content_since", werkplek.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("content_expires_at", werkplek.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.drop_column("content_built_at")


def downgrade() -> None:
    with op.batch_alter_table("feed_tokens", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("content_built_at", werkplek.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.drop_column("content_expires_at")
        batch_op.drop_column("content_since")
        batch_op.drop_column("content_inputs")
    for name, (table, _columns) in CHANGE_TIME_INDEXES.items():
        op.drop_index(name, table_name=table)
    for table in reversed(CHANGE_TIME_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("updated_at")
