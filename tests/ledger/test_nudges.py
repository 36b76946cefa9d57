"""Nudges: dedupe on schedule, claim with a lease exactly once, refuse a lost lease."""

from __future__ import annotations

import multiprocessing
import time
from datetime import timedelta

import pytest
from sqlalchemy import Engine, insert

from domain.ledger import db
from domain.ledger.activity import record_payment
from domain.ledger.enums import NudgeKind, NudgeState
from domain.ledger.models import Nudge
from domain.ledger.nudges import (
    cancel_pending_for_invoice,
    claim_due_nudges,
    get_nudge,
    mark_failed,
    mark_sent,
    next_due_at,
    pending_for_owner,
    release,
    schedule_nudge,
    snooze,
)

from .conftest import NOW, TODAY, make_invoice, make_owner

LEASE = 60


def _setup(engine: Engine) -> tuple[int, int]:
    with db.unit_of_work(engine) as s:
        owner = make_owner(s, "1")
        return owner, make_invoice(s, owner)[1]


def test_schedule_is_idempotent_on_the_dedupe_key(engine: Engine) -> None:
    owner, invoice = _setup(engine)
    with db.unit_of_work(engine) as s:
        first = schedule_nudge(s, owner, NudgeKind.PROMISE_CHECK, NOW, invoice_id=invoice,
                               payload={"promise": 1}, dedupe_key="promise_check:1")  # fmt: skip
        again = schedule_nudge(s, owner, NudgeKind.PROMISE_CHECK, NOW + timedelta(days=1),
                               invoice_id=invoice, dedupe_key="promise_check:1")  # fmt: skip
        assert again.id == first.id and again.due_at == NOW + timedelta(days=1)
        assert len(pending_for_owner(s, owner)) == 1
    [claimed] = claim_due_nudges(engine, NOW + timedelta(days=2), "w1", 10, LEASE)
    with db.unit_of_work(engine) as s:
        assert mark_sent(s, owner, claimed.id or 0, "w1", NOW + timedelta(days=2))
        resent = schedule_nudge(s, owner, NudgeKind.PROMISE_CHECK, NOW + timedelta(days=5),
                                invoice_id=invoice, dedupe_key="promise_check:1")  # fmt: skip
        assert resent.state is NudgeState.SENT  # never resurrected
        assert pending_for_owner(s, owner) == []


def test_claim_mark_sent_and_lease(engine: Engine) -> None:
    owner, invoice = _setup(engine)
    with db.unit_of_work(engine) as s:
        due = schedule_nudge(s, owner, NudgeKind.LADDER_STEP, NOW, invoice_id=invoice,
                             dedupe_key="a")  # fmt: skip
        schedule_nudge(s, owner, NudgeKind.DIGEST, NOW + timedelta(hours=1), dedupe_key="b")
        assert next_due_at(s) == NOW
    assert claim_due_nudges(engine, NOW - timedelta(seconds=1), "w1", 10, LEASE) == []
    [claimed] = claim_due_nudges(engine, NOW, "w1", 10, LEASE)
    assert claimed.id == due.id and claimed.attempts == 1 and claimed.claimed_by == "w1"
    assert claimed.claimed_until == NOW + timedelta(seconds=LEASE)
    # still leased: nobody else gets it
    assert claim_due_nudges(engine, NOW + timedelta(seconds=30), "w2", 10, LEASE) == []
    with db.unit_of_work(engine, write=False) as s:
        assert next_due_at(s) == NOW + timedelta(seconds=LEASE)
    # lease expired: w2 reclaims it, and w1, which lost it, cannot mark it sent
    later = NOW + timedelta(seconds=LEASE + 1)
    [reclaimed] = claim_due_nudges(engine, later, "w2", 10, LEASE)
    assert reclaimed.id == due.id and reclaimed.attempts == 2 and reclaimed.claimed_by == "w2"
    with db.unit_of_work(engine) as s:
        assert mark_sent(s, owner, due.id or 0, "w1", later) is False
        assert mark_sent(s, owner, due.id or 0, "w2", later) is True
        sent = get_nudge(s, owner, due.id or 0)
        assert sent.state is NudgeState.SENT and sent.sent_at == later
        assert mark_sent(s, owner, due.id or 0, "w2", later) is False  # no second send


