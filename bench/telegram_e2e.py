"""Benchmark 3 — end to end through python-telegram-bot: the real `relance run` process
(SQLite) long-polling the local fake Bot API (tests/fakebotapi, loopback only).

Capacity, closed loop: each of `chats` owners sends its next message as soon as the bot
answered the previous one, so the process is saturated and updates queue: what is measured
is updates answered per second, not latency. Latency, open loop: updates arrive at a fixed
rate (Telegram's 30/s per bot, and ten times that), spread over many owners, each owner's
next message after the previous answer. Latency of an update = sendMessage received by the
fake − the getUpdates answer that delivered it (every message of the script gets exactly
one reply). Since the bot fetches updates only while it has room (bot.telegram.ordering.
Intake), an update may also wait at the Bot API before it is delivered: the runs report
sent → reply too (from the moment the owner's message reached the fake Bot API), which is
what the owner waits. Bounded: a warm-up, then the measured window, then SIGTERM.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import ROOT, Report, percentile
from bench.scripts import conversation

TELEGRAM_RATE = 30.0  # messages per second and bot, Telegram's documented broadcast limit
PACED_OWNERS = 600  # open loop: at 300 updates/s, each owner's next line every 2 s


def fake_api_class() -> Any:
    from tests.fakebotapi.server import FakeBotApi

    class TimedFakeBotApi(FakeBotApi):
        """Remembers when each update was first handed to the bot by getUpdates."""

        delivered: dict[int, float]
        sent_at: dict[int, float]  # when the bench pushed each update (the owner sent it)

        async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
            batch = await super()._get_updates(params)
            now = time.monotonic()
            for update in batch:
                self.delivered.setdefault(update["update_id"], now)
            return batch

    return TimedFakeBotApi


def bot_env(api: Any, folder: str, max_rate: float) -> dict[str, str]:
    """`relance run`'s environment against the fake Bot API `api`, on SQLite in `folder`
    (no TELEGRAM_*/WEBHOOK* of the caller's)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK"))}
    env.update(TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_API_BASE_URL=api.base_url,
               TELEGRAM_FILE_BASE_URL=api.base_file_url, LOG_LEVEL="WARNING",
               DATABASE_URL=f"sqlite:///{folder}/relance.db", NUDGE_GLOBAL_RATE="25",
               TELEGRAM_MAX_RATE=str(max_rate))
    return env


def run(seconds: float = 20.0, chats: int = 100, warmup: float = 4.0,
        max_rate: float = 1000.0, paced_seconds: float = 10.0) -> Report:
    """Capacity: the bot's own send limiter is raised to `max_rate` (production keeps
    TELEGRAM_MAX_RATE=30, Telegram's limit), so that what is measured is how many updates
    one process can handle, not the limiter."""
    report = Report("telegram", f"relance run ↔ fake Bot API; capacity: {chats} chats closed "
                                f"loop {seconds:.0f} s; latency: open loop at 30/s and "
                                f"{10 * TELEGRAM_RATE:.0f}/s, {paced_seconds:.0f} s each; "
                                f"send limiter at {max_rate:.0f}/s")
    api = fake_api_class()()
    api.delivered, api.sent_at = {}, {}
    api.start()
    folder = tempfile.mkdtemp()
    env = bot_env(api, folder, max_rate)
    log = Path(folder) / "bot.log"
    with log.open("wb") as out:
        process = subprocess.Popen([str(Path(sys.executable).parent / "relance"), "run"],
                                   cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            api.wait_until(lambda: bool(api.calls("getUpdates")), timeout=60)
            result = _drive(api, [900_000 + c for c in range(chats)], warmup, seconds,
                            pid=process.pid)
            paced = {rate: _paced(api, [1_000_000 * (i + 1) + c for c in range(PACED_OWNERS)],
                                  rate, 2.0, paced_seconds)
                     for i, rate in enumerate((TELEGRAM_RATE, 10 * TELEGRAM_RATE))}
            single = _drive(api, [800_000], 2.0, min(seconds, 10.0))
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
            api.stop()
    errors = [line for line in log.read_text(errors="replace").splitlines() if "ERROR" in line]
    report.details.update(result, single_chat=single, bot_log_errors=errors[:20],
                          paced={str(k): v for k, v in paced.items()})
    rate = result["updates_per_s"]
    report.add("capacity: sustained updates/s (one process)", rate, 10 * TELEGRAM_RATE, "upd/s",
               higher=True, note=f"{rate / TELEGRAM_RATE:.2f}× Telegram's ~30 msg/s per bot")
    report.add("capacity: updates answered / sent in window", result["answered_ratio"], 1.0,
               "", higher=True)
    if result.get("cpu_ms_per_update") is not None:
        report.add("capacity: bot CPU per update answered", result["cpu_ms_per_update"], None,
                   "ms", note="the bot process's user + system CPU in the window / updates "
                   "answered in it: steadier than the rate on a noisy machine")
    for offered, figures in paced.items():
        label = f"at {offered:.0f} upd/s offered ({offered / TELEGRAM_RATE:.0f}× Telegram)"
        report.add(f"{label}: answered/s", figures["updates_per_s"], offered * 0.98, "upd/s",
                   higher=True)
        report.add(f"{label}: p50 delivered → reply", figures["p50_ms"], None, "ms")
        report.add(f"{label}: p99 delivered → reply", figures["p99_ms"], 50.0, "ms")
        report.add(f"{label}: p99 sent → reply", figures["sent_p99_ms"], None, "ms",
                   note="sent → reply: from the owner's message reaching the Bot API, "
                   "including any wait there while the bot has no room")
    report.add("one chat alone: p50 delivered → reply", single["p50_ms"], None, "ms")
    report.add("one chat alone: p99 delivered → reply", single["p99_ms"], 50.0, "ms")
    report.add("one chat alone: p99 sent → reply", single["sent_p99_ms"], None, "ms")
    report.add("closed loop (saturated): p99 delivered → reply", result["p99_ms"], None, "ms",
               note="closed loop: every chat sends its next message as soon as it is "
               "answered, so the process is saturated and updates queue")
    report.add("ERROR lines in the bot's log", len(errors), 0, "")
    report.add("replies beyond one per update (all runs)", sum(
        r["replies_beyond_one_per_update"] for r in (result, single, *paced.values())), 0, "",
        note="0 means every update was paired with its own reply (tests/bot/"
             "test_bench_scripts.py checks the scripts)")
    return report.finish()


def _paced(api: Any, ids: list[int], rate: float, warmup: float, seconds: float
           ) -> dict[str, Any]:
    """Open loop: one update every 1/`rate` s, to the next owner whose last message has
    been answered (round robin over `ids`).

    The owners are first spread over the script (`_stagger`): started together, they would
    all reach the same line in the same second — every invoice submitted at once, then every
    payment — and the offered mix would swing between its cheapest and its dearest lines
    (measured: 2 ms answers for 4 s, then 600 ms for 2 s). Spread, every second offers the
    whole script in its proportions, as many owners at different points of their week do."""
    scripts: dict[int, list[str]] = {c: [] for c in ids}
    rounds = dict.fromkeys(ids, 0)
    pushed: dict[int, list[int]] = {c: [] for c in ids}
    _stagger(api, ids, scripts, rounds, pushed)
    started = time.monotonic()
    window = (started + warmup, started + warmup + seconds)
    turn, sent = 0, 0
    while (now := time.monotonic()) < window[1]:
        due = started + sent / rate
        if now < due:
            time.sleep(min(due - now, 0.002))
            continue
        for _ in range(len(ids)):
            chat = ids[turn % len(ids)]
            turn += 1
            if len(api.messages(chat)) >= len(pushed[chat]):
                break
        _push_next(api, chat, scripts, rounds, pushed)
        sent += 1
    return _figures(api, ids, pushed, window, seconds, _drained(api, pushed))


def _push_next(api: Any, chat: int, scripts: dict[int, list[str]], rounds: dict[int, int],
               pushed: dict[int, list[int]]) -> None:
    """The owner's next line of its script, sent to the bot through the fake Bot API."""
    english = chat % 4 == 3
    if not scripts[chat]:
        scripts[chat] = conversation(chat, rounds[chat], english)
        rounds[chat] += 1
    pushed[chat].append(api.push_text(chat, scripts[chat].pop(0),
                                      language_code="en" if english else "fr"))
    api.sent_at[pushed[chat][-1]] = time.monotonic()


def _stagger(api: Any, ids: list[int], scripts: dict[int, list[str]], rounds: dict[int, int],
             pushed: dict[int, list[int]]) -> None:
    """Before the open loop: owner k sends the first k mod (its first round's length) lines
    of its script, each after the previous one's answer (not measured; the bot then idles
    until every one is answered)."""
    ahead = {}
    for k, chat in enumerate(ids):
        ahead[chat] = k % len(conversation(chat, 0, chat % 4 == 3))
    while any(ahead.values()):
        for chat in ids:
            if ahead[chat] and len(api.messages(chat)) >= len(pushed[chat]):
                _push_next(api, chat, scripts, rounds, pushed)
                ahead[chat] -= 1
        time.sleep(0.0005)
    _drained(api, pushed)


def _cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU of process `pid` so far (Linux /proc), None where unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _drive(api: Any, ids: list[int], warmup: float, seconds: float, pid: int | None = None
           ) -> dict[str, Any]:
    scripts: dict[int, list[str]] = {c: [] for c in ids}
    rounds = dict.fromkeys(ids, 0)
    pushed: dict[int, list[int]] = {c: [] for c in ids}
    started = time.monotonic()
    window = (started + warmup, started + warmup + seconds)
    cpu_at_start: float | None = None
    while (now := time.monotonic()) < window[1]:
        if cpu_at_start is None and now >= window[0]:
            cpu_at_start = _cpu_seconds(pid)
        for chat in ids:
            if len(api.messages(chat)) < len(pushed[chat]):
                continue  # still waiting for the answer
            _push_next(api, chat, scripts, rounds, pushed)
        time.sleep(0.0005)
    cpu_at_end = _cpu_seconds(pid)
    figures = _figures(api, ids, pushed, window, seconds, _drained(api, pushed))
    if cpu_at_start is not None and cpu_at_end is not None:
        answered = figures["updates_per_s"] * seconds
        figures["cpu_ms_per_update"] = (cpu_at_end - cpu_at_start) * 1000 / max(1.0, answered)
    return figures


def _drained(api: Any, pushed: dict[int, list[int]], limit: float = 180.0) -> float:
    """Wait until every update sent has its answer, so that the next run starts on an idle
    bot (a queue left behind would be measured in the next one); how long it took, s."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if all(len(api.messages(chat)) >= len(sent) for chat, sent in pushed.items()):
            break
        time.sleep(0.05)
    return round(time.monotonic() - started, 2)


def _figures(api: Any, ids: list[int], pushed: dict[int, list[int]],
             window: tuple[float, float], seconds: float, drained_s: float) -> dict[str, Any]:
    latencies, waits, in_window, answered, extra, replied_in_window = [], [], 0, 0, 0, 0
    slowest: list[tuple[float, float]] = []
    for chat in ids:
        messages = api.messages(chat)
        extra += max(0, len(messages) - len(pushed[chat]))
        for k, update_id in enumerate(pushed[chat]):
            at = api.delivered.get(update_id)
            if at is None or not window[0] <= at < window[1]:
                continue
            in_window += 1
            if k < len(messages):
                answered += 1
                replied_in_window += window[0] <= messages[k].timestamp < window[1]
                latencies.append((messages[k].timestamp - at) * 1000)
                waits.append((messages[k].timestamp - api.sent_at.get(update_id, at)) * 1000)
                slowest.append((round(latencies[-1], 1), round(at - window[0], 2)))
    slowest.sort(reverse=True)
    return {"slowest_ms_at_s": slowest[:8], "updates_in_window": in_window, "answered": answered,
            "answered_ratio": answered / max(1, in_window),
            "updates_per_s": replied_in_window / seconds,  # answered within the window
            "p50_ms": percentile(latencies or [0.0], 50),
            "p99_ms": percentile(latencies or [0.0], 99), "max_ms": max(latencies or [0.0]),
            "sent_p50_ms": percentile(waits or [0.0], 50),
            "sent_p99_ms": percentile(waits or [0.0], 99),
            "replies_beyond_one_per_update": extra, "queue_drained_after_s": drained_s,
            "send_calls_429": sum(c.status == 429 for c in api.calls())}
