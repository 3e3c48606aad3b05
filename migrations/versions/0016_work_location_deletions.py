"""feeds: count each person's deleted work locations by trigger

A person's or team's feed noticed a deleted work location (a half day set back to the
usual week, the retention job) by counting the work locations in its window on every
poll: about 800 rows for a team of 50. A trigger now counts each person's deletions in
``work_location_deletions``, and the fingerprint reads one row per person.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COUNT = (
    "INSERT INTO work_location_deletions (person_id, deleted) VALUES (OLD.person_id, 1) "
    "ON CONFLICT (person_id) DO UPDATE SET deleted = work_location_deletions.deleted + 1"
)


def upgrade() -> None:
    op.create_table(
        "work_location_deletions",
        sa.Column("person_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("deleted", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_work_location_deletions")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION count_work_location_deletion() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN {_COUNT}; RETURN NULL; END $$"
        )
        op.execute(
            "CREATE TRIGGER work_locations_count_deletion AFTER DELETE ON work_locations "
            "FOR EACH ROW EXECUTE FUNCTION count_work_location_deletion()"
        )
        return
    op.execute(
        "CREATE TRIGGER work_locations_count_deletion AFTER DELETE ON work_locations "
        f"BEGIN {_COUNT}; END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER work_locations_count_deletion ON work_locations")
        op.execute("DROP FUNCTION count_work_location_deletion()")
    else:
        op.execute("DROP TRIGGER work_locations_count_deletion")
    op.drop_table("work_location_deletions")
