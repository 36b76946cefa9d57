"""action_cancel: leaves the current form and forgets its half-filled answers."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import form_slots
from actions.base import say


class ActionCancel(Action):
    def name(self) -> str:
        return "action_cancel"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        active = tracker.active_loop.get("name") if tracker.active_loop else None
        say(dispatcher, tracker, "cancelled", {"was_in_form": bool(active)})
        slots = {s for form in domain.get("forms", {}) for s in form_slots(domain, form)}
        return [ActiveLoop(None), SlotSet("requested_slot", None),
                SlotSet("client_choices", None), *[SlotSet(name, None) for name in sorted(slots)]]
