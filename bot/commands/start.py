"""`relance start`: what the README's first command runs — Telegram with a token, the
terminal chat without one."""

from __future__ import annotations

import argparse

from bot.settings import Settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("start", help="start Relance: Telegram with a token, else the chat")
    parser.add_argument("rest", nargs=argparse.REMAINDER, help="options for run / chat")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli import main

    command = "run" if settings.telegram_bot_token else "chat"
    return main([command, *args.rest])
