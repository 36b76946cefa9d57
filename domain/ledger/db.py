"""Engines and units of work: SQLite (WAL, BEGIN IMMEDIATE) by default, PostgreSQL (psycopg)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from domain.ledger import jsoncodec, wal

#: Execution option telling the SQLite "begin" hook to take the write lock at BEGIN.
_WRITE_OPTION = "relance_write"
#: Execution option: take SQLite's write lock at once or fail (`write_lock_busy`), rather
#: than wait up to BUSY_TIMEOUT_MS for it.
_NOWAIT_OPTION = "relance_nowait"
BUSY_TIMEOUT_MS = 5000


def normalize_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL, whatever driver (or none) the URL names."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql" and parsed.drivername != "postgresql+psycopg":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Build the engine for `url`; for SQLite, create the file's folder and set the pragmas."""
    url = normalize_url(url)
    parsed = make_url(url)
    kwargs.setdefault("json_serializer", jsoncodec.dumps)
    kwargs.setdefault("json_deserializer", jsoncodec.loads)
    if parsed.get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(url, **kwargs)
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    kwargs.setdefault("connect_args", {}).setdefault("timeout", 5.0)
    engine = create_engine(url, **kwargs)
    _configure_sqlite(engine)
    if database and database != ":memory:":
        wal.install(engine)  # the log copied into the file off the committing thread
    return engine


def _configure_sqlite(engine: Engine) -> None:
    # The pysqlite recipe: let SQLAlchemy emit BEGIN itself, so a write unit can say
    # BEGIN IMMEDIATE. A deferred BEGIN that reads then writes fails at once with
    # "database is locked" under concurrency, busy_timeout notwithstanding (PITFALLS.md).
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA wal_autocheckpoint={wal.AUTOCHECKPOINT_PAGES}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        options = conn.get_execution_options()
        if not options.get(_WRITE_OPTION, True):
            conn.exec_driver_sql("BEGIN")
        elif not options.get(_NOWAIT_OPTION, False):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            raw = conn.connection.driver_connection  # sqlite3: a PRAGMA costs ~2 µs here
            assert raw is not None
            raw.execute("PRAGMA busy_timeout=0")
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            finally:
                raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def write_lock_busy(exc: OperationalError) -> bool:
    """True when `exc` is a nowait session's BEGIN finding SQLite's write lock taken: nothing
    of the transaction has happened, so it can be tried again elsewhere, waiting."""
    orig = exc.orig
    return (isinstance(orig, sqlite3.OperationalError) and (exc.statement or "").startswith(
        "BEGIN IMMEDIATE") and getattr(orig, "sqlite_errorcode", None) in (
        sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED))


def write_locked(session: Session) -> bool:
    """True for a SQLite session that writes: its whole transaction holds the database's
    write lock from its BEGIN IMMEDIATE (`_on_begin`), so no row it read can change."""
    bind = session.get_bind()
    return bind.dialect.name == "sqlite" and bool(
        bind.get_execution_options().get(_WRITE_OPTION, True))


class HoldingSession(Session):
    """A session that keeps the rows it loads until it is closed (SQLAlchemy's identity
    map holds them weakly: a row a function loaded and let go was read again by the next
    one asking for it by id in the same transaction — the owner twice, the invoice three
    times in a payment's turn). SQLAlchemy's "strong reference" recipe."""


@event.listens_for(HoldingSession, "loaded_as_persistent")
@event.listens_for(HoldingSession, "pending_to_persistent")
@event.listens_for(HoldingSession, "detached_to_persistent")  # rows joined as stored
def _hold(session: Session, instance: object) -> None:
    session.info.setdefault("held", []).append(instance)


def open_session(engine: Engine, *, write: bool = True, wait: bool = True) -> Session:
    """A session whose transaction (begun at its first statement) takes SQLite's write lock
    at BEGIN when `write`; the caller commits or rolls back and closes it. `wait=False`: if
    another connection holds the write lock, that first statement fails at once (see
    `write_lock_busy`) instead of waiting up to BUSY_TIMEOUT_MS."""
    return HoldingSession(_with_options(engine, write, wait), expire_on_commit=False)


def _with_options(engine: Engine, write: bool, wait: bool) -> Engine:
    """`engine` with a session's options, made once per engine and kind (making it cost
    ~40 µs a turn: sqlalchemy copies the engine's options and events). Kept on the engine
    itself: a weak-keyed table would keep every engine alive through its optioned copy."""
    made: dict[tuple[bool, bool], Engine] | None = getattr(engine, "_relance_optioned", None)
    if made is None:
        made = {}
        setattr(engine, "_relance_optioned", made)  # noqa: B010
    optioned = made.get((write, wait))
    if optioned is None:
        optioned = made[(write, wait)] = engine.execution_options(
            **{_WRITE_OPTION: write, _NOWAIT_OPTION: not wait})
    return optioned


@contextmanager
def unit_of_work(engine: Engine, *, write: bool = True) -> Iterator[Session]:
    """One short transaction: commit on success, roll back on error.

    `write=False` lets SQLite readers start a deferred transaction (they never wait for the
    writer in WAL mode); it changes nothing on PostgreSQL. Never await the network inside.
    """
    with open_session(engine, write=write) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
