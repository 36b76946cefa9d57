"""The owner's open invoices as one list, triaged ("quoi faire ?", "mes retards"): read as
plain rows, each invoice's triage remembered (`MEMO`), the whole list remembered until
the owner's ledger changes or the day does (`LISTS`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import CompoundSelect, Select, bindparam, select
from sqlmodel import Session

from actions.cases import (
    RelatedRows,
    case_context,
    case_of_row,
    fill_related,
    load_instalments,
    load_related,
    related_queries,
    related_union,
)
from actions.context import ActionContext
from actions.triage_memo import LISTS, MEMO
from domain.case import InvoiceCase
from domain.diagnosis import Diagnosis, Summary, diagnose
from domain.ledger.access import table_of
from domain.ledger.models import Client, Invoice, Owner
from domain.ledger.views import OPEN_STATUSES

T = TypeVar("T")
#: Below this many invoices a list is read again whole after a write (five queries, each
#: invoice's triage remembered): cheaper than comparing versions first.
REFRESH_FROM = 64


@dataclass(frozen=True)
class _Source:
    """What builds the case of any invoice of one list: its related rows, the day, the
    owner's status."""

    rows: RelatedRows
    creditor_is_merchant: bool | None
    today: date

    def case(self, row: Any) -> InvoiceCase:
        return case_of_row(row, row, self.creditor_is_merchant, self.rows, self.today)


class OpenCase:
    """One open invoice in a list of many: its triage summary ranks and totals it; the full
    diagnosis (routes, notices, wording facts) is built only when a template shows it."""

    __slots__ = ("row", "invoice_id", "summary", "_source", "_ctx", "_diagnosis", "_memo")

    def __init__(self, row: Any, summary: Summary, source: _Source, ctx: ActionContext):
        self.row, self.summary, self._source, self._ctx = row, summary, source, ctx
        self.invoice_id = int(row.id)
        self._diagnosis: Diagnosis | None = None
        self._memo: dict[str, Any] | None = None

    def derive(self, name: str, compute: Callable[[OpenCase], T]) -> T:
        """`compute(self)`, once per case (it may read only the case, whose row carries the
        invoice's version and whose list is the day's): kept when a list is refreshed."""
        if self._memo is None:
            self._memo = {}
        try:
            return self._memo[name]  # type: ignore[no-any-return]
        except KeyError:
            value = self._memo[name] = compute(self)
            return value

    @property
    def diagnosis(self) -> Diagnosis:
        if self._diagnosis is None:  # two threads may both compute it: the same value
            self._diagnosis = diagnose(self._source.case(self.row), self._ctx.rates,
                                       self._ctx.ladder)
        return self._diagnosis

    def template_context(self, lang: str) -> dict[str, Any]:
        row = self.row
        return case_context(row, row.client_name, row.kind.value, row.client_tone.value,
                            self.diagnosis, lang)

    def list_context(self) -> dict[str, Any]:
        """What a line of a list ("what now", the overdue list) shows — amounts due and
        claimable, days late, the next step — read off the triage summary: no full
        diagnosis (the same numbers: tests/actions/test_open_cases.py)."""
        row, summary = self.row, self.summary
        return {
            "invoice": {"id": row.id, "number": row.number, "amount": str(row.amount),
                        "invoice_date": row.invoice_date.isoformat(),
                        "due_date": row.due_date.isoformat(),
                        "status": str(row.status)},
            "client": {"name": row.client_name, "kind": row.kind.value,
                       "tone": row.client_tone.value},
            "diag": {"total_claimable": str(summary.total_claimable),
                     "principal_due": str(summary.principal_due),
                     "penalties": {"total": str(summary.penalties_total),
                                   "due": str(summary.penalties_due)},
                     "days_late": summary.days_late,
                     "next_step": {
                         "step": summary.step.value if summary.step else None,
                         "due_on": summary.step_due_on.isoformat() if summary.step_due_on
                         else None,
                         "pause": summary.pause.value}},
        }


class OpenCases(tuple[OpenCase, ...]):
    """An owner's open invoices on a day, oldest due date first. Shared by every turn that
    asks again before the ledger changes: read-only, and what an action works out of the
    whole list (a ranking, totals) is kept with it (`derive`)."""

    _derived: dict[str, Any]

    def __new__(cls, cases: Iterable[OpenCase]) -> OpenCases:
        made = super().__new__(cls, cases)
        made._derived = {}
        return made

    @property
    def by_id(self) -> dict[int, OpenCase]:
        return self.derive("by_id", lambda cases: {c.invoice_id: c for c in cases})

    def derive(self, name: str, compute: Callable[[OpenCases], T]) -> T:
        """`compute(self)`, once per list (`name` says what it is; it may read only the
        list, whose key already holds the owner, the day and the ledger version)."""
        try:
            return self._derived[name]  # type: ignore[no-any-return]
        except KeyError:
            value = self._derived[name] = compute(self)
            return value


_INVOICE_TABLE, _CLIENT_TABLE = table_of(Invoice), table_of(Client)
_INVOICE, _CLIENT = _INVOICE_TABLE.c, _CLIENT_TABLE.c
_OWNER = table_of(Owner).c
_OWNER_STATE = select(_OWNER.ledger_version, _OWNER.is_merchant).where(
    _OWNER.id == bindparam("owner_id"))


