"""Correcting an invoice typed wrong, deleting one recorded by mistake (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from domain.ledger import db
from domain.ledger.activity import (
    create_payment_plan,
    log_interaction,
    log_promise,
    record_payment,
)
from domain.ledger.corrections import correct_invoice, delete_invoice
from domain.ledger.enums import ContactChannel, InvoiceStatus, NudgeKind, Outcome
from domain.ledger.errors import DuplicateInvoice, InvalidAmount, InvalidField, NotFound
from domain.ledger.invoices import get_invoice
from domain.ledger.models import (
    Instalment,
    Interaction,
    Invoice,
    Nudge,
    Payment,
    PaymentPlan,
    Promise,
)
from domain.ledger.nudges import schedule_nudge
from tests.ledger.conftest import NOW, TODAY, make_invoice, make_owner


def test_an_amount_or_a_date_typed_wrong_is_corrected(engine: Engine) -> None:
    with db.unit_of_work(engine) as s:
        owner = make_owner(s, "fix-1")
        _, invoice_id = make_invoice(s, owner, "F-1", "1000.00")
        record_payment(s, owner, invoice_id, Decimal("400.00"), TODAY)
        fixed = correct_invoice(s, owner, invoice_id, amount=Decimal("1200.00"),
                                due_date=date(2026, 2, 15), number="F-1b")
        assert (fixed.amount, fixed.due_date, fixed.number) == (
            Decimal("1200.00"), date(2026, 2, 15), "F-1b")
    with db.unit_of_work(engine, write=False) as s:
        again = get_invoice(s, owner, invoice_id)
        assert (again.amount, again.due_date, again.number, again.paid_amount) == (
            Decimal("1200.00"), date(2026, 2, 15), "F-1b", Decimal("400.00"))


def test_a_corrected_amount_opens_or_closes_the_invoice(engine: Engine) -> None:
    with db.unit_of_work(engine) as s:
        owner = make_owner(s, "fix-2")
        _, invoice_id = make_invoice(s, owner, "F-1", "1000.00")
        record_payment(s, owner, invoice_id, Decimal("1000.00"), TODAY)
        assert get_invoice(s, owner, invoice_id).status is InvoiceStatus.PAID
        assert correct_invoice(s, owner, invoice_id, amount=Decimal("1100.00")
                               ).status is InvoiceStatus.OPEN  # 100 € still due
        assert correct_invoice(s, owner, invoice_id, amount=Decimal("1000.00")
                               ).status is InvoiceStatus.PAID


def test_what_cannot_be_true_is_refused_and_nothing_changes(engine: Engine) -> None:
    with db.unit_of_work(engine) as s:
        owner = make_owner(s, "fix-3")
        client_id, invoice_id = make_invoice(s, owner, "F-1", "1000.00")
        make_invoice(s, owner, "F-2", "500.00")
        record_payment(s, owner, invoice_id, Decimal("400.00"), TODAY)
    for changes, error in (({"amount": Decimal("300.00")}, InvalidAmount),  # below paid
                           ({"amount": Decimal("-5")}, InvalidAmount),
                           ({"due_date": date(2025, 12, 1)}, InvalidField),  # before issue
                           ({"number": "F-2"}, DuplicateInvoice),
                           ({"number": "  "}, InvalidField)):
        with pytest.raises(error), db.unit_of_work(engine) as s:
            correct_invoice(s, owner, invoice_id, **changes)  # type: ignore[arg-type]
    with db.unit_of_work(engine, write=False) as s:
        again = get_invoice(s, owner, invoice_id)
        assert (again.amount, again.due_date, again.number) == (
            Decimal("1000.00"), date(2026, 1, 31), "F-1")


def test_another_owners_invoice_is_not_reachable(engine: Engine) -> None:
    with db.unit_of_work(engine) as s:
        owner, other = make_owner(s, "fix-4"), make_owner(s, "fix-4-other")
        _, invoice_id = make_invoice(s, owner, "F-1", "1000.00")
    for act in (lambda s: correct_invoice(s, other, invoice_id, amount=Decimal("1.00")),
                lambda s: delete_invoice(s, other, invoice_id)):
        with pytest.raises(NotFound), db.unit_of_work(engine) as s:
            act(s)
    with db.unit_of_work(engine, write=False) as s:
        assert get_invoice(s, owner, invoice_id).amount == Decimal("1000.00")


def test_a_deleted_invoice_takes_everything_about_it_and_nothing_else(engine: Engine) -> None:
    with db.unit_of_work(engine) as s:
        owner = make_owner(s, "fix-5")
        _, gone = make_invoice(s, owner, "F-1", "1000.00")
        _, kept = make_invoice(s, owner, "F-2", "500.00")
        for invoice_id in (gone, kept):
            record_payment(s, owner, invoice_id, Decimal("100.00"), TODAY)
            call = log_interaction(s, owner, invoice_id, TODAY, ContactChannel.CALL,
                                   Outcome.PROMISE)
            log_promise(s, owner, invoice_id, Decimal("100.00"), TODAY + timedelta(days=3),
                        interaction_id=call.id)
            schedule_nudge(s, owner, NudgeKind.LADDER_STEP, NOW + timedelta(days=1),
                           invoice_id=invoice_id, dedupe_key=f"t:{invoice_id}")
        create_payment_plan(s, owner, gone, [(TODAY + timedelta(days=30), Decimal("450.00")),
                                             (TODAY + timedelta(days=60), Decimal("450.00"))])
        assert delete_invoice(s, owner, gone).number == "F-1"
    def count(s: Session, model: Any, invoice_id: int) -> int:
        column = model.id if model is Invoice else model.invoice_id
        return int(s.scalar(select(func.count()).select_from(model).where(column == invoice_id))
                   or 0)

    with db.unit_of_work(engine, write=False) as s:
        models = (Payment, Interaction, Promise, Nudge, PaymentPlan, Invoice)
        assert {m.__name__: count(s, m, gone) for m in models} == dict.fromkeys(
            (m.__name__ for m in models), 0)
        assert {m.__name__: count(s, m, kept) for m in models} == {
            "Payment": 1, "Interaction": 1, "Promise": 1, "Nudge": 1, "PaymentPlan": 0,
            "Invoice": 1}
        assert s.scalar(select(func.count()).select_from(Instalment)) == 0
        assert get_invoice(s, owner, kept).paid_amount == Decimal("100.00")
