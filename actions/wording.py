"""The one Jinja2 environment for every user-visible sentence, with locale-aware filters.

Templates live in `templates/`: `*.html.j2` are Telegram HTML (autoescaped), everything
else (`*.txt.j2`: emails, letters, CLI) is plain text. User text is always passed as data.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def locale_of(language: str) -> str:
    return LOCALES.get(language, LOCALES["fr"])


def make_environment(templates_dir: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,  # templates are read once; no stat() per message
    )
    env.filters["money"] = money
    env.filters["day"] = day
    env.filters["longday"] = longday
    env.filters["percent"] = percent
    return env


def _language(context_lang: str | None) -> str:
    return context_lang if context_lang in LOCALES else "fr"


def money(value: Decimal | str | None, lang: str = "fr") -> str:
    """1250.5 → "1 250,50 €" (fr) or "€1,250.50" (en)."""
    if value is None:
        return ""
    return _money(str(value), _language(lang))


@lru_cache(maxsize=4096)
def _money(value: str, lang: str) -> str:
    """Remembered: Babel takes ~40 µs per amount, and a turn shows the same few amounts
    several times (4 % of a turn's CPU, bench/messages)."""
    return str(format_currency(Decimal(value), "EUR", locale=locale_of(lang)))


def percent(value: Decimal | str, lang: str = "fr") -> str:
    """12.4 → "12,40 %" (fr) or "12.40%" (en)."""
    number = format_decimal(Decimal(str(value)), format="0.00", locale=locale_of(lang))
    return f"{number} %" if _language(lang) == "fr" else f"{number}%"


def day(value: date | str | None, lang: str = "fr") -> str:
    """A short date: 28/11/2026 (fr), 28 Nov 2026 (en)."""
    if value is None:
        return ""
    parsed = date.fromisoformat(value) if isinstance(value, str) else value
    if _language(lang) == "fr":
        return parsed.strftime("%d/%m/%Y")
    return str(format_date(parsed, format="d MMM y", locale=locale_of("en")))


def longday(value: date | str | None, lang: str = "fr") -> str:
    """A spelled-out date: "vendredi 28 novembre 2026"."""
    if value is None:
        return ""
    parsed = date.fromisoformat(value) if isinstance(value, str) else value
    return _longday(parsed, _language(lang))


@lru_cache(maxsize=1024)
def _longday(value: date, lang: str) -> str:
    return str(format_date(value, format="full", locale=locale_of(lang)))


class Wording:
    """Renders templates by name and language; built once at start-up."""

    def __init__(self, templates_dir: Path) -> None:
        self.env = make_environment(templates_dir)
        self._notices: dict[tuple[Any, ...], str] = {}  # a notice's sentence, per language

    def render(self, name: str, lang: str, context: Mapping[str, Any] | None = None) -> str:
        template = self.env.get_template(f"{name.replace('{lang}', _language(lang))}")
        return template.render({"lang": _language(lang), **(context or {})}).strip()

    def notice(self, notice: Mapping[str, Any], lang: str) -> str:
        """One domain notice ({"code", "confidence", "params"}) as a sentence; remembered,
        since a list of invoices repeats the same few notices (the same rate, the same
        caveat) many times."""
        params = notice.get("params", {})
        try:
            key: tuple[Any, ...] | None = (lang, notice["code"], notice["confidence"],
                                           tuple(sorted(params.items())))
            hash(key)
        except TypeError:  # a parameter that is not a plain value: rendered every time
            key = None
        if key is not None and (known := self._notices.get(key)) is not None:
            return known
        text = self._notice(notice, lang)
        if key is not None:
            if len(self._notices) >= 4096:
                self._notices.clear()
            self._notices[key] = text
        return text

    def _notice(self, notice: Mapping[str, Any], lang: str) -> str:
        module = self.env.get_template(f"notices/{_language(lang)}.txt.j2").module
        macro = getattr(module, str(notice["code"]), None)
        if macro is None:
            macro = module.unknown  # type: ignore[attr-defined]
        text = str(macro(notice.get("params", {}), str(notice["code"]))).strip()
        label = module.confidence(str(notice["confidence"]))  # type: ignore[attr-defined]
        return f"{text}{str(label).rstrip()}"

    def button(self, key: str, lang: str) -> str:
        """A button title: one macro per key in templates/chat/<lang>/buttons.html.j2."""
        module = self.env.get_template(f"chat/{_language(lang)}/buttons.html.j2").module
        return str(getattr(module, key)()).strip()
