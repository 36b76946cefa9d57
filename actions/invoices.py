"""Which invoice the owner means: a button's id, a number, a client, or the last one seen."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from sqlmodel import Session

from domain.ledger import (
    NotFound,
    find_client_by_name,
    find_invoice_by_number,
    get_invoice,
    list_invoices,
)
from domain.ledger.models import Invoice
from domain.ledger.views import OPEN_STATUSES


def entity(tracker: Tracker, name: str) -> Any:
    """The first value of an entity in the latest message (NLU or button payload)."""
    for item in tracker.latest_message.get("entities") or []:
        if item.get("entity") == name:
            return item.get("value")
    return None


def form_entity(tracker: Tracker, form: str, name: str) -> Any:
    """The latest value of an entity said in the messages of the current run of `form`,
    back to the message (or button) that started it; None when none said it."""
    started = False
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop" and event.get("name") == form:
            started = True
        elif event.get("event") == "user":
            for item in (event.get("parse_data") or {}).get("entities") or []:
                if item.get("entity") == name:
                    return item.get("value")
            if started:
                return None
    return None


def as_id(value: Any) -> int | None:
    """A row id from a payload or a slot (Rasa stores numbers as floats: 12.0)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


MAX_CLIENT_NAME = 120


def named_client(tracker: Tracker) -> str | None:
    """The client this message names (or the form's client slot), if any."""
    name = " ".join(str(entity(tracker, "client") or tracker.get_slot("client") or "").split())
    return name[:MAX_CLIENT_NAME] or None


def resolve_invoice(session: Session, owner_id: int, tracker: Tracker) -> Invoice | None:
    """The invoice this message is about, among the owner's own only (another owner's id is
    the same as a missing one: NotFound → None)."""
    invoice_id = as_id(entity(tracker, "invoice"))
    if invoice_id is not None:
        try:
            return get_invoice(session, owner_id, invoice_id)
        except NotFound:
            return None
    number = entity(tracker, "invoice_number")
    if number:
        found = find_invoice_by_number(session, owner_id, str(number))
        if found:
            return found[0]
    client_name = named_client(tracker)
    if client_name:
        client = find_client_by_name(session, owner_id, str(client_name))
        if client is not None and client.id is not None:
            open_ones = list_invoices(session, owner_id, statuses=OPEN_STATUSES,
                                      client_id=client.id)
            return open_ones[0] if open_ones else None
        return None
    last = as_id(tracker.get_slot("invoice_id"))
    if last is not None:
        try:
            return get_invoice(session, owner_id, last)
        except NotFound:
            return None
    return None
