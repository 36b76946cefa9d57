"""Nudge test helpers and fixtures: a migrated SQLite ledger per test, the ActionContext, owners and invoices.

PostgreSQL (RELANCE_TEST_PG_URL, default postgresql+psycopg://root@127.0.0.1:5432/test) is
used like tests/ledger does: a fresh schema per use, dropped afterwards; skipped with the
reason when the server cannot be reached.
"""

from __future__ import annotations

import asyncio
import heapq
import json
import os
import sys
import threading
import uuid
from collections.abc import Awaitable, Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from actions.context import ActionContext  # noqa: E402
from actions.wording import Wording  # noqa: E402
from bot.nudges.sender import OwnerChat  # noqa: E402
from bot.replies import Reply  # noqa: E402
from domain.ladder import load_ladder  # noqa: E402
from domain.ledger import (  # noqa: E402
    add_client,
    add_invoice,
    ensure_schema,
    find_client_by_name,
    get_or_create_owner,
    make_engine,
    schedule_nudge,
    unit_of_work,
)
from domain.ledger.db import normalize_url  # noqa: E402
from domain.ledger.enums import Channel, NudgeKind  # noqa: E402
from domain.rates import load_rate_table  # noqa: E402

PG_URL = os.environ.get("RELANCE_TEST_PG_URL", "postgresql+psycopg://root@127.0.0.1:5432/test")
T = TypeVar("T")
TUESDAY_10H = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)  # 10:00 in Paris, a business day


def make_context(engine: Engine) -> ActionContext:
    return ActionContext(engine, Wording(ROOT / "templates"), load_rate_table(ROOT / "data" / "rates"),
                         load_ladder(ROOT / "data" / "ladder.yml"))


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'nudges.db'}"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    ensure_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def ctx(engine: Engine) -> ActionContext:
    return make_context(engine)


def make_owner(session: Session, external_id: str, channel: Channel = Channel.TELEGRAM,
               chat_id: int | None = None) -> int:
    owner = get_or_create_owner(session, channel, external_id, chat_id=chat_id,
                                now=TUESDAY_10H)
    assert owner.id is not None
    return owner.id


def make_invoice(session: Session, owner_id: int, number: str = "F-117",
                 due: date = date(2026, 3, 20), amount: str = "1250.00",
                 client: str = "Dupont SARL", invoice_date: date = date(2026, 2, 18)) -> int:
    found = find_client_by_name(session, owner_id, client)
    row = found or add_client(session, owner_id, client)
    assert row.id is not None
    invoice = add_invoice(session, owner_id, row.id, number, Decimal(amount), invoice_date, due,
                          now=TUESDAY_10H)
    assert invoice.id is not None
    return invoice.id


def pg_reason() -> str | None:
    try:
        probe = create_engine(normalize_url(PG_URL), connect_args={"connect_timeout": 3})
        with probe.connect() as conn:
            conn.execute(text("SELECT 1"))
        probe.dispose()
    except Exception as exc:  # any failure means: skip, with the reason
        return f"PostgreSQL not reachable at {PG_URL}: {str(exc).splitlines()[0]}"
    return None


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL schema, migrated; dropped at the end."""
    reason = pg_reason()
    if reason:
        pytest.skip(reason)
    admin = create_engine(normalize_url(PG_URL), isolation_level="AUTOCOMMIT")
    schema = f"nudges_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(normalize_url(PG_URL)).update_query_dict(
        {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    engine = make_engine(url)
    ensure_schema(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


__all__ = ["TUESDAY_10H", "make_context", "make_invoice", "make_owner", "unit_of_work"]


class VirtualClock:
    """Virtual time for the dispatcher: `sleep` parks the caller until `run` advances the
    clock to its wake-up time, which it does whenever the tasks it drives are waiting."""

    def __init__(self, start: datetime) -> None:
        self.start, self.t, self.seq = start, 0.0, 0
        self.waiters: list[tuple[float, int, asyncio.Future[None]]] = []

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.t)

    def monotonic(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self.waiters, (self.t + seconds, self.seq, future))
        self.seq += 1
        await future

    async def run(self, work: Awaitable[T]) -> T:
        """Drive `work`, advancing virtual time only while it waits for it: never while a
        database call is running in a thread (on a slow machine a call outlasting a fixed
        real-time pause let virtual seconds pass under it: 20 s for 10)."""
        threads = _CountingExecutor()
        asyncio.get_running_loop().set_default_executor(threads)  # asyncio.to_thread's
        task = asyncio.ensure_future(work)
        while not task.done():
            await asyncio.sleep(0.003)  # real time: database threads and tasks progress
            if threads.busy:
                continue
            for _ in range(5):  # a thread just done: its caller resumes before time moves
                await asyncio.sleep(0)
            if self.waiters and not task.done() and not threads.busy:
                when, _, future = heapq.heappop(self.waiters)
                self.t = max(self.t, when)
                future.set_result(None)
        return task.result()


class _CountingExecutor(ThreadPoolExecutor):
    """The loop's default executor, counting the calls in flight."""

    def __init__(self) -> None:
        super().__init__(max_workers=4, thread_name_prefix="virtual-clock")
        self._lock = threading.Lock()
        self.busy = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._lock:
            self.busy += 1
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, _: Future[Any]) -> None:
        with self._lock:
            self.busy -= 1


@dataclass
class Sent:
    chat: str
    at: float
    replies: list[Reply]

    @property
    def nudge_ids(self) -> list[int]:
        ids = []
        for reply in self.replies:
            for button in reply.buttons:
                if button.payload.startswith(("/nudge_snooze", "/nudge_done")):
                    ids.append(json.loads(button.payload[button.payload.index("{"):])["nudge"])
        return sorted(set(ids))


@dataclass
class FakeSender:
    """Records what was sent (with the virtual time); fails on demand."""

    clock: VirtualClock | None = None
    sent: list[Sent] = field(default_factory=list)
    failures: list[tuple[str, Exception]] = field(default_factory=list)  # chat, error (once)

    def can_send(self, owner: OwnerChat) -> bool:
        return owner.channel == "telegram"

    async def send(self, owner: OwnerChat, replies: Sequence[Reply]) -> None:
        for index, (chat, error) in enumerate(self.failures):
            if chat == owner.external_id:
                del self.failures[index]
                raise error
        at = self.clock.monotonic() if self.clock else 0.0
        self.sent.append(Sent(owner.external_id, at, list(replies)))


def due_nudge(session: Session, owner_id: int, invoice_id: int | None, kind: NudgeKind,
              due_at: datetime, key: str, **payload: Any) -> int:
    nudge = schedule_nudge(session, owner_id, kind, due_at, invoice_id=invoice_id,
                           payload=payload, dedupe_key=key)
    assert nudge.id is not None
    return nudge.id
