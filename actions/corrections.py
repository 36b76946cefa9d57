"""An invoice typed wrong (« F-117 c'est 1 350 € pas 1 250 », « F-117 échéance le 30/10 »)
or recorded by mistake (« supprime la facture F-117 »): the change is shown, and made only
once the owner confirms it with its button."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlmodel import Session

from actions.answers import as_json
from actions.base import say
from actions.cases import case_view
from actions.context import current, language
from actions.invoices import as_id, entity, resolve_invoice
from actions.replan import replan
from domain.ledger import (
    DuplicateInvoice,
    InvalidAmount,
    InvalidField,
    NotFound,
    correct_invoice,
    delete_invoice,
    find_invoice_by_number,
    get_client,
    get_invoice,
)
from domain.ledger.models import Invoice

Events = list[dict[str, Any]]


def _said(tracker: Tracker, name: str) -> list[dict[str, Any]]:
    return [e for e in tracker.latest_message.get("entities") or [] if e.get("entity") == name]


def _decimal(value: object) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def proposed(session: Session, owner_id: int, tracker: Tracker
             ) -> tuple[Invoice | None, dict[str, str]]:
    """The invoice meant and what the message changes on it: the amount said that is not
    its own (« 1 350 € pas 1 250 »), a due or invoice date said as such, a number said
    beside its own that no invoice of the client has."""
    numbers = [str(e["value"]) for e in _said(tracker, "invoice_number")]
    invoice = next((found[0] for n in numbers
                    if (found := find_invoice_by_number(session, owner_id, n))), None)
    invoice = invoice or resolve_invoice(session, owner_id, tracker)
    if invoice is None:
        return None, {}
    changes: dict[str, str] = {}
    amounts = {a for e in _said(tracker, "amount") if (a := _decimal(e["value"])) is not None}
    if len(amounts - {invoice.amount}) == 1:
        changes["amount"] = str((amounts - {invoice.amount}).pop())
    for e in _said(tracker, "date"):
        key = {"due": "due", "issued": "issued"}.get(str(e.get("role")))
        if key and key not in changes and _day(e["value"]) is not None:
            changes[key] = str(e["value"])
    other = [n for n in numbers if n != invoice.number
             and not find_invoice_by_number(session, owner_id, n, invoice.client_id)]
    if len(other) == 1:
        changes["new_number"] = other[0]
    return invoice, changes


def _before(invoice: Invoice) -> dict[str, str]:
    return {"amount": str(invoice.amount), "issued": invoice.invoice_date.isoformat(),
            "due": invoice.due_date.isoformat(), "new_number": invoice.number}


def _refused(invoice: Invoice, changes: dict[str, str]) -> dict[str, str] | None:
    """Why the ledger would refuse these changes (domain.ledger.correct_invoice), if it
    would: an amount below what was paid, a due date before the invoice's date."""
    if "amount" in changes and Decimal(changes["amount"]) < invoice.paid_amount:
        return {"problem": "below_paid", "paid": str(invoice.paid_amount)}
    issued = _day(changes.get("issued")) or invoice.invoice_date
    if (_day(changes.get("due")) or invoice.due_date) < issued:
        return {"problem": "due_before"}
    return None


