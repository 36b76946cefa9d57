"""Nudges: rows scheduled by the dialogue, claimed by the dispatcher with a lease, then marked sent.

Claiming is one statement (UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED)
RETURNING): several workers share the load on PostgreSQL without claiming a row twice, and
on SQLite the same statement, compiled without FOR UPDATE, is atomic by itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Engine, and_, func, or_, update
from sqlmodel import Session, col, select

from domain.ledger.access import as_stored, dialect_insert, insert_for, owned, table_of
from domain.ledger.db import unit_of_work
from domain.ledger.enums import NudgeKind, NudgeState
from domain.ledger.errors import NotFound
from domain.ledger.models import Invoice, Nudge

_REPLANNABLE = (NudgeState.PENDING, NudgeState.CANCELLED, NudgeState.FAILED)


def schedule_nudge(
    session: Session,
    owner_id: int,
    kind: NudgeKind,
    due_at: datetime,
    *,
    invoice_id: int | None = None,
    payload: Mapping[str, Any] | None = None,
    dedupe_key: str | None = None,
) -> Nudge:
    """Plan a nudge, or move the one already planned under the same dedupe key.

    A pending (or cancelled, or failed) nudge is re-planned; one being sent or already sent
    is returned untouched: re-scheduling never duplicates a message nor resurrects it.
    """
    kind = NudgeKind(kind)
    if invoice_id is not None:
        owned(session, Invoice, owner_id, invoice_id)
    key = dedupe_key or f"{kind.value}:{invoice_id if invoice_id is not None else '-'}"
    values = {
        "owner_id": owner_id,
        "invoice_id": invoice_id,
        "kind": kind,
        "due_at": due_at,
        "payload": dict(payload or {}),
    }
    insert = dialect_insert(session, table_of(Nudge)).values(
        **values, dedupe_key=key, state=NudgeState.PENDING, attempts=0
    )
    session.execute(insert.on_conflict_do_nothing(index_elements=["owner_id", "dedupe_key"]))
    query = select(Nudge).where(Nudge.owner_id == owner_id, Nudge.dedupe_key == key)
    nudge = session.exec(query.with_for_update().execution_options(populate_existing=True)).one()
    if nudge.state in _REPLANNABLE:
        nudge.invoice_id = invoice_id
        move_nudge(nudge, kind, due_at, payload or {})
        session.add(nudge)
        session.flush()
    return nudge


def move_nudge(nudge: Nudge, kind: NudgeKind, due_at: datetime,
               payload: Mapping[str, Any]) -> None:
    """Re-plan a pending, cancelled or failed nudge in place (pending again, from scratch);
    the caller holds its row (locked) and flushes."""
    if nudge.state not in _REPLANNABLE:
        raise ValueError(f"nudge {nudge.id} is {nudge.state.value}: it cannot be moved")
    nudge.kind, nudge.due_at, nudge.payload = NudgeKind(kind), due_at, dict(payload)
    if nudge.state is not NudgeState.PENDING:
        nudge.state, nudge.attempts, nudge.last_error = NudgeState.PENDING, 0, None


class PlannedNudge(NamedTuple):
    kind: NudgeKind
    due_at: datetime
    payload: Mapping[str, Any]
    dedupe_key: str


@lru_cache(maxsize=2)
def _insert_nudges(dialect: str) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING, built once: run with a list of rows,
    SQLAlchemy sends them as one multi-row statement ("insertmanyvalues")."""
    table = table_of(Nudge)
    return (insert_for(dialect, table)
            .on_conflict_do_nothing(index_elements=["owner_id", "dedupe_key"])
            .returning(table.c.id, table.c.dedupe_key))


def add_nudges(session: Session, owner_id: int, invoice_id: int,
               planned: Sequence[PlannedNudge]) -> list[Nudge]:
    """Nudges under keys the invoice does not have yet, inserted in one statement. A key
    another worker planned meanwhile is left to `schedule_nudge`, which moves that row
    rather than duplicating it. The caller has checked that the invoice is the owner's."""
    if not planned:
        return []
    rows: list[dict[str, Any]] = [
        {"owner_id": owner_id, "invoice_id": invoice_id, "kind": item.kind,
         "due_at": item.due_at.astimezone(UTC), "payload": dict(item.payload),
         "dedupe_key": item.dedupe_key, "state": NudgeState.PENDING, "attempts": 0}
        for item in planned]
    connection = session.connection()
    inserted = {row.dedupe_key: row.id for row in connection.execute(
        _insert_nudges(connection.dialect.name), rows[0] if len(rows) == 1 else rows)}
    added = [as_stored(session, Nudge, {**values, "id": inserted[values["dedupe_key"]]})
             for values in rows if values["dedupe_key"] in inserted]  # as written, not re-read
    return added + [schedule_nudge(session, owner_id, item.kind, item.due_at,
                                   invoice_id=invoice_id, payload=item.payload,
                                   dedupe_key=item.dedupe_key)
                    for item in planned if item.dedupe_key not in inserted]


