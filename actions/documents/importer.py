"""Applying a confirmed import preview (`domain.csv_import`) to one owner's ledger.

The caller gives one session (one unit of work): the whole import commits or nothing does.
An invoice already in the ledger (same number, same client) is skipped and counted, so
importing the same file twice creates nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from actions.documents.errors import DocumentError
from domain.csv_import import ImportPreview, ImportRow, preview_import
from domain.ledger import add_client, add_invoice, find_client_by_name, find_invoice_by_number
from domain.ledger.enums import ClientKind
from domain.ledger.models import Client

__all__ = ["ImportResult", "apply_import", "preview_import"]


@dataclass(frozen=True)
class ImportResult:
    created: int
    skipped_existing: int
    clients_created: int
    skipped_lines: tuple[int, ...] = ()  # lines of invoices already in the ledger


def apply_import(session: Session, owner_id: int, preview: ImportPreview) -> ImportResult:
    """Store the preview's good rows for `owner_id` (bad lines were already left out)."""
    if preview.file_error is not None:
        raise DocumentError("import_refused", reason=preview.file_error.code)
    created, clients_created, skipped = 0, 0, []
    clients: dict[str, Client] = {}
    for row in preview.rows:
        client, new = _client(session, owner_id, row, clients)
        clients_created += new
        assert client.id is not None
        if find_invoice_by_number(session, owner_id, row.number, client.id):
            skipped.append(row.line)
            continue
        add_invoice(session, owner_id, client.id, row.number, row.amount, row.invoice_date,
                    row.due_date, terms=row.terms)
        created += 1
    session.flush()
    return ImportResult(created, len(skipped), clients_created, tuple(skipped))


def _client(session: Session, owner_id: int, row: ImportRow, cache: dict[str, Client]
            ) -> tuple[Client, bool]:
    key = row.key[1]
    if key in cache:
        return cache[key], False
    client = find_client_by_name(session, owner_id, row.client)
    new = client is None
    if client is None:
        client = add_client(session, owner_id, row.client, ClientKind(row.client_kind.value),
                            email=row.email, phone=row.phone, address=row.address)
    else:  # fill what the ledger does not know yet; never overwrite
        client.email = client.email or row.email
        client.phone = client.phone or row.phone
        client.address = client.address or row.address
        session.add(client)
    cache[key] = client
    return client, new
