"""Bring the database schema to this version of Relance (Alembic, configured in code)."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from domain.ledger.errors import LedgerUnavailable

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: Key of the PostgreSQL advisory lock that keeps two starting workers from migrating at once.
_MIGRATION_LOCK = 7_261_003


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest revision this code knows."""
    revision = ScriptDirectory.from_config(_config()).get_current_head()
    assert revision is not None
    return revision


def current(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as conn:
        _lock(conn)
        command.upgrade(_config(conn), revision)


def downgrade(engine: Engine, revision: str) -> None:
    with engine.begin() as conn:
        _lock(conn)
        command.downgrade(_config(conn), revision)


def _where(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def ensure_schema(engine: Engine) -> str:
    """Upgrade to head at start-up; raise LedgerUnavailable with a readable reason otherwise.

    Returns the revision the database is at afterwards.
    """
    try:
        found = current(engine)
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise LedgerUnavailable(f"cannot reach the database at {_where(engine)}: {reason}") from exc
    script = ScriptDirectory.from_config(_config())
    if found is not None:
        try:
            script.get_revision(found)
        except CommandError as exc:
            raise LedgerUnavailable(
                f"the database at {_where(engine)} is at schema revision {found!r}, unknown to "
                f"this version of Relance (newest known: {head()!r}); it was probably migrated by "
                "a newer Relance: upgrade Relance or use another database"
            ) from exc
    try:
        upgrade(engine)
    except DBAPIError as exc:
        raise LedgerUnavailable(f"cannot migrate the database at {_where(engine)}: {exc.orig}") from exc
    log.info("ledger schema at %s (was %s)", head(), found)
    return head()
