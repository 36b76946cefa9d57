"""The formal notice (mise en demeure, C. civ. 1344; LEGAL.md §8) as a PDF to print and send
by registered letter. The text is `templates/wording/<lang>/formal_notice.txt.j2`, the same
wording the chat gives; the amounts are the diagnosis of `actions.cases.case_view`.

Nothing here imitates a court or bailiff act (C. pén. 433-13): plain letter layout, no
emblem, no seal; the only next step announced is the one the law allows (injonction de payer).
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from actions.context import ActionContext
from actions.documents.errors import DocumentError
from actions.documents.facts import invoice_facts
from actions.documents.pdf import Document, render_text

SUBJECT_PREFIXES = ("Objet", "Subject")  # the subject line is set in bold


def formal_notice_text(ctx: ActionContext, session: Session, owner_id: int, invoice_id: int,
                       today: date, lang: str) -> str:
    facts = invoice_facts(ctx, session, owner_id, invoice_id, today)
    diagnosis = facts.view.diagnosis
    if diagnosis.days_late <= 0:  # no demand before the due date has passed
        raise DocumentError("not_yet_due", number=facts.view.invoice.number,
                            due=diagnosis.due.due.isoformat())
    if diagnosis.total_claimable <= 0:
        raise DocumentError("nothing_due", number=facts.view.invoice.number)
    return ctx.wording.render(f"wording/{lang}/formal_notice.txt.j2", lang,
                              facts.context(ctx, today, lang))


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
