"""What the owner sends that is not free text: a button's payload, or a button's title typed
instead of pressed."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from rapidfuzz import fuzz, process

TITLE_CLOSE = 85.0  # a typed answer this close to a button's title (rapidfuzz ratio) is it
MAX_KEPT_BUTTONS = 8


def parse_payload(text: str) -> dict[str, Any] | None:
    """Rasa's button payload `/intent{"entity": "value"}`, or None when malformed."""
    body = text.strip()[1:]
    name, _, raw = body.partition("{")
    if not name.isidentifier():
        return None
    try:
        values = json.loads("{" + raw) if raw else {}
    except json.JSONDecodeError:
        return None
    if not isinstance(values, dict):
        return None
    entities = [{"entity": k, "value": v, "start": 0, "end": 0, "extractor": "payload"}
                for k, v in values.items() if isinstance(v, (str, int, float))]
    return {"text": text, "intent": {"name": name, "confidence": 1.0}, "entities": entities,
            "intent_ranking": [{"name": name, "confidence": 1.0}]}


def plain(title: str) -> str:
    return " ".join(title.casefold().replace("’", "'").split()).rstrip(" .!?")


def title_payload(titles: dict[str, str], text: str) -> str:
    """The payload of the button whose title `text` is, typed as shown or loosely
    (« je sais pas » for [Je ne sais pas], « profesionnel »); else `text` itself."""
    typed = plain(text)
    if typed in titles:
        return str(titles[typed])
    close = process.extractOne(typed, list(titles), scorer=fuzz.ratio,
                               score_cutoff=TITLE_CLOSE) if len(typed) >= 4 else None
    return str(titles[close[0]]) if close else text


def buttons_of(responses: Sequence[dict[str, Any]]) -> dict[str, str] | None:
    """The last reply's buttons (title → payload), kept one turn for a title typed."""
    for response in reversed(responses):
        if response.get("buttons"):
            return {plain(str(b["title"])): str(b["payload"])
                    for b in response["buttons"][:MAX_KEPT_BUTTONS]}
    return None
