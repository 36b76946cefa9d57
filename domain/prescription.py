"""Prescription: how long the creditor has to act (LEGAL.md §7).

5 years between or with merchants (C. com. L110-4 I) and in civil law (C. civ. 2224);
2 years against a consumer (C. conso L218-2); 1 year for a contract of carriage of goods,
from delivery (C. com. L133-6). An acknowledgment by the debtor (written promise, partial
payment) starts a new full period (C. civ. 2240, 2231); a mise en demeure does not
(Cass. com. 18/05/2022 n° 20-23.204). The last day to act is the same calendar date N years
later (C. civ. 2228-2229; 29 February → 28 February)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from domain.calendar import add_years
from domain.notices import Confidence, Notice
from domain.parties import DebtorKind

YEARS_COMMERCIAL = 5  # C. com. L110-4 I / C. civ. 2224
YEARS_CONSUMER = 2  # C. conso L218-2
YEARS_CARRIAGE = 1  # C. com. L133-6


@dataclass(frozen=True)
class Prescription:
    years: int
    end_from_due: date  # counted from the due date (C. civ. 2233 3°, reasoned reading)
    end_safe: date  # the earlier end, counted from delivery / completion of the service
    article: str
    notices: tuple[Notice, ...] = ()


def prescription(
    debtor: DebtorKind,
    *,
    due: date,
    invoice_date: date,
    delivery_date: date | None,
    today: date,
    debtor_is_merchant: bool | None = None,
    creditor_is_merchant: bool | None = None,
    road_freight: bool = False,
    acknowledgments: Sequence[date] = (),
    formal_notice_date: date | None = None,
) -> Prescription:
    """Both ends of the limitation period; the earlier ("safe") one is the one to act by."""
    notices: list[Notice] = []
    if debtor is DebtorKind.CONSUMER:
        years, article = YEARS_CONSUMER, "C. conso L218-2"
    elif road_freight:
        years, article = YEARS_CARRIAGE, "C. com. L133-6"
    elif debtor_is_merchant or creditor_is_merchant:
        years, article = YEARS_COMMERCIAL, "C. com. L110-4"
    elif debtor_is_merchant is False and creditor_is_merchant is False:
        years, article = YEARS_COMMERCIAL, "C. civ. 2224"
    else:
        years, article = YEARS_COMMERCIAL, "C. com. L110-4 / C. civ. 2224"
    start_safe = delivery_date or invoice_date
    if delivery_date is None:
        notices.append(Notice("prescription_invoice_date_as_delivery", Confidence.MEDIUM))
    start_due = start_safe if road_freight else due
    last_ack = max((d for d in acknowledgments if d <= today), default=None)
    if last_ack is not None:
        start_due, start_safe = max(start_due, last_ack), max(start_safe, last_ack)
        notices.append(Notice("prescription_restarted", Confidence.MEDIUM,
                              {"acknowledged_on": last_ack.isoformat()}))
    if formal_notice_date is not None:
        notices.append(Notice("notice_does_not_interrupt", Confidence.HIGH))
    end_from_due, end_safe = add_years(start_due, years), add_years(start_safe, years)
    end_safe = min(end_safe, end_from_due)
    if today > end_safe:
        notices.append(Notice("prescription_possibly_expired", Confidence.MEDIUM,
                              {"end_safe": end_safe.isoformat()}))
    elif (end_safe - today).days <= 183:
        notices.append(Notice("prescription_near", Confidence.HIGH, {
            "end_safe": end_safe.isoformat(), "days_left": str((end_safe - today).days)}))
    return Prescription(years, end_from_due, end_safe, article, tuple(notices))
