"""Text folding shared by the classifier and the extractors.

`fold` keeps one output character per input character, so a match found in the folded
text has the same offsets in the original text (entity spans point into what the user typed).
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = "\u00a0\u202f\u2007\u2009"
_APOSTROPHES = "\u2019\u02bc\u2018`\u00b4"
_DASHES = "\u2010\u2011\u2012\u2013\u2014"


def _fold_char(char: str) -> str:
    if char in _SPACES or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
        return " "
    if char in _APOSTROPHES:
        return "'"
    if char in _DASHES:
        return "-"
    base = unicodedata.normalize("NFD", char)[0]
    lowered = base.lower()
    return lowered if len(lowered) == 1 else base


class _FoldTable(dict[int, str]):
    """`str.translate` table filled on first sight of each character (one C-level pass per
    text instead of a Python call per character; fold runs several times per message)."""

    LIMIT = 20_000  # distinct characters remembered: hostile text cannot grow it further

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        if len(self) < self.LIMIT:
            self[code] = folded
        return folded


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lower-case, strip accents, unify spaces/apostrophes/dashes; same length as `text`."""
    return text.translate(_TABLE)


_WORD = re.compile(r"[a-z]+")
_FRENCH = frozenset(
    "je tu il elle on nous vous ils le la les un une des de du au aux et est pas qui quoi "
    "mon ma mes pour avec sur dans facture paye payer relance moi a ca c qu que ne merci "
    "bonjour oui non demain client doit promis".split()
)
_ENGLISH = frozenset(
    "i you he she we they the a an of to is are not who what my for with on in invoice "
    "paid pay me it that please thanks thank hello yes no tomorrow client owes promised".split()
)


def guess_language(folded: str, default: str = "fr") -> str:
    """A cheap fr/en hint from function words (the owner mostly writes French)."""
    words = _WORD.findall(folded[:500])
    fr = sum(w in _FRENCH for w in words)
    en = sum(w in _ENGLISH for w in words)
    if en > fr:
        return "en"
    if fr > en:
        return "fr"
    return default
