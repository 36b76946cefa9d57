"""Which follow-up nudges an invoice needs, planned as ledger rows (the dispatcher sends them).

`replan_invoice` recomputes an invoice's nudges from its current state and reconciles the
rows: each wanted nudge is upserted under a stable dedupe key, every other pending nudge of
the invoice is cancelled. Call it after every change (new invoice, payment, dispute, promise,
step taken, payment plan): it is idempotent and cheap (one diagnosis, a handful of queries,
no write when nothing changed). A nudge the owner snoozed keeps its later time as long as
its planned moment did not change.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, or_, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from actions.cases import case_view
from actions.context import ActionContext
from domain.ladder import Ladder, LadderError, LadderStep, Pause, ladder_from_mapping
from domain.ledger import (
    PlannedNudge,
    add_nudges,
    get_invoice,
    get_nudge,
    get_owner,
    list_invoices,
    move_nudge,
    schedule_nudge,
    snooze,
)
from domain.ledger.access import expire_held
from domain.ledger.enums import (
    CLOSED_STATUSES,
    InstalmentState,
    InvoiceStatus,
    NudgeKind,
    NudgeState,
    PlanState,
)
from domain.ledger.models import Instalment, Invoice, Nudge, Owner, PaymentPlan
from domain.nudge_timing import (
    DEFAULT_BEFORE_DUE_DAYS,
    DEFAULT_NUDGE_TIME,
    before_due_day,
    local_day,
    next_weekly,
    plan_on,
    prescription_milestones,
)

log = logging.getLogger(__name__)

#: Pauses under which no ladder step is suggested.
_NO_STEP = frozenset({Pause.PAID, Pause.DISPUTE, Pause.LADDER_COMPLETE, Pause.PAYMENT_PLAN})


@dataclass(frozen=True)
class Wanted:
    """One nudge the invoice needs: its dedupe key, kind, planned instant and payload."""

    key: str
    kind: NudgeKind
    due_at: datetime
    payload: dict[str, Any]


def owner_ladder(base: Ladder, settings: dict[str, Any] | None) -> Ladder:
    """The default ladder with the owner's overrides (`ladder_settings`) applied."""
    if not settings:
        return base
    data: dict[str, Any] = {
        "steps": [{"step": r.step.value, "offset_days": r.offset_days, "channel": r.channel,
                   "tone": r.tone} for r in base.steps],
        "min_gap_days": base.min_gap_days, "promise_grace_days": base.promise_grace_days,
        "notice_deadline_days": base.notice_deadline_days,
        "third_party_wait_days": base.third_party_wait_days,
    }
    try:
        return ladder_from_mapping(data, settings)
    except LadderError as exc:
        log.warning("ignoring an owner's ladder settings: %s", exc)
        return base


def before_due_days(ladder: Ladder, settings: dict[str, Any] | None) -> int:
    """Days before the due date for the courtesy reminder (3 to 5, default 4)."""
    raw = (settings or {}).get("before_due_days")
    if raw is None:
        raw = -ladder.rule(LadderStep.COURTESY_REMINDER).offset_days
    try:
        return int(raw)
    except (TypeError, ValueError):
        return DEFAULT_BEFORE_DUE_DAYS


class _Planner:
    """The wanted nudges of one invoice for one owner at `now`."""

    def __init__(self, owner: Owner, now: datetime) -> None:
        self.owner, self.now = owner, now
        self.today = local_day(now, owner.timezone)
        self.nudge_time = str(owner.ladder_settings.get("nudge_time") or DEFAULT_NUDGE_TIME)
        self.wanted: list[Wanted] = []

    def on(self, day: date) -> datetime:
        owner = self.owner
        return plan_on(day, self.now, owner.timezone, owner.quiet_start, owner.quiet_end,
                       self.nudge_time)

    def add(self, key: str, kind: NudgeKind, day: date, **payload: Any) -> None:
        due_at = self.on(day)
        self.wanted.append(Wanted(key, kind, due_at, {**payload, "planned": due_at.isoformat()}))


