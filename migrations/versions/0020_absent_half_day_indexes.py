"""presence: partial indexes of absent half days, for the KCC finder's order

When a team or topic matches more people than the KCC finder shows, it shows those not
marked absent for the half day under way first. That check read every entry of the day
and every usual week of the weekday (5,000 of each at 5,000 people) on each such search;
these indexes hold only the absent ones.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ABSENT_ENTRY = sa.text("kind = 'absent'")
_ABSENT_IN_PATTERN = sa.text("morning_kind = 'absent' OR afternoon_kind = 'absent'")


def upgrade() -> None:
    op.create_index(
        "ix_work_locations_absent",
        "work_locations",
        ["date", "day_part", "person_id"],
        postgresql_where=_ABSENT_ENTRY,
        sqlite_where=_ABSENT_ENTRY,
    )
    op.create_index(
        "ix_weekly_patterns_absent",
        "weekly_patterns",
        ["weekday", "person_id"],
        postgresql_where=_ABSENT_IN_PATTERN,
        sqlite_where=_ABSENT_IN_PATTERN,
    )


def downgrade() -> None:
    op.drop_index("ix_weekly_patterns_absent", table_name="weekly_patterns")
    op.drop_index("ix_work_locations_absent", table_name="work_locations")
