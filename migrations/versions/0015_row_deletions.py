"""feeds: count deleted people and spaces by trigger

A calendar feed that shows holders' names or every space depends on the whole persons
and spaces tables. Its fingerprint counted their rows on each poll (5,000 and 3,300 rows,
about a millisecond of the database's time per feed answered with 304), only to notice
deletions: additions and changes already show in the change times. Triggers now count
deleted rows per table in ``row_deletions``, whatever deletes them (the privacy erasure,
a cascade, an administrator's SQL), and the fingerprint reads that one row.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTED_TABLES = ("persons", "spaces")

_COUNT = (
    "INSERT INTO row_deletions (table_name, deleted) VALUES ({table}, 1) "
    "ON CONFLICT (table_name) DO UPDATE SET deleted = row_deletions.deleted + 1"
)


def upgrade() -> None:
    op.create_table(
        "row_deletions",
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("deleted", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", name=op.f("pk_row_deletions")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION count_row_deletion() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {_COUNT.format(table='TG_TABLE_NAME')}; RETURN NULL; END $$"
        )
        for table in COUNTED_TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_count_deletion AFTER DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION count_row_deletion()"
            )
        return
    for table in COUNTED_TABLES:
        count = _COUNT.format(table=f"'{table}'")
        op.execute(
            f"CREATE TRIGGER {table}_count_deletion AFTER DELETE ON {table} BEGIN {count}; END"
        )


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in COUNTED_TABLES:
        op.execute(f"DROP TRIGGER {table}_count_deletion" + (f" ON {table}" if postgresql else ""))
    if postgresql:
        op.execute("DROP FUNCTION count_row_deletion()")
    op.drop_table("row_deletions")
