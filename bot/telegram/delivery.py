"""Calling Telegram for one owner: flood waits honoured, network errors retried, blocks noticed.

`AIORateLimiter` already retries a 429 (pausing every request); what still escapes it is
retried here. A timeout may hide a message that did arrive: Telegram has no idempotency key,
so a retry can repeat one message (see PITFALLS.md) — better than losing it.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.warnings import PTBDeprecationWarning

from bot.replies import OwnerKey
from bot.telegram.ports import OnBlocked

log = logging.getLogger(__name__)
T = TypeVar("T")


class OwnerUnreachable(Exception):
    """The owner blocked the bot: nothing more can be sent to them."""


async def log_blocked(owner: OwnerKey) -> None:
    """Default `on_blocked` hook until the ledger records it."""
    log.info("owner %s blocked the bot; not writing to them again", owner.external_id)


class Delivery:
    def __init__(self, on_blocked: OnBlocked, attempts: int = 4, backoff: float = 0.5) -> None:
        self.on_blocked = on_blocked
        self.attempts = attempts
        self.backoff = backoff

    async def call(self, owner: OwnerKey, send: Callable[[], Awaitable[T]]) -> T:
        for attempt in range(1, self.attempts + 1):
            try:
                return await send()
            except Forbidden as exc:
                log.info("Telegram refused to write to %s: %s", owner.external_id, exc.message)
                await self.on_blocked(owner)
                raise OwnerUnreachable(owner.external_id) from exc
            except RetryAfter as exc:
                if attempt == self.attempts:
                    raise
                delay = retry_seconds(exc) + 0.1
                log.warning("flood control: waiting %.1f s before retrying", delay)
            except BadRequest:  # a NetworkError subclass, but retrying cannot fix it
                raise
            except (TimedOut, NetworkError) as exc:
                if attempt == self.attempts:
                    raise
                delay = self.backoff * 2 ** (attempt - 1)
                log.warning("Telegram call failed (%s); retry %d in %.1f s", exc, attempt, delay)
            await asyncio.sleep(delay)
        raise AssertionError("unreachable")


def retry_seconds(exc: RetryAfter) -> float:
    """`retry_after` is an int today and a timedelta in PTB's next major version."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: object = exc.retry_after
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value)  # type: ignore[arg-type]
