"""The formal notice (mise en demeure, C. civ. 1344; LEGAL.md §8) as a PDF to print and send
by registered letter. The text is `templates/wording/<lang>/formal_notice.txt.j2`, the same
wording the chat gives; the amounts are the diagnosis of `actions.cases.case_view`.

Nothing here imitates a court or bailiff act (C. pén. 433-13): plain letter layout, no
emblem, no seal; the only next step announced is the one the law allows (injonction de payer).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from actions.cases import CaseView, case_views
from actions.context import ActionContext
from actions.documents.errors import DocumentError
from actions.documents.facts import invoice_facts
from actions.documents.pdf import Document, render_text
from domain.ledger import list_invoices
from domain.ledger.enums import InvoiceStatus

SUBJECT_PREFIXES = ("Objet", "Subject")  # the subject line is set in bold


# The client's other invoices a formal notice also demands: chased, not paused by a promise,
# a plan or a dispute (LEGAL.md §8: invoice numbers, dates, due dates, 40 € per invoice).
NOTICE_ALSO = (InvoiceStatus.OPEN, InvoiceStatus.FORMAL_NOTICE_SENT)
#: A [C'est fait]'s "also" naming every other invoice the letter demands on the day it is
#: pressed (a pushed nudge's: its ids may not fit in a button).
ALL_DEMANDED = "*"


def other_overdue(ctx: ActionContext, session: Session, owner_id: int, view: CaseView,
                  today: date) -> dict[str, Any]:
    """What a formal notice says of the client's other overdue invoices: `others` (each
    invoice and its diagnosis, due first first) and `all_total` (all that is claimed)."""
    invoices = [i for i in list_invoices(session, owner_id, statuses=NOTICE_ALSO,
                                         client_id=view.client.id) if i.id != view.invoice.id]
    others = [v for v in case_views(ctx, session, owner_id, invoices, today)
              if v.diagnosis.days_late > 0 and v.diagnosis.total_claimable > 0]
    total = view.diagnosis.total_claimable + sum(
        (v.diagnosis.total_claimable for v in others), Decimal(0))
    return {"others": [{"invoice": {"id": v.invoice.id, "number": v.invoice.number,
                                    "amount": str(v.invoice.amount),
                                    "invoice_date": v.invoice.invoice_date.isoformat(),
                                    "due_date": v.invoice.due_date.isoformat()},
                        "diag": v.diagnosis.to_json()} for v in others],
            "all_total": str(total)}


def other_overdue_of(ctx: ActionContext, session: Session, owner_id: int, invoice_id: int,
                     today: date) -> dict[str, Any]:
    """`other_overdue` for a stored invoice of the owner's."""
    return other_overdue(ctx, session, owner_id,
                         invoice_facts(ctx, session, owner_id, invoice_id, today).view, today)


def formal_notice_text(ctx: ActionContext, session: Session, owner_id: int, invoice_id: int,
                       today: date, lang: str) -> str:
    facts = invoice_facts(ctx, session, owner_id, invoice_id, today)
    diagnosis = facts.view.diagnosis
    if diagnosis.days_late <= 0:  # no demand before the due date has passed
        raise DocumentError("not_yet_due", number=facts.view.invoice.number,
                            due=diagnosis.due.due.isoformat())
    if diagnosis.total_claimable <= 0:
        raise DocumentError("nothing_due", number=facts.view.invoice.number)
    return ctx.wording.render(f"wording/{lang}/formal_notice.txt.j2", lang, {
        **facts.context(ctx, today, lang),
        **other_overdue(ctx, session, owner_id, facts.view, today)})


def formal_notice_pdf(ctx: ActionContext, session: Session, owner_id: int, invoice_id: int,
                      today: date, lang: str) -> bytes:
    """The mise en demeure of one invoice on `today`, in French or English, as PDF bytes.
    `DocumentError` (`not_yet_due`, `nothing_due`) when there is nothing to demand."""
    text = formal_notice_text(ctx, session, owner_id, invoice_id, today, lang)
    subject = next((line for line in text.splitlines() if line.startswith(SUBJECT_PREFIXES)),
                   "Mise en demeure")
    pdf = Document(subject)
    render_text(pdf, text, bold_prefixes=SUBJECT_PREFIXES, size=10.5)
    return bytes(pdf.output())
