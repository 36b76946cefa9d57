"""The channel-independent assistant: owner lookup, one turn of the runner, replies."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import contextvars
import logging
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk.executor import ActionExecutor
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from actions.context import TURN_SESSION, install
from actions.wording import Wording
from bot.dialogue.rasa_files import load_rasa
from bot.dialogue.runner import Runner, Turn
from bot.nlu.parser import NluModel
from bot.replies import (
    AssistantBusy,
    Attachment,
    Button,
    Channel,
    Incoming,
    OwnerKey,
    Reply,
)
from bot.services import build_context
from bot.settings import Settings
from domain.csv_import import MAX_BYTES
from domain.errors import DomainError
from domain.ledger import (
    Conversation,
    LedgerError,
    OwnerBrief,
    client_names,
    find_owner,
    get_or_create_owner,
    open_session,
    owner_turn,
    record_update_processed,
    save_conversation,
    unit_of_work,
    update_owner_profile,
    write_lock_busy,
)
from domain.ledger.enums import Channel as LedgerChannel
from domain.ledger.enums import Language

log = logging.getLogger(__name__)


def busy_reason(exc: OperationalError) -> str:
    """"full", "locked" or "unavailable", for the wording."""
    text = str(exc.orig).lower()
    if "full" in text:
        return "full"
    return "locked" if "locked" in text or "busy" in text else "unavailable"


TURN_THREADS = 8  # turns at once on PostgreSQL
NAMES_KEPT = 20_000  # owners whose client names are remembered
_THREAD = threading.local()  # each turn thread's own event loop


@dataclass
class Assistant:
    engine: Engine
    runner: Runner
    wording: Wording
    timezone: str
    fixed_today: date | None = None

    _gates: dict[int, asyncio.Lock] = field(default_factory=dict, repr=False)
    _executor: ThreadPoolExecutor | None = field(default=None, repr=False)
    _names: dict[tuple[int, int], list[str]] = field(default_factory=dict, repr=False)

    def _gate(self) -> asyncio.Lock | contextlib.nullcontext[None]:
        """SQLite has one writer at a time: turns take turns here, in the event loop, rather
        than in worker threads, where a turn waiting for the lock would hold the thread the
        lock holder needs (100 chats at once deadlocked until the busy timeout)."""
        if self.engine.dialect.name != "sqlite":
            return contextlib.nullcontext()
        loop = id(asyncio.get_running_loop())
        return self._gates.setdefault(loop, asyncio.Lock())

    def today(self) -> date:
        return self.fixed_today or datetime.now(UTC).astimezone(ZoneInfo(self.timezone)).date()

    def _owner(self, session: Session, owner: OwnerKey, hint: str | None
               ) -> tuple[OwnerBrief, Conversation]:
        """The owner's id, language and conversation; their ledger row created on first
        contact."""
        channel = LedgerChannel(owner.channel.value)
        found = owner_turn(session, channel, owner.external_id)
        if found is None:
            row = get_or_create_owner(session, channel, owner.external_id,
                                      Language(hint if hint in ("fr", "en") else "fr"))
            assert row.id is not None
            found = OwnerBrief(row.id, row.language, row.blocked, row.ledger_version), \
                Conversation()
        if found[0].blocked:  # they write again: they unblocked the bot
            update_owner_profile(session, found[0].id, {"blocked": False})
        return found

    def _load(self, session: Session, owner: OwnerKey, hint: str | None,
              update_id: int | None) -> tuple[Turn, list[str]] | None:
        """The turn's starting point, or None for an update already handled. The update id
        is recorded in the turn's own transaction: rolled back with it if the turn fails,
        so a redelivery is handled then."""
        if update_id is not None and not record_update_processed(session, update_id):
            return None
        brief, conversation = self._owner(session, owner, hint)
        clients = self._client_names(session, brief)
        turn = Turn(brief.id, brief.language.value, self.today(), list(conversation.events),
                    dict(conversation.slots), conversation.active_loop)
        return turn, clients

    def _client_names(self, session: Session, brief: OwnerBrief) -> list[str]:
        """The owner's client names for the NLU, read again only when their ledger version
        changed (any write to their clients changes it: migration 0003)."""
        key = (brief.id, brief.ledger_version)
        names = self._names.get(key)
        if names is None:
            names = client_names(session, brief.id)
            if len(self._names) >= NAMES_KEPT:
                self._names.clear()  # owners' next turns read theirs again
            self._names[key] = names
        return names

    def _save(self, session: Session, turn: Turn) -> None:
        # (not kept if the owner was just forgotten: save_conversation checks)
        save_conversation(session, turn.owner_id, turn.events, turn.slots, turn.active_loop)
        session.commit()

    async def handle(self, owner: OwnerKey, incoming: Incoming) -> list[Reply]:
        """One message or button from an owner → the replies to show.

        The whole turn is one transaction — the actions' writes, the conversation and the
        update id — committed before the replies leave: a message is stored whole or not at
        all, and a Telegram update delivered twice is handled once. When the database is
        locked (past SQLite's 5 s busy timeout), full or unreachable, the turn is rolled back
        and `AssistantBusy` tells the channel to say "un instant" and try again
        (`bot.patience`).

        Where the turn runs: its database work blocks, and must not stall the channel's event
        loop waiting for a lock or the network (PITFALLS: the event loop). On SQLite, turns
        take turns anyway (`_gate`), and a turn only ever waits at its BEGIN, for the write
        lock: a message's turn therefore runs in place, on the channel's loop, when that lock
        is free at once, and goes to the turn thread to wait for it otherwise. Measured
        (bench telegram): a turn handed to a thread cost ~140 µs more CPU, and the two
        threads taking the GIL from each other at every SQLite call slowed both. Files
        (a CSV import can take seconds) and PostgreSQL turns always run on turn threads, each
        in that thread's own event loop."""
        try:
            async with self._gate():
                if self._in_place(incoming):
                    try:
                        return await self._turn(owner, incoming, wait=False)
                    except OperationalError as exc:
                        if not write_lock_busy(exc):
                            raise
                        log.debug("write lock taken: this turn waits for it on a turn thread")
                context = contextvars.copy_context()
                return await asyncio.get_running_loop().run_in_executor(
                    self._turn_threads(), context.run, self._run_turn, owner, incoming)
        except OperationalError as exc:  # locked past busy_timeout, disk full, connection lost
            log.warning("database unavailable for this turn (%s)", type(exc.orig).__name__)
            raise AssistantBusy(busy_reason(exc)) from exc

    def _in_place(self, incoming: Incoming) -> bool:
        return self.engine.dialect.name == "sqlite" and incoming.attachment is None

    def _turn_threads(self) -> ThreadPoolExecutor:
        """One turn thread on SQLite (one writer at a time anyway); a few on PostgreSQL."""
        if self._executor is None:
            size = 1 if self.engine.dialect.name == "sqlite" else TURN_THREADS
            self._executor = ThreadPoolExecutor(size, thread_name_prefix="relance-turn")
        return self._executor

    def _run_turn(self, owner: OwnerKey, incoming: Incoming) -> list[Reply]:
        loop = getattr(_THREAD, "loop", None)
        if loop is None:
            loop = _THREAD.loop = asyncio.new_event_loop()
        return loop.run_until_complete(self._turn(owner, incoming))

    async def _turn(self, owner: OwnerKey, incoming: Incoming, *, wait: bool = True
                    ) -> list[Reply]:
        """The turn's database calls run in place (`ActionContext.db`, while `TURN_SESSION`
        is set): on a turn thread, or on the channel's loop once SQLite's write lock is
        held (`wait=False`: fail at once at BEGIN if it is not free)."""
        session = open_session(self.engine, wait=wait)
        token = TURN_SESSION.set(session)
        try:
            loaded = self._load(session, owner, incoming.language_hint, incoming.update_id)
            if loaded is None:
                log.info("update %s already handled", incoming.update_id)
                return []
            turn, clients = loaded
            text = incoming.text.replace("\x00", "")[:4000] or " "
            try:
                if incoming.attachment is not None:
                    await self.runner.handle_file(turn, incoming.attachment.content, MAX_BYTES)
                else:
                    await self.runner.handle(turn, text, clients)
            except (DomainError, LedgerError) as exc:
                log.info("domain error for owner %s: %s", turn.owner_id, type(exc).__name__)
                turn.responses.append(render_reply(self.wording, "error_input", turn.language,
                                                   {}, ()))
            self._save(session, turn)
            return [to_reply(r) for r in turn.responses]
        except BaseException:
            session.rollback()
            raise
        finally:
            TURN_SESSION.reset(token)
            session.close()

    def busy_reply(self, lang: str | None, *, giving_up: bool = False, reason: str = "") -> Reply:
        """"Un instant" while the database is away, or the final word if it stays away."""
        lang = lang if lang in ("fr", "en") else "fr"
        template = "busy_gave_up" if giving_up else "busy"
        return to_reply(render_reply(self.wording, template, lang, {"reason": reason}, ()))

    async def mark_blocked(self, owner: OwnerKey) -> None:
        """The owner blocked the bot: remember it, so nothing is pushed to them any more."""

        def mark() -> None:
            with unit_of_work(self.engine) as session:
                row = find_owner(session, LedgerChannel(owner.channel.value), owner.external_id)
                if row is not None and row.id is not None:
                    update_owner_profile(session, row.id, {"blocked": True})

        await asyncio.to_thread(mark)
        log.warning("owner %s blocked the bot; their nudges stop", owner.external_id)


def render_reply(wording: Wording, template: str, lang: str, context: dict[str, Any],
                 buttons: Sequence[tuple[str, str]]) -> dict[str, Any]:
    return {"text": wording.render(f"chat/{lang}/{template}.html.j2", lang, context),
            "buttons": [{"title": wording.button(k, lang), "payload": p} for k, p in buttons]}


def to_reply(response: dict[str, Any]) -> Reply:
    """A rasa-sdk response (text, buttons, attachment as base64) as a channel Reply."""
    buttons = tuple(Button(str(b["title"]), str(b["payload"]))
                    for b in response.get("buttons") or [])
    file = response.get("attachment")
    attachment = Attachment(str(file["filename"]), base64.b64decode(file["base64"]),
                            str(file["mime_type"])) if isinstance(file, dict) else None
    return Reply(str(response.get("text") or ""), buttons, attachment)


def build_assistant(settings: Settings, *, today: date | None = None) -> Assistant:
    """Everything long-lived, built once: engine (schema upgraded), NLU, actions, wording."""
    context = build_context(settings)
    install(context)
    engine, wording = context.engine, context.wording
    executor = ActionExecutor()
    executor.register_package("actions")
    nlu = NluModel.train(settings.rasa_dir / "nlu.yml")

    def render(template: str, lang: str, context: dict[str, Any],
               buttons: Sequence[tuple[str, str]]) -> dict[str, Any]:
        return render_reply(wording, template, lang, context, buttons)

    runner = Runner(load_rasa(settings.rasa_dir), nlu, executor, render)
    return Assistant(engine, runner, wording, settings.default_timezone, today)


__all__ = ["Assistant", "Channel", "build_assistant"]
