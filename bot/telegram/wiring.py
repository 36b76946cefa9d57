"""Where the Telegram channel gets its assistant: the dialogue layer's factory."""

from __future__ import annotations

from bot.dialogue.assistant import Assistant, build_assistant
from bot.settings import Settings


def make_assistant(settings: Settings) -> Assistant:
    """The dialogue assistant, built once (engine, NLU, actions, wording)."""
    return build_assistant(settings)
