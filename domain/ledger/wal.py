"""SQLite's write-ahead log, copied into the database file off the committing thread.

By default SQLite checkpoints inside the commit that takes the log past 1 000 pages: that
turn then copies and syncs the whole log (measured in a 3 000-message run: 11 commits of
up to 291 ms, 520 ms of the 933 ms all commits took). Here every `EVERY` commits of an
engine, a background thread runs a PASSIVE checkpoint (it never waits for readers or
writers, and SQLite releases the GIL while it copies and syncs, so it runs beside the
turns on another core). SQLite's own automatic checkpoint stays as a safety net, at
`AUTOCHECKPOINT_PAGES`, for a log the background one could not keep short.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from sqlalchemy import Engine, event
from sqlalchemy.engine import Connection

log = logging.getLogger(__name__)

EVERY = 32  # commits: ~500 pages of log in a busy turn mix
AUTOCHECKPOINT_PAGES = 4000
_POOL: list[ThreadPoolExecutor] = []
_POOL_LOCK = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    """One thread for the whole process (created on first use): checkpoints queue there."""
    with _POOL_LOCK:
        if not _POOL:
            _POOL.append(ThreadPoolExecutor(1, thread_name_prefix="sqlite-checkpoint"))
        return _POOL[0]


class Checkpointer:
    """Counts an engine's commits and, every `every`, checkpoints from the background."""

    def __init__(self, engine: Engine, every: int = EVERY) -> None:
        self.engine, self.every = engine, every
        self.commits = 0
        self.pending = False  # at most one queued per engine

    def committed(self, _conn: Connection) -> None:
        self.commits += 1  # a lost increment between threads only delays one checkpoint
        if self.commits % self.every == 0 and not self.pending:
            self.pending = True
            _pool().submit(self.checkpoint)

    def checkpoint(self) -> tuple[int, int, int] | None:
        """PRAGMA wal_checkpoint(PASSIVE): (busy, frames in the log, frames copied), or None
        when the database could not be reached (logged; the next one will try again)."""
        try:
            raw = self.engine.raw_connection()
            try:
                cursor = raw.cursor()
                cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
                row = cursor.fetchone()
                cursor.close()
            finally:
                raw.close()
            return (int(row[0]), int(row[1]), int(row[2])) if row else None
        except Exception as exc:  # a disposed engine, a full disk: never the caller's problem
            log.debug("background checkpoint skipped: %s", type(exc).__name__)
            return None
        finally:
            self.pending = False


def install(engine: Engine) -> Checkpointer:
    """Checkpoint `engine`'s SQLite file from the background every `EVERY` commits."""
    checkpointer = Checkpointer(engine)
    event.listen(engine, "commit", checkpointer.committed)
    return checkpointer


def settled() -> None:
    """Wait until the checkpoints queued so far have run (tests, benchmarks)."""
    done: Future[None] = _pool().submit(lambda: None)
    done.result()
