"""A triage is the first half of a diagnosis: same figures, same next step, same notices."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.case import InvoiceCase
from domain.diagnosis import diagnose, triage
from domain.ladder import Ladder, LadderStep, StepDone
from domain.parties import DebtorKind
from domain.penalties import Imputation, Payment
from domain.rates import RateTable
from domain.terms import Terms, TermsKind

TODAY = date(2026, 11, 23)
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500000"), places=2)
offsets = st.integers(min_value=0, max_value=2000)
maybe_bool = st.sampled_from([None, True, False])


@st.composite
def cases(draw: st.DrawFn) -> InvoiceCase:
    today = TODAY + timedelta(days=draw(st.integers(min_value=-400, max_value=400)))
    issued = today - timedelta(days=draw(offsets))
    amount = draw(amounts)

    def past(max_days: int = 2000) -> date:
        return max(issued, today - timedelta(days=draw(st.integers(0, max_days))))

    terms = draw(st.sampled_from([None, Terms(TermsKind.DAYS, 30), Terms(TermsKind.DAYS_EOM, 45),
                                  Terms(TermsKind.ON_RECEIPT), Terms(TermsKind.DAYS, 90)]))
    due = None if terms else issued + timedelta(days=draw(st.integers(0, 120)))
    payments = tuple(Payment(past(), draw(amounts)) for _ in range(draw(st.integers(0, 3))))
    steps = tuple(StepDone(draw(st.sampled_from(list(LadderStep))), past())
                  for _ in range(draw(st.integers(0, 3))))
    promised = draw(st.one_of(st.none(), st.dates(issued, today + timedelta(days=30))))
    return InvoiceCase(
        today=today, amount=amount, invoice_date=issued,
        debtor=draw(st.sampled_from(list(DebtorKind))), due_date=due, terms=terms,
        delivery_date=draw(st.one_of(st.none(), st.just(issued))),
        debtor_is_merchant=draw(maybe_bool), creditor_is_merchant=draw(maybe_bool),
        contract_rate=draw(st.sampled_from([None, Decimal("5"), Decimal("15.5")])),
        formal_notice_date=draw(st.one_of(st.none(), st.just(past()))),
        payments=payments, insolvency_date=draw(st.one_of(st.none(), st.just(past()))),
        imputation=draw(st.sampled_from(list(Imputation))),
        acknowledgments=tuple(past() for _ in range(draw(st.integers(0, 2)))),
        steps_done=steps, promised_date=promised,
        promise_broken_on=draw(st.one_of(st.none(), st.just(past()))) if promised else None,
        disputed=draw(st.booleans()), payment_plan_active=draw(st.booleans()),
        missed_instalment_on=draw(st.one_of(st.none(), st.just(past()))))


@settings(max_examples=150, deadline=None)
@given(cases())
def test_triage_is_the_diagnosis_first_half(table: RateTable, ladder: Ladder,
                                            case: InvoiceCase) -> None:
    whole = diagnose(case, table, ladder)
    first = triage(case, table, ladder)
    assert diagnose(case, table, ladder, triaged=first) == whole
    assert (first.due, first.days_late, first.interest, first.indemnity, first.prescription,
            first.next) == (whole.due, whole.days_late, whole.interest, whole.indemnity,
                            whole.prescription, whole.next)
    assert all(notice in whole.notices for notice in first.notices)
    summary = first.summary()
    assert summary.total_claimable == whole.total_claimable == first.total_claimable
    assert (summary.principal_due, summary.penalties_due) == (
        whole.interest.principal_due, whole.interest.due)
    assert summary.prescription_end == whole.prescription.end_safe
    assert (summary.step, summary.step_due_on, summary.pause) == (
        whole.next.step, whole.next.due_on, whole.next.pause)
    assert summary.step_is_due(case.today) == whole.next.is_due(case.today)
