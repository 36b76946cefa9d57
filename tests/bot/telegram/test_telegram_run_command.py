"""`relance run` refuses clearly when it cannot start."""

from __future__ import annotations

import argparse

import pytest
from pydantic import SecretStr

from bot.commands import run
from bot.settings import Settings
from bot.telegram.app import TelegramConfigError, run_webhook, webhook_secret


def test_refuses_without_a_token(capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings(_env_file=None, telegram_bot_token=None)  # type: ignore[call-arg]
    assert run.run(argparse.Namespace(webhook=False), settings) == 2
    assert "TELEGRAM_BOT_TOKEN" in capsys.readouterr().err


def test_webhook_secret_is_checked_or_generated() -> None:
    generated = webhook_secret(Settings(_env_file=None, webhook_secret=None))  # type: ignore[call-arg]
    assert len(generated) >= 32
    with pytest.raises(TelegramConfigError, match="WEBHOOK_SECRET"):
        webhook_secret(Settings(_env_file=None, webhook_secret=SecretStr("has space")))  # type: ignore[call-arg]


def test_webhook_needs_a_url() -> None:
    settings = Settings(_env_file=None, webhook_url=None)  # type: ignore[call-arg]
    with pytest.raises(TelegramConfigError, match="WEBHOOK_URL"):
        run_webhook(None, settings)  # type: ignore[arg-type]
