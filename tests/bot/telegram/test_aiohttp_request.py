"""The bot's HTTP transport (PTB BaseRequest on aiohttp) against the local fake Bot API:
form and multipart calls, and its errors as PTB's, without the token in their text."""

from __future__ import annotations

import asyncio
import socket

import pytest
from telegram import Bot, InputFile
from telegram.error import NetworkError, TimedOut

from bot.telegram.aiohttp_request import AiohttpRequest
from tests.fakebotapi.server import FakeBotApi


def test_messages_and_files_go_through() -> None:
    async def run(api: FakeBotApi) -> None:
        async with Bot(api.token, base_url=api.base_url, request=AiohttpRequest()) as bot:
            sent = await bot.send_message(42, "Bonjour <b>Dupont</b> &amp; fils",
                                          parse_mode="HTML")
            assert sent.chat.id == 42
            document = InputFile(b"client;montant\nDupont;12.50\n", filename="export.csv")
            await bot.send_document(42, document, caption="Votre export")

    with FakeBotApi() as api:
        asyncio.run(run(api))
        [text, file] = api.messages(42)
    assert "Dupont" in text.text
    assert file.document is not None and file.document.filename == "export.csv"
    assert file.document.content == b"client;montant\nDupont;12.50\n"
    assert file.text == "Votre export"


def test_a_timeout_is_timed_out() -> None:
    async def run(api: FakeBotApi) -> None:
        request = AiohttpRequest(read_timeout=0.5)
        async with Bot(api.token, base_url=api.base_url, request=request) as bot:
            api.inject_fault("sendMessage", "timeout", delay=2.0)
            with pytest.raises(TimedOut):
                await bot.send_message(42, "bonjour")

    with FakeBotApi() as api:
        asyncio.run(run(api))


def test_no_server_is_a_network_error_without_the_token() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    token = "123456:SECRET-token-never-shown"

    async def run() -> None:
        request = AiohttpRequest(connect_timeout=1.0)
        await request.initialize()
        try:
            with pytest.raises(NetworkError) as caught:
                await request.post(f"http://127.0.0.1:{port}/bot{token}/getMe")
            assert "SECRET" not in str(caught.value)
        finally:
            await request.shutdown()

    asyncio.run(run())


def test_bot_api_answers_parsed_as_ptb_does() -> None:
    from telegram.error import TelegramError
    from telegram.request import BaseRequest

    from bot.telegram.aiohttp_request import AiohttpRequest

    for body in ('{"ok": true, "result": [{"update_id": 7, "message": {"text": "é 🙂 \\"x\\""}}]}',
                 '{"ok": true, "result": 1e400}', "[1, 2]"):
        assert AiohttpRequest.parse_json_payload(body.encode()) == \
            BaseRequest.parse_json_payload(body.encode())
    for bad in (b"<html>502 Bad Gateway</html>", b"\xff\xfe", b""):
        try:
            AiohttpRequest.parse_json_payload(bad)
        except TelegramError:
            continue
        raise AssertionError(f"{bad!r} was accepted")
