"""`relance run [--webhook]`: the Telegram bot, by long polling (default) or webhook."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from telegram.error import InvalidToken

from bot.nudges.service import TelegramNudges
from bot.services import settle_heap
from bot.settings import Settings
from bot.telegram.app import TelegramConfigError, bot_token, serve
from bot.telegram.wiring import make_assistant
from domain.ledger import LedgerUnavailable


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("run", help="run the Telegram bot (long polling by default)")
    parser.add_argument("--webhook", action="store_true",
                        help="serve a webhook (WEBHOOK_URL, WEBHOOK_LISTEN, WEBHOOK_PORT, "
                             "WEBHOOK_SECRET) instead of long polling")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        bot_token(settings)
        assistant = make_assistant(settings)
        settle_heap()
    except (RuntimeError, LedgerUnavailable) as exc:  # no token, or no database
        print(f"relance run: {exc}", file=sys.stderr)
        return 2
    try:
        serve(settings, assistant, webhook=args.webhook or settings.webhook,
              on_blocked=assistant.mark_blocked, nudges=TelegramNudges(settings))
    except TelegramConfigError as exc:
        print(f"relance run: {exc}", file=sys.stderr)
        return 2
    except InvalidToken:
        print("relance run: Telegram refused TELEGRAM_BOT_TOKEN; check it with @BotFather.",
              file=sys.stderr)
        return 2
    return 0
