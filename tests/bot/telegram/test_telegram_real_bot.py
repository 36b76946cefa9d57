"""End to end with everything real: `relance run` (dialogue, NLU, actions, SQLite ledger)
polling the local fake Bot API, two owners talking at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakebotapi.server import FakeBotApi

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        yield fake


@pytest.fixture(scope="module")
def relance(api: FakeBotApi, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("real")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK"))}
    env.update(TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_API_BASE_URL=api.base_url,
               TELEGRAM_FILE_BASE_URL=api.base_file_url, LOG_LEVEL="DEBUG",
               DATABASE_URL=f"sqlite:///{folder / 'relance.db'}")
    log = folder / "bot.log"
    with log.open("wb") as out:
        process = subprocess.Popen([str(Path(sys.executable).parent / "relance"), "run"],
                                   cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            api.wait_until(lambda: bool(api.calls("getUpdates")), timeout=60)
            yield log
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
    assert api.token not in log.read_text(errors="replace")


def press(api: FakeBotApi, chat: int, title: str) -> str:
    """Press the button `title` of the bot's latest message that has it; the next reply."""
    message = next(m for m in reversed(api.messages(chat)) if any(
        t == title for row in m.buttons for t, _ in row))
    api.press_button(chat, message.message_id, message.button_data(title))
    return api.wait_for_messages(chat, 1, timeout=20)[0].text


def send(api: FakeBotApi, chat: int, text: str) -> str:
    api.push_text(chat, text)
    return "\n".join(m.text for m in api.wait_for_messages(chat, 1, timeout=20))


def test_two_owners_diagnose_and_never_mix(api: FakeBotApi, relance: Path) -> None:
    api.push_text(201, "/start")
    api.push_text(202, "/start")
    first = api.wait_for_messages(201, 2, timeout=30)
    assert "Bienvenue" in first[0].text and "entreprise" in first[1].text
    assert "Bienvenue" in api.wait_for_messages(202, 2, timeout=30)[0].text
    for _ in range(3):
        press(api, 201, "Passer")
    assert "Par quoi" in press(api, 201, "Non")  # not a merchant
    assert "date de la facture" in send(api, 201, "facture F-117 Dupont SARL 1 250 € échue le 15/10")
    assert "professionnel" in send(api, 201, "15/09/2026")
    press(api, 201, "Professionnel")
    press(api, 201, "Oui")  # the client is a merchant
    card = press(api, 201, "Rien encore")
    assert "F-117" in card and "Total réclamable" in card and "L441-10" in card
    assert "choisir le tribunal" in card  # non-merchant creditor v. merchant debtor
    assert "Dupont" not in send(api, 202, "mes retards")
    assert "Dupont SARL" in send(api, 201, "mes retards")
