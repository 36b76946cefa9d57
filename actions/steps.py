"""Recording that a ladder step was taken (the channel it uses, a formal notice's date)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from actions.context import ActionContext
from domain.ladder import LadderStep
from domain.ledger import log_interaction, set_invoice_status
from domain.ledger.enums import ContactChannel, InvoiceStatus, Outcome

CHANNEL_OF = {"call": ContactChannel.CALL, "email": ContactChannel.EMAIL,
              "letter": ContactChannel.LETTER}


def record_step(ctx: ActionContext, session: Session, owner_id: int, invoice_id: int,
                step: LadderStep, on: date) -> None:
    """Log the step as an interaction; a mise en demeure also dates the invoice's notice
    (legal interest of a consumer runs from it, C. civ. 1231-6)."""
    channel = CHANNEL_OF.get(ctx.ladder.rule(step).channel, ContactChannel.LETTER)
    log_interaction(session, owner_id, invoice_id, on, channel, Outcome.OTHER, ladder_step=step)
    if step is LadderStep.FORMAL_NOTICE:
        set_invoice_status(session, owner_id, invoice_id, InvoiceStatus.FORMAL_NOTICE_SENT,
                           on=on)
    elif step in (LadderStep.THIRD_PARTY, LadderStep.ORDER_FOR_PAYMENT):
        set_invoice_status(session, owner_id, invoice_id, InvoiceStatus.LEGAL_ROUTE)
