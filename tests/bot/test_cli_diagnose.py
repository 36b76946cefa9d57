"""`relance diagnose` and `relance rates` as a user runs them: the real console script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RELANCE = str(Path(sys.executable).parent / "relance")
INVOICE = {"today": "2026-11-23", "amount": "1250.00", "invoice_date": "2026-08-01",
           "terms": "45 jours fin de mois", "debtor": "professional"}


def relance(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([RELANCE, *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, timeout=60)


def test_diagnose_a_real_looking_invoice() -> None:
    done = relance("diagnose", stdin=json.dumps(INVOICE))
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["due_date"] == "2026-09-30"
    assert out["penalties"]["total"] == "22.93"  # 54 days × 1 250 € × 12.40 % / 365
    assert out["indemnity"] == "40.00"
    assert out["total_claimable"] == "1312.93"
    assert out["next_step"]["step"] == "friendly_call"
    assert any("moyenne" in w for w in out["warnings"])  # MEDIUM facts are shown as such


@pytest.mark.parametrize(("change", "field"), [
    ({"amount": None}, "amount"),
    ({"amount": "-10"}, "amount"),
    ({"amount": "abc"}, "amount"),
    ({"amount": 12.5}, "amount"),
    ({"invoice_date": "2026-02-31"}, "invoice_date"),
    ({"invoice_date": "31/02/2026"}, "invoice_date"),
    ({"due_date": "2026-07-01"}, "due_date"),
    ({"terms": "quand il pourra"}, "terms"),
    ({"debtor": "alien"}, "debtor"),
    ({"payments": [{"date": "2026-09-01", "amount": "x"}]}, "payments[0].amount"),
])
def test_bad_input_names_the_field_without_traceback(change: dict[str, object],
                                                     field: str) -> None:
    data = {k: v for k, v in {**INVOICE, **change}.items() if v is not None}
    done = relance("diagnose", stdin=json.dumps(data))
    assert done.returncode == 1
    error = json.loads(done.stdout)["error"]
    assert error["field"] == field and field in error["message"]
    assert "Traceback" not in done.stderr


def test_not_json_at_all() -> None:
    done = relance("diagnose", "--lang", "en", stdin="abc")
    assert done.returncode == 1
    assert json.loads(done.stdout)["error"]["message"] == 'Field "input": invalid JSON.'


def test_batch_json_lines(tmp_path: Path) -> None:
    lines = [json.dumps(INVOICE), "{broken", json.dumps({**INVOICE, "debtor": "consumer"})]
    done = relance("diagnose", "--batch", stdin="\n".join(lines) + "\n")
    outputs = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(outputs) == 3 and "error" in outputs[1]
    assert outputs[2]["indemnity"] == "0.00"
    assert done.returncode == 1  # one line failed


def test_rates_shows_the_table_and_its_freshness() -> None:
    done = relance("rates", "--today", "2027-02-01")
    assert done.returncode == 0
    assert "2026-S2" in done.stdout and "UNCONFIRMED" in done.stdout
    assert "ATTENTION" in done.stdout  # 2027-S1 missing from the table
