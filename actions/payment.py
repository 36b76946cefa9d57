"""The payment form: "Dupont a payé 500 €" — full or partial payment of the invoice named,
else of the client's invoice due first."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlmodel import Session

from actions.answers import (
    IN_FULL,
    ClientSpokenOf,
    amount_or_rest,
    amount_said,
    as_json,
    client_with_open_invoice,
    form_slots,
    opening_words,
)
from actions.base import say
from actions.cases import case_view
from actions.context import current
from actions.invoices import form_entity, form_reference, invoice_about, not_open, unpaid_invoices
from actions.replan import replan
from domain.ledger import InvalidAmount, list_invoices, record_payment
from domain.ledger.enums import CLOSED_STATUSES
from domain.ledger.models import Invoice

Slots = dict[str, Any]
# « Dupont a tout payé », « paid in full »: the payment is what is left on the invoice.
_IN_FULL = re.compile(r"\b(?:tout (?:pay[ée]|r[ée]gl[ée]|vers[ée])|(?:pay[ée]|r[ée]gl[ée]|sold[ée])"
                      r"(?: en)? (?:totalit[ée]|int[ée]gralit[ée])|en totalit[ée]|paid in full"
                      r"|paid (?:it )?all|paid everything|settled in full)\b", re.IGNORECASE)


class ValidatePaymentForm(ClientSpokenOf, FormValidationAction):
    def name(self) -> str:
        return "validate_payment_form"

    async def validate_client(self, value: Any, dispatcher: CollectingDispatcher,
                              tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        return await client_with_open_invoice(self.name().removeprefix("validate_"), value,
                                              dispatcher, tracker)

    async def extract_payment_amount(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: dict[str, Any]) -> Slots:
        """« Dupont a tout payé », « paid in full »: the rest of the invoice, not asked."""
        text = opening_words(tracker, "payment_amount")
        return {"payment_amount": IN_FULL} if text and _IN_FULL.search(text) else {}

    def validate_payment_amount(self, value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: dict[str, Any]) -> Slots:
        return amount_or_rest("payment_amount", value, dispatcher, tracker)


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


def still_owed(session: Session, owner_id: int, invoice: Invoice) -> list[dict[str, str]]:
    """Once `invoice` is settled, the client's other unpaid invoices, for the reply to name
    (« il a tout payé » pays the oldest one only); nothing while it is not."""
    if invoice.amount - invoice.paid_amount > 0:
        return []
    return [{"number": i.number, "remaining": str(i.amount - i.paid_amount)}
            for i in list_invoices(session, owner_id, client_id=invoice.client_id)
            if i.status not in CLOSED_STATUSES and i.id != invoice.id]


ALL = "*"  # the invoice number of a button that means all the client's unpaid invoices
MAX_INVOICE_CHOICES = 4  # buttons paid_invoice_1 … paid_invoice_4, then paid_all


def which_paid_buttons(client: str, numbers: list[str], stated: date | None
                       ) -> list[tuple[str, str]]:
    """« Tout payé » said of a client with several unpaid invoices: a button per invoice
    (paid in full), then one for all of them; each starts the payment again, answered."""
    day = {"date": stated.isoformat()} if stated else {}

    def payload(number: str) -> str:
        return "/report_payment" + as_json({"client": client, "amount": IN_FULL,
                                            "invoice_number": number, **day})

    return [*((f"paid_invoice_{k}", payload(n)) for k, n in enumerate(numbers, start=1)),
            ("paid_all", payload(ALL))]


class ActionSubmitPayment(Action):
    def name(self) -> str:
        return "action_submit_payment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        ctx = current()
        owner_id, today = await ctx.owner_id(tracker), ctx.today(tracker)
        client = str(tracker.get_slot("client"))
        said = str(tracker.get_slot("payment_amount"))
        stated = stated_day(tracker)
        named = form_reference(tracker, "payment_form")

        def store(session: Session) -> tuple[str, dict[str, Any]]:
            if said == IN_FULL and named in (None, "", ALL):
                unpaid = unpaid_invoices(session, owner_id, client)
                if named == ALL:  # (pressed again once all is paid: nothing left)
                    return settle_all(session, unpaid) if unpaid else (
                        "no_open_invoice", {"client": client})
                if len(unpaid) > 1:  # « il a tout payé »: all of them, or one?
                    return "which_paid", {"client": client, "unpaid": [
                        {"number": i.number, "remaining": str(i.amount - i.paid_amount)}
                        for i in unpaid[:MAX_INVOICE_CHOICES]],
                        "total": str(sum(i.amount - i.paid_amount for i in unpaid)),
                        "more": len(unpaid) - MAX_INVOICE_CHOICES}
            invoice = invoice_about(session, owner_id, client, named)
            if invoice is None or invoice.id is None:
                return "no_open_invoice", not_open(session, owner_id, client, named)
            received = amount_said(said, invoice)
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
            view = case_view(ctx, session, invoice, today)
            claimable = view.diagnosis.total_claimable
            return "payment_logged", {
                "consumer": view.client.kind.value == "consumer",
                "client": client, "number": invoice.number, "amount": str(received),
                "paid_on": paid_on.isoformat() if paid_on != today else "",
                "remaining": str(invoice.amount - invoice.paid_amount),
                "claimable": str(claimable), "others": still_owed(session, owner_id, invoice),
                "invoice_id": invoice.id}  # (the conversation is about it now)

        def settle_all(session: Session, unpaid: list[Invoice]) -> tuple[str, dict[str, Any]]:
            """Each of the client's unpaid invoices paid in full, the day said, if any."""
            paid = []
            for invoice in unpaid:
                received = invoice.amount - invoice.paid_amount
                record_payment(session, owner_id, invoice.id or 0, received,
                               payment_day(stated, today, invoice.invoice_date))
                replan(session, owner_id, invoice.id or 0, tracker)
                paid.append({"number": invoice.number, "amount": str(received)})
            return "payments_logged", {"client": client, "payments": paid,
                                       "invoice_id": unpaid[0].id}

        template, context = await ctx.db(store)
        touched = context.pop("invoice_id", None)
        if template == "which_paid":
            say(dispatcher, tracker, template, context, buttons=which_paid_buttons(
                client, [i["number"] for i in context["unpaid"]], stated))
            return [SlotSet(s, None) for s in form_slots(domain, "payment_form")]
        say(dispatcher, tracker, template, context)
        return [*(SlotSet(s, None) for s in form_slots(domain, "payment_form")),
                *([SlotSet("invoice_id", float(touched))] if touched else [])]
