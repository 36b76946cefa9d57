"""The Bot API methods the fake answers, one function each: (state, params, files) -> result.

Called with `state.lock` held. Shapes follow https://core.telegram.org/bots/api.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from tests.fakebotapi.state import BOT_USER, SentFile, SentMessage, State
from tests.fakebotapi.validation import (
    MAX_CALLBACK_ANSWER,
    ApiError,
    check_caption,
    check_reply_markup,
    check_text,
)

Upload = tuple[str, bytes, str]  # filename, content, mime type
Params = dict[str, Any]
Files = dict[str, Upload]
Method = Callable[[State, Params, Files], Any]
_JSON_FIELDS = ("reply_markup", "commands", "scope", "allowed_updates", "entities")


def decode_params(params: Params) -> Params:
    """Form-encoded requests carry objects as JSON strings; decode the ones we look at."""
    decoded = dict(params)
    for name in _JSON_FIELDS:
        value = decoded.get(name)
        if isinstance(value, str):
            try:
                decoded[name] = json.loads(value)
            except ValueError as exc:
                raise ApiError(400, f"Bad Request: can't parse {name} JSON object") from exc
    return decoded


def chat_id_of(params: Params) -> int | None:
    value = params.get("chat_id")
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _require_chat(params: Params) -> int:
    chat_id = chat_id_of(params)
    if chat_id is None:
        raise ApiError(400, "Bad Request: chat not found")
    return chat_id


def _chat(chat_id: int) -> dict[str, Any]:
    return {"id": chat_id, "type": "private", "first_name": f"Owner {chat_id}"}


def _message_dict(state: State, sent: SentMessage) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": sent.message_id,
        "from": BOT_USER,
        "chat": _chat(sent.chat_id),
        "date": int(time.time()),
    }
    if sent.method == "sendMessage":
        message["text"] = sent.text
    elif sent.text:
        message["caption"] = sent.text
    if sent.reply_markup:
        message["reply_markup"] = sent.reply_markup
    for kind, file in (("document", sent.document), ("photo", sent.photo)):
        if file is None:
            continue
        stored = state.files[file.file_id]
        described = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
        }
        if kind == "document":
            message["document"] = described | {
                "file_name": file.filename,
                "mime_type": file.mime_type,
            }
        else:
            message["photo"] = [described | {"width": 640, "height": 480}]
    state.raw_messages[(sent.chat_id, sent.message_id)] = message
    return message


def _record(state: State, sent: SentMessage) -> dict[str, Any]:
    state.messages.setdefault(sent.chat_id, []).append(sent)
    state.changed.notify_all()
    return _message_dict(state, sent)


def get_me(state: State, params: Params, files: Files) -> Any:
    return BOT_USER


def send_message(state: State, params: Params, files: Files) -> Any:
    chat_id = _require_chat(params)
    check_text(params.get("text"), params.get("parse_mode"))
    check_reply_markup(params.get("reply_markup"))
    sent = SentMessage(
        chat_id=chat_id,
        message_id=state.new_message_id(chat_id),
        method="sendMessage",
        text=params["text"],
        parse_mode=params.get("parse_mode"),
        reply_markup=params.get("reply_markup"),
    )
    return _record(state, sent)


def _send_file(state: State, params: Params, files: Files, kind: str) -> Any:
    chat_id = _require_chat(params)
    check_caption(params.get("caption"), params.get("parse_mode"))
    check_reply_markup(params.get("reply_markup"))
    if kind in files:
        filename, content, mime_type = files[kind]
        stored = state.store_file(content, f"{kind}s", PurePosixPath(filename).suffix)
    elif isinstance(params.get(kind), str) and params[kind] in state.files:
        stored = state.files[params[kind]]
        filename, content, mime_type = stored.file_path, stored.content, "application/octet-stream"
    else:
        raise ApiError(400, f"Bad Request: there is no {kind} in the request")
    file = SentFile(stored.file_id, filename, content, mime_type)
    sent = SentMessage(
        chat_id=chat_id,
        message_id=state.new_message_id(chat_id),
        method="sendDocument" if kind == "document" else "sendPhoto",
        text=params.get("caption") or "",
        parse_mode=params.get("parse_mode"),
        reply_markup=params.get("reply_markup"),
        document=file if kind == "document" else None,
        photo=file if kind == "photo" else None,
    )
    return _record(state, sent)


def send_document(state: State, params: Params, files: Files) -> Any:
    return _send_file(state, params, files, "document")


def send_photo(state: State, params: Params, files: Files) -> Any:
    return _send_file(state, params, files, "photo")


def _find_message(state: State, params: Params) -> SentMessage:
    chat_id = _require_chat(params)
    message_id = int(params.get("message_id", 0))
    for sent in state.messages.get(chat_id, []):
        if sent.message_id == message_id:
            return sent
    raise ApiError(400, "Bad Request: message to edit not found")


def edit_message_text(state: State, params: Params, files: Files) -> Any:
    sent = _find_message(state, params)
    check_text(params.get("text"), params.get("parse_mode"))
    check_reply_markup(params.get("reply_markup"))
    markup = params.get("reply_markup")
    if params["text"] == sent.text and markup == sent.reply_markup:
        raise ApiError(400, "Bad Request: message is not modified: specified new message content "
                       "and reply markup are exactly the same as a current content and reply "
                       "markup of the message")
    sent.edits.append({"text": sent.text, "reply_markup": sent.reply_markup})
    sent.text, sent.parse_mode, sent.reply_markup = params["text"], params.get("parse_mode"), markup
    state.changed.notify_all()
    return _message_dict(state, sent)


def edit_message_reply_markup(state: State, params: Params, files: Files) -> Any:
    sent = _find_message(state, params)
    markup = params.get("reply_markup") or None
    check_reply_markup(markup)
    if markup == sent.reply_markup:
        raise ApiError(400, "Bad Request: message is not modified: specified new message content "
                       "and reply markup are exactly the same as a current content and reply "
                       "markup of the message")
    sent.edits.append({"text": sent.text, "reply_markup": sent.reply_markup})
    sent.reply_markup = markup
    state.changed.notify_all()
    return _message_dict(state, sent)


def answer_callback_query(state: State, params: Params, files: Files) -> Any:
    query_id = str(params.get("callback_query_id", ""))
    if query_id not in state.callback_queries or state.callback_queries[query_id]:
        raise ApiError(400, "Bad Request: query is too old and response timeout expired or "
                       "query ID is invalid")
    text = params.get("text") or ""
    if len(text) > MAX_CALLBACK_ANSWER:
        raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
    state.callback_queries[query_id] = {
        "text": text,
        "show_alert": str(params.get("show_alert", "false")).lower() == "true",
    }
    state.changed.notify_all()
    return True


def send_chat_action(state: State, params: Params, files: Files) -> Any:
    _require_chat(params)
    if params.get("action") not in {"typing", "upload_document", "upload_photo"}:
        raise ApiError(400, "Bad Request: wrong parameter action in request")
    return True


def set_my_commands(state: State, params: Params, files: Files) -> Any:
    commands = params.get("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise ApiError(400, "Bad Request: commands must be a non-empty array")
    for command in commands:
        name, description = command.get("command", ""), command.get("description", "")
        if not (1 <= len(name) <= 32 and name.islower() and 1 <= len(description) <= 256):
            raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
    state.commands[params.get("language_code") or ""] = commands
    return True


def get_my_commands(state: State, params: Params, files: Files) -> Any:
    return state.commands.get(params.get("language_code") or "", [])


def set_webhook(state: State, params: Params, files: Files) -> Any:
    url = params.get("url") or ""
    if not url:
        state.webhook = None
        return True
    secret = params.get("secret_token")
    if secret is not None and not (1 <= len(secret) <= 256):
        raise ApiError(400, "Bad Request: secret token is invalid")
    state.webhook = {"url": url, "secret_token": secret}
    if str(params.get("drop_pending_updates", "false")).lower() == "true":
        state.pending.clear()
    state.changed.notify_all()
    return True


def delete_webhook(state: State, params: Params, files: Files) -> Any:
    state.webhook = None
    if str(params.get("drop_pending_updates", "false")).lower() == "true":
        state.pending.clear()
    return True


def get_webhook_info(state: State, params: Params, files: Files) -> Any:
    url = state.webhook["url"] if state.webhook else ""
    return {"url": url, "has_custom_certificate": False, "pending_update_count": len(state.pending)}


def get_file(state: State, params: Params, files: Files) -> Any:
    stored = state.files.get(str(params.get("file_id", "")))
    if stored is None:
        raise ApiError(400, "Bad Request: invalid file_id")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.content),
        "file_path": stored.file_path,
    }


METHODS: dict[str, Method] = {
    "getMe": get_me,
    "sendMessage": send_message,
    "sendDocument": send_document,
    "sendPhoto": send_photo,
    "editMessageText": edit_message_text,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "answerCallbackQuery": answer_callback_query,
    "sendChatAction": send_chat_action,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "getFile": get_file,
}
