"""A channel's patience when the database is away: say "un instant" once, keep the message,
try again with growing pauses, then answer — or say clearly that nothing was stored."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from bot.replies import AssistantBusy, Incoming, OwnerKey, Reply

log = logging.getLogger(__name__)
CHANNEL_RETRY_DELAYS: tuple[float, ...] = (2, 5, 10, 20, 30, 60, 60)  # about 3 minutes

Notify = Callable[[list[Reply]], Awaitable[None]]


class Patient(Protocol):
    async def handle(self, owner: OwnerKey, incoming: Incoming) -> list[Reply]: ...

    def busy_reply(self, lang: str | None, *, giving_up: bool = False,
                   reason: str = "") -> Reply: ...


async def handle_patiently(assistant: Patient, owner: OwnerKey, incoming: Incoming,
                           notify: Notify,
                           delays: Sequence[float] = CHANNEL_RETRY_DELAYS) -> list[Reply]:
    """The replies to `incoming`; while the database is locked, full or unreachable, the
    owner is told once to wait (`notify`) and the same message is tried again."""
    told = False
    for delay in (*delays, None):
        try:
            return await assistant.handle(owner, incoming)
        except AssistantBusy as busy:
            if delay is None:
                log.error("gave up on a message of %s: database %s", owner.external_id,
                          busy.reason)
                return [assistant.busy_reply(incoming.language_hint, giving_up=True,
                                             reason=busy.reason)]
            if not told:
                await notify([assistant.busy_reply(incoming.language_hint, reason=busy.reason)])
                told = True
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")
