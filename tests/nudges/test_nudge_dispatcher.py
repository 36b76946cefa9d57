"""The dispatcher with a fake sender and a virtual clock: coalescing, pacing, 429, 403,
network errors, paused owners, quiet hours, the digest."""

from __future__ import annotations

import asyncio
import html
from datetime import date, timedelta

from sqlalchemy import Engine
from sqlmodel import select

from actions.context import ActionContext
from bot.nudges.dispatcher import DispatchConfig, Dispatcher
from bot.nudges.sender import OwnerBlocked, RateLimited, TransientFailure
from domain.ledger import get_owner, log_promise, unit_of_work, update_owner_profile
from domain.ledger.enums import Channel, NudgeKind, NudgeState
from domain.ledger.models import Nudge
from tests.nudges.helpers import (
    TUESDAY_10H,
    FakeSender,
    VirtualClock,
    due_nudge,
    make_invoice,
    make_owner,
)

PAST = TUESDAY_10H - timedelta(hours=1)


def dispatcher(ctx: ActionContext, clock: VirtualClock, sender: FakeSender,
               **config: object) -> Dispatcher:
    return Dispatcher(ctx, sender, DispatchConfig(worker_id="test", **config),  # type: ignore[arg-type]
                      clock=clock)


def states(engine: Engine) -> dict[int, Nudge]:
    with unit_of_work(engine, write=False) as s:
        return {n.id or 0: n for n in s.exec(select(Nudge))}


def test_late_nudges_of_one_owner_are_coalesced(ctx: ActionContext, engine: Engine) -> None:
    with unit_of_work(engine) as s:
        alice, bob = make_owner(s, "601"), make_owner(s, "602")
        ids = [due_nudge(s, alice, make_invoice(s, alice, f"F-{i}", client="Dupont & <Fils>"),
                         NudgeKind.LADDER_STEP, PAST, f"k{i}", step="first_reminder")
               for i in range(3)]
        invoice = make_invoice(s, bob, "F-9", due=date(2026, 3, 6))
        promise = log_promise(s, bob, invoice, __import__("decimal").Decimal("500"),
                              date(2026, 3, 2), now=TUESDAY_10H)
        ids.append(due_nudge(s, bob, invoice, NudgeKind.PROMISE_CHECK, PAST, "p",
                             promise=promise.id, amount="500.00", date="2026-03-02"))
    clock, sender = VirtualClock(TUESDAY_10H), FakeSender()
    stats = asyncio.run(clock.run(dispatcher(ctx, clock, sender).dispatch_due()))
    assert (stats.claimed, stats.sent, stats.messages) == (4, 4, 2)
    [to_alice] = [m for m in sender.sent if m.chat == "601"]
    [reply] = to_alice.replies
    assert reply.text.startswith("<b>3 points à suivre :</b>")
    assert "Dupont &amp; &lt;Fils&gt;" in reply.text and "<Fils>" not in reply.text
    assert to_alice.nudge_ids == sorted(ids[:3])
    assert [b.title for b in reply.buttons[:2]] == ["F-0 · Rédiger", "F-0 · Plus tard"]
    [to_bob] = [m for m in sender.sent if m.chat == "602"]
    assert to_bob.replies[0].text.startswith("Dupont SARL avait promis 500,00\u00a0€ pour le 02/03")
    assert [b.payload for b in to_bob.replies[0].buttons][:3] == [
        f'/promise_check{{"promise":{promise.id},"result":"{r}"}}' for r in ("yes", "partial", "no")]
    assert all(n.state is NudgeState.SENT for n in states(engine).values())
    again = asyncio.run(clock.run(dispatcher(ctx, clock, sender).dispatch_due()))
    assert again.claimed == 0 and len(sender.sent) == 2


