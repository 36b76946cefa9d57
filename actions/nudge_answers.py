"""Answers to the buttons of a pushed nudge: done, later, paid, was the promise kept?"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlmodel import Session, col, select

from actions.base import say
from actions.cases import case_view
from actions.context import current
from actions.documents.letter import ALL_DEMANDED, NOTICE_ALSO, other_overdue_of
from actions.invoices import as_id, entity
from actions.nudge_planner import snooze_nudge
from actions.parsing import as_date
from actions.payment import still_owed
from actions.replan import replan
from actions.steps import record_step
from domain.ladder import LadderStep
from domain.ledger import (
    NotFound,
    get_client,
    get_invoice,
    get_nudge,
    get_owner,
    record_payment,
    resolve_promise,
    set_instalment_state,
)
from domain.ledger.enums import InstalmentState, NudgeKind, NudgeState, PromiseState
from domain.ledger.models import Instalment, Invoice, Nudge, PaymentPlan, Promise

Events = list[dict[str, Any]]


def latest_sent_nudge(session: Session, owner_id: int) -> int | None:
    """The nudge last pushed to the owner: what "rappelle-moi lundi" is about."""
    query = select(col(Nudge.id)).where(Nudge.owner_id == owner_id,
                                        Nudge.state == NudgeState.SENT,
                                        Nudge.kind != NudgeKind.DIGEST)
    found = session.exec(query.order_by(col(Nudge.sent_at).desc()).limit(1)).first()
    return int(found) if found is not None else None


def _stale(dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
    say(dispatcher, tracker, "stale_button")
    return []


def also_invoices(session: Session, owner_id: int, client_id: int, invoice_id: int,
                  listed: object) -> list[int]:
    """The other invoices a formal notice's [C'est fait] names ("also": "12,15"): the same
    client's, the owner's own (a forged id names nothing), still demanded (one paid or
    disputed since the letter is left as it is)."""
    wanted = {as_id(part) for part in str(listed or "").split(",")[:50]} - {None, invoice_id}
    if not wanted:
        return []
    query = select(col(Invoice.id)).where(col(Invoice.owner_id) == owner_id,
                                          col(Invoice.client_id) == client_id,
                                          col(Invoice.id).in_(wanted),
                                          col(Invoice.status).in_(NOTICE_ALSO))
    return sorted(int(i) for i in session.exec(query) if i is not None)


class ActionNudgeDone(Action):
    """[C'est fait]: the step of a nudge (or of a wording button) was taken today."""

    def name(self) -> str:
        return "action_nudge_done"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> Events:
        ctx = current()
        owner_id, today = await ctx.owner_id(tracker), ctx.today(tracker)

        def store(session: Session) -> tuple[str, str, list[str]] | None:
            invoice_id, step = as_id(entity(tracker, "invoice")), entity(tracker, "step")
            nudge_id = as_id(entity(tracker, "nudge"))
            try:
                if nudge_id is not None:
                    nudge = get_nudge(session, owner_id, nudge_id)
                    invoice_id, step = nudge.invoice_id, nudge.payload.get("step", step)
                if invoice_id is None or step not in {s.value for s in LadderStep}:
                    return None
                invoice = get_invoice(session, owner_id, invoice_id)
            except NotFound:
                return None
            record_step(ctx, session, owner_id, invoice_id, LadderStep(step), today)
            replan(session, owner_id, invoice_id, tracker)
            also: list[str] = []
            if step == LadderStep.FORMAL_NOTICE.value:  # the letter named these too
                listed = entity(tracker, "also")
                if listed == ALL_DEMANDED:  # a pushed nudge's: the letter's invoices today
                    listed = ",".join(str(o["invoice"]["id"]) for o in other_overdue_of(
                        ctx, session, owner_id, invoice_id, today)["others"])
                for other in also_invoices(session, owner_id, invoice.client_id, invoice_id,
                                           listed):
                    record_step(ctx, session, owner_id, other, LadderStep.FORMAL_NOTICE, today)
                    replan(session, owner_id, other, tracker)
                    also.append(get_invoice(session, owner_id, other).number)
            return invoice.number, str(step), also

        done = await ctx.db(store)
        if done is None:
            return _stale(dispatcher, tracker)
        say(dispatcher, tracker, "step_recorded", {"number": done[0], "step": done[1],
                                                   "also": done[2]},
            buttons=[("what_now", "/what_now")])
        return []


class ActionNudgeSnooze(Action):
    """[Reporter]: the nudge comes back the next day."""

    def name(self) -> str:
        return "action_nudge_snooze"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> Events:
        ctx = current()
        owner_id = await ctx.owner_id(tracker)
        nudge_id = as_id(entity(tracker, "nudge"))
        wanted = as_date(entity(tracker, "date"))  # "rappelle-moi lundi"

        def store(session: Session) -> str | None:
            target = nudge_id or latest_sent_nudge(session, owner_id)
            if target is None:
                return None
            now = ctx.now(tracker)
            days = max(1, (wanted - ctx.today(tracker)).days) if wanted else 1
            try:
                later = snooze_nudge(ctx, session, owner_id, target, now, days=days)
            except NotFound:
                return None
            zone = ZoneInfo(get_owner(session, owner_id).timezone)
            return later.due_at.astimezone(zone).date().isoformat()

        when = await ctx.db(store)
        if when is None:
            say(dispatcher, tracker, "snooze_how")
            return []
        say(dispatcher, tracker, "snoozed", {"when": when[:10]})
        return []


class ActionInvoicePaid(Action):
    """[Payée]: what remains due on the invoice was received today."""

    def name(self) -> str:
        return "action_invoice_paid"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> Events:
        ctx = current()
        owner_id, today = await ctx.owner_id(tracker), ctx.today(tracker)
        invoice_id = as_id(entity(tracker, "invoice"))

        def store(session: Session) -> dict[str, Any] | None:
            if invoice_id is None:
                return None
            try:
                invoice = get_invoice(session, owner_id, invoice_id)
            except NotFound:
                return None
            remaining = invoice.amount - invoice.paid_amount
            if remaining > 0:
                record_payment(session, owner_id, invoice_id, remaining, today)
            replan(session, owner_id, invoice_id, tracker)
            client = get_client(session, owner_id, invoice.client_id)
            return {"client": client.name, "number": invoice.number, "amount": str(remaining),
                    "remaining": "0.00", "claimable": _claimable(session, invoice, today),
                    "others": still_owed(session, owner_id, invoice)}

        paid = await ctx.db(store)
        if paid is None:
            return _stale(dispatcher, tracker)
        say(dispatcher, tracker, "payment_logged", paid)
        return []


class ActionPromiseCheck(Action):
    """"Dupont avait promis 500 € pour le 20/11 : reçu ?" — [Oui] [Partiellement] [Non]."""

    def name(self) -> str:
        return "action_promise_check"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> Events:
        ctx = current()
        owner_id, today = await ctx.owner_id(tracker), ctx.today(tracker)
        promise_id, result = as_id(entity(tracker, "promise")), entity(tracker, "result")
        state = {"yes": PromiseState.KEPT, "partial": PromiseState.PARTLY_KEPT,
                 "no": PromiseState.BROKEN}.get(str(result))

        def store(session: Session) -> tuple[str, int, str] | None:
            if promise_id is None or state is None:
                return None
            try:
                promise = session.get(Promise, promise_id)
                if promise is None or promise.owner_id != owner_id:
                    raise NotFound("Promise", promise_id)
                invoice = get_invoice(session, owner_id, promise.invoice_id)
                if state is PromiseState.KEPT:
                    due = invoice.amount - invoice.paid_amount
                    if min(promise.amount, due) > Decimal(0):
                        record_payment(session, owner_id, invoice.id or 0,
                                       min(promise.amount, due), today)
                resolve_promise(session, owner_id, promise_id, state)
                replan(session, owner_id, invoice.id, tracker)
            except NotFound:
                return None
            client = get_client(session, owner_id, invoice.client_id)
            return client.name, invoice.id or 0, invoice.number

        found = await ctx.db(store)
        if found is None:
            return _stale(dispatcher, tracker)
        client, invoice_id, number = found
        say(dispatcher, tracker, f"promise_{state.value if state else 'kept'}",
            {"client": client, "number": number})
        if state is PromiseState.PARTLY_KEPT:
            return [SlotSet("client", client), FollowupAction("payment_form")]
        if state is PromiseState.BROKEN:
            return [SlotSet("invoice_id", float(invoice_id)),
                    FollowupAction("action_invoice_status")]
        return []


class ActionInstalmentPaid(Action):
    """[Échéance reçue]: one instalment of a payment plan arrived today."""

    def name(self) -> str:
        return "action_instalment_paid"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> Events:
        ctx = current()
        owner_id, today = await ctx.owner_id(tracker), ctx.today(tracker)
        instalment_id = as_id(entity(tracker, "instalment"))

        def store(session: Session) -> dict[str, Any] | None:
            row = session.get(Instalment, instalment_id) if instalment_id else None
            if row is None or row.owner_id != owner_id or row.state is not InstalmentState.PENDING:
                return None
            plan = session.get(PaymentPlan, row.plan_id)
            assert plan is not None
            invoice = get_invoice(session, owner_id, plan.invoice_id)
            amount = min(row.amount, invoice.amount - invoice.paid_amount)
            if amount > 0:
                record_payment(session, owner_id, plan.invoice_id, amount, today)
            set_instalment_state(session, owner_id, row.id or 0, InstalmentState.PAID)
            replan(session, owner_id, plan.invoice_id, tracker)
            client = get_client(session, owner_id, invoice.client_id)
            return {"client": client.name, "number": invoice.number, "amount": str(amount),
                    "remaining": str(invoice.amount - invoice.paid_amount),
                    "claimable": _claimable(session, invoice, today),
                    "others": still_owed(session, owner_id, invoice)}

        paid = await ctx.db(store)
        if paid is None:
            return _stale(dispatcher, tracker)
        say(dispatcher, tracker, "payment_logged", paid)
        return []


def _claimable(session: Session, invoice: Invoice, today: date) -> str:
    """All that can still be claimed on the invoice (penalties and indemnity included)."""
    return str(case_view(current(), session, invoice, today).diagnosis.total_claimable)
