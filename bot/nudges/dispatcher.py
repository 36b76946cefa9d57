"""The dispatcher: claim due nudges, render, send, mark sent — the rows are the only truth.

Each pass claims batches (one statement, leased to this worker; SKIP LOCKED on
PostgreSQL) until none is due. One owner's nudges go together (coalesced into one
message), owners are served concurrently, every message waits for the pacer. A nudge is
marked sent right after its message went out; a crash in between repeats that one message
once its lease expires (Telegram has no idempotency key). Database work runs in threads,
never around an await of the network.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from sqlmodel import Session, col, select

from actions.context import ActionContext
from actions.nudge_planner import plan_digest
from bot.nudges.clock import Clock, SystemClock
from bot.nudges.compose import Composer, Message
from bot.nudges.pacing import Pacer
from bot.nudges.sender import (
    NudgeSender,
    OwnerBlocked,
    OwnerChat,
    RateLimited,
    Rejected,
    SendError,
    TransientFailure,
)
from domain.ledger import (
    claim_due_nudges,
    mark_failed,
    mark_sent,
    next_due_at,
    release,
    snooze,
    unit_of_work,
    update_owner_profile,
)
from domain.ledger.enums import NudgeKind
from domain.ledger.models import Nudge, Owner
from domain.nudge_timing import next_allowed

log = logging.getLogger(__name__)
T = TypeVar("T")
PAUSED_RECHECK = timedelta(hours=1)  # a paused owner's nudges wait, pending, this long
BLOCKED_RECHECK = timedelta(days=1)
OTHER_CHANNEL_RECHECK = timedelta(minutes=15)  # another process serves that channel
SLACK = timedelta(seconds=60)  # a nudge this close to an allowed moment is not deferred


def default_worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


@dataclass(frozen=True)
class DispatchConfig:
    worker_id: str = field(default_factory=default_worker_id)
    lease_seconds: float = 120.0
    batch: int = 100
    coalesce_max: int = 5  # nudges per message
    concurrency: int = 32  # owners served at once (a second message to one chat waits 1 s)
    rate_limit_retries: int = 3
    max_attempts: int = 8  # then the nudge is failed for good
    quiet_hours: bool = True  # check the owner's quiet hours at send time too
    global_rate: float = 25.0
    per_chat_rate: float = 1.0


@dataclass
class DispatchStats:
    claimed: int = 0
    sent: int = 0
    messages: int = 0
    deferred: int = 0
    failed: int = 0
    blocked_owners: list[int] = field(default_factory=list)

    def add(self, other: DispatchStats) -> None:
        self.claimed += other.claimed
        self.sent += other.sent
        self.messages += other.messages
        self.deferred += other.deferred
        self.failed += other.failed
        self.blocked_owners += other.blocked_owners


class Dispatcher:
    def __init__(self, ctx: ActionContext, sender: NudgeSender, config: DispatchConfig | None = None,
                 *, clock: Clock | None = None, pacer: Pacer | None = None) -> None:
        self.ctx, self.sender = ctx, sender
        self.config = config or DispatchConfig()
        self.clock = clock or SystemClock()
        self.pacer = pacer or Pacer(self.clock, self.config.global_rate, self.config.per_chat_rate)
        self.composer = Composer(ctx, self.config.coalesce_max)
        self.on_next_due: Callable[[datetime | None], Awaitable[None] | None] | None = None
        self.stats = DispatchStats()
        self._running = False
        self._again = False
        self._stopping = False
        self._idle = asyncio.Event()
        self._idle.set()

    # -- waking --------------------------------------------------------------------------

    async def tick(self) -> None:
        """Deliver what is due, then say when the next nudge falls due. Safe to call often:
        a call during a pass makes that pass go round once more."""
        if self._stopping:
            return
        if self._running:
            self._again = True
            return
        self._running, self._idle = True, asyncio.Event()
        try:
            while True:
                self._again = False
                await self.dispatch_due()
                if not self._again or self._stopping:
                    break
            if self.on_next_due is not None and not self._stopping:
                result = self.on_next_due(await self._db(next_due_at, write=False))
                if result is not None:
                    await result
        except Exception:  # the scheduler calls again in a minute; never let it die
            log.exception("nudge dispatch pass failed")
        finally:
            self._running = False
            self._idle.set()

    async def stop(self, timeout: float = 10.0) -> None:
        """No new pass; wait for the current one (its claimed nudges finish or are leased)."""
        self._stopping = True
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            log.warning("nudge dispatcher still busy at shutdown; leases will expire")

    # -- one pass ------------------------------------------------------------------------

    async def dispatch_due(self) -> DispatchStats:
        """Claim and deliver batches until nothing is due (or stopping)."""
        total = DispatchStats()
        while not self._stopping:
            now = self.clock.now()
            claimed = await asyncio.to_thread(
                claim_due_nudges, self.ctx.engine, now, self.config.worker_id,
                self.config.batch, self.config.lease_seconds)
            if not claimed:
                break
            # The same owners' other due nudges too: one message per owner, not one per row.
            claimed += await asyncio.to_thread(
                claim_due_nudges, self.ctx.engine, now, self.config.worker_id,
                self.config.batch * self.config.coalesce_max, self.config.lease_seconds,
                owner_ids=sorted({n.owner_id for n in claimed}))
            stats = DispatchStats(claimed=len(claimed))
            await self._deliver(claimed, stats)
            total.add(stats)
            self.stats.add(stats)
        return total

    async def _deliver(self, claimed: Sequence[Nudge], stats: DispatchStats) -> None:
        by_owner: dict[int, list[Nudge]] = defaultdict(list)
        for nudge in claimed:
            by_owner[nudge.owner_id].append(nudge)
        owners = await self._db(lambda s: _owner_chats(s, list(by_owner)), write=False)
        gate = asyncio.Semaphore(self.config.concurrency)

        async def serve(owner_id: int, nudges: list[Nudge]) -> None:
            async with gate:
                try:
                    await self._serve_owner(owners.get(owner_id), nudges, stats)
                except Exception:
                    log.exception("nudges of owner %s could not be handled", owner_id)
                    await self._fail(nudges, "internal error", stats, retry=True)

        await asyncio.gather(*(serve(o, n) for o, n in by_owner.items()))

    async def _serve_owner(self, owner: OwnerChat | None, nudges: list[Nudge],
                           stats: DispatchStats) -> None:
        now = self.clock.now()
        if owner is None:
            await self._fail(nudges, "owner gone", stats, retry=False)
            return
        if owner.blocked:
            await self._defer(owner, nudges, now + BLOCKED_RECHECK, "owner blocked", stats)
            return
        if owner.paused:
            await self._defer(owner, nudges, now + PAUSED_RECHECK, "nudges paused", stats)
            return
        if not self.sender.can_send(owner):
            await self._defer(owner, nudges, now + OTHER_CHANNEL_RECHECK, "other channel", stats)
            return
        if self.config.quiet_hours:
            allowed = next_allowed(now, owner.timezone, owner.quiet_start, owner.quiet_end)
            if allowed > now + SLACK:
                await self._defer(owner, nudges, allowed, "quiet hours", stats)
                return
        messages = await self._db(
            lambda s: self.composer.messages(s, owner, nudges, now), write=False)
        for index, message in enumerate(messages):
            try:
                await self._send(owner, message)
            except OwnerBlocked:
                log.info("owner %s blocked the bot: pausing their nudges", owner.owner_id)
                stats.blocked_owners.append(owner.owner_id)
                await self._db(lambda s: update_owner_profile(s, owner.owner_id, {"blocked": True}))
                rest = [n for m in messages[index:] for n in m.nudges]
                await self._defer(owner, rest, now + BLOCKED_RECHECK, "owner blocked", stats)
                return
            except RateLimited as exc:
                await self._fail(message.nudges, "flood control", stats, retry=True,
                                 at=self.clock.now() + timedelta(seconds=exc.retry_after))
                continue
            except TransientFailure as exc:
                await self._fail(message.nudges, f"network: {exc}", stats, retry=True)
                continue
            except Rejected as exc:
                log.error("Telegram refused a nudge message: %s", exc)
                await self._fail(message.nudges, f"rejected: {exc}", stats, retry=False)
                continue
            await self._mark_sent(message)
            stats.messages += 1
            stats.sent += len(message.nudges)

    async def _send(self, owner: OwnerChat, message: Message) -> None:
        """Paced; a 429 holds every send for retry_after, then this one is tried again."""
        for attempt in range(self.config.rate_limit_retries + 1):
            await self.pacer.wait(owner.pacing_key)
            try:
                await self.sender.send(owner, [message.reply])
                return
            except RateLimited as exc:
                log.warning("flood control: holding nudges %.1f s", exc.retry_after)
                self.pacer.hold(exc.retry_after)
                if attempt == self.config.rate_limit_retries:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    async def _mark_sent(self, message: Message) -> None:
        now, worker = self.clock.now(), self.config.worker_id

        def work(session: Session) -> None:
            for nudge in message.nudges:
                assert nudge.id is not None
                if not mark_sent(session, nudge.owner_id, nudge.id, worker, now):
                    log.warning("nudge %s: lease lost before it was marked sent", nudge.id)
                if nudge.kind is NudgeKind.DIGEST:
                    plan_digest(self.ctx, session, nudge.owner_id, now)

        await self._db(work)

    async def _defer(self, owner: OwnerChat, nudges: Sequence[Nudge], until: datetime,
                     why: str, stats: DispatchStats) -> None:
        """Give the nudges back, still pending, due again at `until`."""
        worker = self.config.worker_id

        def work(session: Session) -> None:
            for nudge in nudges:
                assert nudge.id is not None
                if release(session, nudge.owner_id, nudge.id, worker):
                    snooze(session, nudge.owner_id, nudge.id, until)

        log.debug("owner %s: %d nudge(s) deferred (%s)", owner.owner_id, len(nudges), why)
        await self._db(work)
        stats.deferred += len(nudges)

    async def _fail(self, nudges: Sequence[Nudge], error: str, stats: DispatchStats, *,
                    retry: bool, at: datetime | None = None) -> None:
        worker, now = self.config.worker_id, self.clock.now()

        def work(session: Session) -> None:
            for nudge in nudges:
                assert nudge.id is not None
                retry_at = None
                if retry and nudge.attempts < self.config.max_attempts:
                    retry_at = at or now + backoff(nudge.attempts)
                mark_failed(session, nudge.owner_id, nudge.id, worker, error, retry_at)

        await self._db(work)
        stats.failed += len(nudges)

    async def _db(self, work: Callable[[Session], T], *, write: bool = True) -> T:
        def unit() -> T:
            with unit_of_work(self.ctx.engine, write=write) as session:
                return work(session)

        return await asyncio.to_thread(unit)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4... minutes, at most an hour."""
    return timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


def _owner_chats(session: Session, owner_ids: list[int]) -> dict[int, OwnerChat]:
    rows = session.exec(select(Owner).where(col(Owner.id).in_(owner_ids)))
    return {o.id: OwnerChat(o.id, o.channel.value, o.external_id, o.chat_id, o.language.value,
                            o.timezone, o.quiet_start, o.quiet_end, o.nudges_paused, o.blocked)
            for o in rows if o.id is not None}


__all__ = ["DispatchConfig", "DispatchStats", "Dispatcher", "SendError", "backoff"]
