"""The payment-plan form: a client in difficulty pays in monthly instalments."""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlmodel import Session

from actions.answers import ClientSpokenOf, client_with_open_invoice, form_slots, opening_words
from actions.base import say
from actions.context import current
from actions.invoices import form_reference, invoice_about, not_open
from actions.parsing import as_date
from actions.replan import replan
from domain.calendar import add_months
from domain.ledger import create_payment_plan

MAX_INSTALMENTS = 24
_COUNT = re.compile(r"\b(?:en|in)\s+(\d{1,2})\s*(?:fois|mensualit[ée]s|[ée]ch[ée]ances|versements"
                    r"|instal+ments|payments|times)\b", re.IGNORECASE)


def split_amount(total: Decimal, count: int) -> list[Decimal]:
    """Equal instalments to the cent; the last one takes the remainder."""
    share = (total / count).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return [share] * (count - 1) + [total - share * (count - 1)]


class ValidatePlanForm(ClientSpokenOf, FormValidationAction):
    def name(self) -> str:
        return "validate_plan_form"

    async def validate_client(self, value: Any, dispatcher: CollectingDispatcher,
                              tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        return await client_with_open_invoice(self.name().removeprefix("validate_"), value,
                                              dispatcher, tracker)

    async def extract_instalment_count(self, dispatcher: CollectingDispatcher,
                                       tracker: Tracker, domain: dict[str, Any]
                                       ) -> dict[str, Any]:
        """« il veut payer en 4 fois », « in 3 instalments »: the count, not asked again."""
        text = opening_words(tracker, "instalment_count")
        said = _COUNT.search(text) if text is not None else None
        return {"instalment_count": said.group(1)} if said else {}

    def validate_instalment_count(self, value: Any, dispatcher: CollectingDispatcher,
                                  tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        digits = "".join(ch for ch in str(value) if ch.isdigit())[:3]
        if not digits or not 2 <= int(digits) <= MAX_INSTALMENTS:
            say(dispatcher, tracker, "invalid_instalments", {"max": MAX_INSTALMENTS})
            return {"instalment_count": None}
        return {"instalment_count": digits}

    def validate_first_instalment(self, value: Any, dispatcher: CollectingDispatcher,
                                  tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        day = as_date(value)
        if day is None or day < current().today(tracker):
            say(dispatcher, tracker, "invalid_date", {"answer": str(value)[:60]})
            return {"first_instalment": None}
        return {"first_instalment": day.isoformat()}


class ActionSubmitPlan(Action):
    def name(self) -> str:
        return "action_submit_plan"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        ctx = current()
        owner_id = await ctx.owner_id(tracker)
        client = str(tracker.get_slot("client"))
        count = int(str(tracker.get_slot("instalment_count")))
        first = date.fromisoformat(str(tracker.get_slot("first_instalment")))
        named = form_reference(tracker, "plan_form")

        def store(session: Session) -> tuple[str, list[tuple[date, Decimal]]] | dict[str, Any]:
            invoice = invoice_about(session, owner_id, client, named)
            if invoice is None or invoice.id is None:
                return not_open(session, owner_id, client, named)
            parts = split_amount(invoice.amount - invoice.paid_amount, count)
            schedule = [(add_months(first, i), part) for i, part in enumerate(parts)]
            create_payment_plan(session, owner_id, invoice.id or 0, schedule)
            replan(session, owner_id, invoice.id, tracker)
            return invoice.number, schedule

        found = await ctx.db(store)
        clear = [SlotSet(s, None) for s in form_slots(domain, "plan_form")]
        if isinstance(found, dict):
            say(dispatcher, tracker, "no_open_invoice", found)
            return clear
        number, schedule = found
        say(dispatcher, tracker, "plan_logged", {
            "client": client, "number": number,
            "instalments": [{"date": d.isoformat(), "amount": str(a)} for d, a in schedule]})
        return clear
