"""Reading what the owner typed into a form slot (the NLU has already resolved entities)."""

from __future__ import annotations

import re
from datetime import date

from domain.errors import InvalidInput
from domain.terms import Terms, TermsKind, due_date, parse_terms

_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\s*$")


def as_date(raw: object) -> date | None:
    """An ISO date (from the NLU) or a full dd/mm/yyyy typed by hand; None otherwise."""
    if raw is None:
        return None
    text = str(raw).strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    match = _DMY.match(text)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    year = year + 2000 if year < 100 else year
    try:
        return date(year, month, day)
    except ValueError:
        return None


def due_from_answer(raw: object, invoice_date: date) -> tuple[date, str | None] | None:
    """The due date from a date or from payment terms ("30 jours", "à réception")."""
    explicit = as_date(raw)
    if explicit is not None:
        return (explicit, None) if explicit >= invoice_date else None
    try:
        terms: Terms = parse_terms(str(raw))
    except InvalidInput:
        return None
    result = due_date(invoice_date, terms=terms if terms.kind is not TermsKind.NONE else None)
    return result.due, str(raw).strip()[:80]


KIND_WORDS = {
    "professional": ("pro", "professionnel", "entreprise", "societe", "société", "sarl", "sas",
                     "professional", "business", "company"),
    "consumer": ("particulier", "perso", "consommateur", "consumer", "individual", "private"),
}
STEP_WORDS = {
    "none": ("rien", "aucun", "aucune", "nothing", "none", "non", "no", "pas encore"),
    "friendly_call": ("appel", "appelé", "appele", "téléphone", "telephone", "call", "called"),
    "first_reminder": ("email", "mail", "e-mail", "relance écrite", "courriel"),
    "formal_notice": ("lettre", "recommandé", "recommande", "mise en demeure", "letter"),
}


def pick(raw: object, table: dict[str, tuple[str, ...]]) -> str | None:
    """The key of `table` whose words appear in the answer, or the key itself."""
    text = str(raw or "").strip().lower()
    if text in table:
        return text
    for key, words in table.items():
        if any(re.search(rf"\b{re.escape(w)}\b", text) for w in words):
            return key
    return None


MERCHANT_WORDS = {
    "yes": ("oui", "yes", "commerçant", "commercant", "société", "societe", "rcs"),
    "no": ("non", "no", "artisan", "libéral", "liberal", "association", "particulier"),
    "unknown": ("je ne sais pas", "sais pas", "jsp", "don't know", "dont know", "unknown"),
}


def merchant_answer(raw: object) -> str | None:
    """"yes", "no" or "unknown" (kept as None in the ledger: the law's reading is then
    the common case, and the answer says it assumed it)."""
    return pick(raw, MERCHANT_WORDS)
