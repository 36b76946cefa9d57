"""Rule-based entity extractors (amount, date, invoice_number, client)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entity:
    """One extracted entity; `start`/`end` index the original text, `value` is normalised."""

    entity: str
    start: int
    end: int
    value: str
    extractor: str
    confidence: float = 1.0

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end
