"""Late-payment penalties (C. com. L441-10 II) and legal interest (C. civ. 1231-6, 1344-1).

Conventions (LEGAL.md §2 and §12): simple interest on the amount TTC, actual days / 365,
each day at the rate of the half-year containing it, every day d with start < d ≤ end
counted, each half-year segment rounded half-up to the cent. Partial payments are imputed
first on accrued interest (C. civ. 1343-1), or principal first as the alternative reading.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from domain.calendar import Semester, split_by_semester
from domain.money import ZERO, to_cents
from domain.notices import Confidence, Notice
from domain.rates import RateTable

DAYS_IN_YEAR = Decimal(365)  # ACT/365 fixed (practice: eyschen-avocat, facturation.pro)


class Imputation(StrEnum):
    """Order in which a partial payment settles what is owed."""

    INTEREST_FIRST = "interest_first"  # C. civ. 1343-1 (MEDIUM for L441-10 penalties)
    PRINCIPAL_FIRST = "principal_first"


class Basis(StrEnum):
    DEFAULT_RATE = "default_rate"  # ECB + 10 points, L441-10 II
    CONTRACT_RATE = "contract_rate"  # the agreed rate, valid when ≥ 3 × taux légal
    LEGAL_RATE = "legal_rate"  # taux de l'intérêt légal, C. civ. 1231-6 (consumers)
    NONE = "none"


@dataclass(frozen=True)
class Payment:
    on: date
    amount: Decimal


@dataclass(frozen=True)
class Segment:
    semester: str
    start: date
    end: date
    days: int
    rate: Decimal
    principal: Decimal
    amount: Decimal
    basis: Basis


@dataclass(frozen=True)
class Interest:
    """What accrued, what the payments settled, and what remains."""

    segments: tuple[Segment, ...]
    total: Decimal  # interest accrued over the whole period
    paid: Decimal  # part of it settled by payments
    principal_due: Decimal
    overpaid: Decimal
    basis: Basis
    notices: tuple[Notice, ...] = ()

    @property
    def due(self) -> Decimal:
        return self.total - self.paid


RateChoice = tuple[Decimal, Basis, tuple[Notice, ...]]
RateFor = Callable[[Semester], RateChoice]


def simple_interest(principal: Decimal, days: int, rate_percent: Decimal) -> Decimal:
    """principal × days × rate / (365 × 100), rounded to the cent (LEGAL.md §2.6)."""
    return to_cents(principal * days * rate_percent / (DAYS_IN_YEAR * 100))


def accrue(
    principal: Decimal,
    start: date,
    end: date,
    payments: Sequence[Payment],
    rate_for: RateFor,
    imputation: Imputation = Imputation.INTEREST_FIRST,
) -> Interest:
    """Interest on `principal` for every day d with start < d ≤ end, payments applied on their
    date (the payment day still bears interest on the former balance)."""
    segments: list[Segment] = []
    notices: dict[tuple[str, str], Notice] = {}
    unpaid_interest, paid_interest, overpaid = ZERO, ZERO, ZERO

    def run(first: date, last: date) -> None:
        nonlocal unpaid_interest
        if first > last or principal <= 0:
            return
        for semester, piece_start, piece_end in split_by_semester(first, last):
            rate, basis, rate_notices = rate_for(semester)
            for notice in rate_notices:
                notices.setdefault((notice.code, notice.params.get("semester", "")), notice)
            days = (piece_end - piece_start).days + 1
            amount = simple_interest(principal, days, rate)
            segments.append(Segment(semester.label, piece_start, piece_end, days, rate,
                                    principal, amount, basis))
            unpaid_interest += amount

    cursor = start + timedelta(days=1)
    for payment in sorted(payments, key=lambda p: p.on):
        if payment.on >= cursor:
            run(cursor, min(payment.on, end))
            cursor = max(cursor, min(payment.on, end) + timedelta(days=1))
        remaining = payment.amount
        if imputation is Imputation.INTEREST_FIRST:
            settled = min(remaining, unpaid_interest)
            unpaid_interest, paid_interest, remaining = (
                unpaid_interest - settled, paid_interest + settled, remaining - settled)
        to_principal = min(remaining, principal)
        principal, remaining = principal - to_principal, remaining - to_principal
        settled = min(remaining, unpaid_interest)
        unpaid_interest, paid_interest = unpaid_interest - settled, paid_interest + settled
        overpaid += remaining - settled
    run(cursor, end)
    total = sum((s.amount for s in segments), ZERO)
    basis = segments[0].basis if segments else Basis.NONE
    if len({s.basis for s in segments}) > 1:
        basis = Basis.DEFAULT_RATE
    return Interest(tuple(segments), total, paid_interest, principal, overpaid, basis,
                    tuple(notices.values()))


def b2b_rate_for(table: RateTable, contract_rate: Decimal | None) -> RateFor:
    """Rate per half-year for L441-10 penalties: the contract rate when it reaches the floor
    of 3 × taux légal for that half-year, else the default ECB + 10 points with a warning
    (the consequence of a clause below the floor is not settled: MEDIUM)."""

    def rate_for(semester: Semester) -> RateChoice:
        default = table.default_penalty_rate(semester)
        if contract_rate is None:
            return default.rate, Basis.DEFAULT_RATE, default.notices
        floor = table.contract_floor(semester)
        if contract_rate >= floor.rate:
            return contract_rate, Basis.CONTRACT_RATE, floor.notices
        below = Notice("contract_rate_below_floor", Confidence.MEDIUM, {
            "semester": semester.label, "contract_rate": str(contract_rate),
            "floor": str(floor.rate), "used": str(default.rate)})
        return default.rate, Basis.DEFAULT_RATE, (*default.notices, *floor.notices, below)

    return rate_for


def legal_rate_for(table: RateTable) -> RateFor:
    """Taux de l'intérêt légal, "autres cas" column: the creditor is a business (LEGAL.md §6)."""

    def rate_for(semester: Semester) -> RateChoice:
        legal = table.legal_rate(semester)
        return legal.rate, Basis.LEGAL_RATE, legal.notices

    return rate_for
