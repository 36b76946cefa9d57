"""Nudge test helpers and fixtures: a migrated SQLite ledger per test, the ActionContext, owners and invoices.

PostgreSQL (RELANCE_TEST_PG_URL, default postgresql+psycopg://root@127.0.0.1:5432/test) is
used like tests/ledger does: a fresh schema per use, dropped afterwards; skipped with the
reason when the server cannot be reached.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from actions.context import ActionContext  # noqa: E402
from actions.wording import Wording  # noqa: E402
from domain.ladder import load_ladder  # noqa: E402
from domain.ledger import (  # noqa: E402
    add_client,
    add_invoice,
    ensure_schema,
    find_client_by_name,
    get_or_create_owner,
    make_engine,
    unit_of_work,
)
from domain.ledger.db import normalize_url  # noqa: E402
from domain.ledger.enums import Channel  # noqa: E402
from domain.rates import load_rate_table  # noqa: E402

PG_URL = os.environ.get("RELANCE_TEST_PG_URL", "postgresql+psycopg://root@127.0.0.1:5432/test")
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
