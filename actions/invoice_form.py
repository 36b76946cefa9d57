"""validate_invoice_form: checks each answer of the "new unpaid invoice" form."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlmodel import Session

from actions.answers import amount, client_name
from actions.base import say
from actions.context import current
from actions.parsing import (
    KIND_WORDS,
    STEP_WORDS,
    as_date,
    due_from_answer,
    merchant_answer,
    pick,
)
from domain.ledger import find_client_by_name

Slots = dict[str, Any]


def _known(session: Session, owner_id: int, name: str) -> tuple[str, bool | None] | None:
    client = find_client_by_name(session, owner_id, name)
    return None if client is None else (client.kind.value, client.is_merchant)


class ValidateInvoiceForm(FormValidationAction):
    def name(self) -> str:
        return "validate_invoice_form"

    async def validate_client(self, value: Any, dispatcher: CollectingDispatcher,
                              tracker: Tracker, domain: dict[str, Any]) -> Slots:
        """A client already known brings what is known of it: a professional or a consumer,
        a merchant or not (the invoice is stored on that client, so asking again would
        only ask for answers that are not used)."""
        slots = client_name("client", value, dispatcher, tracker)
        if slots["client"] is None:
            return slots
        ctx = current()
        owner_id = await ctx.owner_id(tracker)
        known = await ctx.db(lambda session: _known(session, owner_id, slots["client"]),
                             write=False)
        if known is not None:
            kind, merchant = known
            slots["debtor_kind"] = kind
            if merchant is not None and kind == "professional":
                slots["client_is_merchant"] = "yes" if merchant else "no"
        return slots

    def validate_amount(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                        domain: dict[str, Any]) -> Slots:
        return amount("amount", value, dispatcher, tracker)

    def validate_invoice_number(self, value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: dict[str, Any]) -> Slots:
        number = str(value or "").strip()
        if not 0 < len(number) <= 64 or not any(c.isdigit() for c in number):  # « business »
            say(dispatcher, tracker, "invalid_invoice_number")
            return {"invoice_number": None}
        return {"invoice_number": number}

    def validate_invoice_date(self, value: Any, dispatcher: CollectingDispatcher,
                              tracker: Tracker, domain: dict[str, Any]) -> Slots:
        day = as_date(value)
        today = current().today(tracker)
        if day is None or day > today or day < date(2000, 1, 1):
            say(dispatcher, tracker, "invalid_date", {"answer": str(value)[:60]})
            return {"invoice_date": None}
        pending = tracker.get_slot("due_date")
        if pending and as_date(pending) is None:  # terms said before the invoice date
            result = due_from_answer(pending, day)
            return {"invoice_date": day.isoformat(),
                    "due_date": result[0].isoformat() if result else None,
                    "terms_text": result[1] if result else None}
        return {"invoice_date": day.isoformat()}

    def validate_due_date(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: dict[str, Any]) -> Slots:
        invoice_date = as_date(tracker.get_slot("invoice_date"))
        if invoice_date is None:  # said before the invoice date: a date, or terms for later
            if as_date(value) is not None or due_from_answer(value, date(2000, 1, 1)):
                return {"due_date": str(value)[:80]}
            say(dispatcher, tracker, "invalid_due_date", {"answer": str(value)[:60]})
            return {"due_date": None}
        result = due_from_answer(value, invoice_date)
        if result is None:
            say(dispatcher, tracker, "invalid_due_date", {"answer": str(value)[:60]})
            return {"due_date": None}
        return {"due_date": result[0].isoformat(), "terms_text": result[1]}

    def validate_debtor_kind(self, value: Any, dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: dict[str, Any]) -> Slots:
        kind = pick(value, KIND_WORDS)
        if kind is None:
            say(dispatcher, tracker, "invalid_choice")
        return {"debtor_kind": kind}

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: dict[str, Any]) -> list[str]:
        """A consumer is never a merchant: that question is for professional clients only."""
        if tracker.get_slot("debtor_kind") == "consumer":
            return [s for s in domain_slots if s != "client_is_merchant"]
        return domain_slots

    def validate_client_is_merchant(self, value: Any, dispatcher: CollectingDispatcher,
                                    tracker: Tracker, domain: dict[str, Any]) -> Slots:
        answer = merchant_answer(value)
        if answer is None:
            say(dispatcher, tracker, "invalid_choice")
        return {"client_is_merchant": answer}

    def validate_steps_taken(self, value: Any, dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: dict[str, Any]) -> Slots:
        step = pick(value, STEP_WORDS)
        if step is None:
            say(dispatcher, tracker, "invalid_choice")
        return {"steps_taken": step}
