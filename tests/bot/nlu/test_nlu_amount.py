from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.nlu.entities.amount import extract_amounts, parse_number


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("1 250,50 €", ["1250.50"]),
        ("1250 euros", ["1250.00"]),
        ("1 250€", ["1250.00"]),
        ("1\u202f250,50\u00a0€", ["1250.50"]),
        ("3,4k€", ["3400.00"]),
        ("1k2", ["1200.00"]),  # was 1 000 €: the digits after the k were dropped
        ("2k5 €", ["2500.00"]),
        ("facture de 12k500 euros", ["12500.00"]),
        ("3.4k", ["3400.00"]),
        ("10 k€", ["10000.00"]),
        ("€1,250.50", ["1250.50"]),
        ("1,250.50 EUR", ["1250.50"]),
        ("EUR 500", ["500.00"]),
        ("500e", ["500.00"]),
        ("12,5e", ["12.50"]),
        ("500 balles", ["500.00"]),
        ("1.250,50 €", ["1250.50"]),
        ("1,250 €", ["1250.00"]),
        ("12,5 €", ["12.50"]),
        ("1 euro", ["1.00"]),
        ("facture F-117 de 1 250 € du 15/12", ["1250.00"]),
        ("le 15/12/2026 il a payé 300 €", ["300.00"]),
        ("payer 300 € sur 1 250 €", ["300.00", "1250.00"]),
        ("3 versements de 400 €", ["400.00"]),
        ("40€ d'indemnité", ["40.00"]),
        ("facture 2026 : 800 €", ["800.00"]),
        # bare numbers count only after a money cue
        ("il a promis 500 vendredi", ["500.00"]),
        ("payé 300", ["300.00"]),
        ("montant 1250,50", ["1250.50"]),
        ("il me doit 800", ["800.00"]),
        ("he owes 1,250.50", ["1250.50"]),
        # not amounts
        ("promis de payer le 15", []),
        ("le 2e versement", []),
        ("en 3 fois", []),
        ("dans 10 jours", []),
        ("2026", []),
        ("facture 117", []),
        ("F-117", []),
        ("15/12", []),
        ("payé le 15/12", []),
        ("500 balles de tennis", []),
        ("10k km", []),
        ("0 €", []),
        ("il doit payer avant le 30", []),
    ],
)
def test_amounts(text: str, values: list[str]) -> None:
    assert [e.value for e in extract_amounts(text)] == values


def test_amount_span_points_into_text() -> None:
    text = "Dupont a promis 1 250 € pour vendredi"
    [entity] = extract_amounts(text)
    assert text[entity.start : entity.end] == "1 250 €"


def _french(value: Decimal) -> str:
    integer, cents = f"{value:.2f}".split(".")
    groups = []
    while integer:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    return f"{' '.join(groups)},{cents} €"


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2))
def test_french_formatted_amount_round_trips(value: Decimal) -> None:
    assert [e.value for e in extract_amounts(f"il a payé {_french(value)} hier")] == [
        f"{value:.2f}"
    ]


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2))
def test_english_formatted_amount_round_trips(value: Decimal) -> None:
    assert [e.value for e in extract_amounts(f"paid €{value:,.2f} today")] == [f"{value:.2f}"]


@given(st.text(max_size=300))
def test_never_raises(text: str) -> None:
    for entity in extract_amounts(text):
        assert Decimal(entity.value) > 0


def test_parse_number_is_decimal() -> None:
    assert parse_number("1 250,50") == Decimal("1250.50")
    assert parse_number("1,250") == Decimal("1250")
