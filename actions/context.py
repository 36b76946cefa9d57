"""What actions reach at run time: built once at start-up, installed before the first call.

rasa-sdk instantiates actions itself (no constructor arguments), so the long-lived services
are installed here by the entry point (`relance chat`, `relance run`, `relance actions`)
— never created at import time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker
from sqlalchemy.engine import Engine
from sqlmodel import Session

from actions.wording import Wording
from domain.ladder import Ladder
from domain.ledger import get_or_create_owner, unit_of_work
from domain.ledger.enums import Channel, Language
from domain.rates import RateTable

T = TypeVar("T")
#: The transaction of the conversation turn being handled, when there is one.
TURN_SESSION: ContextVar[Session | None] = ContextVar("relance_turn_session", default=None)
EMBEDDED_SENDER_PREFIX = "owner:"  # the embedded runner's sender ids: owner:<ledger id>


@dataclass(frozen=True)
class ActionContext:
    engine: Engine
    wording: Wording
    rates: RateTable
    ladder: Ladder
    timezone: str = "Europe/Paris"

    async def db(self, work: Callable[[Session], T], *, write: bool = True) -> T:
        """Run `work` without blocking an event loop that serves others (PITFALLS: the
        event loop). Inside a conversation turn it joins the turn's transaction (a
        savepoint: a failed piece undoes only itself), so a message is stored whole or not
        at all; it runs in place there, the turn having a thread and a loop of its own
        (`bot.dialogue.assistant`). A read (`write=False`) needs no savepoint: it has
        nothing to undo. Alone, it runs in a worker thread, in its own transaction."""
        turn = TURN_SESSION.get()
        if turn is not None:
            if not write:
                return work(turn)
            with turn.begin_nested():
                return work(turn)

        def unit() -> T:
            with unit_of_work(self.engine, write=write) as session:
                return work(session)

        return await asyncio.to_thread(unit)

    def today(self, tracker: Tracker) -> date:
        """The day of the message: set by the runner (`--today`), else today in Paris."""
        metadata = tracker.latest_message.get("metadata") or {}
        if isinstance(metadata, dict) and metadata.get("today"):
            return date.fromisoformat(str(metadata["today"]))
        return datetime.now(UTC).astimezone(ZoneInfo(self.timezone)).date()

    def now(self, tracker: Tracker) -> datetime:
        """The instant of the message (aware UTC). With a fixed day (`--today`), that day at
        the current time of day, so that plans made in a test or a demo are reproducible."""
        now = datetime.now(UTC)
        metadata = tracker.latest_message.get("metadata") or {}
        if isinstance(metadata, dict) and metadata.get("today"):
            local = now.astimezone(ZoneInfo(self.timezone))
            day = date.fromisoformat(str(metadata["today"]))
            return local.replace(year=day.year, month=day.month, day=day.day).astimezone(UTC)
        return now

    async def owner_id(self, tracker: Tracker) -> int:
        """The ledger owner behind the tracker. A real Rasa's sender id is a Telegram chat id."""
        sender = tracker.sender_id
        if sender.startswith(EMBEDDED_SENDER_PREFIX):
            return int(sender.removeprefix(EMBEDDED_SENDER_PREFIX))

        def find(session: Session) -> int:
            owner = get_or_create_owner(session, Channel.TELEGRAM, sender, Language.FR)
            assert owner.id is not None
            return owner.id

        return await self.db(find)


class _Holder:
    context: ActionContext | None = None


def install(context: ActionContext) -> None:
    _Holder.context = context


def current() -> ActionContext:
    if _Holder.context is None:
        raise RuntimeError("actions used before install(ActionContext) at start-up")
    return _Holder.context


def language(tracker: Tracker) -> str:
    value: Any = tracker.get_slot("language")
    return value if value in ("fr", "en") else "fr"
