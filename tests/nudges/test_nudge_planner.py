"""actions/nudge_planner.py on a temporary SQLite ledger, at a frozen `now`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import select

from actions.context import ActionContext
from actions.nudge_planner import plan_digest, replan_invoice, replan_owner, snooze_nudge
from domain.ledger import (
    create_payment_plan,
    log_promise,
    mark_sent,
    pending_for_owner,
    record_dispute,
    record_payment,
    set_invoice_status,
    snooze,
    unit_of_work,
    update_owner_profile,
)
from domain.ledger.enums import InvoiceStatus, NudgeKind, NudgeState
from domain.ledger.models import Nudge
from tests.nudges.helpers import TUESDAY_10H, make_invoice, make_owner

PARIS = ZoneInfo("Europe/Paris")
NOW = TUESDAY_10H  # Tuesday 3 March 2026, 10:00 in Paris


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS).astimezone(UTC)  # type: ignore[misc]


def rows(engine: Engine) -> list[tuple[int, str, str, datetime]]:
    with unit_of_work(engine, write=False) as s:
        return sorted((n.id or 0, n.dedupe_key, n.state.value, n.due_at)
                      for n in s.exec(select(Nudge)))


def by_kind(nudges: list[Nudge]) -> dict[NudgeKind, list[Nudge]]:
    out: dict[NudgeKind, list[Nudge]] = {}
    for n in nudges:
        out.setdefault(n.kind, []).append(n)
    return out


def test_before_due_four_days_before_and_replanning_never_duplicates(
        ctx: ActionContext, engine: Engine) -> None:
    with unit_of_work(engine) as s:
        owner = make_owner(s, "501")
        invoice = make_invoice(s, owner, due=date(2026, 3, 20))  # a Friday
        planned = by_kind(replan_invoice(ctx, s, owner, invoice, NOW))
    [before] = planned[NudgeKind.BEFORE_DUE]
    assert before.due_at == paris(2026, 3, 16, 9, 0)  # Monday, 4 days before, 09:00 Paris
    assert before.payload["step"] == "courtesy_reminder"
    assert NudgeKind.LADDER_STEP not in planned  # the courtesy reminder is the before_due one
    first = rows(engine)
    assert any(key.startswith("digest:") for _, key, _, _ in first)
    with unit_of_work(engine) as s:
        replan_invoice(ctx, s, owner, invoice, NOW)
        replan_invoice(ctx, s, owner, invoice, NOW + timedelta(hours=3))
        replan_owner(ctx, s, owner, NOW)
    assert rows(engine) == first


def test_before_due_moved_off_a_weekend_and_owner_setting(ctx: ActionContext,
                                                          engine: Engine) -> None:
    with unit_of_work(engine) as s:
        owner = make_owner(s, "502")
        invoice = make_invoice(s, owner, due=date(2026, 3, 25))  # 4 days before: Saturday 21
        [before] = by_kind(replan_invoice(ctx, s, owner, invoice, NOW))[NudgeKind.BEFORE_DUE]
        assert before.due_at == paris(2026, 3, 23, 8, 30)  # Monday, first allowed moment
        update_owner_profile(s, owner, {"ladder_settings": {"before_due_days": 3}})
        [moved] = by_kind(replan_invoice(ctx, s, owner, invoice, NOW))[NudgeKind.BEFORE_DUE]
        assert moved.id == before.id and moved.due_at == paris(2026, 3, 23, 8, 30)
        update_owner_profile(s, owner, {"ladder_settings": {"offsets": {"courtesy_reminder": -5}}})
        [five] = by_kind(replan_invoice(ctx, s, owner, invoice, NOW))[NudgeKind.BEFORE_DUE]
        assert five.due_at == paris(2026, 3, 20, 9, 0)


def test_promise_check_the_day_after_and_ladder_waits(ctx: ActionContext,
                                                      engine: Engine) -> None:
    with unit_of_work(engine) as s:
        owner = make_owner(s, "503")
        invoice = make_invoice(s, owner, due=date(2026, 2, 20))  # overdue
        planned = by_kind(replan_invoice(ctx, s, owner, invoice, NOW))
        [step] = planned[NudgeKind.LADDER_STEP]
        assert step.payload["step"] == "friendly_call"
        assert step.due_at == paris(2026, 3, 4, 9, 0)  # overdue: tomorrow morning, not now
        promise = log_promise(s, owner, invoice, Decimal("500.00"), date(2026, 3, 10), now=NOW)
        promise_id = promise.id
        planned = by_kind(replan_invoice(ctx, s, owner, invoice, NOW))
    [check] = planned[NudgeKind.PROMISE_CHECK]
    assert check.due_at == paris(2026, 3, 11, 9, 0)
    assert check.payload | {"planned": None} == {
        "promise": promise_id, "amount": "500.00", "date": "2026-03-10", "planned": None}
    [step] = planned[NudgeKind.LADDER_STEP]
    assert step.due_at == paris(2026, 3, 13, 9, 0)  # promise date + 2 days' grace + 1


def test_payment_cancels_and_dispute_cancels_the_ladder(ctx: ActionContext,
                                                        engine: Engine) -> None:
    with unit_of_work(engine) as s:
        owner = make_owner(s, "504")
        paid = make_invoice(s, owner, "F-1", due=date(2026, 2, 20))
        disputed = make_invoice(s, owner, "F-2", due=date(2026, 2, 20), client="Martin")
        replan_owner(ctx, s, owner, NOW)
        record_payment(s, owner, paid, Decimal("1250.00"), date(2026, 3, 3), now=NOW)
        assert not [n for n in pending_for_owner(s, owner) if n.invoice_id == paid]
        assert replan_invoice(ctx, s, owner, paid, NOW) == []
        record_dispute(s, owner, disputed, "travaux non conformes")
        kinds = {n.kind for n in replan_invoice(ctx, s, owner, disputed, NOW)}
    assert NudgeKind.LADDER_STEP not in kinds and NudgeKind.PRESCRIPTION in kinds
    cancelled = [key for _, key, state, _ in rows(engine) if state == "cancelled"]
    assert f"ladder_step:{disputed}:friendly_call" in cancelled


def test_snooze_is_kept_by_replanning_and_a_sent_nudge_comes_back(ctx: ActionContext,
                                                                   engine: Engine) -> None:
    with unit_of_work(engine) as s:
        owner = make_owner(s, "505")
        invoice = make_invoice(s, owner, due=date(2026, 2, 20))
        [step] = by_kind(replan_invoice(ctx, s, owner, invoice, NOW))[NudgeKind.LADDER_STEP]
        assert step.id is not None
        later = step.due_at + timedelta(days=2)
        snooze(s, owner, step.id, later)
        [again] = by_kind(replan_invoice(ctx, s, owner, invoice, NOW))[NudgeKind.LADDER_STEP]
        assert again.id == step.id and again.due_at == later
        # Sent: replanning leaves it alone; [Plus tard] makes a new pending row.
        s.execute(Nudge.__table__.update().where(Nudge.__table__.c.id == step.id).values(  # type: ignore[attr-defined]
            state=NudgeState.CLAIMED, claimed_by="w", claimed_until=NOW + timedelta(minutes=2)))
        assert mark_sent(s, owner, step.id, "w", NOW)
        assert NudgeKind.LADDER_STEP not in by_kind(replan_invoice(ctx, s, owner, invoice, NOW))
        back = snooze_nudge(ctx, s, owner, step.id, NOW)
        assert back.id != step.id and back.state is NudgeState.PENDING
        assert back.due_at == paris(2026, 3, 4, 9, 0) and back.kind is NudgeKind.LADDER_STEP


def test_notice_deadline_instalments_and_prescription(ctx: ActionContext, engine: Engine) -> None:
    with unit_of_work(engine) as s:
        owner = make_owner(s, "506")
        invoice = make_invoice(s, owner, due=date(2021, 6, 30), invoice_date=date(2021, 5, 31))
        set_invoice_status(s, owner, invoice, InvoiceStatus.FORMAL_NOTICE_SENT,
                           on=date(2026, 3, 2))
        planned = by_kind(replan_invoice(ctx, s, owner, invoice, NOW))
        [deadline] = planned[NudgeKind.NOTICE_DEADLINE]
        assert deadline.due_at == paris(2026, 3, 11, 9, 0)  # 2 March + 8 days, then the day after
        # Time-barred on 31 May 2026: the 6-month warning passed (given tomorrow), 1 month,
        # and 1 week (Sunday 24 May → Pentecost Monday → Tuesday 26 May).
        warnings = {n.payload["milestone"]: n.due_at for n in planned[NudgeKind.PRESCRIPTION]}
        assert warnings == {"6m": paris(2026, 3, 4, 9, 0), "1m": paris(2026, 4, 30, 9, 0),
                            "1w": paris(2026, 5, 26, 8, 30)}
        create_payment_plan(s, owner, invoice, [(date(2026, 3, 31), Decimal("600.00")),
                                               (date(2026, 4, 30), Decimal("650.00"))], now=NOW)
        planned = by_kind(replan_invoice(ctx, s, owner, invoice, NOW))
    dues = sorted(n.due_at for n in planned[NudgeKind.INSTALMENT_DUE])
    assert dues == [paris(2026, 4, 1, 9, 0), paris(2026, 5, 4, 8, 30)]  # 1 May is a holiday
    assert {n.payload["milestone"] for n in planned[NudgeKind.PRESCRIPTION]} == {"6m", "1m", "1w"}


def test_weekly_digest_follows_the_owner_settings(ctx: ActionContext, engine: Engine) -> None:
    with unit_of_work(engine) as s:
        owner = make_owner(s, "507")
        digest = plan_digest(ctx, s, owner, NOW)
        assert digest.due_at == paris(2026, 3, 9, 9, 0)  # next Monday 09:00
        update_owner_profile(s, owner, {"digest_weekday": 4, "digest_time": "17:30",
                                        "timezone": "America/Martinique"})
        moved = plan_digest(ctx, s, owner, NOW)
        assert moved.due_at == datetime(2026, 3, 6, 21, 30, tzinfo=UTC)  # Friday 17:30 UTC-4
        pending = [n for n in pending_for_owner(s, owner) if n.kind is NudgeKind.DIGEST]
    assert [n.id for n in pending] == [moved.id]


def test_a_key_planned_meanwhile_elsewhere_is_moved_not_duplicated(
        ctx: ActionContext, engine: Engine) -> None:
    """New nudges go in one batch; if another worker inserted one of the keys in between
    (here: a row under the same key not yet tied to the invoice), the careful path moves it."""
    from domain.ledger import schedule_nudge

    with unit_of_work(engine) as s:
        owner = make_owner(s, "777")
        invoice = make_invoice(s, owner, due=date(2026, 3, 20))
        wanted_key = f"before_due:{invoice}"
        schedule_nudge(s, owner, NudgeKind.BEFORE_DUE, NOW, payload={"x": "1"},
                       dedupe_key=wanted_key)  # invoice_id left empty: not "existing"
        planned = replan_invoice(ctx, s, owner, invoice, NOW)
    keys = [n.dedupe_key for n in planned]
    assert keys.count(wanted_key) == 1
    stored = [r for r in rows(engine) if r[1] == wanted_key]
    assert len(stored) == 1 and stored[0][2] == "pending"
    assert stored[0][3] == paris(2026, 3, 16, 9, 0)
