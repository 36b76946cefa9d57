"""Telegram commands and what each one asks the assistant (a Rasa-style payload).

The menu order is this table's order; its descriptions are templates
(`templates/telegram/<lang>/commands.txt.j2`).
"""

from __future__ import annotations

import json

from bot.replies import Incoming

COMMAND_PAYLOADS: dict[str, str] = {
    "start": "/greet",
    "nouvelle": "/add_invoice",
    "quoifaire": "/what_now",
    "retards": "/list_overdue",
    "promesse": "/log_promise",
    "appel": "/log_call",
    "paye": "/report_payment",
    "client": "/invoice_status",
    "reglages": "/settings",
    "export": "/export_data",
    "oubli": "/forget_me",
    "reporter": "/snooze",
    "aide": "/help",
}
ALIASES: dict[str, str] = {"help": "aide", "settings": "reglages"}
"""Commands Telegram users type out of habit; not shown in the menu."""


def command_incoming(command: str, args: list[str], language_hint: str | None) -> Incoming:
    """`/client Dupont SA` -> `/invoice_status{"client": "Dupont SA"}` as a payload: the
    words after a command name the client it is about."""
    payload = COMMAND_PAYLOADS[ALIASES.get(command, command)]
    if args:
        payload += json.dumps({"client": " ".join(args)[:120]}, ensure_ascii=False)
    return Incoming(text=payload, is_payload=True, language_hint=language_hint)
