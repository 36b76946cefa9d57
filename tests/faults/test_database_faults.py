"""Database faults while owners talk: locked, full, connections cut. A message is stored whole
or not at all; the owner is told "un instant" and the same message is tried again."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text

from bot.dialogue.assistant import Assistant, build_assistant
from bot.patience import handle_patiently
from bot.replies import Channel, Incoming, OwnerKey, Reply
from bot.settings import Settings
from domain.ledger import find_owner, list_payments, load_conversation, unit_of_work
from domain.ledger.enums import Channel as LedgerChannel

OWNER = OwnerKey(Channel.CONSOLE, "faulty")
INVOICE = ("facture F-117 Dupont SARL 1 250 € échue le 15/10", "15/09/2026",
           '/add_invoice{"debtor_kind":"professional"}', '/add_invoice{"merchant":"yes"}',
           '/add_invoice{"step":"none"}')


@pytest.fixture()
def sqlite_assistant(tmp_path: Path) -> Iterator[tuple[Assistant, Path]]:
    db = tmp_path / "relance.db"
    assistant = build_assistant(Settings(database_url=f"sqlite:///{db}"),
                                today=date(2026, 11, 23))
    for line in INVOICE:
        asyncio.run(assistant.handle(OWNER, Incoming(line, line.startswith("/"))))
    yield assistant, db
    assistant.engine.dispose()


def stored(assistant: Assistant) -> tuple[list[str], int]:
    """(payments of the owner's invoice, events in their conversation)."""
    with unit_of_work(assistant.engine, write=False) as session:
        owner = find_owner(session, LedgerChannel.CONSOLE, OWNER.external_id)
        assert owner is not None and owner.id is not None
        payments = [str(p.amount) for p in list_payments(session, owner.id, 1)]
        return payments, len(load_conversation(session, owner.id).events)


def patiently(assistant: Assistant, line: str, delays: tuple[float, ...]
              ) -> tuple[list[Reply], list[Reply]]:
    early: list[Reply] = []

    async def notify(replies: list[Reply]) -> None:
        early.extend(replies)

    final = asyncio.run(handle_patiently(assistant, OWNER, Incoming(line, False, "fr"), notify,
                                         delays))
    return early, final


def test_locked_database_gets_un_instant_then_the_answer(
        sqlite_assistant: tuple[Assistant, Path]) -> None:
    assistant, db = sqlite_assistant
    held = threading.Event()

    def hold_the_write_lock() -> None:  # another process writing for 8 s (> busy_timeout 5 s)
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        held.set()
        time.sleep(8)
        other.execute("ROLLBACK")
        other.close()

    locker = threading.Thread(target=hold_the_write_lock)
    locker.start()
    held.wait()
    started = time.monotonic()
    early, final = patiently(assistant, "Dupont SARL a payé 200 €", (1.0,) * 10)
    locker.join()
    assert [r.text for r in early] == [assistant.busy_reply("fr").text]
    assert "Un instant" in early[0].text
    assert "200,00" in final[0].text and "Paiement enregistré" in final[0].text
    assert time.monotonic() - started >= 8
    assert stored(assistant)[0] == ["200.00"]  # stored once, not per attempt


def test_a_turn_waiting_for_the_write_lock_leaves_the_event_loop_free(
        sqlite_assistant: tuple[Assistant, Path]) -> None:
    """Turns run on the channel's loop while SQLite's write lock is free; one that finds it
    taken (another process writing) waits for it on the turn thread, and the loop keeps
    serving everything else meanwhile (here, a task ticking every 10 ms)."""
    assistant, db = sqlite_assistant
    held, release = threading.Event(), threading.Event()

    def hold_the_write_lock() -> None:
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        held.set()
        release.wait()
        other.execute("ROLLBACK")
        other.close()

    async def scenario() -> tuple[list[Reply], float, float]:
        ticks: list[float] = []

        async def tick() -> None:
            while True:
                ticks.append(time.monotonic())
                await asyncio.sleep(0.01)

        ticker = asyncio.create_task(tick())
        loop = asyncio.get_running_loop()
        loop.call_later(1.0, release.set)
        started = time.monotonic()
        replies = await assistant.handle(OWNER, Incoming("Dupont SARL a payé 200 €", False, "fr"))
        waited = time.monotonic() - started
        ticker.cancel()
        gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
        return replies, waited, max(gaps)

    locker = threading.Thread(target=hold_the_write_lock)
    locker.start()
    held.wait()
    replies, waited, longest_gap = asyncio.run(scenario())
    locker.join()
    assert "Paiement enregistré" in replies[0].text
    assert waited >= 1.0  # it did wait for the lock...
    assert longest_gap < 0.5  # ...without holding the loop for that second
    assert stored(assistant)[0] == ["200.00"]


def test_disk_full_stores_nothing_half_and_says_so(
        sqlite_assistant: tuple[Assistant, Path]) -> None:
    assistant, db = sqlite_assistant
    before = stored(assistant)

    def full(dbapi_connection: Any, _record: Any) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    assistant.engine.dispose()
    with sqlite3.connect(db, isolation_level=None) as raw:  # no free page left to reuse
        raw.execute("VACUUM")
    raw.close()
    event.listen(assistant.engine, "connect", full)
    big = "Dupont SARL conteste la facture : " + "travaux non conformes " * 400
    early, final = patiently(assistant, big, (0.1,))
    assert "espace disque plein" in early[0].text
    assert "Rien n'a été enregistré à moitié" in final[0].text
    event.remove(assistant.engine, "connect", full)
    assistant.engine.dispose()
    assert stored(assistant) == before  # no payment, no dispute, conversation unchanged
    again = asyncio.run(assistant.handle(OWNER, Incoming("mes retards")))
    assert "F-117" in again[0].text  # the disk has room again: business as usual


def test_postgres_connections_cut_for_a_moment(tmp_path: Path) -> None:
    import os
    import uuid

    from sqlalchemy import create_engine
    from sqlalchemy.exc import OperationalError

    pg_url = os.environ.get("RELANCE_TEST_PG_URL", "postgresql+psycopg://root@127.0.0.1:5432/test")
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT",
                          connect_args={"connect_timeout": 3})
    try:
        admin.connect().close()
    except OperationalError as exc:
        pytest.skip(f"PostgreSQL not reachable at {pg_url}: {exc.orig}")

    schema = f"faults_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{pg_url}?options=-csearch_path%3D{schema}&application_name={schema}"
    try:
        assistant = build_assistant(Settings(database_url=url), today=date(2026, 11, 23))
        for line in INVOICE:
            asyncio.run(assistant.handle(OWNER, Incoming(line, line.startswith("/"))))
        with admin.connect() as conn:  # the server drops every connection of that schema
            cut = conn.execute(text("SELECT count(pg_terminate_backend(pid)) FROM "
                                    "pg_stat_activity WHERE application_name = :app"),
                               {"app": schema}).scalar()
        assert cut and cut >= 1
        early, final = patiently(assistant, "Dupont SARL a payé 300 €", (0.5,) * 4)
        assert "300,00" in final[0].text
        assert stored(assistant)[0] == ["300.00"]
        # The lists read payments, promises and steps in one UNION (typed for PostgreSQL):
        # the same answers as on SQLite for the same conversation.
        then = ("Dupont SARL m'a promis 500 € le 30/11", "mes retards", "quoi faire ?")
        on_pg = [asyncio.run(assistant.handle(OWNER, Incoming(line)))[0].text for line in then]
        assistant.engine.dispose()
        lite = build_assistant(Settings(database_url=f"sqlite:///{tmp_path / 'same.db'}"),
                               today=date(2026, 11, 23))
        for line in (*INVOICE, "Dupont SARL a payé 300 €"):
            asyncio.run(lite.handle(OWNER, Incoming(line, line.startswith("/"))))
        assert on_pg == [asyncio.run(lite.handle(OWNER, Incoming(line)))[0].text
                         for line in then]
        assert "F-117" in on_pg[1] and "pénalités" in on_pg[1]
        lite.engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
