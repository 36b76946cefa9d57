"""Long-lived services, built once at start-up by an entry point and passed down."""

from __future__ import annotations

from actions.context import ActionContext, install
from actions.wording import Wording
from bot.settings import Settings
from domain.ladder import load_ladder
from domain.ledger import ensure_schema, make_engine
from domain.rates import load_rate_table


def build_context(settings: Settings) -> ActionContext:
    """Engine (schema upgraded, or LedgerUnavailable with a clear message), wording, rate
    table and ladder — installed for the actions and returned."""
    engine = make_engine(settings.database_url)
    ensure_schema(engine)
    context = ActionContext(engine, Wording(settings.templates_dir),
                            load_rate_table(settings.rates_dir),
                            load_ladder(settings.rasa_dir.parent / "ladder.yml"),
                            settings.default_timezone)
    install(context)
    return context
