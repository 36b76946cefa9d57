"""Payment terms and the due date they give (C. com. L441-10 I, L441-11).

`parse_terms` reads the usual French and English wordings; `due_date` applies them and flags
terms beyond the legal caps — flagged, never rewritten (a term beyond the cap is still the
parties' due date for lateness; L441-16 fines the practice, LEGAL.md §1.5).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from domain.calendar import end_of_month
from domain.errors import InvalidInput, UnknownTerms
from domain.notices import Confidence, Notice

DEFAULT_TERM_DAYS = 30  # L441-10 I al. 1: 30th day after receipt of goods / execution
MAX_TERM_DAYS = 60  # L441-10 I al. 2: 60 days from the invoice date
MAX_EOM_DAYS = 45  # L441-10 I al. 2: or 45 days end of month, if expressly agreed
MAX_PERIODIC_DAYS = 45  # L441-10 I al. 3: periodic invoices (CGI 289 I-3)
MAX_TERMS_DAYS_ACCEPTED = 366  # anything longer is a typing error, not a term


class TermsKind(StrEnum):
    DAYS = "days"  # N jours date de facture
    DAYS_EOM = "days_eom"  # N jours fin de mois
    ON_RECEIPT = "on_receipt"  # à réception / comptant
    NONE = "none"  # no term stated: the legal default applies


class EomMethod(StrEnum):
    """The two readings of "45 jours fin de mois" the DGCCRF accepts (LEGAL.md §1.2)."""

    INVOICE_PLUS_DAYS_THEN_EOM = "invoice_plus_45_then_eom"
    EOM_THEN_PLUS_DAYS = "eom_then_plus_45"


class Sector(StrEnum):
    """Sectors with their own caps in C. com. L441-11 II."""

    TRANSPORT = "transport"  # 5°: road freight, vehicle rental, freight forwarding...
    PERISHABLE_FOOD = "perishable_food"  # 1°
    LIVE_CATTLE = "live_cattle"  # 2°
    ALCOHOL = "alcohol"  # 3°
    WINE_GRAPES = "wine_grapes"  # 4° (wording to verify: MEDIUM)


@dataclass(frozen=True)
class Terms:
    kind: TermsKind
    days: int = 0

    def __post_init__(self) -> None:
        if self.kind in (TermsKind.DAYS, TermsKind.DAYS_EOM) and not (
            0 <= self.days <= MAX_TERMS_DAYS_ACCEPTED
        ):
            raise InvalidInput("terms", "days_out_of_range", self.days)


@dataclass(frozen=True)
class DueDate:
    due: date
    method: str  # how it was obtained: "explicit", "days", an EomMethod value, ...
    notices: tuple[Notice, ...] = ()


def _fold(text: str) -> str:
    no_accents = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", no_accents.lower()).strip()


_RECEIPT = re.compile(r"^(paiement |payable |reglement )?(a|des|upon|on|due on) ?(la )?"
                      r"(reception|receipt)( de (la )?facture| of invoice)?$|^comptant$|"
                      r"^cash$|^immediate?$|^(paiement )?immediat$|^0 ?(j|jours?|days?)$")
_EOM = re.compile(r"^(?:net |a )?(\d{1,3}) ?(?:j|jrs?|jours?|days?)?,? ?(?:fin de mois|fdm|"
                  r"f\.d\.m\.?|end of month|eom)$|^(?:fin de mois|fdm|eom) ?\+? ?(\d{1,3}) ?"
                  r"(?:j|jours?|days?)?$")
_EOM_ALONE = re.compile(r"^(?:paiement |payable |reglement |a (?:la )?)?(?:fin de mois|fin du mois"
                        r"|fdm|end of (?:the )?month|eom)$")
_DAYS = re.compile(r"^(?:net |a )?(\d{1,3}) ?(?:j|jrs?|jours?|days?)(?: net)?(?: (?:date de|"
                   r"a compter de la date de|a date de|from|after)(?: la)? ?(?:facture|"
                   r"facturation|invoice(?: date)?|emission))?$|^net ?(\d{1,3})$")
_NONE = re.compile(r"^(aucun|aucune|sans|none|no terms?|pas de (delai|conditions?)|"
                   r"non (precise|indique)|-)$")


def parse_terms(raw: object) -> Terms:
    """Terms from text ("45 jours fin de mois", "30 jours", "à réception", "net 30") or from a
    mapping {"kind": ..., "days": ...}. Unknown wording raises `UnknownTerms`."""
    if isinstance(raw, dict):
        try:
            kind = TermsKind(str(raw.get("kind")))
        except ValueError:
            raise InvalidInput("terms.kind", "unknown_kind", raw.get("kind")) from None
        days = raw.get("days", 0)
        if isinstance(days, bool) or not isinstance(days, int):
            raise InvalidInput("terms.days", "not_an_integer", days)
        return Terms(kind, days)
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidInput("terms", "not_text", raw)
    text = _fold(raw)
    if _RECEIPT.match(text):
        return Terms(TermsKind.ON_RECEIPT)
    if _NONE.match(text):
        return Terms(TermsKind.NONE)
    if _EOM_ALONE.match(text):  # « paiement fin de mois »: the end of the invoice's month
        return Terms(TermsKind.DAYS_EOM, 0)
    if match := _EOM.match(text):
        return Terms(TermsKind.DAYS_EOM, int(match.group(1) or match.group(2)))
    if match := _DAYS.match(text):
        return Terms(TermsKind.DAYS, int(match.group(1) or match.group(2)))
    raise UnknownTerms(raw)


def eom_due_date(invoice_date: date, days: int, method: EomMethod) -> date:
    """"N jours fin de mois" (DGCCRF, LEGAL.md §1.2): invoice + N days then end of that month,
    or end of the invoice's month then + N days."""
    if method is EomMethod.INVOICE_PLUS_DAYS_THEN_EOM:
        return end_of_month(invoice_date + timedelta(days=days))
    return end_of_month(invoice_date) + timedelta(days=days)