def test_coalescing_holds_when_a_batch_spans_many_owners(ctx: ActionContext,
                                                        engine: Engine) -> None:
    # 8 owners × 4 late nudges, interleaved in time, claimed 3 at a time: each owner still
    # gets one message (the batch's owners' other due nudges are claimed with it).
    with unit_of_work(engine) as s:
        owners = [make_owner(s, str(700 + o)) for o in range(8)]
        invoices = {o: make_invoice(s, o, "F-1") for o in owners}
        for i in range(4):
            for o in owners:
                due_nudge(s, o, invoices[o], NudgeKind.LADDER_STEP,
                          PAST - timedelta(minutes=i * 10 + o % 7), f"k{i}",
                          step="first_reminder")
    clock, sender = VirtualClock(TUESDAY_10H), FakeSender()
    stats = asyncio.run(clock.run(dispatcher(ctx, clock, sender, batch=3).dispatch_due()))
    assert (stats.claimed, stats.sent, stats.messages) == (32, 32, 8)
    assert sorted(m.chat for m in sender.sent) == [str(700 + o) for o in range(8)]


def test_pacing_fifty_nudges_five_chats(ctx: ActionContext, engine: Engine) -> None:
    with unit_of_work(engine) as s:
        for chat in range(5):
            owner = make_owner(s, str(700 + chat))
            invoice = make_invoice(s, owner)
            for i in range(10):
                due_nudge(s, owner, invoice, NudgeKind.LADDER_STEP, PAST, f"k{i}",
                          step="first_reminder")
    clock, sender = VirtualClock(TUESDAY_10H), FakeSender()
    sender.clock = clock
    run = dispatcher(ctx, clock, sender, coalesce_max=1)
    stats = asyncio.run(clock.run(run.dispatch_due()))
    assert stats.sent == stats.messages == 50
    for chat in {m.chat for m in sender.sent}:
        times = [m.at for m in sender.sent if m.chat == chat]
        assert len(times) == 10
        assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= 1.0 - 1e-9
    assert 9.0 <= clock.t < 15.0  # ten messages a chat at one per second, chats in parallel
    ids = [n for m in sender.sent for n in m.nudge_ids]
    assert len(ids) == len(set(ids)) == 50


def test_global_rate_caps_many_chats(ctx: ActionContext, engine: Engine) -> None:
    with unit_of_work(engine) as s:
        for chat in range(60):
            owner = make_owner(s, str(800 + chat))
            due_nudge(s, owner, make_invoice(s, owner), NudgeKind.LADDER_STEP, PAST, "k",
                      step="friendly_call")
    clock, sender = VirtualClock(TUESDAY_10H), FakeSender()
    sender.clock = clock
    asyncio.run(clock.run(dispatcher(ctx, clock, sender, global_rate=25.0).dispatch_due()))
    times = sorted(m.at for m in sender.sent)
    assert len(times) == 60
    for index, start in enumerate(times):  # never more than 25 in any one second
        assert len([t for t in times[index:] if t < start + 1.0 - 1e-6]) <= 25
    assert times[-1] >= 59 / 25 - 1e-9


def test_429_holds_sending_then_delivers_once(ctx: ActionContext, engine: Engine) -> None:
    with unit_of_work(engine) as s:
        owner = make_owner(s, "901")
        nid = due_nudge(s, owner, make_invoice(s, owner), NudgeKind.LADDER_STEP, PAST, "k",
                        step="firm_reminder")
    clock, sender = VirtualClock(TUESDAY_10H), FakeSender()
    sender.clock = clock
    sender.failures.append(("901", RateLimited(7)))
    asyncio.run(clock.run(dispatcher(ctx, clock, sender).dispatch_due()))
    [message] = sender.sent
    assert message.at >= 7.0 and message.nudge_ids == [nid]
    assert states(engine)[nid].state is NudgeState.SENT


def test_blocked_owner_is_marked_and_their_nudges_wait(ctx: ActionContext,
                                                       engine: Engine) -> None:
    with unit_of_work(engine) as s:
        blocked, fine = make_owner(s, "902"), make_owner(s, "903")
        first = due_nudge(s, blocked, make_invoice(s, blocked), NudgeKind.LADDER_STEP, PAST, "k",
                          step="firm_reminder")
        due_nudge(s, fine, make_invoice(s, fine), NudgeKind.LADDER_STEP, PAST, "k",
                  step="firm_reminder")
    clock, sender = VirtualClock(TUESDAY_10H), FakeSender()
    sender.failures.append(("902", OwnerBlocked("902")))
    stats = asyncio.run(clock.run(dispatcher(ctx, clock, sender).dispatch_due()))
    assert stats.blocked_owners == [blocked] and [m.chat for m in sender.sent] == ["903"]
    with unit_of_work(engine, write=False) as s:
        assert get_owner(s, blocked).blocked
    row = states(engine)[first]
    assert row.state is NudgeState.PENDING and row.due_at >= TUESDAY_10H + timedelta(hours=23)


