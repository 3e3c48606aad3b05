"""search: trigram indexes for the KCC finder on PostgreSQL

The KCC finder matches a fragment anywhere in a name, topic or team name
(``lower(column) LIKE '%fragment%'``), which a B-tree cannot serve: every search read
all people and all their topics, a few milliseconds of the database's time per
keystroke at 5,000 people. pg_trgm's GIN indexes on the lower-cased columns answer
these patterns from the index (issue 4). SQLite has no such index; it scans, which
at its scale is fast enough and costs no other process anything.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 19:00:00
"""

from collections.abc import Sequence

from alembic import op


revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_persons_name_trigram": ("persons", "name"),
    "ix_person_topics_topic_trigram": ("person_topics", "topic"),
    "ix_teams_name_trigram": ("teams", "name"),
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON {table} USING gin (lower({column}) gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in INDEXES:
        op.execute(f"DROP INDEX {name}")
