"""The real Application (offline request object) with the real assistant: hostile texts and
forged buttons; owners never reach each other's rows; the bot token never reaches the logs."""

from __future__ import annotations

import asyncio
import io
import logging
from typing import Any

from pydantic import SecretStr
from sqlmodel import select
from telegram import Update

from bot.dialogue.assistant import Assistant
from bot.logging_setup import configure_logging
from bot.settings import Settings
from bot.telegram.app import build_application
from bot.telegram.buttons import MAX_CALLBACK_BYTES
from bot.telegram.split import MAX_MESSAGE, visible_length
from domain.ledger import unit_of_work
from domain.ledger.models import Invoice, Nudge, Owner, Promise
from tests.bot.telegram import updates
from tests.bot.telegram.doubles import RecordingRequest
from tests.fakebotapi.server import FakeBotApi
from tests.fuzz.conftest import html_problems, say
from tests.fuzz.corpus import NASTY

TOKEN = "987654321:AAFuzzTokenNeverLogged_abcdefghijklmnopq"
SECRET_CLIENT, SECRET_AMOUNT = "Zyxwv Industries", "7 777 €"


def settings(**extra: Any) -> Settings:
    return Settings(_env_file=None, telegram_bot_token=SecretStr(TOKEN), **extra)  # type: ignore[call-arg]


async def drive(assistant: Assistant, feed: list[dict[str, Any]]) -> tuple[RecordingRequest,
                                                                            list[BaseException]]:
    request, errors = RecordingRequest(), []

    async def collect(update: object, context: Any) -> None:
        errors.append(context.error)

    app = build_application(settings(), assistant, request=request,
                            get_updates_request=RecordingRequest())
    app.add_error_handler(collect)
    async with app:
        for update in feed:
            await app.process_update(Update.de_json(update, app.bot))
    return request, errors


def check_sent(request: RecordingRequest) -> None:
    for params in request.sent("sendMessage"):
        assert params["text"].strip() and visible_length(params["text"]) <= MAX_MESSAGE
        assert html_problems(params["text"]) == [], params["text"][:300]
        markup = params.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            assert all(0 < len(b["callback_data"].encode()) <= MAX_CALLBACK_BYTES for b in row)


def test_hostile_texts_and_forged_buttons_through_telegram(assistant: Assistant) -> None:
    feed = [updates.text(5001, line) for line in NASTY if line.strip("\x00 ")]
    feed += [updates.button(5001, data) for data in (
        "p:", "p:/", "p:/x{not json", 'p:/invoice_paid{"invoice": -1}', "t:forged", "t:", "x" * 64,
        'p:/add_invoice{"amount": 1e308}', "p:{{7*7}}", "p:<b>", "é" * 32)]
    request, errors = asyncio.run(drive(assistant, feed))
    assert errors == []
    check_sent(request)
    texts = [p["text"] for p in request.sent("sendMessage")]
    assert len(texts) >= len([u for u in feed if "message" in u])  # every text answered
    assert not any("49" in t for t in texts if "{{7*7}}" in t)
    assert len(request.sent("answerCallbackQuery")) == 11  # every press answered


def _owner_rows(assistant: Assistant, external_id: str) -> dict[str, Any]:
    with unit_of_work(assistant.engine, write=False) as s:
        owner = s.exec(select(Owner).where(Owner.external_id == external_id)).one()
        return {
            "invoices": [(i.id, i.status, i.paid_amount, i.amount, i.dispute_reason)
                         for i in s.exec(select(Invoice).where(Invoice.owner_id == owner.id))],
            "promises": [(p.id, p.state, p.amount)
                         for p in s.exec(select(Promise).where(Promise.owner_id == owner.id))],
            "nudges": [(n.id, n.state, n.due_at)
                       for n in s.exec(select(Nudge).where(Nudge.owner_id == owner.id))],
        }


