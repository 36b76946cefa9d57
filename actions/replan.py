"""After every change of an invoice, its pending nudges follow at once (paid: cancelled;
promise logged: checked the day after; dispute: ladder paused...)."""

from __future__ import annotations

from rasa_sdk import Tracker
from sqlmodel import Session

from actions.context import current
from actions.nudge_planner import replan_invoice


def replan(session: Session, owner_id: int, invoice_id: int | None, tracker: Tracker) -> None:
    """Re-plan the invoice's nudges in the same transaction as the change."""
    if invoice_id is not None:
        ctx = current()
        replan_invoice(ctx, session, owner_id, invoice_id, ctx.now(tracker))
