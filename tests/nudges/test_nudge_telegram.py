"""End to end: the real bot process (serve + TelegramNudges) against the fake Bot API sends a
due nudge with its buttons, honours a 429, and the button comes back as its payload."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from domain.ledger import make_engine, unit_of_work
from domain.ledger.enums import NudgeKind, NudgeState
from domain.ledger.models import Nudge
from tests.fakebotapi.server import FakeBotApi
from tests.nudges.helpers import due_nudge, make_invoice, make_owner

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
CHAT = 4242


def test_the_bot_sends_a_due_nudge_and_honours_a_429(db_url: str, engine: object,
                                                      fake_api: FakeBotApi, tmp_path: Path) -> None:
    ledger = make_engine(db_url)
    with unit_of_work(ledger) as s:
        owner = make_owner(s, str(CHAT), chat_id=CHAT)
        invoice = make_invoice(s, owner, "F-117", due=date(2026, 2, 20),
                               client="Dupont & Fils")
        nudge = due_nudge(s, owner, invoice, NudgeKind.LADDER_STEP,
                          datetime.now(UTC) - timedelta(minutes=5), "k", step="first_reminder")
    fake_api.inject_fault("sendMessage", "429", times=1, retry_after=2, chat_id=CHAT)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK"))}
    env.update(TELEGRAM_BOT_TOKEN=fake_api.token, TELEGRAM_API_BASE_URL=fake_api.base_url,
               TELEGRAM_FILE_BASE_URL=fake_api.base_file_url, DATABASE_URL=db_url,
               PYTHONPATH=str(ROOT), LOG_LEVEL="INFO")
    log = (tmp_path / "bot.log").open("wb")
    bot = subprocess.Popen([sys.executable, "-m", "tests.nudges.run_nudge_bot"], cwd=ROOT,
                           env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        [message] = fake_api.wait_for_messages(CHAT, 1, timeout=30)
        assert message.text.startswith("<b>F-117</b> Dupont &amp; Fils")
        assert "premier rappel écrit" in message.text
        data = [d for row in message.buttons for _, d in row]
        # [Rédiger] [Déjà payée] [C'est fait] [Plus tard]
        assert data == [f'p:/ask_wording{{"invoice":{invoice},"step":"first_reminder"}}',
                        f'p:/invoice_paid{{"invoice":{invoice}}}',
                        f'p:/nudge_done{{"nudge":{nudge}}}', f'p:/nudge_snooze{{"nudge":{nudge}}}']
        sends = [c for c in fake_api.calls("sendMessage") if c.params.get("chat_id") in (
            CHAT, str(CHAT))]
        assert [c.status for c in sends] == [429, 200]
        assert sends[1].timestamp - sends[0].timestamp >= 2.0  # retry_after honoured
        fake_api.wait_until(lambda: _state(db_url, nudge) is NudgeState.SENT, timeout=10)
        pressed = fake_api.press_button(CHAT, message.message_id, data[2])
        [echo] = fake_api.wait_for_messages(CHAT, 1, timeout=10)
        assert echo.text == f'payload /nudge_done{{"nudge":{nudge}}} pour {CHAT}'
        assert fake_api.wait_for_callback_answer(pressed)["text"] == ""
    finally:
        bot.send_signal(signal.SIGTERM)
        try:
            bot.wait(15)
        except subprocess.TimeoutExpired:
            bot.kill()
        log.close()
    output = (tmp_path / "bot.log").read_text(errors="replace")
    assert "nudge dispatcher started" in output and fake_api.token not in output
    assert len(fake_api.messages(CHAT)) == 2  # the nudge once, the echo once


def _state(url: str, nudge_id: int) -> NudgeState:
    with unit_of_work(make_engine(url), write=False) as s:
        return s.exec(select(Nudge).where(Nudge.id == nudge_id)).one().state
