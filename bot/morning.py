"""Before the business day: the open-invoice lists of the owners with many invoices are
prepared (`actions.prepare`) at `PREPARE_AT`, local time, and once just after start-up
(a process started during the day prepares the day too). Their first "quoi faire ?" is
then answered from memory instead of triaging every invoice, and kept out of the garbage
collector's full collections (`bot.services.resettle_heap`). A failed preparation costs
only that speed: it is logged, never raised."""

from __future__ import annotations

import logging
import time as clock
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from telegram.ext import CallbackContext, JobQueue

from actions.context import ActionContext
from actions.prepare import prepare_lists
from bot.services import resettle_heap

log = logging.getLogger(__name__)
PREPARE_AT = time(0, 5)  # just after midnight: the whole day is prepared
AFTER_START_S = 2.0
JOB = "lists-prepare"


async def prepare_today(ctx: ActionContext) -> int | None:
    """Prepare today's lists; how many owners (None when it failed)."""
    today = datetime.now(UTC).astimezone(ZoneInfo(ctx.timezone)).date()
    started = clock.perf_counter()
    try:
        owners = await ctx.db(lambda s: prepare_lists(ctx, s, today), write=False)
    except Exception:
        log.exception("the lists of %s could not be prepared", today)
        return None
    settled = clock.perf_counter()
    resettle_heap()  # the prepared lists out of the day's full collections
    if owners:  # nothing to say otherwise (it would interrupt the terminal chat)
        log.info("lists of %s prepared for %d owner(s) in %.2f s, heap settled in %.2f s",
                 today, owners, settled - started, clock.perf_counter() - settled)
    return owners


def on_job_queue(job_queue: JobQueue[Any], ctx: ActionContext) -> None:
    """In the bot: python-telegram-bot's JobQueue."""
    async def run(_: CallbackContext[Any, Any, Any, Any]) -> None:
        await prepare_today(ctx)

    options = {"misfire_grace_time": None, "coalesce": True}
    job_queue.run_daily(run, PREPARE_AT.replace(tzinfo=ZoneInfo(ctx.timezone)), name=JOB,
                        job_kwargs=options)
    job_queue.run_once(run, when=AFTER_START_S, name=JOB, job_kwargs=options)


def on_scheduler(scheduler: AsyncIOScheduler, ctx: ActionContext,
                 after_start: float = AFTER_START_S) -> None:
    """In the terminal chat: a plain AsyncIOScheduler."""
    zone = ZoneInfo(ctx.timezone)
    scheduler.add_job(prepare_today, "cron", args=[ctx], hour=PREPARE_AT.hour,
                      minute=PREPARE_AT.minute, timezone=zone, id=JOB, coalesce=True,
                      misfire_grace_time=None, replace_existing=True)
    scheduler.add_job(prepare_today, "date", args=[ctx], id=f"{JOB}-start",
                      run_date=datetime.fromtimestamp(clock.time() + after_start, UTC),
                      misfire_grace_time=None, replace_existing=True)
