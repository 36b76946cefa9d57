"""action_invoice_status: where one client's or invoice's case stands, penalties now."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlmodel import Session

from actions.answers import as_json, offer_clients_named
from actions.base import say
from actions.cases import CaseView, case_view
from actions.context import current, language
from actions.invoices import resolve_invoice


class ActionInvoiceStatus(Action):
    def name(self) -> str:
        return "action_invoice_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        ctx = current()
        owner_id, today = await ctx.owner_id(tracker), ctx.today(tracker)

        def find(session: Session) -> CaseView | None:
            invoice = resolve_invoice(session, owner_id, tracker)
            return case_view(ctx, session, invoice, today) if invoice else None

        view = await ctx.db(find, write=False)
        if view is None:
            if await offer_clients_named(dispatcher, tracker, owner_id, lambda name: (
                    f"/invoice_status{as_json({'client': name})}")):
                return [SlotSet("invoice_id", None)]
            return [SlotSet("invoice_id", None), *self._list(dispatcher, tracker)]
        card = view.template_context(language(tracker))
        step = card["diag"]["next_step"]["step"]
        settled = card["invoice"]["status"] == "paid"  # nothing more to chase by default
        buttons = [("wording", f'/ask_wording{{"invoice":{view.invoice.id},"step":"{step}"}}')
                   ] if step and not settled else []
        say(dispatcher, tracker, "diagnosis_card", card, buttons=buttons)
        return [SlotSet("invoice_id", float(view.invoice.id or 0))]

    @staticmethod
    def _list(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        say(dispatcher, tracker, "which_invoice", {},
            buttons=[("overdue", "/list_overdue"), ("new_invoice", "/add_invoice")])
        return []
