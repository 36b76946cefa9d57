"""A dispatcher process for the restart, kill -9 and two-worker tests.

    python -m tests.nudges.worker DB_URL OUT_FILE WORKER_ID [--lease S] [--concurrency N]
           [--coalesce N] [--send-delay S]

Delivers due nudges through a sender that appends one JSON line per message to OUT_FILE
(a single os.write: a kill -9 cannot leave half a line), and exits once no nudge is pending
or claimed. SIGTERM stops it gracefully.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import col, select

from bot.nudges.dispatcher import DispatchConfig, Dispatcher
from bot.nudges.sender import OwnerChat
from bot.replies import Reply
from domain.ledger import make_engine, unit_of_work
from domain.ledger.enums import NudgeState
from domain.ledger.models import Nudge
from tests.nudges.helpers import Sent, make_context


class FileSender:
    def __init__(self, path: str, worker: str, delay: float) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self.worker, self.delay = worker, delay

    def can_send(self, owner: OwnerChat) -> bool:
        return True

    async def send(self, owner: OwnerChat, replies: Sequence[Reply]) -> None:
        if self.delay:
            await asyncio.sleep(self.delay)
        ids = Sent(owner.external_id, 0.0, list(replies)).nudge_ids
        line = json.dumps({"worker": self.worker, "chat": owner.external_id, "ids": ids})
        os.write(self.fd, (line + "\n").encode())


def unfinished(engine: object) -> int:
    with unit_of_work(engine, write=False) as s:  # type: ignore[arg-type]
        query = select(func.count()).where(
            col(Nudge.state).in_([NudgeState.PENDING, NudgeState.CLAIMED]))
        return int(s.exec(query).one())


async def main(args: argparse.Namespace) -> int:
    engine = make_engine(args.db)
    config = DispatchConfig(worker_id=args.worker_id, lease_seconds=args.lease,
                            concurrency=args.concurrency, coalesce_max=args.coalesce,
                            quiet_hours=False, global_rate=2000.0, batch=args.batch)
    dispatcher = Dispatcher(make_context(engine),
                            FileSender(args.out, args.worker_id, args.send_delay), config)
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    stop_task: list[asyncio.Task[None]] = []

    def on_sigterm() -> None:  # finish the batch in hand, claim no more
        stopping.set()
        stop_task.append(asyncio.ensure_future(dispatcher.stop()))

    loop.add_signal_handler(signal.SIGTERM, on_sigterm)
    print("ready", flush=True)
    while args.go and not os.path.exists(args.go):  # a start line shared by several workers
        await asyncio.sleep(0.01)
    while not stopping.is_set():
        await dispatcher.tick()
        if await asyncio.to_thread(unfinished, engine) == 0:
            break
        try:
            await asyncio.wait_for(stopping.wait(), 0.2)
        except TimeoutError:
            pass
    await dispatcher.stop()
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("out")
    parser.add_argument("worker_id")
    parser.add_argument("--lease", type=float, default=120.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--coalesce", type=int, default=5)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--send-delay", type=float, default=0.0)
    parser.add_argument("--go", default="", help="wait for this file before starting")
    sys.exit(asyncio.run(main(parser.parse_args())))
