"""The fake Bot API answers like Telegram: raw HTTP first, then a real PTB `Bot`."""

from __future__ import annotations

import asyncio
import json
import threading
import time

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from bot.telegram.delivery import retry_seconds
from tests.fakebotapi.server import FakeBotApi


def call(api: FakeBotApi, method: str, **params: object) -> httpx.Response:
    encoded = {k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in params.items()}
    return httpx.post(f"{api.base_url}{api.token}/{method}", data=encoded, timeout=10)


# -- raw HTTP ------------------------------------------------------------------------------


def test_get_me_and_wrong_token(fake_api: FakeBotApi) -> None:
    answer = call(fake_api, "getMe").json()
    assert answer["ok"] is True and answer["result"]["is_bot"] is True
    wrong = httpx.post(f"{fake_api.base_url}1:nope/getMe")
    assert wrong.status_code == 401 and wrong.json()["ok"] is False


def test_unknown_method_is_404(fake_api: FakeBotApi) -> None:
    answer = call(fake_api, "sendTelepathy")
    assert answer.status_code == 404 and answer.json()["description"] == "Not Found"


def test_get_updates_confirms_offsets(fake_api: FakeBotApi) -> None:
    first = fake_api.push_text(1, "bonjour")
    second = fake_api.push_text(1, "/quoifaire")
    updates = call(fake_api, "getUpdates").json()["result"]
    assert [u["update_id"] for u in updates] == [first, second]
    assert updates[1]["message"]["entities"][0]["type"] == "bot_command"
    # Asking again without an offset returns the same, unconfirmed updates.
    assert len(call(fake_api, "getUpdates").json()["result"]) == 2
    assert [u["update_id"] for u in call(fake_api, "getUpdates", offset=second).json()["result"]] == [second]
    assert call(fake_api, "getUpdates", offset=second + 1).json()["result"] == []
    assert fake_api.pending_updates() == []


def test_get_updates_long_polls_until_an_update_arrives(fake_api: FakeBotApi) -> None:
    threading.Timer(0.3, fake_api.push_text, args=(5, "salut")).start()
    started = time.monotonic()
    updates = call(fake_api, "getUpdates", timeout=5).json()["result"]
    assert 0.25 < time.monotonic() - started < 3
    assert updates[0]["message"]["text"] == "salut"


def test_get_updates_times_out_empty(fake_api: FakeBotApi) -> None:
    started = time.monotonic()
    assert call(fake_api, "getUpdates", timeout=1).json()["result"] == []
    assert time.monotonic() - started >= 0.9


def test_get_updates_conflicts_with_a_webhook(fake_api: FakeBotApi) -> None:
    assert call(fake_api, "setWebhook", url="http://127.0.0.1:9/hook").json()["result"] is True
    conflict = call(fake_api, "getUpdates")
    assert conflict.status_code == 409
    assert call(fake_api, "deleteWebhook").json()["result"] is True
    assert call(fake_api, "getUpdates").status_code == 200


def test_send_message_records_keyboard_and_validates(fake_api: FakeBotApi) -> None:
    keyboard = {"inline_keyboard": [[{"text": "Oui", "callback_data": "/affirm"}]]}
    sent = call(fake_api, "sendMessage", chat_id=3, text="<b>Payé ?</b>", parse_mode="HTML",
                reply_markup=keyboard).json()["result"]
    assert sent["chat"]["id"] == 3 and sent["reply_markup"] == keyboard
    [message] = fake_api.wait_for_messages(3, 1)
    assert message.text == "<b>Payé ?</b>" and message.buttons == [[("Oui", "/affirm")]]


