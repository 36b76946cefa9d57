"""Alembic: upgrade, downgrade, upgrade again; start-up errors are readable."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlmodel import SQLModel

from domain.ledger import db, migrate
from domain.ledger.errors import LedgerUnavailable

from .conftest import Backend


def test_upgrade_downgrade_upgrade(backend: Backend) -> None:
    engine = db.make_engine(backend.new_url())
    try:
        assert migrate.current(engine) is None
        assert migrate.ensure_schema(engine) == migrate.head()
        tables = set(inspect(engine).get_table_names())
        assert {t.name for t in SQLModel.metadata.sorted_tables} <= tables
        migrate.downgrade(engine, "base")
        assert migrate.current(engine) is None
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(engine)
        assert migrate.current(engine) == migrate.head()
        migrate.ensure_schema(engine)  # idempotent at head
    finally:
        engine.dispose()


def test_migrations_match_the_models(backend: Backend) -> None:
    """Tables, columns, indexes and constraints of the migrations are those of the models."""
    engine = db.make_engine(backend.new_url())
    try:
        migrate.upgrade(engine)
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": False})
            diff = compare_metadata(context, SQLModel.metadata)
        assert diff == []
    finally:
        engine.dispose()


def test_unreachable_database_is_a_clear_error() -> None:
    engine = db.make_engine("postgresql://root@127.0.0.1:1/nowhere?connect_timeout=2")
    with pytest.raises(LedgerUnavailable, match=r"cannot reach the database at .*127\.0\.0\.1:1"):
        migrate.ensure_schema(engine)


def test_unknown_newer_revision_is_a_clear_error(backend: Backend) -> None:
    engine = db.make_engine(backend.new_url())
    try:
        migrate.upgrade(engine)
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
        with pytest.raises(LedgerUnavailable, match="9999_future.*unknown to this version"):
            migrate.ensure_schema(engine)
    finally:
        engine.dispose()


def test_sqlite_pragmas_and_parent_folder(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "deep" / "er" / "relance.db"
    engine = db.make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    assert path.exists()
    engine.dispose()


def test_postgres_url_uses_psycopg() -> None:
    assert db.normalize_url("postgresql://u@h/d").startswith("postgresql+psycopg://")
    assert db.normalize_url("postgresql+psycopg2://u@h/d").startswith("postgresql+psycopg://")
    assert create_engine(db.normalize_url("postgresql://u@h/d")).dialect.driver == "psycopg"
