"""The `relance` command line: one sub-command per module in `bot.commands`.

Each command module exposes `register(subparsers)`, which adds its parser and sets
`handler=` to a function taking the parsed arguments and the settings and returning an
exit code. Settings are read here, once, and passed down.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Sequence

from bot import commands
from bot.logging_setup import configure_logging
from bot.settings import Settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="relance",
        description="Relance: get your unpaid invoices paid (French late-payment law inside).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{module_info.name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    settings = Settings()
    configure_logging(settings)
    try:
        code: int = args.handler(args, settings)
    except KeyboardInterrupt:
        return 130
    logging.shutdown()
    return code


if __name__ == "__main__":
    sys.exit(main())