def claim_due_nudges(
    target: Session | Engine, now: datetime, worker_id: str, limit: int, lease_seconds: float,
    *, owner_ids: Sequence[int] | None = None,
) -> list[Nudge]:
    """Claim up to `limit` due nudges (all owners, or only `owner_ids`) for `worker_id`,
    leased until now + lease.

    Expired leases are claimed again (their worker died). Given an Engine, the claim is its
    own short transaction, which is what a dispatcher wants. A dispatcher claims a batch,
    then the other due nudges of the same owners, so that one owner's late nudges leave as
    one message.
    """
    if isinstance(target, Engine):
        with unit_of_work(target) as session:
            return claim_due_nudges(session, now, worker_id, limit, lease_seconds,
                                    owner_ids=owner_ids)
    due = (
        select(col(Nudge.id))
        .where(
            or_(
                and_(col(Nudge.state) == NudgeState.PENDING, col(Nudge.due_at) <= now),
                and_(col(Nudge.state) == NudgeState.CLAIMED, col(Nudge.claimed_until) < now),
            )
        )
    )
    if owner_ids is not None:
        due = due.where(col(Nudge.owner_id).in_(list(owner_ids)))
    due = (
        due.order_by(col(Nudge.due_at), col(Nudge.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    statement = (
        update(Nudge)
        .where(col(Nudge.id).in_(due.scalar_subquery()))
        .values(
            state=NudgeState.CLAIMED,
            claimed_until=now + timedelta(seconds=lease_seconds),
            claimed_by=worker_id,
            attempts=col(Nudge.attempts) + 1,
        )
        .returning(Nudge)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    claimed = list(target.execute(statement).scalars())
    return sorted(claimed, key=lambda n: (n.due_at, n.id or 0))


def _finish(
    session: Session, owner_id: int, nudge_id: int, worker_id: str, values: Mapping[str, Any]
) -> bool:
    statement = (
        update(Nudge)
        .where(
            col(Nudge.id) == nudge_id,
            col(Nudge.owner_id) == owner_id,
            col(Nudge.state) == NudgeState.CLAIMED,
            col(Nudge.claimed_by) == worker_id,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    done = session.connection().execute(statement).rowcount == 1
    if not done:
        owned(session, Nudge, owner_id, nudge_id)  # NotFound for a missing or foreign nudge
    session.expire_all()
    return done


def mark_sent(session: Session, owner_id: int, nudge_id: int, worker_id: str, now: datetime) -> bool:
    """Record the send; False when this worker no longer holds the claim (lease lost)."""
    values = {"state": NudgeState.SENT, "sent_at": now, "claimed_until": None, "last_error": None}
    return _finish(session, owner_id, nudge_id, worker_id, values)


def mark_failed(
    session: Session,
    owner_id: int,
    nudge_id: int,
    worker_id: str,
    error: str,
    retry_at: datetime | None,
) -> bool:
    """Record a failed send: pending again at `retry_at`, or failed for good without one."""
    values: dict[str, Any] = {"last_error": error[:500], "claimed_until": None, "claimed_by": None}
    if retry_at is None:
        values["state"] = NudgeState.FAILED
    else:
        values.update(state=NudgeState.PENDING, due_at=retry_at)
    return _finish(session, owner_id, nudge_id, worker_id, values)


def release(session: Session, owner_id: int, nudge_id: int, worker_id: str) -> bool:
    """Give a claimed nudge back unsent (e.g. quiet hours started); it is due again at once."""
    values = {"state": NudgeState.PENDING, "claimed_until": None, "claimed_by": None}
    return _finish(session, owner_id, nudge_id, worker_id, values)


def cancel_pending_for_invoice(
    session: Session, owner_id: int, invoice_id: int, kinds: Iterable[NudgeKind] | None = None
) -> int:
    """Cancel the invoice's pending nudges (of `kinds`, or all); returns how many."""
    owned(session, Invoice, owner_id, invoice_id)
    statement = update(Nudge).where(
        col(Nudge.owner_id) == owner_id,
        col(Nudge.invoice_id) == invoice_id,
        col(Nudge.state) == NudgeState.PENDING,
    )
    if kinds is not None:
        statement = statement.where(col(Nudge.kind).in_([NudgeKind(k) for k in kinds]))
    statement = statement.values(state=NudgeState.CANCELLED)
    count = session.connection().execute(statement).rowcount
    session.expire_all()
    return count


def snooze(session: Session, owner_id: int, nudge_id: int, new_due_at: datetime) -> Nudge:
    """Move a pending nudge to `new_due_at` (a claimed, sent or cancelled one stays as it is)."""
    nudge = owned(session, Nudge, owner_id, nudge_id, lock=True)
    if nudge.state is NudgeState.PENDING:
        nudge.due_at = new_due_at
        session.add(nudge)
        session.flush()
    return nudge


def get_nudge(session: Session, owner_id: int, nudge_id: int) -> Nudge:
    return owned(session, Nudge, owner_id, nudge_id)


def pending_for_owner(session: Session, owner_id: int) -> list[Nudge]:
    query = select(Nudge).where(Nudge.owner_id == owner_id, Nudge.state == NudgeState.PENDING)
    return list(session.exec(query.order_by(col(Nudge.due_at), col(Nudge.id))))


def next_due_at(session: Session) -> datetime | None:
    """When the dispatcher should wake next: the earliest pending nudge or expiring lease."""
    pending = select(func.min(Nudge.due_at)).where(Nudge.state == NudgeState.PENDING)
    leases = select(func.min(Nudge.claimed_until)).where(Nudge.state == NudgeState.CLAIMED)
    instants = [session.exec(pending).one(), session.exec(leases).one()]
    found = [i for i in instants if i is not None]
    return min(found) if found else None


__all__ = [
    "NotFound",
    "cancel_pending_for_invoice",
    "claim_due_nudges",
    "get_nudge",
    "mark_failed",
    "mark_sent",
    "next_due_at",
    "pending_for_owner",
    "release",
    "schedule_nudge",
    "snooze",
]
