"""Long-lived services for the command-line entry points, built once from the settings."""

from __future__ import annotations

import gc
import re
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from actions.context import ActionContext
from actions.documents import DocumentError
from actions.wording import Wording
from bot.settings import Settings
from domain.errors import DomainError
from domain.ladder import load_ladder
from domain.ledger import (
    LedgerError,
    ensure_schema,
    get_or_create_owner,
    make_engine,
    unit_of_work,
)
from domain.ledger.enums import Channel, Language
from domain.nudge_timing import is_public_holiday
from domain.rates import load_rate_table


def build_context(settings: Settings) -> ActionContext:
    """Engine (schema brought up to date), wording, rate table and ladder."""
    engine = make_engine(settings.database_url)
    ensure_schema(engine)
    # The French public holidays' tables are built on first use (~80 ms): now, rather than
    # in the first owner's first answer that plans a nudge.
    is_public_holiday(datetime.now(UTC).date())
    return ActionContext(engine, Wording(settings.templates_dir),
                         load_rate_table(settings.rates_dir),
                         load_ladder(settings.rasa_dir.parent / "ladder.yml"),
                         settings.default_timezone)


def console_owner_id(ctx: ActionContext, user: str, lang: str = "fr") -> int:
    """The ledger id of console user `user` (the owner `relance chat --user` talks as)."""
    with unit_of_work(ctx.engine) as session:
        owner = get_or_create_owner(session, Channel.CONSOLE, user,
                                    Language(lang if lang in ("fr", "en") else "fr"))
        assert owner.id is not None
        return owner.id


def local_today(ctx: ActionContext, fixed: date | None = None) -> date:
    """`fixed` if given, else today in the configured time zone."""
    return fixed or datetime.now(UTC).astimezone(ZoneInfo(ctx.timezone)).date()


# --- shared by the document commands (letter, dossier, import, export) -----------------------

class CommandFailed(Exception):
    """A document command cannot go on: `code` and `params` select the message to print."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def parse_today(raw: str | None) -> date | None:
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise CommandFailed("bad_date", value=raw[:40]) from None


def messages(wording: Wording, lang: str) -> Any:
    """The macros of templates/documents/<lang>/messages.txt.j2."""
    return wording.env.get_template(
        f"documents/{lang if lang in ('fr', 'en') else 'fr'}/messages.txt.j2").module


def write_file(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise CommandFailed("unwritable_file", path=str(path),
                            reason=exc.strerror or type(exc).__name__) from None


def safe_name(text: str) -> str:
    """An invoice number as part of a file name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "facture"


def run_command(settings: Settings, lang: str, work: Callable[[ActionContext], int]) -> int:
    """Build the context, run `work`; known failures print one clear line and exit 1."""
    try:
        ctx = build_context(settings)
    except (LedgerError, SQLAlchemyError, ArgumentError, OSError) as exc:
        text = messages(Wording(settings.templates_dir), lang).document_error(
            "database", {"reason": type(exc).__name__})
        print(str(text).strip(), file=sys.stderr)
        return 1
    try:
        return work(ctx)
    except CommandFailed as exc:
        print(str(messages(ctx.wording, lang).document_error(exc.code, exc.params)).strip(),
              file=sys.stderr)
        return 2 if exc.code == "bad_date" else 1
    except DocumentError as exc:
        print(str(messages(ctx.wording, lang).document_error(exc.code, exc.params)).strip(),
              file=sys.stderr)
        return 1
    except (LedgerError, DomainError) as exc:
        print(str(messages(ctx.wording, lang).document_error(type(exc).__name__, {})).strip(),
              str(exc), file=sys.stderr)
        return 1


#: Net allocations between two young collections (CPython's default: 700). Under load,
#: tens of updates are in flight, and every young collection promoted their objects, alive
#: for a moment, towards the oldest generation: full collections ran every ~1 s, freeing
#: nothing and scanning the whole long-lived heap (the day's triaged lists, client names),
#: 7 → 120 ms each as it grew; one in a 10 s run at 300 updates/s was its p99 (measured,
#: bench telegram). At 20 000, young collections take ≤ 10 ms and full ones all but stop
#: under load: what is promoted is what lives on. Cyclic garbage waits a little longer.
YOUNG_GENERATION_THRESHOLD = 20_000


def settle_heap() -> None:
    """Called once a long-running process has built what it keeps for its whole life (NLU
    model, templates, rate tables, imported modules): moves those objects out of the
    garbage collector's sight. Otherwise every full collection scans them all again
    (~250 000 objects: a 90 ms pause in the middle of an answer, measured in
    bench/big_owner). Then collects the young generation less often (see above)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, *gc.get_threshold()[1:])


def resettle_heap() -> None:
    """Once a day, once the night's lists are prepared (`bot.morning`): what was frozen is
    collected once (whatever of it has become cyclic garbage since is freed), then all that
    is alive — start-up objects and the day's prepared lists, the bulk of the long-lived
    heap — is frozen again, out of the day's full collections. The lists are acyclic
    (tests/actions/test_open_cases.py; measured: 3 owners × 5 000 invoices, 133 953 objects
    freed by reference counting once dropped, none left to the collector), so freezing them
    leaks nothing; anything else alive at that moment that turns into cyclic garbage waits
    until the next night. Takes one full collection (~0.1–0.2 s), after midnight."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