@lru_cache(maxsize=2)
def _open_queries(overdue_only: bool) -> tuple[Select[Any], CompoundSelect[Any],
                                               Select[Any], Select[Any]]:
    """The open invoices of an owner (with their clients), their related rows, their (id,
    version) pairs, and those of some ids; built once (bound: owner_id, today, ids)."""
    inv, cl = _INVOICE, _CLIENT
    owner: Any = bindparam("owner_id")
    where = [inv.owner_id == owner, inv.status.in_(OPEN_STATUSES)]
    if overdue_only:
        where.append(inv.due_date < bindparam("today"))
    invoices = (select(inv.id, inv.version, inv.number, inv.amount, inv.invoice_date,
                       inv.delivery_date, inv.due_date, inv.terms, inv.contract_rate, inv.formal_notice_date,
                       inv.insolvency_date, inv.status, cl.name.label("client_name"), cl.kind,
                       cl.is_merchant, cl.tone.label("client_tone"))
                .join(_CLIENT_TABLE, (cl.id == inv.client_id) & (cl.owner_id == owner))
                .where(*where).order_by(inv.due_date, inv.id))
    related = related_union({
        name: query.join(_INVOICE_TABLE, _INVOICE.id == query.selected_columns[0]).where(*where)
        for name, query in related_queries().items()})
    versions = select(inv.id, inv.version).where(*where).order_by(inv.due_date, inv.id)
    some = invoices.where(inv.id.in_(bindparam("ids", expanding=True)))
    return invoices, related, versions, some


def open_cases(ctx: ActionContext, session: Session, owner_id: int, today: date, *,
               overdue_only: bool = False) -> OpenCases:
    """Every invoice of the owner still to chase (`overdue_only`: past its due date),
    triaged, oldest due date first. The owner's ledger version is read first: rows read
    after it are at least as new, so a list kept under it is never older than it says.
    After a write, the list starts from the newest one of the day: only the invoices whose
    version changed are read and triaged again."""
    params = {"owner_id": owner_id, "today": today}
    connection = session.connection()
    state = connection.execute(_OWNER_STATE, params).one_or_none()
    if state is None:
        return OpenCases(())
    version, creditor_is_merchant = state
    base = (owner_id, creditor_is_merchant, today, overdue_only)
    key = (version, *base)
    known = LISTS.get(key, ctx.rates, ctx.ladder)
    if known is not None:
        return known  # type: ignore[return-value]
    previous: OpenCases | None = LISTS.latest(base, ctx.rates, ctx.ladder)  # type: ignore[assignment]
    cases = None if previous is None or len(previous) < REFRESH_FROM else _refreshed(
        ctx, session, params, creditor_is_merchant, overdue_only, previous)
    if cases is None:
        cases = OpenCases(_triaged(ctx, session, params, creditor_is_merchant, overdue_only))
    LISTS.put(key, base, ctx.rates, ctx.ladder, cases)
    return cases


def _refreshed(ctx: ActionContext, session: Session, params: dict[str, Any],
               creditor_is_merchant: bool | None, overdue_only: bool, previous: OpenCases
               ) -> OpenCases | None:
    """The list again from `previous` (same owner, day and kind), reading again only the
    invoices whose version changed; None when most did (a whole read is then cheaper)."""
    _, _, versions, _ = _open_queries(overdue_only)
    pairs = session.connection().execute(versions, params).all()
    old = previous.by_id
    changed = [i for i, v in pairs if (case := old.get(i)) is None or case.row.version != v]
    if len(changed) * 2 > len(pairs):
        return None
    fresh = {c.invoice_id: c for c in _triaged(ctx, session, params, creditor_is_merchant,
                                               overdue_only, changed)} if changed else {}
    again = set(changed)
    cases = []
    for invoice_id, _ in pairs:
        case = fresh.get(invoice_id) if invoice_id in again else old[invoice_id]
        if case is not None:  # None: closed between the two reads
            cases.append(case)
    return OpenCases(cases)


def _triaged(ctx: ActionContext, session: Session, params: dict[str, Any],
             creditor_is_merchant: bool | None, overdue_only: bool,
             ids: list[int] | None = None) -> list[OpenCase]:
    """The open invoices (all, or those of `ids`) with their triage summaries."""
    invoices_query, related, _, some = _open_queries(overdue_only)
    connection = session.connection()
    if ids is None:
        invoices = connection.execute(invoices_query, params).all()
    else:
        invoices = [row for chunk in (ids[i:i + 900] for i in range(0, len(ids), 900))
                    for row in connection.execute(some, {**params, "ids": chunk})]
    if not invoices:
        return []
    today = params["today"]
    if ids is None:
        rows = RelatedRows()
        fill_related(session, related, params, rows)
        load_instalments(session, params["owner_id"], rows)
    else:
        rows = load_related(session, params["owner_id"], ids)

    # The row carries the invoice's version, which the database changes with any write to
    # the invoice, its client or its related rows: it stands for them in the key.
    keys = [(tuple(row), creditor_is_merchant, today) for row in invoices]
    source = _Source(rows, creditor_is_merchant, today)
    summaries = MEMO.summaries(keys, lambda i: source.case(invoices[i]), ctx.rates, ctx.ladder)
    return [OpenCase(row, summary, source, ctx)
            for row, summary in zip(invoices, summaries, strict=True)]

