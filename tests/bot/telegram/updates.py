"""Telegram updates as the Bot API sends them, for offline handler tests."""

from __future__ import annotations

import itertools
from typing import Any

_ids = itertools.count(1)


def _message(chat_id: int, language_code: str) -> dict[str, Any]:
    return {
        "message_id": next(_ids),
        "date": 1_700_000_000,
        "chat": {"id": chat_id, "type": "private", "first_name": "Owner"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "Owner",
                 "language_code": language_code},
    }


def text(chat_id: int, body: str, language_code: str = "fr") -> dict[str, Any]:
    message = _message(chat_id, language_code) | {"text": body}
    if body.startswith("/"):
        command = body.split()[0]
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return {"update_id": next(_ids), "message": message}


def edited_text(chat_id: int, body: str) -> dict[str, Any]:
    return {"update_id": next(_ids), "edited_message": _message(chat_id, "fr") | {
        "text": body, "edit_date": 1_700_000_100}}


def button(chat_id: int, data: str, language_code: str = "fr") -> dict[str, Any]:
    pressed = _message(chat_id, language_code) | {
        "text": "Question ?", "from": {"id": 7000000001, "is_bot": True, "first_name": "Relance"},
        "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": data}]]},
    }
    return {"update_id": next(_ids), "callback_query": {
        "id": str(next(_ids)), "chat_instance": "ci", "data": data, "message": pressed,
        "from": {"id": chat_id, "is_bot": False, "first_name": "Owner",
                 "language_code": language_code},
    }}


def document(chat_id: int, file_id: str, filename: str, size: int) -> dict[str, Any]:
    return {"update_id": next(_ids), "message": _message(chat_id, "fr") | {
        "document": {"file_id": file_id, "file_unique_id": "u" + file_id, "file_name": filename,
                     "mime_type": "text/csv", "file_size": size}}}
