"""The full story of one invoice, in date order, as typed entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from domain.ledger.access import owned
from domain.ledger.enums import ContactChannel, LadderStep, NudgeState, Outcome
from domain.ledger.models import (
    Instalment,
    Interaction,
    Invoice,
    Nudge,
    Owner,
    Payment,
    PaymentPlan,
    Promise,
)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class HistoryKind(StrEnum):
    INTERACTION = "interaction"
    PROMISE = "promise"
    PAYMENT = "payment"
    INSTALMENT = "instalment"
    NUDGE_SENT = "nudge_sent"


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    on: date  # the owner's local date of the event
    kind: HistoryKind
    ref_id: int
    at: datetime | None = None  # when it was logged, if known (UTC)
    amount: Decimal | None = None
    state: str | None = None  # promise, instalment state; nudge kind
    channel: ContactChannel | None = None
    outcome: Outcome | None = None
    step: LadderStep | None = None
    note: str | None = None
    due: date | None = None  # promised date of a promise


def invoice_history(session: Session, owner_id: int, invoice_id: int) -> list[HistoryEntry]:
    """Interactions, promises, payments, plan instalments and sent nudges of one invoice."""
    owned(session, Invoice, owner_id, invoice_id)
    owner = session.get(Owner, owner_id)
    zone = ZoneInfo(owner.timezone if owner else "Europe/Paris")

    def local(instant: datetime) -> date:
        return instant.astimezone(zone).date()

    entries: list[HistoryEntry] = []
    scope = (owner_id, invoice_id)
    interactions = session.exec(
        select(Interaction).where(Interaction.owner_id == scope[0], Interaction.invoice_id == scope[1])
    ).all()
    occurred = {i.id: i.occurred_on for i in interactions}
    for i in interactions:
        entries.append(
            HistoryEntry(i.occurred_on, HistoryKind.INTERACTION, i.id or 0, at=i.logged_at,
                         channel=i.channel, outcome=i.outcome, step=i.ladder_step, note=i.note)
        )  # fmt: skip
    for p in session.exec(
        select(Promise).where(Promise.owner_id == scope[0], Promise.invoice_id == scope[1])
    ):
        made_on = occurred.get(p.interaction_id) or local(p.logged_at)
        entries.append(
            HistoryEntry(made_on, HistoryKind.PROMISE, p.id or 0, at=p.logged_at, amount=p.amount,
                         state=p.state.value, due=p.promised_date)
        )  # fmt: skip
    for pay in session.exec(
        select(Payment).where(Payment.owner_id == scope[0], Payment.invoice_id == scope[1])
    ):
        entries.append(
            HistoryEntry(pay.paid_on, HistoryKind.PAYMENT, pay.id or 0, at=pay.logged_at,
                         amount=pay.amount)
        )  # fmt: skip
    instalments = (
        select(Instalment)
        .join(PaymentPlan, col(PaymentPlan.id) == col(Instalment.plan_id))
        .where(Instalment.owner_id == scope[0], PaymentPlan.invoice_id == scope[1])
    )
    for inst in session.exec(instalments):
        entries.append(
            HistoryEntry(inst.due_date, HistoryKind.INSTALMENT, inst.id or 0, amount=inst.amount,
                         state=inst.state.value)
        )  # fmt: skip
    sent = select(Nudge).where(
        Nudge.owner_id == scope[0], Nudge.invoice_id == scope[1], Nudge.state == NudgeState.SENT
    )
    for n in session.exec(sent):
        sent_at = n.sent_at or n.due_at
        entries.append(
            HistoryEntry(local(sent_at), HistoryKind.NUDGE_SENT, n.id or 0, at=sent_at,
                         state=n.kind.value)
        )  # fmt: skip
    kinds = list(HistoryKind)
    entries.sort(key=lambda e: (e.on, e.at or _EPOCH, kinds.index(e.kind), e.ref_id))
    return entries
