"""End to end: the real bot process, polling the fake Bot API, driven by scripted owners."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.replies import Channel, Incoming, OwnerKey
from bot.telegram.commands import COMMAND_PAYLOADS
from bot.telegram.split import split_html
from tests.bot.telegram.botprocess import BotProcess
from tests.bot.telegram.doubles import LONG_PAYLOAD, ScriptedAssistant
from tests.fakebotapi.server import FakeBotApi

pytestmark = pytest.mark.slow
OWNER_101 = OwnerKey(Channel.TELEGRAM, "101")


@pytest.fixture(scope="module")
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        yield fake


@pytest.fixture(scope="module")
def bot(api: FakeBotApi, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotProcess]:
    api.push_text(100, "avant le démarrage")  # sent while the bot was down: must be handled
    process = BotProcess(api, tmp_path_factory.mktemp("bot") / "polling.log")
    try:
        api.wait_until(lambda: bool(api.commands("en") and api.calls("getUpdates")), timeout=20)
        yield process
    finally:
        process.stop()


def test_start_up_sets_menus_and_handles_pending_updates(api: FakeBotApi, bot: BotProcess) -> None:
    methods = [call.method for call in api.calls()]
    assert methods[0] == "getMe"
    assert methods.index("deleteWebhook") < methods.index("getUpdates")
    assert [c["command"] for c in api.commands()] == list(COMMAND_PAYLOADS)
    assert [c["command"] for c in api.commands("en")] == list(COMMAND_PAYLOADS)
    assert api.commands()[2]["description"] == "Que faire maintenant ?"
    assert api.commands("en")[2]["description"] == "What should I do now?"
    [reply] = api.wait_for_messages(100, 1)
    assert reply.text == "echo avant le démarrage pour 100"


def test_a_conversation_with_buttons_long_text_and_files(api: FakeBotApi, bot: BotProcess) -> None:
    api.push_text(101, "/quoifaire")
    assert api.wait_for_messages(101, 1)[0].text == "payload /what_now pour 101"

    api.push_text(101, "boutons")
    [question] = api.wait_for_messages(101, 1)
    assert [title for row in question.buttons for title, _ in row] == ["Oui", "Non", "Messagerie"]
    pressed = api.press_button(101, question.message_id, question.button_data("Messagerie"))
    assert api.wait_for_messages(101, 1)[0].text == f"payload {LONG_PAYLOAD} pour 101"
    assert api.wait_for_callback_answer(pressed) == {"text": "", "show_alert": False}
    api.wait_until(lambda: next(m for m in api.messages(101)
                                if m.message_id == question.message_id).reply_markup is None)

    stale = api.press_button(101, question.message_id, "t:forgotten", check=False)
    assert "plus valable" in api.wait_for_callback_answer(stale)["text"]

    api.push_text(101, "long")
    [long_reply] = asyncio.run(ScriptedAssistant().handle(OWNER_101, Incoming("long")))
    expected = split_html(long_reply.text)
    assert len(expected) >= 3
    pieces = api.wait_for_messages(101, len(expected))  # the fake refuses pieces over 4 096
    assert [p.text for p in pieces] == expected
    assert "11. <b>Facture</b>" in pieces[-1].text

    api.push_text(101, "export")
    text, document = api.wait_for_messages(101, 2)
    assert text.text == "Voici l'export."
    assert document.document is not None and document.document.filename == "export.csv"
    assert document.document.content.startswith(b"client;montant")

    api.push_document(101, "clients.csv", b"nom;montant\nDupont;1250\n")
    assert api.wait_for_messages(101, 1)[0].text == "fichier clients.csv (24 octets) pour 101"


def test_two_owners_at_once_never_mix(api: FakeBotApi, bot: BotProcess) -> None:
    api.push_text(201, "lent")
    for i in range(8):
        api.push_text(202, f"m{i}")
        api.push_text(203, f"m{i}")
    # 202 and 203 are not held up by 201's slow answer, and each sees its own, in order.
    for chat in (202, 203):
        assert [m.text for m in api.wait_for_messages(chat, 8, timeout=10)] == [
            f"echo m{i} pour {chat}" for i in range(8)]
    assert api.messages(201) == []
    assert api.wait_for_messages(201, 1)[0].text == "enfin (201)"
    assert any(c.method == "sendChatAction" and c.params["chat_id"] == "201" for c in api.calls())


@pytest.mark.parametrize(("kind", "options"), [
    ("429", {"retry_after": 1}),
    ("502", {}),
    ("timeout", {"delay": 2.0}),
])
def test_transient_failures_are_retried(
    api: FakeBotApi, bot: BotProcess, kind: str, options: dict[str, float]
) -> None:
    chat = {"429": 301, "502": 302, "timeout": 303}[kind]
    api.inject_fault("sendMessage", kind, times=1, chat_id=chat, **options)  # type: ignore[arg-type]
    api.push_text(chat, "bonjour")
    [reply] = api.wait_for_messages(chat, 1, timeout=15)
    assert reply.text == f"echo bonjour pour {chat}"
    attempts = [c for c in api.calls("sendMessage") if c.params["chat_id"] == str(chat)]
    assert [c.status for c in attempts] == [{"429": 429, "502": 502, "timeout": 504}[kind], 200]
    if kind == "429":
        assert attempts[1].timestamp - attempts[0].timestamp >= 1.0


def test_blocked_owner_is_not_retried(api: FakeBotApi, bot: BotProcess) -> None:
    api.inject_fault("*", "403", times=None, chat_id=304)
    api.push_text(304, "export")
    api.wait_until(lambda: "owner 304 blocked the bot" in bot.output(), timeout=10)
    attempts = [c for c in api.calls() if c.params.get("chat_id") == "304"
                and c.method != "sendChatAction"]
    assert [(c.method, c.status) for c in attempts] == [("sendMessage", 403)]


def test_shutdown_is_clean_and_the_token_never_printed(api: FakeBotApi, bot: BotProcess) -> None:
    code, output = bot.stop()
    assert code == 0, output[-2000:]
    assert "Telegram bot starting (long polling)" in output
    assert api.token not in output
    assert api.token.split(":")[1] not in output
    assert api.pending_updates() == []  # every update was confirmed


def test_webhook_mode_requires_the_secret(
    api: FakeBotApi, tmp_path: Path
) -> None:
    import httpx

    from tests.bot.telegram.botprocess import free_port

    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    secret = "s3cret-Token_for-tests"
    process = BotProcess(api, tmp_path / "webhook.log", webhook={
        "WEBHOOK_URL": url, "WEBHOOK_LISTEN": "127.0.0.1", "WEBHOOK_PORT": str(port),
        "WEBHOOK_SECRET": secret})
    try:
        api.wait_until(lambda: api.webhook is not None, timeout=20)
        assert api.webhook == {"url": url, "secret_token": secret}
        update = {"update_id": 900001, "message": {
            "message_id": 1, "date": 1_700_000_000, "text": "par webhook",
            "chat": {"id": 401, "type": "private"},
            "from": {"id": 401, "is_bot": False, "first_name": "Owner", "language_code": "fr"}}}
        body = json.dumps(update)
        headers = {"Content-Type": "application/json"}
        api.wait_until(lambda: _listening(port), timeout=10)
        assert httpx.post(url, content=body, headers=headers).status_code == 403
        wrong = headers | {"X-Telegram-Bot-Api-Secret-Token": "wrong"}
        assert httpx.post(url, content=body, headers=wrong).status_code == 403
        right = headers | {"X-Telegram-Bot-Api-Secret-Token": secret}
        assert httpx.post(url, content=body, headers=right).status_code == 200
        assert api.wait_for_messages(401, 1)[0].text == "echo par webhook pour 401"
        assert api.messages(401)[0].text == "echo par webhook pour 401"  # once, not thrice
        api.push_text(402, "via Telegram")  # the fake delivers it like Telegram, with the secret
        assert api.wait_for_messages(402, 1)[0].text == "echo via Telegram pour 402"
    finally:
        code, output = process.stop()
    assert code == 0, output[-2000:]
    assert secret not in output and api.token not in output


def _listening(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0
