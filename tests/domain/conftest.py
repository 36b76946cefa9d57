from __future__ import annotations

from pathlib import Path

import pytest

from domain.ladder import Ladder, load_ladder
from domain.rates import RateTable, load_rate_table

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def table() -> RateTable:
    return load_rate_table(ROOT / "data" / "rates")


@pytest.fixture(scope="session")
def ladder() -> Ladder:
    return load_ladder(ROOT / "data" / "ladder.yml")
