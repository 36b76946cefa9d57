"""The dispute form: the client contests — reason, proof checklist, a written answer."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlmodel import Session

from actions.answers import ClientSpokenOf, client_with_open_invoice, form_slots, opening_words
from actions.base import say
from actions.context import current
from actions.invoices import form_reference, invoice_about, not_open
from actions.replan import replan
from domain.ledger import record_dispute

MAX_REASON = 500


class ValidateDisputeForm(ClientSpokenOf, FormValidationAction):
    def name(self) -> str:
        return "validate_dispute_form"

    async def validate_client(self, value: Any, dispatcher: CollectingDispatcher,
                              tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        return await client_with_open_invoice(self.name().removeprefix("validate_"), value,
                                              dispatcher, tracker)

    async def extract_dispute_reason(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: dict[str, Any]) -> dict[str, Any]:
        """The reason said with the dispute (« Martin conteste, il dit que les travaux ne
        sont pas finis »): not asked again."""
        text = opening_words(tracker, "dispute_reason")
        reason = said_reason(text) if text is not None else None
        return {"dispute_reason": reason} if reason else {}

    def validate_dispute_reason(self, value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        reason = " ".join(str(value or "").split())[:MAX_REASON]
        return {"dispute_reason": reason or None}


_DISPUTE_CUE = re.compile(r"\b(?:contest(?:e|ent|é|ée)|disputes?|disputed|litige)\b", re.IGNORECASE)
_REASON_LEAD = re.compile(r"^(?:[,.:;!-]|\s|et|and|car|parce que|parce qu'|because|en disant que"
                          r"|il dit que|elle dit que|ils disent que|il dit qu'|elle dit qu'"
                          r"|he says|she says|they say|saying)+", re.IGNORECASE)
_NO_REASON = re.compile(r"(?:la|ma|sa|notre|cette|the|my|our)? ?(?:facture|invoice)"
                        r"(?: [\w-]*\d[\w-]*)?\W*", re.IGNORECASE)


def said_reason(text: str) -> str | None:
    """What follows the dispute in the message, when it says why (two words or more, not
    merely « la facture »)."""
    cue = _DISPUTE_CUE.search(text)
    if cue is None:
        return None
    reason = _REASON_LEAD.sub("", text[cue.end():]).strip()
    if _NO_REASON.fullmatch(reason):
        return None
    invoice = _NO_REASON.match(reason)  # « la facture car … »: the why after it
    if invoice is not None and invoice.end():
        reason = _REASON_LEAD.sub("", reason[invoice.end():]).strip()
    if reason.lower().startswith(("par ", "by ")):  # « contestée par Dupont »: who, not why
        return None
    return reason if len(reason.split()) >= 2 else None


class ActionSubmitDispute(Action):
    def name(self) -> str:
        return "action_submit_dispute"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        ctx = current()
        owner_id = await ctx.owner_id(tracker)
        client, reason = str(tracker.get_slot("client")), str(tracker.get_slot("dispute_reason"))
        named = form_reference(tracker, "dispute_form")

        def store(session: Session) -> tuple[int, str] | dict[str, Any]:
            invoice = invoice_about(session, owner_id, client, named)
            if invoice is None or invoice.id is None:
                return not_open(session, owner_id, client, named)
            record_dispute(session, owner_id, invoice.id, reason)
            replan(session, owner_id, invoice.id, tracker)
            return invoice.id, invoice.number

        found = await ctx.db(store)
        clear = [SlotSet(s, None) for s in form_slots(domain, "dispute_form")]
        if isinstance(found, dict):
            say(dispatcher, tracker, "no_open_invoice", found)
            return clear
        invoice_id, number = found
        say(dispatcher, tracker, "dispute_logged", {"client": client, "number": number,
                                                    "reason": reason},
            buttons=[("dispute_reply",
                      f'/ask_wording{{"invoice":{invoice_id},"step":"dispute_reply"}}')])
        return [*clear, SlotSet("invoice_id", float(invoice_id))]
