"""Benchmark 1 — one message in-process: text → NLU → runner → actions → ledger → reply.

200 owners (one in four writes in English) talk in turns on one SQLite file; every
`Assistant.handle` call is timed on its own (the owners are interleaved, so the database
holds every owner's rows while we measure).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.common import Report, percentile, quiet_settings
from bench.scripts import conversation

OWNERS = 200
MESSAGES = 10_000
TODAY = date(2026, 11, 23)


async def drive(assistant: object, owners: int, total: int) -> tuple[list[float], dict[str, list[float]], int]:
    from bot.replies import Channel, Incoming, OwnerKey

    scripts = {o: [] for o in range(owners)}
    rounds = {o: 0 for o in range(owners)}
    timings: list[float] = []
    by_kind: dict[str, list[float]] = {}
    empty = 0
    sent = 0
    while sent < total:
        for o in range(owners):
            if sent >= total:
                break
            if not scripts[o]:
                scripts[o] = conversation(o, rounds[o], english=o % 4 == 3)
                rounds[o] += 1
            line = scripts[o].pop(0)
            lang = "en" if o % 4 == 3 else "fr"
            key = OwnerKey(Channel.TELEGRAM, str(10_000 + o))
            incoming = Incoming(line, line.startswith("/"), lang)
            start = time.perf_counter()
            replies = await assistant.handle(key, incoming)  # type: ignore[attr-defined]
            elapsed = (time.perf_counter() - start) * 1000
            timings.append(elapsed)
            kind = "button" if line.startswith("/") else line.split()[0].lower()[:12]
            by_kind.setdefault(kind, []).append(elapsed)
            empty += not any(r.text.strip() for r in replies)
            sent += 1
    return timings, by_kind, empty


def run(messages: int = MESSAGES, owners: int = OWNERS) -> Report:
    from bot.dialogue.assistant import build_assistant
    from bot.services import settle_heap

    report = Report("messages", f"{messages} messages from {owners} owners, in-process, SQLite")
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        assistant = build_assistant(quiet_settings(Path(folder) / "bench.db"), today=TODAY)
        settle_heap()  # as the long-running commands do once started
        report.details["build_assistant_s"] = round(time.perf_counter() - started, 3)
        asyncio.run(drive(assistant, owners, 400))  # warm-up: caches, first rows
        started = time.perf_counter()
        timings, by_kind, empty = asyncio.run(drive(assistant, owners, messages))
        wall = time.perf_counter() - started
    report.add("p50 per message", percentile(timings, 50), 3.0, "ms")
    report.add("p99 per message", percentile(timings, 99), 15.0, "ms")
    report.add("max per message", max(timings), None, "ms")
    report.add("throughput (one loop)", messages / wall, None, "msg/s", higher=True)
    report.add("messages without a reply", empty, 0, "", note="every message is answered")
    report.details["by_first_word"] = {
        k: {"n": len(v), "p50_ms": round(percentile(v, 50), 3), "p99_ms": round(percentile(v, 99), 3)}
        for k, v in sorted(by_kind.items())}
    return report.finish()
