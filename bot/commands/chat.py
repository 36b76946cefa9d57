"""`relance chat`: the assistant in the terminal, on the local SQLite file (embedded default).

Reads one message per line (interactive or piped), prints the replies; buttons are numbered
and typing the number presses them.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import re
import sys
from datetime import date
from pathlib import Path

from bot.patience import handle_patiently
from bot.replies import Button, Channel, Incoming, OwnerKey, Reply
from bot.settings import Settings

_TAGS = re.compile(r"<[^>]+>")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("chat", help="talk to Relance in the terminal")
    parser.add_argument("--today", help="fix the date (YYYY-MM-DD)")
    parser.add_argument("--user", default="local", help="console user name (default: local)")
    parser.add_argument("--lang", choices=["fr", "en"], default="fr")
    parser.add_argument("--demo", action="store_true", help="start with a few sample invoices")
    parser.set_defaults(handler=run)


def plain(text: str) -> str:
    """Telegram HTML → terminal text."""
    return html.unescape(_TAGS.sub("", text.replace("<br>", "\n")))


def show(replies: list[Reply], files: Path) -> list[Button]:
    """Print the replies; files (PDF, CSV…) are written under `files` and named."""
    buttons: list[Button] = []
    for reply in replies:
        if reply.text:
            print(plain(reply.text))
        if reply.attachment is not None:
            files.mkdir(parents=True, exist_ok=True)
            target = files / Path(reply.attachment.filename).name
            target.write_bytes(reply.attachment.content)
            print(f"  → {target}")
        for button in reply.buttons:
            buttons.append(button)
            print(f"  [{len(buttons)}] {plain(button.title)}")
    print(flush=True)
    return buttons


async def loop(settings: Settings, today: date | None, user: str, lang: str,
               demo: bool = False) -> int:
    from bot.dialogue.assistant import build_assistant
    from bot.nudges.service import ConsoleNudges
    from bot.services import settle_heap

    assistant = await asyncio.to_thread(build_assistant, settings, today=today)
    settle_heap()
    if demo:
        from bot.demo import seed_demo

        await asyncio.to_thread(seed_demo, assistant.engine, user, assistant.today(), lang)
    owner = OwnerKey(Channel.CONSOLE, user)
    interactive = sys.stdin.isatty()
    files = settings.files_dir
    buttons = show(await assistant.handle(owner, Incoming("/greet", True, lang)), files)
    # Due nudges print between lines; a number then presses the buttons printed last.
    printed: list[list[Button]] = []
    nudges = ConsoleNudges(settings, user, lambda replies: printed.append(show(list(replies),
                                                                                files)))
    nudges.start()
    while True:
        if interactive:
            print("> ", end="", flush=True)
        line = await asyncio.to_thread(sys.stdin.readline)
        if not line:
            await nudges.stop()
            return 0
        text = line.strip()
        if not text:
            continue
        if not interactive:
            print(f"> {text}")
        if printed:
            buttons = printed.pop()
            printed.clear()
        if text.isdigit() and 0 < int(text) <= len(buttons):
            incoming = Incoming(buttons[int(text) - 1].payload, True, lang)
        else:
            incoming = Incoming(text, False, lang)

        async def notify(early: list[Reply]) -> None:
            show(early, files)

        buttons = show(await handle_patiently(assistant, owner, incoming, notify), files)


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        today = date.fromisoformat(args.today) if args.today else None
    except ValueError:
        print(f"relance chat: --today must be YYYY-MM-DD, not {args.today!r}", file=sys.stderr)
        return 2
    try:
        return asyncio.run(loop(settings, today, args.user, args.lang, args.demo))
    except KeyboardInterrupt:
        return 0
