"""Which invoice the owner means: a button's id, a number, a client, or the last one seen."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from rasa_sdk import Tracker
from sqlmodel import Session

from actions.cases import oldest_open_invoice
from domain.ledger import (
    NotFound,
    find_client_by_name,
    find_invoice_by_number,
    get_client,
    get_invoice,
    list_invoices,
)
from domain.ledger.clients import name_key
from domain.ledger.models import Invoice
from domain.ledger.views import OPEN_STATUSES


def entity(tracker: Tracker, name: str) -> Any:
    """The first value of an entity in the latest message (NLU or button payload)."""
    for item in tracker.latest_message.get("entities") or []:
        if item.get("entity") == name:
            return item.get("value")
    return None


def _form_messages(tracker: Tracker, form: str) -> Iterator[tuple[dict[str, Any], bool]]:
    """The messages (user events) of the current run of `form`, the latest first, each with
    whether it is the one that started the run (the last one yielded, then)."""
    started = False
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop" and event.get("name") == form:
            started = True
        elif event.get("event") == "user":
            yield event, started
            if started:
                return


def form_entity(tracker: Tracker, form: str, name: str) -> Any:
    """The latest value of an entity said in the messages of the current run of `form`,
    back to the message (or button) that started it; None when none said it."""
    for event, _ in _form_messages(tracker, form):
        for item in (event.get("parse_data") or {}).get("entities") or []:
            if item.get("entity") == name:
                return item.get("value")
    return None


def form_opening(tracker: Tracker, form: str) -> dict[str, Any] | None:
    """The message (user event) that started the current run of `form`."""
    return next((dict(event) for event, opening in _form_messages(tracker, form) if opening),
                None)


# A number said alone (« la 052 », « la 119 »): not a year, not part of a word or a date.
_SHORT = re.compile(r"(?<![\w/.,:-])(\d{2,9})(?![\w/.,:-])")


def short_reference(text: str, entities: list[dict[str, Any]]) -> str | None:
    """The first number of a message that none of its entities took (« la 052 a été
    payée »: an invoice called by the end of its number), None for a button's payload."""
    if text.startswith("/"):
        return None
    taken = [(int(e["start"]), int(e["end"])) for e in entities if "start" in e]
    for match in _SHORT.finditer(text):
        start, end = match.span(1)
        if 1900 <= int(match[1]) <= 2099 or any(a < end and start < b for a, b in taken):
            continue
        return match[1]
    return None


def form_reference(tracker: Tracker, form: str) -> str | None:
    """The invoice a form's messages name: an invoice number said, else a number said alone
    in the message that opened it."""
    named = form_entity(tracker, form, "invoice_number")
    if named:
        return str(named)
    opening = form_opening(tracker, form)
    if opening is None:
        return None
    return short_reference(str(opening.get("text") or ""),
                           (opening.get("parse_data") or {}).get("entities") or [])


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
    short = short_reference(str(tracker.latest_message.get("text") or ""),
                            tracker.latest_message.get("entities") or [])
    if short and not entity(tracker, "client"):  # « où en est la 052 ? »
        ending = ending_with(list_invoices(session, owner_id, statuses=OPEN_STATUSES), short)
        if len(ending) == 1:
            return ending[0]
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


def invoice_about(session: Session, owner_id: int, client: str, number: object
                  ) -> Invoice | None:
    """The invoice a payment, promise, call, dispute or plan about `client` is about: the
    one the owner named by its number (`number`), when it is an unpaid invoice of that
    client — None when it is not: another one is never taken in its place — else the
    client's unpaid invoice due first."""
    if not number:
        return oldest_open_invoice(session, owner_id, client)
    key = name_key(client)
    for invoice in numbered(session, owner_id, number):
        if invoice.status in OPEN_STATUSES and get_client(
                session, owner_id, invoice.client_id).name_key == key:
            return invoice
    if not str(number).strip().isdigit():
        return None
    ending = ending_with(unpaid_invoices(session, owner_id, client), number)
    return ending[0] if len(ending) == 1 else None


def ending_with(invoices: list[Invoice], number: object) -> list[Invoice]:
    """The invoices whose number ends with the digits `number` (« 052 », « 52 » for
    EM-2026-052), when `number` is only digits."""
    said = str(number).strip().lstrip("0")
    if not said.isdigit():
        return []
    return [i for i in invoices
            if (groups := re.findall(r"\d+", i.number)) and groups[-1].lstrip("0") == said]


def numbered(session: Session, owner_id: int, number: object) -> list[Invoice]:
    """The owner's invoices numbered `number` as typed, else as its capitals (« f-12 »)."""
    said = str(number).strip()
    return (find_invoice_by_number(session, owner_id, said)
            or (find_invoice_by_number(session, owner_id, said.upper())
                if said.upper() != said else []))


def unpaid_invoices(session: Session, owner_id: int, client: str) -> list[Invoice]:
    """The client's unpaid invoices, the one due first first."""
    found = find_client_by_name(session, owner_id, client)
    if found is None or found.id is None:
        return []
    return list_invoices(session, owner_id, statuses=OPEN_STATUSES, client_id=found.id)


def open_numbers(session: Session, owner_id: int, client: str) -> list[str]:
    """The numbers of the client's unpaid invoices, the one due first first."""
    return [i.number for i in unpaid_invoices(session, owner_id, client)]


def client_of_number(session: Session, owner_id: int, number: object) -> str | None:
    """The client's name of the owner's invoice numbered `number`, when one client has
    an invoice with that number."""
    found = {i.client_id for i in numbered(session, owner_id, number)} or {
        i.client_id for i in ending_with(
            list_invoices(session, owner_id, statuses=OPEN_STATUSES), number)}
    if len(found) != 1:
        return None
    return get_client(session, owner_id, found.pop()).name


def not_open(session: Session, owner_id: int, client: str, number: object) -> dict[str, Any]:
    """What `no_open_invoice` says when `invoice_about` found nothing: the client, and the
    number named with the client's unpaid ones, if a number was named."""
    if not number:
        return {"client": client}
    return {"client": client, "number": str(number),
            "open_numbers": open_numbers(session, owner_id, client)}
