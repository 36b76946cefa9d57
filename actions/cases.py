"""From ledger rows to the domain's view of a case: the bridge every action uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from actions.context import ActionContext
from domain.case import InvoiceCase
from domain.diagnosis import Diagnosis, diagnose
from domain.ladder import LadderStep, StepDone
from domain.ledger import get_owner, list_payments, list_promises
from domain.ledger.enums import ClientKind, InvoiceStatus, PromiseState
from domain.ledger.models import Client, Instalment, Interaction, Invoice, PaymentPlan
from domain.ledger.models import Payment as PaymentRow
from domain.parties import DebtorKind
from domain.penalties import Payment


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


def invoice_case(session: Session, invoice: Invoice, client: Client, today: date) -> InvoiceCase:
    """The legal case of a stored invoice: payments, steps taken and promises included."""
    assert invoice.id is not None
    payments = tuple(Payment(p.paid_on, p.amount)
                     for p in list_payments(session, invoice.owner_id, invoice.id))
    steps = session.exec(select(Interaction).where(
        Interaction.owner_id == invoice.owner_id, Interaction.invoice_id == invoice.id,
        col(Interaction.ladder_step).is_not(None))).all()
    promises = list_promises(session, invoice.owner_id, invoice.id)
    pending = [p for p in promises if p.state is PromiseState.PENDING]
    broken = [p for p in promises if p.state is PromiseState.BROKEN]
    return InvoiceCase(
        today=today, amount=invoice.amount, invoice_date=invoice.invoice_date,
        debtor=DebtorKind(client.kind.value), delivery_date=invoice.delivery_date,
        due_date=invoice.due_date, debtor_is_merchant=client.is_merchant,
        creditor_is_merchant=get_owner(session, invoice.owner_id).is_merchant,
        contract_rate=invoice.contract_rate, formal_notice_date=invoice.formal_notice_date,
        payments=tuple(p for p in payments if p.on <= today),
        insolvency_date=invoice.insolvency_date,
        acknowledgments=tuple(p.logged_at.date() for p in promises),
        steps_done=tuple(StepDone(LadderStep(i.ladder_step.value), i.occurred_on)
                         for i in steps if i.ladder_step is not None),
        promised_date=max((p.promised_date for p in pending), default=None),
        promise_broken_on=max((p.checked_at.date() for p in broken if p.checked_at),
                              default=None),
        disputed=invoice.status is InvoiceStatus.DISPUTED,
        payment_plan_active=invoice.status is InvoiceStatus.PAYMENT_PLAN,
        missed_instalment_on=missed_instalment(session, invoice, today),
    )


def missed_instalment(session: Session, invoice: Invoice, today: date) -> date | None:
    """The due date of the oldest instalment of the invoice's plan still unpaid after the
    payments received cover the earlier ones (instalments are settled in date order)."""
    plans = session.exec(select(PaymentPlan).where(
        PaymentPlan.owner_id == invoice.owner_id, PaymentPlan.invoice_id == invoice.id)).all()
    if not plans:
        return None
    plan = max(plans, key=lambda p: p.id or 0)
    covered = invoice.paid_amount - sum(
        (p.amount for p in session.exec(select(PaymentRow).where(
            PaymentRow.owner_id == invoice.owner_id, PaymentRow.invoice_id == invoice.id,
            PaymentRow.logged_at < plan.created_at)).all()), Decimal("0"))
    for instalment in sorted(session.exec(select(Instalment).where(
            Instalment.owner_id == invoice.owner_id, Instalment.plan_id == plan.id)).all(),
            key=lambda i: i.due_date):
        covered -= instalment.amount
        if covered < 0:
            return instalment.due_date if instalment.due_date < today else None
    return None


def case_view(ctx: ActionContext, session: Session, invoice: Invoice, today: date) -> CaseView:
    client = session.get(Client, invoice.client_id)
    assert client is not None and client.owner_id == invoice.owner_id
    return CaseView(invoice, client, diagnose(invoice_case(session, invoice, client, today),
                                              ctx.rates, ctx.ladder))


def debtor_kind(value: str) -> ClientKind:
    return ClientKind.CONSUMER if value == DebtorKind.CONSUMER.value else ClientKind.PROFESSIONAL


def open_invoices_of_client(session: Session, owner_id: int, client_name: str
                            ) -> list[Invoice]:
    """The client's unpaid invoices, oldest due first (client matched case-insensitively)."""
    from domain.ledger import find_client_by_name, list_invoices
    from domain.ledger.views import OPEN_STATUSES

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
