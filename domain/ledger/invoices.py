"""Invoices of an owner: creation, lookup, status changes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from domain.ledger.access import insert_row, owned, positive, utc_now
from domain.ledger.enums import InvoiceStatus
from domain.ledger.errors import DuplicateInvoice, InvalidAmount, InvalidField, UnsupportedCurrency
from domain.ledger.models import Client, Invoice

SUPPORTED_CURRENCY = "EUR"


def add_invoice(
    session: Session,
    owner_id: int,
    client_id: int,
    number: str,
    amount: Decimal,
    invoice_date: date,
    due_date: date,
    *,
    currency: str = SUPPORTED_CURRENCY,
    delivery_date: date | None = None,
    terms: str | None = None,
    contract_rate: Decimal | None = None,
    sector: str | None = None,
    now: datetime | None = None,
) -> Invoice:
    """Record an invoice (amount TTC, in euros) for one of the owner's clients."""
    if currency.strip().upper() != SUPPORTED_CURRENCY:
        raise UnsupportedCurrency(currency)
    positive(amount, "the invoice amount")
    if contract_rate is not None and (not isinstance(contract_rate, Decimal) or contract_rate < 0):
        raise InvalidAmount(f"the contract rate must be a non-negative Decimal, got {contract_rate!r}")
    number = number.strip()
    if not number:
        raise InvalidField("an invoice needs a number")
    owned(session, Client, owner_id, client_id)
    if _by_number(session, owner_id, number, client_id):
        raise DuplicateInvoice(number)
    invoice = insert_row(session, Invoice, {
        "owner_id": owner_id, "client_id": client_id, "number": number, "amount": amount,
        "currency": SUPPORTED_CURRENCY, "invoice_date": invoice_date,
        "delivery_date": delivery_date, "terms": terms, "due_date": due_date,
        "contract_rate": contract_rate, "sector": sector, "created_at": now or utc_now(),
    }, unique=_UNIQUE)
    if invoice is None:  # a concurrent twin: refused without poisoning the whole unit
        raise DuplicateInvoice(number)
    return invoice


_UNIQUE = ("owner_id", "client_id", "number")  # uq_invoice_owner_client_number


def get_invoice(session: Session, owner_id: int, invoice_id: int) -> Invoice:
    return owned(session, Invoice, owner_id, invoice_id)


_NUMBERED = select(Invoice).where(col(Invoice.owner_id) == bindparam("owner_id"),
                                   col(Invoice.number) == bindparam("number"))
_BY_NUMBER = {False: _NUMBERED.order_by(col(Invoice.id)),
              True: _NUMBERED.where(col(Invoice.client_id) == bindparam("client_id"))
              .order_by(col(Invoice.id))}


def _by_number(session: Session, owner_id: int, number: str, client_id: int | None) -> list[Invoice]:
    params = {"owner_id": owner_id, "number": number.strip(), "client_id": client_id}
    if client_id is None:
        del params["client_id"]
    return list(session.exec(_BY_NUMBER[client_id is not None], params=params))


def find_invoice_by_number(
    session: Session, owner_id: int, number: str, client_id: int | None = None
) -> list[Invoice]:
    """The owner's invoices with this number: one, none, or one per client when numbers clash."""
    return _by_number(session, owner_id, number, client_id)


def list_invoices(
    session: Session,
    owner_id: int,
    *,
    statuses: Iterable[InvoiceStatus] | None = None,
    client_id: int | None = None,
) -> list[Invoice]:
    query = select(Invoice).where(Invoice.owner_id == owner_id)
    if statuses is not None:
        query = query.where(col(Invoice.status).in_([InvoiceStatus(s) for s in statuses]))
    if client_id is not None:
        query = query.where(Invoice.client_id == client_id)
    return list(session.exec(query.order_by(col(Invoice.due_date), col(Invoice.id))))


def set_invoice_status(
    session: Session,
    owner_id: int,
    invoice_id: int,
    status: InvoiceStatus,
    *,
    on: date | None = None,
) -> Invoice:
    """Move an invoice to `status`; `on` dates a formal notice (formal_notice_sent)."""
    invoice = owned(session, Invoice, owner_id, invoice_id, lock=True)
    invoice.status = InvoiceStatus(status)
    if invoice.status is InvoiceStatus.FORMAL_NOTICE_SENT and on is not None:
        invoice.formal_notice_date = on
    session.add(invoice)
    session.flush()
    return invoice


def record_dispute(session: Session, owner_id: int, invoice_id: int, reason: str) -> Invoice:
    """The client contests the invoice: escalation pauses until the dispute is settled."""
    invoice = owned(session, Invoice, owner_id, invoice_id, lock=True)
    invoice.status = InvoiceStatus.DISPUTED
    invoice.dispute_reason = reason.strip() or None
    session.add(invoice)
    session.flush()
    return invoice


def record_insolvency(session: Session, owner_id: int, invoice_id: int, on: date) -> Invoice:
    """The client entered collective proceedings on `on` (claims must then be declared)."""
    invoice = owned(session, Invoice, owner_id, invoice_id, lock=True)
    invoice.insolvency_date = on
    session.add(invoice)
    session.flush()
    return invoice
