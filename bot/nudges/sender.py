"""Where a nudge goes: the `NudgeSender` interface, its errors, and the console sender.

A sender delivers one owner's replies and raises one of the errors below; the dispatcher
decides what happens to the nudge rows (sent, retried later, owner blocked...).
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TextIO

from bot.replies import Reply


@dataclass(frozen=True)
class OwnerChat:
    """Who a nudge is for, as the dispatcher read it from the owner row."""

    owner_id: int
    channel: str  # "telegram" or "console", as domain.ledger.enums.Channel
    external_id: str
    chat_id: int | None
    language: str = "fr"
    timezone: str = "Europe/Paris"
    quiet_start: str = "19:00"
    quiet_end: str = "08:30"
    paused: bool = False
    blocked: bool = False

    @property
    def telegram_chat(self) -> int | None:
        if self.channel != "telegram":
            return None
        if self.chat_id is not None:
            return self.chat_id
        return int(self.external_id) if self.external_id.lstrip("-").isdigit() else None

    @property
    def pacing_key(self) -> str:
        return f"{self.channel}:{self.external_id}"


class SendError(Exception):
    """A nudge could not be delivered."""


class OwnerBlocked(SendError):
    """The owner blocked the bot (Telegram 403): stop writing to them."""


class RateLimited(SendError):
    """Flood control (Telegram 429): nothing was sent; wait `retry_after` seconds."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


class TransientFailure(SendError):
    """Network trouble or a server error: worth retrying later."""


class Rejected(SendError):
    """The message itself was refused (e.g. malformed HTML): retrying cannot help."""


class NudgeSender(Protocol):
    def can_send(self, owner: OwnerChat) -> bool:
        """Whether this sender reaches `owner` (their channel, their console session)."""
        ...

    async def send(self, owner: OwnerChat, replies: Sequence[Reply]) -> None:
        """Deliver `replies`; raise a SendError subclass when it did not happen."""
        ...


_TAGS = re.compile(r"<[^>]+>")


def plain_text(text: str) -> str:
    """Telegram HTML → terminal text."""
    return html.unescape(_TAGS.sub("", text.replace("<br>", "\n")))


def print_replies(replies: Sequence[Reply], out: TextIO | None = None) -> None:
    stream = out or sys.stdout
    for reply in replies:
        print(plain_text(reply.text), file=stream)
        for number, button in enumerate(reply.buttons, start=1):
            print(f"  [{number}] {plain_text(button.title)}", file=stream)
    print(file=stream, flush=True)


class ConsoleSender:
    """Prints the nudges of one console user (`relance chat`) to the terminal."""

    channel = "console"

    def __init__(self, user: str | None = None,
                 show: Callable[[Sequence[Reply]], None] | None = None) -> None:
        self.user = user
        self.show = show or print_replies

    def can_send(self, owner: OwnerChat) -> bool:
        return owner.channel == "console" and self.user in (None, owner.external_id)

    async def send(self, owner: OwnerChat, replies: Sequence[Reply]) -> None:
        self.show(replies)
