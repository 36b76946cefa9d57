"""Ledger fixtures: every test runs on a real SQLite file (WAL) and on PostgreSQL.

PostgreSQL: RELANCE_TEST_PG_URL (default postgresql+psycopg://root@127.0.0.1:5432/test). Each
run works in a fresh schema, dropped at the end; when the server cannot be reached the
postgres parameters are skipped with the reason, never silently passed.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel

from domain.ledger import db, migrate
from domain.ledger.clients import add_client
from domain.ledger.enums import Channel
from domain.ledger.invoices import add_invoice
from domain.ledger.owners import get_or_create_owner

PG_URL = os.environ.get("RELANCE_TEST_PG_URL", "postgresql+psycopg://root@127.0.0.1:5432/test")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)


def _pg_reason() -> str | None:
    try:
        probe = create_engine(db.normalize_url(PG_URL), connect_args={"connect_timeout": 3})
        with probe.connect() as conn:
            conn.execute(text("SELECT 1"))
        probe.dispose()
    except Exception as exc:  # any failure means: skip, with the reason
        return f"PostgreSQL not reachable at {PG_URL}: {str(exc).splitlines()[0]}"
    return None


class Backend:
    """Creates isolated databases (SQLite files or PostgreSQL schemas) for one backend."""

    def __init__(self, name: str, tmp: Path) -> None:
        self.name, self.tmp, self.schemas = name, tmp, []  # type: list[str]
        self.admin: Engine | None = None

    def new_url(self) -> str:
        if self.name == "sqlite":
            return f"sqlite:///{self.tmp / f'ledger-{uuid.uuid4().hex[:8]}.db'}"
        schema = f"ledger_test_{uuid.uuid4().hex[:10]}"
        if self.admin is None:
            self.admin = create_engine(db.normalize_url(PG_URL), isolation_level="AUTOCOMMIT")
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        self.schemas.append(schema)
        url = make_url(db.normalize_url(PG_URL)).update_query_dict(
            {"options": f"-csearch_path={schema}"}
        )
        return url.render_as_string(hide_password=False)

    def close(self) -> None:
        if self.admin is not None:
            with self.admin.connect() as conn:
                for schema in self.schemas:
                    conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            self.admin.dispose()


@pytest.fixture(scope="session")
def pg_reason() -> str | None:
    return _pg_reason()


@pytest.fixture(
    scope="session",
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, pg_reason: str | None
) -> Iterator[Backend]:
    if request.param == "postgres" and pg_reason:
        pytest.skip(pg_reason)
    backend = Backend(request.param, tmp_path_factory.mktemp(request.param))
    yield backend
    backend.close()


@pytest.fixture(scope="session")
def migrated(backend: Backend) -> Iterator[tuple[Engine, str]]:
    url = backend.new_url()
    engine = db.make_engine(url)
    migrate.ensure_schema(engine)
    yield engine, url
    engine.dispose()


@pytest.fixture
def engine(migrated: tuple[Engine, str]) -> Iterator[Engine]:
    """A migrated database, emptied after each test (cheaper than migrating per test)."""
    yield migrated[0]
    with migrated[0].begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def engine_url(migrated: tuple[Engine, str], engine: Engine) -> str:
    return migrated[1]


@pytest.fixture
def uow(engine: Engine) -> Callable[..., Any]:
    def make(write: bool = True) -> Any:
        return db.unit_of_work(engine, write=write)

    return make


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with db.unit_of_work(engine) as session:
        yield session


def make_owner(session: Session, external_id: str) -> int:
    owner = get_or_create_owner(session, Channel.TELEGRAM, external_id, now=NOW)
    assert owner.id is not None
    return owner.id


def make_invoice(
    session: Session,
    owner_id: int,
    number: str = "F-1",
    amount: str = "1000.00",
    due: date = date(2026, 1, 31),
    client: str = "Dupont SARL",
) -> tuple[int, int]:
    from domain.ledger.clients import find_client_by_name

    found = find_client_by_name(session, owner_id, client)
    client_row = found or add_client(session, owner_id, client)
    assert client_row.id is not None
    invoice = add_invoice(
        session, owner_id, client_row.id, number, Decimal(amount), date(2026, 1, 1), due, now=NOW
    )
    assert invoice.id is not None
    return client_row.id, invoice.id
