"""Legal routes after the amicable steps (LEGAL.md §9–10).

- Procédure simplifiée de recouvrement des petites créances (CPCE L125-1, R125-1 s.): claim in
  principal and interest under 5 000 € (décret n° 2019-1333); since the loi du 23 avril 2026,
  not for claims invoiced between merchants (MEDIUM).
- Recouvrement des créances commerciales incontestées (CPCE L126-1 to L126-5, loi du
  23 avril 2026): invoiced between merchants, no ceiling (MEDIUM).
- Injonction de payer (CPC 1405 s.), before the tribunal de commerce between merchants, the
  tribunal judiciaire for consumers and non-merchant professionals; a non-merchant creditor
  may choose against a merchant debtor (CPC 1406; C. com. L721-3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from domain.notices import Confidence, Notice
from domain.parties import DebtorKind

SMALL_CLAIMS_CEILING = Decimal("5000.00")  # décret n° 2019-1333, since 1 Jan 2020
SMALL_CLAIMS_OLD_CEILING = Decimal("4000.00")  # décret n° 2016-285, 1 Jun 2016 – 31 Dec 2019
SMALL_CLAIMS_CEILING_RAISED = date(2020, 1, 1)
LOI_23_AVRIL_2026 = date(2026, 4, 25)  # approximate cut-over (publication) — MEDIUM


class Court(StrEnum):
    TRIBUNAL_DE_COMMERCE = "tribunal de commerce"
    TRIBUNAL_JUDICIAIRE = "tribunal judiciaire"
    CHOICE = "choice"


@dataclass(frozen=True)
class SmallClaims:
    eligible: bool | str  # True, False or "borderline"
    reason: str  # a stable code; the wording comes from a template
    notices: tuple[Notice, ...] = ()


def both_merchants(creditor_is_merchant: bool | None, debtor_is_merchant: bool | None) -> bool:
    return bool(creditor_is_merchant) and bool(debtor_is_merchant)


def small_claims(
    claim: Decimal,
    debtor: DebtorKind,
    today: date,
    *,
    creditor_is_merchant: bool | None,
    debtor_is_merchant: bool | None,
) -> SmallClaims:
    """Eligibility for L125-1. `claim` is principal + interest (the 40 € is not interest)."""
    ceiling = SMALL_CLAIMS_CEILING if today >= SMALL_CLAIMS_CEILING_RAISED else (
        SMALL_CLAIMS_OLD_CEILING)
    notices: list[Notice] = []
    if (debtor is DebtorKind.PROFESSIONAL and today >= LOI_23_AVRIL_2026
            and both_merchants(creditor_is_merchant, debtor_is_merchant)):
        return SmallClaims(False, "between_merchants_since_2026", (
            Notice("small_claims_merchants_excluded", Confidence.MEDIUM),))
    parties = (creditor_is_merchant, debtor_is_merchant)
    if (debtor is DebtorKind.PROFESSIONAL and today >= LOI_23_AVRIL_2026 and None in parties
            and False not in parties):  # one known non-merchant: never "between merchants"
        notices.append(Notice("confirm_merchant_status", Confidence.MEDIUM))
    if claim < ceiling:
        return SmallClaims(True, "under_ceiling", tuple(notices))
    if claim == ceiling:
        notices.append(Notice("small_claims_borderline", Confidence.LOW,
                              {"ceiling": str(ceiling)}))
        return SmallClaims("borderline", "exactly_at_ceiling", tuple(notices))
    return SmallClaims(False, "over_ceiling", tuple(notices))


def uncontested_commercial_claim(
    today: date, creditor_is_merchant: bool | None, debtor_is_merchant: bool | None
) -> tuple[bool, tuple[Notice, ...]]:
    """Whether the new L126-1 procedure is open (MEDIUM on its details)."""
    if today >= LOI_23_AVRIL_2026 and both_merchants(creditor_is_merchant, debtor_is_merchant):
        return True, (Notice("l126_available", Confidence.MEDIUM),)
    return False, ()


def order_for_payment_court(
    debtor: DebtorKind, creditor_is_merchant: bool | None, debtor_is_merchant: bool | None
) -> tuple[Court, tuple[Notice, ...]]:
    """The court for an injonction de payer (CPC 1406), by the parties' qualities. An unknown
    merchant status is read as the common case and the user is asked to confirm."""
    if debtor is DebtorKind.CONSUMER:
        return Court.TRIBUNAL_JUDICIAIRE, ()
    notices: list[Notice] = []
    if debtor_is_merchant is False:
        return Court.TRIBUNAL_JUDICIAIRE, ()
    # Only what is unknown is assumed, and the notice says which (the owner's own status is
    # often known when the client's is not).
    if debtor_is_merchant is None or creditor_is_merchant is None:
        who = "both" if debtor_is_merchant is None and creditor_is_merchant is None else (
            "debtor" if debtor_is_merchant is None else "creditor")
        notices.append(Notice("court_assumes_merchants", Confidence.MEDIUM, {"who": who}))
    if creditor_is_merchant is False:
        return Court.CHOICE, (*notices, Notice("court_choice_mixed_act", Confidence.MEDIUM, {
            "debtor_assumed": "yes" if debtor_is_merchant is None else "no"}))
    return Court.TRIBUNAL_DE_COMMERCE, tuple(notices)


# Documents to gather (CPC 1407: requête with the breakdown of the claim and its grounds,
# bordereau des pièces). Codes: the wording of each lives in the templates.
DOCUMENTS_ORDER_FOR_PAYMENT = (
    "contract_or_signed_quote", "purchase_order", "invoices", "delivery_notes",
    "terms_of_sale", "formal_notice_and_proof", "account_statement", "claim_breakdown",
    "exchanges_with_debtor",
)
DOCUMENTS_SMALL_CLAIMS = (
    "invoices", "contract_or_signed_quote", "formal_notice_and_proof", "claim_breakdown",
    "debtor_contact_details",
)
DOCUMENTS_UNCONTESTED = (
    "invoices", "contract_or_signed_quote", "terms_of_sale", "claim_breakdown",
    "debtor_registration_details",
)