@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"text": ""}, "Bad Request: message text is empty"),
        ({"text": "é" * 4097}, "Bad Request: message is too long"),
        ({"text": "<b>oops", "parse_mode": "HTML"}, "Bad Request: can't parse entities"),
        ({"text": "a <script>", "parse_mode": "HTML"}, "Bad Request: can't parse entities"),
        ({"text": "1 < 2", "parse_mode": "HTML"}, "Bad Request: can't parse entities"),
        ({"text": "x", "reply_markup": {"inline_keyboard": [[{"text": "t", "callback_data": "é" * 33}]]}},
         "Bad Request: BUTTON_DATA_INVALID"),
    ],
)
def test_send_message_refusals(fake_api: FakeBotApi, params: dict[str, object], description: str) -> None:
    answer = call(fake_api, "sendMessage", chat_id=3, **params)
    assert answer.status_code == 400
    assert answer.json()["description"].startswith(description)
    assert fake_api.messages(3) == []


def test_length_is_counted_after_entity_parsing(fake_api: FakeBotApi) -> None:
    text = "<b>" + "&amp;" * 4096 + "</b>"
    assert call(fake_api, "sendMessage", chat_id=3, text=text, parse_mode="HTML").status_code == 200


def test_edit_and_answer_callback(fake_api: FakeBotApi) -> None:
    keyboard = {"inline_keyboard": [[{"text": "Oui", "callback_data": "/affirm"}]]}
    sent = call(fake_api, "sendMessage", chat_id=4, text="Payé ?", reply_markup=keyboard).json()
    message_id = sent["result"]["message_id"]
    update_id = fake_api.press_button(4, message_id, "/affirm")
    query = call(fake_api, "getUpdates").json()["result"][0]["callback_query"]
    assert query["data"] == "/affirm" and query["message"]["message_id"] == message_id
    assert call(fake_api, "answerCallbackQuery", callback_query_id=query["id"], text="ok").json()["ok"]
    assert fake_api.wait_for_callback_answer(update_id)["text"] == "ok"
    assert call(fake_api, "answerCallbackQuery", callback_query_id=query["id"]).status_code == 400
    assert call(fake_api, "editMessageReplyMarkup", chat_id=4, message_id=message_id).json()["ok"]
    assert fake_api.messages(4)[0].reply_markup is None
    same = call(fake_api, "editMessageReplyMarkup", chat_id=4, message_id=message_id)
    assert "message is not modified" in same.json()["description"]
    call(fake_api, "editMessageText", chat_id=4, message_id=message_id, text="Payé.")
    assert fake_api.messages(4)[0].text == "Payé." and len(fake_api.messages(4)[0].edits) == 2
    with pytest.raises(KeyError):
        fake_api.press_button(4, message_id, "/forged")


def test_faults_429_502_403_then_normal(fake_api: FakeBotApi) -> None:
    fake_api.inject_fault("sendMessage", "429", times=1, retry_after=3)
    fake_api.inject_fault("sendMessage", "502", times=1)
    fake_api.inject_fault("*", "403", times=None, chat_id=66)
    flood = call(fake_api, "sendMessage", chat_id=1, text="a")
    assert flood.status_code == 429
    assert flood.json() == {
        "ok": False, "error_code": 429, "description": "Too Many Requests: retry after 3",
        "parameters": {"retry_after": 3},
    }
    assert call(fake_api, "sendMessage", chat_id=1, text="a").status_code == 502
    blocked = call(fake_api, "sendMessage", chat_id=66, text="a")
    assert blocked.json()["description"] == "Forbidden: bot was blocked by the user"
    assert call(fake_api, "sendMessage", chat_id=1, text="a").status_code == 200
    assert [c.status for c in fake_api.calls("sendMessage")] == [429, 502, 403, 200]


def test_set_my_commands_per_language(fake_api: FakeBotApi) -> None:
    commands = [{"command": "aide", "description": "Aide"}]
    assert call(fake_api, "setMyCommands", commands=commands).json()["result"] is True
    call(fake_api, "setMyCommands", commands=[{"command": "aide", "description": "Help"}],
         language_code="en")
    assert fake_api.commands() == commands
    assert fake_api.commands("en")[0]["description"] == "Help"
    bad = call(fake_api, "setMyCommands", commands=[{"command": "Aide!", "description": "x"}])
    assert bad.status_code == 400


