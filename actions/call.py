"""The call form: "j'ai appelé Dupont" — outcome, and for a promise its amount and date."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlmodel import Session

from actions.answers import PromiseAnswers, amount_said, form_slots, opening_words
from actions.base import say
from actions.context import current
from actions.invoices import form_reference, invoice_about, not_open
from actions.parsing import pick
from actions.replan import replan
from domain.ledger import log_interaction, log_promise, record_dispute
from domain.ledger.enums import ContactChannel, LadderStep, Outcome

Slots = dict[str, Any]
OUTCOME_WORDS = {
    "promise": ("promis", "promet", "promesse", "paiera", "paie", "payer", "promised", "will pay"),
    "voicemail": ("messagerie", "répondeur", "repondeur", "message", "voicemail"),
    "unreachable": ("injoignable", "pas répondu", "pas repondu", "personne", "no answer",
                    "unreachable"),
    "dispute": ("conteste", "contestation", "litige", "pas d'accord", "disputes", "dispute"),
    "answered": ("répondu", "repondu", "parlé", "parle", "eu", "answered", "spoke"),
}
# What the message that opens the form may already say of the call ("j'ai appelé Dupont, il
# a promis 500 € vendredi"): only unambiguous words ("payer" is not a promise: "il ne veut
# pas payer"), each outcome's own.
SAID_OUTCOME = {
    "promise": ("promis", "promise", "promet", "promettent", "promised", "promises"),
    "voicemail": ("messagerie", "répondeur", "repondeur", "voicemail"),
    "unreachable": ("injoignable", "pas répondu", "pas repondu", "no answer", "unreachable"),
    "dispute": ("conteste", "contestent", "litige", "disputes"),
}
_NEGATION = re.compile(r"\b(?:pas|rien|jamais|aucune?|not|never|no)\b|n't\b")
STEP_OF = {Outcome.ANSWERED: LadderStep.FRIENDLY_CALL, Outcome.PROMISE: LadderStep.FRIENDLY_CALL,
           Outcome.DISPUTE: LadderStep.FRIENDLY_CALL}


class ValidateCallForm(PromiseAnswers, FormValidationAction):
    def name(self) -> str:
        return "validate_call_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: dict[str, Any]) -> list[str]:
        """The promise's amount and date are asked only when the client promised."""
        if tracker.get_slot("call_outcome") == Outcome.PROMISE.value:
            return domain_slots
        return [s for s in domain_slots if s not in ("promise_amount", "promise_date")]

    async def extract_call_outcome(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: dict[str, Any]) -> Slots:
        """The outcome said with the call ("…, il m'a promis 500 € vendredi"): not asked."""
        text = opening_words(tracker, "call_outcome")
        said = pick_said(text) if text is not None else None
        return {"call_outcome": said} if said else {}

    def validate_call_outcome(self, value: Any, dispatcher: CollectingDispatcher,
                              tracker: Tracker, domain: dict[str, Any]) -> Slots:
        outcome = pick(value, OUTCOME_WORDS)
        if outcome is None:
            say(dispatcher, tracker, "invalid_choice")
        return {"call_outcome": outcome}


def pick_said(text: str) -> str | None:
    """The one outcome whose words the message has (none when two outcomes are named)."""
    folded = text.lower()
    said = {key for key, words in SAID_OUTCOME.items()
            if any(re.search(rf"\b{re.escape(w)}\b", folded) for w in words)}
    if _NEGATION.search(folded):  # "il n'a rien promis", "he never promised"
        said.discard("promise")
    return said.pop() if len(said) == 1 else None


class ActionSubmitCall(Action):
    def name(self) -> str:
        return "action_submit_call"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        ctx = current()
        owner_id, today = await ctx.owner_id(tracker), ctx.today(tracker)
        client = str(tracker.get_slot("client"))
        outcome = Outcome(str(tracker.get_slot("call_outcome")))
        raw_amount, raw_date = tracker.get_slot("promise_amount"), tracker.get_slot("promise_date")
        named = form_reference(tracker, "call_form")

        def store(session: Session) -> tuple[int, str | None] | dict[str, Any]:
            invoice = invoice_about(session, owner_id, client, named)
            if invoice is None or invoice.id is None:
                return not_open(session, owner_id, client, named)
            invoice_id, promised = invoice.id, None
            call = log_interaction(session, owner_id, invoice_id, today, ContactChannel.CALL,
                                   outcome, ladder_step=STEP_OF.get(outcome))
            if outcome is Outcome.PROMISE and raw_amount and raw_date:
                promised = amount_said(raw_amount, invoice)
                log_promise(session, owner_id, invoice_id, promised,
                            date.fromisoformat(str(raw_date)), interaction_id=call.id)
            elif outcome is Outcome.DISPUTE:
                record_dispute(session, owner_id, invoice_id, "")
            replan(session, owner_id, invoice_id, tracker)
            return invoice_id, (str(promised) if promised is not None else None)

        stored = await ctx.db(store)
        clear = [SlotSet(s, None) for s in form_slots(domain, "call_form")]
        if isinstance(stored, dict):
            say(dispatcher, tracker, "no_open_invoice", stored,
                buttons=[("new_invoice", "/add_invoice")])
            return clear
        follow = {Outcome.PROMISE: ("recap_email", "recap_email"),
                  Outcome.DISPUTE: ("dispute_reply", "dispute_reply")}.get(outcome)
        invoice_id, promised_amount = stored
        say(dispatcher, tracker, "call_logged", {
            "client": client, "outcome": outcome.value, "amount": promised_amount,
            "date": raw_date},
            buttons=[(follow[0], f'/ask_wording{{"invoice":{invoice_id},"step":"{follow[1]}"}}')]
            if follow else [("what_now", "/what_now")])
        return [*clear, SlotSet("invoice_id", float(invoice_id))]
