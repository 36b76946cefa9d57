"""`relance dossier INVOICE_NUMBER`: the evidence file of one invoice (PDF, or CSV with --csv)."""

from __future__ import annotations

import argparse
from pathlib import Path

from actions.context import ActionContext
from actions.documents import LegalRoute, dossier_csv, dossier_pdf, invoice_by_number
from bot.commands.letter import add_invoice_arguments
from bot.services import (
    console_owner_id,
    local_today,
    messages,
    parse_today,
    run_command,
    safe_name,
    write_file,
)
from bot.settings import Settings
from domain.ledger import unit_of_work


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("dossier", help="write the evidence file of an invoice (PDF or CSV)")
    add_invoice_arguments(parser)
    parser.add_argument("--csv", action="store_true", help="write a CSV instead of a PDF")
    parser.add_argument("--route", choices=[r.value for r in LegalRoute],
                        help="legal route of the checklist (default: the one the diagnosis opens)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    def work(ctx: ActionContext) -> int:
        today = local_today(ctx, parse_today(args.today))
        owner_id = console_owner_id(ctx, args.user, args.lang)
        route = LegalRoute(args.route) if args.route else None
        make = dossier_csv if args.csv else dossier_pdf
        with unit_of_work(ctx.engine, write=False) as session:
            invoice = invoice_by_number(session, owner_id, args.number, args.client)
            assert invoice.id is not None
            data = make(ctx, session, owner_id, invoice.id, today, args.lang, route)
        suffix = "csv" if args.csv else "pdf"
        out = args.out or Path(f"dossier-{safe_name(args.number)}.{suffix}")
        write_file(out, data)
        print(str(messages(ctx.wording, args.lang).written(str(out))).strip())
        return 0

    return run_command(settings, args.lang, work)
