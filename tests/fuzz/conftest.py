"""Hostile input: the real assistant on a temp SQLite file, and the checks every reply passes."""

from __future__ import annotations

import asyncio
import math
import re
import sys
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import select

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from bot.dialogue.assistant import Assistant, build_assistant  # noqa: E402
from bot.replies import Channel, Incoming, OwnerKey, Reply  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.telegram.split import MAX_MESSAGE, split_html, visible_length  # noqa: E402
from domain.ledger import unit_of_work  # noqa: E402
from domain.ledger.models import Invoice, Payment, Promise  # noqa: E402

TODAY = date(2026, 11, 23)
# Telegram's HTML parse mode: the tags it accepts (https://core.telegram.org/bots/api#html-style).
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
                "a", "code", "pre", "blockquote", "tg-emoji"}
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)[^<>]*>")
_STRAY = re.compile(r"<(?![a-zA-Z/])|&(?!#?\w+;)")


def html_problems(text: str) -> list[str]:
    """Why Telegram would refuse `text` in HTML parse mode ([] when it is fine)."""
    problems, stack = [], []
    for match in _TAG.finditer(text):
        closing, name = match.group(1) == "/", match.group(2).lower()
        if name not in ALLOWED_TAGS:
            problems.append(f"tag <{name}> not allowed")
        elif not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            problems.append(f"</{name}> closes nothing open")
    problems += [f"<{name}> left open" for name in stack]
    if _STRAY.search(_TAG.sub("", text)):
        problems.append("unescaped < or & in the text")
    return problems


def check_replies(sent: str, replies: list[Reply], *, allow_silence: bool = False) -> None:
    """Every message answered with valid Telegram HTML; no template evaluated from user text."""
    if not allow_silence:
        assert any(r.text.strip() for r in replies), f"no answer to {sent[:80]!r}"
    for reply in replies:
        if not reply.text.strip():
            assert reply.attachment is not None, f"empty reply to {sent[:80]!r}"
            continue
        assert html_problems(reply.text) == [], (sent[:80], reply.text[:300])
        pieces = split_html(reply.text)
        assert all(0 < visible_length(p) <= MAX_MESSAGE for p in pieces)
        assert all(html_problems(p) == [] for p in pieces)
        for button in reply.buttons:
            assert button.title.strip() and button.payload.strip()
        if "{{" in sent and "7*7" in sent.replace(" ", ""):
            assert "49" not in reply.text, f"template evaluated from {sent!r}"
        assert "246912" not in reply.text  # {{ 123456*2 }}


def say(assistant: Assistant, who: str, line: str, lang: str = "fr") -> list[Reply]:
    owner = OwnerKey(Channel.TELEGRAM, who)
    return asyncio.run(assistant.handle(owner, Incoming(line, line.startswith("/"), lang)))


def stored_problems(assistant: Assistant) -> list[str]:
    """Rows no input should ever have produced."""
    problems = []
    with unit_of_work(assistant.engine, write=False) as session:
        for inv in session.exec(select(Invoice)):
            if not (Decimal(inv.amount).is_finite() and inv.amount > 0):
                problems.append(f"invoice {inv.id} amount {inv.amount}")
            if not date(2000, 1, 1) <= inv.invoice_date <= TODAY:
                problems.append(f"invoice {inv.id} dated {inv.invoice_date}")
            if not date(2000, 1, 1) <= inv.due_date <= date(TODAY.year + 10, 12, 31):
                problems.append(f"invoice {inv.id} due {inv.due_date}")
            if not 0 <= inv.paid_amount <= inv.amount * 2:
                problems.append(f"invoice {inv.id} paid {inv.paid_amount}")
            if not inv.number.strip() or len(inv.number) > 64 or "\x00" in inv.number:
                problems.append(f"invoice {inv.id} number {inv.number!r}")
        for pay in session.exec(select(Payment)):
            if not (pay.amount.is_finite() and pay.amount > 0):
                problems.append(f"payment {pay.id} amount {pay.amount}")
            if not date(2000, 1, 1) <= pay.paid_on <= TODAY:
                problems.append(f"payment {pay.id} on {pay.paid_on}")
        for prom in session.exec(select(Promise)):
            if not (prom.amount.is_finite() and prom.amount > 0):
                problems.append(f"promise {prom.id} amount {prom.amount}")
            if not date(2000, 1, 1) <= prom.promised_date <= date(TODAY.year + 10, 12, 31):
                problems.append(f"promise {prom.id} on {prom.promised_date}")
    return problems


@pytest.fixture(scope="package")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    db = tmp_path_factory.mktemp("fuzz") / "relance.db"
    settings = Settings(_env_file=None, database_url=f"sqlite:///{db}")  # type: ignore[call-arg]
    built = build_assistant(settings, today=TODAY)
    yield built
    assert stored_problems(built) == []


__all__ = ["check_replies", "html_problems", "math", "say", "stored_problems"]
