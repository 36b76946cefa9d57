"""Button payloads <-> Telegram `callback_data` (1 to 64 bytes, unchecked by PTB).

A payload that fits travels as `p:<payload>`; a longer one is kept here, per chat, behind a
short random token sent as `t:<token>`. The map is bounded (oldest forgotten first) and lives
in memory: after a restart, long-payload buttons are stale and answered politely.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict

MAX_CALLBACK_BYTES = 64
_INLINE, _TOKEN = "p:", "t:"


class ButtonCodec:
    def __init__(self, per_chat: int = 200, chats: int = 5000) -> None:
        self._per_chat = per_chat
        self._chats = chats
        self._tokens: OrderedDict[int, OrderedDict[str, str]] = OrderedDict()

    def encode(self, chat_id: int, payload: str) -> str:
        inline = _INLINE + payload
        if len(inline.encode()) <= MAX_CALLBACK_BYTES:
            return inline
        token = secrets.token_urlsafe(12)
        tokens = self._chat(chat_id)
        tokens[token] = payload
        while len(tokens) > self._per_chat:
            tokens.popitem(last=False)
        return _TOKEN + token

    def decode(self, chat_id: int, data: str | None) -> str | None:
        """The payload behind a pressed button, or None when unknown, stale or malformed."""
        if not data:
            return None
        if data.startswith(_INLINE) and len(data) > len(_INLINE):
            return data[len(_INLINE) :]
        if data.startswith(_TOKEN):
            tokens = self._tokens.get(chat_id)
            return tokens.get(data[len(_TOKEN) :]) if tokens else None
        return None

    def _chat(self, chat_id: int) -> OrderedDict[str, str]:
        tokens = self._tokens.pop(chat_id, None) or OrderedDict()
        self._tokens[chat_id] = tokens  # most recently used chat last
        while len(self._tokens) > self._chats:
            self._tokens.popitem(last=False)
        return tokens
