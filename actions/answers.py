"""Checks shared by the forms' validation actions: a client name, an amount."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import say
from actions.cases import money_text
from actions.context import current
from actions.parsing import as_date

MAX_CLIENT_NAME = 120


def client_name(slot: str, value: Any, dispatcher: CollectingDispatcher,
                tracker: Tracker) -> dict[str, Any]:
    """A client name with its white space folded, or None and a polite answer."""
    name = " ".join(str(value or "").split())
    if not 0 < len(name) <= MAX_CLIENT_NAME:
        say(dispatcher, tracker, "invalid_client")
        return {slot: None}
    return {slot: name}


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


class PromiseAnswers:
    """The questions about a promise, shared by the promise form and the call form (a plain
    mixin, not an Action: rasa-sdk registers only the forms that use it)."""

    def validate_client(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                        domain: dict[str, Any]) -> dict[str, Any]:
        return client_name("client", value, dispatcher, tracker)

    def validate_promise_amount(self, value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        return amount("promise_amount", value, dispatcher, tracker)

    def validate_promise_date(self, value: Any, dispatcher: CollectingDispatcher,
                              tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        day = as_date(value)
        if day is None or day < current().today(tracker):  # a promise is for the future
            say(dispatcher, tracker, "invalid_date", {"answer": str(value)[:60]})
            return {"promise_date": None}
        return {"promise_date": day.isoformat()}
