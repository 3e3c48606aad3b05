"""privacy and security: deletion, exports, address views (issue 10)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 23:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import werkplek.db


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
