"""`relance run` for the nudge end-to-end test: the same `serve` path with the nudge
dispatcher, the scripted assistant, and quiet hours off (the test runs at any hour).

    python -m tests.nudges.run_nudge_bot   (TELEGRAM_* and DATABASE_URL from the environment)
"""

from __future__ import annotations

import sys

from telegram.request import HTTPXRequest

from bot.logging_setup import configure_logging
from bot.nudges.service import TelegramNudges, dispatch_config
from bot.settings import Settings
from bot.telegram.app import serve
from tests.bot.telegram.doubles import ScriptedAssistant


def main() -> int:
    settings = Settings()
    configure_logging(settings)
    nudges = TelegramNudges(settings, config=dispatch_config(settings, quiet_hours=False))
    serve(settings, ScriptedAssistant(), webhook=False,
          request=HTTPXRequest(connection_pool_size=16, read_timeout=2.0), nudges=nudges)
    return 0


if __name__ == "__main__":
    sys.exit(main())
