"""Instructions per message, counted by valgrind (cachegrind): how a change is judged here.

This machine's speed swings by ±25 % from one run to the next, more than most changes
gain; the number of instructions a message costs does not (two runs of the same code agree
within 0.4 % when run close in time; nudges are planned from the time of day, so counts
drift by up to ~3 % across hours: compare runs made side by side). Each figure is the difference between a short and a long run, divided by
the messages between them, so that start-up (imports, NLU training) cancels out:

- in-process: the bench's conversation script for `owners` owners through
  `Assistant.handle`, `rounds[0]` then `rounds[1]` rounds; SQLite's background checkpoint
  is turned off (its work depends on timing);
- bot: the real `relance run` under valgrind against the fake Bot API, `chats` chats in a
  closed loop, `updates[0]` then `updates[1]` updates.

Needs valgrind; ~3 minutes. Not in the default `python -m bench` run: `python -m bench
instructions`.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from bench.common import ROOT, Report
from bench.scripts import conversation

_VALGRIND = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
_ENV = {"PYTHONHASHSEED": "0"}


def run(owners: int = 10, rounds: tuple[int, int] = (1, 4), chats: int = 20,
        updates: tuple[int, int] = (40, 240)) -> Report:
    report = Report("instructions", "instructions per message (valgrind cachegrind), "
                                    "difference of a short and a long run")
    if shutil.which("valgrind") is None:
        report.details["skipped"] = "valgrind is not installed"
        print("instructions: valgrind is not installed; nothing measured", flush=True)
        return report.finish()
    with ThreadPoolExecutor(2) as pool:  # the short and the long run side by side
        short, long = pool.map(lambda n: _in_process(owners, n), rounds)
    messages = sum(len(conversation(owner, round_, False)) for owner in range(owners)
                   for round_ in range(rounds[0], rounds[1]))
    per_message = (long - short) / messages
    report.add("in-process: instructions per message", per_message / 1e6, None, "million",
               note=f"{owners} owners, rounds {rounds[0]} → {rounds[1]} of bench/scripts.py")
    with ThreadPoolExecutor(2) as pool:
        short, long = pool.map(lambda n: _bot(chats, n), updates)
    per_update = (long - short) / (updates[1] - updates[0])
    report.add("relance run: instructions per update", per_update / 1e6, None, "million",
               note=f"{chats} chats, {updates[0]} → {updates[1]} updates through the fake "
                    "Bot API (python-telegram-bot, aiohttp and the event loop included)")
    report.details.update(in_process=[short, long])
    return report.finish()


def _instructions(log: Path) -> int:
    found = re.search(r"I\s+refs:\s+([\d,]+)", log.read_text())
    if found is None:
        raise RuntimeError(f"no instruction count in {log}")
    return int(found.group(1).replace(",", ""))


def _in_process(owners: int, rounds: int) -> int:
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "valgrind.txt"
        subprocess.run([*_VALGRIND, f"--log-file={log}", sys.executable, "-m",
                        "bench.instructions", str(owners), str(rounds)],
                       cwd=ROOT, env={**os.environ, **_ENV}, check=True,
                       stdout=subprocess.DEVNULL)
        return _instructions(log)


def _bot(chats: int, updates: int) -> int:
    from bench.telegram_e2e import bot_env, fake_api_class

    api = fake_api_class()()
    api.delivered, api.sent_at = {}, {}
    api.start()
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "valgrind.txt"
        env = {**bot_env(api, folder, 1000.0), **_ENV}
        process = subprocess.Popen(
            [*_VALGRIND, f"--log-file={log}", sys.executable,
             str(Path(sys.executable).parent / "relance"), "run"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            api.wait_until(lambda: bool(api.calls("getUpdates")), timeout=900)
            _converse(api, [900_000 + c for c in range(chats)], updates)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(300)
            api.stop()
        return _instructions(log)


def _converse(api: object, ids: list[int], total: int) -> None:
    """`total` updates of the conversation script, each chat waiting for its answer."""
    scripts: dict[int, list[str]] = {c: [] for c in ids}
    rounds = dict.fromkeys(ids, 0)
    pushed: dict[int, int] = dict.fromkeys(ids, 0)
    sent = 0
    while sent < total:
        for chat in ids:
            if sent >= total or len(api.messages(chat)) < pushed[chat]:  # type: ignore[attr-defined]
                continue
            if not scripts[chat]:
                scripts[chat] = conversation(chat, rounds[chat], chat % 4 == 3)
                rounds[chat] += 1
            api.push_text(chat, scripts[chat].pop(0),  # type: ignore[attr-defined]
                          language_code="en" if chat % 4 == 3 else "fr")
            pushed[chat] += 1
            sent += 1
        time.sleep(0.01)
    api.wait_until(lambda: all(len(api.messages(c)) >= n  # type: ignore[attr-defined]
                               for c, n in pushed.items()), timeout=900)


async def _talk(owners: int, rounds: int) -> None:
    """The in-process side (run under valgrind by `_in_process`)."""
    import domain.ledger.db as db
    from bench.common import quiet_settings
    from bot.dialogue.assistant import build_assistant
    from bot.replies import Channel, Incoming, OwnerKey

    db.wal.install = lambda engine: None  # type: ignore[assignment]  # timing-free
    with tempfile.TemporaryDirectory() as folder:
        assistant = build_assistant(quiet_settings(Path(folder) / "bench.db"),
                                    today=date(2026, 11, 23))
        for round_ in range(rounds):
            for owner in range(owners):
                for line in conversation(owner, round_, False):
                    await assistant.handle(OwnerKey(Channel.TELEGRAM, str(10_000 + owner)),
                                           Incoming(line, line.startswith("/"), "fr"))


if __name__ == "__main__":
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    asyncio.run(_talk(int(sys.argv[1]), int(sys.argv[2])))
