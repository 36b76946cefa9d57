"""The client's postal address, asked when a formal notice is wanted and the ledger does not
know where to send it (the button under the letter), then printed on the letter."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlmodel import Session

from actions.base import say
from actions.context import current
from actions.invoices import as_id, entity
from domain.address import postal_address
from domain.errors import InvalidInput
from domain.ledger import NotFound, get_client, get_invoice, update_client


class ValidateAddressForm(FormValidationAction):
    def name(self) -> str:
        return "validate_address_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = list(await super().run(dispatcher, tracker, domain))
        invoice_id = as_id(entity(tracker, "invoice"))  # the button names the invoice
        if invoice_id is not None:
            events.append(SlotSet("invoice_id", float(invoice_id)))
        return events

    def validate_client_address(self, value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        try:
            address = postal_address(str(value or ""))
        except InvalidInput:
            address = None
        if address is None:
            say(dispatcher, tracker, "invalid_address")
        return {"client_address": address}


class ActionSubmitAddress(Action):
    def name(self) -> str:
        return "action_submit_address"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        ctx = current()
        owner_id = await ctx.owner_id(tracker)
        address = str(tracker.get_slot("client_address"))
        invoice_id = as_id(tracker.get_slot("invoice_id"))

        def store(session: Session) -> str | None:
            if invoice_id is None:
                return None
            try:  # another owner's invoice is the same as a missing one
                invoice = get_invoice(session, owner_id, invoice_id)
                client = get_client(session, owner_id, invoice.client_id)
            except NotFound:
                return None
            assert client.id is not None
            update_client(session, owner_id, client.id, address=address)
            return client.name

        client = await ctx.db(store)
        clear = [SlotSet("client_address", None)]
        if client is None:
            say(dispatcher, tracker, "which_invoice", {}, buttons=[("overdue", "/list_overdue")])
            return clear
        say(dispatcher, tracker, "address_saved", {"client": client, "address": address},
            buttons=[("formal_notice",
                      f'/ask_wording{{"invoice":{invoice_id},"step":"formal_notice"}}')])
        return clear
