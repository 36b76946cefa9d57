"""Benchmark 4 — the nudge dispatcher (bot/nudges) over 100 000 pending nudges of 10 000
owners in a temp SQLite file, with a fake sender that counts.

The rows are bulk-inserted in a child process (so this process's peak RSS is the
dispatcher's own). Then, through the public API (`Dispatcher(ctx, sender, DispatchConfig)`,
`tick()`, `stop()`): start-up time (context built → first message sent), peak RSS,
messages/s against the configured cap for a bounded window (extrapolated to the whole
backlog), CPU per nudge, and the Telegram limits a real Bot API would enforce (≤ 30
messages in any second overall, ≤ 1 per second and chat), counted from the send times.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.common import Report, peak_rss_mb, percentile, quiet_settings

PER_OWNER = 10


def seed(db: Path, owners: int, nudges: int) -> None:
    """Owners, one client each, `nudges / owners` invoices each with one due ladder nudge."""
    from sqlalchemy import insert

    from domain.ledger import ensure_schema, make_engine, unit_of_work
    from domain.ledger.enums import (
        Channel,
        ClientKind,
        InvoiceStatus,
        Language,
        NudgeKind,
        NudgeState,
        Tone,
    )
    from domain.ledger.models import Client, Invoice, Nudge, Owner

    engine = make_engine(f"sqlite:///{db}")
    ensure_schema(engine)
    per_owner = nudges // owners
    now = datetime.now(UTC)
    due = now - timedelta(hours=1)
    with unit_of_work(engine) as session:
        session.execute(insert(Owner), [
            {"id": o, "channel": Channel.TELEGRAM, "external_id": str(1_000_000 + o),
             "chat_id": 1_000_000 + o, "created_at": now, "language": Language.FR,
             "ladder_settings": {}} for o in range(1, owners + 1)])
        session.execute(insert(Client), [
            {"id": o, "owner_id": o, "name": f"Client {o} SARL", "name_key": f"client {o} sarl",
             "kind": ClientKind.PROFESSIONAL, "tone": Tone.NORMAL}
            for o in range(1, owners + 1)])
        session.execute(insert(Invoice), [
            {"id": (o - 1) * per_owner + i + 1, "owner_id": o, "client_id": o,
             "number": f"F-{i:03d}", "amount": Decimal("1250.00"),
             "invoice_date": date(2026, 1, 5), "due_date": date(2026, 2, 5), "created_at": now,
             "currency": "EUR", "status": InvoiceStatus.OPEN, "paid_amount": Decimal("0.00")}
            for o in range(1, owners + 1) for i in range(per_owner)])
        session.execute(insert(Nudge), [
            {"owner_id": o, "invoice_id": (o - 1) * per_owner + i + 1,
             "kind": NudgeKind.LADDER_STEP, "due_at": due + timedelta(seconds=i),
             "state": NudgeState.PENDING, "attempts": 0, "payload": {"step": "first_reminder"},
             "dedupe_key": f"ladder:{i}"}
            for o in range(1, owners + 1) for i in range(per_owner)])
    engine.dispose()


class CountingSender:
    """A NudgeSender that delivers nothing and remembers when it was called, per chat."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.chats: list[int] = []
        self.first: float | None = None

    def can_send(self, owner: Any) -> bool:
        return owner.channel == "telegram"

    async def send(self, owner: Any, replies: Sequence[Any]) -> None:
        now = time.monotonic()
        self.first = self.first or now
        self.times.append(now)
        self.chats.append(owner.owner_id)


def max_in_window(times: list[float], window: float) -> int:
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


