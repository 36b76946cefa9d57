"""The morning preparation: the big owners' lists are built before they ask, by the
scheduler, at start-up and daily just after midnight, local time."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from telegram.ext import ApplicationBuilder

from actions.context import ActionContext, install
from actions.open_cases import open_cases
from actions.prepare import PREPARE_MIN_OPEN, prepare_lists
from actions.triage_memo import LISTS
from bot import morning
from bot.services import build_context, console_owner_id
from bot.settings import Settings
from domain.ledger import add_client, add_invoice, unit_of_work

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[ActionContext]:
    context = build_context(Settings(database_url=f"sqlite:///{tmp_path / 'morning.db'}"))
    install(context)
    LISTS.clear()
    yield context
    context.engine.dispose()


def seed(ctx: ActionContext, name: str, invoices: int) -> int:
    owner = console_owner_id(ctx, name)
    with unit_of_work(ctx.engine) as s:
        client = add_client(s, owner, "Dupont SARL").id or 0
        for n in range(invoices):
            issued = date(2026, 1, 1) + timedelta(days=n % 300)
            add_invoice(s, owner, client, f"F-{n}", Decimal("100.00") + n, issued,
                        issued + timedelta(days=30), now=NOW)
    return owner


def remembered(ctx: ActionContext, owner: int, today: date) -> bool:
    return LISTS.latest((owner, None, today, False), ctx.rates, ctx.ladder) is not None


def test_only_the_big_owners_lists_are_prepared(ctx: ActionContext) -> None:
    big, small = seed(ctx, "big", 5), seed(ctx, "small", 2)
    today = date(2026, 11, 23)
    with unit_of_work(ctx.engine, write=False) as s:
        assert prepare_lists(ctx, s, today, min_open=3) == 1
    assert remembered(ctx, big, today) and not remembered(ctx, small, today)
    assert LISTS.latest((big, None, today, True), ctx.rates, ctx.ladder) is not None
    with unit_of_work(ctx.engine, write=False) as s:
        prepared = LISTS.latest((big, None, today, False), ctx.rates, ctx.ladder)
        assert open_cases(ctx, s, big, today) is prepared  # answered from memory
        assert prepared is not None and len(prepared) == 5
        assert "what_now" in prepared._derived  # the ranking is ready too


def test_the_terminal_scheduler_prepares_at_start(ctx: ActionContext) -> None:
    owner = seed(ctx, "big", PREPARE_MIN_OPEN)
    today = datetime.now(UTC).astimezone(ZoneInfo(ctx.timezone)).date()

    async def run() -> None:
        scheduler = AsyncIOScheduler(timezone=UTC)
        morning.on_scheduler(scheduler, ctx, after_start=0.05)
        scheduler.start()
        try:
            daily = scheduler.get_job(morning.JOB)
            assert daily is not None
            local = daily.next_run_time.astimezone(ZoneInfo(ctx.timezone))
            assert (local.hour, local.minute) == (0, 5)
            for _ in range(200):
                if remembered(ctx, owner, today):
                    return
                await asyncio.sleep(0.05)
            pytest.fail("the lists were not prepared after start-up")
        finally:
            scheduler.shutdown(wait=False)

    asyncio.run(run())


def test_the_bot_schedules_it_on_its_job_queue(ctx: ActionContext) -> None:
    app = ApplicationBuilder().token("123:abc").build()
    assert app.job_queue is not None
    morning.on_job_queue(app.job_queue, ctx)
    assert len(app.job_queue.get_jobs_by_name(morning.JOB)) == 2  # daily, and at start


def test_a_failed_preparation_is_logged_not_raised(ctx: ActionContext,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    with ctx.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE invoice")
    assert asyncio.run(morning.prepare_today(ctx)) is None
    assert "could not be prepared" in caplog.text
