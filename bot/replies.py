"""What the dialogue hands a channel: channel-independent replies.

Text is rendered from templates in Telegram's HTML subset (user text already escaped);
the console channel turns it into plain text. Buttons carry a Rasa-style payload
(`/intent{"slot": "value"}`) that the channel sends back verbatim when pressed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Channel(StrEnum):
    TELEGRAM = "telegram"
    CONSOLE = "console"


@dataclass(frozen=True)
class OwnerKey:
    """Who is talking: a Telegram chat id, or a console user name."""

    channel: Channel
    external_id: str


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Attachment:
    """A file to send: a PDF letter or dossier, a CSV export, a PNG chart."""

    filename: str
    content: bytes
    mime_type: str
    caption: str = ""


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[Button, ...] = ()
    attachment: Attachment | None = None


@dataclass(frozen=True)
class Incoming:
    """One thing the owner did: typed text, or a pressed button (its payload)."""

    text: str
    is_payload: bool = False
    language_hint: str | None = None
    attachment: Attachment | None = field(default=None)
    update_id: int | None = None  # Telegram's, to handle a redelivered update only once


class AssistantBusy(Exception):
    """The database stayed locked, full or unreachable: nothing of the turn was stored.
    `reason` is "full", "locked" or "unavailable"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
