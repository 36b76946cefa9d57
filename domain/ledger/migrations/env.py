"""Alembic environment of the ledger.

Programmatic use (domain.ledger.migrate) passes an open connection in
`config.attributes["connection"]`. From the command line:
`alembic -c domain/ledger/alembic.ini -x url=sqlite:///var/relance.db upgrade head`
(or set DATABASE_URL).
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import domain.ledger.models  # noqa: F401  (registers the tables on the metadata)
from domain.ledger.db import make_engine

config = context.config
target_metadata = SQLModel.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=False,
    )
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url") or os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit("relance: pass -x url=... or set DATABASE_URL")
    return url


connection = config.attributes.get("connection")
if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif connection is not None:
    _run(connection)
else:
    engine = make_engine(_url())
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()
