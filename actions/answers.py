"""Checks shared by the forms' validation actions: a client name, a client with an unpaid
invoice, an amount."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from rapidfuzz import fuzz, process, utils
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlmodel import Session

from actions.base import say
from actions.cases import money_text
from actions.context import current
from actions.invoices import (
    MAX_CLIENT_NAME,
    client_of_number,
    entity,
    named_client,
    short_reference,
)
from actions.parsing import as_date
from domain.ledger import NotFound, clients_with_open_invoices, get_client, get_invoice
from domain.ledger.clients import name_key
from domain.ledger.models import Invoice

MAX_CHOICES = 5  # buttons client_1 … client_5
SIMILAR = 70.0  # rapidfuzz WRatio from which a client is offered as the one meant
# The intent each form starts from: a choice's button answers the form still open, or
# starts it again with the client chosen.
FORM_INTENTS = {"payment_form": "report_payment", "promise_form": "log_promise",
                "call_form": "log_call", "dispute_form": "report_dispute",
                "plan_form": "payment_plan"}


def client_name(slot: str, value: Any, dispatcher: CollectingDispatcher,
                tracker: Tracker) -> dict[str, Any]:
    """A client name with its white space folded, or None and a polite answer."""
    name = " ".join(str(value or "").split())
    if not 0 < len(name) <= MAX_CLIENT_NAME:
        say(dispatcher, tracker, "invalid_client")
        return {slot: None}
    return {slot: name}


async def client_with_open_invoice(form: str, value: Any, dispatcher: CollectingDispatcher,
                                   tracker: Tracker) -> dict[str, Any]:
    """A client a payment, promise, call, dispute or plan can be about: one with an unpaid
    invoice. Any other answer ("merci", "la boulangerie" with two of them, a client all paid)
    is named, and the owner picks among the clients with unpaid invoices, the closest names
    first (else the invoice due first), by a button or by typing its number (the choices
    are kept in `client_choices` until a client is taken). With no unpaid invoice at all,
    the name is kept: the submit action says so and offers to record one."""
    offered = tracker.get_slot("client_choices")
    typed = str(value or "").strip().lstrip("nN°o# ").strip()  # "2", "n° 2", "#2"
    if isinstance(offered, list) and typed.isdigit() and 0 < int(typed) <= len(offered):
        return {"client": str(offered[int(typed) - 1]), "client_choices": None}  # « 2 »
    checked = client_name("client", value, dispatcher, tracker)
    said = checked["client"]
    if said is None:
        return checked
    ctx = current()
    owner_id = await ctx.owner_id(tracker)
    names = await ctx.db(lambda session: clients_with_open_invoices(session, owner_id),
                         write=False)
    if not names or name_key(said) in {key for _, key in names}:
        return {**checked, "client_choices": None}
    intent = FORM_INTENTS[form]
    choices = offer_clients(dispatcher, tracker, said, [name for name, _ in names],
                            lambda name: f"/{intent}{as_json({'client': name})}")
    return {"client": None, "client_choices": choices}


def as_json(entities: dict[str, Any]) -> str:
    """A button payload's entities ("/intent{...}")."""
    return json.dumps(entities, ensure_ascii=False)


async def offer_clients_named(dispatcher: CollectingDispatcher, tracker: Tracker,
                              owner_id: int, payload: Callable[[str], str]) -> bool:
    """When this message names a client no invoice was found for ("où en est la
    boulangerie ?" with two of them), offer the clients with unpaid invoices; whether it did."""
    said = named_client(tracker)
    if said is None:
        return False
    names = await current().db(lambda session: clients_with_open_invoices(session, owner_id),
                               write=False)
    if names:
        offer_clients(dispatcher, tracker, said, [name for name, _ in names], payload)
    return bool(names)


def offer_clients(dispatcher: CollectingDispatcher, tracker: Tracker, said: str,
                  names: list[str], payload: Callable[[str], str]) -> list[str]:
    """Say that `said` has no unpaid invoice and offer the clients that do (`names`, the
    invoice due first first): the closest names to `said`, else the first ones; a button
    each, whose payload is `payload(name)`. Returns the names offered, in order."""
    similar = [names[k] for _, _, k in process.extract(
        said, names, scorer=fuzz.WRatio, processor=utils.default_process, limit=MAX_CHOICES,
        score_cutoff=SIMILAR)]
    choices = similar or names[:MAX_CHOICES]
    say(dispatcher, tracker, "which_client", {"said": said, "choices": choices,
                                             "similar": bool(similar),
                                             "in_form": bool(tracker.active_loop)},
        buttons=[(f"client_{n}", payload(name)) for n, name in enumerate(choices, start=1)])
    return choices


#: An amount said as « tout », « le reste », « la totalité »: what is left on the invoice,
#: read when the answer is stored (a payment or a promise of the rest).
IN_FULL = "in_full"
_REST = re.compile(r"(?:tout|tout le reste|le reste|le solde|la totalit[ée]|totalit[ée]"
                   r"|l'int[ée]gralit[ée]|everything|all of it|in full|the rest|the balance)"
                   r"\s*[.!]?", re.IGNORECASE)