def test_forged_ids_never_cross_owners(assistant: Assistant) -> None:
    for line in (f"facture F-900 {SECRET_CLIENT} {SECRET_AMOUNT} échue le 15/11", "01/10/2026",
                 '/add_invoice{"debtor_kind":"professional"}', '/add_invoice{"merchant":"yes"}',
                     '/add_invoice{"step":"none"}',
                 f"{SECRET_CLIENT} m a promis 500 € vendredi"):
        say(assistant, "6001", line)
    before = _owner_rows(assistant, "6001")
    assert before["invoices"] and before["promises"] and before["nudges"]
    forged = []
    for (invoice, *_rest) in before["invoices"]:
        forged += [f'/invoice_paid{{"invoice":{invoice}}}',
                   f'/ask_wording{{"invoice":{invoice},"step":"first_reminder"}}',
                   f'/report_payment{{"invoice":{invoice},"amount":"100"}}',
                   f'/invoice_status{{"invoice":{invoice}}}']
    for (promise, *_rest) in before["promises"]:
        forged += [f'/promise_check{{"promise":{promise},"result":"{r}"}}'
                   for r in ("yes", "partial", "no")]
    for (nudge, *_rest) in before["nudges"]:
        forged += [f'/nudge_done{{"nudge":{nudge}}}', f'/nudge_snooze{{"nudge":{nudge}}}']
    # (B typing A's client name gets that name echoed back: not a leak, so not sent here.)
    forged += ["mes retards", "quoi faire ?", "/export_data", "F-900 payée"]
    say(assistant, "6002", "bonjour")
    seen = []
    for line in forged:
        seen += [r.text for r in say(assistant, "6002", line)]
        seen += [r.text for r in say(assistant, "6002", "oui")]  # confirm anything asked
    request, errors = asyncio.run(drive(assistant, [updates.button(6002, "p:" + p)
                                                    for p in forged if len(p) < 60]))
    assert errors == []
    seen += [p["text"] for p in request.sent("sendMessage")]
    seen += [p.get("text", "") for p in request.sent("answerCallbackQuery")]
    # « F-900 payée » typed by B is echoed back in the refusal (« La facture F-900 n'est pas
    # une facture impayée de … : je n'ai rien enregistré »): B's own words, not A's data.
    echoed = "La facture F-900 n'est pas une facture impayée de"
    leaks = [t for t in seen if "Zyxwv" in t or "7\u202f777" in t or "7 777" in t
             or ("F-900" in t and not (t.startswith(echoed) and t.count("F-900") == 1))]
    assert leaks == []
    assert _owner_rows(assistant, "6001") == before


def test_the_token_never_reaches_the_logs(assistant: Assistant) -> None:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level,
             {n: logging.getLogger(n).level for n in ("httpx", "httpcore", "telegram.ext.ExtBot")})
    raw: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            raw.append(record)

    with FakeBotApi(token=TOKEN) as api:
        configure_logging(settings(log_level="DEBUG"))
        stream = io.StringIO()
        root.handlers[0].setStream(stream)  # type: ignore[attr-defined]
        root.addHandler(Keep(logging.DEBUG))
        for noisy in ("httpx", "httpcore", "telegram.ext.ExtBot"):  # worst case: all on
            logging.getLogger(noisy).setLevel(logging.DEBUG)
        try:
            app = build_application(settings(telegram_api_base_url=api.base_url,
                                             telegram_file_base_url=api.base_file_url), assistant)

            async def talk() -> None:
                async with app:
                    for line in ("bonjour", "mes retards", f"token {TOKEN}", "/x{not json"):
                        await app.process_update(Update.de_json(updates.text(7001, line), app.bot))

            asyncio.run(talk())
        finally:
            root.handlers[:], root.level = saved[0], saved[1]
            for name, level in saved[2].items():
                logging.getLogger(name).setLevel(level)
        assert len(api.messages(7001)) >= 4
    output = stream.getvalue()
    assert "sendMessage" in output or "HTTP Request" in output  # the logs did cover the calls
    assert TOKEN not in output and TOKEN.split(":")[1] not in output
    ours = [r for r in raw if r.name.startswith(("bot", "actions", "domain"))]
    assert not [r for r in ours if TOKEN.split(":")[1] in r.getMessage()]
