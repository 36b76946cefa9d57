"""Payment terms said in passing ("à 30 jours", "45 jours fin de mois", "à réception"), and
the role of a date: the invoice's own date ("facture du 2 septembre") or its due date
("échue le 15/10")."""

from __future__ import annotations

import re

from bot.nlu.entities import Entity
from bot.nlu.text import fold

EXTRACTOR = "RelanceTerms"
_TERMS = re.compile(
    r"\b(?:(?:payable |paiement |reglement )?a |net )?\d{1,3} ?(?:j|jrs?|jours?|days?)\b"
    r"(?: ?(?:fin de mois|fdm|end of month|eom))?|\b(?:paiement |payable )?(?:a|upon|on) "
    r"(?:la )?(?:reception|receipt)\b|\bcomptant\b|\bnet ?\d{1,3}\b|\b\d{1,3} ?(?:j|jours|days)"
    r" ?(?:fin de mois|fdm)\b|\b(?:(?:paiement|payable|reglement) )?(?:a )?(?:fin de mois|fdm)\b")
# (« fin de mois » alone is the invoicing term, end of the invoice's month; « fin du mois »
# is a date, the end of this month: « il paiera fin du mois ».)
# Cue words just before a date, folded (no accents, lower case).
ISSUED_CUES = re.compile(r"(?:\bdu|\bdatee? du|\bemise? le|\bfaite le|\bdated|\bissued(?: on)?"
                         r"|\bof)\s*$")
DUE_CUES = re.compile(r"(?:\bechue?s? (?:le|depuis le|au)|\becheance(?: le| au| :)?|\bdue"
                      r"(?: on| date)?|\bpayable (?:le|avant le|au)|\bavant le|\bexpired?)\s*$")


_DELAY = re.compile(r"\b(?:dans|in|depuis)\s*$")
# "payable in 30 days", "paiement dans 30 jours": terms (counted from the invoice), where a
# bare "dans 30 jours" is a delay from today.
_TERMS_DELAY = re.compile(r"\b(?:payable|paiement|reglement|payment)\s+(?:dans|in)\s*$")


def extract_terms(text: str) -> list[Entity]:
    """Terms phrases; the value is the phrase as said (domain.terms.parse_terms reads it).
    A terms phrase counts only when it is not a delay ("dans 10 jours")."""
    folded = fold(text)
    found = []
    for match in _TERMS.finditer(folded):
        before = folded[max(0, match.start() - 20):match.start()]
        if _DELAY.search(before) and not _TERMS_DELAY.search(before):
            continue
        value = match.group(0).removeprefix("payable ").removeprefix("paiement ").strip()
        found.append(Entity("terms", match.start(), match.end(), value, EXTRACTOR))
    return found


def date_role(text: str, start: int) -> str | None:
    """"issued" or "due" from the words just before a date, else None."""
    before = fold(text[max(0, start - 24):start])
    if DUE_CUES.search(before):
        return "due"
    if ISSUED_CUES.search(before):
        return "issued"
    return None