def test_network_error_retries_later_and_paused_owner_waits(ctx: ActionContext,
                                                            engine: Engine) -> None:
    with unit_of_work(engine) as s:
        flaky, paused = make_owner(s, "904"), make_owner(s, "905")
        update_owner_profile(s, paused, {"nudges_paused": True})
        a = due_nudge(s, flaky, make_invoice(s, flaky), NudgeKind.LADDER_STEP, PAST, "k",
                      step="firm_reminder")
        b = due_nudge(s, paused, make_invoice(s, paused), NudgeKind.LADDER_STEP, PAST, "k",
                      step="firm_reminder")
    clock, sender = VirtualClock(TUESDAY_10H), FakeSender()
    sender.failures.append(("904", TransientFailure("connection reset")))
    asyncio.run(clock.run(dispatcher(ctx, clock, sender).dispatch_due()))
    rows = states(engine)
    assert sender.sent == []
    assert rows[a].state is NudgeState.PENDING and "connection reset" in (rows[a].last_error or "")
    assert rows[a].due_at == TUESDAY_10H + timedelta(minutes=1)
    assert rows[b].state is NudgeState.PENDING and rows[b].due_at == TUESDAY_10H + timedelta(hours=1)
    later = VirtualClock(TUESDAY_10H + timedelta(minutes=2))
    asyncio.run(later.run(dispatcher(ctx, later, sender).dispatch_due()))
    assert [m.nudge_ids for m in sender.sent] == [[a]]


def test_quiet_hours_and_other_channels_defer(ctx: ActionContext, engine: Engine) -> None:
    evening = TUESDAY_10H + timedelta(hours=11)  # 21:00 in Paris
    with unit_of_work(engine) as s:
        owner = make_owner(s, "906")
        console = make_owner(s, "alice", Channel.CONSOLE)
        a = due_nudge(s, owner, make_invoice(s, owner), NudgeKind.LADDER_STEP, PAST, "k",
                      step="firm_reminder")
        b = due_nudge(s, console, make_invoice(s, console), NudgeKind.LADDER_STEP, PAST, "k",
                      step="firm_reminder")
    clock, sender = VirtualClock(evening), FakeSender()
    asyncio.run(clock.run(dispatcher(ctx, clock, sender).dispatch_due()))
    rows = states(engine)
    assert sender.sent == []
    assert rows[a].due_at == TUESDAY_10H + timedelta(days=1, hours=-1, minutes=-30)  # 08:30
    assert rows[b].state is NudgeState.PENDING and rows[b].due_at > evening


def test_digest_is_sent_and_the_next_one_planned(ctx: ActionContext, engine: Engine) -> None:
    with unit_of_work(engine) as s:
        owner = make_owner(s, "907")
        make_invoice(s, owner, "F-1", due=date(2026, 2, 1), amount="1000.00",
                     invoice_date=date(2026, 1, 2))
        make_invoice(s, owner, "F-2", due=date(2026, 3, 5), amount="300.00", client="Martin")
        digest = due_nudge(s, owner, None, NudgeKind.DIGEST, PAST, "digest:2026-03-03")
    clock, sender = VirtualClock(TUESDAY_10H), FakeSender()
    asyncio.run(clock.run(dispatcher(ctx, clock, sender).dispatch_due()))
    [message] = sender.sent
    text = message.replies[0].text
    assert "Votre point de la semaine" in text
    assert "1\u202f000,00\u00a0€" in text and "sur 1 facture." in text
    assert "F-1 Dupont SARL : l'appel amical" in html.unescape(text)
    assert "Encaissements attendus sous 7 jours : <b>300,00\u00a0€</b>" in text
    rows = states(engine)
    assert rows[digest].state is NudgeState.SENT
    [following] = [n for n in rows.values() if n.kind is NudgeKind.DIGEST and n.id != digest]
    assert following.state is NudgeState.PENDING and following.due_at.isoformat().startswith(
        "2026-03-09T08:00")
