"""Due dates from payment terms (C. com. L441-10 I, L441-11) — cases from LEGAL.md §1."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import InvalidInput, UnknownTerms
from domain.terms import EomMethod, Sector, Terms, TermsKind, due_date, parse_terms

A, B = EomMethod.INVOICE_PLUS_DAYS_THEN_EOM, EomMethod.EOM_THEN_PLUS_DAYS


@pytest.mark.parametrize(("text", "kind", "days"), [
    ("45 jours fin de mois", TermsKind.DAYS_EOM, 45),
    ("45j FDM", TermsKind.DAYS_EOM, 45),
    ("fin de mois + 45 jours", TermsKind.DAYS_EOM, 45),
    ("45 days end of month", TermsKind.DAYS_EOM, 45),
    ("30 jours", TermsKind.DAYS, 30),
    ("30 jours date de facture", TermsKind.DAYS, 30),
    ("60 jours net", TermsKind.DAYS, 60),
    ("net 30", TermsKind.DAYS, 30),
    ("30 days", TermsKind.DAYS, 30),
    ("à réception", TermsKind.ON_RECEIPT, 0),
    ("Paiement à réception de facture", TermsKind.ON_RECEIPT, 0),
    ("comptant", TermsKind.ON_RECEIPT, 0),
    ("upon receipt", TermsKind.ON_RECEIPT, 0),
    ("aucun", TermsKind.NONE, 0),
])
def test_parse_terms(text: str, kind: TermsKind, days: int) -> None:
    assert parse_terms(text) == Terms(kind, days)


@pytest.mark.parametrize("text", ["dans pas longtemps", "abc", "45 fin", "999 jours"])
def test_unknown_or_absurd_terms_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_terms(text)


def test_unknown_terms_error_names_the_field() -> None:
    with pytest.raises(UnknownTerms) as err:
        parse_terms("quand il veut")
    assert err.value.field == "terms"


@pytest.mark.parametrize(("invoice", "method", "expected"), [
    # LEGAL.md §1.2, DGCCRF's two accepted methods, leap and common years.
    (date(2024, 1, 15), A, date(2024, 2, 29)),
    (date(2025, 1, 15), A, date(2025, 3, 31)),
    (date(2024, 1, 15), B, date(2024, 3, 16)),
    (date(2025, 1, 15), B, date(2025, 3, 17)),
])
def test_45_days_end_of_month_both_methods(invoice: date, method: EomMethod,
                                           expected: date) -> None:
    result = due_date(invoice, terms=Terms(TermsKind.DAYS_EOM, 45), eom_method=method)
    assert result.due == expected
    assert result.method == method.value
    assert not [n for n in result.notices if n.code.startswith("cap_")]


@pytest.mark.parametrize(("invoice", "expected", "method"), [
    (date(2024, 1, 15), date(2024, 2, 29), A),  # A is earlier in 2024
    (date(2025, 1, 15), date(2025, 3, 17), B),  # B is earlier in 2025
])
def test_default_eom_method_is_the_earlier_date_and_says_so(invoice: date, expected: date,
                                                           method: EomMethod) -> None:
    result = due_date(invoice, terms=parse_terms("45 jours fin de mois"))
    assert (result.due, result.method) == (expected, method.value)
    assert result.notices[0].code == "eom_method_assumed"


def test_explicit_due_date_wins_over_terms() -> None:
    result = due_date(date(2026, 1, 10), terms=Terms(TermsKind.DAYS, 30),
                      explicit_due=date(2026, 1, 20))
    assert (result.due, result.method) == (date(2026, 1, 20), "explicit")


def test_due_date_before_invoice_date_is_an_error() -> None:
    with pytest.raises(InvalidInput) as err:
        due_date(date(2026, 1, 10), explicit_due=date(2026, 1, 5))
    assert err.value.field == "due_date"


def test_on_receipt_is_the_invoice_date() -> None:
    assert due_date(date(2026, 3, 3), terms=Terms(TermsKind.ON_RECEIPT)).due == date(2026, 3, 3)


def test_no_term_is_30_days_after_delivery() -> None:
    result = due_date(date(2026, 3, 20), delivery_date=date(2026, 3, 1))
    assert result.due == date(2026, 3, 31)
    assert not result.notices


def test_no_term_without_delivery_falls_back_on_invoice_date_with_a_warning() -> None:
    result = due_date(date(2026, 3, 20))
    assert result.due == date(2026, 4, 19)
    assert [n.code for n in result.notices] == ["no_term_invoice_date_fallback"]


@pytest.mark.parametrize(("terms", "code"), [
    ("90 jours", "cap_60_exceeded"),
    ("60 jours fin de mois", "cap_eom_exceeded"),
])
def test_caps_are_flagged_never_rewritten(terms: str, code: str) -> None:
    parsed = parse_terms(terms)
    result = due_date(date(2026, 1, 10), terms=parsed)
    assert code in [n.code for n in result.notices]
    assert result.due > date(2026, 3, 11)  # the contractual date is kept


def test_61_days_is_only_allowed_as_45_days_end_of_month() -> None:
    result = due_date(date(2026, 1, 10), explicit_due=date(2026, 3, 12))
    assert [n.code for n in result.notices] == ["cap_60_exceeded_eom_possible"]


def test_periodic_invoice_cap_is_45_days() -> None:
    result = due_date(date(2026, 1, 10), terms=parse_terms("50 jours"), periodic=True)
    assert "cap_periodic_exceeded" in [n.code for n in result.notices]


@pytest.mark.parametrize(("sector", "delivery", "terms", "flagged"), [
    (Sector.TRANSPORT, None, "45 jours", True),  # L441-11 II 5°: 30 days from invoice
    (Sector.TRANSPORT, None, "30 jours", False),
    (Sector.PERISHABLE_FOOD, date(2026, 1, 5), "40 jours", True),  # 1°: 30 days after delivery
    (Sector.LIVE_CATTLE, date(2026, 1, 8), "20 jours", True),  # 2°: 20 days after delivery
    (Sector.LIVE_CATTLE, date(2026, 1, 10), "20 jours", False),
    (Sector.ALCOHOL, date(2026, 1, 10), "45 jours", False),  # 3°: 30 days after end of month
    (Sector.ALCOHOL, date(2026, 1, 10), "60 jours", True),
])
def test_sector_caps(sector: Sector, delivery: date | None, terms: str, flagged: bool) -> None:
    result = due_date(date(2026, 1, 10), terms=parse_terms(terms), delivery_date=delivery,
                      sector=sector)
    assert ("sector_cap_exceeded" in [n.code for n in result.notices]) is flagged


def test_consumer_debtor_gets_no_b2b_cap_warning() -> None:
    result = due_date(date(2026, 1, 10), terms=parse_terms("90 jours"), professional_debtor=False)
    assert not result.notices
