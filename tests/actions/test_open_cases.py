"""The list view of many open invoices (what now, overdue list) reads plain rows, triages
every invoice and remembers triages: it must say exactly what the one-invoice view says,
and a change to the ledger must show at once, the same day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session

from actions.cases import case_view
from actions.context import ActionContext, install
from actions.open_cases import OpenCases, open_cases
from actions.triage_memo import MEMO
from bot.services import build_context, console_owner_id
from bot.settings import Settings
from domain.ladder import LadderStep
from domain.ledger import (
    add_client,
    add_invoice,
    create_payment_plan,
    get_invoice,
    log_interaction,
    log_promise,
    record_dispute,
    record_insolvency,
    record_payment,
    resolve_promise,
    unit_of_work,
    update_client,
)
from domain.ledger.enums import ClientKind, ContactChannel, Outcome, PromiseState

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[ActionContext]:
    context = build_context(Settings(database_url=f"sqlite:///{tmp_path / 'open.db'}"))
    install(context)
    yield context
    context.engine.dispose()


def seed(ctx: ActionContext, owner: int) -> None:
    """Invoices in every state the triage reads: payments, steps, promises kept and broken,
    a plan with a missed instalment, a dispute, an insolvency, stated terms, a consumer."""
    day = timedelta(days=1)
    with unit_of_work(ctx.engine) as s:
        pro = add_client(s, owner, "Dupont SARL", is_merchant=True).id or 0
        shop = add_client(s, owner, "Atelier Nova", is_merchant=None).id or 0
        person = add_client(s, owner, "Mme Martin", ClientKind.CONSUMER).id or 0
        ids = []
        for n, (client, amount, issued, due, terms) in enumerate([
                (pro, "1250.00", date(2026, 5, 15), date(2026, 6, 15), None),
                (pro, "480.40", date(2025, 1, 10), date(2025, 2, 28), "45 jours fin de mois"),
                (shop, "9999.99", date(2024, 3, 1), date(2024, 3, 31), None),
                (shop, "75.00", date(2026, 11, 1), date(2026, 12, 1), "30 jours"),
                (person, "3400.00", date(2026, 9, 1), date(2026, 10, 15), None),
                (pro, "2000.00", date(2026, 7, 1), date(2026, 7, 31), None),
                (shop, "600.00", date(2026, 8, 1), date(2026, 8, 31), None),
                (pro, "150.00", date(2022, 1, 5), date(2022, 2, 5), None),
                (person, "820.00", date(2026, 6, 1), date(2026, 7, 1), None)]):
            ids.append(add_invoice(s, owner, client, f"F-{n:03d}", Decimal(amount), issued, due,
                                   terms=terms, now=NOW).id or 0)
        record_payment(s, owner, ids[0], Decimal("200.00"), date(2026, 7, 1), now=NOW)
        record_payment(s, owner, ids[2], Decimal("1000.00"), date(2025, 5, 2), now=NOW)
        log_interaction(s, owner, ids[0], TODAY - 20 * day, ContactChannel.CALL,
                        Outcome.ANSWERED, ladder_step=LadderStep.FRIENDLY_CALL, now=NOW)
        log_interaction(s, owner, ids[2], date(2025, 1, 3), ContactChannel.LETTER,
                        Outcome.OTHER, ladder_step=LadderStep.FORMAL_NOTICE, now=NOW)
        log_promise(s, owner, ids[5], Decimal("2000.00"), TODAY + 3 * day, now=NOW)
        broken = log_promise(s, owner, ids[6], Decimal("600.00"), TODAY - 5 * day, now=NOW)
        resolve_promise(s, owner, broken.id or 0, PromiseState.BROKEN,
                        checked_at=NOW - timedelta(days=4))
        create_payment_plan(s, owner, ids[1], [(TODAY - 10 * day, Decimal("240.20")),
                                               (TODAY + 20 * day, Decimal("240.20"))], now=NOW)
        record_dispute(s, owner, ids[4], "travaux non conformes")
        record_insolvency(s, owner, ids[7], date(2023, 6, 1))


def compare(ctx: ActionContext, owner: int, today: date) -> int:
    """Every item of the list view against the one-invoice view; returns how many."""
    with unit_of_work(ctx.engine, write=False) as s:
        listed = open_cases(ctx, s, owner, today)
        for item in listed:
            alone = case_view(ctx, s, get_invoice(s, owner, item.invoice_id), today).diagnosis
            assert item.diagnosis.to_json() == alone.to_json()
            summary = item.summary
            assert (summary.principal_due, summary.penalties_due, summary.indemnity) == (
                alone.interest.principal_due, alone.interest.due, alone.indemnity)
            assert summary.total_claimable == alone.total_claimable
            assert (summary.step, summary.step_due_on, summary.pause) == (
                alone.next.step, alone.next.due_on, alone.next.pause)
            assert summary.step_is_due(today) == alone.next.is_due(today)
            assert summary.days_late == alone.days_late
            assert summary.prescription_end == alone.prescription.end_safe
            # The "what now" line, off the summary, reads what the full context says.
            full, light = item.template_context("fr"), item.list_context()
            assert light["invoice"] == full["invoice"] and light["client"] == full["client"]
            for key, value in light["diag"].items():
                expected = full["diag"][key]
                if key in ("next_step", "penalties"):
                    expected = {k: expected[k] for k in value}
                assert value == expected, key
        overdue = open_cases(ctx, s, owner, today, overdue_only=True)
        assert [o.invoice_id for o in overdue] == [
            o.invoice_id for o in listed if o.row.due_date < today]
        return len(listed)


def test_the_list_view_says_what_the_invoice_view_says(ctx: ActionContext) -> None:
    owner = console_owner_id(ctx, "lists")
    seed(ctx, owner)
    for today in (TODAY, TODAY + timedelta(days=40), date(2027, 7, 2)):
        assert compare(ctx, owner, today) == 9
        assert compare(ctx, owner, today) == 9  # remembered: the same answers


def test_a_change_shows_the_same_day(ctx: ActionContext) -> None:
    owner = console_owner_id(ctx, "changes")
    seed(ctx, owner)
    compare(ctx, owner, TODAY)  # every triage is remembered now
    with unit_of_work(ctx.engine, write=False) as s:
        before = {o.invoice_id: o.summary for o in open_cases(ctx, s, owner, TODAY)}
    first, second = sorted(before)[:2]
    with unit_of_work(ctx.engine) as s:
        record_payment(s, owner, first, Decimal("50.00"), TODAY, now=NOW)
        log_interaction(s, owner, second, TODAY, ContactChannel.EMAIL, Outcome.OTHER,
                        ladder_step=LadderStep.FIRST_REMINDER, now=NOW)
        client = get_invoice(s, owner, second).client_id
        update_client(s, owner, client, is_merchant=False)
    with unit_of_work(ctx.engine, write=False) as s:
        after = {o.invoice_id: o.summary for o in open_cases(ctx, s, owner, TODAY)}
    # interest first (C. civ. 1343-1): the 50 € settle accrued penalties before principal
    assert after[first].total_claimable == before[first].total_claimable - Decimal("50.00")
    assert after[second].step != before[second].step
    compare(ctx, owner, TODAY)


def test_owners_lists_stay_apart(ctx: ActionContext) -> None:
    mine, theirs = console_owner_id(ctx, "mine"), console_owner_id(ctx, "theirs")
    seed(ctx, mine)
    seed(ctx, theirs)  # the same invoices, rows for rows, under another owner
    with unit_of_work(ctx.engine, write=False) as s:
        a = [o.invoice_id for o in open_cases(ctx, s, mine, TODAY)]
        b = [o.invoice_id for o in open_cases(ctx, s, theirs, TODAY)]
    assert a and b and not set(a) & set(b)
    with unit_of_work(ctx.engine) as s:
        assert all(get_invoice(s, mine, i).owner_id == mine for i in a)


def test_the_memory_is_bounded_and_answers_like_triage(ctx: ActionContext) -> None:
    from actions.triage_memo import TriageMemo
    from domain.case import InvoiceCase
    from domain.diagnosis import triage
    from domain.parties import DebtorKind

    assert 0 < MEMO.size <= 50_000
    memo = TriageMemo(size=3)
    cases = [InvoiceCase(today=TODAY, amount=Decimal(100 + i), invoice_date=date(2026, 1, 5),
                         debtor=DebtorKind.PROFESSIONAL, due_date=date(2026, 2, 5))
             for i in range(5)]
    keys = [(i,) for i in range(5)]
    first = memo.summaries(keys, lambda i: cases[i], ctx.rates, ctx.ladder)
    assert first == [triage(c, ctx.rates, ctx.ladder).summary() for c in cases]
    assert len(memo) == 3  # the oldest went
    again = memo.summaries(keys[2:], lambda i: pytest.fail("remembered"), ctx.rates,
                           ctx.ladder)
    assert again == first[2:]


def test_a_list_is_remembered_until_the_ledger_or_the_day_changes(ctx: ActionContext) -> None:
    owner = console_owner_id(ctx, "remembered")
    seed(ctx, owner)

    def listed(today: date = TODAY) -> OpenCases:
        with unit_of_work(ctx.engine, write=False) as s:
            return open_cases(ctx, s, owner, today)

    first = listed()
    assert listed() is first  # nothing written: the same list, one query
    assert listed(TODAY + timedelta(days=1)) is not first
    # A write the application did not make (another tool, by hand) shows too: triggers.
    with ctx.engine.begin() as conn:
        conn.execute(text("UPDATE invoice SET amount = 99.00 WHERE id = :id"),
                     {"id": first[0].invoice_id})
    changed = listed()
    assert changed is not first
    assert changed[0].row.amount == Decimal("99.00") != first[0].row.amount


def test_a_rolled_back_write_never_shows(ctx: ActionContext) -> None:
    """A list built inside a transaction that then rolls back is kept under a version no
    later write will have."""
    owner = console_owner_id(ctx, "rollback")
    seed(ctx, owner)
    with unit_of_work(ctx.engine, write=False) as s:
        target = open_cases(ctx, s, owner, TODAY)[0].invoice_id
    session = Session(ctx.engine)
    with session.begin():
        record_payment(session, owner, target, Decimal("100.00"), TODAY, now=NOW)
        inside = open_cases(ctx, session, owner, TODAY)
        session.rollback()
    session.close()
    with unit_of_work(ctx.engine) as s:
        update_client(s, owner, get_invoice(s, owner, target).client_id, notes="rappelé")
    with unit_of_work(ctx.engine, write=False) as s:
        after = open_cases(ctx, s, owner, TODAY)
        alone = case_view(ctx, s, get_invoice(s, owner, target), TODAY).diagnosis
    assert after is not inside
    shown = next(o for o in after if o.invoice_id == target)
    assert shown.summary.total_claimable == alone.total_claimable


def test_the_list_memory_is_bounded_by_rows(ctx: ActionContext) -> None:
    from actions.triage_memo import ListCache

    lists = ListCache(max_rows=10)
    rates, ladder = ctx.rates, ctx.ladder
    for n in range(4):
        lists.put(n, "owner", rates, ladder, [n] * 4)
    assert len(lists) == 2  # 16 rows > 10: the two oldest went
    assert lists.get(3, rates, ladder) == [3] * 4
    assert lists.latest("owner", rates, ladder) == [3] * 4
    assert lists.get(0, rates, ladder) is None
    other = build_context(Settings(database_url="sqlite://")).rates
    assert lists.get(3, other, ladder) is None  # another rate table: nothing remembered


@pytest.mark.parametrize("refresh_from", [0, 10_000])  # read the changes / read it whole
def test_a_list_after_a_write_rereads_only_what_changed(
        ctx: ActionContext, monkeypatch: pytest.MonkeyPatch, refresh_from: int) -> None:
    from actions.triage_memo import LISTS

    monkeypatch.setattr("actions.open_cases.REFRESH_FROM", refresh_from)
    owner = console_owner_id(ctx, "refresh")
    seed(ctx, owner)

    def listed() -> OpenCases:
        with unit_of_work(ctx.engine, write=False) as s:
            return open_cases(ctx, s, owner, TODAY)

    before = listed()
    ids = [c.invoice_id for c in before]
    with unit_of_work(ctx.engine) as s:
        record_payment(s, owner, ids[0], Decimal("50.00"), TODAY, now=NOW)
        settled = get_invoice(s, owner, ids[1])
        record_payment(s, owner, ids[1], settled.amount - settled.paid_amount, TODAY, now=NOW)
        client = add_client(s, owner, "Garage Lenoir").id or 0
        add_invoice(s, owner, client, "F-NEW", Decimal("310.00"), date(2026, 9, 1),
                    date(2026, 10, 1), now=NOW)
    after = listed()
    assert after is not before
    kept = [c for c in after if c.invoice_id not in (ids[0], ids[1])
            and c.row.number != "F-NEW"]
    reused = [c is before.by_id.get(c.invoice_id) for c in kept]
    assert kept and all(reused) if refresh_from == 0 else not any(reused)
    assert ids[1] not in after.by_id  # paid: no longer open
    LISTS.clear()
    MEMO.clear()
    scratch = listed()
    assert [(c.invoice_id, c.summary, tuple(c.row)) for c in after] == [
        (c.invoice_id, c.summary, tuple(c.row)) for c in scratch]


def test_remembered_lists_are_freed_without_the_collector(ctx: ActionContext) -> None:
    """The day's lists are frozen out of the garbage collector's sight after midnight
    (bot.services.resettle_heap): that leaks nothing only if, once dropped, reference
    counting alone frees them (no reference cycle in them)."""
    import gc

    from actions.open_cases import OpenCase
    from actions.triage_memo import LISTS

    owner = console_owner_id(ctx, "acyclic")
    seed(ctx, owner)
    with unit_of_work(ctx.engine, write=False) as s:
        listed = open_cases(ctx, s, owner, TODAY)
        assert len(listed) > 5 and listed[0].diagnosis is not None  # a derived value too
        open_cases(ctx, s, owner, TODAY, overdue_only=True)
    del listed
    gc.collect()
    gc.freeze()
    try:
        LISTS.clear()
        MEMO.clear()
        gc.unfreeze()  # (no collection: what is left would be what only the collector frees)
        assert not [o for o in gc.get_objects() if isinstance(o, OpenCase)]
    finally:
        gc.unfreeze()
