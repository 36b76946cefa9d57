"""Finding the invoice a user names by its number (and client, when numbers clash)."""

from __future__ import annotations

from sqlmodel import Session

from actions.documents.errors import DocumentError
from domain.ledger import find_client_by_name, find_invoice_by_number
from domain.ledger.models import Invoice


def invoice_by_number(session: Session, owner_id: int, number: str,
                      client_name: str | None = None) -> Invoice:
    """The owner's invoice `number`; `DocumentError` if none, or several without a client."""
    client_id = None
    if client_name:
        client = find_client_by_name(session, owner_id, client_name)
        if client is None:
            raise DocumentError("client_not_found", client=client_name)
        client_id = client.id
    found = find_invoice_by_number(session, owner_id, number, client_id)
    if not found:
        raise DocumentError("invoice_not_found", number=number)
    if len(found) > 1:
        raise DocumentError("invoice_ambiguous", number=number, count=str(len(found)))
    return found[0]