def test_failed_release_snooze_cancel(engine: Engine) -> None:
    owner, invoice = _setup(engine)
    with db.unit_of_work(engine) as s:
        for key in ("a", "b", "c"):
            schedule_nudge(s, owner, NudgeKind.LADDER_STEP, NOW, invoice_id=invoice, dedupe_key=key)
    a, b, c = claim_due_nudges(engine, NOW, "w1", 10, LEASE)
    retry = NOW + timedelta(minutes=5)
    with db.unit_of_work(engine) as s:
        assert mark_failed(s, owner, a.id or 0, "w1", "429 Too Many Requests", retry)
        assert mark_failed(s, owner, b.id or 0, "w1", "Forbidden: bot was blocked", None)
        assert release(s, owner, c.id or 0, "w1")
        assert get_nudge(s, owner, a.id or 0).state is NudgeState.PENDING
        assert get_nudge(s, owner, a.id or 0).last_error == "429 Too Many Requests"
        assert get_nudge(s, owner, b.id or 0).state is NudgeState.FAILED
        snoozed = snooze(s, owner, c.id or 0, NOW + timedelta(days=1))
        assert snoozed.due_at == NOW + timedelta(days=1)
    with db.unit_of_work(engine) as s:
        assert cancel_pending_for_invoice(s, owner, invoice, kinds=[NudgeKind.DIGEST]) == 0
        assert cancel_pending_for_invoice(s, owner, invoice) == 2
        assert pending_for_owner(s, owner) == []
        assert next_due_at(s) is None


def test_full_payment_cancels_pending_nudges(engine: Engine) -> None:
    owner, invoice = _setup(engine)
    with db.unit_of_work(engine) as s:
        schedule_nudge(s, owner, NudgeKind.LADDER_STEP, NOW, invoice_id=invoice, dedupe_key="x")
        from decimal import Decimal

        record_payment(s, owner, invoice, Decimal("1000.00"), TODAY)
        assert pending_for_owner(s, owner) == []


# -- concurrency: two processes claiming the same 1 000 due nudges ---------------------------

N_NUDGES = 1000


def _claimer(url: str, worker: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    engine = db.make_engine(url)
    got: list[int] = []
    while True:
        batch = claim_due_nudges(engine, NOW, worker, 20, LEASE)
        if not batch:
            break
        with db.unit_of_work(engine) as s:
            for nudge in batch:
                assert mark_sent(s, nudge.owner_id, nudge.id or 0, worker, NOW)
        got.extend(n.id or 0 for n in batch)
    engine.dispose()
    queue.put((worker, got))


def _seed(engine: Engine) -> None:
    with db.unit_of_work(engine) as s:
        owners = [make_owner(s, f"o{i}") for i in range(10)]
    rows = [
        {"owner_id": owners[i % 10], "kind": NudgeKind.DIGEST, "state": NudgeState.PENDING,
         "due_at": NOW - timedelta(seconds=i), "attempts": 0, "payload": {},
         "dedupe_key": f"digest:{i}"}
        for i in range(N_NUDGES)
    ]  # fmt: skip
    with db.unit_of_work(engine) as s:
        s.execute(insert(Nudge), rows)


def test_two_processes_claim_each_nudge_exactly_once(engine: Engine, engine_url: str) -> None:
    _seed(engine)
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    started = time.perf_counter()
    workers = [ctx.Process(target=_claimer, args=(engine_url, f"w{i}", queue)) for i in range(2)]
    for p in workers:
        p.start()
    results = dict(queue.get(timeout=120) for _ in workers)
    for p in workers:
        p.join(timeout=30)
        assert p.exitcode == 0
    elapsed = time.perf_counter() - started
    claimed = [i for ids in results.values() for i in ids]
    print(f"\n[{engine.dialect.name}] claimed {len(claimed)} nudges in {elapsed:.2f}s: "
          + ", ".join(f"{w}={len(ids)}" for w, ids in sorted(results.items())))  # fmt: skip
    assert len(claimed) == N_NUDGES
    assert len(set(claimed)) == N_NUDGES  # exactly once
    with db.unit_of_work(engine, write=False) as s:
        assert next_due_at(s) is None


@pytest.mark.parametrize("worker", ["w1"])
def test_claim_orders_by_due_date(engine: Engine, worker: str) -> None:
    owner, invoice = _setup(engine)
    with db.unit_of_work(engine) as s:
        for minutes in (3, 1, 2):
            schedule_nudge(s, owner, NudgeKind.LADDER_STEP, NOW - timedelta(minutes=minutes),
                           invoice_id=invoice, dedupe_key=f"k{minutes}")  # fmt: skip
    first = claim_due_nudges(engine, NOW, worker, 2, LEASE)
    assert [n.dedupe_key for n in first] == ["k3", "k2"]
