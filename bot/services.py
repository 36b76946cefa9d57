"""Long-lived services for the command-line entry points, built once from the settings."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from actions.context import ActionContext
from actions.wording import Wording
from bot.settings import Settings
from domain.ladder import load_ladder
from domain.ledger import ensure_schema, get_or_create_owner, make_engine, unit_of_work
from domain.ledger.enums import Channel, Language
from domain.rates import load_rate_table


def build_context(settings: Settings) -> ActionContext:
    """Engine (schema brought up to date), wording, rate table and ladder."""
    engine = make_engine(settings.database_url)
    ensure_schema(engine)
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
