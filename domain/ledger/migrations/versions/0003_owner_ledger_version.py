"""A version token per owner that changes with every write to what a diagnosis reads of
their ledger (clients, invoices, payments, ladder steps, promises, payment plans and
instalments), kept by database triggers so that no writer can forget it: the open-invoice
lists are remembered per (owner, token, day) and a new token is a new list.

The token is never reused, even after a rollback (a counter would give a rolled-back
value again to the next write): a sequence on PostgreSQL, a 64-bit random() on SQLite.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The tables a diagnosis reads, each with an `owner_id` column.
TRACKED = ("client", "invoice", "payment", "interaction", "promise", "payment_plan",
           "instalment")
_EVENTS = {"INSERT": ("NEW",), "UPDATE": ("OLD", "NEW"), "DELETE": ("OLD",)}


def _sqlite_triggers() -> None:
    for table in TRACKED:
        for event, rows in _EVENTS.items():
            owners = " OR ".join(f"id = {row}.owner_id" for row in rows)
            # Names from the constants above, no outside text.
            op.execute(f"""
                CREATE TRIGGER {table}_{event.lower()}_ledger_version AFTER {event} ON {table}
                BEGIN
                    UPDATE owner SET ledger_version = random() WHERE {owners};
                END""")  # noqa: S608


def _postgresql_triggers() -> None:
    op.execute("CREATE SEQUENCE ledger_version_seq")
    op.execute("""
        CREATE FUNCTION bump_ledger_version() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                UPDATE owner SET ledger_version = nextval('ledger_version_seq')
                WHERE id = OLD.owner_id;
            END IF;
            IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.owner_id <> OLD.owner_id) THEN
                UPDATE owner SET ledger_version = nextval('ledger_version_seq')
                WHERE id = NEW.owner_id;
            END IF;
            RETURN NULL;
        END $$""")
    for table in TRACKED:
        op.execute(f"""
            CREATE TRIGGER {table}_ledger_version AFTER INSERT OR UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION bump_ledger_version()""")


def upgrade() -> None:
    with op.batch_alter_table('owner') as batch:
        batch.add_column(sa.Column('ledger_version', sa.BigInteger(), nullable=False,
                                   server_default='0'))
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TRACKED:
            op.execute(f"DROP TRIGGER {table}_ledger_version ON {table}")
        op.execute("DROP FUNCTION bump_ledger_version()")
        op.execute("DROP SEQUENCE ledger_version_seq")
    else:
        for table in TRACKED:
            for event in _EVENTS:
                op.execute(f"DROP TRIGGER {table}_{event.lower()}_ledger_version")
    with op.batch_alter_table('owner') as batch:
        batch.drop_column('ledger_version')
