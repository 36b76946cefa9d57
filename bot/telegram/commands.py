"""Telegram commands and what each one asks the assistant (a Rasa-style payload).

The menu order is this table's order; its descriptions are templates
(`templates/telegram/<lang>/commands.txt.j2`).
"""

from __future__ import annotations

import json

from bot.replies import Incoming

COMMAND_PAYLOADS: dict[str, str] = {
    "start": "/start",
    "nouvelle": "/new_invoice",
    "quoifaire": "/what_now",
    "retards": "/list_overdue",
    "promesse": "/log_promise",
    "appel": "/log_call",
    "paye": "/mark_paid",
    "client": "/client_status",
    "reglages": "/settings",
    "export": "/export",
    "oubli": "/forget_me",
    "aide": "/help",
}
ALIASES: dict[str, str] = {"help": "aide", "settings": "reglages"}
"""Commands Telegram users type out of habit; not shown in the menu."""


def command_incoming(command: str, args: list[str], language_hint: str | None) -> Incoming:
    """`/client Dupont SA` -> `/client_status{"args": "Dupont SA"}` as a payload."""
    payload = COMMAND_PAYLOADS[ALIASES.get(command, command)]
    if args:
        payload += json.dumps({"args": " ".join(args)}, ensure_ascii=False)
    return Incoming(text=payload, is_payload=True, language_hint=language_hint)
