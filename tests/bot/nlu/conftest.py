from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.nlu.parser import NluModel

NLU_FILE = Path(__file__).resolve().parents[3] / "data" / "rasa" / "nlu.yml"
TODAY = date(2026, 11, 23)  # a Monday


@pytest.fixture(scope="session")
def nlu_model() -> NluModel:
    return NluModel.train(NLU_FILE)
