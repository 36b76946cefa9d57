"""`relance diagnose`: one invoice as JSON in, its legal diagnosis as JSON out.

One JSON object on stdin (or --file) gives one JSON object on stdout. With --batch, every
input line is an object and every output line its diagnosis (JSON Lines); a bad line gets
an error object on its own line and the batch goes on. See README for the contract.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from actions.wording import Wording
from bot.settings import Settings
from domain.case import case_from_json
from domain.diagnosis import diagnose
from domain.errors import InvalidInput
from domain.ladder import Ladder, load_ladder
from domain.rates import RateTable, load_rate_table


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("diagnose", help="diagnose an unpaid invoice (JSON in, JSON out)")
    parser.add_argument("--file", type=argparse.FileType("r", encoding="utf-8"),
                        help="read the JSON from this file instead of stdin")
    parser.add_argument("--batch", action="store_true", help="JSON Lines in, JSON Lines out")
    parser.add_argument("--lang", choices=["fr", "en"], default="fr",
                        help="language of warnings and errors (default fr)")
    parser.set_defaults(handler=run)


def diagnose_json(data: Any, table: RateTable, ladder: Ladder, wording: Wording,
                  lang: str) -> tuple[bool, dict[str, Any]]:
    """(ok, output object) for one decoded input."""
    try:
        result = diagnose(case_from_json(data), table, ladder).to_json()
    except InvalidInput as exc:
        return False, error_object(wording, lang, exc.field, exc.code, exc.value)
    result["warnings"] = [wording.notice(n, lang) for n in result["notices"]]
    return True, result


def error_object(wording: Wording, lang: str, field: str, code: str, value: Any) -> dict[str, Any]:
    shown = None if value is None else str(value)[:80]
    message = wording.render(f"cli/input_error.{lang}.txt.j2", lang,
                             {"field": field, "code": code, "value": shown})
    return {"error": {"field": field, "code": code, "message": message}}


def _decode(line: str, wording: Wording, lang: str) -> tuple[Any, dict[str, Any] | None]:
    try:
        return json.loads(line), None
    except (json.JSONDecodeError, RecursionError):
        return None, error_object(wording, lang, "input", "invalid_json", None)


def _emit(obj: dict[str, Any], out: TextIO) -> None:
    out.write(json.dumps(obj, ensure_ascii=False) + "\n")


def run(args: argparse.Namespace, settings: Settings) -> int:
    table = load_rate_table(settings.rates_dir)
    ladder = load_ladder(settings.rasa_dir.parent / "ladder.yml")
    wording = Wording(settings.templates_dir)
    source: TextIO = args.file or sys.stdin
    if args.batch:
        failures = 0
        for line in source:
            if not line.strip():
                continue
            data, error = _decode(line, wording, args.lang)
            ok, obj = (False, error) if error else diagnose_json(data, table, ladder, wording,
                                                                args.lang)
            failures += not ok
            _emit(obj, sys.stdout)
        return 1 if failures else 0
    data, error = _decode(source.read(), wording, args.lang)
    ok, obj = (False, error) if error else diagnose_json(data, table, ladder, wording, args.lang)
    _emit(obj, sys.stdout)
    return 0 if ok else 1
