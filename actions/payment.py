"""The payment form: "Dupont a payé 500 €" — full or partial payment of the oldest invoice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlmodel import Session

from actions.answers import amount, client_with_open_invoice, form_slots
from actions.base import say
from actions.cases import case_view, oldest_open_invoice
from actions.context import current
from actions.invoices import form_entity
from actions.replan import replan
from domain.ledger import InvalidAmount, record_payment

Slots = dict[str, Any]


class ValidatePaymentForm(FormValidationAction):
    def name(self) -> str:
        return "validate_payment_form"

    async def validate_client(self, value: Any, dispatcher: CollectingDispatcher,
                              tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        return await client_with_open_invoice(self.name().removeprefix("validate_"), value,
                                              dispatcher, tracker)

    def validate_payment_amount(self, value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: dict[str, Any]) -> Slots:
        return amount("payment_amount", value, dispatcher, tracker)


def stated_day(tracker: Tracker) -> date | None:
    """The date the owner gave with the payment ("a payé 500 € hier", "le 20/11", "samedi":
    the runner reads dates about a payment as past ones), in any message of this payment
    form."""
    try:
        return date.fromisoformat(str(form_entity(tracker, "payment_form", "date")))
    except ValueError:
        return None


def payment_day(stated: date | None, today: date, issued: date) -> date:
    """The day the money came: the one stated when it is neither after today nor before
    the invoice, else today."""
    return stated if stated is not None and issued <= stated <= today else today


class ActionSubmitPayment(Action):
    def name(self) -> str:
        return "action_submit_payment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        ctx = current()
        owner_id, today = await ctx.owner_id(tracker), ctx.today(tracker)
        client = str(tracker.get_slot("client"))
        received = Decimal(str(tracker.get_slot("payment_amount")))
        stated = stated_day(tracker)

        def store(session: Session) -> tuple[str, dict[str, str]]:
            invoice = oldest_open_invoice(session, owner_id, client)
            if invoice is None or invoice.id is None:
                return "no_open_invoice", {"client": client}
            paid_on = payment_day(stated, today, invoice.invoice_date)
            try:
                record_payment(session, owner_id, invoice.id or 0, received, paid_on)
            except InvalidAmount:
                return "payment_too_large", {
                    "client": client, "number": invoice.number,
                    "remaining": str(invoice.amount - invoice.paid_amount)}
            replan(session, owner_id, invoice.id, tracker)
            # What is left on the invoice, and all that can be claimed: the payment may have
            # gone to penalties first (C. civ. 1343-1), as "mes retards" will show.
            claimable = case_view(ctx, session, invoice, today).diagnosis.total_claimable
            return "payment_logged", {
                "client": client, "number": invoice.number, "amount": str(received),
                "paid_on": paid_on.isoformat() if paid_on != today else "",
                "remaining": str(invoice.amount - invoice.paid_amount),
                "claimable": str(claimable)}

        template, context = await ctx.db(store)
        say(dispatcher, tracker, template, context)
        return [SlotSet(s, None) for s in form_slots(domain, "payment_form")]
