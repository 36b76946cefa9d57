"""`relance import FILE.csv`: preview a spreadsheet of invoices, then store it once confirmed.

Without --yes the preview is printed and a confirmation asked; when stdin is not a terminal
and --yes is absent, nothing is stored.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from actions.context import ActionContext
from actions.documents import apply_import, preview_import
from bot.services import CommandFailed, console_owner_id, messages, run_command
from bot.settings import Settings
from domain.csv_import import MAX_BYTES
from domain.ledger import unit_of_work

SHOWN_ROWS = 20


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("import", help="import invoices from a CSV file")
    parser.add_argument("file", type=Path, metavar="FILE.csv")
    parser.add_argument("--yes", action="store_true", help="store without asking")
    parser.add_argument("--lang", choices=["fr", "en"], default="fr")
    parser.add_argument("--user", default="local", help="console user name (default: local)")
    parser.set_defaults(handler=run)


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)  # the preview refuses anything longer
    except OSError as exc:
        raise CommandFailed("unreadable_file", path=str(path),
                            reason=exc.strerror or type(exc).__name__) from None


def _confirmed(ctx: ActionContext, args: argparse.Namespace) -> bool:
    text = messages(ctx.wording, args.lang)
    if args.yes:
        return True
    if not sys.stdin.isatty():
        print(str(text.not_stored()).strip())
        return False
    answer = input(str(text.confirm()))
    if answer.strip().lower() in str(text.yes_words()).split():
        return True
    print(str(text.not_stored()).strip())
    return False


def run(args: argparse.Namespace, settings: Settings) -> int:
    def work(ctx: ActionContext) -> int:
        preview = preview_import(_read(args.file))
        text = messages(ctx.wording, args.lang)
        print(str(text.preview(preview, preview.rows[:SHOWN_ROWS])).strip())
        if not preview.ok:
            return 1
        if not _confirmed(ctx, args):
            return 0
        owner_id = console_owner_id(ctx, args.user, args.lang)
        with unit_of_work(ctx.engine) as session:
            result = apply_import(session, owner_id, preview)
        print(str(text.result(result)).strip())
        return 0

    return run_command(settings, args.lang, work)
