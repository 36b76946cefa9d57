"""Read-then-write units under concurrency: no "database is locked", no lost update."""

from __future__ import annotations

import threading
from decimal import Decimal

from sqlalchemy import Engine

from domain.ledger import db
from domain.ledger.activity import record_payment
from domain.ledger.invoices import get_invoice

from .conftest import TODAY, make_invoice, make_owner

THREADS, PAYMENTS = 4, 10


def test_concurrent_payments_keep_paid_amount_consistent(engine: Engine) -> None:
    with db.unit_of_work(engine) as s:
        owner = make_owner(s, "1")
        _, invoice = make_invoice(s, owner, amount="1000.00")
    errors: list[BaseException] = []

    def pay() -> None:
        try:
            for _ in range(PAYMENTS):
                # reads the sum of payments, then writes: BEGIN IMMEDIATE / FOR UPDATE at work
                with db.unit_of_work(engine) as s:
                    record_payment(s, owner, invoice, Decimal("1.00"), TODAY)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=pay) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.unit_of_work(engine, write=False) as s:
        assert get_invoice(s, owner, invoice).paid_amount == Decimal(THREADS * PAYMENTS)
