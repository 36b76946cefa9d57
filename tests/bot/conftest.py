from __future__ import annotations

import asyncio
from datetime import date

import pytest

from bot.dialogue.assistant import Assistant, build_assistant
from bot.replies import Channel, Incoming, OwnerKey, Reply
from bot.settings import Settings


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    db = tmp_path_factory.mktemp("chat") / "relance.db"
    return build_assistant(Settings(database_url=f"sqlite:///{db}"), today=date(2026, 11, 23))


class Chat:
    """Scripted owners talking to the assistant: `chat.talk("alice", "bonjour", ...)`."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def say(self, who: str, line: str, lang: str = "fr") -> list[Reply]:
        return say(self.assistant, who, line, lang)

    def talk(self, who: str, *lines: str, lang: str = "fr") -> list[str]:
        return talk(self.assistant, who, *lines, lang=lang)


@pytest.fixture(scope="module")
def chat(assistant: Assistant) -> Chat:
    return Chat(assistant)


def say(assistant: Assistant, who: str, line: str, lang: str = "fr") -> list[Reply]:
    """One message (a leading "/" is a button payload) and the replies."""
    owner = OwnerKey(Channel.CONSOLE, who)
    return asyncio.run(assistant.handle(owner, Incoming(line, line.startswith("/"), lang)))


def talk(assistant: Assistant, who: str, *lines: str, lang: str = "fr") -> list[str]:
    return ["\n".join(r.text for r in say(assistant, who, line, lang)) for line in lines]
