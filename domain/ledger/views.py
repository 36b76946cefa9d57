"""Read-only views for the dialogue and the digest: typed results, `today` passed in, no clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, case, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from domain.ledger.access import owned
from domain.ledger.enums import (
    CLOSED_STATUSES,
    InvoiceStatus,
    LadderStep,
    PromiseState,
)
from domain.ledger.models import Client, Interaction, Invoice, Promise

OPEN_STATUSES: tuple[InvoiceStatus, ...] = tuple(s for s in InvoiceStatus if s not in CLOSED_STATUSES)
_STEPS = list(LadderStep)


@dataclass(slots=True)  # not frozen: built 5 000 at a time, frozen __init__ costs 2x
class OpenInvoice:
    invoice_id: int
    number: str
    client_id: int
    client_name: str
    amount: Decimal
    paid_amount: Decimal
    amount_due: Decimal
    invoice_date: date
    due_date: date
    days_late: int  # 0 when not yet due
    status: InvoiceStatus
    last_step: LadderStep | None  # the furthest ladder step its interactions reached


def open_invoices(
    session: Session, owner_id: int, today: date, *, overdue_only: bool = False
) -> list[OpenInvoice]:
    """The owner's invoices still to be chased, oldest due date first."""
    rank = case({step.value: index for index, step in enumerate(_STEPS)}, value=Interaction.ladder_step)
    steps = (
        sa_select(col(Interaction.invoice_id).label("invoice_id"), func.max(rank).label("rank"))
        .where(col(Interaction.owner_id) == owner_id, col(Interaction.ladder_step).is_not(None))
        .group_by(col(Interaction.invoice_id))
        .subquery()
    )
    query: Any = (
        sa_select(
            col(Invoice.id),
            col(Invoice.number),
            col(Invoice.client_id),
            col(Client.name),
            col(Invoice.amount),
            col(Invoice.paid_amount),
            col(Invoice.invoice_date),
            col(Invoice.due_date),
            col(Invoice.status),
            steps.c.rank,
        )
        .join(Client, col(Client.id) == col(Invoice.client_id))
        .outerjoin(steps, steps.c.invoice_id == col(Invoice.id))
        .where(col(Invoice.owner_id) == owner_id, col(Invoice.status).in_(OPEN_STATUSES))
    )
    if overdue_only:
        query = query.where(col(Invoice.due_date) < today)
    query = query.order_by(col(Invoice.due_date), col(Invoice.id))
    return [
        OpenInvoice(
            invoice_id=row[0],
            number=row[1],
            client_id=row[2],
            client_name=row[3],
            amount=row[4],
            paid_amount=row[5],
            amount_due=row[4] - row[5],
            invoice_date=row[6],
            due_date=row[7],
            days_late=max(0, (today - row[7]).days),
            status=row[8],
            last_step=_STEPS[row[9]] if row[9] is not None else None,
        )
        for row in session.connection().execute(query).all()  # Core rows: no ORM overhead
    ]


def overdue_invoices(session: Session, owner_id: int, today: date) -> list[OpenInvoice]:
    """Open invoices whose due date has passed (strictly before `today`)."""
    return open_invoices(session, owner_id, today, overdue_only=True)


@dataclass(frozen=True, slots=True)
class PromiseToCheck:
    owner_id: int
    promise_id: int
    invoice_id: int
    invoice_number: str
    client_name: str
    amount: Decimal
    promised_date: date


def _promises_due(session: Session, today: date, owner_id: int | None) -> list[PromiseToCheck]:
    query: Any = (
        sa_select(
            col(Promise.owner_id),
            col(Promise.id),
            col(Promise.invoice_id),
            col(Invoice.number),
            col(Client.name),
            col(Promise.amount),
            col(Promise.promised_date),
        )
        .join(Invoice, col(Invoice.id) == col(Promise.invoice_id))
        .join(Client, col(Client.id) == col(Invoice.client_id))
        .where(col(Promise.state) == PromiseState.PENDING, col(Promise.promised_date) < today)
    )
    if owner_id is not None:
        query = query.where(col(Promise.owner_id) == owner_id)
    query = query.order_by(col(Promise.promised_date), col(Promise.id))
    return [PromiseToCheck(*row) for row in session.execute(query)]


def promises_to_check(session: Session, owner_id: int, today: date) -> list[PromiseToCheck]:
    """The owner's pending promises whose date has passed: "was it paid?"."""
    return _promises_due(session, today, owner_id)


def promises_to_check_all_owners(session: Session, today: date) -> list[PromiseToCheck]:
    """The sweep: pending promises past their date, every owner (each row tagged)."""
    return _promises_due(session, today, None)


@dataclass(frozen=True, slots=True)
class PromiseRecord:
    """How a client kept its word."""

    kept: int = 0
    partly_kept: int = 0
    broken: int = 0
    pending: int = 0

    @property
    def resolved(self) -> int:
        return self.kept + self.partly_kept + self.broken


def client_promise_record(session: Session, owner_id: int, client_id: int) -> PromiseRecord:
    owned(session, Client, owner_id, client_id)
    query = (
        sa_select(col(Promise.state), func.count())
        .join(Invoice, col(Invoice.id) == col(Promise.invoice_id))
        .where(col(Promise.owner_id) == owner_id, col(Invoice.client_id) == client_id)
        .group_by(col(Promise.state))
    )
    counts = {PromiseState(state): int(n) for state, n in session.execute(query)}
    return PromiseRecord(
        kept=counts.get(PromiseState.KEPT, 0),
        partly_kept=counts.get(PromiseState.PARTLY_KEPT, 0),
        broken=counts.get(PromiseState.BROKEN, 0),
        pending=counts.get(PromiseState.PENDING, 0),
    )


def owners_with_open_invoices(session: Session, at_least: int) -> list[int]:
    """Across owners (for the morning preparation of their lists): those with at least
    `at_least` open invoices, most first."""
    count = func.count()
    owner = col(Invoice.owner_id)
    query = (sa_select(owner).where(col(Invoice.status).in_(OPEN_STATUSES))
             .group_by(owner).having(count >= at_least).order_by(count.desc()))
    return [int(owner_id) for owner_id in session.execute(query).scalars()]


_OPEN_CLIENTS = (sa_select(col(Client.name), col(Client.name_key))
                 .join(Invoice, col(Invoice.client_id) == col(Client.id))
                 .where(col(Invoice.owner_id) == bindparam("owner_id"),
                        col(Invoice.status).in_(OPEN_STATUSES))
                 .group_by(col(Client.id), col(Client.name), col(Client.name_key))
                 .order_by(func.min(Invoice.due_date), col(Client.id)))


def clients_with_open_invoices(session: Session, owner_id: int) -> list[tuple[str, str]]:
    """(name, name key) of the owner's clients with an unpaid invoice, the one due first
    first: those a call, a promise, a payment, a plan or a dispute can be about."""
    rows = session.connection().execute(_OPEN_CLIENTS, {"owner_id": owner_id})
    return [(str(name), str(key)) for name, key in rows]
