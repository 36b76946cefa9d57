"""Payment terms said in passing, and which date is the invoice's and which its due date."""

from __future__ import annotations

from datetime import date

import pytest

from bot.nlu.entities.terms import date_role, extract_terms
from domain.terms import TermsKind, parse_terms


@pytest.mark.parametrize(("text", "kind", "days"), [
    ("facture du 2 septembre, payable à 30 jours", TermsKind.DAYS, 30),
    ("à 45 jours fin de mois", TermsKind.DAYS_EOM, 45),
    ("45j fdm", TermsKind.DAYS_EOM, 45),
    ("paiement à réception", TermsKind.ON_RECEIPT, 0),
    ("net 30", TermsKind.DAYS, 30),
    # "in"/"dans" after payable or payment: terms from the invoice, not a delay from today
    # (« dated 1 September, payable in 30 days » had become due on today + 30).
    ("invoice dated 1 September, payable in 30 days", TermsKind.DAYS, 30),
    ("facture du 2 septembre, paiement dans 45 jours", TermsKind.DAYS, 45),
    ("paiement fin de mois", TermsKind.DAYS_EOM, 0),  # the end of the invoice's month
    ("fdm", TermsKind.DAYS_EOM, 0),
])
def test_terms_are_found_and_understood_by_the_legal_core(text: str, kind: TermsKind,
                                                          days: int) -> None:
    [found] = extract_terms(text)
    terms = parse_terms(found.value)
    assert (terms.kind, terms.days) == (kind, days)


@pytest.mark.parametrize("text", ["il paiera dans 10 jours", "en retard depuis 30 jours",
                                  "rappelle-moi in 3 days", "he will pay in 10 days",
                                  "il paiera fin du mois"])  # a date: the end of this month
def test_a_delay_is_not_a_payment_term(text: str) -> None:
    assert extract_terms(text) == []


@pytest.mark.parametrize(("text", "said", "role"), [
    ("facture F-1 du 02/09/2026", "02/09/2026", "issued"),
    ("invoice dated 2 September", "2 September", "issued"),
    ("échue le 15/10", "15/10", "due"),
    ("échéance 15/10", "15/10", "due"),
    ("payable avant le 15/10", "15/10", "due"),
    ("Dupont 500 € le 15/10", "15/10", None),
])
def test_date_roles(text: str, said: str, role: str | None) -> None:
    assert date_role(text, text.index(said)) == role


def test_one_liner_fills_invoice_date_and_terms(nlu_model: object) -> None:
    parse = nlu_model.parse("facture FA-31 Garage Martin 2 380 € du 2 septembre, payable à 30 jours",  # type: ignore[attr-defined]
                      date(2026, 11, 23), [], "any")
    got = {(e["entity"], e.get("role")): e["value"] for e in parse["entities"]}
    assert got[("date", "issued")] == "2026-09-02"
    assert got[("terms", None)] == "a 30 jours"
