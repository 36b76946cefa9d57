"""The checks Telegram applies to what a bot sends, as far as our tests need them.

Telegram parses `parse_mode=HTML` text into plain text plus entities, then checks the
plain text's length; a stray `<` or an unbalanced tag is a 400 "can't parse entities".
"""

from __future__ import annotations

import html
import re
from typing import Any

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER = 200

ALLOWED_TAGS = frozenset(
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
        "span", "tg-spoiler", "tg-emoji", "blockquote",
    }
)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*)?)\s*>")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
_NAMED = frozenset({"lt", "gt", "amp", "quot"})


class ApiError(Exception):
    """A Bot API error answer: HTTP status, description, optional parameters."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def plain_text(text: str, parse_mode: str | None) -> str:
    """The text a user would see; raises ApiError(400) for HTML Telegram would refuse."""
    if not parse_mode or parse_mode.upper() != "HTML":
        return text
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char == "<":
            match = _TAG.match(text, pos)
            offset = len(text[:pos].encode())
            if not match:
                raise _cant_parse(f'Unexpected end of name token at byte offset {offset}')
            closing, name = match.group(1) == "/", match.group(2).lower()
            if name not in ALLOWED_TAGS:
                raise _cant_parse(f'Unsupported start tag "{name}" at byte offset {offset}')
            if closing:
                if not stack or stack[-1] != name:
                    expected = f'"</{stack[-1]}>"' if stack else "nothing"
                    raise _cant_parse(
                        f"Unmatched end tag at byte offset {offset}, expected {expected}, "
                        f'found "</{name}>"'
                    )
                stack.pop()
            else:
                stack.append(name)
            pos = match.end()
        elif char == "&":
            match = _ENTITY.match(text, pos)
            if match and (match.group(1).startswith("#") or match.group(1).lower() in _NAMED):
                out.append(html.unescape(match.group(0)))
                pos = match.end()
            else:  # Telegram keeps a lone ampersand as text
                out.append(char)
                pos += 1
        elif char == ">":
            out.append(char)
            pos += 1
        else:
            out.append(char)
            pos += 1
    if stack:
        raise _cant_parse(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)


def check_text(text: str | None, parse_mode: str | None) -> str:
    if text is None or not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    shown = plain_text(text, parse_mode)
    if not shown.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if utf16_len(shown) > MAX_TEXT:
        raise ApiError(400, "Bad Request: message is too long")
    return shown


def check_caption(caption: str | None, parse_mode: str | None) -> str:
    if not caption:
        return ""
    shown = plain_text(caption, parse_mode)
    if utf16_len(shown) > MAX_CAPTION:
        raise ApiError(400, "Bad Request: message caption is too long")
    return shown


def check_reply_markup(markup: dict[str, Any] | None) -> None:
    if not markup or "inline_keyboard" not in markup:
        return
    for row in markup["inline_keyboard"]:
        for button in row:
            if not button.get("text"):
                raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")


def _cant_parse(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: can't parse entities: {detail}")
