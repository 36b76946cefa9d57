"""The benchmarks' conversations are real ones: every line gets exactly one answer (the
Telegram benchmark pairs each update with the next message the bot sends to that chat, and
sends the chat's next line only then)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bench.scripts import conversation

if TYPE_CHECKING:
    from conftest import Chat


def test_every_benchmark_line_gets_one_answer(chat: Chat) -> None:
    for owner, english in ((7001, False), (7003, True)):
        for round_ in range(4):  # a client of an earlier round comes back
            for line in conversation(owner, round_, english):
                replies = chat.say(f"bench-{owner}", line, "en" if english else "fr")
                assert len(replies) == 1, (line, [r.text for r in replies])
    overdue = chat.talk("bench-7001", "mes retards")[0]
    assert "F-7001-0" in overdue and "F-7001-1" in overdue  # the invoices were stored
