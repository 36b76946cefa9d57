"""Money amounts in French and English notations, as a Decimal string ("1250.50").

Rules (what counts as an amount):
1. A number with a currency mark next to it: "€", "EUR", "euro(s)", "balle(s)" (slang for
   euros), "k€", a "k" suffix ("3,4k" = 3400) or inside ("1k2" = 1200, "2k5" = 2500), or an "e" glued to it ("500e") when the
   number has a decimal part or is at least 100 (so ordinals like "2e versement" stay out).
2. When the message has no such mark, a bare number counts only right after a money cue
   word ("promis 500", "payé 300", "montant 1250", "il me doit 800"), and never when it
   looks like a day ("le 15"), a date ("15/12"), a quantity ("3 fois", "10 jours") or a
   reference ("F-117", "n°117").
Separators: "1 250,50", "1.250,50", "1,250.50"; a lone "," or "." followed by exactly
three digits is a thousands separator ("1,250 €" = 1250), by one or two digits a decimal
one. Values are Decimal (never float), rounded to the cent with ROUND_HALF_UP.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from bot.nlu.entities import Entity
from bot.nlu.text import fold

EXTRACTOR = "RegexAmountExtractor"
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("1000000000")

_NUMBER = (
    r"(?:\d{1,3}(?:(?P<sep>[ .,])\d{3})(?:(?P=sep)\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)"
)
_BEFORE = r"(?<![\w\-/#°.,])"
_CURRENCY_AFTER = (
    r"(?:€|eur(?:os?)?\b|balles?\b(?!\s+de\s+(?:tennis|golf|ping|foot|match|fusil))|e\b)"
)
_AFTER_AMOUNT = re.compile(
    _BEFORE + r"(?P<number>" + _NUMBER + r")(?P<k>\s?k)?\s?(?P<currency>" + _CURRENCY_AFTER + r")?"
)
_K_DIGITS = re.compile(_BEFORE + r"(?P<thousands>\d{1,6})k(?P<rest>\d{1,3})\s?(?:€|eur(?:os?)?\b)?"
                       r"(?![\w.,])")
_BEFORE_AMOUNT = re.compile(r"(?:€|\beur\b)\s?(?P<number>" + _NUMBER + r")(?P<k>k)?(?!\w)")
_BARE = re.compile(_BEFORE + r"(?P<number>" + _NUMBER + r")(?![\w/\-:%€])")
_CUE = re.compile(
    r"\b(?:promis|promet|paye|payes|payee|payer|paie|paiera|regle|reglee|regler|verse|vire|"
    r"recu|recus|encaisse|montant|doit|devait|reste|total|somme|acompte|"
    r"paid|pay|pays|owes|owe|promised|amount|received|got|total)\b"
    r"(?:\s+(?:de|me|m'a|m|moi|a|d'un|un|une|encore|deja|que|only|me|us|just|about|environ))*\s*$"
)
_NOT_AFTER = re.compile(
    r"\s*(?:jours?|j\b|semaines?|sem\b|mois|ans?|annees?|fois|h\b|heures?|min|minutes?|"
    r"days?|weeks?|months?|years?|times|%|pour\s?cent|versements?|factures?|clients?|"
    r"x\b|er\b|eme\b|janv|fev|mars|avr|mai\b|juin|juil|aout|sept|oct|nov|dec|jan|feb|mar\b|"
    r"apr|may\b|jun|jul|aug|sep)"
)
_DAY_BEFORE = re.compile(r"(?:\b(?:le|du|au|jusqu'au|the|on)\s+|n°\s?|#\s?|\bno\.?\s)$")


def parse_number(raw: str) -> Decimal | None:
    """'1 250,50' / '1.250,50' / '1,250.50' / '1,250' -> Decimal, or None."""
    compact = raw.replace(" ", "")
    last = max(compact.rfind(","), compact.rfind("."))
    if last >= 0 and len(compact) - last - 1 in (1, 2):
        integer, fraction = compact[:last], compact[last + 1 :]
    else:
        integer, fraction = compact, ""
    digits = integer.replace(",", "").replace(".", "")
    try:
        return Decimal(f"{digits}.{fraction}" if fraction else digits)
    except InvalidOperation:
        return None


def format_amount(value: Decimal) -> str:
    return format(value.quantize(CENT, rounding=ROUND_HALF_UP), "f")


def _marked(folded: str) -> list[tuple[int, int, Decimal]]:
    found: list[tuple[int, int, Decimal]] = []
    for match in _K_DIGITS.finditer(folded):  # « 1k2 » = 1 200, « 2k5 » = 2 500
        thousands, rest = match["thousands"], match["rest"]
        found.append((match.start(), match.end(), Decimal(int(thousands) * 1000 + int(
            rest) * 10 ** (3 - len(rest)))))
    for match in _AFTER_AMOUNT.finditer(folded):
        if any(s < match.end() and match.start() < e for s, e, _ in found):
            continue
        currency, k = match["currency"], match["k"]
        if currency is None and k is None:
            continue
        value = parse_number(match["number"])
        if value is None:
            continue
        if currency == "e" and not k and value < 100 and value == value.to_integral_value():
            continue
        if (
            k is not None
            and currency is None
            and re.match(r"[a-z]", folded[match.end() : match.end() + 1])
        ):
            continue
        found.append((match.start(), match.end(), value * 1000 if k else value))
    for match in _BEFORE_AMOUNT.finditer(folded):
        value = parse_number(match["number"])
        if value is not None and not any(
            s < match.end() and match.start() < e for s, e, _ in found
        ):
            found.append((match.start(), match.end(), value * 1000 if match["k"] else value))
    return found


def _cued(folded: str) -> list[tuple[int, int, Decimal]]:
    found: list[tuple[int, int, Decimal]] = []
    for match in _BARE.finditer(folded):
        before = folded[max(0, match.start() - 60) : match.start()]
        if not _CUE.search(before) or _DAY_BEFORE.search(before):
            continue
        if _NOT_AFTER.match(folded, match.end()):
            continue
        value = parse_number(match["number"])
        if value is not None:
            found.append((match.start(), match.end(), value))
    return found


def extract_amounts(text: str) -> list[Entity]:
    """Every amount in `text`, in order, with spans into `text`."""
    folded = fold(text)
    spans = _marked(folded) or _cued(folded)
    entities = []
    for start, end, value in sorted(spans):
        if value <= 0 or value >= MAX_AMOUNT:
            continue
        end = len(folded[:end].rstrip())
        entities.append(Entity("amount", start, end, format_amount(value), EXTRACTOR))
    return entities
