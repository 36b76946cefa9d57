"""`relance rates`: the legal rate tables in use and whether they cover the current half-year."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from actions.wording import Wording, percent
from bot.settings import Settings
from domain.calendar import Semester
from domain.notices import weakest
from domain.rates import load_rate_table


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("rates", help="show the legal rate tables and their freshness")
    parser.add_argument("--lang", choices=["fr", "en"], default="fr")
    parser.add_argument("--today", help="YYYY-MM-DD (default: today in Paris)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    table = load_rate_table(settings.rates_dir)
    today = (datetime.fromisoformat(args.today).date() if args.today else
             datetime.now(UTC).astimezone(ZoneInfo(settings.default_timezone)).date())
    rows = []
    for semester in sorted(table.legal):
        legal = table.legal[semester]
        default = table.default_penalty_rate(semester)
        ecb = table.ecb_rate_on(semester.start)
        rows.append({
            "semester": semester.label,
            "ecb": percent(ecb.rate, args.lang),
            "default": percent(default.rate, args.lang),
            "autres_cas": percent(legal.autres_cas, args.lang),
            "particuliers": percent(legal.particuliers, args.lang),
            "floor": percent(legal.autres_cas * 3, args.lang),
            "confidence": weakest(default.confidence, legal.confidence).value,
        })
    current = Semester.of(today)
    print(Wording(settings.templates_dir).render(f"cli/rates.{args.lang}.txt.j2", args.lang, {
        "rows": rows, "last": table.last_legal_semester.label, "current": current.label,
        "stale": current > table.last_legal_semester, "folder": settings.rates_dir}))
    return 0