def test_json_body_is_accepted(fake_api: FakeBotApi) -> None:
    answer = httpx.post(f"{fake_api.base_url}{fake_api.token}/sendMessage",
                        json={"chat_id": 9, "text": "json"})
    assert answer.json()["result"]["text"] == "json"


# -- a real python-telegram-bot Bot --------------------------------------------------------


def ptb_bot(api: FakeBotApi, read_timeout: float = 5.0) -> Bot:
    return Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url,
               request=HTTPXRequest(read_timeout=read_timeout))


def test_ptb_bot_round_trip(fake_api: FakeBotApi) -> None:
    async def scenario() -> None:
        async with ptb_bot(fake_api) as bot:
            assert bot.username == "relance_fake_bot"
            markup = InlineKeyboardMarkup([[InlineKeyboardButton("Oui", callback_data="/affirm")]])
            message = await bot.send_message(7, "<i>Bonjour</i>", parse_mode="HTML",
                                             reply_markup=markup)
            assert message.reply_markup == markup
            await bot.edit_message_text("Re", chat_id=7, message_id=message.message_id)
            await bot.send_chat_action(7, "typing")
            doc = await bot.send_document(7, InputFile(b"a;b\n1;2\n", filename="export.csv"),
                                          caption="Export")
            assert doc.document is not None and doc.document.file_name == "export.csv"
            await bot.send_photo(7, InputFile(b"\x89PNG fake", filename="chart.png"))
            with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
                await bot.send_message(7, "x", reply_markup=InlineKeyboardMarkup(
                    [[InlineKeyboardButton("t", callback_data="x" * 65)]]))
            with pytest.raises(BadRequest, match="(?i)can't parse entities"):
                await bot.send_message(7, "<b>x", parse_mode="HTML")

    asyncio.run(scenario())
    document = fake_api.wait_for_messages(7, 3)[1].document
    assert document is not None
    assert (document.filename, document.content) == ("export.csv", b"a;b\n1;2\n")
    assert fake_api.messages(7)[2].photo is not None
    assert [c.method for c in fake_api.calls()][:2] == ["getMe", "sendMessage"]


def test_ptb_downloads_a_pushed_document(fake_api: FakeBotApi) -> None:
    fake_api.push_document(8, "clients.csv", b"nom;montant\nDupont;1250\n")

    async def scenario() -> bytes:
        async with ptb_bot(fake_api) as bot:
            [update] = await bot.get_updates()
            assert update.message is not None and update.message.document is not None
            file = await update.message.document.get_file()
            return bytes(await file.download_as_bytearray())

    assert asyncio.run(scenario()) == b"nom;montant\nDupont;1250\n"


def test_ptb_sees_each_fault_as_its_error(fake_api: FakeBotApi) -> None:
    fake_api.inject_fault("sendMessage", "429", retry_after=2)
    fake_api.inject_fault("sendMessage", "502")
    fake_api.inject_fault("sendMessage", "timeout", delay=1.5)
    fake_api.inject_fault("sendMessage", "403", times=None, chat_id=66)

    async def scenario() -> None:
        async with ptb_bot(fake_api, read_timeout=0.5) as bot:
            with pytest.raises(RetryAfter) as flood:
                await bot.send_message(1, "a")
            assert retry_seconds(flood.value) == 2  # an int or a timedelta, per PTB_TIMEDELTA
            with pytest.raises(NetworkError, match="Bad Gateway"):
                await bot.send_message(1, "a")
            with pytest.raises(TimedOut):
                await bot.send_message(1, "a")
            with pytest.raises(Forbidden, match="blocked by the user"):
                await bot.send_message(66, "a")
            await bot.send_message(1, "a")

    asyncio.run(scenario())
    assert [m.text for m in fake_api.messages(1)] == ["a"]
