"""Fixtures for the nudge tests (helpers live in tests/nudges/helpers.py)."""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from tests.fakebotapi.conftest import fake_api  # noqa: E402, F401
from tests.nudges.helpers import ctx, db_url, engine, pg_url  # noqa: E402, F401
