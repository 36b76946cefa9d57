"""From ledger rows to the domain's view of a case: the bridge every action uses."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from actions.context import ActionContext
from domain.case import InvoiceCase
from domain.diagnosis import Diagnosis, diagnose
from domain.errors import InvalidInput
from domain.ladder import LadderStep, StepDone
from domain.ledger import get_owner
from domain.ledger.enums import ClientKind, InvoiceStatus, PromiseState
from domain.ledger.models import (
    Client,
    Instalment,
    Interaction,
    Invoice,
    Owner,
    PaymentPlan,
    Promise,
)
from domain.ledger.models import Payment as PaymentRow
from domain.ledger.views import OPEN_STATUSES
from domain.parties import DebtorKind
from domain.penalties import Payment
from domain.terms import Terms, due_date, parse_terms


@dataclass(frozen=True)
class CaseView:
    """One invoice, its client and its diagnosis on a day, ready for a template."""

    invoice: Invoice
    client: Client
    diagnosis: Diagnosis

    def template_context(self, lang: str) -> dict[str, Any]:
        return {
            "invoice": {"id": self.invoice.id, "number": self.invoice.number,
                        "amount": str(self.invoice.amount),
                        "invoice_date": self.invoice.invoice_date.isoformat(),
                        "due_date": self.invoice.due_date.isoformat()},
            "client": {"name": self.client.name, "kind": self.client.kind.value,
                       "tone": self.client.tone.value},
            "diag": {**self.diagnosis.to_json(), "warnings": [
                self.warning_text(n, lang) for n in self.diagnosis.to_json()["notices"]]},
        }

    @staticmethod
    def warning_text(notice: dict[str, Any], lang: str) -> str:
        from actions.context import current

        return current().wording.notice(notice, lang)


@dataclass
class _Rows:
    """Everything the diagnosis reads about a set of invoices, loaded in a few queries."""

    payments: dict[int, list[PaymentRow]] = field(default_factory=lambda: defaultdict(list))
    steps: dict[int, list[Interaction]] = field(default_factory=lambda: defaultdict(list))
    promises: dict[int, list[Promise]] = field(default_factory=lambda: defaultdict(list))
    plans: dict[int, PaymentPlan] = field(default_factory=dict)  # the latest, per invoice
    instalments: dict[int, list[Instalment]] = field(default_factory=lambda: defaultdict(list))


def _load(session: Session, owner_id: int, ids: list[int]) -> _Rows:
    rows = _Rows()
    for chunk in (ids[i:i + 900] for i in range(0, len(ids), 900)):  # SQLite's bound limit
        for payment in session.exec(select(PaymentRow).where(
                PaymentRow.owner_id == owner_id, col(PaymentRow.invoice_id).in_(chunk))):
            rows.payments[payment.invoice_id].append(payment)
        for step in session.exec(select(Interaction).where(
                Interaction.owner_id == owner_id, col(Interaction.invoice_id).in_(chunk),
                col(Interaction.ladder_step).is_not(None))):
            rows.steps[step.invoice_id].append(step)
        for promise in session.exec(select(Promise).where(
                Promise.owner_id == owner_id, col(Promise.invoice_id).in_(chunk))):
            rows.promises[promise.invoice_id].append(promise)
        for plan in session.exec(select(PaymentPlan).where(
                PaymentPlan.owner_id == owner_id, col(PaymentPlan.invoice_id).in_(chunk))):
            known = rows.plans.get(plan.invoice_id)
            if known is None or (plan.id or 0) > (known.id or 0):
                rows.plans[plan.invoice_id] = plan
    plan_ids = [p.id for p in rows.plans.values()]
    if plan_ids:
        for instalment in session.exec(select(Instalment).where(
                Instalment.owner_id == owner_id, col(Instalment.plan_id).in_(plan_ids))):
            rows.instalments[instalment.plan_id].append(instalment)
    return rows


def _missed_instalment(invoice: Invoice, rows: _Rows, today: date) -> date | None:
    """The due date of the oldest instalment still unpaid once the payments made since the
    plan cover the earlier ones (instalments are settled in date order)."""
    plan = rows.plans.get(invoice.id or 0)
    if plan is None:
        return None
    covered = sum((p.amount for p in rows.payments[invoice.id or 0]
                   if p.logged_at >= plan.created_at), Decimal("0"))
    for instalment in sorted(rows.instalments[plan.id or 0], key=lambda i: i.due_date):
        covered -= instalment.amount
        if covered < 0:
            return instalment.due_date if instalment.due_date < today else None
    return None


def stated_terms(invoice: Invoice, client: Client) -> Terms | None:
    """The invoice's payment terms when they give its stored due date: the diagnosis then
    says how it read them ("fin de mois": which of the two methods) and checks the caps."""
    if not invoice.terms:
        return None
    try:
        terms = parse_terms(invoice.terms)
    except InvalidInput:
        return None
    computed = due_date(invoice.invoice_date, terms=terms, delivery_date=invoice.delivery_date,
                        professional_debtor=client.kind is ClientKind.PROFESSIONAL)
    return terms if computed.due == invoice.due_date else None


def _case(invoice: Invoice, client: Client, owner: Owner, rows: _Rows, today: date
          ) -> InvoiceCase:
    """The legal case of a stored invoice: payments, steps taken and promises included."""
    key = invoice.id or 0
    promises = rows.promises[key]
    pending = [p for p in promises if p.state is PromiseState.PENDING]
    broken = [p for p in promises if p.state is PromiseState.BROKEN]
    terms = stated_terms(invoice, client)
    return InvoiceCase(
        today=today, amount=invoice.amount, invoice_date=invoice.invoice_date,
        debtor=DebtorKind(client.kind.value), delivery_date=invoice.delivery_date,
        due_date=None if terms else invoice.due_date, terms=terms,
        debtor_is_merchant=client.is_merchant,
        creditor_is_merchant=owner.is_merchant,
        contract_rate=invoice.contract_rate, formal_notice_date=invoice.formal_notice_date,
        payments=tuple(Payment(p.paid_on, p.amount) for p in rows.payments[key]
                       if p.paid_on <= today),
        insolvency_date=invoice.insolvency_date,
        acknowledgments=tuple(p.logged_at.date() for p in promises),
        steps_done=tuple(StepDone(LadderStep(i.ladder_step.value), i.occurred_on)
                         for i in rows.steps[key] if i.ladder_step is not None),
        promised_date=max((p.promised_date for p in pending), default=None),
        promise_broken_on=max((p.checked_at.date() for p in broken if p.checked_at),
                              default=None),
        disputed=invoice.status is InvoiceStatus.DISPUTED,
        payment_plan_active=invoice.status is InvoiceStatus.PAYMENT_PLAN,
        missed_instalment_on=_missed_instalment(invoice, rows, today),
    )


def case_views(ctx: ActionContext, session: Session, owner_id: int,
               invoices: Sequence[Invoice], today: date) -> list[CaseView]:
    """The diagnosis of each of the owner's `invoices` (a handful of queries in all)."""
    invoices = [i for i in invoices if i.owner_id == owner_id]
    if not invoices:
        return []
    owner = get_owner(session, owner_id)
    client_ids = list({i.client_id for i in invoices})
    clients = {c.id: c for c in session.exec(select(Client).where(
        Client.owner_id == owner_id, col(Client.id).in_(client_ids)))}
    rows = _load(session, owner_id, [i.id for i in invoices if i.id is not None])
    return [CaseView(i, clients[i.client_id], diagnose(
        _case(i, clients[i.client_id], owner, rows, today), ctx.rates, ctx.ladder))
        for i in invoices]


