"""performance: booking indexes that start at the end of a booking

Overlap queries ("active bookings of this site, space or person that end after the
start of the day and start before its end") could only use the indexes on start_at
with their upper bound, and so read every booking since the first. Led by end_at
they read only the bookings that end after the moment asked about (issue 9).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 23:40:00
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    'ix_bookings_site_end': ['site_id', 'end_at'],
    'ix_bookings_space_end': ['space_id', 'end_at'],
    'ix_bookings_person_end': ['booked_for_id', 'end_at'],
}


def upgrade() -> None:
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        for name, columns in INDEXES.items():
            batch_op.create_index(name, columns, unique=False)


def downgrade() -> None:
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        for name in INDEXES:
            batch_op.drop_index(name)
