"""Prescription (LEGAL.md §7), the 40 € indemnity (§5) and legal routes (§9–10)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.indemnity import RECOVERY_INDEMNITY, recovery_indemnity
from domain.parties import DebtorKind
from domain.prescription import prescription
from domain.routes import (
    Court,
    order_for_payment_court,
    small_claims,
    uncontested_commercial_claim,
)

PRO, CONSUMER = DebtorKind.PROFESSIONAL, DebtorKind.CONSUMER


def test_five_years_between_merchants_29_february_becomes_28() -> None:
    result = prescription(PRO, due=date(2024, 2, 29), invoice_date=date(2024, 1, 30),
                          delivery_date=date(2024, 1, 15), today=date(2026, 11, 23),
                          debtor_is_merchant=True, creditor_is_merchant=True)
    assert (result.years, result.article) == (5, "C. com. L110-4")
    assert result.end_from_due == date(2029, 2, 28)
    assert result.end_safe == date(2029, 1, 15)


def test_consumer_two_years() -> None:
    result = prescription(CONSUMER, due=date(2026, 1, 10), invoice_date=date(2025, 12, 10),
                          delivery_date=date(2025, 12, 1), today=date(2026, 11, 23))
    assert (result.years, result.article) == (2, "C. conso L218-2")
    assert (result.end_from_due, result.end_safe) == (date(2028, 1, 10), date(2027, 12, 1))


def test_road_freight_one_year_from_delivery() -> None:
    result = prescription(PRO, due=date(2026, 2, 15), invoice_date=date(2026, 1, 16),
                          delivery_date=date(2026, 1, 10), today=date(2026, 11, 23),
                          road_freight=True)
    assert (result.years, result.article) == (1, "C. com. L133-6")
    assert result.end_safe == date(2027, 1, 10)
    assert "prescription_near" in [n.code for n in result.notices]


def test_non_merchants_use_the_civil_code() -> None:
    result = prescription(PRO, due=date(2026, 2, 15), invoice_date=date(2026, 1, 16),
                          delivery_date=None, today=date(2026, 3, 1),
                          debtor_is_merchant=False, creditor_is_merchant=False)
    assert result.article == "C. civ. 2224"


def test_acknowledgment_restarts_a_full_period_notice_does_not() -> None:
    result = prescription(PRO, due=date(2021, 1, 31), invoice_date=date(2021, 1, 1),
                          delivery_date=date(2020, 12, 20), today=date(2026, 11, 23),
                          acknowledgments=[date(2024, 5, 2)],
                          formal_notice_date=date(2025, 1, 1))
    assert (result.end_from_due, result.end_safe) == (date(2029, 5, 2), date(2029, 5, 2))
    codes = [n.code for n in result.notices]
    assert "prescription_restarted" in codes and "notice_does_not_interrupt" in codes


def test_expired_is_reported_as_possible_never_as_a_verdict() -> None:
    result = prescription(CONSUMER, due=date(2022, 1, 31), invoice_date=date(2022, 1, 1),
                          delivery_date=date(2022, 1, 1), today=date(2026, 11, 23))
    notice = next(n for n in result.notices if n.code == "prescription_possibly_expired")
    assert notice.confidence.value == "MEDIUM"


@pytest.mark.parametrize(("debtor", "late", "insolvency", "expected"), [
    (PRO, True, None, RECOVERY_INDEMNITY),
    (PRO, False, None, Decimal("0.00")),
    (CONSUMER, True, None, Decimal("0.00")),
    (PRO, True, date(2026, 1, 1), Decimal("0.00")),
])
def test_indemnity(debtor: DebtorKind, late: bool, insolvency: date | None,
                   expected: Decimal) -> None:
    amount, _ = recovery_indemnity(debtor, due=date(2025, 6, 1), late=late,
                                   insolvency_date=insolvency)
    assert amount == expected


@pytest.mark.parametrize(("claim", "today", "creditor_m", "debtor_m", "eligible", "reason"), [
    ("4999.99", date(2026, 11, 23), False, True, True, "under_ceiling"),
    ("5000.00", date(2026, 11, 23), False, True, "borderline", "exactly_at_ceiling"),
    ("5000.01", date(2026, 11, 23), False, True, False, "over_ceiling"),
    ("1000.00", date(2026, 11, 23), True, True, False, "between_merchants_since_2026"),
    ("1000.00", date(2026, 3, 1), True, True, True, "under_ceiling"),  # before the 2026 law
    ("4500.00", date(2019, 6, 1), False, True, False, "over_ceiling"),  # 4 000 € until 2020
])
def test_small_claims(claim: str, today: date, creditor_m: bool, debtor_m: bool,
                      eligible: bool | str, reason: str) -> None:
    result = small_claims(Decimal(claim), PRO, today, creditor_is_merchant=creditor_m,
                          debtor_is_merchant=debtor_m)
    assert (result.eligible, result.reason) == (eligible, reason)


def test_small_claims_exclusion_between_merchants_is_medium() -> None:
    result = small_claims(Decimal("100"), PRO, date(2026, 11, 23), creditor_is_merchant=True,
                          debtor_is_merchant=True)
    assert result.notices[0].confidence.value == "MEDIUM"
    available, notices = uncontested_commercial_claim(date(2026, 11, 23), True, True)
    assert available and notices[0].confidence.value == "MEDIUM"
    assert uncontested_commercial_claim(date(2026, 11, 23), False, True)[0] is False


@pytest.mark.parametrize(("debtor", "creditor_m", "debtor_m", "court"), [
    (CONSUMER, True, None, Court.TRIBUNAL_JUDICIAIRE),
    (PRO, True, True, Court.TRIBUNAL_DE_COMMERCE),
    (PRO, False, True, Court.CHOICE),
    (PRO, True, False, Court.TRIBUNAL_JUDICIAIRE),
    (PRO, False, False, Court.TRIBUNAL_JUDICIAIRE),
])
def test_order_for_payment_court(debtor: DebtorKind, creditor_m: bool, debtor_m: bool | None,
                                 court: Court) -> None:
    assert order_for_payment_court(debtor, creditor_m, debtor_m)[0] is court


@pytest.mark.parametrize(("creditor_m", "debtor_m", "court", "said"), [
    (False, None, Court.CHOICE, [("court_assumes_merchants", {"who": "debtor"}),
                                 ("court_choice_mixed_act", {"debtor_assumed": "yes"})]),
    (None, None, Court.TRIBUNAL_DE_COMMERCE, [("court_assumes_merchants", {"who": "both"})]),
    (None, True, Court.TRIBUNAL_DE_COMMERCE, [("court_assumes_merchants",
                                               {"who": "creditor"})]),
    (None, False, Court.TRIBUNAL_JUDICIAIRE, []),  # a non-merchant client: nothing to assume
    (False, True, Court.CHOICE, [("court_choice_mixed_act", {"debtor_assumed": "no"})]),
])
def test_the_court_notices_assume_only_what_is_unknown(
        creditor_m: bool | None, debtor_m: bool | None, court: Court,
        said: list[tuple[str, dict[str, str]]]) -> None:
    """An owner who said they are not a merchant is never told "assuming you are one"."""
    found, notices = order_for_payment_court(PRO, creditor_m, debtor_m)
    assert found is court
    assert [(n.code, dict(n.params)) for n in notices] == said


def test_merchant_status_is_asked_only_when_it_could_matter() -> None:
    """Small claims are closed between two merchants: with one party known not to be a
    merchant, the other's status cannot close them, so the owner is not asked to confirm."""
    day = date(2026, 11, 23)
    asked = [[n.code for n in small_claims(Decimal("100"), PRO, day, creditor_is_merchant=c,
                                           debtor_is_merchant=d).notices]
             for c, d in ((False, None), (None, False), (True, None), (None, None))]
    assert asked == [[], [], ["confirm_merchant_status"], ["confirm_merchant_status"]]