def invoice_case(session: Session, invoice: Invoice, client: Client, today: date) -> InvoiceCase:
    """The legal case of one stored invoice."""
    rows = _load(session, invoice.owner_id, [invoice.id] if invoice.id else [])
    return _case(invoice, client, get_owner(session, invoice.owner_id), rows, today)


def case_view(ctx: ActionContext, session: Session, invoice: Invoice, today: date) -> CaseView:
    [view] = case_views(ctx, session, invoice.owner_id, [invoice], today)
    return view


def open_cases(ctx: ActionContext, session: Session, owner_id: int, today: date, *,
               overdue_only: bool = False) -> list[CaseView]:
    """Every invoice of the owner still to chase, diagnosed, oldest due date first."""
    query = select(Invoice).where(Invoice.owner_id == owner_id,
                                  col(Invoice.status).in_(OPEN_STATUSES))
    if overdue_only:
        query = query.where(Invoice.due_date < today)
    invoices = session.exec(query.order_by(col(Invoice.due_date), col(Invoice.id))).all()
    return case_views(ctx, session, owner_id, invoices, today)


def debtor_kind(value: str) -> ClientKind:
    return ClientKind.CONSUMER if value == DebtorKind.CONSUMER.value else ClientKind.PROFESSIONAL


def open_invoices_of_client(session: Session, owner_id: int, client_name: str
                            ) -> list[Invoice]:
    """The client's unpaid invoices, oldest due first (client matched case-insensitively)."""
    from domain.ledger import find_client_by_name, list_invoices

    client = find_client_by_name(session, owner_id, client_name)
    if client is None or client.id is None:
        return []
    return list_invoices(session, owner_id, statuses=OPEN_STATUSES, client_id=client.id)


def money_text(raw: object) -> Decimal | None:
    """An amount typed by hand ("1 500", "1500,50 €", "1.500,50") when no entity was found."""
    if raw is None:
        return None
    text = str(raw).lower().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    text = text.replace("€", "").replace("euros", "").replace("euro", "").replace("eur", "")
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".") if text.rfind(",") > text.rfind(".") \
            else text.replace(",", "")
    text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except ArithmeticError:
        return None
    if not value.is_finite() or value <= 0 or value > Decimal("1000000000"):
        return None
    return value.quantize(Decimal("0.01"))
