from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

RELANCE = Path(sys.executable).with_name("relance")
pytestmark = pytest.mark.skipif(not RELANCE.exists(), reason="the relance script is not installed")


def _run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(RELANCE), "parse", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_one_message() -> None:
    done = _run(
        "Dupont a promis 1 250 € pour vendredi", "--today", "2026-11-23", "--client", "Dupont SARL"
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["intent"]["name"] == "log_promise"
    assert "1 250 €" in done.stdout  # ensure_ascii=False
    assert {e["value"] for e in result["entities"]} == {"Dupont SARL", "1250.00", "2026-11-27"}


def test_json_lines_on_stdin() -> None:
    done = _run("--today", "2026-11-23", stdin="bonjour\nil a payé 300 €\nquoi faire ?\n")
    assert done.returncode == 0, done.stderr
    intents = [json.loads(line)["intent"]["name"] for line in done.stdout.splitlines()]
    assert intents == ["greet", "report_payment", "what_now"]


def test_bad_today() -> None:
    done = _run("bonjour", "--today", "2026-13-01")
    assert done.returncode == 2
    assert "--today" in done.stderr and "Traceback" not in done.stderr