#: « la moitié », « half »: half of what is left on the invoice.
HALF = "half"
_HALF = re.compile(r"(?:(?:la )?moiti[ée]|half(?: of it)?|50 ?%)\s*[.!]?", re.IGNORECASE)


def amount_or_rest(slot: str, value: Any, dispatcher: CollectingDispatcher,
                   tracker: Tracker) -> dict[str, Any]:
    """`amount`, or IN_FULL for « le reste » and the like, HALF for « la moitié »."""
    if value in (IN_FULL, HALF):
        return {slot: value}
    typed = str(value or "").strip()
    if _REST.fullmatch(typed):
        return {slot: IN_FULL}
    if _HALF.fullmatch(typed):
        return {slot: HALF}
    return amount(slot, value, dispatcher, tracker)


def amount_said(said: object, invoice: Invoice) -> Decimal:
    """The amount an answer stands for on `invoice` (IN_FULL: what is left on it; HALF:
    half of it, to the cent)."""
    left = invoice.amount - invoice.paid_amount
    if said == IN_FULL:
        return left
    if said == HALF:
        return (left / 2).quantize(Decimal("0.01"))
    return Decimal(str(said))


def amount(slot: str, value: Any, dispatcher: CollectingDispatcher,
           tracker: Tracker) -> dict[str, Any]:
    """A positive amount as a decimal string, or None and an answer naming what was typed."""
    parsed = money_text(value)
    if parsed is None:
        say(dispatcher, tracker, "invalid_amount", {"answer": str(value)[:60]})
        return {slot: None}
    return {slot: str(parsed)}


def form_slots(domain: dict[str, Any], form: str) -> list[str]:
    """The required slots of a form, as domain.yml declares them."""
    return list(domain.get("forms", {}).get(form, {}).get("required_slots", []))


def opening_words(tracker: Tracker, slot: str) -> str | None:
    """The words of the message that opens a form (« j'ai appelé Dupont, messagerie »),
    while `slot` is unfilled and no question has been asked: what an `extract_<slot>` may
    read there so as not to ask it. None otherwise, and for a button's payload."""
    if tracker.get_slot(slot) is not None or tracker.get_slot("requested_slot"):
        return None
    text = str(tracker.latest_message.get("text") or "")
    return None if text.startswith("/") else text


# « il m'a promis le solde », « ils ont payé 500 € »: the client spoken of just before.
_SPOKEN_OF = re.compile(r"\b(?:il|elle|ils|elles|he|she|they)\b", re.IGNORECASE)


class ClientSpokenOf:
    """A form about a client (payment, promise, call, dispute, plan) opened by a message
    that names none, not asked: the client of the invoice it numbers (« la F-12 est
    payée »), else, when it says « il », « elle », « ils », the client of the invoice the
    conversation was last about (slot `invoice_id`, the owner's own). A plain mixin, not
    an Action."""

    async def extract_client(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: dict[str, Any]) -> dict[str, Any]:
        text = opening_words(tracker, "client")
        if text is None or entity(tracker, "client"):
            return {}
        number = entity(tracker, "invoice_number") or short_reference(
            text, tracker.latest_message.get("entities") or [])
        last = tracker.get_slot("invoice_id")
        if not number and (last is None or not _SPOKEN_OF.search(text)):
            return {}
        ctx = current()
        owner_id = await ctx.owner_id(tracker)
        name = await ctx.db(lambda session: client_of_number(session, owner_id, number)
                            if number else client_of_invoice(session, owner_id, last),
                            write=False)
        return {"client": name} if name else {}


def client_of_invoice(session: Session, owner_id: int, invoice_id: object) -> str | None:
    """The client's name of one of the owner's invoices (None for another owner's id)."""
    try:
        invoice = get_invoice(session, owner_id, int(float(str(invoice_id))))
        return get_client(session, owner_id, invoice.client_id).name
    except (NotFound, ValueError):
        return None


class PromiseAnswers(ClientSpokenOf):
    """The questions about a promise, shared by the promise form and the call form (a plain
    mixin, not an Action: rasa-sdk registers only the forms that use it)."""

    def name(self) -> str:  # the validation action's (FormValidationAction subclasses')
        raise NotImplementedError

    async def validate_client(self, value: Any, dispatcher: CollectingDispatcher,
                              tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        return await client_with_open_invoice(self.name().removeprefix("validate_"), value,
                                              dispatcher, tracker)

    def validate_promise_amount(self, value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        return amount_or_rest("promise_amount", value, dispatcher, tracker)

    def validate_promise_date(self, value: Any, dispatcher: CollectingDispatcher,
                              tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        day = as_date(value)
        if day is None or day < current().today(tracker):  # a promise is for the future
            say(dispatcher, tracker, "invalid_date", {"answer": str(value)[:60]})
            return {"promise_date": None}
        return {"promise_date": day.isoformat()}
