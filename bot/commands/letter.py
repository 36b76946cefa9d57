"""`relance letter INVOICE_NUMBER`: the formal notice (mise en demeure) of one invoice, as PDF."""

from __future__ import annotations

import argparse
from pathlib import Path

from actions.context import ActionContext
from actions.documents import formal_notice_pdf, invoice_by_number
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

DEFAULT_NAMES = {"fr": "mise-en-demeure-{}.pdf", "en": "formal-notice-{}.pdf"}


def add_invoice_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("number", metavar="INVOICE_NUMBER", help="the invoice number")
    parser.add_argument("--client", help="the client's name, when two clients share the number")
    parser.add_argument("--out", type=Path, help="output file")
    parser.add_argument("--lang", choices=["fr", "en"], default="fr")
    parser.add_argument("--today", help="the date of the document (YYYY-MM-DD)")
    parser.add_argument("--user", default="local", help="console user name (default: local)")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("letter", help="write the formal notice of an invoice (PDF)")
    add_invoice_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    def work(ctx: ActionContext) -> int:
        today = local_today(ctx, parse_today(args.today))
        owner_id = console_owner_id(ctx, args.user, args.lang)
        with unit_of_work(ctx.engine, write=False) as session:
            invoice = invoice_by_number(session, owner_id, args.number, args.client)
            assert invoice.id is not None
            pdf = formal_notice_pdf(ctx, session, owner_id, invoice.id, today, args.lang)
        out = args.out or Path(DEFAULT_NAMES[args.lang].format(safe_name(args.number)))
        write_file(out, pdf)
        print(str(messages(ctx.wording, args.lang).written(str(out))).strip())
        return 0

    return run_command(settings, args.lang, work)
