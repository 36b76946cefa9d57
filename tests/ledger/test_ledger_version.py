"""The owner's ledger version (migration 0003's triggers): every write to what a diagnosis
reads gives the owner a new version, never one seen before (rollbacks included), and
leaves other owners' versions alone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, text
from sqlmodel import Session

from domain.ledger import (
    add_client,
    add_invoice,
    create_payment_plan,
    get_or_create_owner,
    log_interaction,
    log_promise,
    record_payment,
    set_instalment_state,
    set_invoice_status,
    unit_of_work,
    update_client,
)
from domain.ledger.access import table_of
from domain.ledger.enums import (
    Channel,
    ContactChannel,
    InstalmentState,
    InvoiceStatus,
    Outcome,
)
from domain.ledger.models import Payment

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
DAY = date(2026, 11, 23)


def version(engine: Engine, owner_id: int) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT ledger_version FROM owner WHERE id = :id"),
                                {"id": owner_id}).scalar_one())


def invoice_version(engine: Engine, invoice_id: int) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT version FROM invoice WHERE id = :id"),
                                {"id": invoice_id}).scalar_one())


def setup(engine: Engine) -> tuple[int, int, int, int]:
    with unit_of_work(engine) as s:
        mine = get_or_create_owner(s, Channel.TELEGRAM, "1").id
        theirs = get_or_create_owner(s, Channel.TELEGRAM, "2").id
        assert mine is not None and theirs is not None
        client = add_client(s, mine, "Boulangerie Petit").id
        assert client is not None
        invoice = add_invoice(s, mine, client, "F-1", Decimal("860.00"), date(2026, 10, 2),
                              date(2026, 11, 1), now=NOW).id
        assert invoice is not None
    return mine, theirs, client, invoice


def test_each_tracked_write_gives_a_new_version(engine: Engine) -> None:
    mine, theirs, client, invoice = setup(engine)
    plan_ids: list[int] = []

    def plan(s: Session) -> None:
        made, instalments = create_payment_plan(
            s, mine, invoice, [(date(2026, 12, 1), Decimal("380.00")),
                               (date(2027, 1, 1), Decimal("380.00"))], now=NOW)
        plan_ids.append(instalments[0].id or 0)

    writes: list[tuple[str, Callable[[Session], Any]]] = [
        ("client", lambda s: update_client(s, mine, client, is_merchant=True)),
        ("invoice", lambda s: set_invoice_status(s, mine, invoice, InvoiceStatus.DISPUTED)),
        ("interaction", lambda s: log_interaction(
            s, mine, invoice, DAY, ContactChannel.CALL, Outcome.ANSWERED, now=NOW)),
        ("promise", lambda s: log_promise(s, mine, invoice, Decimal("860.00"),
                                          date(2026, 11, 30), now=NOW)),
        ("payment", lambda s: record_payment(s, mine, invoice, Decimal("100.00"), DAY,
                                             now=NOW)),
        ("plan and instalments", plan),
        ("instalment", lambda s: set_instalment_state(s, mine, plan_ids[0],
                                                      InstalmentState.PAID)),
        ("delete", lambda s: s.execute(table_of(Payment).delete().where(
            table_of(Payment).c.owner_id == mine))),
    ]
    with unit_of_work(engine) as s:
        elsewhere = add_client(s, mine, "Atelier Nova").id or 0
        bystander = add_invoice(s, mine, elsewhere, "F-2", Decimal("75.00"), DAY, DAY,
                                now=NOW).id or 0
    seen = {version(engine, mine)}
    seen_invoice = {invoice_version(engine, invoice)}
    other, untouched = version(engine, theirs), invoice_version(engine, bystander)
    for label, write in writes:
        with unit_of_work(engine) as s:
            write(s)
        now, now_invoice = version(engine, mine), invoice_version(engine, invoice)
        assert now not in seen, f"{label}: the owner's version did not change"
        assert now_invoice not in seen_invoice, f"{label}: the invoice's version did not change"
        seen.add(now)
        seen_invoice.add(now_invoice)
    assert version(engine, theirs) == other
    assert invoice_version(engine, bystander) == untouched


def test_a_rolled_back_version_is_never_given_again(engine: Engine) -> None:
    mine, _, client, invoice = setup(engine)
    before = version(engine, mine)
    with engine.connect() as conn, conn.begin() as tx:
        conn.execute(text("UPDATE client SET notes = 'x' WHERE id = :id"), {"id": client})
        inside = conn.execute(text("SELECT ledger_version FROM owner WHERE id = :id"),
                              {"id": mine}).scalar_one()
        tx.rollback()
    assert inside != before
    assert version(engine, mine) == before
    with unit_of_work(engine) as s:
        update_client(s, mine, client, notes="y")
    assert version(engine, mine) not in {before, inside}


def test_reads_and_other_tables_leave_the_version(engine: Engine) -> None:
    mine, _, _, _ = setup(engine)
    before = version(engine, mine)
    with unit_of_work(engine) as s:
        s.execute(text("UPDATE owner SET business_name = 'Atelier' WHERE id = :id"),
                  {"id": mine})
        s.execute(text("SELECT * FROM invoice")).all()
    assert version(engine, mine) == before
