"""Contract test: a real Rasa action-call payload posted to `relance actions` /webhook."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((ROOT / "data/rasa/domain.yml").read_text(encoding="utf-8"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('a')}/r.db"}
    proc = subprocess.Popen([str(Path(sys.executable).parent / "relance"), "actions", "--port",
                             str(port)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{url}/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("action server did not start")
        yield url
    finally:
        proc.terminate()
        output = proc.communicate(timeout=10)[0]
        assert "secret-user-text" not in output  # users' texts never reach the logs


def call(url: str, action: str, slots: dict[str, Any], events: list[dict[str, Any]],
         text: str = "bonjour") -> httpx.Response:
    """The body Rasa posts to an action server (rasa/core/actions/action.py RemoteAction)."""
    tracker = {
        "sender_id": "987654321", "slots": {"language": "fr", **slots},
        "latest_message": {"text": text, "intent": {"name": "add_invoice", "confidence": 0.9},
                           "entities": [], "metadata": {"today": "2026-11-23"}},
        "latest_event_time": 1.0, "followup_action": None, "paused": False, "events": events,
        "latest_input_channel": "telegram", "active_loop": {"name": "invoice_form"},
        "latest_action": {"action_name": "invoice_form"}, "latest_action_name": "invoice_form",
    }
    return httpx.post(f"{url}/webhook", json={"next_action": action, "sender_id": "987654321",
                                               "tracker": tracker, "domain": DOMAIN,
                                               "version": "3.21.1"}, timeout=10)


def test_health_and_action_list(server: str) -> None:
    assert httpx.get(f"{server}/health").json() == {"status": "ok"}
    listed = {a["name"] for a in httpx.get(f"{server}/actions").json()}
    assert set(DOMAIN["actions"]) <= listed


def test_form_validation_through_the_webhook(server: str) -> None:
    events = [{"event": "user", "text": "1 250,50 €"},
              {"event": "slot", "name": "amount", "value": "1 250,50 €"}]
    answer = call(server, "validate_invoice_form", {"requested_slot": "amount"}, events)
    assert answer.status_code == 200
    slots = {e["name"]: e["value"] for e in answer.json()["events"] if e["event"] == "slot"}
    assert slots["amount"] == "1250.50"


def test_bad_answer_gets_a_polite_question(server: str) -> None:
    events = [{"event": "user", "text": "beaucoup"},
              {"event": "slot", "name": "amount", "value": "beaucoup"}]
    body = call(server, "validate_invoice_form", {"requested_slot": "amount"}, events).json()
    assert "beaucoup" in body["responses"][0]["text"]
    assert {"event": "slot", "name": "amount", "value": None, "timestamp": None} in [
        {k: e.get(k) for k in ("event", "name", "value", "timestamp")} for e in body["events"]]


def test_submit_stores_for_the_rasa_sender_and_what_now_sees_it(server: str) -> None:
    slots = {"client": "Dupont SARL", "amount": "1250.00", "invoice_number": "F-117",
             "invoice_date": "2026-09-15", "due_date": "2026-10-15",
             "debtor_kind": "professional", "steps_taken": "none"}
    body = call(server, "action_submit_invoice", slots, []).json()
    assert "F-117" in body["responses"][0]["text"]
    assert "16,56" in body["responses"][0]["text"]
    again = call(server, "action_what_now", {}, [], text="secret-user-text").json()
    assert "Dupont SARL" in again["responses"][0]["text"]


def test_unknown_action_is_a_404(server: str) -> None:
    assert call(server, "action_does_not_exist", {}, []).status_code == 404
