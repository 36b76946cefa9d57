"""The embedded runner's tracker per owner, and Telegram update de-duplication."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from domain.ledger.access import dialect_insert, table_of, utc_now
from domain.ledger.models import ConversationState, ProcessedUpdate


@dataclass(frozen=True, slots=True)
class Conversation:
    events: list[dict[str, Any]] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)
    active_loop: str | None = None


def load_conversation(session: Session, owner_id: int) -> Conversation:
    """The owner's tracker, or an empty one for a new conversation."""
    query = select(ConversationState).where(ConversationState.owner_id == owner_id)
    row = session.exec(query).first()
    if row is None:
        return Conversation()
    return Conversation(list(row.events), dict(row.slots), row.active_loop)


def save_conversation(
    session: Session,
    owner_id: int,
    events: Sequence[Mapping[str, Any]],
    slots: Mapping[str, Any],
    active_loop: str | None,
    *,
    now: datetime | None = None,
) -> None:
    """Replace the owner's tracker (events must be JSON-serialisable Rasa event dicts)."""
    values = {
        "events": [dict(event) for event in events],
        "slots": dict(slots),
        "active_loop": active_loop,
        "updated_at": now or utc_now(),
    }
    insert = dialect_insert(session, table_of(ConversationState)).values(owner_id=owner_id, **values)
    upsert = insert.on_conflict_do_update(index_elements=["owner_id"], set_=values)
    session.execute(upsert)
    session.expire_all()


def record_update_processed(session: Session, update_id: int, *, now: datetime | None = None) -> bool:
    """Remember a Telegram update id; False if it was already processed (a redelivery)."""
    insert = dialect_insert(session, table_of(ProcessedUpdate)).values(
        update_id=update_id, processed_at=now or utc_now()
    )
    # RETURNING, not rowcount: psycopg reports -1 for INSERT ... ON CONFLICT DO NOTHING.
    statement = insert.on_conflict_do_nothing(index_elements=["update_id"]).returning(
        table_of(ProcessedUpdate).c.update_id
    )
    return session.execute(statement).first() is not None


def forget_processed_updates(session: Session, before: datetime) -> int:
    """Drop update ids older than `before` (Telegram never redelivers after 24 hours)."""
    result = session.connection().execute(
        delete(ProcessedUpdate).where(col(ProcessedUpdate.processed_at) < before)
    )
    return int(result.rowcount)
