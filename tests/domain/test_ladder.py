"""The graduated ladder: never skip a level, gaps, promises, disputes, broken promises."""

from __future__ import annotations

from datetime import date

import pytest

from domain.ladder import (
    CaseHistory,
    Ladder,
    LadderError,
    LadderStep,
    Pause,
    StepDone,
    ladder_from_mapping,
    next_step,
)

DUE = date(2026, 10, 1)
S = LadderStep


def test_before_due_the_courtesy_reminder(ladder: Ladder) -> None:
    step = next_step(CaseHistory(DUE), date(2026, 9, 20), ladder)
    assert (step.step, step.due_on, step.pause) == (S.COURTESY_REMINDER, date(2026, 9, 27),
                                                    Pause.NOT_YET_DUE)


def test_after_due_the_first_level_is_the_friendly_call(ladder: Ladder) -> None:
    step = next_step(CaseHistory(DUE), date(2026, 11, 23), ladder)
    assert (step.step, step.due_on) == (S.FRIENDLY_CALL, date(2026, 10, 2))
    assert step.is_due(date(2026, 11, 23))


@pytest.mark.parametrize(("done", "expected"), [
    ([S.FRIENDLY_CALL], S.FIRST_REMINDER),
    ([S.FRIENDLY_CALL, S.FIRST_REMINDER], S.FIRM_REMINDER),
    ([S.FRIENDLY_CALL, S.FIRST_REMINDER, S.FIRM_REMINDER], S.FINAL_DEMAND),
    ([S.FINAL_DEMAND], S.FORMAL_NOTICE),
    ([S.FORMAL_NOTICE], S.THIRD_PARTY),
    ([S.THIRD_PARTY], S.ORDER_FOR_PAYMENT),
])
def test_one_level_at_a_time(ladder: Ladder, done: list[LadderStep],
                             expected: LadderStep) -> None:
    history = CaseHistory(DUE, tuple(StepDone(s, date(2026, 10, 5)) for s in done))
    assert next_step(history, date(2026, 12, 30), ladder).step is expected


def test_minimum_gap_between_contacts(ladder: Ladder) -> None:
    history = CaseHistory(DUE, (StepDone(S.FRIENDLY_CALL, date(2026, 11, 21)),),
                          last_contact=date(2026, 11, 21))
    step = next_step(history, date(2026, 11, 22), ladder)
    assert step.step is S.FIRST_REMINDER
    assert step.due_on == date(2026, 11, 24)  # 21 + 3 days, although day 7 is long past


def test_pending_promise_pauses_until_its_date_plus_grace(ladder: Ladder) -> None:
    history = CaseHistory(DUE, (StepDone(S.FRIENDLY_CALL, date(2026, 10, 3)),),
                          pending_promise_date=date(2026, 11, 27))
    step = next_step(history, date(2026, 11, 23), ladder)
    assert (step.step, step.pause, step.due_on) == (S.FIRST_REMINDER, Pause.PROMISE_PENDING,
                                                    date(2026, 11, 30))
    assert not step.is_due(date(2026, 11, 23))


def test_broken_promise_escalates_now(ladder: Ladder) -> None:
    history = CaseHistory(date(2026, 11, 1), (StepDone(S.FRIENDLY_CALL, date(2026, 11, 2)),),
                          last_contact=date(2026, 11, 2), broken_promise_on=date(2026, 11, 6))
    step = next_step(history, date(2026, 11, 6), ladder)
    assert (step.step, step.pause, step.due_on) == (S.FIRST_REMINDER, Pause.PROMISE_BROKEN,
                                                    date(2026, 11, 6))


def test_dispute_and_payment_pause(ladder: Ladder) -> None:
    assert next_step(CaseHistory(DUE, disputed=True), date(2026, 11, 23), ladder).pause is (
        Pause.DISPUTE)
    assert next_step(CaseHistory(DUE, paid=True), date(2026, 11, 23), ladder).step is None
    plan = CaseHistory(DUE, payment_plan_active=True)
    assert next_step(plan, date(2026, 11, 23), ladder).pause is Pause.PAYMENT_PLAN
    missed = CaseHistory(DUE, payment_plan_active=True, missed_instalment_on=date(2026, 11, 20))
    assert next_step(missed, date(2026, 11, 23), ladder).pause is Pause.INSTALMENT_MISSED


def test_third_party_after_the_notice_deadline(ladder: Ladder) -> None:
    history = CaseHistory(DUE, (StepDone(S.FORMAL_NOTICE, date(2026, 11, 10)),))
    step = next_step(history, date(2026, 11, 23), ladder)
    assert (step.step, step.due_on) == (S.THIRD_PARTY, date(2026, 11, 19))


def test_a_step_to_come_falls_on_a_business_day(ladder: Ladder) -> None:
    # Formal notice sent Friday 27/11/2026: its 8 days end Saturday 5/12, the day after is a
    # Sunday; the card said « le 06/12 » while the nudge came on Monday.
    notice = CaseHistory(DUE, (StepDone(S.FORMAL_NOTICE, date(2026, 11, 27)),))
    step = next_step(notice, date(2026, 11, 27), ladder)
    assert (step.step, step.due_on) == (S.THIRD_PARTY, date(2026, 12, 7))
    # A public holiday too: a step falling on Friday 25/12/2026 comes on Monday 28/12.
    call = CaseHistory(DUE, (StepDone(S.FRIENDLY_CALL, date(2026, 12, 22)),),
                       last_contact=date(2026, 12, 22))
    assert next_step(call, date(2026, 12, 22), ladder).due_on == date(2026, 12, 28)
    # A step already due stays due today, weekend or not: the owner is asking now.
    assert next_step(notice, date(2026, 12, 6), ladder).due_on == date(2026, 12, 6)


def test_ladder_complete(ladder: Ladder) -> None:
    history = CaseHistory(DUE, (StepDone(S.ORDER_FOR_PAYMENT, date(2026, 11, 10)),))
    assert next_step(history, date(2026, 11, 23), ladder).pause is Pause.LADDER_COMPLETE


def test_owner_overrides() -> None:
    from pathlib import Path

    import yaml

    data = yaml.safe_load((Path(__file__).resolve().parents[2] / "data" / "ladder.yml")
                          .read_text(encoding="utf-8"))
    ladder = ladder_from_mapping(data, {"offsets": {"first_reminder": 10}, "min_gap_days": 5})
    assert ladder.rule(S.FIRST_REMINDER).offset_days == 10 and ladder.min_gap_days == 5
    with pytest.raises(LadderError):
        ladder_from_mapping({"steps": data["steps"][:3]})
