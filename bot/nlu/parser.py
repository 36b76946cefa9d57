"""The embedded NLU model: intent classifier + entity extractors, Rasa parse format.

Built once at start-up (`NluModel.train(settings.rasa_dir / "nlu.yml")`) and passed down;
`parse` is a pure function of the text, `today` and the owner's known clients.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from bot.nlu.classifier import IntentClassifier
from bot.nlu.entities import Entity
from bot.nlu.entities.amount import extract_amounts
from bot.nlu.entities.calendar_words import DIRECTIONS, Direction
from bot.nlu.entities.client import ClientPatterns, extract_clients
from bot.nlu.entities.dates import EXTRACTOR as DATE_EXTRACTOR
from bot.nlu.entities.dates import DateMatch, find_dates
from bot.nlu.entities.invoice_number import extract_invoice_numbers
from bot.nlu.entities.terms import date_role, extract_terms
from bot.nlu.text import fold, guess_language
from bot.nlu.training_data import Example, load_training_data

FALLBACK_THRESHOLD = 0.4
"""Below this top-intent confidence the dialogue should ask again (nlu_fallback).
On the held-out split, answers at or above it are right ~93% of the time."""

MAX_ENTITY_CHARS = 1000
"""Entities are looked for in the first characters only: Telegram messages are at most
4 096 characters and owners name the client, amount and date early."""
RANKING_SIZE = 5
CLIENT_MARK = "qqclient"
"""What a client's name becomes for the intent classifier, in training and in use alike:
the words of a name must not vote for an intent (a name seen in one intent's examples,
"SCI Les Tilleuls", made "SCI Les Tilleuls a payé 2 000 €" read as a new invoice)."""

ParseResult = dict[str, Any]


class NluModel:
    """Intent classifier and entity extractors trained from one NLU file."""

    def __init__(self, classifier: IntentClassifier, client_patterns: ClientPatterns) -> None:
        self.classifier = classifier
        self.client_patterns = client_patterns

    @classmethod
    def from_examples(cls, examples: Sequence[Example]) -> NluModel:
        classifier = IntentClassifier.train(
            [masked(e.text, [(s.start, s.end) for s in e.entities if s.entity == "client"],
                    extract_invoice_numbers(e.text[:MAX_ENTITY_CHARS]))
             for e in examples],
            [e.intent for e in examples],
        )
        return cls(classifier, ClientPatterns.from_examples(examples))

    @classmethod
    def train(cls, path: Path) -> NluModel:
        """Load `path` (a Rasa 3 nlu.yml) and train; raises TrainingDataError if malformed."""
        return cls.from_examples(load_training_data(path))

    from_file = train

    @property
    def train_seconds(self) -> float:
        return self.classifier.train_seconds

    def parse(
        self,
        text: str,
        today: date,
        known_clients: Sequence[str] = (),
        date_direction: Direction | str = "any",
    ) -> ParseResult:
        """Rasa's parse format, plus "language" ("fr"/"en") and "invalid_dates" (spans of
        dates that do not exist, e.g. 31/02, so the caller can say "date invalide")."""
        if date_direction not in DIRECTIONS:
            raise ValueError(f"date_direction must be one of {DIRECTIONS}, got {date_direction!r}")
        direction: Direction = date_direction
        window = text[:MAX_ENTITY_CHARS]
        found = find_dates(window, today, direction)
        entities = _entities(window, known_clients, self.client_patterns, found)
        ranking = self.classifier.rank(masked(
            text, [(e.start, e.end) for e in entities if e.entity == "client"],
            [e for e in entities if e.entity == "invoice_number"]))
        invalid = [
            {"start": d.start, "end": d.end, "text": window[d.start : d.end]}
            for d in found
            if d.invalid
        ]
        top = ranking[0]
        return {
            "text": text,
            "intent": {"name": top.name, "confidence": top.confidence},
            "entities": [_as_rasa(e, window) for e in entities],
            "intent_ranking": [
                {"name": s.name, "confidence": s.confidence} for s in ranking[:RANKING_SIZE]
            ],
            "language": guess_language(fold(text[:500])),
            "invalid_dates": invalid,
        }


NUMBER_MARK = "qqnumber"
"""What an invoice number becomes for the intent classifier, in training and in use alike:
its letters and digits must not vote (« facture F-120 … » read as a payment at 0.23 and a
new invoice at 0.37, « F-119 » at 0.92: measured, session 9)."""


def masked(text: str, clients: Sequence[tuple[int, int]], numbers: Sequence[Entity]) -> str:
    """`text` for the classifier: client names as CLIENT_MARK, invoice numbers as
    NUMBER_MARK."""
    spans = [(a, b, CLIENT_MARK) for a, b in clients] + [
        (e.start, e.end, NUMBER_MARK) for e in numbers]
    parts: list[str] = []
    last = 0
    for start, end, mark in sorted(spans):
        if start >= last:
            parts += [text[last:start], mark]
            last = end
    return "".join([*parts, text[last:]])


def _entities(
    text: str,
    known_clients: Sequence[str],
    patterns: ClientPatterns,
    found: Sequence[DateMatch],
) -> list[Entity]:
    # Priority on overlaps: invoice number > terms > date > amount > client.
    chosen: list[Entity] = []
    dates = [
        Entity("date", d.start, d.end, d.value.isoformat(), DATE_EXTRACTOR)
        for d in found
        if d.value is not None
    ]
    for group in (extract_invoice_numbers(text), extract_terms(text), dates,
                  extract_amounts(text)):
        chosen += [e for e in group if not any(c.overlaps(e.start, e.end) for c in chosen)]
    chosen += extract_clients(text, known_clients, patterns, taken=chosen)
    return sorted(chosen, key=lambda e: (e.start, e.end))


def _as_rasa(entity: Entity, text: str) -> dict[str, Any]:
    role = date_role(text, entity.start) if entity.entity == "date" else None
    return {**({"role": role} if role else {}),
        "entity": entity.entity,
        "start": entity.start,
        "end": entity.end,
        "value": entity.value,
        "text": text[entity.start : entity.end],
        "confidence_entity": entity.confidence,
        "extractor": entity.extractor,
    }


def is_confident(parse: ParseResult, threshold: float = FALLBACK_THRESHOLD) -> bool:
    """True when the top intent is trustworthy enough to act on."""
    intent = parse.get("intent") or {}
    confidence = intent.get("confidence")
    return isinstance(confidence, float) and confidence >= threshold
