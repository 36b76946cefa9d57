"""Shared behaviour of Relance actions (abstract: rasa-sdk's register_package skips it)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.context import current, language


def say(dispatcher: CollectingDispatcher, tracker: Tracker, template: str,
        context: Mapping[str, Any] | None = None,
        buttons: Sequence[tuple[str, str]] = ()) -> None:
    """Render `templates/chat/<lang>/<template>.html.j2` and send it, with (template, payload)
    buttons whose titles are rendered from `templates/chat/<lang>/buttons.html.j2`."""
    lang = language(tracker)
    wording = current().wording
    text = wording.render(f"chat/{lang}/{template}.html.j2", lang, context)
    rendered = [{"title": wording.button(key, lang), "payload": payload}
                for key, payload in buttons]
    dispatcher.utter_message(text=text, buttons=rendered)


class RelanceAction(Action, ABC):
    """An action that answers with one template and no event."""

    template: str = ""

    @abstractmethod
    def name(self) -> str:
        """The action's name in domain.yml."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        say(dispatcher, tracker, self.template)
        return []
