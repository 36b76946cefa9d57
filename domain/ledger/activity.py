"""What happens to an invoice: interactions, promises, payments, payment plans."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import bindparam, func
from sqlmodel import Session, col, select

from domain.ledger.access import insert_row, owned, positive, stored, update_row, utc_now
from domain.ledger.enums import (
    CLOSED_STATUSES,
    ContactChannel,
    InstalmentState,
    InvoiceStatus,
    LadderStep,
    NudgeState,
    Outcome,
    PromiseState,
)
from domain.ledger.errors import InvalidAmount, InvalidField
from domain.ledger.models import (
    Instalment,
    Interaction,
    Invoice,
    Nudge,
    Payment,
    PaymentPlan,
    Promise,
)
from domain.ledger.types import Money


def log_interaction(
    session: Session,
    owner_id: int,
    invoice_id: int,
    occurred_on: date,
    channel: ContactChannel,
    outcome: Outcome,
    *,
    note: str | None = None,
    ladder_step: LadderStep | None = None,
    now: datetime | None = None,
) -> Interaction:
    owned(session, Invoice, owner_id, invoice_id)
    return stored(insert_row(session, Interaction, {
        "owner_id": owner_id, "invoice_id": invoice_id, "occurred_on": occurred_on,
        "logged_at": now or utc_now(), "channel": ContactChannel(channel),
        "outcome": Outcome(outcome), "note": note,
        "ladder_step": LadderStep(ladder_step) if ladder_step is not None else None}))


def log_promise(
    session: Session,
    owner_id: int,
    invoice_id: int,
    amount: Decimal,
    promised_date: date,
    *,
    interaction_id: int | None = None,
    now: datetime | None = None,
) -> Promise:
    """Record a payment promise; the invoice becomes `promised` (escalation pauses)."""
    positive(amount, "the promised amount")
    invoice = owned(session, Invoice, owner_id, invoice_id, lock=True)
    if interaction_id is not None:
        interaction = owned(session, Interaction, owner_id, interaction_id)
        if interaction.invoice_id != invoice_id:
            raise InvalidField("that interaction is about another invoice")
    if invoice.status not in CLOSED_STATUSES:
        update_row(session, invoice, status=InvoiceStatus.PROMISED)
    return stored(insert_row(session, Promise, {
        "owner_id": owner_id, "invoice_id": invoice_id, "amount": amount,
        "promised_date": promised_date, "logged_at": now or utc_now(),
        "interaction_id": interaction_id}))


def resolve_promise(
    session: Session,
    owner_id: int,
    promise_id: int,
    state: PromiseState,
    *,
    checked_at: datetime | None = None,
) -> Promise:
    """Close a promise as kept, partly kept or broken.

    When the invoice was `promised` and no pending promise is left, it goes back to `open`
    (unless the payments already settled it), so the ladder resumes.
    """
    state = PromiseState(state)
    if state is PromiseState.PENDING:
        raise InvalidField("a promise is resolved as kept, partly_kept or broken")
    promise = owned(session, Promise, owner_id, promise_id)
    promise.state = state
    promise.checked_at = checked_at or utc_now()
    session.add(promise)
    session.flush()
    invoice = owned(session, Invoice, owner_id, promise.invoice_id, lock=True)
    if invoice.status is InvoiceStatus.PROMISED and not _pending_promises(session, invoice):
        invoice.status = InvoiceStatus.OPEN
        session.add(invoice)
        session.flush()
    return promise


def _pending_promises(session: Session, invoice: Invoice) -> int:
    query = select(func.count()).where(
        Promise.owner_id == invoice.owner_id,
        Promise.invoice_id == invoice.id,
        Promise.state == PromiseState.PENDING,
    )
    return int(session.exec(query).one())


def list_promises(session: Session, owner_id: int, invoice_id: int) -> list[Promise]:
    owned(session, Invoice, owner_id, invoice_id)
    query = select(Promise).where(Promise.owner_id == owner_id, Promise.invoice_id == invoice_id)
    return list(session.exec(query.order_by(col(Promise.promised_date), col(Promise.id))))


def record_payment(
    session: Session,
    owner_id: int,
    invoice_id: int,
    amount: Decimal,
    paid_on: date,
    *,
    now: datetime | None = None,
) -> Payment:
    """Record a payment; `paid_amount` is recomputed in the same transaction.

    An overpayment is refused (InvalidAmount): it is almost always a typo. A full payment
    marks the invoice paid and cancels its pending nudges.
    """
    positive(amount, "the payment")
    invoice = owned(session, Invoice, owner_id, invoice_id, lock=True)
    already = _sum_payments(session, owner_id, invoice_id)
    remaining = invoice.amount - already
    if amount > remaining:
        raise InvalidAmount(
            f"payment of {amount} EUR exceeds the {remaining} EUR still due on invoice "
            f"{invoice.number}"
        )
    payment = stored(insert_row(session, Payment, {
        "owner_id": owner_id, "invoice_id": invoice_id, "paid_on": paid_on, "amount": amount,
        "logged_at": now or utc_now()}))
    paid = already + amount
    update_row(session, invoice, paid_amount=paid, **(
        {"status": InvoiceStatus.PAID} if paid >= invoice.amount else {}))
    if paid >= invoice.amount:
        pending = select(Nudge).where(
            Nudge.owner_id == owner_id,
            Nudge.invoice_id == invoice_id,
            Nudge.state == NudgeState.PENDING,
        )
        for nudge in session.exec(pending):
            nudge.state = NudgeState.CANCELLED
            session.add(nudge)
    session.flush()
    return payment


_PAID = select(func.coalesce(func.sum(Payment.amount), 0, type_=Money())).where(
    col(Payment.owner_id) == bindparam("owner_id"), col(Payment.invoice_id) == bindparam("invoice_id"))


def _sum_payments(session: Session, owner_id: int, invoice_id: int) -> Decimal:
    value = session.exec(_PAID, params={"owner_id": owner_id, "invoice_id": invoice_id}).one()
    return value if isinstance(value, Decimal) else Decimal("0.00")


def list_payments(session: Session, owner_id: int, invoice_id: int) -> list[Payment]:
    owned(session, Invoice, owner_id, invoice_id)
    query = select(Payment).where(Payment.owner_id == owner_id, Payment.invoice_id == invoice_id)
    return list(session.exec(query.order_by(col(Payment.paid_on), col(Payment.id))))


def create_payment_plan(
    session: Session,
    owner_id: int,
    invoice_id: int,
    instalments: Sequence[tuple[date, Decimal]],
    *,
    now: datetime | None = None,
) -> tuple[PaymentPlan, list[Instalment]]:
    """Agree a schedule of (due date, amount); the invoice goes to `payment_plan`."""
    if not instalments:
        raise InvalidField("a payment plan needs at least one instalment")
    for _, amount in instalments:
        positive(amount, "each instalment")
    invoice = owned(session, Invoice, owner_id, invoice_id, lock=True)
    remaining = invoice.amount - invoice.paid_amount
    total = sum((amount for _, amount in instalments), Decimal("0"))
    if total > remaining:
        raise InvalidAmount(f"the instalments total {total} EUR, more than the {remaining} EUR due")
    plan = PaymentPlan(owner_id=owner_id, invoice_id=invoice_id, created_at=now or utc_now())
    session.add(plan)
    session.flush()
    assert plan.id is not None
    rows = [
        Instalment(owner_id=owner_id, plan_id=plan.id, due_date=due, amount=amount)
        for due, amount in sorted(instalments)
    ]
    session.add_all(rows)
    invoice.status = InvoiceStatus.PAYMENT_PLAN
    session.add(invoice)
    session.flush()
    return plan, rows


def list_instalments(session: Session, owner_id: int, plan_id: int) -> list[Instalment]:
    owned(session, PaymentPlan, owner_id, plan_id)
    query = select(Instalment).where(Instalment.owner_id == owner_id, Instalment.plan_id == plan_id)
    return list(session.exec(query.order_by(col(Instalment.due_date), col(Instalment.id))))


def set_instalment_state(
    session: Session, owner_id: int, instalment_id: int, state: InstalmentState
) -> Instalment:
    instalment = owned(session, Instalment, owner_id, instalment_id)
    instalment.state = InstalmentState(state)
    session.add(instalment)
    session.flush()
    return instalment


