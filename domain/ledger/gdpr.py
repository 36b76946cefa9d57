"""What the GDPR asks of the ledger: export everything about an owner, or erase it all."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, SQLModel, col, select

from domain.ledger.models import (
    Client,
    ConversationState,
    Instalment,
    Interaction,
    Invoice,
    Nudge,
    Owner,
    Payment,
    PaymentPlan,
    Promise,
)
from domain.ledger.owners import get_owner

#: Children first: the order in which an owner's rows can be deleted under foreign keys.
OWNED_TABLES: tuple[type[SQLModel], ...] = (
    Nudge,
    Instalment,
    PaymentPlan,
    Promise,
    Payment,
    Interaction,
    Invoice,
    Client,
    ConversationState,
)
_EXPORT_NAMES = {
    Client: "clients",
    Invoice: "invoices",
    Interaction: "interactions",
    Promise: "promises",
    Payment: "payments",
    PaymentPlan: "payment_plans",
    Instalment: "instalments",
    Nudge: "nudges",
    ConversationState: "conversation",
}


def erase_owner(session: Session, owner_id: int) -> dict[str, int]:
    """Delete every row of the owner, the owner included, in the caller's transaction.

    Returns the number of rows deleted per table. (Processed Telegram update ids carry no
    personal data and belong to no owner: they are not touched.)
    """
    get_owner(session, owner_id)  # NotFound for an unknown owner
    counts: dict[str, int] = {}
    for model in OWNED_TABLES:
        column: Any = getattr(model, "owner_id")  # noqa: B009
        result = session.connection().execute(delete(model).where(column == owner_id))
        counts[_EXPORT_NAMES[model]] = int(result.rowcount)
    result = session.connection().execute(delete(Owner).where(col(Owner.id) == owner_id))
    counts["owner"] = int(result.rowcount)
    session.expunge_all()
    return counts


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _row(row: SQLModel) -> dict[str, Any]:
    return {name: _plain(value) for name, value in row.model_dump().items()}


def export_owner(session: Session, owner_id: int) -> dict[str, Any]:
    """Everything stored about the owner, JSON-serialisable (Decimal as str, dates in ISO).
    As stored: rows the session already holds are read again (the database normalises
    amounts and its triggers keep versions)."""
    owner = get_owner(session, owner_id)
    session.refresh(owner)
    export: dict[str, Any] = {"owner": _row(owner)}
    for model in reversed(OWNED_TABLES):
        column: Any = getattr(model, "owner_id")  # noqa: B009
        ordering: Any = getattr(model, "id")  # noqa: B009
        rows = session.exec(select(model).where(column == owner_id).order_by(ordering)
                            .execution_options(populate_existing=True))
        export[_EXPORT_NAMES[model]] = [_row(r) for r in rows]
    return export
