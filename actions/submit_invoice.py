"""action_submit_invoice: stores the invoice the form collected and shows its diagnosis card."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlmodel import Session

from actions.answers import form_slots
from actions.base import say
from actions.cases import CaseView, case_view, debtor_kind
from actions.context import current, language
from actions.replan import replan
from actions.steps import record_step
from domain.ladder import LadderStep
from domain.ledger import (
    DuplicateInvoice,
    add_client,
    add_invoice,
    find_client_by_name,
    find_invoice_by_number,
)


class ActionSubmitInvoice(Action):
    def name(self) -> str:
        return "action_submit_invoice"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        ctx = current()
        owner_id, today = await ctx.owner_id(tracker), ctx.today(tracker)
        slots = {name: tracker.get_slot(name) for name in form_slots(domain, "invoice_form")}

        def store(session: Session) -> CaseView:
            merchant = {"yes": True, "no": False}.get(str(slots.get("client_is_merchant")))
            client = find_client_by_name(session, owner_id, slots["client"]) or add_client(
                session, owner_id, slots["client"], debtor_kind(slots["debtor_kind"]),
                is_merchant=merchant)
            assert client.id is not None
            if client.is_merchant is None and merchant is not None:
                client.is_merchant = merchant
                session.add(client)
            try:
                invoice = add_invoice(
                    session, owner_id, client.id, slots["invoice_number"],
                    Decimal(slots["amount"]), date.fromisoformat(slots["invoice_date"]),
                    date.fromisoformat(slots["due_date"]), terms=tracker.get_slot("terms_text"))
            except DuplicateInvoice:
                invoice = find_invoice_by_number(session, owner_id, slots["invoice_number"],
                                                 client.id)[0]
            step = slots["steps_taken"]
            if step in {s.value for s in LadderStep} and invoice.id is not None:
                record_step(ctx, session, owner_id, invoice.id, LadderStep(step), today)
            replan(session, owner_id, invoice.id, tracker)
            return case_view(ctx, session, invoice, today)

        view = await ctx.db(store)
        card = view.template_context(language(tracker))
        step = card["diag"]["next_step"]["step"]
        say(dispatcher, tracker, "diagnosis_card", card,
            buttons=[("wording", f'/ask_wording{{"step":"{step}"}}'),
                     ("what_now", "/what_now")] if step else [("what_now", "/what_now")])
        return [SlotSet(name, None) for name in (*slots, "terms_text")] + [
            SlotSet("invoice_id", float(view.invoice.id or 0))]
