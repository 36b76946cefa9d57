"""Money: `Decimal` everywhere, rounded to the cent once, at the edge, half-up."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from domain.errors import InvalidInput

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# Larger amounts are refused: no invoice of a small business comes near it, and it keeps
# every computation far from any precision limit.
MAX_AMOUNT = Decimal("1000000000.00")


def to_cents(value: Decimal) -> Decimal:
    """Round to the cent, half-up (the convention of LEGAL.md §12.4)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_amount(raw: object, field: str, *, allow_zero: bool = False) -> Decimal:
    """A money amount given as a string or an int ("1250.50"); never a float."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int, Decimal)):
        raise InvalidInput(field, "not_a_money_string", raw)
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise InvalidInput(field, "not_a_number", raw) from None
    if not value.is_finite():
        raise InvalidInput(field, "not_a_number", raw)
    if value < 0 or (value == 0 and not allow_zero):
        raise InvalidInput(field, "not_positive", raw)
    if value > MAX_AMOUNT:
        raise InvalidInput(field, "too_large", raw)
    if value != value.quantize(CENT):
        raise InvalidInput(field, "more_than_two_decimals", raw)
    return to_cents(value)


def parse_rate(raw: object, field: str) -> Decimal:
    """A yearly interest rate in percent ("12.5"), 0 < rate ≤ 100."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int, Decimal)):
        raise InvalidInput(field, "not_a_number", raw)
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise InvalidInput(field, "not_a_number", raw) from None
    if not value.is_finite() or value <= 0 or value > 100:
        raise InvalidInput(field, "rate_out_of_range", raw)
    return value
