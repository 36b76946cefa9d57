"""domain/ rules import no framework: no telegram, rasa_sdk, jinja2 or database module."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FORBIDDEN = ("telegram", "rasa_sdk", "jinja2", "sqlalchemy", "sqlmodel", "psycopg", "alembic",
             "sqlite3", "httpx", "apscheduler")
ROOT = Path(__file__).resolve().parents[2]


def test_domain_rules_import_no_framework() -> None:
    rules = sorted(p.stem for p in (ROOT / "domain").glob("*.py") if p.stem != "__init__")
    code = (
        "import importlib, json, sys\n"
        f"for name in {rules!r}: importlib.import_module('domain.' + name)\n"
        "print(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))"
    )
    loaded = set(json.loads(subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True,
                                           capture_output=True, text=True).stdout))
    assert not loaded & set(FORBIDDEN), loaded & set(FORBIDDEN)


def test_domain_rules_never_read_the_clock() -> None:
    for path in (ROOT / "domain").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for call in ("date.today(", "datetime.now(", "datetime.utcnow(", "time.time("):
            assert call not in text, f"{path.name} reads the clock ({call})"
