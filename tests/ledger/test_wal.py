"""SQLite's log is copied into the database file by the background checkpointer, every
`wal.EVERY` commits, rather than inside a commit."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from domain.ledger import db, wal


def pages_in_file(path: Path) -> int:
    """The database size the main file's header gives (what checkpoints have copied)."""
    return int.from_bytes(path.read_bytes()[28:32], "big")


def test_the_log_reaches_the_file_without_a_checkpoint_in_any_commit(tmp_path: Path) -> None:
    path = tmp_path / "wal.db"
    engine = db.make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == (
            wal.AUTOCHECKPOINT_PAGES)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x TEXT)"))
    wal.settled()
    before = pages_in_file(path)
    for i in range(wal.EVERY * 2):
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (:x)"), {"x": "x" * 2000 + str(i)})
    wal.settled()
    assert pages_in_file(path) > before + 10  # ~32 pages of rows copied in the background
    engine.dispose()


def test_a_checkpoint_that_cannot_run_is_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "gone"
    engine = db.make_engine(f"sqlite:///{folder / 'x.db'}")
    checkpointer = wal.Checkpointer(engine)
    engine.dispose()
    folder.rmdir()
    assert checkpointer.checkpoint() is None
    assert not checkpointer.pending