async def dispatch(db: Path, seconds: float, rate: float) -> dict[str, Any]:
    from bot.nudges.dispatcher import DispatchConfig, Dispatcher
    from bot.services import build_context

    cpu0, wall0 = time.process_time(), time.monotonic()
    ctx = build_context(quiet_settings(db))
    sender = CountingSender()
    # Quiet hours off: the run must not depend on the hour it happens at.
    dispatcher = Dispatcher(ctx, sender, DispatchConfig(worker_id="bench", global_rate=rate,
                                                        quiet_hours=False))
    task = asyncio.create_task(dispatcher.tick())
    while sender.first is None and not task.done():
        await asyncio.sleep(0.001)
    startup = (sender.first or time.monotonic()) - wall0
    window0, cpu_w0, sent0 = time.monotonic(), time.process_time(), len(sender.times)
    await asyncio.sleep(seconds)
    window, cpu_w = time.monotonic() - window0, time.process_time() - cpu_w0
    stats = dispatcher.stats
    in_window = len(sender.times) - sent0
    await dispatcher.stop(30)
    task.cancel()
    gaps: dict[int, list[float]] = {}
    last: dict[int, float] = {}
    for t, chat in zip(sender.times, sender.chats, strict=True):
        if chat in last:
            gaps.setdefault(chat, []).append(t - last[chat])
        last[chat] = t
    min_gap = min((g for v in gaps.values() for g in v), default=float("inf"))
    return {
        "startup_s": startup, "window_s": window, "messages_in_window": in_window,
        "messages": len(sender.times), "nudges_sent": stats.sent, "claimed": stats.claimed,
        "deferred": stats.deferred, "failed": stats.failed,
        "cpu_s_window": cpu_w, "cpu_s_total": time.process_time() - cpu0,
        "max_msgs_any_1s": max_in_window(sender.times, 1.0),
        "min_gap_same_chat_s": min_gap,
        "chats_served": len(Counter(sender.chats)),
        "send_gap_p99_ms": percentile([b - a for a, b in zip(sender.times, sender.times[1:], strict=False)]
                                      or [0.0], 99) * 1000,
        "rss_peak_mb": peak_rss_mb(),
    }


def run(nudges: int = 100_000, owners: int = 10_000, seconds: float = 20.0,
        rate: float = 25.0) -> Report:
    report = Report("nudges", f"dispatcher: {nudges} pending nudges of {owners} owners, "
                              f"{seconds:.0f} s at the cap ({rate:g} msg/s), fake sender")
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "nudges.db"
        started = time.perf_counter()
        child = multiprocessing.get_context("spawn").Process(target=seed, args=(db, owners, nudges))
        child.start()
        child.join()
        if child.exitcode != 0:
            raise RuntimeError("seeding the nudges failed")
        report.details["seed_s"] = round(time.perf_counter() - started, 1)
        result = asyncio.run(dispatch(db, seconds, rate))
    report.details.update(result)
    per_message = result["nudges_sent"] / max(1, result["messages"])
    msg_rate = result["messages_in_window"] / result["window_s"]
    report.add("start-up (context built → first message)", result["startup_s"], 2.0, "s")
    report.add("peak RSS (VmHWM)", result["rss_peak_mb"], 200.0, "MB")
    report.add("dispatch rate / configured cap", msg_rate / rate * 100, 95.0, "%", higher=True,
               note=f"{msg_rate:.2f} msg/s for a cap of {rate:g}/s over {result['window_s']:.0f} s")
    report.add("nudges per message (coalesced)", per_message, None, "",
               note="each owner's due nudges are claimed together and sent at most "
               "5 per message (DispatchConfig.coalesce_max)")
    report.add("CPU per nudge", result["cpu_s_window"] / max(1, result["nudges_sent"]) * 1000,
               None, "ms")
    report.add("max messages in any 1 s (Telegram: ~30)", result["max_msgs_any_1s"], 30, "")
    report.add("min gap, same chat (Telegram: ~1 s)", result["min_gap_same_chat_s"], 1.0, "s",
               higher=True)
    report.add("429s from the fake sender", 0, 0, "", note="the counting sender never refuses; the "
               "two rows above are what a real Bot API would police")
    backlog_s = nudges / max(msg_rate * per_message, 1e-9)
    report.add("whole backlog at this rate (extrapolated)", backlog_s / 60, None, "min")
    return report.finish()
