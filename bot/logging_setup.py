"""Logging for every entry point: per-module loggers, the bot token never printed."""

from __future__ import annotations

import logging
import re

from bot.settings import Settings

_TOKEN = re.compile(r"bot\d+:[A-Za-z0-9_-]+|\d{6,}:[A-Za-z0-9_-]{30,}")


class RedactTokenFilter(logging.Filter):
    """Replace anything shaped like a Telegram bot token in a record by a placeholder."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _TOKEN.sub("bot<redacted>", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def redact(text: str) -> str:
    return _TOKEN.sub("bot<redacted>", text)


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RedactTokenFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level.upper())
    # Request URLs carry the token: keep these libraries quiet below WARNING.
    for noisy in ("httpx", "httpcore", "aiohttp", "telegram.ext.ExtBot", "apscheduler", "sanic.access",
                   "alembic", "domain.ledger.migrate", "rasa_sdk"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
