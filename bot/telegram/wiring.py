"""Where the Telegram channel gets its assistant: the dialogue layer's factory."""

from __future__ import annotations

import importlib

from bot.settings import Settings
from bot.telegram.ports import Assistant


def make_assistant(settings: Settings) -> Assistant:
    """`bot.dialogue.assistant.build_assistant(settings)`, imported only when needed."""
    try:
        module = importlib.import_module("bot.dialogue.assistant")
    except ModuleNotFoundError as exc:
        if exc.name in {"bot.dialogue", "bot.dialogue.assistant"}:
            raise RuntimeError("dialogue layer not available") from exc
        raise
    build = getattr(module, "build_assistant", None)
    if build is None:
        raise RuntimeError("dialogue layer not available: no bot.dialogue.assistant.build_assistant")
    assistant: Assistant = build(settings)
    return assistant
