"""Indemnité forfaitaire pour frais de recouvrement (C. com. L441-10 II al. 2, D441-5)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.money import ZERO
from domain.notices import Confidence, Notice
from domain.parties import DebtorKind

RECOVERY_INDEMNITY = Decimal("40.00")  # D441-5 (décret n° 2012-1115, current text 2021-211)


def recovery_indemnity(
    debtor: DebtorKind,
    *,
    due: date,
    late: bool,
    insolvency_date: date | None = None,
) -> tuple[Decimal, tuple[Notice, ...]]:
    """40 € per invoice paid late, owed de plein droit by a professional debtor from the first
    day of delay (L441-10 II). Never for a consumer (L441-10 is B2B; CPCE L111-8 al. 2 leaves
    recovery costs with the creditor). None once collective proceedings are open: for a due
    date on or after the opening judgment the text excludes it; for an invoice already late
    before it, declaring it is a third-party reading only (LOW), so it is not counted."""
    if debtor is DebtorKind.CONSUMER:
        return ZERO, (Notice("no_indemnity_consumer", Confidence.HIGH),)
    if not late:
        return ZERO, ()
    if insolvency_date is not None:
        if due < insolvency_date:
            return ZERO, (Notice("insolvency_indemnity_maybe_declarable", Confidence.LOW,
                                 {"insolvency_date": insolvency_date.isoformat()}),)
        return ZERO, (Notice("insolvency_no_indemnity", Confidence.HIGH,
                             {"insolvency_date": insolvency_date.isoformat()}),)
    return RECOVERY_INDEMNITY, ()
