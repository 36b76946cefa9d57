"""All the owner's invoices as one CSV: facts, status, days late, penalties and next step from
the same diagnosis the chat shows. Its first eleven columns are what `relance import` reads back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import Session

from actions.cases import case_view
from actions.context import ActionContext
from actions.documents.labels import labels, language
from actions.documents.sheets import csv_bytes, day, number
from domain.ledger import get_client, list_invoices
from domain.ledger.models import Client


def invoices_csv(ctx: ActionContext, session: Session, owner_id: int, today: date,
                 lang: str) -> bytes:
    """Every invoice of the owner (open and closed), due date first."""
    lang = language(lang)
    module = labels(ctx, lang)
    clients: dict[int, Client] = {}
    rows: list[list[str]] = []
    for invoice in list_invoices(session, owner_id):
        client = clients.get(invoice.client_id) or get_client(session, owner_id,
                                                              invoice.client_id)
        clients[invoice.client_id] = client
        diag = case_view(ctx, session, invoice, today).diagnosis
        step = diag.next.step
        rows.append([
            invoice.number, client.name, module.kinds[client.kind.value], client.email or "",
            client.phone or "", client.address or "", number(invoice.amount, lang), number(invoice.paid_amount, lang),
            day(invoice.invoice_date, lang), day(invoice.due_date, lang), invoice.terms or "",
            module.statuses[invoice.status.value], str(max(diag.days_late, 0)),
            number(diag.interest.due, lang), number(diag.indemnity, lang),
            number(_claimable(diag.total_claimable), lang),
            module.steps[step.value] if step else module.pauses[diag.next.pause.value],
            day(diag.next.due_on, lang) if step else "",
        ])
    return csv_bytes(module.invoice_columns, rows, lang)


def _claimable(value: Decimal) -> Decimal:
    return max(value, Decimal("0.00"))
