"""The morning preparation: today's open-invoice lists of the owners with many invoices,
built and remembered before they ask (`actions.triage_memo.LISTS`)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from actions.context import ActionContext
from actions.open_cases import open_cases
from actions.overdue import overdue_totals
from actions.what_now import ranked
from domain.ledger.views import owners_with_open_invoices

#: Owners with fewer open invoices get their lists about as fast when they ask.
PREPARE_MIN_OPEN = 200


def prepare_lists(ctx: ActionContext, session: Session, today: date,
                  min_open: int = PREPARE_MIN_OPEN) -> int:
    """Build and remember today's lists ("quoi faire ?", "mes retards") of the owners with
    at least `min_open` open invoices, with what the two actions work out of them, so that
    their first question of the day is answered from memory; returns how many owners."""
    owners = owners_with_open_invoices(session, min_open)
    for owner_id in owners:
        ranked(open_cases(ctx, session, owner_id, today), today)
        overdue_totals(open_cases(ctx, session, owner_id, today, overdue_only=True))
    return len(owners)
