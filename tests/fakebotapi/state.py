"""What the fake Bot API remembers: chats, messages, files, pending updates, calls, faults."""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

BOT_USER: dict[str, Any] = {
    "id": 7000000001,
    "is_bot": True,
    "first_name": "Relance (fake)",
    "username": "relance_fake_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


class FaultKind(StrEnum):
    RETRY_AFTER = "429"
    BAD_GATEWAY = "502"
    TIMEOUT = "timeout"
    BLOCKED = "403"


@dataclass
class Fault:
    method: str  # a Bot API method name, or "*" for any
    kind: FaultKind
    times: int | None  # None: until cleared
    retry_after: int = 1
    delay: float = 6.0  # for TIMEOUT: longer than PTB's default 5 s read timeout
    chat_id: int | None = None

    def matches(self, method: str, chat_id: int | None) -> bool:
        if self.times is not None and self.times <= 0:
            return False
        if self.method not in ("*", method):
            return False
        return self.chat_id is None or self.chat_id == chat_id


@dataclass(frozen=True)
class Call:
    """One request the bot made, as received (parameters decoded, files summarised)."""

    method: str
    params: dict[str, Any]
    timestamp: float
    status: int = 200


@dataclass(frozen=True)
class SentFile:
    file_id: str
    filename: str
    content: bytes
    mime_type: str


@dataclass
class SentMessage:
    """A message the bot sent (sendMessage, sendDocument, sendPhoto), as it stands now."""

    chat_id: int
    message_id: int
    method: str
    text: str  # the text, or the caption of a document/photo, as sent (HTML source)
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    document: SentFile | None = None
    photo: SentFile | None = None
    edits: list[dict[str, Any]] = field(default_factory=list)
    timestamp: float = field(default_factory=time.monotonic)

    @property
    def buttons(self) -> list[list[tuple[str, str]]]:
        """Inline keyboard rows as (title, callback_data) pairs; [] without a keyboard."""
        if not self.reply_markup:
            return []
        return [
            [(b.get("text", ""), b.get("callback_data", "")) for b in row]
            for row in self.reply_markup.get("inline_keyboard", [])
        ]

    def button_data(self, title: str) -> str:
        for row in self.buttons:
            for text, data in row:
                if text == title:
                    return data
        raise KeyError(f"no button {title!r} in {self.buttons}")


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes


class State:
    """Everything behind one lock: the HTTP side and the test side run on different threads."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.update_ids = itertools.count(100001)
        self.query_ids = itertools.count(1)
        self.file_ids = itertools.count(1)
        self.pending: list[dict[str, Any]] = []  # updates not yet confirmed
        self.calls: list[Call] = []
        self.faults: list[Fault] = []
        self.commands: dict[str, list[dict[str, str]]] = {}  # language_code ("" = default)
        self.messages: dict[int, list[SentMessage]] = {}
        self.raw_messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.next_message_id: dict[int, int] = {}
        self.read_cursor: dict[int, int] = {}
        self.files: dict[str, StoredFile] = {}
        self.callback_queries: dict[str, dict[str, Any]] = {}  # id -> answer (empty: unanswered)
        self.webhook: dict[str, Any] | None = None

    def new_message_id(self, chat_id: int) -> int:
        current = self.next_message_id.get(chat_id, 1)
        self.next_message_id[chat_id] = current + 1
        return current

    def take_fault(self, method: str, chat_id: int | None) -> Fault | None:
        for fault in self.faults:
            if fault.matches(method, chat_id):
                if fault.times is not None:
                    fault.times -= 1
                return fault
        return None

    def store_file(self, content: bytes, folder: str, suffix: str) -> StoredFile:
        number = next(self.file_ids)
        stored = StoredFile(
            file_id=f"FAKEFILE{number:06d}",
            file_unique_id=f"U{number:06d}",
            file_path=f"{folder}/file_{number}{suffix}",
            content=content,
        )
        self.files[stored.file_id] = stored
        return stored
