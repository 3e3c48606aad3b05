"""field visits: visitors, safety contacts and overdue alerts

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 19:58:46.870171
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import werkplek.db


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('visit_safety_contacts',
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_visit_safety_contacts_person_id_persons'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_visit_safety_contacts_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('team_id', 'person_id', name=op.f('pk_visit_safety_contacts'))
    )
    with op.batch_alter_table('visit_safety_contacts', schema=None) as batch_op:
        batch_op.create_index('ix_visit_safety_contacts_person_id', ['person_id'], unique=False)

    op.create_table('field_visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area', sa.String(length=120), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('purpose', sa.String(length=200), nullable=False),
    sa.Column('planned_start', werkplek.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('planned_end', werkplek.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('two_person_required', sa.Boolean(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('checked_in_at', werkplek.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('checked_in_by_id', sa.Integer(), nullable=True),
    sa.Column('checked_out_at', werkplek.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('checked_out_by_id', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', werkplek.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', werkplek.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', werkplek.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('planned_end > planned_start', name=op.f('ck_field_visits_positive_length')),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_field_visits_booking_id_bookings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['checked_in_by_id'], ['persons.id'], name=op.f('fk_field_visits_checked_in_by_id_persons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['checked_out_by_id'], ['persons.id'], name=op.f('fk_field_visits_checked_out_by_id_persons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['persons.id'], name=op.f('fk_field_visits_created_by_id_persons'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_field_visits'))
    )
    with op.batch_alter_table('field_visits', schema=None) as batch_op:
        batch_op.create_index('ix_field_visits_start', ['planned_start'], unique=False)
        batch_op.create_index('ix_field_visits_status_end', ['status', 'planned_end'], unique=False)

    op.create_table('field_visitors',
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_field_visitors_person_id_persons'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['visit_id'], ['field_visits.id'], name=op.f('fk_field_visitors_visit_id_field_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('visit_id', 'person_id', name=op.f('pk_field_visitors'))
    )
    with op.batch_alter_table('field_visitors', schema=None) as batch_op:
        batch_op.create_index('ix_field_visitors_person_id', ['person_id'], unique=False)

    op.create_table('visit_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('due_end', werkplek.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('raised_at', werkplek.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_by_id', sa.Integer(), nullable=True),
    sa.Column('acknowledged_at', werkplek.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', werkplek.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('emailed_at', werkplek.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('email_attempts', sa.Integer(), nullable=False),
    sa.Column('last_mail_attempt_at', werkplek.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['acknowledged_by_id'], ['persons.id'], name=op.f('fk_visit_alerts_acknowledged_by_id_persons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['visit_id'], ['field_visits.id'], name=op.f('fk_visit_alerts_visit_id_field_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_alerts')),
    sa.UniqueConstraint('visit_id', 'level', 'due_end', name='uq_visit_alerts_visit_level_end')
    )
    with op.batch_alter_table('visit_alerts', schema=None) as batch_op:
        batch_op.create_index('ix_visit_alerts_raised_at', ['raised_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('visit_alerts', schema=None) as batch_op:
        batch_op.drop_index('ix_visit_alerts_raised_at')

    op.drop_table('visit_alerts')
    with op.batch_alter_table('field_visitors', schema=None) as batch_op:
        batch_op.drop_index('ix_field_visitors_person_id')

    op.drop_table('field_visitors')
    with op.batch_alter_table('field_visits', schema=None) as batch_op:
        batch_op.drop_index('ix_field_visits_status_end')
        batch_op.drop_index('ix_field_visits_start')

    op.drop_table('field_visits')
    with op.batch_alter_table('visit_safety_contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_visit_safety_contacts_person_id')

    op.drop_table('visit_safety_contacts')
