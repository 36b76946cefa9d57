"""An invoice case as the diagnosis reads it, and its validation from plain JSON values.

This is the input contract of `relance diagnose` (README): every error names its field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from domain.errors import InvalidInput
from domain.ladder import LadderStep, StepDone
from domain.money import parse_amount, parse_rate
from domain.parties import DebtorKind
from domain.penalties import Imputation, Payment
from domain.terms import EomMethod, Sector, Terms, parse_terms

EARLIEST_DATE = date(2000, 1, 1)  # older invoices are prescribed many times over
MAX_PAYMENTS = 500


@dataclass(frozen=True)
class InvoiceCase:
    today: date
    amount: Decimal
    invoice_date: date
    debtor: DebtorKind
    delivery_date: date | None = None
    due_date: date | None = None
    terms: Terms | None = None
    eom_method: EomMethod | None = None
    debtor_is_merchant: bool | None = None
    creditor_is_merchant: bool | None = None
    sector: Sector | None = None
    periodic: bool = False
    contract_rate: Decimal | None = None
    formal_notice_date: date | None = None
    payments: tuple[Payment, ...] = ()
    insolvency_date: date | None = None
    imputation: Imputation = Imputation.INTEREST_FIRST
    acknowledgments: tuple[date, ...] = ()
    steps_done: tuple[StepDone, ...] = ()
    promised_date: date | None = None
    promise_broken_on: date | None = None
    disputed: bool = False
    payment_plan_active: bool = False
    missed_instalment_on: date | None = None


def parse_date(raw: object, field: str) -> date:
    if not isinstance(raw, str):
        raise InvalidInput(field, "not_an_iso_date", raw)
    try:
        value = date.fromisoformat(raw.strip())
    except ValueError:
        raise InvalidInput(field, "not_an_iso_date", raw) from None
    if value < EARLIEST_DATE:
        raise InvalidInput(field, "too_old", raw)
    return value


def _opt_date(data: Mapping[str, Any], key: str) -> date | None:
    raw = data.get(key)
    return None if raw is None else parse_date(raw, key)


def _opt_bool(data: Mapping[str, Any], key: str) -> bool | None:
    raw = data.get(key)
    if raw is None or isinstance(raw, bool):
        return raw
    raise InvalidInput(key, "not_a_boolean", raw)


def _enum(data: Mapping[str, Any], key: str, kind: type[Any], default: Any = None) -> Any:
    raw = data.get(key)
    if raw is None:
        return default
    try:
        return kind(raw)
    except ValueError:
        raise InvalidInput(key, "unknown_value", raw) from None


def _payments(raw: object) -> tuple[Payment, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or len(raw) > MAX_PAYMENTS:
        raise InvalidInput("payments", "not_a_list", None)
    payments = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise InvalidInput(f"payments[{i}]", "not_an_object", None)
        payments.append(Payment(parse_date(item.get("date"), f"payments[{i}].date"),
                                parse_amount(item.get("amount"), f"payments[{i}].amount")))
    return tuple(payments)


def _steps(raw: object) -> tuple[StepDone, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise InvalidInput("history", "not_a_list", None)
    steps = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise InvalidInput(f"history[{i}]", "not_an_object", None)
        steps.append(StepDone(_enum(item, "step", LadderStep) or LadderStep.FRIENDLY_CALL,
                              parse_date(item.get("date"), f"history[{i}].date")))
    return tuple(steps)


def case_from_json(data: object) -> InvoiceCase:
    """Validate a decoded JSON object into an `InvoiceCase`, or raise `InvalidInput`."""
    if not isinstance(data, dict):
        raise InvalidInput("input", "not_an_object", None)
    for required in ("today", "amount", "invoice_date"):
        if data.get(required) is None:
            raise InvalidInput(required, "missing", None)
    today = parse_date(data["today"], "today")
    case = InvoiceCase(
        today=today,
        amount=parse_amount(data["amount"], "amount"),
        invoice_date=parse_date(data["invoice_date"], "invoice_date"),
        debtor=_enum(data, "debtor", DebtorKind, DebtorKind.PROFESSIONAL),
        delivery_date=_opt_date(data, "delivery_date"),
        due_date=_opt_date(data, "due_date"),
        terms=None if data.get("terms") is None else parse_terms(data["terms"]),
        eom_method=_enum(data, "eom_method", EomMethod),
        debtor_is_merchant=_opt_bool(data, "debtor_is_merchant"),
        creditor_is_merchant=_opt_bool(data, "creditor_is_merchant"),
        sector=_enum(data, "sector", Sector),
        periodic=bool(_opt_bool(data, "periodic")),
        contract_rate=None if data.get("contract_rate") is None else parse_rate(
            data["contract_rate"], "contract_rate"),
        formal_notice_date=_opt_date(data, "formal_notice_date"),
        payments=_payments(data.get("payments")),
        insolvency_date=_opt_date(data, "insolvency_date"),
        imputation=_enum(data, "imputation", Imputation, Imputation.INTEREST_FIRST),
        acknowledgments=tuple(parse_date(d, "acknowledgments") for d in (
            data.get("acknowledgments") or [])),
        steps_done=_steps(data.get("history")),
        promised_date=_opt_date(data, "promised_date"),
        promise_broken_on=_opt_date(data, "promise_broken_on"),
        disputed=bool(_opt_bool(data, "disputed")),
        payment_plan_active=bool(_opt_bool(data, "payment_plan_active")),
        missed_instalment_on=_opt_date(data, "missed_instalment_on"),
    )
    check_dates(case)
    return case


def check_dates(case: InvoiceCase) -> None:
    """Dates that cannot be true together."""
    if case.invoice_date > case.today:
        raise InvalidInput("invoice_date", "after_today", case.invoice_date.isoformat())
    if case.due_date is not None and case.due_date < case.invoice_date:
        raise InvalidInput("due_date", "before_invoice_date", case.due_date.isoformat())
    for i, payment in enumerate(case.payments):
        if payment.on > case.today:
            raise InvalidInput(f"payments[{i}].date", "after_today", payment.on.isoformat())
    if case.formal_notice_date is not None and case.formal_notice_date > case.today:
        raise InvalidInput("formal_notice_date", "after_today", case.formal_notice_date)
    if case.insolvency_date is not None and case.insolvency_date > case.today:
        raise InvalidInput("insolvency_date", "after_today", case.insolvency_date)
