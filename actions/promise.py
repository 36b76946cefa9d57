"""The promise form: "Dupont m'a promis 500 € vendredi" — validation and submission."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlmodel import Session

from actions.answers import HALF, IN_FULL, PromiseAnswers, amount_said, form_slots, opening_words
from actions.base import say
from actions.context import current
from actions.invoices import form_reference, invoice_about, not_open
from actions.replan import replan
from domain.ledger import log_interaction, log_promise
from domain.ledger.enums import ContactChannel, LadderStep, Outcome

# « … et promet le reste vendredi », « promised the balance by Friday »
_REST_PROMISED = re.compile(r"\b(?:promet|promis|promettent|promised|promises|will pay)\s+"
                            r"(?:de (?:payer|régler|verser) )?(?:le reste|le solde|the rest"
                            r"|the balance)\b", re.IGNORECASE)
# « il paiera la moitié lundi », « he will pay half next week »
_HALF_PROMISED = re.compile(r"\b(?:promet|promis|paiera|payer|versera|r[ée]glera|pay|promised)"
                            r"\s+(?:de (?:payer|régler|verser) )?(?:la moiti[ée]|half)\b",
                            re.IGNORECASE)


class ValidatePromiseForm(PromiseAnswers, FormValidationAction):
    def name(self) -> str:
        return "validate_promise_form"

    async def extract_promise_amount(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: dict[str, Any]) -> dict[str, Any]:
        """« promet le reste vendredi »: what is left on the invoice, not asked."""
        text = opening_words(tracker, "promise_amount")
        if text is None:
            return {}
        if _REST_PROMISED.search(text):
            return {"promise_amount": IN_FULL}
        return {"promise_amount": HALF} if _HALF_PROMISED.search(text) else {}


class ActionSubmitPromise(Action):
    def name(self) -> str:
        return "action_submit_promise"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        ctx = current()
        owner_id, today = await ctx.owner_id(tracker), ctx.today(tracker)
        client = str(tracker.get_slot("client"))
        said = tracker.get_slot("promise_amount")
        promised = date.fromisoformat(str(tracker.get_slot("promise_date")))
        named = form_reference(tracker, "promise_form")

        def store(session: Session) -> tuple[str, Decimal, int] | dict[str, Any]:
            invoice = invoice_about(session, owner_id, client, named)
            if invoice is None or invoice.id is None:
                return not_open(session, owner_id, client, named)
            promised_amount = amount_said(said, invoice)
            call = log_interaction(session, owner_id, invoice.id, today,
                                   ContactChannel.CALL, Outcome.PROMISE,
                                   ladder_step=LadderStep.FRIENDLY_CALL)
            log_promise(session, owner_id, invoice.id, promised_amount, promised,
                        interaction_id=call.id)
            replan(session, owner_id, invoice.id, tracker)
            return invoice.number, promised_amount, invoice.id

        stored = await ctx.db(store)
        clear = [SlotSet(s, None) for s in form_slots(domain, "promise_form")]
        if isinstance(stored, dict):
            say(dispatcher, tracker, "no_open_invoice", stored,
                buttons=[("new_invoice", "/add_invoice")])
            return clear
        number, promised_amount, invoice_id = stored
        say(dispatcher, tracker, "promise_logged", {
            "client": client, "amount": str(promised_amount), "date": promised.isoformat(),
            "number": number})
        return [*clear, SlotSet("invoice_id", float(invoice_id))]