def wanted_nudges(ctx: ActionContext, session: Session, owner: Owner, invoice: Invoice,
                  now: datetime) -> list[Wanted]:
    """What the invoice needs now (pure of writes): see the module docstring."""
    assert invoice.id is not None
    if invoice.status in CLOSED_STATUSES:
        return []
    plan = _Planner(owner, now)
    ladder = owner_ladder(ctx.ladder, owner.ladder_settings)
    view = case_view(replace(ctx, ladder=ladder), session, invoice, plan.today)
    diag, number = view.diagnosis, invoice.id
    step = diag.next
    disputed = invoice.status is InvoiceStatus.DISPUTED
    if not disputed and step.current is None and plan.today < invoice.due_date:
        day = before_due_day(invoice.due_date, before_due_days(ladder, owner.ladder_settings))
        if local_day(plan.on(day), owner.timezone) <= invoice.due_date:
            plan.add(f"before_due:{number}", NudgeKind.BEFORE_DUE, day,
                     step=LadderStep.COURTESY_REMINDER.value)
    notice_deadline = None
    if invoice.formal_notice_date is not None:
        notice_deadline = invoice.formal_notice_date + timedelta(days=ladder.notice_deadline_days)
        plan.add(f"notice_deadline:{number}:{notice_deadline.isoformat()}",
                 NudgeKind.NOTICE_DEADLINE, notice_deadline + timedelta(days=1),
                 deadline=notice_deadline.isoformat(), step=LadderStep.THIRD_PARTY.value)
    if (not disputed and step.step is not None and step.due_on is not None
            and step.pause not in _NO_STEP and step.step is not LadderStep.COURTESY_REMINDER
            and not (notice_deadline and step.step is LadderStep.THIRD_PARTY)):
        plan.add(f"ladder_step:{number}:{step.step.value}", NudgeKind.LADDER_STEP, step.due_on,
                 step=step.step.value, on=step.due_on.isoformat())
    for promise in view.pending_promises:
        plan.add(f"promise_check:{promise.id}", NudgeKind.PROMISE_CHECK,
                 promise.promised_date + timedelta(days=1), promise=promise.id,
                 amount=str(promise.amount), date=promise.promised_date.isoformat())
    if invoice.status is InvoiceStatus.PAYMENT_PLAN:
        for instalment in _pending_instalments(session, owner, number):
            plan.add(f"instalment_due:{instalment.id}", NudgeKind.INSTALMENT_DUE,
                     instalment.due_date + timedelta(days=1), instalment=instalment.id,
                     amount=str(instalment.amount), date=instalment.due_date.isoformat())
    _prescription(plan, number, diag.prescription.end_safe)
    return plan.wanted


def _prescription(plan: _Planner, invoice_id: int, end_safe: date) -> None:
    """Future milestones, plus the latest one already passed (warned at once) if any."""
    if end_safe <= plan.today:
        return
    passed = [(label, day) for label, day in prescription_milestones(end_safe)
              if day < plan.today]
    for label, day in prescription_milestones(end_safe):
        if day >= plan.today or (passed and (label, day) == passed[-1]):
            plan.add(f"prescription:{invoice_id}:{label}:{end_safe.isoformat()}",
                     NudgeKind.PRESCRIPTION, day, milestone=label, end_safe=end_safe.isoformat())


# The statements of every re-plan, built once (bindparams: owner_id, invoice_id).
_OWNER: Any = bindparam("owner_id")
_INVOICE: Any = bindparam("invoice_id")
_PENDING_INSTALMENTS = select(Instalment).join(
    PaymentPlan, col(PaymentPlan.id) == col(Instalment.plan_id)).where(
    col(PaymentPlan.owner_id) == _OWNER, col(PaymentPlan.invoice_id) == _INVOICE,
    col(PaymentPlan.state) == PlanState.ACTIVE, col(Instalment.owner_id) == _OWNER,
    col(Instalment.state) == InstalmentState.PENDING)
# Locked (PostgreSQL; SQLite's turn holds the write lock): a dispatcher cannot claim one of
# these between this read and the changes. With them, the owner's pending digest if any.
_HELD_NUDGES = select(Nudge).where(
    col(Nudge.owner_id) == _OWNER,
    or_(col(Nudge.invoice_id) == _INVOICE,
        and_(col(Nudge.kind) == NudgeKind.DIGEST, col(Nudge.state) == NudgeState.PENDING))
).with_for_update().execution_options(populate_existing=True)
# (an UPDATE's bindparams may not be named after its columns)
_CANCEL_STALE = update(Nudge).where(
    col(Nudge.id).in_(bindparam("ids", expanding=True)), col(Nudge.owner_id) == bindparam("of"),
    col(Nudge.state) == NudgeState.PENDING).values(state=NudgeState.CANCELLED
                                                   ).execution_options(synchronize_session=False)
_CANCEL_OTHER_DIGESTS = update(Nudge).where(
    col(Nudge.owner_id) == bindparam("of"), col(Nudge.kind) == NudgeKind.DIGEST,
    col(Nudge.state) == NudgeState.PENDING, col(Nudge.dedupe_key) != bindparam("key")
).values(state=NudgeState.CANCELLED).execution_options(synchronize_session=False)


def _pending_instalments(session: Session, owner: Owner, invoice_id: int) -> list[Instalment]:
    return list(session.exec(_PENDING_INSTALMENTS, params={"owner_id": owner.id,
                                                           "invoice_id": invoice_id}))


