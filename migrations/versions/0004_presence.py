"""presence: work locations, reachability, weekly patterns, callback notes

The unique constraints on (person_id, date[, day_part]) are also the indexes the
KCC finder and team board read by.

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-23 19:57:45.665475
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import werkplek.db


revision: str = '0004'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('callback_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('resident_name', sa.String(length=200), nullable=False),
    sa.Column('callback_number', sa.String(length=40), nullable=False),
    sa.Column('question', sa.String(length=1000), nullable=False),
    sa.Column('created_at', werkplek.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('done_at', werkplek.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['persons.id'], name=op.f('fk_callback_notes_created_by_id_persons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['done_by_id'], ['persons.id'], name=op.f('fk_callback_notes_done_by_id_persons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_callback_notes_person_id_persons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_callback_notes'))
    )
    with op.batch_alter_table('callback_notes', schema=None) as batch_op:
        batch_op.create_index('ix_callback_notes_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_callback_notes_created_by', ['created_by_id', 'created_at'], unique=False)
        batch_op.create_index('ix_callback_notes_person_done', ['person_id', 'done_at'], unique=False)

    op.create_table('day_reachability',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('reachable_from', sa.Time(), nullable=True),
    sa.Column('reachable_until', sa.Time(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('backup_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', werkplek.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['backup_id'], ['persons.id'], name=op.f('fk_day_reachability_backup_id_persons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_day_reachability_person_id_persons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_day_reachability')),
    sa.UniqueConstraint('person_id', 'date', name='uq_day_reachability_person_date')
    )
    with op.batch_alter_table('day_reachability', schema=None) as batch_op:
        batch_op.create_index('ix_day_reachability_date', ['date'], unique=False)

    op.create_table('weekly_patterns',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('morning_kind', sa.String(length=20), nullable=True),
    sa.Column('morning_site_id', sa.Integer(), nullable=True),
    sa.Column('morning_area', sa.String(length=120), nullable=True),
    sa.Column('afternoon_kind', sa.String(length=20), nullable=True),
    sa.Column('afternoon_site_id', sa.Integer(), nullable=True),
    sa.Column('afternoon_area', sa.String(length=120), nullable=True),
    sa.Column('reachable_from', sa.Time(), nullable=True),
    sa.Column('reachable_until', sa.Time(), nullable=True),
    sa.ForeignKeyConstraint(['afternoon_site_id'], ['sites.id'], name=op.f('fk_weekly_patterns_afternoon_site_id_sites'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['morning_site_id'], ['sites.id'], name=op.f('fk_weekly_patterns_morning_site_id_sites'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_weekly_patterns_person_id_persons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'weekday', name=op.f('pk_weekly_patterns'))
    )
    op.create_table('work_locations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('day_part', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('area', sa.String(length=120), nullable=True),
    sa.Column('absence_reason', sa.String(length=200), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', werkplek.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_work_locations_person_id_persons'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_work_locations_site_id_sites'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['persons.id'], name=op.f('fk_work_locations_updated_by_id_persons'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_locations')),
    sa.UniqueConstraint('person_id', 'date', 'day_part', name='uq_work_locations_person_day_part')
    )
    with op.batch_alter_table('work_locations', schema=None) as batch_op:
        batch_op.create_index('ix_work_locations_date', ['date'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('work_locations', schema=None) as batch_op:
        batch_op.drop_index('ix_work_locations_date')

    op.drop_table('work_locations')
    op.drop_table('weekly_patterns')
    with op.batch_alter_table('day_reachability', schema=None) as batch_op:
        batch_op.drop_index('ix_day_reachability_date')

    op.drop_table('day_reachability')
    with op.batch_alter_table('callback_notes', schema=None) as batch_op:
        batch_op.drop_index('ix_callback_notes_person_done')
        batch_op.drop_index('ix_callback_notes_created_by')
        batch_op.drop_index('ix_callback_notes_created_at')

    op.drop_table('callback_notes')
