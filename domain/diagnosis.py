"""The diagnosis of one unpaid invoice on a given day: every rule of the legal core, composed.

Pure: a function of the case, the rate table, the ladder and `case.today`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from domain.case import InvoiceCase
from domain.indemnity import recovery_indemnity
from domain.ladder import CaseHistory, Ladder, LadderStep, NextStep, Pause, next_step
from domain.money import ZERO
from domain.notices import Confidence, Notice
from domain.parties import DebtorKind
from domain.penalties import (
    Imputation,
    Interest,
    accrue,
    b2b_rate_for,
    legal_rate_for,
)
from domain.prescription import Prescription, prescription
from domain.rates import RateTable
from domain.routes import (
    DOCUMENTS_ORDER_FOR_PAYMENT,
    Court,
    SmallClaims,
    order_for_payment_court,
    small_claims,
    uncontested_commercial_claim,
)
from domain.terms import DueDate, Sector, due_date

ARTICLE_PENALTIES = "C. com. L441-10 II"
ARTICLE_LEGAL_INTEREST = "C. civ. 1231-6, 1344-1"


@dataclass(frozen=True)
class Diagnosis:
    case: InvoiceCase
    due: DueDate
    days_late: int
    interest: Interest
    alternative: Interest  # the same with the other imputation order
    indemnity: Decimal
    prescription: Prescription
    small_claims: SmallClaims
    uncontested_claim: bool
    court: Court
    next: NextStep
    notices: tuple[Notice, ...]

    @property
    def paid(self) -> Decimal:
        return sum((p.amount for p in self.case.payments), ZERO)

    @property
    def total_claimable(self) -> Decimal:
        return self.interest.principal_due + self.interest.due + self.indemnity

    @property
    def article(self) -> str:
        return ARTICLE_LEGAL_INTEREST if self.case.debtor is DebtorKind.CONSUMER else (
            ARTICLE_PENALTIES)

    def to_json(self) -> dict[str, Any]:
        """The output contract of `relance diagnose` (less the rendered `warnings`)."""
        interest, alt = self.interest, self.alternative
        return {
            "due_date": self.due.due.isoformat(),
            "due_date_method": self.due.method,
            "days_late": self.days_late,
            "amount": str(self.case.amount),
            "paid": str(self.paid),
            "principal_due": str(interest.principal_due),
            "penalties": {
                "total": str(interest.total),
                "paid": str(interest.paid),
                "due": str(interest.due),
                "basis": interest.basis.value,
                "article": self.article,
                "segments": [{
                    "semester": s.semester, "from": s.start.isoformat(),
                    "to": s.end.isoformat(), "days": s.days, "rate": str(s.rate),
                    "principal": str(s.principal), "amount": str(s.amount),
                    "basis": s.basis.value} for s in interest.segments],
            },
            "indemnity": str(self.indemnity),
            "total_claimable": str(self.total_claimable),
            "overpaid": str(interest.overpaid),
            "imputation": self.case.imputation.value,
            "alternative_imputation": {
                "imputation": next(i for i in Imputation if i is not self.case.imputation).value,
                "principal_due": str(alt.principal_due),
                "penalties_due": str(alt.due),
                "total_claimable": str(alt.principal_due + alt.due + self.indemnity),
            },
            "prescription": {
                "years": self.prescription.years,
                "end_from_due": self.prescription.end_from_due.isoformat(),
                "end_safe": self.prescription.end_safe.isoformat(),
                "article": self.prescription.article,
            },
            "small_claims": {"eligible": self.small_claims.eligible,
                             "reason": self.small_claims.reason},
            "uncontested_commercial_claim": self.uncontested_claim,
            "order_for_payment_court": self.court.value,
            "documents": list(DOCUMENTS_ORDER_FOR_PAYMENT),
            "current_step": self.next.current.value if self.next.current else None,
            "next_step": {
                "step": self.next.step.value if self.next.step else None,
                "due_on": self.next.due_on.isoformat() if self.next.due_on else None,
                "pause": self.next.pause.value,
                "is_due": self.next.is_due(self.case.today),
                "channel": self.next.channel,
                "tone": self.next.tone,
            },
            "notices": [n.to_dict() for n in self.notices],
        }


def _interest(case: InvoiceCase, due: date, table: RateTable, imputation: Imputation
              ) -> tuple[Interest, list[Notice]]:
    notices: list[Notice] = []
    end = case.today
    if case.insolvency_date is not None:
        # L622-28: the opening judgment stops all interest; counted to the day before.
        end = min(end, case.insolvency_date - timedelta(days=1))
        notices.append(Notice("insolvency_stops_interest", Confidence.HIGH,
                              {"insolvency_date": case.insolvency_date.isoformat()}))
    if case.debtor is DebtorKind.CONSUMER:
        rate_for = legal_rate_for(table)
        if case.formal_notice_date is None:
            notices.append(Notice("consumer_interest_needs_notice", Confidence.HIGH))
            start = end  # no day bears interest, payments still count
        else:
            start = max(due, case.formal_notice_date)
    else:
        rate_for = b2b_rate_for(table, case.contract_rate)
        start = due
    end = max(end, start)
    return accrue(case.amount, start, end, case.payments, rate_for, imputation), notices


@dataclass(frozen=True)
class Triage:
    """The part of a diagnosis that ranks and totals a case: due date, interest, indemnity,
    prescription and next step. Computed for every open invoice of a list; the rest of the
    diagnosis (routes, the other imputation order) only for the invoices shown."""

    case: InvoiceCase
    due: DueDate
    days_late: int
    interest: Interest
    indemnity: Decimal
    prescription: Prescription
    next: NextStep
    notices: tuple[Notice, ...]  # in the diagnosis's order, not yet deduplicated

    @property
    def total_claimable(self) -> Decimal:
        return self.interest.principal_due + self.interest.due + self.indemnity

    def summary(self) -> Summary:
        step = self.next
        return Summary(self.interest.principal_due, self.interest.due, self.indemnity,
                       self.days_late, self.prescription.end_safe, step.step, step.due_on,
                       step.pause, self.interest.total)


class Summary(NamedTuple):
    """A triage in a few plain values: what ranks a case and what totals add up (kept for
    thousands of invoices at once, so a flat tuple rather than objects)."""

    principal_due: Decimal
    penalties_due: Decimal
    indemnity: Decimal
    days_late: int
    prescription_end: date  # the earlier ("safe") end
    step: LadderStep | None
    step_due_on: date | None
    pause: Pause
    penalties_total: Decimal = Decimal("0.00")  # accrued, before what payments covered

    @property
    def total_claimable(self) -> Decimal:
        return self.principal_due + self.penalties_due + self.indemnity

    def step_is_due(self, today: date) -> bool:
        return self.step_due_on is not None and self.step_due_on <= today


def triage(case: InvoiceCase, table: RateTable, ladder: Ladder) -> Triage:
    """Due date, interest, indemnity, prescription and next step of one invoice."""
    professional = case.debtor is DebtorKind.PROFESSIONAL
    due = due_date(case.invoice_date, terms=case.terms, explicit_due=case.due_date,
                   delivery_date=case.delivery_date, eom_method=case.eom_method,
                   professional_debtor=professional, periodic=case.periodic,
                   sector=case.sector)
    notices: list[Notice] = list(due.notices)
    interest, extra = _interest(case, due.due, table, case.imputation)
    notices += extra + list(interest.notices)
    if case.payments and case.imputation is Imputation.INTEREST_FIRST and interest.paid > 0:
        notices.append(Notice("imputation_interest_first", Confidence.MEDIUM))
    paid_by_due = sum((p.amount for p in case.payments if p.on <= due.due), ZERO)
    late = case.today > due.due and paid_by_due < case.amount
    indemnity, indemnity_notices = recovery_indemnity(
        case.debtor, due=due.due, late=late, insolvency_date=case.insolvency_date)
    notices += indemnity_notices
    partial_payments = tuple(p.on for p in case.payments if p.on > case.invoice_date)
    presc = prescription(
        case.debtor, due=due.due, invoice_date=case.invoice_date,
        delivery_date=case.delivery_date, today=case.today,
        debtor_is_merchant=case.debtor_is_merchant,
        creditor_is_merchant=case.creditor_is_merchant,
        road_freight=case.sector is Sector.TRANSPORT,
        acknowledgments=case.acknowledgments + (
            partial_payments if interest.principal_due > 0 else ()),
        formal_notice_date=case.formal_notice_date)
    notices += presc.notices
    history = CaseHistory(
        due_date=due.due, steps_done=case.steps_done,
        last_contact=max((s.on for s in case.steps_done), default=None),
        pending_promise_date=case.promised_date if case.promise_broken_on is None else None,
        broken_promise_on=case.promise_broken_on, disputed=case.disputed,
        payment_plan_active=case.payment_plan_active,
        missed_instalment_on=case.missed_instalment_on,
        paid=interest.principal_due == 0 and interest.due == 0 and indemnity == 0)
    return Triage(case, due, (case.today - due.due).days, interest, indemnity, presc,
                  next_step(history, case.today, ladder), tuple(notices))


def diagnose(case: InvoiceCase, table: RateTable, ladder: Ladder, *,
             triaged: Triage | None = None) -> Diagnosis:
    """Everything the law and the ladder say about one invoice on `case.today` (`triaged`:
    its triage, already computed for the same case, table and ladder)."""
    first = triaged if triaged is not None else triage(case, table, ladder)
    interest = first.interest
    other = next(i for i in Imputation if i is not case.imputation)
    alternative = (interest if not case.payments else  # the order only matters with payments
                   _interest(case, first.due.due, table, other)[0])
    claims = small_claims(interest.principal_due + interest.due, case.debtor, case.today,
                          creditor_is_merchant=case.creditor_is_merchant,
                          debtor_is_merchant=case.debtor_is_merchant)
    uncontested, l126_notices = uncontested_commercial_claim(
        case.today, case.creditor_is_merchant, case.debtor_is_merchant)
    court, court_notices = order_for_payment_court(
        case.debtor, case.creditor_is_merchant, case.debtor_is_merchant)
    notices = [*first.notices, *claims.notices, *l126_notices, *court_notices]
    return Diagnosis(case, first.due, first.days_late, interest, alternative, first.indemnity,
                     first.prescription, claims, uncontested, court, first.next,
                     _dedupe(notices))


def _dedupe(notices: list[Notice]) -> tuple[Notice, ...]:
    seen: dict[tuple[str, tuple[tuple[str, str], ...]], Notice] = {}
    for notice in notices:
        seen.setdefault((notice.code, tuple(sorted(notice.params.items()))), notice)
    return tuple(seen.values())