def replan_invoice(ctx: ActionContext, session: Session, owner_id: int, invoice_id: int,
                   now: datetime) -> list[Nudge]:
    """Bring the invoice's nudges in line with its state; returns its pending nudges.

    Paid or written off: every pending nudge is cancelled. Disputed: only the ladder
    nudges go (promise checks, notice deadline and prescription warnings stay).
    """
    owner = get_owner(session, owner_id)
    invoice = get_invoice(session, owner_id, invoice_id)
    wanted = wanted_nudges(ctx, session, owner, invoice, now)
    existing: dict[str, Nudge] = {}
    digest_pending = False  # (planned below if not)
    for nudge in session.exec(_HELD_NUDGES, params={"owner_id": owner_id,
                                                    "invoice_id": invoice_id}):
        if nudge.invoice_id == invoice_id:
            existing[nudge.dedupe_key] = nudge
        else:
            digest_pending = True
    moved = False
    new: list[PlannedNudge] = []
    keep: list[str] = []
    pending: list[Nudge] = []
    for item in wanted:
        keep.append(item.key)
        row = existing.get(item.key)
        if row is not None and row.state in (NudgeState.SENT, NudgeState.CLAIMED):
            continue  # already on its way or delivered: never again
        due_at = item.due_at
        if (row is not None and row.state is NudgeState.PENDING
                and row.payload.get("planned") == item.payload["planned"]):
            due_at = max(due_at, row.due_at)  # snoozed or deferred: keep the later time
            if row.due_at == due_at and row.payload == item.payload:
                pending.append(row)
                continue  # nothing changed: no write
        if row is not None:  # pending, cancelled or failed: moved in place
            move_nudge(row, item.kind, due_at, item.payload)
            moved = True
            pending.append(row)
            continue
        new.append(PlannedNudge(item.kind, due_at, item.payload, item.key))
    if moved:
        session.flush()
    pending.extend(add_nudges(session, owner_id, invoice_id, new))  # one INSERT for all
    stale = [n for key, n in existing.items()
             if key not in keep and n.state is NudgeState.PENDING]
    if stale:
        session.connection().execute(_CANCEL_STALE, {"ids": [n.id for n in stale],
                                                     "of": owner_id})
        for nudge in stale:  # what the UPDATE wrote (rows locked above), without reloading
            set_committed_value(nudge, "state", NudgeState.CANCELLED)
    if not digest_pending:
        plan_digest(ctx, session, owner_id, now)
    return sorted(pending, key=lambda n: (n.due_at, n.id or 0))


def plan_digest(ctx: ActionContext, session: Session, owner_id: int, now: datetime) -> Nudge:
    """The next weekly digest (owner's weekday and local time; Monday 09:00 by default).

    One pending digest per owner: a digest planned for another day (the owner changed
    their settings) is cancelled.
    """
    owner = get_owner(session, owner_id)
    due_at = next_weekly(now, owner.timezone, owner.digest_weekday, owner.digest_time)
    key = f"digest:{due_at.date().isoformat()}"
    session.connection().execute(_CANCEL_OTHER_DIGESTS, {"of": owner_id, "key": key})
    # The digests the UPDATE may have changed; the invoice's nudges just planned stay loaded
    # (expiring them all cost a SELECT per nudge when the caller sorted them).
    expire_held(session, Nudge, kind=NudgeKind.DIGEST)
    return schedule_nudge(session, owner_id, NudgeKind.DIGEST, due_at, dedupe_key=key,
                          payload={"planned": due_at.isoformat()})


def replan_owner(ctx: ActionContext, session: Session, owner_id: int, now: datetime
                 ) -> list[Nudge]:
    """Replan every invoice of the owner still to chase (and cancel closed ones' nudges),
    then the digest: after a change of settings (time zone, quiet hours, ladder)."""
    planned: list[Nudge] = []
    closed_with_pending = set(session.exec(select(col(Nudge.invoice_id)).where(
        Nudge.owner_id == owner_id, Nudge.state == NudgeState.PENDING,
        col(Nudge.invoice_id).is_not(None))))
    for invoice in list_invoices(session, owner_id):
        assert invoice.id is not None
        if invoice.status in CLOSED_STATUSES and invoice.id not in closed_with_pending:
            continue
        planned += replan_invoice(ctx, session, owner_id, invoice.id, now)
    digest = plan_digest(ctx, session, owner_id, now)
    return sorted([*planned, digest], key=lambda n: (n.due_at, n.id or 0))


def snooze_nudge(ctx: ActionContext, session: Session, owner_id: int, nudge_id: int,
                 now: datetime, days: int = 1) -> Nudge:
    """[Plus tard] on a pushed nudge: the same nudge again `days` business-day mornings later.

    A pending nudge simply moves (ledger `snooze`); one already sent — the usual case, the
    owner pressed its button — comes back as a new pending row under its own dedupe key.
    """
    nudge = get_nudge(session, owner_id, nudge_id)
    owner = get_owner(session, owner_id)
    day = local_day(now, owner.timezone) + timedelta(days=days)
    due_at = plan_on(day, now, owner.timezone, owner.quiet_start, owner.quiet_end,
                     str(owner.ladder_settings.get("nudge_time") or DEFAULT_NUDGE_TIME))
    if nudge.state is NudgeState.PENDING:
        return snooze(session, owner_id, nudge_id, due_at)
    original = str(nudge.payload.get("snoozed_from") or nudge.dedupe_key)
    key = f"snooze:{original}:{day.isoformat()}"[:128]
    payload = {**nudge.payload, "snoozed_from": original, "planned": due_at.isoformat()}
    return schedule_nudge(session, owner_id, nudge.kind, due_at, invoice_id=nudge.invoice_id,
                          payload=payload, dedupe_key=key)


__all__ = ["Wanted", "owner_ladder", "plan_digest", "replan_invoice", "replan_owner",
           "snooze_nudge", "wanted_nudges"]