class ActionFixInvoice(Action):
    def name(self) -> str:
        return "action_fix_invoice"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> Events:
        ctx = current()
        owner_id, today = await ctx.owner_id(tracker), ctx.today(tracker)
        confirm = entity(tracker, "confirm")
        if confirm == "yes":
            return await self._apply(dispatcher, tracker, owner_id, today)
        if confirm == "no":
            say(dispatcher, tracker, "nothing_changed")
            return []

        def look(session: Session) -> tuple[Invoice | None, dict[str, str], dict[str, str]]:
            invoice, changes = proposed(session, owner_id, tracker)
            return invoice, changes, (_before(invoice) if invoice else {})

        invoice, changes, before = await ctx.db(look, write=False)
        if invoice is None:
            say(dispatcher, tracker, "which_invoice", {},
                buttons=[("overdue", "/list_overdue")])
            return []
        refused = _refused(invoice, changes)
        if refused is not None:  # said now, not after the owner confirmed it
            say(dispatcher, tracker, "fix_refused", refused)
            return [SlotSet("invoice_id", float(invoice.id or 0))]
        if not changes:
            say(dispatcher, tracker, "fix_what", {"number": invoice.number})
            return [SlotSet("invoice_id", float(invoice.id or 0))]
        payload = as_json({"invoice": invoice.id, "confirm": "yes", **changes})
        say(dispatcher, tracker, "fix_confirm",
            {"number": invoice.number, "changes": [
                {"field": k, "before": before[k], "after": v} for k, v in changes.items()]},
            buttons=[("fix_yes", f"/fix_invoice{payload}"),
                     ("fix_no", f'/fix_invoice{as_json({"invoice": invoice.id, "confirm": "no"})}')])
        return [SlotSet("invoice_id", float(invoice.id or 0))]

    async def _apply(self, dispatcher: CollectingDispatcher, tracker: Tracker, owner_id: int,
                     today: date) -> Events:
        ctx = current()
        invoice_id = as_id(entity(tracker, "invoice"))
        amount = _decimal(entity(tracker, "amount")) if entity(tracker, "amount") else None
        issued, due = _day(entity(tracker, "issued")), _day(entity(tracker, "due"))
        number = str(entity(tracker, "new_number") or "") or None

        def store(session: Session) -> tuple[str, dict[str, Any]]:
            try:
                invoice = correct_invoice(session, owner_id, invoice_id or 0, amount=amount,
                                          invoice_date=issued, due_date=due, number=number)
            except NotFound:
                return "stale_button", {}
            except InvalidAmount:
                paid = get_invoice(session, owner_id, invoice_id or 0).paid_amount
                return "fix_refused", {"problem": "below_paid", "paid": str(paid)}
            except InvalidField:
                return "fix_refused", {"problem": "due_before"}
            except DuplicateInvoice:
                return "fix_refused", {"problem": "duplicate", "number": number}
            replan(session, owner_id, invoice.id, tracker)
            view = case_view(ctx, session, invoice, today)
            return "diagnosis_card", view.template_context(language(tracker))

        template, context = await ctx.db(store)
        if template == "diagnosis_card":
            say(dispatcher, tracker, "fixed", {"number": context["invoice"]["number"]})
        say(dispatcher, tracker, template, context)
        return [SlotSet("invoice_id", float(invoice_id))] if invoice_id else []


class ActionDeleteInvoice(Action):
    def name(self) -> str:
        return "action_delete_invoice"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> Events:
        ctx = current()
        owner_id = await ctx.owner_id(tracker)
        confirm = entity(tracker, "confirm")
        if confirm == "no":
            say(dispatcher, tracker, "nothing_changed")
            return []
        confirmed = confirm == "yes"

        def act(session: Session) -> dict[str, Any] | None:
            invoice = resolve_invoice(session, owner_id, tracker)
            if invoice is None or invoice.id is None:
                return None
            facts = {"id": invoice.id, "number": invoice.number, "amount": str(invoice.amount),
                     "client": get_client(session, owner_id, invoice.client_id).name,
                     "paid": str(invoice.paid_amount)}
            if confirmed:
                delete_invoice(session, owner_id, invoice.id)
            return facts

        facts = await ctx.db(act, write=confirmed)
        if facts is None:
            if confirmed:
                say(dispatcher, tracker, "stale_button")
            else:
                say(dispatcher, tracker, "which_invoice", {},
                    buttons=[("overdue", "/list_overdue")])
            return []
        if confirmed:
            say(dispatcher, tracker, "deleted", facts, buttons=[("what_now", "/what_now")])
            return [SlotSet("invoice_id", None)]
        say(dispatcher, tracker, "delete_confirm", facts, buttons=[
            ("delete_yes", f'/delete_invoice{as_json({"invoice": facts["id"], "confirm": "yes"})}'),
            ("delete_no", f'/delete_invoice{as_json({"invoice": facts["id"], "confirm": "no"})}')])
        return [SlotSet("invoice_id", float(facts["id"]))]
