"""Errors of the document services: a stable code and plain parameters; wording in templates."""

from __future__ import annotations


class DocumentError(Exception):
    """A document cannot be produced or an import cannot be applied (e.g. `invoice_not_found`)."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
