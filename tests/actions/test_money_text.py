"""Amounts typed as answers, read as the NLU reads them (thousands vs decimal separators)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from actions.cases import money_text
from bot.nlu.entities.amount import extract_amounts


@pytest.mark.parametrize(("typed", "value"), [
    ("1,800", "1800.00"),  # was 1,80 €: three digits after a lone comma are thousands
    ("1.250", "1250.00"), ("1 800", "1800.00"), ("1,80", "1.80"), ("12,5", "12.50"),
    ("1,250.50", "1250.50"), ("1.250,50", "1250.50"), ("1,000,000", "1000000.00"),
    ("€2,400", "2400.00"), ("3200", "3200.00"), ("1 250,50 €", "1250.50"),
])
def test_typed_amounts(typed: str, value: str) -> None:
    assert money_text(typed) == Decimal(value)


@pytest.mark.parametrize("typed", ["abc", "0", "-5", "1e308", "1,2345", "", "NaN", "1..2"])
def test_what_is_not_an_amount(typed: str) -> None:
    assert money_text(typed) is None


@pytest.mark.parametrize("typed", ["1,800 €", "1.250 €", "1,80 €", "2,400 EUR", "1 250,50 €"])
def test_the_nlu_and_the_typed_answer_agree(typed: str) -> None:
    [entity] = extract_amounts(typed)
    assert money_text(typed) == Decimal(entity.value)
