"""floor plans and desk positions (issue 8)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 23:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import werkplek.db


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('floor_plans',
    sa.Column('floor_id', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('width', sa.Float(), nullable=False),
    sa.Column('height', sa.Float(), nullable=False),
    sa.Column('uploaded_at', werkplek.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['floor_id'], ['floors.id'], name=op.f('fk_floor_plans_floor_id_floors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['persons.id'], name=op.f('fk_floor_plans_uploaded_by_id_persons'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('floor_id', name=op.f('pk_floor_plans'))
    )


def downgrade() -> None:
    op.drop_table('floor_plans')
