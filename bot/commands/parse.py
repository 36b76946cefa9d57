"""`relance parse "texte"`: show what the embedded NLU understands (Rasa parse JSON).

Without a text, reads one message per line on stdin and prints JSON Lines (the model is
trained once).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.nlu.entities.calendar_words import DIRECTIONS
from bot.nlu.parser import NluModel
from bot.nlu.training_data import TrainingDataError
from bot.settings import Settings


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "parse", help="parse a message with the embedded NLU and print Rasa's parse JSON"
    )
    parser.add_argument(
        "text", nargs="?", help="the message; without it, one message per stdin line"
    )
    parser.add_argument("--today", help="reference date YYYY-MM-DD (default: today)")
    parser.add_argument(
        "--client",
        action="append",
        default=[],
        metavar="NAME",
        help="a known client name (repeatable)",
    )
    parser.add_argument(
        "--direction", choices=DIRECTIONS, default="any", help="how to read dates without a year"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Train once, parse the text (or each stdin line) and print JSON."""
    try:
        today = (
            date.fromisoformat(args.today)
            if args.today
            else datetime.now(ZoneInfo(settings.default_timezone)).date()
        )
    except ValueError:
        print(
            f"relance parse: --today must be a date like 2026-11-23, got {args.today!r}",
            file=sys.stderr,
        )
        return 2
    try:
        model = NluModel.train(settings.rasa_dir / "nlu.yml")
    except TrainingDataError as error:
        print(f"relance parse: {error}", file=sys.stderr)
        return 1
    texts = [args.text] if args.text is not None else (line.rstrip("\r\n") for line in sys.stdin)
    indent = 2 if args.text is not None else None
    for text in texts:
        result = model.parse(text, today, args.client, args.direction)
        print(json.dumps(result, ensure_ascii=False, indent=indent), flush=True)
    return 0
