"""`relance db upgrade|current`: bring the ledger schema to this version, or show where it is."""

from __future__ import annotations

import argparse
from typing import Any

from bot.settings import Settings
from domain.ledger import migrate
from domain.ledger.db import make_engine
from domain.ledger.errors import LedgerUnavailable


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("db", help="database schema: upgrade to this version, or show it")
    parser.add_argument("action", choices=["upgrade", "current"])
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    engine = make_engine(settings.database_url)
    try:
        if args.action == "upgrade":
            revision = migrate.ensure_schema(engine)
            print(f"database schema at revision {revision} (head)")
        else:
            current = migrate.current(engine)
            state = "up to date" if current == migrate.head() else f"head is {migrate.head()}"
            print(f"database schema at revision {current or '(empty)'} ({state})")
    except LedgerUnavailable as exc:
        print(f"relance: {exc}")
        return 1
    except Exception as exc:  # any connection failure: one readable line, no traceback
        print(f"relance: cannot read the database: {str(exc).splitlines()[0]}")
        return 1
    finally:
        engine.dispose()
    return 0
