"""Fixtures for the Telegram channel: an offline Application, settings, the fake Bot API."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

# Helpers are imported as `tests....`: make that work under a bare `pytest` too.
_ROOT = str(Path(__file__).resolve().parents[3])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from pydantic import SecretStr  # noqa: E402
from telegram import Update  # noqa: E402
from telegram.ext import Application  # noqa: E402

from bot.replies import OwnerKey  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.telegram.app import build_application  # noqa: E402
from tests.bot.telegram.doubles import RecordingRequest, ScriptedAssistant  # noqa: E402
from tests.fakebotapi.server import FakeBotApi  # noqa: E402

TOKEN = "123456789:AAOfflineTokenForTestsOnly_abcdefghijk"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def settings() -> Settings:
    return Settings(_env_file=None, telegram_bot_token=SecretStr(TOKEN))  # type: ignore[call-arg]


@dataclass
class Harness:
    app: Application[Any, Any, Any, Any, Any, Any]
    request: RecordingRequest
    assistant: ScriptedAssistant
    errors: list[BaseException] = field(default_factory=list)
    blocked: list[OwnerKey] = field(default_factory=list)

    async def feed(self, update: dict[str, Any]) -> None:
        await self.app.process_update(Update.de_json(update, self.app.bot))

    def take_errors(self) -> list[BaseException]:
        errors, self.errors[:] = list(self.errors), []
        return errors


@pytest.fixture
async def harness(settings: Settings) -> AsyncIterator[Harness]:
    """The real Application with a recording request; errors collected, asserted empty."""
    request = RecordingRequest()
    harness = Harness(app=None, request=request, assistant=ScriptedAssistant(slow_seconds=0.7))  # type: ignore[arg-type]

    async def blocked(owner: OwnerKey) -> None:
        harness.blocked.append(owner)

    async def collect(update: object, context: Any) -> None:
        harness.errors.append(context.error)

    harness.app = build_application(settings, harness.assistant, request=request,
                                    get_updates_request=RecordingRequest(), on_blocked=blocked)
    harness.app.add_error_handler(collect)
    async with harness.app:
        yield harness
    assert harness.errors == [], "handlers raised"


@pytest.fixture
def fake_api() -> Iterator[FakeBotApi]:
    api = FakeBotApi().start()
    try:
        yield api
    finally:
        api.stop()
