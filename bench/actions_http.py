"""Benchmark 2 — one action in-process (`ActionExecutor.run(payload)`, what the embedded
runner does) vs through the rasa-sdk HTTP action server (`relance actions` subprocess,
httpx keep-alive client), same payloads, same SQLite file, same run."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import yaml

from bench.common import ROOT, Report, percentile, quiet_settings

SENDER = "987654321"  # a real Rasa's sender id: a Telegram chat id


def payload(domain: dict[str, Any], action: str, slots: dict[str, Any],
            events: list[dict[str, Any]], text: str) -> dict[str, Any]:
    """The body Rasa posts to an action server (as tests/bot/test_action_server.py)."""
    tracker = {
        "sender_id": SENDER, "slots": {"language": "fr", **slots},
        "latest_message": {"text": text, "intent": {"name": "add_invoice", "confidence": 0.9},
                           "entities": [], "metadata": {"today": "2026-11-23"}},
        "latest_event_time": 1.0, "followup_action": None, "paused": False, "events": events,
        "latest_input_channel": "telegram", "active_loop": {"name": "invoice_form"},
        "latest_action": {"action_name": "invoice_form"}, "latest_action_name": "invoice_form",
    }
    return {"next_action": action, "sender_id": SENDER, "tracker": tracker, "domain": domain,
            "version": "3.21.1"}


def cases(domain: dict[str, Any]) -> dict[str, dict[str, Any]]:
    amount = [{"event": "user", "text": "1 250,50 €"},
              {"event": "slot", "name": "amount", "value": "1 250,50 €"}]
    return {
        "validate_invoice_form (amount)": payload(domain, "validate_invoice_form",
                                                  {"requested_slot": "amount"}, amount,
                                                  "1 250,50 €"),
        "action_what_now (10 invoices)": payload(domain, "action_what_now", {}, [],
                                                 "quoi faire ?"),
        "action_list_overdue (10 invoices)": payload(domain, "action_list_overdue", {}, [],
                                                     "mes retards"),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen([str(Path(sys.executable).parent / "relance"), "actions", "--port",
                             str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{url}/health").status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("relance actions did not start")


def run(calls: int = 1_000) -> Report:
    from rasa_sdk.executor import ActionExecutor

    from actions.context import install
    from bot.services import build_context

    domain = yaml.safe_load((ROOT / "data/rasa/domain.yml").read_text(encoding="utf-8"))
    report = Report("actions_http", f"same action in-process vs rasa-sdk /webhook, {calls} calls each")
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.db"
        install(build_context(quiet_settings(db)))
        executor = ActionExecutor()
        executor.register_package("actions")
        for i in range(10):  # the owner's open invoices, stored in-process
            slots = {"client": f"Client {i}", "amount": "1250.00", "invoice_number": f"F-{i}",
                     "invoice_date": "2026-09-15", "due_date": "2026-10-15",
                     "debtor_kind": "professional", "steps_taken": "none"}
            asyncio.run(executor.run(payload(domain, "action_submit_invoice", slots, [], "ok")))
        proc, url = start_server(db)
        try:
            for label, body in cases(domain).items():
                local = asyncio.run(_in_process(executor, body, calls))
                remote = _over_http(url, body, calls)
                lp50, rp50 = percentile(local, 50), percentile(remote, 50)
                report.add(f"{label}: in-process p50", lp50, None, "ms")
                report.add(f"{label}: HTTP p50", rp50, None, "ms")
                report.add(f"{label}: HTTP/in-process (p50)", rp50 / lp50, 10.0, "×", higher=True)
                report.details[label] = {
                    "in_process_ms": {"p50": lp50, "p99": percentile(local, 99),
                                      "mean": sum(local) / len(local)},
                    "http_ms": {"p50": rp50, "p99": percentile(remote, 99),
                                "mean": sum(remote) / len(remote)},
                    "payload_bytes": len(httpx.Request("POST", url, json=body).content)}
        finally:
            proc.terminate()
            proc.wait(10)
    return report.finish()


async def _in_process(executor: Any, body: dict[str, Any], calls: int) -> list[float]:
    timings = []
    for _ in range(calls // 10):  # warm-up
        await executor.run(body)
    for _ in range(calls):
        start = time.perf_counter()
        result = await executor.run(body)
        timings.append((time.perf_counter() - start) * 1000)
        assert result is not None
    return timings


def _over_http(url: str, body: dict[str, Any], calls: int) -> list[float]:
    timings = []
    with httpx.Client(base_url=url, timeout=10) as client:  # keep-alive
        for _ in range(calls // 10):
            client.post("/webhook", json=body).raise_for_status()
        for _ in range(calls):
            start = time.perf_counter()
            answer = client.post("/webhook", json=body)
            timings.append((time.perf_counter() - start) * 1000)
            answer.raise_for_status()
    return timings