def due_date(
    invoice_date: date,
    *,
    terms: Terms | None = None,
    explicit_due: date | None = None,
    delivery_date: date | None = None,
    eom_method: EomMethod | None = None,
    professional_debtor: bool = True,
    periodic: bool = False,
    sector: Sector | None = None,
) -> DueDate:
    """The due date of an invoice (C. com. L441-10 I).

    An explicit due date wins over terms. "Fin de mois" terms use `eom_method`, or by default
    the earlier of the two accepted readings, and say which one was used. With no term, the
    legal default is the 30th day after delivery / execution (L441-10 I al. 1); with only the
    invoice date known it is used instead, with a warning. Caps of L441-10 I and L441-11 are
    checked for professional debtors and reported as notices.
    """
    notices: list[Notice] = []
    if explicit_due is not None:
        if explicit_due < invoice_date:
            raise InvalidInput("due_date", "before_invoice_date", explicit_due.isoformat())
        result, method = explicit_due, "explicit"
    elif terms is None or terms.kind is TermsKind.NONE:
        start = delivery_date or invoice_date
        if delivery_date is None:
            notices.append(Notice("no_term_invoice_date_fallback", Confidence.HIGH,
                                  {"days": str(DEFAULT_TERM_DAYS)}))
        result, method = start + timedelta(days=DEFAULT_TERM_DAYS), "legal_default_30_days"
    elif terms.kind is TermsKind.ON_RECEIPT:
        # Receipt date unknown: the invoice date is the conservative reading (LEGAL.md §12.1).
        result, method = invoice_date, "on_receipt"
    elif terms.kind is TermsKind.DAYS:
        result, method = invoice_date + timedelta(days=terms.days), "days"
    else:
        readings = {m: eom_due_date(invoice_date, terms.days, m) for m in EomMethod}
        chosen = eom_method or min(readings, key=lambda m: (readings[m], m.value))
        result, method = readings[chosen], chosen.value
        if eom_method is None and len(set(readings.values())) > 1:
            other = next(m for m in EomMethod if m is not chosen)
            notices.append(Notice("eom_method_assumed", Confidence.HIGH, {
                "method": chosen.value, "other_method": other.value,
                "other_date": readings[other].isoformat()}))
    if professional_debtor:
        notices.extend(cap_notices(invoice_date, result, terms, delivery_date, periodic, sector))
    return DueDate(result, method, tuple(notices))


def cap_notices(
    invoice_date: date,
    due: date,
    terms: Terms | None,
    delivery_date: date | None,
    periodic: bool,
    sector: Sector | None,
) -> list[Notice]:
    """Warnings for terms beyond the legal maxima (L441-10 I, L441-11 II)."""
    notices: list[Notice] = []
    limit_60 = invoice_date + timedelta(days=MAX_TERM_DAYS)
    if terms is not None and terms.kind is TermsKind.DAYS_EOM:
        if terms.days > MAX_EOM_DAYS:
            notices.append(Notice("cap_eom_exceeded", Confidence.HIGH, {
                "days": str(terms.days)}))
    elif due > limit_60:
        limit_eom = max(eom_due_date(invoice_date, MAX_EOM_DAYS, m) for m in EomMethod)
        code = "cap_60_exceeded" if due > limit_eom else "cap_60_exceeded_eom_possible"
        notices.append(Notice(code, Confidence.HIGH, {"limit": limit_60.isoformat()}))
    if periodic and due > invoice_date + timedelta(days=MAX_PERIODIC_DAYS):
        notices.append(Notice("cap_periodic_exceeded", Confidence.HIGH, {
            "limit": (invoice_date + timedelta(days=MAX_PERIODIC_DAYS)).isoformat()}))
    if sector is not None:
        notices.extend(_sector_notices(invoice_date, due, delivery_date, sector))
    return notices


def _sector_notices(
    invoice_date: date, due: date, delivery_date: date | None, sector: Sector
) -> list[Notice]:
    """C. com. L441-11 II, version in force since 1 Jan 2024."""
    if sector is Sector.WINE_GRAPES:
        return [Notice("sector_cap_to_verify", Confidence.MEDIUM, {"sector": sector.value})]
    if sector is Sector.TRANSPORT:  # 5°: 30 days after the invoice date
        limit: date | None = invoice_date + timedelta(days=30)
    elif delivery_date is None:
        return [Notice("sector_cap_needs_delivery_date", Confidence.HIGH,
                       {"sector": sector.value})]
    elif sector is Sector.PERISHABLE_FOOD:  # 1°: 30 days after delivery
        limit = delivery_date + timedelta(days=30)
    elif sector is Sector.LIVE_CATTLE:  # 2°: 20 days after the day of delivery
        limit = delivery_date + timedelta(days=20)
    else:  # 3° alcohol: 30 days after the end of the month of delivery
        limit = end_of_month(delivery_date) + timedelta(days=30)
    if limit is not None and due > limit:
        return [Notice("sector_cap_exceeded", Confidence.HIGH,
                       {"sector": sector.value, "limit": limit.isoformat()})]
    return []
