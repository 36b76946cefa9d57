"""Errors raised by the pure domain rules. The dialogue and the CLI catch these only."""

from __future__ import annotations


class DomainError(Exception):
    """Base class of every error a rule raises on bad input."""


class InvalidInput(DomainError):
    """A value the rules cannot work with. `field` names it, `code` says why (stable)."""

    def __init__(self, field: str, code: str, value: object = None) -> None:
        super().__init__(f"{field}: {code}")
        self.field = field
        self.code = code
        self.value = value


class UnknownTerms(InvalidInput):
    """Payment-terms text that no rule understands."""

    def __init__(self, text: str) -> None:
        super().__init__("terms", "unknown_terms", text)
