"""Two things said in one message: « Martin a payé 500 € et promet le reste vendredi ».

Taken whole, the message was one promise of 500 € (the NLU names one intent): a payment
recorded as a promise, the kind of wrong fact the ledger must never hold. Split at the word
that joins them, it is two messages, the client of the first carried into the second."""

from __future__ import annotations

import re

PAID_WORDS = re.compile(r"\b(?:pay[ée]e?s?|r[ée]gl[ée]e?s?|vers[ée]e?s?|vir[ée]e?s?|paid"
                        r"|settled)\b", re.IGNORECASE)
PROMISED_WORDS = re.compile(r"\b(?:promet|promis|promettent|s'engage|promised|promises)\b",
                            re.IGNORECASE)
_JOIN = re.compile(r"\s*(?:[,;]|\bet\b|\bpuis\b|\bmais\b|\band\b|\bbut\b|\bthen\b)\s*",
                   re.IGNORECASE)
_SUBJECT = re.compile(r"^(?:(?:et|and|puis|then)\s+)?(?:il|elle|ils|elles|on|he|she|they)\s+",
                      re.IGNORECASE)


def paid_then_promised(text: str) -> tuple[str, str] | None:
    """(the payment, the promise) when a payment is said first and a promise after it,
    joined by « et », « puis », « mais » or a comma; else None."""
    paid = PAID_WORDS.search(text)
    promised = PROMISED_WORDS.search(text, paid.end()) if paid else None
    if paid is None or promised is None:
        return None
    joins = list(_JOIN.finditer(text, paid.end(), promised.start()))
    if not joins:
        return None
    first, second = text[:joins[-1].start()].strip(), text[joins[-1].end():].strip()
    return (first, second) if first and second else None


def with_client(clause: str, client: str) -> str:
    """The promise clause with the payment's client as its subject (« promet le reste
    vendredi », « il promet … » → « Martin promet … »), unless it names it already."""
    if client.casefold() in clause.casefold():
        return clause
    return f"{client} {_SUBJECT.sub('', clause)}"
