"""Properties of the interest arithmetic (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.calendar import Semester, add_years, split_by_semester
from domain.penalties import Basis, Payment, accrue
from domain.rates import RateTable

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000000"), places=2)
days = st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 12, 31))
spans = st.integers(min_value=0, max_value=1500)


def fixed_rate(semester: Semester) -> tuple[Decimal, Basis, tuple[()]]:
    return Decimal("12.40"), Basis.DEFAULT_RATE, ()


@given(amounts, days, spans, st.integers(min_value=0, max_value=1500))
def test_splitting_a_period_changes_the_total_by_rounding_only(
        principal: Decimal, start: date, first: int, second: int) -> None:
    middle, end = start + timedelta(days=first), start + timedelta(days=first + second)
    whole = accrue(principal, start, end, (), fixed_rate).total
    parts = (accrue(principal, start, middle, (), fixed_rate).total
             + accrue(principal, middle, end, (), fixed_rate).total)
    assert abs(whole - parts) <= Decimal("0.01")


@settings(max_examples=60)
@given(amounts, days, spans, st.integers(min_value=1, max_value=400))
def test_more_days_never_means_less_interest(principal: Decimal, start: date, span: int,
                                             more: int) -> None:
    table_rate = fixed_rate
    shorter = accrue(principal, start, start + timedelta(days=span), (), table_rate).total
    longer = accrue(principal, start, start + timedelta(days=span + more), (), table_rate).total
    assert longer >= shorter >= 0


@settings(max_examples=60)
@given(amounts, days, spans)
def test_real_rates_are_monotonic_too(principal: Decimal, start: date, span: int) -> None:
    from pathlib import Path

    from domain.penalties import b2b_rate_for
    from domain.rates import load_rate_table

    table: RateTable = load_rate_table(Path(__file__).resolve().parents[2] / "data" / "rates")
    rate_for = b2b_rate_for(table, None)
    a = accrue(principal, start, start + timedelta(days=span), (), rate_for).total
    b = accrue(principal, start, start + timedelta(days=span + 1), (), rate_for).total
    assert b >= a


@given(amounts, days, spans, st.lists(st.tuples(spans, amounts), max_size=4))
def test_payments_never_create_money(principal: Decimal, start: date, span: int,
                                     raw: list[tuple[int, Decimal]]) -> None:
    end = start + timedelta(days=span)
    payments = [Payment(start + timedelta(days=min(d, span)), a) for d, a in raw]
    result = accrue(principal, start, end, payments, fixed_rate)
    paid = sum((p.amount for p in payments), Decimal(0))
    assert result.principal_due >= 0 and result.due >= 0 and result.overpaid >= 0
    # What was paid went to principal, to interest, or is reported as overpaid.
    assert (principal - result.principal_due) + result.paid + result.overpaid == paid


@given(days, spans)
def test_semester_pieces_cover_the_range_exactly(start: date, span: int) -> None:
    end = start + timedelta(days=span)
    pieces = split_by_semester(start, end)
    assert pieces[0][1] == start and pieces[-1][2] == end
    assert sum((b - a).days + 1 for _, a, b in pieces) == span + 1
    assert all(Semester.of(a) == s == Semester.of(b) for s, a, b in pieces)


@given(days, st.integers(min_value=1, max_value=20))
def test_add_years_keeps_the_calendar_date_or_28_february(day: date, years: int) -> None:
    later = add_years(day, years)
    assert later.year == day.year + years and later.month == day.month
    assert later.day == day.day or (day.month, day.day, later.day) == (2, 29, 28)
