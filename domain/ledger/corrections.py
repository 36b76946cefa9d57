"""Correcting an invoice typed wrong, or deleting one recorded by mistake."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from domain.ledger.access import owned, positive
from domain.ledger.enums import InvoiceStatus
from domain.ledger.errors import DuplicateInvoice, InvalidAmount, InvalidField
from domain.ledger.invoices import find_invoice_by_number
from domain.ledger.models import (
    Instalment,
    Interaction,
    Invoice,
    Nudge,
    Payment,
    PaymentPlan,
    Promise,
)


def correct_invoice(
    session: Session,
    owner_id: int,
    invoice_id: int,
    *,
    amount: Decimal | None = None,
    invoice_date: date | None = None,
    due_date: date | None = None,
    number: str | None = None,
) -> Invoice:
    """Change what was typed wrong. Refused: an amount below what was already paid, a due
    date before the invoice's date, a number another invoice of the client has. An amount
    now fully paid closes the invoice; a paid one whose amount grows is open again."""
    invoice = owned(session, Invoice, owner_id, invoice_id, lock=True)
    if amount is not None:
        positive(amount, "the invoice amount")
        if amount < invoice.paid_amount:
            raise InvalidAmount(f"{amount} EUR is less than the {invoice.paid_amount} EUR "
                                f"already paid on invoice {invoice.number}")
    issued, due = invoice_date or invoice.invoice_date, due_date or invoice.due_date
    if due < issued:
        raise InvalidField(f"due date {due} before the invoice date {issued}")
    if number is not None:
        number = number.strip()
        if not number:
            raise InvalidField("an invoice needs a number")
        if number != invoice.number and find_invoice_by_number(session, owner_id, number,
                                                                invoice.client_id):
            raise DuplicateInvoice(number)
        invoice.number = number
    invoice.invoice_date, invoice.due_date = issued, due
    if amount is not None:
        invoice.amount = amount
        if invoice.paid_amount >= amount:
            invoice.status = InvoiceStatus.PAID
        elif invoice.status is InvoiceStatus.PAID:
            invoice.status = InvoiceStatus.OPEN
    session.add(invoice)
    session.flush()
    return invoice


def delete_invoice(session: Session, owner_id: int, invoice_id: int) -> Invoice:
    """Delete the invoice and everything recorded about it (payments, promises, calls,
    plan, nudges), in the caller's transaction; returns the invoice as it was."""
    invoice = owned(session, Invoice, owner_id, invoice_id, lock=True)
    plans = select(col(PaymentPlan.id)).where(col(PaymentPlan.owner_id) == owner_id,
                                              col(PaymentPlan.invoice_id) == invoice_id)
    connection = session.connection()
    connection.execute(delete(Nudge).where(col(Nudge.owner_id) == owner_id,
                                           col(Nudge.invoice_id) == invoice_id))
    connection.execute(delete(Instalment).where(col(Instalment.owner_id) == owner_id,
                                                col(Instalment.plan_id).in_(plans)))
    for model in (PaymentPlan, Promise, Payment, Interaction):
        table: Any = getattr(model, "__table__")  # noqa: B009
        connection.execute(delete(table).where(table.c.owner_id == owner_id,
                                               table.c.invoice_id == invoice_id))
    connection.execute(delete(Invoice).where(col(Invoice.owner_id) == owner_id,
                                             col(Invoice.id) == invoice_id))
    session.expunge(invoice)
    return invoice
