"""Derived views: days late, last ladder step, promise record, history order, speed."""

from __future__ import annotations

import gc
import time
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Engine, insert

from domain.ledger import db
from domain.ledger.activity import (
    create_payment_plan,
    log_interaction,
    log_promise,
    record_payment,
    resolve_promise,
)
from domain.ledger.enums import (
    ContactChannel,
    InvoiceStatus,
    LadderStep,
    NudgeKind,
    Outcome,
    PromiseState,
)
from domain.ledger.history import HistoryKind, invoice_history
from domain.ledger.models import Invoice
from domain.ledger.nudges import claim_due_nudges, mark_sent, schedule_nudge
from domain.ledger.views import (
    PromiseRecord,
    client_promise_record,
    open_invoices,
    overdue_invoices,
    promises_to_check,
    promises_to_check_all_owners,
)

from .conftest import NOW, TODAY, make_invoice, make_owner


def test_open_invoices_days_late_and_last_step(engine: Engine) -> None:
    with db.unit_of_work(engine) as s:
        owner = make_owner(s, "1")
        _, late = make_invoice(s, owner, "F-1", "1000.00", due=date(2026, 2, 1))
        _, future = make_invoice(s, owner, "F-2", "200.00", due=date(2026, 3, 10))
        _, paid = make_invoice(s, owner, "F-3", "50.00", due=date(2026, 1, 1))
        record_payment(s, owner, paid, Decimal("50.00"), TODAY)
        record_payment(s, owner, late, Decimal("250.50"), TODAY)
        for step in (LadderStep.FIRM_REMINDER, LadderStep.FRIENDLY_CALL, None):
            log_interaction(s, owner, late, TODAY, ContactChannel.EMAIL, Outcome.OTHER,
                            ladder_step=step)  # fmt: skip
    with db.unit_of_work(engine, write=False) as s:
        views = open_invoices(s, owner, TODAY)
        assert [v.number for v in views] == ["F-1", "F-2"]
        first, second = views
        assert first.days_late == 29 and second.days_late == 0
        assert first.amount_due == Decimal("749.50")
        assert first.last_step is LadderStep.FIRM_REMINDER  # furthest, not latest
        assert second.last_step is None and first.status is InvoiceStatus.OPEN
        assert [v.number for v in overdue_invoices(s, owner, TODAY)] == ["F-1"]


def test_promises_to_check_and_record(engine: Engine) -> None:
    with db.unit_of_work(engine) as s:
        owner, other = make_owner(s, "1"), make_owner(s, "2")
        client, invoice = make_invoice(s, owner)
        _, other_invoice = make_invoice(s, other)
        kept = log_promise(s, owner, invoice, Decimal("100"), TODAY - timedelta(days=9))
        broken = log_promise(s, owner, invoice, Decimal("100"), TODAY - timedelta(days=5))
        due = log_promise(s, owner, invoice, Decimal("100"), TODAY - timedelta(days=1))
        log_promise(s, owner, invoice, Decimal("100"), TODAY)  # not yet past
        log_promise(s, other, other_invoice, Decimal("7"), TODAY - timedelta(days=3))
        resolve_promise(s, owner, kept.id or 0, PromiseState.KEPT, checked_at=NOW)
        resolve_promise(s, owner, broken.id or 0, PromiseState.BROKEN, checked_at=NOW)
    with db.unit_of_work(engine, write=False) as s:
        [mine] = promises_to_check(s, owner, TODAY)
        assert mine.promise_id == due.id and mine.client_name == "Dupont SARL"
        assert mine.amount == Decimal("100.00")
        sweep = promises_to_check_all_owners(s, TODAY)
        assert [(p.owner_id, p.amount) for p in sweep] == [
            (other, Decimal("7.00")), (owner, Decimal("100.00"))
        ]
        record = client_promise_record(s, owner, client)
        assert record == PromiseRecord(kept=1, partly_kept=0, broken=1, pending=2)
        assert record.resolved == 2


