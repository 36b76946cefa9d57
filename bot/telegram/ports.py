"""What the Telegram channel needs from the rest of Relance."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from bot.replies import Incoming, OwnerKey, Reply


class Assistant(Protocol):
    async def handle(self, owner: OwnerKey, incoming: Incoming) -> list[Reply]: ...

    def busy_reply(self, lang: str | None, *, giving_up: bool = False,
                   reason: str = "") -> Reply: ...


OnBlocked = Callable[[OwnerKey], Awaitable[None]]
"""Called once an owner has blocked the bot (Telegram answered 403): stop writing to them."""
