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


def test_nowait_session_fails_at_begin_when_the_write_lock_is_taken(tmp_path: object) -> None:
    """A `wait=False` session does not wait for SQLite's write lock: its first statement fails
    at once, recognisably (`write_lock_busy`), and the connection waits as usual afterwards."""
    import sqlite3
    import time
    from pathlib import Path

    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    path = Path(str(tmp_path)) / "relance.db"
    engine = db.make_engine(f"sqlite:///{path}")
    with db.unit_of_work(engine) as s:
        s.execute(text("CREATE TABLE t (x INTEGER)"))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        session = db.open_session(engine, wait=False)
        try:
            session.execute(text("SELECT 1"))
            raise AssertionError("the write lock is taken: BEGIN should have failed")
        except OperationalError as exc:
            assert db.write_lock_busy(exc)
        finally:
            session.close()
        assert time.monotonic() - started < db.BUSY_TIMEOUT_MS / 1000  # did not wait for it
        reader = db.open_session(engine, write=False, wait=False)  # readers never need it
        assert reader.execute(text("SELECT count(*) FROM t")).scalar() == 0
        reader.close()
    finally:
        other.execute("ROLLBACK")
        other.close()
    with db.unit_of_work(engine) as s:  # same pooled connection: waiting again, and free now
        assert s.execute(text("PRAGMA busy_timeout")).scalar() == db.BUSY_TIMEOUT_MS
        s.execute(text("INSERT INTO t VALUES (1)"))
    with engine.connect() as conn:
        try:
            conn.exec_driver_sql("SELECT * FROM missing_table")
        except OperationalError as exc:
            assert not db.write_lock_busy(exc)  # other errors are not mistaken for it
    engine.dispose()
