"""Cut Telegram HTML into messages of at most 4 096 visible characters.

Telegram counts the text left after parsing entities (in UTF-16 code units), so tags cost
nothing and `&amp;` costs one. Cuts fall on a paragraph break if one is close enough, else a
line break, else a space; never inside a tag or an entity. Tags open at a cut are closed at
the end of the piece and opened again at the start of the next, so every piece is valid.
"""

from __future__ import annotations

import re

MAX_MESSAGE = 4096
_TOKEN = re.compile(r"<[^<>]*>|&#?\w+;|.", re.S)
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)")
_TAG_TOKEN = re.compile(r"<[^<>]*>")


def visible_length(html: str) -> int:
    return sum(_width(token) for token in _TOKEN.findall(html))


def split_html(html: str, limit: int = MAX_MESSAGE) -> list[str]:
    if len(html.encode("utf-16-le")) // 2 <= limit:  # tags and entities only shrink it
        whole = _whole(html)
        if whole is not None:
            return whole
    return _split(html, limit)


def _split(html: str, limit: int) -> list[str]:
    tokens = _TOKEN.findall(html)
    pieces: list[str] = []
    start, opened = 0, tuple[str, ...]()
    while start < len(tokens):
        while start < len(tokens) and tokens[start].isspace():
            start += 1
        end, still_open = _cut(tokens, start, opened, limit)
        body = tokens[start:end]
        while body and body[-1].isspace():
            body.pop()
        if any(_width(token) for token in body):
            closing = "".join(f"</{_tag_name(tag)}>" for tag in reversed(still_open))
            pieces.append("".join(opened) + "".join(body) + closing)
        start, opened = end, still_open
    return pieces


def _whole(html: str) -> list[str] | None:
    """A message that needs no cut, when its tags are balanced: itself, trimmed (most
    messages; what the general path below would give, without walking every character)."""
    stack: list[str] = []
    for tag in _TAG_TOKEN.findall(html):
        _track(stack, tag)
    if stack:
        return None
    text = html.strip()
    return [text] if _TAG_TOKEN.sub("", text) else []


def _cut(
    tokens: list[str], start: int, opened: tuple[str, ...], limit: int
) -> tuple[int, tuple[str, ...]]:
    """Where the piece starting at `start` ends, and the tags still open there."""
    stack = list(opened)
    best: dict[int, tuple[int, tuple[str, ...], int]] = {}  # priority -> (end, stack, shown)
    shown = 0
    index = start
    while index < len(tokens):
        token = tokens[index]
        width = _width(token)
        if shown + width > limit:
            break
        shown += width
        _track(stack, token)
        index += 1
        if token == "\n":
            priority = 3 if index >= 2 and tokens[index - 2] == "\n" else 2
        elif token == " ":
            priority = 1
        else:
            priority = 0
        if shown:
            best[priority] = (index, tuple(stack), shown)
    if index == len(tokens):
        return index, tuple(stack)
    for priority in (3, 2, 1, 0):
        if priority in best and (best[priority][2] >= limit // 2 or priority == 0):
            return best[priority][0], best[priority][1]
    return index, tuple(stack)


def _width(token: str) -> int:
    if token.startswith("<") and len(token) > 1:
        return 0
    if token.startswith("&") and len(token) > 1:
        return 1
    return len(token.encode("utf-16-le")) // 2


def _track(stack: list[str], token: str) -> None:
    match = _TAG.match(token)
    if not match:
        return
    if match.group(1):  # a closing tag closes the innermost tag of that name
        name = match.group(2).lower()
        for position in range(len(stack) - 1, -1, -1):
            if _tag_name(stack[position]) == name:
                del stack[position]
                break
    else:
        stack.append(token)


def _tag_name(open_tag: str) -> str:
    match = _TAG.match(open_tag)
    return match.group(2).lower() if match else ""
