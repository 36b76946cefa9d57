"""Long polling fetches only while the bot has room (`ordering.Intake`): against the local
fake Bot API, over real HTTP, through PTB's own `Bot.get_updates`."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Bot

from bot.telegram.aiohttp_request import PollingRequest
from bot.telegram.ordering import Intake, PerChatUpdateProcessor
from tests.fakebotapi.server import FakeBotApi


def test_intake_waits_for_room_and_wakes_when_updates_are_handled() -> None:
    async def run() -> None:
        intake = Intake(limit=2)
        await intake.room()  # empty: no wait
        intake.took(3)
        waiter = asyncio.create_task(intake.room())
        await asyncio.sleep(0.05)
        assert not waiter.done()
        intake.finished()
        await asyncio.sleep(0.05)
        assert not waiter.done() and intake.backlog == 2  # still at the limit
        intake.finished()
        await asyncio.wait_for(waiter, 1.0)
        assert intake.backlog == 1

    asyncio.run(run())


def test_get_updates_waits_while_the_bot_is_behind() -> None:
    async def run(api: FakeBotApi) -> None:
        intake = Intake(limit=3)
        async with Bot(api.token, base_url=api.base_url,
                       get_updates_request=PollingRequest(intake)) as bot:
            first = await bot.get_updates(timeout=0, limit=5)
            assert len(first) == 5 and intake.backlog == 5  # counted, texts with quotes too
            for _ in range(2):
                intake.finished()
            with pytest.raises(TimeoutError):  # 3 still waiting: no new call
                await asyncio.wait_for(bot.get_updates(offset=first[-1].update_id + 1,
                                                       timeout=0), 0.3)
            calls = len(api.calls("getUpdates"))
            intake.finished()
            rest = await bot.get_updates(offset=first[-1].update_id + 1, timeout=0)
            assert [u.message.text for u in rest if u.message] == ["six"]
            assert len(api.calls("getUpdates")) == calls + 1
            assert intake.backlog == 3

    with FakeBotApi() as api:
        for i, text in enumerate(['un "update_id": 1', "deux", "trois", "quatre", "cinq"]):
            api.push_text(300 + i, text)
        api.push_text(399, "six")
        asyncio.run(run(api))


def test_the_processor_counts_every_update_it_handles() -> None:
    async def run() -> None:
        processor = PerChatUpdateProcessor(max_concurrent_updates=4)
        processor.intake.took(2)

        async def fails() -> None:
            raise RuntimeError("handler failed")

        await processor.do_process_update(object(), asyncio.sleep(0))
        with pytest.raises(RuntimeError):
            await processor.do_process_update(object(), fails())
        assert processor.intake.backlog == 0

    asyncio.run(run())
