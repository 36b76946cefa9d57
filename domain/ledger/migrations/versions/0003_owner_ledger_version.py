"""Version tokens that change with every write to what a diagnosis reads, kept by database
triggers so that no writer can forget them:

- `owner.ledger_version`: any write to the owner's clients or invoices, so to payments,
  ladder steps, promises, payment plans and instalments too (they change their invoice's
  version). The open-invoice lists are remembered per
  (owner, version, day): a new version is a new list.
- `invoice.version`: any write to the invoice, its client or its related rows. A list
  rebuilt after a write reads only the (id, version) pairs, then the invoices that changed.

A token is never reused, even after a rollback (a counter would give a rolled-back value
again to the next write): a sequence on PostgreSQL, a 64-bit random() on SQLite.

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

#: The tables whose writes change the owner's version directly; a write to a row about an
#: invoice changes the invoice's version, so the owner's too.
TRACKED = ("client", "invoice")
_EVENTS = {"INSERT": ("NEW",), "UPDATE": ("OLD", "NEW"), "DELETE": ("OLD",)}


#: The tables of rows about one invoice, and how a row names its invoice.
RELATED = {"payment": "{row}.invoice_id", "interaction": "{row}.invoice_id",
           "promise": "{row}.invoice_id", "payment_plan": "{row}.invoice_id",
           "instalment": "(SELECT invoice_id FROM payment_plan WHERE id = {row}.plan_id)"}


def _sqlite_triggers() -> None:
    # Names from the constants above, no outside text (S608).
    for table, invoice in RELATED.items():
        for event, rows in _EVENTS.items():
            ids = ", ".join(invoice.format(row=row) for row in rows)
            op.execute(f"""
                CREATE TRIGGER {table}_{event.lower()}_invoice_version AFTER {event} ON {table}
                BEGIN
                    UPDATE invoice SET version = random() WHERE id IN ({ids});
                END""")  # noqa: S608
    op.execute("""
        CREATE TRIGGER invoice_update_invoice_version AFTER UPDATE ON invoice
        WHEN NEW.version IS OLD.version
        BEGIN
            UPDATE invoice SET version = random() WHERE id = NEW.id;
        END""")
    op.execute("""
        CREATE TRIGGER client_update_invoice_version AFTER UPDATE ON client
        BEGIN
            UPDATE invoice SET version = random() WHERE client_id = NEW.id;
        END""")
    for table in TRACKED:
        for event, rows in _EVENTS.items():
            owners = " OR ".join(f"id = {row}.owner_id" for row in rows)
            # An update of an invoice is followed by the change of its version (above):
            # the owner's version changes once, with it.
            when = ("WHEN NEW.version IS NOT OLD.version"
                    if (table, event) == ("invoice", "UPDATE") else "")
            op.execute(f"""
                CREATE TRIGGER {table}_{event.lower()}_ledger_version AFTER {event} ON {table}
                {when}
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
    for table, invoice in RELATED.items():
        old, new = invoice.format(row="OLD"), invoice.format(row="NEW")
        op.execute(f"""
            CREATE FUNCTION {table}_invoice_version() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP <> 'INSERT' THEN
                    UPDATE invoice SET version = nextval('ledger_version_seq') WHERE id = {old};
                END IF;
                IF TG_OP <> 'DELETE' THEN
                    UPDATE invoice SET version = nextval('ledger_version_seq') WHERE id = {new};
                END IF;
                RETURN NULL;
            END $$""")  # noqa: S608
        op.execute(f"""
            CREATE TRIGGER {table}_invoice_version AFTER INSERT OR UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {table}_invoice_version()""")
    op.execute("""
        CREATE FUNCTION new_invoice_version() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.version := nextval('ledger_version_seq');
            RETURN NEW;
        END $$""")
    op.execute("""
        CREATE TRIGGER invoice_version BEFORE UPDATE ON invoice
        FOR EACH ROW EXECUTE FUNCTION new_invoice_version()""")
    op.execute("""
        CREATE FUNCTION client_invoice_version() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE invoice SET version = nextval('ledger_version_seq') WHERE client_id = NEW.id;
            RETURN NULL;
        END $$""")
    op.execute("""
        CREATE TRIGGER client_invoice_version AFTER UPDATE ON client
        FOR EACH ROW EXECUTE FUNCTION client_invoice_version()""")
    for table in TRACKED:
        op.execute(f"""
            CREATE TRIGGER {table}_ledger_version AFTER INSERT OR UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION bump_ledger_version()""")


def upgrade() -> None:
    with op.batch_alter_table('owner') as batch:
        batch.add_column(sa.Column('ledger_version', sa.BigInteger(), nullable=False,
                                   server_default='0'))
    with op.batch_alter_table('invoice') as batch:
        batch.add_column(sa.Column('version', sa.BigInteger(), nullable=False,
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
        for table in RELATED:
            op.execute(f"DROP TRIGGER {table}_invoice_version ON {table}")
            op.execute(f"DROP FUNCTION {table}_invoice_version()")
        op.execute("DROP TRIGGER invoice_version ON invoice")
        op.execute("DROP FUNCTION new_invoice_version()")
        op.execute("DROP TRIGGER client_invoice_version ON client")
        op.execute("DROP FUNCTION client_invoice_version()")
        op.execute("DROP SEQUENCE ledger_version_seq")
    else:
        for table in TRACKED:
            for event in _EVENTS:
                op.execute(f"DROP TRIGGER {table}_{event.lower()}_ledger_version")
        for table in RELATED:
            for event in _EVENTS:
                op.execute(f"DROP TRIGGER {table}_{event.lower()}_invoice_version")
        op.execute("DROP TRIGGER invoice_update_invoice_version")
        op.execute("DROP TRIGGER client_update_invoice_version")
    with op.batch_alter_table('invoice') as batch:
        batch.drop_column('version')
    with op.batch_alter_table('owner') as batch:
        batch.drop_column('ledger_version')
