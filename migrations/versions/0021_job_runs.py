"""system: the last run of each background job

Administrators had no way to see whether the scheduler's jobs (releasing no-shows,
sending mail, escalating overdue field visits) run, or which one fails; each instance
only logged it. The instance that runs a job now records its last run here.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 01:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import werkplek.db

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job_runs",
        sa.Column("job", sa.String(60), nullable=False),
        sa.Column("started_at", werkplek.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", werkplek.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("succeeded_at", werkplek.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("failed_at", werkplek.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("error", sa.String(500), nullable=True),
        sa.Column("failures_in_a_row", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("job", name=op.f("pk_job_runs")),
    )


def downgrade() -> None:
    op.drop_table("job_runs")