def test_history_is_in_date_order(engine: Engine) -> None:
    with db.unit_of_work(engine) as s:
        owner = make_owner(s, "1")
        _, invoice = make_invoice(s, owner)
        call = log_interaction(s, owner, invoice, date(2026, 2, 3), ContactChannel.CALL,
                               Outcome.PROMISE, ladder_step=LadderStep.FRIENDLY_CALL,
                               now=NOW)  # fmt: skip
        log_promise(s, owner, invoice, Decimal("300"), date(2026, 2, 10),
                    interaction_id=call.id, now=NOW)  # fmt: skip
        record_payment(s, owner, invoice, Decimal("300"), date(2026, 2, 9), now=NOW)
        log_interaction(s, owner, invoice, date(2026, 1, 20), ContactChannel.EMAIL, Outcome.OTHER,
                        now=NOW)  # fmt: skip
        create_payment_plan(s, owner, invoice, [(date(2026, 4, 1), Decimal("350")),
                                                (date(2026, 3, 1), Decimal("350"))], now=NOW)  # fmt: skip
        schedule_nudge(s, owner, NudgeKind.PROMISE_CHECK, NOW - timedelta(days=10),
                       invoice_id=invoice, dedupe_key="p")  # fmt: skip
    sent_at = NOW - timedelta(days=10)
    [nudge] = claim_due_nudges(engine, sent_at, "w", 5, 60)
    with db.unit_of_work(engine) as s:
        assert mark_sent(s, owner, nudge.id or 0, "w", sent_at)
    with db.unit_of_work(engine, write=False) as s:
        history = invoice_history(s, owner, invoice)
    assert [(h.on, h.kind) for h in history] == [
        (date(2026, 1, 20), HistoryKind.INTERACTION),
        (date(2026, 2, 3), HistoryKind.INTERACTION),
        (date(2026, 2, 3), HistoryKind.PROMISE),  # dated by the call it was made in
        (date(2026, 2, 9), HistoryKind.PAYMENT),
        (date(2026, 2, 20), HistoryKind.NUDGE_SENT),  # 10:00 Paris
        (date(2026, 3, 1), HistoryKind.INSTALMENT),
        (date(2026, 4, 1), HistoryKind.INSTALMENT),
    ]
    assert history[1].step is LadderStep.FRIENDLY_CALL and history[2].due == date(2026, 2, 10)


def test_overdue_list_of_5000_invoices_is_fast(engine: Engine) -> None:
    with db.unit_of_work(engine) as s:
        owner, other = make_owner(s, "busy"), make_owner(s, "other")
        client, _ = make_invoice(s, owner, number="seed")
        other_client, _ = make_invoice(s, other, number="seed")
    rows = [
        {"owner_id": o, "client_id": c, "number": f"{status}-{i}", "amount": Decimal("100.00"),
         "currency": "EUR", "invoice_date": date(2025, 1, 1),
         "due_date": date(2025, 1, 1) + timedelta(days=i % 400), "status": status,
         "paid_amount": Decimal("0.00"), "created_at": NOW}
        for o, c in ((owner, client), (other, other_client))
        for i in range(5000)
        for status in (InvoiceStatus.OPEN, InvoiceStatus.PAID)
    ]  # fmt: skip
    with db.unit_of_work(engine) as s:
        s.execute(insert(Invoice), rows)
    with engine.connect() as conn:  # what autovacuum / sqlite's planner would know in production
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    timings = []
    with db.unit_of_work(engine, write=False) as s:
        for _ in range(7):
            gc.collect()  # time the view, not the collection of the previous run's garbage
            started = time.perf_counter()
            overdue = overdue_invoices(s, owner, TODAY)
            timings.append(time.perf_counter() - started)
    best = min(timings)
    print(f"\n[{engine.dialect.name}] overdue list of {len(overdue)}: best {best * 1000:.1f} ms, "
          f"median {sorted(timings)[3] * 1000:.1f} ms")  # fmt: skip
    assert len(overdue) == 5001  # speed is measured by bench/ (big_owner), not asserted here
