"""Postal addresses the formal notice prints: the client's (where it is sent) and the
owner's (its header, and the town it is written from). Each is asked by a button under the
letter when the ledger does not know it (the owner's also from the settings), checked by
`domain.address.postal_address`, then printed on the letter."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlmodel import Session

from actions.base import say
from actions.context import current
from actions.invoices import as_id, entity, form_entity
from domain.address import postal_address
from domain.errors import InvalidInput
from domain.ledger import NotFound, get_client, get_invoice, update_client, update_owner_profile


def _checked_address(slot: str, value: Any, dispatcher: CollectingDispatcher,
                     tracker: Tracker) -> dict[str, Any]:
    """The answer as a postal address, or the slot left empty (asked again) with the reason."""
    try:
        address = postal_address(str(value or ""))
    except InvalidInput:
        address = None
    if address is None:
        say(dispatcher, tracker, "invalid_address")
    return {slot: address}


def _letter_button(invoice_id: int) -> tuple[str, str]:
    """The formal notice of the invoice, shown again with the address just given."""
    return ("formal_notice", f'/ask_wording{{"invoice":{invoice_id},"step":"formal_notice"}}')


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
        return _checked_address("client_address", value, dispatcher, tracker)


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
        assert invoice_id is not None  # (a client was found through it)
        say(dispatcher, tracker, "address_saved", {"client": client, "address": address},
            buttons=[_letter_button(invoice_id)])
        return clear


class ValidateMyAddressForm(FormValidationAction):
    def name(self) -> str:
        return "validate_my_address_form"

    def validate_owner_address(self, value: Any, dispatcher: CollectingDispatcher,
                               tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        return _checked_address("owner_address", value, dispatcher, tracker)


class ActionSubmitMyAddress(Action):
    def name(self) -> str:
        return "action_submit_my_address"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        ctx = current()
        owner_id = await ctx.owner_id(tracker)
        address = str(tracker.get_slot("owner_address"))
        await ctx.db(lambda session: update_owner_profile(session, owner_id,
                                                          {"address": address}))
        # The letter whose button asked for it (none from the settings), shown again.
        invoice_id = as_id(form_entity(tracker, "my_address_form", "invoice"))
        buttons = [_letter_button(invoice_id)] if invoice_id else []
        say(dispatcher, tracker, "my_address_saved", {"address": address}, buttons=buttons)
        return [SlotSet("owner_address", None)]
