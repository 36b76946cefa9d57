"""`relance export`: every invoice as CSV (stdout or --out), and the ageing chart (--chart)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from actions.context import ActionContext
from actions.documents import ageing_png, invoices_csv
from bot.services import (
    console_owner_id,
    local_today,
    messages,
    parse_today,
    run_command,
    write_file,
)
from bot.settings import Settings
from domain.ledger import unit_of_work


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("export", help="export your invoices as CSV, and an ageing chart")
    parser.add_argument("--out", type=Path, help="CSV file (default: standard output)")
    parser.add_argument("--chart", type=Path, help="also draw the ageing chart to this PNG")
    parser.add_argument("--lang", choices=["fr", "en"], default="fr")
    parser.add_argument("--today", help="the date of the export (YYYY-MM-DD)")
    parser.add_argument("--user", default="local", help="console user name (default: local)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    def work(ctx: ActionContext) -> int:
        today = local_today(ctx, parse_today(args.today))
        owner_id = console_owner_id(ctx, args.user, args.lang)
        with unit_of_work(ctx.engine, write=False) as session:
            data = invoices_csv(ctx, session, owner_id, today, args.lang)
            chart = ageing_png(ctx, session, owner_id, today, args.lang) if args.chart else None
        text = messages(ctx.wording, args.lang)
        if args.out:
            write_file(args.out, data)
            print(str(text.written(str(args.out))).strip())
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        if chart is not None:
            write_file(args.chart, chart)
            print(str(text.written(str(args.chart))).strip(), file=sys.stderr if not args.out
                  else sys.stdout)
        return 0

    return run_command(settings, args.lang, work)
