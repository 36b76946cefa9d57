"""Pacing scheduled sends: a global rate and about one message per second per chat.

PTB's AIORateLimiter caps the overall rate and groups, not private chats (PITFALLS.md), so
nudges pace themselves. Token buckets by reservation: each caller takes a token, possibly
going into debt, and sleeps until its turn; callers of one event loop need no lock. A 429
holds every send until its `retry_after` has passed.
"""

from __future__ import annotations

from collections import OrderedDict

from bot.nudges.clock import Clock


class TokenBucket:
    def __init__(self, rate: float, capacity: float, clock: Clock) -> None:
        if rate <= 0 or capacity < 1:
            raise ValueError("a bucket needs a positive rate and room for one token")
        self.rate, self.capacity, self.clock = rate, capacity, clock
        self.tokens = capacity
        self.stamp = clock.monotonic()

    def reserve(self) -> float:
        """Take one token; returns how long to wait before using it."""
        now = self.clock.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        self.tokens -= 1
        return 0.0 if self.tokens >= 0 else -self.tokens / self.rate


class Pacer:
    """`await pacer.wait(chat)` right before each message to that chat."""

    def __init__(self, clock: Clock, global_rate: float = 25.0, per_chat_rate: float = 1.0,
                 global_burst: float = 1.0, max_chats: int = 10_000) -> None:
        self.clock = clock
        self.global_bucket = TokenBucket(global_rate, global_burst, clock)
        self.chat_interval = 1.0 / per_chat_rate
        self.max_chats = max_chats
        self.chat_next: OrderedDict[str, float] = OrderedDict()  # earliest next send per chat
        self.held_until = 0.0

    def hold(self, seconds: float) -> None:
        """Flood control: nothing goes out for `seconds` (a 429's retry_after)."""
        self.held_until = max(self.held_until, self.clock.monotonic() + seconds)

    async def wait(self, chat: str) -> None:
        slot = max(self.clock.monotonic(), self.chat_next.pop(chat, 0.0))
        self.chat_next[chat] = slot + self.chat_interval  # reserved before sleeping
        while len(self.chat_next) > self.max_chats:  # the oldest entries are long past
            self.chat_next.popitem(last=False)
        await self._sleep(slot - self.clock.monotonic())
        while (held := self.held_until - self.clock.monotonic()) > 0:
            await self._sleep(held)
        await self._sleep(self.global_bucket.reserve())
        # Held or queued for the global rate: the chat's interval counts from the real send.
        self.chat_next[chat] = max(self.chat_next.get(chat, 0.0),
                                   self.clock.monotonic() + self.chat_interval)

    async def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            await self.clock.sleep(seconds)
