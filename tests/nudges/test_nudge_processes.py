"""Real processes: a restart delivers each nudge once, a kill -9 loses none (at most one
duplicate per kill), two workers on PostgreSQL share 1 000 nudges without a duplicate."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from domain.ledger import make_engine, unit_of_work
from domain.ledger.enums import NudgeKind
from tests.nudges.helpers import due_nudge, make_owner

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def seed(url: str, owners: int, per_owner: int) -> list[int]:
    """Due nudges (an hour ago), `per_owner` for each of `owners` owners."""
    engine = make_engine(url)
    past = datetime.now(UTC) - timedelta(hours=1)
    ids: list[int] = []
    with unit_of_work(engine) as s:
        for o in range(owners):
            owner = make_owner(s, str(10_000 + o))
            ids += [due_nudge(s, owner, None, NudgeKind.LADDER_STEP, past, f"k{i}",
                              step="first_reminder") for i in range(per_owner)]
    engine.dispose()
    return ids


def worker(url: str, out: Path, name: str, *options: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "tests.nudges.worker", url, str(out), name,
                                *options], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    return process


def delivered(out: Path) -> Counter[int]:
    if not out.exists():
        return Counter()
    return Counter(i for line in out.read_text().splitlines() for i in json.loads(line)["ids"])


def wait_for_lines(out: Path, count: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not out.exists() or len(out.read_text().splitlines()) < count:
        assert time.monotonic() < deadline, "the worker did not send in time"
        time.sleep(0.01)


def test_restart_delivers_each_nudge_once(db_url: str, engine: object, tmp_path: Path) -> None:
    ids = seed(db_url, owners=120, per_owner=1)
    out = tmp_path / "sent.jsonl"
    first = worker(db_url, out, "w1", "--send-delay", "0.01", "--batch", "20")
    wait_for_lines(out, 30)
    first.send_signal(signal.SIGTERM)
    assert first.wait(20) == 0
    sent_before = sum(delivered(out).values())
    assert 30 <= sent_before < len(ids)  # stopped half-way
    second = worker(db_url, out, "w2")
    assert second.wait(30) == 0
    counts = delivered(out)
    assert set(counts) == set(ids) and max(counts.values()) == 1


def test_kill_9_loses_nothing_and_repeats_at_most_one(db_url: str, engine: object,
                                                      tmp_path: Path) -> None:
    ids = seed(db_url, owners=300, per_owner=1)
    out = tmp_path / "sent.jsonl"
    options = ("--lease", "1.5", "--concurrency", "1", "--coalesce", "1", "--send-delay", "0.002")
    kills = 0
    for name, after in (("k1", 40), ("k2", 120)):
        process = worker(db_url, out, name, *options)
        wait_for_lines(out, after)
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        kills += 1
    final = worker(db_url, out, "k3", *options)
    assert final.wait(60) == 0
    counts = delivered(out)
    assert set(counts) == set(ids)  # nothing lost
    duplicates = sum(n - 1 for n in counts.values())
    assert duplicates <= kills, counts.most_common(3)


@pytest.mark.postgres
def test_two_workers_on_postgresql_send_each_nudge_once(pg_url: str, tmp_path: Path) -> None:
    ids = seed(pg_url, owners=200, per_owner=5)
    assert len(ids) == 1000
    out = tmp_path / "sent.jsonl"
    go = tmp_path / "go"
    workers = [worker(pg_url, out, f"pg{i}", "--batch", "50", "--send-delay", "0.002",
                      "--go", str(go)) for i in range(2)]
    started = time.monotonic()
    go.touch()
    assert [w.wait(60) for w in workers] == [0, 0]
    elapsed = time.monotonic() - started
    counts = delivered(out)
    assert set(counts) == set(ids) and max(counts.values()) == 1
    by_worker = Counter(json.loads(line)["worker"] for line in out.read_text().splitlines())
    assert set(by_worker) == {"pg0", "pg1"}, by_worker  # both took a share
    print(f"two workers: 1000 nudges in {elapsed:.2f} s, messages per worker {dict(by_worker)}")
