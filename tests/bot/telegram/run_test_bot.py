"""`relance run` for end-to-end tests: the same `serve` path, with the scripted assistant.

Run as `python -m tests.bot.telegram.run_test_bot [--webhook]` from the project root, with
TELEGRAM_* settings pointing at the fake Bot API.
"""

from __future__ import annotations

import sys

from bot.logging_setup import configure_logging
from bot.settings import Settings
from bot.telegram.aiohttp_request import AiohttpRequest
from bot.telegram.app import serve
from tests.bot.telegram.doubles import ScriptedAssistant


def main(argv: list[str]) -> int:
    settings = Settings()
    configure_logging(settings)
    # A short read timeout so the fake's "timeout" fault costs about a second.
    request = AiohttpRequest(connection_pool_size=32, read_timeout=1.0)
    serve(settings, ScriptedAssistant(slow_seconds=1.5), webhook="--webhook" in argv,
          request=request)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
