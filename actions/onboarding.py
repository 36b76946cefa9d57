"""Onboarding on first contact: business name, signature, contact details — each skippable.

They sign the emails and letters; "passer" leaves a field empty."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlmodel import Session

from actions.answers import form_slots
from actions.base import say
from actions.context import current
from actions.parsing import merchant_answer
from domain.ledger import update_owner_profile

SKIP_WORDS = {"/skip", "passer", "passe", "skip", "plus tard", "later", "non", "no", "-"}
MAX_FIELD = 200


SMALL_TALK = {"greet", "thanks", "goodbye", "affirm"}  # "bonjour" is nobody's business name
SURE = 0.9


def _answer(slot: str, value: Any, tracker: Tracker | None = None) -> dict[str, Any]:
    """The answer as typed, "" when skipped; None (asked again) for a mere "bonjour"."""
    text = " ".join(str(value or "").split())[:MAX_FIELD]
    if text.lower() in SKIP_WORDS:
        return {slot: ""}
    intent = (tracker.latest_message.get("intent") or {}) if tracker is not None else {}
    if intent.get("name") in SMALL_TALK and float(intent.get("confidence") or 0) >= SURE:
        return {slot: None}
    return {slot: text}


class ValidateOnboardingForm(FormValidationAction):
    def name(self) -> str:
        return "validate_onboarding_form"

    def validate_business_name(self, value: Any, dispatcher: CollectingDispatcher,
                               tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        return _answer("business_name", value, tracker)

    def validate_signature(self, value: Any, dispatcher: CollectingDispatcher,
                           tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        return _answer("signature", value, tracker)

    def validate_owner_is_merchant(self, value: Any, dispatcher: CollectingDispatcher,
                                   tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        return {"owner_is_merchant": merchant_answer(value) or "unknown"}

    def validate_contact(self, value: Any, dispatcher: CollectingDispatcher,
                         tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        return _answer("contact", value)


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?:\+|\b00)?\d[\d .()/-]{6,}\d")


def split_contact(text: str) -> tuple[str | None, str | None]:
    """(email, phone) from one answer: « 06 12 34 56 78, julien@plomberie.fr » gives both
    (all of it had gone to the email, and the letters lost the phone). Anything else said is
    kept as the phone line, as before (« le matin au 06… »)."""
    text = text.strip()
    email = _EMAIL.search(text)
    rest = (text[:email.start()] + " " + text[email.end():]) if email else text
    phone = _PHONE.search(rest)
    if phone is not None:
        phone_text: str | None = phone.group().strip()
    elif email is None:
        phone_text = rest.strip(" ,;/-") or None
    else:
        phone_text = None  # « paul@x.fr, merci »: nothing more to keep
    return (email.group() if email else None), phone_text


class ActionSubmitOnboarding(Action):
    def name(self) -> str:
        return "action_submit_onboarding"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        ctx = current()
        owner_id = await ctx.owner_id(tracker)
        contact = str(tracker.get_slot("contact") or "")
        changes: dict[str, Any] = {
            "business_name": str(tracker.get_slot("business_name") or "") or None,
            "signature": str(tracker.get_slot("signature") or "") or None,
            "onboarded": True,
            "is_merchant": {"yes": True, "no": False}.get(
                str(tracker.get_slot("owner_is_merchant"))),
        }
        email, phone = split_contact(contact)
        changes |= {k: v for k, v in (("email", email), ("phone", phone)) if v}

        def store(session: Session) -> None:
            update_owner_profile(session, owner_id, changes)

        await ctx.db(store)
        say(dispatcher, tracker, "onboarded", {"business_name": changes["business_name"] or ""},
            buttons=[("new_invoice", "/add_invoice"), ("what_now", "/what_now")])
        return [SlotSet(s, None) for s in form_slots(domain, "onboarding_form")]
