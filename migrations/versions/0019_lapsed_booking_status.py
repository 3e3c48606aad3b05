"""bookings: requests nobody decided in time are `lapsed`, not `declined`

The scheduler job `expire_requests` stored a request that lapsed as `declined`, like one
facilities declined. Such a request is recognised by its audit event: a `decline` of the
booking by nobody (`actor_id` empty) for the reason `lapsed`. A decline by facilities
always names its actor, unless that person was erased since, and then its details carry
no reason. Requests whose audit event was already removed (after
WERKPLEK_RETENTION_AUDIT_DAYS) cannot be told apart and stay `declined`. The status is a
plain string column, so no constraint changes.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_audit = sa.table(
    "audit_events",
    sa.column("actor_id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("object_type", sa.String),
    sa.column("object_id", sa.String),
    sa.column("details", sa.JSON),
)
_bookings = sa.table("bookings", sa.column("id", sa.Integer), sa.column("status", sa.String))


def _set_status(ids: list[int], old: str, new: str) -> None:
    for start in range(0, len(ids), 500):
        op.execute(
            _bookings.update()
            .where(_bookings.c.id.in_(ids[start : start + 500]), _bookings.c.status == old)
            .values(status=new)
        )


def _lapsed_booking_ids() -> list[int]:
    rows = op.get_bind().execute(
        sa.select(_audit.c.object_id, _audit.c.details).where(
            _audit.c.action == "decline",
            _audit.c.object_type == "booking",
            _audit.c.actor_id.is_(None),
        )
    )
    return [
        int(object_id)
        for object_id, details in rows
        if isinstance(details, dict) and details.get("reason") == "lapsed"
    ]


def upgrade() -> None:
    _set_status(_lapsed_booking_ids(), "declined", "lapsed")


def downgrade() -> None:
    op.execute(_bookings.update().where(_bookings.c.status == "lapsed").values(status="declined"))
