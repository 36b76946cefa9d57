"""Waking the dispatcher: APScheduler (through PTB's JobQueue in the bot, a bare
AsyncIOScheduler in the terminal) only says "look now"; the nudge rows are the truth.

Two jobs per process, memory job store only: a sweep every `poll_seconds` (first run at
start-up, so a restart delivers what fell due while down) and a one-shot at the next due
time (`next_due_at`). `misfire_grace_time=None`: a late wake-up still runs (PITFALLS.md). The same scheduler
also runs the morning preparation of the big owners' lists (`bot.morning`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from telegram.ext import CallbackContext, JobQueue

from actions.context import ActionContext, current
from actions.wording import Wording
from bot import morning
from bot.nudges.dispatcher import DispatchConfig, Dispatcher
from bot.nudges.sender import ConsoleSender, NudgeSender
from bot.replies import Reply
from bot.settings import Settings
from domain.ladder import load_ladder
from domain.ledger import ensure_schema, make_engine
from domain.rates import load_rate_table

log = logging.getLogger(__name__)
SWEEP, NEXT = "nudges-sweep", "nudges-next"
POLL_SECONDS = 60.0
MIN_DELAY = timedelta(seconds=1)  # never a busy loop on a row that stays due


def nudge_context(settings: Settings) -> ActionContext:
    """The dialogue's context when it is installed (shared engine), else one of our own."""
    try:
        return current()
    except RuntimeError:
        engine = make_engine(settings.database_url)
        ensure_schema(engine)
        return ActionContext(engine, Wording(settings.templates_dir),
                             load_rate_table(settings.rates_dir),
                             load_ladder(settings.rasa_dir.parent / "ladder.yml"),
                             settings.default_timezone)


def dispatch_config(settings: Settings, **overrides: Any) -> DispatchConfig:
    return DispatchConfig(lease_seconds=float(settings.nudge_lease_seconds),
                          global_rate=settings.nudge_global_rate, **overrides)


def _next_run(when: datetime | None) -> datetime | None:
    if when is None:
        return None
    return max(when, datetime.now(UTC) + MIN_DELAY)


class SchedulerWakeup:
    """Wakes a dispatcher from a plain AsyncIOScheduler (the terminal chat)."""

    def __init__(self, dispatcher: Dispatcher, scheduler: AsyncIOScheduler,
                 poll_seconds: float = POLL_SECONDS) -> None:
        self.dispatcher, self.scheduler, self.poll_seconds = dispatcher, scheduler, poll_seconds

    def start(self) -> None:
        self.dispatcher.on_next_due = self.next_due
        self.scheduler.add_job(self.dispatcher.tick, "interval", seconds=self.poll_seconds,
                               id=SWEEP, next_run_time=datetime.now(UTC), coalesce=True,
                               max_instances=1, misfire_grace_time=None, replace_existing=True)

    def next_due(self, when: datetime | None) -> None:
        run_at = _next_run(when)
        if run_at is None:
            if self.scheduler.get_job(NEXT):
                self.scheduler.remove_job(NEXT)
            return
        self.scheduler.add_job(self.dispatcher.tick, "date", run_date=run_at, id=NEXT,
                               misfire_grace_time=None, replace_existing=True)


class JobQueueWakeup:
    """Wakes a dispatcher from python-telegram-bot's JobQueue (the bot)."""

    def __init__(self, dispatcher: Dispatcher, job_queue: JobQueue[Any],
                 poll_seconds: float = POLL_SECONDS) -> None:
        self.dispatcher, self.job_queue, self.poll_seconds = dispatcher, job_queue, poll_seconds

    def start(self) -> None:
        self.dispatcher.on_next_due = self.next_due
        self.job_queue.run_repeating(self._wake, interval=self.poll_seconds, name=SWEEP,
                                     job_kwargs={"misfire_grace_time": None, "coalesce": True,
                                                 "max_instances": 1})
        # At once too (PTB's `first=0` waits a whole interval): what fell due while down.
        self.job_queue.run_once(self._wake, when=0.05, name=NEXT,
                                job_kwargs={"misfire_grace_time": None})

    def next_due(self, when: datetime | None) -> None:
        for job in self.job_queue.get_jobs_by_name(NEXT):
            job.schedule_removal()
        run_at = _next_run(when)
        if run_at is not None:
            self.job_queue.run_once(self._wake, when=run_at, name=NEXT,
                                    job_kwargs={"misfire_grace_time": None})

    def stop(self) -> None:
        for name in (SWEEP, NEXT):
            for job in self.job_queue.get_jobs_by_name(name):
                job.schedule_removal()

    async def _wake(self, context: CallbackContext[Any, Any, Any, Any]) -> None:
        await self.dispatcher.tick()


class TelegramNudges:
    """Hooked into the bot's life cycle: `start` from post_init, `stop` from post_stop."""

    def __init__(self, settings: Settings, *, config: DispatchConfig | None = None,
                 sender_factory: Callable[[Any], NudgeSender] | None = None,
                 poll_seconds: float = POLL_SECONDS) -> None:
        self.settings, self.config, self.poll_seconds = settings, config, poll_seconds
        self.sender_factory = sender_factory
        self.dispatcher: Dispatcher | None = None
        self.wakeup: JobQueueWakeup | None = None

    async def start(self, app: Any) -> None:
        from bot.nudges.telegram_sender import TelegramSender

        if app.job_queue is None:
            log.error("no JobQueue (python-telegram-bot[job-queue] missing): nudges are off")
            return
        sender = self.sender_factory(app) if self.sender_factory else TelegramSender(app.bot)
        self.dispatcher = Dispatcher(nudge_context(self.settings), sender,
                                     self.config or dispatch_config(self.settings))
        self.wakeup = JobQueueWakeup(self.dispatcher, app.job_queue, self.poll_seconds)
        self.wakeup.start()
        morning.on_job_queue(app.job_queue, self.dispatcher.ctx)
        log.info("nudge dispatcher started (worker %s)", self.dispatcher.config.worker_id)

    async def stop(self, app: Any) -> None:
        if self.wakeup is not None:
            self.wakeup.stop()
        if self.dispatcher is not None:
            await self.dispatcher.stop()


class ConsoleNudges:
    """The terminal chat's dispatcher: prints the user's nudges between lines."""

    def __init__(self, settings: Settings, user: str,
                 show: Callable[[Sequence[Reply]], None] | None = None,
                 poll_seconds: float = POLL_SECONDS) -> None:
        self.dispatcher = Dispatcher(nudge_context(settings), ConsoleSender(user, show),
                                     dispatch_config(settings))
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self.wakeup = SchedulerWakeup(self.dispatcher, self.scheduler, poll_seconds)

    def start(self) -> None:
        """Call from inside the running event loop."""
        self.wakeup.start()
        morning.on_scheduler(self.scheduler, self.dispatcher.ctx)
        self.scheduler.start()

    async def stop(self) -> None:
        await self.dispatcher.stop()  # first: the executor's shutdown cancels running jobs
        self.scheduler.shutdown(wait=False)
