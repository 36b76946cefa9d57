"""Benchmark 5 — an owner with 5 000 open invoices: "quoi faire ?" and "mes retards" through
the real actions (`Assistant.handle`): the first question of a day whose lists were prepared
after midnight (`bot.morning`), the same again (lists remembered per ledger version:
`actions.triage_memo.LISTS`), again after a payment (only the changed invoice read and
triaged again), and cold (nothing prepared nor remembered: every invoice triaged); and
10 000 invoices in one `relance diagnose --batch`."""

from __future__ import annotations

import asyncio
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from bench.common import ROOT, Report, percentile, quiet_settings

TODAY = date(2026, 11, 23)
OWNER = "5000000"


def seed(engine: object, invoices: int, external_id: str = OWNER) -> None:
    from domain.ledger import add_client, add_invoice, get_or_create_owner, unit_of_work
    from domain.ledger.enums import Channel

    rng = random.Random(5 + invoices)
    now = datetime(2026, 11, 23, 9, tzinfo=UTC)
    with unit_of_work(engine) as session:  # type: ignore[arg-type]
        owner = get_or_create_owner(session, Channel.TELEGRAM, external_id)
        assert owner.id is not None
        clients = [add_client(session, owner.id, f"Client {i:03d} SARL").id for i in range(250)]
        for i in range(invoices):
            issued = TODAY - timedelta(days=rng.randint(20, 700))
            add_invoice(session, owner.id, clients[i % len(clients)] or 0, f"F-{i:05d}",
                        Decimal(rng.randint(5_000, 900_000)) / 100, issued,
                        issued + timedelta(days=rng.choice([0, 30, 45, 60])), now=now)


def ask(assistant: object, text: str, runs: int, owner: str = OWNER
        ) -> tuple[list[float], str]:
    from bot.replies import Channel, Incoming, OwnerKey

    timings, last = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        replies = asyncio.run(assistant.handle(  # type: ignore[attr-defined]
            OwnerKey(Channel.TELEGRAM, owner), Incoming(text, False, "fr")))
        timings.append((time.perf_counter() - start) * 1000)
        last = "\n".join(r.text for r in replies)
    return timings, last


def prepare(assistant: object, day: date) -> float:
    """The morning preparation (bot.morning) for `day`; how long it took, in ms."""
    from actions.context import current
    from actions.prepare import prepare_lists
    from domain.ledger import unit_of_work

    started = time.perf_counter()
    with unit_of_work(assistant.engine, write=False) as session:  # type: ignore[attr-defined]
        prepare_lists(current(), session, day)
    return (time.perf_counter() - started) * 1000


def pay(assistant: object, n: int, day: date) -> None:
    """A payment of 10 € on the n-th invoice, written as the payment action does."""
    from domain.ledger import find_owner, list_invoices, record_payment, unit_of_work
    from domain.ledger.enums import Channel

    with unit_of_work(assistant.engine) as session:  # type: ignore[attr-defined]
        owner = find_owner(session, Channel.TELEGRAM, OWNER)
        assert owner is not None and owner.id is not None
        invoice = list_invoices(session, owner.id)[n * 7]
        record_payment(session, owner.id, invoice.id or 0, Decimal("10.00"), day,
                       now=datetime(2026, 11, 23, 10, tzinfo=UTC))


def diagnose_lines(count: int) -> str:
    rng = random.Random(7)
    lines = []
    for i in range(count):
        issued = TODAY - timedelta(days=rng.randint(10, 1500))
        item = {"today": TODAY.isoformat(), "amount": f"{rng.randint(100, 9_000_000) / 100:.2f}",
                "invoice_date": issued.isoformat(),
                "terms": rng.choice(["30 jours", "45 jours fin de mois", "à réception", "60 jours"]),
                "debtor": rng.choice(["professional", "consumer"])}
        if i % 5 == 0:
            item["payments"] = [{"date": (issued + timedelta(days=40)).isoformat(),
                                 "amount": "50.00"}]
        lines.append(json.dumps(item))
    return "\n".join(lines) + "\n"


def run(invoices: int = 5_000, batch: int = 10_000, runs: int = 5) -> Report:
    from actions.triage_memo import LISTS, MEMO
    from bot.dialogue.assistant import build_assistant
    from bot.services import settle_heap

    report = Report("big_owner", f"one owner with {invoices} open invoices; diagnose --batch of {batch}")
    with tempfile.TemporaryDirectory() as folder:
        assistant = build_assistant(quiet_settings(Path(folder) / "bench.db"), today=TODAY)
        settle_heap()  # as the long-running commands do once started
        started = time.perf_counter()
        seed(assistant.engine, invoices)
        report.details["seed_s"] = round(time.perf_counter() - started, 2)
        # A process that has served before: another owner's lists first (queries compiled,
        # templates loaded), as a running bot has by the first question of the day.
        seed(assistant.engine, 5, "5000001")
        for text in ("quoi faire ?", "mes retards"):
            ask(assistant, text, 2, "5000001")
        for offset, (label, text) in enumerate((("what now", "quoi faire ?"),
                                                ("overdue list", "mes retards"))):
            day = TODAY + timedelta(days=2 * offset)
            assistant.fixed_today = day  # type: ignore[attr-defined]
            MEMO.clear()  # nothing prepared nor remembered: every invoice triaged
            LISTS.clear()
            cold, _ = ask(assistant, text, 1)
            timings, reply = ask(assistant, text, runs)
            changed = []
            for n in range(runs):  # a payment on one invoice, then the question again
                pay(assistant, n, day)
                changed += ask(assistant, text, 1)[0]
            # The next day: the lists prepared after midnight (bot.morning), then asked.
            assistant.fixed_today = day + timedelta(days=1)  # type: ignore[attr-defined]
            prepared = prepare(assistant, day + timedelta(days=1))
            first, _ = ask(assistant, text, 1)
            name = f"{label} ({invoices} invoices)"
            report.add(f"{name}, first of the day (prepared after midnight)", first[0], 50.0,
                       "ms")
            report.add(f"{name}, again: median of {runs}", percentile(timings, 50), 50.0, "ms")
            report.add(f"{name}, after a payment: median of {runs}", percentile(changed, 50),
                       50.0, "ms")
            report.add(f"{name}, cold: nothing prepared nor remembered", cold[0], None, "ms")
            report.add(f"{name}: preparing the day's two lists", prepared, None, "ms")
            report.details[label] = {"first_prepared_ms": first[0], "cold_ms": cold[0],
                                     "prepare_ms": prepared, "runs_ms": timings,
                                     "after_payment_ms": changed,
                                     "reply_chars": len(reply), "reply_head": reply[:300]}
    source = diagnose_lines(batch)
    started = time.perf_counter()
    done = subprocess.run([str(Path(sys.executable).parent / "relance"), "diagnose", "--batch"],
                          input=source, capture_output=True, text=True, cwd=ROOT, timeout=900)
    wall = time.perf_counter() - started
    out = done.stdout.splitlines()
    errors = sum('"error"' in line[:12] for line in out)
    report.add(f"diagnose --batch {batch}: wall (process start included)", wall, None, "s")
    report.add("diagnose --batch: per invoice", wall / batch * 1000, None, "ms")
    report.add("diagnose --batch: lines out / in", len(out) / batch, 1.0, "", higher=True)
    report.details["diagnose"] = {"exit": done.returncode, "errors": errors,
                                  "stderr_tail": done.stderr[-500:]}
    return report.finish()
