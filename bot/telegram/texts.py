"""The channel's own wording (error apology, stale button, command menu), from templates.

Templates live in `templates/telegram/<lang>/`; `.html.j2` ones are Telegram HTML and
autoescaped, `.txt.j2` ones are plain text (callback answers, the command menu).
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

LANGUAGES = ("fr", "en")


class ChannelTexts:
    """Renders the few sentences the channel says by itself, in the owner's language."""

    def __init__(self, templates_dir: Path, default_language: str = "fr") -> None:
        self.default_language = default_language if default_language in LANGUAGES else "fr"
        self._env = Environment(
            loader=FileSystemLoader(templates_dir / "telegram"),
            autoescape=select_autoescape(enabled_extensions=("html.j2",)),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            auto_reload=False,  # templates are read once; no stat() per message
        )

    def language(self, language_code: str | None) -> str:
        """`en-GB` -> `en`; anything we do not speak -> the default language."""
        short = (language_code or "").split("-")[0].lower()
        return short if short in LANGUAGES else self.default_language

    def render(self, name: str, language: str, **context: object) -> str:
        return self._env.get_template(f"{language}/{name}").render(**context).strip()

    def error(self, language: str) -> str:
        return self.render("error.html.j2", language)

    def stale_button(self, language: str) -> str:
        return self.render("stale_button.txt.j2", language)

    def command_menu(self, language: str) -> list[tuple[str, str]]:
        """(command, description) pairs from `commands.txt.j2`, one `name - text` a line."""
        pairs = []
        for line in self.render("commands.txt.j2", language).splitlines():
            if line.strip():
                name, _, description = line.partition(" - ")
                pairs.append((name.strip().lstrip("/"), description.strip()))
        return pairs
