"""action_greet: a welcome; on first contact, the onboarding questions (skippable)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.base import say
from actions.context import current
from domain.ledger import get_owner


class ActionGreet(Action):
    def name(self) -> str:
        return "action_greet"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        ctx = current()
        owner_id = await ctx.owner_id(tracker)
        owner = await ctx.db(lambda s: get_owner(s, owner_id), write=False)
        if owner.onboarded:
            say(dispatcher, tracker, "greet", {"business_name": owner.business_name or ""})
            return []
        say(dispatcher, tracker, "welcome")
        return [FollowupAction("onboarding_form")]
