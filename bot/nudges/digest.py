"""The weekly digest's figures: overdue total, today's actions, promises and cash-in this week."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from actions.cases import case_view
from actions.context import ActionContext
from actions.nudge_planner import owner_ladder
from domain.errors import DomainError
from domain.ladder import Pause
from domain.ledger import get_owner, open_invoices
from domain.ledger.enums import InstalmentState, PlanState, PromiseState
from domain.ledger.models import Client, Instalment, Invoice, PaymentPlan, Promise
from domain.money import ZERO

WEEK = timedelta(days=7)
MAX_ACTIONS = 8  # diagnosing every invoice is the costly part: the oldest first, this many
_NO_STEP = frozenset({Pause.PAID, Pause.DISPUTE, Pause.LADDER_COMPLETE, Pause.PAYMENT_PLAN})


def digest_context(ctx: ActionContext, session: Session, owner_id: int, today: date,
                   lang: str) -> dict[str, Any]:
    owner = get_owner(session, owner_id)
    ladder_ctx = replace(ctx, ladder=owner_ladder(ctx.ladder, owner.ladder_settings))
    invoices = open_invoices(session, owner_id, today)
    overdue = [i for i in invoices if i.due_date < today]
    actions: list[dict[str, Any]] = []
    for row in overdue:
        if len(actions) >= MAX_ACTIONS:
            break
        invoice = session.get(Invoice, row.invoice_id)
        assert invoice is not None
        try:
            step = case_view(ladder_ctx, session, invoice, today).diagnosis.next
        except DomainError:  # an invoice the legal core cannot read: not the digest's business
            continue
        if step.step is not None and step.pause not in _NO_STEP and step.is_due(today):
            actions.append({"number": row.number, "client": row.client_name,
                            "step": step.step.value, "amount_due": str(row.amount_due)})
    week_end = today + WEEK
    promised = (select(Promise, Invoice, Client)
                .join(Invoice, col(Invoice.id) == col(Promise.invoice_id))
                .join(Client, col(Client.id) == col(Invoice.client_id))
                .where(Promise.owner_id == owner_id, Promise.state == PromiseState.PENDING,
                       col(Promise.promised_date) >= today, col(Promise.promised_date) < week_end)
                .order_by(col(Promise.promised_date)))
    promises = [{"client": client.name, "number": invoice.number, "amount": str(p.amount),
                 "date": p.promised_date.isoformat()}
                for p, invoice, client in session.exec(promised)]
    instalments = session.exec(
        select(col(Instalment.amount))
        .join(PaymentPlan, col(PaymentPlan.id) == col(Instalment.plan_id))
        .where(Instalment.owner_id == owner_id, Instalment.state == InstalmentState.PENDING,
               PaymentPlan.state == PlanState.ACTIVE, col(Instalment.due_date) >= today,
               col(Instalment.due_date) < week_end)).all()
    falling_due = [i.amount_due for i in invoices if today <= i.due_date < week_end]
    cash_in = sum((Decimal(p["amount"]) for p in promises), ZERO) + sum(instalments, ZERO) + sum(
        falling_due, ZERO)
    return {
        "today": today.isoformat(),
        "overdue_total": str(sum((i.amount_due for i in overdue), ZERO)),
        "overdue_count": len(overdue),
        "open_count": len(invoices),
        "actions": actions,
        "more_actions": len(overdue) > MAX_ACTIONS,
        "promises": promises,
        "expected_cash_in": str(cash_in),
    }
