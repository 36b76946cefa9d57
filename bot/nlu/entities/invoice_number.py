"""Invoice references: "F-117", "M-301", "FA2024-003", "INV-0042", "facture 117", "n°117", "#117".

Codes keep their spelling in upper case ("fa2024-003" -> "FA2024-003"); a number given
after a cue ("facture 117", "n°117", "#117", "facture 2026-201") is returned as the bare
number ("117", "2026-201").
"""

from __future__ import annotations

import re

from bot.nlu.entities import Entity
from bot.nlu.text import fold

EXTRACTOR = "RegexInvoiceNumberExtractor"

_CODE = re.compile(
    r"(?<![\w-])(?P<code>(?:fact|fac|fa|fv|f|inv|in|ft)[-_/ ]?\d+(?:[-_/]\d+)*"
    r"|(?:[a-ik-z]|[a-z]{2,5})-\d{2,}(?:[-_/]\d+)*|j-\d{3,}(?:[-_/]\d+)*)(?![\w/-])"
    # « M-301 », « J-2026-14 », not the countdown « J-15 »
)
_CUED = re.compile(
    r"(?:\b(?:facture|fact|invoice|inv)\.?\s*(?:n°|no\.?|num(?:ero)?\.?|number|#)?\s*|"
    r"(?<!\w)(?:n°|#|no\.|num(?:ero)?\.?\s)\s*)"
    r"(?P<code>\d{1,10}(?:-\d{1,10})*)(?![\w/.,:%€-]|\s*(?:€|euros?\b|eur\b|balles?|k\b|jours?|fois))"
)
_NOT_A_CODE = re.compile(r"^(?:f|fa|in)\s\d")


def extract_invoice_numbers(text: str) -> list[Entity]:
    folded = fold(text)
    entities: list[Entity] = []
    for match in _CODE.finditer(folded):
        code = match["code"]
        if _NOT_A_CODE.match(code) or not any(c.isdigit() for c in code):
            continue
        raw = text[match.start("code") : match.end("code")]
        entities.append(
            Entity("invoice_number", match.start("code"), match.end("code"), raw.upper(), EXTRACTOR)
        )
    for match in _CUED.finditer(folded):
        start, end = match.start("code"), match.end("code")
        if any(e.overlaps(start, end) for e in entities):
            continue
        cue_start = match.start()
        if folded[cue_start : cue_start + 1] in ("n", "#"):
            start = cue_start
        entities.append(Entity("invoice_number", start, end, match["code"], EXTRACTOR))
    return sorted(entities, key=lambda e: e.start)
