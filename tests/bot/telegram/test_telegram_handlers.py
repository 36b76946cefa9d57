"""The real Application, driven offline: updates in, Bot API calls out, no network."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.replies import Channel, Incoming, OwnerKey
from bot.settings import PROJECT_ROOT
from bot.telegram.app import publish_command_menu
from bot.telegram.buttons import MAX_CALLBACK_BYTES
from bot.telegram.commands import COMMAND_PAYLOADS
from bot.telegram.texts import ChannelTexts
from tests.bot.telegram import updates
from tests.bot.telegram.conftest import Harness
from tests.bot.telegram.doubles import LONG_PAYLOAD

pytestmark = pytest.mark.anyio
OWNER = OwnerKey(Channel.TELEGRAM, "42")


async def test_text_goes_to_the_assistant_and_back(harness: Harness) -> None:
    await harness.feed(updates.text(42, "bonjour"))
    assert harness.assistant.seen == [(OWNER, Incoming("bonjour", language_hint="fr"))]
    assert harness.assistant.update_ids[-1] is not None  # for the dialogue's de-duplication
    [sent] = harness.request.sent("sendMessage")
    assert sent["chat_id"] == 42 and sent["text"] == "echo bonjour pour 42"
    assert sent["parse_mode"] == "HTML"
    assert harness.request.sent("sendChatAction") == []  # fast answers show no "typing…"


@pytest.mark.parametrize(("command", "payload"), [
    ("/quoifaire", "/what_now"),
    ("/aide", "/help"),
    ("/help", "/help"),
    ("/start", "/greet"),
    ("/nouvelle", "/add_invoice"),
    ("/paye", "/report_payment"),
    ("/export", "/export_data"),
    ('/client Dupont & Fils', '/invoice_status{"client": "Dupont & Fils"}'),
])
async def test_commands_become_payloads(harness: Harness, command: str, payload: str) -> None:
    await harness.feed(updates.text(42, command))
    assert harness.assistant.seen[-1][1] == Incoming(payload, is_payload=True, language_hint="fr")


async def test_unknown_command_is_text_and_edits_are_ignored(harness: Harness) -> None:
    await harness.feed(updates.text(42, "/inconnue"))
    await harness.feed(updates.edited_text(42, "bonjour modifié"))
    assert [incoming for _, incoming in harness.assistant.seen] == [
        Incoming("/inconnue", language_hint="fr")]


async def test_buttons_fit_in_64_bytes_and_resolve(harness: Harness) -> None:
    await harness.feed(updates.text(42, "boutons"))
    [sent] = harness.request.sent("sendMessage")
    rows = sent["reply_markup"]["inline_keyboard"]
    data = [button["callback_data"] for row in rows for button in row]
    assert all(len(d.encode()) <= MAX_CALLBACK_BYTES for d in data)
    assert [len(row) for row in rows] == [2, 1]
    await harness.feed(updates.button(42, data[2]))
    assert harness.assistant.seen[-1][1] == Incoming(LONG_PAYLOAD, is_payload=True,
                                                     language_hint="fr")
    [answer] = harness.request.sent("answerCallbackQuery")
    assert "text" not in answer
    assert harness.request.sent("editMessageReplyMarkup")  # the keyboard is taken away
    await harness.feed(updates.button(42, data[0]))
    assert harness.assistant.seen[-1][1].text == '/mark_paid{"invoice": 12}'


@pytest.mark.parametrize("data", ["t:unknown-token", "garbage", "p:", "/what_now"])
async def test_unknown_stale_or_malformed_buttons_are_refused(harness: Harness, data: str) -> None:
    await harness.feed(updates.button(42, data, language_code="en"))
    assert harness.assistant.seen == []
    [answer] = harness.request.sent("answerCallbackQuery")
    assert answer["text"] == ChannelTexts(_templates()).stale_button("en")


async def test_a_token_is_only_valid_in_its_own_chat(harness: Harness) -> None:
    await harness.feed(updates.text(42, "boutons"))
    token = harness.request.sent("sendMessage")[0]["reply_markup"]["inline_keyboard"][1][0]
    await harness.feed(updates.button(43, token["callback_data"]))
    assert harness.assistant.seen[1:] == []


async def test_long_replies_are_split_into_valid_pieces(harness: Harness) -> None:
    await harness.feed(updates.text(42, "long"))
    pieces = [sent["text"] for sent in harness.request.sent("sendMessage")]
    assert len(pieces) >= 2
    for piece in pieces:
        assert piece.count("<b>") == piece.count("</b>")
        assert len(piece) <= 4096 + 50
    assert all(piece.split(". ")[0].isdigit() for piece in pieces)  # cut between paragraphs


async def test_attachment_is_sent_as_a_document(harness: Harness) -> None:
    await harness.feed(updates.text(42, "export"))
    [document] = harness.request.sent("sendDocument")
    assert document["document"]["filename"] == "export.csv"
    assert document["document"]["content"] == b"client;montant\nDupont;1250.00\n"
    assert document["caption"] == "Votre export"


async def test_csv_document_is_downloaded_for_the_assistant(harness: Harness) -> None:
    harness.request.files["FILE1"] = b"a;b\n"
    await harness.feed(updates.document(42, "FILE1", "clients.csv", 4))
    [(_, incoming)] = harness.assistant.seen
    assert incoming.attachment is not None
    assert (incoming.attachment.filename, incoming.attachment.content) == ("clients.csv", b"a;b\n")


async def test_slow_assistant_shows_typing(harness: Harness) -> None:
    await harness.feed(updates.text(42, "lent"))
    assert [a["action"] for a in harness.request.sent("sendChatAction")] == ["typing"]


async def test_no_typing_when_far_behind(harness: Harness) -> None:
    """Many conversations waiting: "typing…" would cost a request each and slow them all."""
    from bot.telegram.handlers import TYPING_BUSY, TelegramChannel

    [channel] = {h.callback.__self__ for group in harness.app.handlers.values() for h in group
                 if isinstance(getattr(h.callback, "__self__", None), TelegramChannel)}
    channel.in_flight = TYPING_BUSY  # this update makes one more
    await harness.feed(updates.text(42, "lent"))
    assert harness.request.sent("sendChatAction") == []
    assert len(harness.request.sent("sendMessage")) == 1  # still answered
    assert channel.in_flight == TYPING_BUSY
    channel.in_flight = 0
    await harness.feed(updates.text(42, "lent"))
    assert [a["action"] for a in harness.request.sent("sendChatAction")] == ["typing"]


async def test_assistant_crash_is_logged_and_owner_told(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await harness.feed(updates.text(42, "boom", language_code="en"))
    [error] = harness.take_errors()
    assert isinstance(error, RuntimeError)
    [sent] = harness.request.sent("sendMessage")
    assert sent["text"] == ChannelTexts(_templates()).error("en")
    assert "Traceback" not in sent["text"]
    assert any(record.exc_info for record in caplog.records if record.levelname == "ERROR")


async def test_flood_wait_and_bad_gateway_are_retried(harness: Harness) -> None:
    harness.request.fail_next("sendMessage", 429, "Too Many Requests: retry after 1",
                              retry_after=1)
    harness.request.fail_next("sendMessage", 502, "Bad Gateway")
    await harness.feed(updates.text(42, "bonjour"))
    assert [s["text"] for s in harness.request.sent("sendMessage")] == ["echo bonjour pour 42"] * 3


async def test_blocked_owner_is_reported_not_retried(harness: Harness) -> None:
    harness.request.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    await harness.feed(updates.text(42, "export"))
    assert harness.blocked == [OWNER]
    assert len(harness.request.sent("sendMessage")) == 1
    assert harness.request.sent("sendDocument") == []


async def test_command_menu_in_french_and_english(harness: Harness) -> None:
    await publish_command_menu(harness.app, ChannelTexts(_templates()))
    french, english = harness.request.sent("setMyCommands")
    assert "language_code" not in french and english["language_code"] == "en"
    for menu in (french, english):
        commands = menu["commands"]
        commands = json.loads(commands) if isinstance(commands, str) else commands
        assert [c["command"] for c in commands] == list(COMMAND_PAYLOADS)
    assert english["commands"][2]["description"] == "What should I do now?"


def _templates() -> Path:
    return PROJECT_ROOT / "templates"
