"""Sending a list of Replies to a chat: long texts split, buttons as inline keyboards,
attachments as documents, and "typing…" while the assistant thinks."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator, Sequence

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.constants import ChatAction
from telegram.error import TelegramError

from bot.replies import Button, OwnerKey, Reply
from bot.telegram.buttons import ButtonCodec
from bot.telegram.delivery import Delivery
from bot.telegram.split import split_html, visible_length

log = logging.getLogger(__name__)
MAX_CAPTION = 1024
TYPING_AFTER = 0.5  # seconds of silence before showing "typing…"
TYPING_EVERY = 4.0  # Telegram shows a chat action for at most 5 s


def keyboard(
    chat_id: int, buttons: Sequence[Button], codec: ButtonCodec
) -> InlineKeyboardMarkup | None:
    """Short titles two by two, longer ones one per row (read on a phone)."""
    if not buttons:
        return None
    per_row = 2 if all(len(b.title) <= 18 for b in buttons) else 1
    keys = [InlineKeyboardButton(b.title, callback_data=codec.encode(chat_id, b.payload))
            for b in buttons]
    return InlineKeyboardMarkup([keys[i : i + per_row] for i in range(0, len(keys), per_row)])


async def send_replies(
    bot: Bot,
    chat_id: int,
    replies: Sequence[Reply],
    *,
    owner: OwnerKey,
    codec: ButtonCodec,
    delivery: Delivery,
) -> None:
    for reply in replies:
        markup = keyboard(chat_id, reply.buttons, codec)
        pieces = split_html(reply.text) if reply.text.strip() else []
        for number, piece in enumerate(pieces, start=1):
            last = number == len(pieces)
            await delivery.call(owner, functools.partial(
                bot.send_message, chat_id, piece, reply_markup=markup if last else None))
        if reply.attachment is None:
            continue
        file = reply.attachment
        caption = file.caption if visible_length(file.caption) <= MAX_CAPTION else ""
        await delivery.call(owner, functools.partial(
            bot.send_document,
            chat_id,
            InputFile(file.content, filename=file.filename),
            caption=caption or None,
            reply_markup=markup if not pieces else None,
        ))
        if file.caption and not caption:  # too long to be a caption: its own message(s)
            for piece in split_html(file.caption):
                await delivery.call(owner, functools.partial(bot.send_message, chat_id, piece))


@contextlib.asynccontextmanager
async def typing(bot: Bot, chat_id: int, *, enabled: bool = True) -> AsyncIterator[None]:
    """Show "typing…" if the work inside takes more than TYPING_AFTER seconds.

    A timer, not a task, until then: most answers come sooner and cost no task at all.
    `enabled=False` (the channel is far behind: see `TelegramChannel`) sends nothing."""
    if not enabled:
        yield
        return
    loop = asyncio.get_running_loop()
    task: asyncio.Task[None] | None = None

    def start() -> None:
        nonlocal task
        task = loop.create_task(_keep_typing(bot, chat_id), name=f"typing-{chat_id}")

    timer = loop.call_later(TYPING_AFTER, start)
    try:
        yield
    finally:
        timer.cancel()
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def _keep_typing(bot: Bot, chat_id: int) -> None:
    while True:
        try:
            await bot.send_chat_action(chat_id, ChatAction.TYPING)
        except TelegramError as exc:  # cosmetic: never let it fail the conversation
            log.debug("chat action failed: %s", exc)
        await asyncio.sleep(TYPING_EVERY)
