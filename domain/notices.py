"""Confidence labels and notices: what a rule wants the user told, without any wording.

A rule never builds a sentence. It returns a `Notice` (a stable code, the confidence of
the fact behind it, and parameters); the dialogue and the CLI render it from a template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Confidence(StrEnum):
    """How sure a legal fact is (see LEGAL.md §0). Anything below HIGH is shown as such."""

    HIGH = "HIGH"
    MEDIUM_HIGH = "MEDIUM-HIGH"
    MEDIUM = "MEDIUM"
    LOW = "LOW"
    UNCONFIRMED = "UNCONFIRMED"


_ORDER = [Confidence.UNCONFIRMED, Confidence.LOW, Confidence.MEDIUM, Confidence.MEDIUM_HIGH,
          Confidence.HIGH]


def weakest(*labels: Confidence) -> Confidence:
    """The least certain of several labels (a result is only as sure as its weakest input)."""
    return min(labels, key=_ORDER.index) if labels else Confidence.HIGH


@dataclass(frozen=True)
class Notice:
    """A warning or an information for the user. `params` hold plain JSON-able values."""

    code: str
    confidence: Confidence = Confidence.HIGH
    params: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "confidence": str(self.confidence), "params": dict(self.params)}
