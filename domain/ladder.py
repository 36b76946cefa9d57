"""The graduated ladder of amicable recovery and the next step of a case (DESIGN.md).

The ladder is data (`data/ladder.yml`, overridable per owner). `next_step` is a pure
function of the case's history and `today`: it never skips a level, keeps a minimum gap
between contacts, pauses for a pending promise (until its date + grace), a dispute or a
payment plan being kept, and escalates after a broken promise or a missed instalment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from domain.nudge_timing import next_business_day


class LadderStep(StrEnum):
    COURTESY_REMINDER = "courtesy_reminder"
    FRIENDLY_CALL = "friendly_call"
    FIRST_REMINDER = "first_reminder"
    FIRM_REMINDER = "firm_reminder"
    FINAL_DEMAND = "final_demand"
    FORMAL_NOTICE = "formal_notice"  # mise en demeure
    THIRD_PARTY = "third_party"
    ORDER_FOR_PAYMENT = "order_for_payment"  # injonction de payer


class Pause(StrEnum):
    """Why no step is due, or why the due step moved."""

    NONE = "none"
    PAID = "paid"
    DISPUTE = "dispute"
    PROMISE_PENDING = "promise_pending"
    PROMISE_BROKEN = "promise_broken"
    PAYMENT_PLAN = "payment_plan"
    INSTALMENT_MISSED = "instalment_missed"
    LADDER_COMPLETE = "ladder_complete"
    NOT_YET_DUE = "not_yet_due"


@dataclass(frozen=True)
class StepRule:
    step: LadderStep
    offset_days: int
    channel: str
    tone: str


@dataclass(frozen=True)
class Ladder:
    steps: tuple[StepRule, ...]
    min_gap_days: int = 3
    promise_grace_days: int = 2
    notice_deadline_days: int = 8
    third_party_wait_days: int = 30

    def rule(self, step: LadderStep) -> StepRule:
        return next(r for r in self.steps if r.step is step)

    def index(self, step: LadderStep) -> int:
        return next(i for i, r in enumerate(self.steps) if r.step is step)


class LadderError(ValueError):
    """A ladder file or an owner's override that cannot be used."""


def ladder_from_mapping(data: Mapping[str, Any], overrides: Mapping[str, Any] | None = None
                        ) -> Ladder:
    """Build a ladder from `data/ladder.yml`'s content, with an owner's overrides applied:
    top-level numbers by key, and per-step `{"offsets": {"first_reminder": 10}}`."""
    try:
        rules = [StepRule(LadderStep(s["step"]), int(s["offset_days"]), str(s["channel"]),
                          str(s["tone"])) for s in data["steps"]]
        numbers = {k: int(data[k]) for k in ("min_gap_days", "promise_grace_days",
                                              "notice_deadline_days", "third_party_wait_days")
                   if k in data}
    except (KeyError, TypeError, ValueError) as exc:
        raise LadderError(f"invalid ladder data: {exc}") from None
    if [r.step for r in rules] != list(LadderStep):
        raise LadderError("the ladder must list every step once, in order")
    ladder = Ladder(tuple(rules), **numbers)
    if overrides:
        offsets = overrides.get("offsets", {})
        steps = tuple(replace(r, offset_days=int(offsets.get(r.step.value, r.offset_days)))
                      for r in ladder.steps)
        numbers = {k: int(v) for k, v in overrides.items() if k in numbers or k in (
            "min_gap_days", "promise_grace_days", "notice_deadline_days",
            "third_party_wait_days")}
        ladder = replace(ladder, steps=steps, **numbers)
    if ladder.min_gap_days < 0 or ladder.promise_grace_days < 0 or (
            ladder.notice_deadline_days < 1):
        raise LadderError("ladder delays must be positive")
    return ladder


@dataclass(frozen=True)
class StepDone:
    step: LadderStep
    on: date


@dataclass(frozen=True)
class CaseHistory:
    """What happened on one invoice, as the ladder needs it."""

    due_date: date
    steps_done: tuple[StepDone, ...] = ()
    last_contact: date | None = None
    pending_promise_date: date | None = None
    broken_promise_on: date | None = None
    disputed: bool = False
    paid: bool = False
    payment_plan_active: bool = False
    missed_instalment_on: date | None = None
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class NextStep:
    step: LadderStep | None
    due_on: date | None
    pause: Pause
    current: LadderStep | None  # the highest step already taken
    channel: str | None = None
    tone: str | None = None

    def is_due(self, today: date) -> bool:
        return self.due_on is not None and self.due_on <= today


def current_step(history: CaseHistory, ladder: Ladder) -> StepDone | None:
    """The highest step taken so far (latest date breaks ties)."""
    if not history.steps_done:
        return None
    return max(history.steps_done, key=lambda s: (ladder.index(s.step), s.on))


def next_step(history: CaseHistory, today: date, ladder: Ladder) -> NextStep:
    """The next step on the ladder and the day it falls due."""
    top = current_step(history, ladder)
    current = top.step if top else None
    if history.paid:
        return NextStep(None, None, Pause.PAID, current)
    if history.disputed:
        return NextStep(None, None, Pause.DISPUTE, current)
    if top is None and today < history.due_date:
        rule = ladder.rule(LadderStep.COURTESY_REMINDER)
        return NextStep(rule.step, history.due_date + timedelta(days=rule.offset_days),
                        Pause.NOT_YET_DUE, None, rule.channel, rule.tone)
    start = ladder.index(LadderStep.FRIENDLY_CALL)
    index = max(start, ladder.index(top.step) + 1) if top else start
    if index >= len(ladder.steps):
        return NextStep(None, None, Pause.LADDER_COMPLETE, current)
    rule = ladder.steps[index]
    due_on = history.due_date + timedelta(days=rule.offset_days)
    if rule.step is LadderStep.THIRD_PARTY and top is not None:
        due_on = top.on + timedelta(days=ladder.notice_deadline_days + 1)
    elif rule.step is LadderStep.ORDER_FOR_PAYMENT and top is not None:
        due_on = top.on + timedelta(days=ladder.third_party_wait_days)
    pause = Pause.NONE
    if history.missed_instalment_on is not None:
        due_on, pause = history.missed_instalment_on, Pause.INSTALMENT_MISSED
    elif history.payment_plan_active:
        return NextStep(None, None, Pause.PAYMENT_PLAN, current)
    if history.pending_promise_date is not None:
        resume = history.pending_promise_date + timedelta(days=ladder.promise_grace_days + 1)
        due_on, pause = max(due_on, resume), Pause.PROMISE_PENDING
    elif history.broken_promise_on is not None and (top is None or (
            history.broken_promise_on >= top.on)):
        due_on, pause = min(due_on, max(today, history.broken_promise_on)), Pause.PROMISE_BROKEN
    gap_from = max((d for d in (history.last_contact, top.on if top else None) if d),
                   default=None)
    if gap_from is not None:
        due_on = max(due_on, gap_from + timedelta(days=ladder.min_gap_days))
    if due_on > today:  # a step to come falls on a business day, when its nudge comes too
        due_on = next_business_day(due_on)
    return NextStep(rule.step, due_on, pause, current, rule.channel, rule.tone)


def load_ladder(path: Path, overrides: Mapping[str, Any] | None = None) -> Ladder:
    """Read the default ladder from a YAML file (see `data/ladder.yml`)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LadderError(f"{path}: cannot read the ladder ({exc})") from None
    if not isinstance(data, dict):
        raise LadderError(f"{path}: expected a mapping")
    return ladder_from_mapping(data, overrides)
