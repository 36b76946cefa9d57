"""From ledger rows to the domain's view of a case: the bridge every action uses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import (
    CompoundSelect,
    Select,
    bindparam,
    cast,
    func,
    inspect,
    literal_column,
    null,
    select,
    union_all,
)
from sqlmodel import Session, col
from sqlmodel import select as orm_select

from actions.context import ActionContext
from domain.case import InvoiceCase
from domain.diagnosis import Diagnosis, diagnose
from domain.errors import InvalidInput
from domain.ladder import LadderStep, StepDone
from domain.ledger import get_owner
from domain.ledger.access import owned, table_of
from domain.ledger.enums import ClientKind, InvoiceStatus, PromiseState
from domain.ledger.models import (
    Client,
    Instalment,
    Interaction,
    Invoice,
    PaymentPlan,
    Promise,
)
from domain.ledger.models import Payment as PaymentRow
from domain.ledger.views import OPEN_STATUSES
from domain.parties import DebtorKind
from domain.penalties import Payment
from domain.terms import Terms, due_date, parse_terms


class PendingPromise(NamedTuple):
    """A promise not checked yet (the re-plan checks it the day after its date)."""

    id: int
    amount: Decimal
    promised_date: date


@dataclass(frozen=True)
class CaseView:
    """One invoice, its client and its diagnosis on a day, ready for a template."""

    invoice: Invoice
    client: Client
    diagnosis: Diagnosis
    pending_promises: tuple[PendingPromise, ...] = ()

    def template_context(self, lang: str) -> dict[str, Any]:
        return case_context(self.invoice, self.client.name, self.client.kind.value,
                            self.client.tone.value, self.diagnosis, lang)


def case_context(invoice: Any, client_name: str, client_kind: str, client_tone: str,
                 diagnosis: Diagnosis, lang: str) -> dict[str, Any]:
    """What a template reads of one case (`invoice`: an `Invoice` or a row of its columns)."""
    from actions.context import current

    facts = diagnosis.to_json()
    return {
        "invoice": {"id": invoice.id, "number": invoice.number, "amount": str(invoice.amount),
                    "invoice_date": invoice.invoice_date.isoformat(),
                    "due_date": invoice.due_date.isoformat(),
                    "status": str(invoice.status)},
        "client": {"name": client_name, "kind": client_kind, "tone": client_tone},
        "diag": {**facts, "warnings": [current().wording.notice(n, lang)
                                       for n in facts["notices"]]},
    }


@dataclass
class RelatedRows:
    """Everything the diagnosis reads about a set of invoices, loaded in a few queries as
    plain rows (no ORM objects: an owner with thousands of invoices reads them all)."""

    payments: dict[int, list[Any]] = field(default_factory=dict)
    steps: dict[int, list[Any]] = field(default_factory=dict)
    promises: dict[int, list[Any]] = field(default_factory=dict)
    plans: dict[int, Any] = field(default_factory=dict)  # the latest, per invoice
    instalments: dict[int, list[Any]] = field(default_factory=dict)


_PAYMENT = table_of(PaymentRow).c
_STEP = table_of(Interaction).c
_PROMISE = table_of(Promise).c
_PLAN = table_of(PaymentPlan).c
_INSTALMENT = table_of(Instalment).c
_INVOICE = table_of(Invoice).c
_CLIENT = table_of(Client).c


class _PaymentRow(NamedTuple):
    invoice_id: int
    paid_on: date
    amount: Decimal
    logged_at: datetime


class _StepRow(NamedTuple):
    invoice_id: int
    ladder_step: Any
    occurred_on: date


class _PromiseRow(NamedTuple):
    invoice_id: int
    state: PromiseState
    promised_date: date
    logged_at: datetime
    checked_at: datetime | None
    id: int
    amount: Decimal


class _PlanRow(NamedTuple):
    invoice_id: int
    id: int
    created_at: datetime


def related_queries() -> dict[str, Select[Any]]:
    """The owner's rows related to invoices; each query's first column is `invoice_id`.

    All four have the same columns (invoice_id, kind, day, amount, at, checked_at, step,
    state, row_id; NULL where a kind has none; row_id: a promise's or a plan's id), so that
    `related_union` reads them in one statement: a diagnosis of a stored invoice took four."""
    owner: Any = bindparam("owner_id")
    # Typed NULLs: PostgreSQL types a UNION's columns branch by branch, and two bare NULLs
    # make a text column that a later date or instant does not match.
    day, amount, at = _PAYMENT.paid_on, _PAYMENT.amount, _PAYMENT.logged_at
    checked, step, state, row = (_PROMISE.checked_at, _STEP.ladder_step, _PROMISE.state,
                                 _PLAN.id)

    def none(column: Any) -> Any:
        return cast(null(), column.type)

    return {
        "payments": select(
            _PAYMENT.invoice_id, literal_column("'p'").label("kind"), day.label("day"),
            amount.label("amount"), at.label("at"), none(checked).label("checked_at"),
            none(step).label("step"), none(state).label("state"), none(row).label("row_id"),
        ).where(_PAYMENT.owner_id == owner),
        "steps": select(
            _STEP.invoice_id, literal_column("'s'"), _STEP.occurred_on, none(amount), none(at),
            none(checked), _STEP.ladder_step, none(state), none(row),
        ).where(_STEP.owner_id == owner, _STEP.ladder_step.is_not(None)),
        "promises": select(
            _PROMISE.invoice_id, literal_column("'r'"), _PROMISE.promised_date, _PROMISE.amount,
            _PROMISE.logged_at, _PROMISE.checked_at, none(step), _PROMISE.state, _PROMISE.id,
        ).where(_PROMISE.owner_id == owner),
        "plans": select(
            _PLAN.invoice_id, literal_column("'l'"), none(day), none(amount), _PLAN.created_at,
            none(checked), none(step), none(state), _PLAN.id,
        ).where(_PLAN.owner_id == owner),
    }


def related_union(queries: dict[str, Select[Any]]) -> CompoundSelect[Any]:
    """The four queries of `related_queries` (as the caller narrowed them) as one."""
    return union_all(*(queries[name] for name in ("payments", "steps", "promises", "plans")))


# Built once: every diagnosis of a stored invoice runs it (`ids` expands to the list).
_BY_IDS = related_union({
    name: query.where(query.selected_columns[0].in_(bindparam("ids", expanding=True)))
    for name, query in related_queries().items()})
_INSTALMENTS = select(_INSTALMENT.plan_id, _INSTALMENT.due_date, _INSTALMENT.amount).where(
    _INSTALMENT.owner_id == bindparam("owner_id"),
    _INSTALMENT.plan_id.in_(bindparam("ids", expanding=True)))


def fill_related(session: Session, union: CompoundSelect[Any], params: dict[str, Any],
                 rows: RelatedRows) -> None:
    """Read `union` (see `related_union`) into `rows`, each kind with its own field names."""
    for invoice_id, kind, day, amount, at, checked_at, step, state, row_id in (
            session.connection().execute(union, params)):
        if kind == "p":
            rows.payments.setdefault(invoice_id, []).append(
                _PaymentRow(invoice_id, day, amount, at))
        elif kind == "s":
            rows.steps.setdefault(invoice_id, []).append(_StepRow(invoice_id, step, day))
        elif kind == "r":
            rows.promises.setdefault(invoice_id, []).append(
                _PromiseRow(invoice_id, state, day, at, checked_at, row_id, amount))
        else:
            known = rows.plans.get(invoice_id)
            if known is None or row_id > known.id:
                rows.plans[invoice_id] = _PlanRow(invoice_id, row_id, at)


def load_related(session: Session, owner_id: int, ids: list[int]) -> RelatedRows:
    """The related rows of the invoices `ids`."""
    rows = RelatedRows()
    for chunk in (ids[i:i + 900] for i in range(0, len(ids), 900)):  # SQLite's bound limit
        fill_related(session, _BY_IDS, {"owner_id": owner_id, "ids": chunk}, rows)
    load_instalments(session, owner_id, rows)
    return rows


def load_instalments(session: Session, owner_id: int, rows: RelatedRows) -> None:
    plan_ids = [p.id for p in rows.plans.values()]
    for chunk in (plan_ids[i:i + 900] for i in range(0, len(plan_ids), 900)):
        for instalment in session.connection().execute(
                _INSTALMENTS, {"owner_id": owner_id, "ids": chunk}):
            rows.instalments.setdefault(instalment.plan_id, []).append(instalment)


def _missed_instalment(invoice: Any, rows: RelatedRows, today: date) -> date | None:
    """The due date of the oldest instalment still unpaid once the payments made since the
    plan cover the earlier ones (instalments are settled in date order)."""
    plan = rows.plans.get(invoice.id or 0)
    if plan is None:
        return None
    covered = sum((p.amount for p in rows.payments.get(invoice.id or 0, ())
                   if p.logged_at >= plan.created_at), Decimal("0"))
    for instalment in sorted(rows.instalments.get(plan.id or 0, ()), key=lambda i: i.due_date):
        covered -= instalment.amount
        if covered < 0:
            return instalment.due_date if instalment.due_date < today else None
    return None


def stated_terms(invoice: Any, client: Any) -> Terms | None:
    """The invoice's payment terms when they give its stored due date: the diagnosis then
    says how it read them ("fin de mois": which of the two methods) and checks the caps."""
    if not invoice.terms:
        return None
    try:
        terms = parse_terms(invoice.terms)
    except InvalidInput:
        return None
    computed = due_date(invoice.invoice_date, terms=terms, delivery_date=invoice.delivery_date,
                        professional_debtor=client.kind is ClientKind.PROFESSIONAL)
    return terms if computed.due == invoice.due_date else None


_DEBTOR = {ClientKind.PROFESSIONAL: DebtorKind.PROFESSIONAL,
           ClientKind.CONSUMER: DebtorKind.CONSUMER}


def case_of_row(invoice: Any, client: Any, creditor_is_merchant: bool | None,
                rows: RelatedRows, today: date) -> InvoiceCase:
    """The legal case of a stored invoice (an `Invoice` or a row with its columns; `client`
    has `kind` and `is_merchant`): payments, steps taken and promises included."""
    key = invoice.id or 0
    promises = rows.promises.get(key, ())
    payments = rows.payments.get(key, ())
    steps = rows.steps.get(key, ())
    terms = stated_terms(invoice, client) if invoice.terms else None
    pending = [p.promised_date for p in promises if p.state is PromiseState.PENDING]
    broken = [p.checked_at.date() for p in promises
              if p.state is PromiseState.BROKEN and p.checked_at]
    status = invoice.status
    return InvoiceCase(
        today=today, amount=invoice.amount, invoice_date=invoice.invoice_date,
        debtor=_DEBTOR[client.kind], delivery_date=invoice.delivery_date,
        due_date=None if terms else invoice.due_date, terms=terms,
        debtor_is_merchant=client.is_merchant,
        creditor_is_merchant=creditor_is_merchant,
        contract_rate=invoice.contract_rate, formal_notice_date=invoice.formal_notice_date,
        payments=tuple(Payment(p.paid_on, p.amount) for p in payments
                       if p.paid_on <= today) if payments else (),
        insolvency_date=invoice.insolvency_date,
        acknowledgments=tuple(p.logged_at.date() for p in promises) if promises else (),
        steps_done=tuple(StepDone(LadderStep(i.ladder_step.value), i.occurred_on)
                         for i in steps if i.ladder_step is not None) if steps else (),
        promised_date=max(pending) if pending else None,
        promise_broken_on=max(broken) if broken else None,
        disputed=status is InvoiceStatus.DISPUTED,
        payment_plan_active=status is InvoiceStatus.PAYMENT_PLAN,
        missed_instalment_on=_missed_instalment(invoice, rows, today) if rows.plans else None,
    )


_VERSIONS = select(_INVOICE.id, _INVOICE.version).where(
    _INVOICE.owner_id == bindparam("owner_id"), _INVOICE.id.in_(bindparam("ids", expanding=True)))


def case_views(ctx: ActionContext, session: Session, owner_id: int,
               invoices: Sequence[Invoice], today: date) -> list[CaseView]:
    """The diagnosis of each of the owner's `invoices` (a handful of queries in all). Kept
    in the session under each invoice's version (changed by the database on any write to
    the invoice, its client or its rows): a turn that re-plans an invoice's nudges, then
    shows it, diagnoses it once."""
    invoices = [i for i in invoices if i.owner_id == owner_id and i.id is not None]
    if not invoices:
        return []
    owner = get_owner(session, owner_id)
    versions: dict[int, int] = {}
    ids = [i.id or 0 for i in invoices]
    for chunk in (ids[i:i + 900] for i in range(0, len(ids), 900)):  # SQLite's bound limit
        versions.update((row[0], row[1]) for row in session.execute(
            _VERSIONS, {"owner_id": owner_id, "ids": chunk}))
    held: dict[tuple[Any, ...], CaseView] = session.info.setdefault("case_views", {})
    keys = [(i.id, versions.get(i.id or 0), today, id(ctx.rates), id(ctx.ladder),
             owner.is_merchant) for i in invoices]
    missing = [(i, key) for i, key in zip(invoices, keys, strict=True) if key not in held]
    if missing:
        client_ids = {i.client_id for i, _ in missing}
        clients = {c: owned(session, Client, owner_id, c) for c in client_ids} if len(
            client_ids) <= 16 else {c.id: c for c in session.exec(orm_select(Client).where(
                Client.owner_id == owner_id, col(Client.id).in_(list(client_ids))))}
        rows = load_related(session, owner_id, [i.id or 0 for i, _ in missing])
        for invoice, key in missing:
            client = clients[invoice.client_id]
            held[key] = CaseView(invoice, client, diagnose(
                case_of_row(invoice, client, owner.is_merchant, rows, today), ctx.rates,
                ctx.ladder), tuple(PendingPromise(p.id, p.amount, p.promised_date)
                                   for p in rows.promises.get(invoice.id or 0, ())
                                   if p.state is PromiseState.PENDING))
    views = [held[key] for key in keys]
    for view in views:  # rows expired since (a refresh elsewhere) are read again now, as a
        for row in (view.invoice, view.client):  # view may be shown once the session is gone
            if inspect(row).expired_attributes:
                session.refresh(row)
    return views


def invoice_case(session: Session, invoice: Invoice, client: Client, today: date) -> InvoiceCase:
    """The legal case of one stored invoice."""
    rows = load_related(session, invoice.owner_id, [invoice.id] if invoice.id else [])
    merchant = get_owner(session, invoice.owner_id).is_merchant
    return case_of_row(invoice, client, merchant, rows, today)


def case_view(ctx: ActionContext, session: Session, invoice: Invoice, today: date) -> CaseView:
    [view] = case_views(ctx, session, invoice.owner_id, [invoice], today)
    return view


def debtor_kind(value: str) -> ClientKind:
    return ClientKind.CONSUMER if value == DebtorKind.CONSUMER.value else ClientKind.PROFESSIONAL


def oldest_open_invoice(session: Session, owner_id: int, client_name: str) -> Invoice | None:
    """The client's unpaid invoice due first (client matched case-insensitively): the one a
    call, a promise, a payment, a plan or a dispute about the client is about."""
    from domain.ledger.clients import name_key

    found = session.execute(_OLDEST_OPEN, {"owner_id": owner_id,
                                           "name_key": name_key(client_name)}).first()
    return None if found is None else found[0]  # (its client held too: the diagnosis's)


# The client is `find_client_by_name`'s (the first with that key), in the same statement.
_OLDEST_OPEN = orm_select(Invoice, Client).join(
    Client, col(Client.id) == col(Invoice.client_id)).where(
    col(Invoice.owner_id) == bindparam("owner_id"),
    col(Invoice.client_id) == select(func.min(_CLIENT.id)).where(
        _CLIENT.owner_id == bindparam("owner_id"),
        _CLIENT.name_key == bindparam("name_key")).scalar_subquery(),
    col(Invoice.status).in_(OPEN_STATUSES)).order_by(col(Invoice.due_date), col(Invoice.id)
                                                     ).limit(1)


def money_text(raw: object) -> Decimal | None:
    """An amount typed by hand ("1 500", "1500,50 €", "1.500,50", "1,800") when no entity
    was found. As the NLU reads amounts: a lone "," or "." followed by exactly three digits
    separates thousands ("1,800" is 1 800 €: it was 1,80 €), by one or two a decimal part."""
    if raw is None:
        return None
    text = str(raw).lower().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    text = text.replace("€", "").replace("euros", "").replace("euro", "").replace("eur", "")
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".") if text.rfind(",") > text.rfind(".") \
            else text.replace(",", "")
    else:
        parts = text.replace(",", ".").split(".")
        if len(parts) > 1 and all(len(group) == 3 for group in parts[1:]):
            text = "".join(parts)  # "1,800", "1.250.000": thousands
        elif len(parts) > 2 or (len(parts) == 2 and len(parts[1]) > 3):
            return None  # "1..2", "1,2345": not an amount in euros
        else:
            text = ".".join(parts)
    try:
        value = Decimal(text)
    except ArithmeticError:
        return None
    if not value.is_finite() or value <= 0 or value > Decimal("1000000000"):
        return None
    return value.quantize(Decimal("0.01"))
