"""Errors the ledger raises. The dialogue layer catches these (and only these) to answer the user."""

from __future__ import annotations


class LedgerError(Exception):
    """Base of every ledger error."""


class NotFound(LedgerError):
    """No such row for this owner (also raised for another owner's row: existence is not leaked)."""

    def __init__(self, entity: str, key: object) -> None:
        super().__init__(f"{entity} {key!r} not found")
        self.entity = entity
        self.key = key


class UnsupportedCurrency(LedgerError):
    def __init__(self, currency: str) -> None:
        super().__init__(
            f"currency {currency!r} is not supported: Relance only handles invoices in EUR"
        )
        self.currency = currency


class DuplicateInvoice(LedgerError):
    def __init__(self, number: str) -> None:
        super().__init__(f"invoice {number!r} already exists for this client")
        self.number = number


class InvalidAmount(LedgerError):
    """A zero or negative amount, or a payment larger than what remains due."""


class InvalidField(LedgerError):
    """An unknown or malformed field in an update."""


class LedgerUnavailable(LedgerError):
    """The database cannot be reached or its schema cannot be brought to this version."""
