"""The short labels of the documents, read from `templates/documents/<lang>/labels.txt.j2`."""

from __future__ import annotations

from typing import Any

from actions.context import ActionContext

LANGUAGES = ("fr", "en")


def language(lang: str) -> str:
    return lang if lang in LANGUAGES else "fr"


def labels(ctx: ActionContext, lang: str) -> Any:
    """The template's module: its `{% set %}` tables and its `event` macro."""
    return ctx.wording.env.get_template(f"documents/{language(lang)}/labels.txt.j2").module


def event_text(module: Any, event: dict[str, Any], lang: str) -> str:
    return " ".join(str(module.event(event, language(lang))).split())
