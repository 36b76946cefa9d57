"""The Telegram `NudgeSender`: the bot's own rendering and delivery, errors mapped for the
dispatcher (403 → OwnerBlocked, 429 → RateLimited, network → TransientFailure)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import Bot
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError

from bot.nudges.sender import (
    OwnerBlocked,
    OwnerChat,
    RateLimited,
    Rejected,
    TransientFailure,
)
from bot.replies import Channel, OwnerKey, Reply
from bot.telegram.buttons import ButtonCodec
from bot.telegram.delivery import Delivery, OwnerUnreachable, retry_seconds
from bot.telegram.render import send_replies

log = logging.getLogger(__name__)


async def _ignore_blocked(owner: OwnerKey) -> None:
    """The dispatcher records the block itself (OwnerBlocked)."""


class TelegramSender:
    channel = "telegram"

    def __init__(self, bot: Bot, codec: ButtonCodec | None = None) -> None:
        self.bot = bot
        self.codec = codec or ButtonCodec()
        # One attempt: pacing, flood waits and retries are the dispatcher's job.
        self.delivery = Delivery(_ignore_blocked, attempts=1)

    def can_send(self, owner: OwnerChat) -> bool:
        return owner.telegram_chat is not None

    async def send(self, owner: OwnerChat, replies: Sequence[Reply]) -> None:
        chat_id = owner.telegram_chat
        assert chat_id is not None
        key = OwnerKey(Channel.TELEGRAM, owner.external_id)
        try:
            await send_replies(self.bot, chat_id, replies, owner=key, codec=self.codec,
                               delivery=self.delivery)
        except OwnerUnreachable as exc:
            raise OwnerBlocked(owner.external_id) from exc
        except RetryAfter as exc:
            raise RateLimited(retry_seconds(exc)) from exc
        except BadRequest as exc:
            raise Rejected(exc.message) from exc
        except NetworkError as exc:  # TimedOut included
            raise TransientFailure(str(exc)) from exc
        except TelegramError as exc:
            raise TransientFailure(str(exc)) from exc
