"""The evidence file of one invoice: its facts, every logged event in date order (ledger
`invoice_history`), totals, the diagnosis on the export day and the documents to gather for
the legal route (`domain.routes.DOCUMENTS_*`), as a PDF and as a CSV."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from actions.context import ActionContext
from actions.documents.facts import InvoiceFacts, invoice_facts
from actions.documents.labels import event_text, labels, language
from actions.documents.pdf import Document, render_text
from actions.documents.sheets import csv_bytes, day, number
from domain.diagnosis import Diagnosis
from domain.ledger import HistoryEntry, HistoryKind, invoice_history
from domain.money import ZERO
from domain.routes import DOCUMENTS_ORDER_FOR_PAYMENT, DOCUMENTS_SMALL_CLAIMS, DOCUMENTS_UNCONTESTED


class LegalRoute(StrEnum):
    ORDER_FOR_PAYMENT = "order_for_payment"  # injonction de payer, CPC 1405 s.
    SMALL_CLAIMS = "small_claims"  # petites créances, CPCE L125-1
    UNCONTESTED = "uncontested"  # créances commerciales incontestées, CPCE L126-1


DOCUMENTS = {
    LegalRoute.ORDER_FOR_PAYMENT: DOCUMENTS_ORDER_FOR_PAYMENT,
    LegalRoute.SMALL_CLAIMS: DOCUMENTS_SMALL_CLAIMS,
    LegalRoute.UNCONTESTED: DOCUMENTS_UNCONTESTED,
}


def suggested_route(diagnosis: Diagnosis) -> LegalRoute:
    """The route the diagnosis opens: L126 between merchants, else small claims under the
    ceiling, else the order for payment (always open for a claim with a contractual cause)."""
    if diagnosis.uncontested_claim:
        return LegalRoute.UNCONTESTED
    if diagnosis.small_claims.eligible is True:
        return LegalRoute.SMALL_CLAIMS
    return LegalRoute.ORDER_FOR_PAYMENT


def _event(entry: HistoryEntry) -> dict[str, Any]:
    return {"on": entry.on.isoformat(), "kind": entry.kind.value, "amount": entry.amount,
            "state": entry.state, "channel": entry.channel.value if entry.channel else None,
            "outcome": entry.outcome.value if entry.outcome else None,
            "step": entry.step.value if entry.step else None,
            "note": " ".join(entry.note.split()) if entry.note else None,
            "due": entry.due.isoformat() if entry.due else None}


def _events(facts: InvoiceFacts, history: list[HistoryEntry]) -> list[dict[str, Any]]:
    invoice = facts.view.invoice
    base = {"amount": None, "state": None, "channel": None, "outcome": None, "step": None,
            "due": None}
    opening: list[dict[str, Any]] = [{**base, "on": invoice.invoice_date.isoformat(), "kind": "invoice",
                "amount": invoice.amount, "note": invoice.number},
               {**base, "on": invoice.due_date.isoformat(), "kind": "due", "note": None}]
    return sorted(opening + [_event(e) for e in history], key=lambda e: str(e["on"]))


def _totals(history: list[HistoryEntry]) -> dict[str, Any]:
    def of(kind: HistoryKind) -> list[HistoryEntry]:
        return [e for e in history if e.kind is kind]

    promises = of(HistoryKind.PROMISE)
    return {"payments": len(of(HistoryKind.PAYMENT)),
            "paid": sum((e.amount or ZERO for e in of(HistoryKind.PAYMENT)), ZERO),
            "promises": len(promises), "broken": sum(e.state == "broken" for e in promises),
            "promised": sum((e.amount or ZERO for e in promises), ZERO),
            "interactions": len(of(HistoryKind.INTERACTION))}


def dossier_context(ctx: ActionContext, session: Session, owner_id: int, invoice_id: int,
                    today: date, lang: str, route: LegalRoute | None = None) -> dict[str, Any]:
    facts = invoice_facts(ctx, session, owner_id, invoice_id, today)
    history = invoice_history(session, owner_id, invoice_id)
    chosen = route or suggested_route(facts.view.diagnosis)
    return {**facts.context(ctx, today, language(lang)), "events": _events(facts, history),
            "totals": _totals(history), "route": chosen.value,
            "documents": list(DOCUMENTS[chosen])}


def dossier_pdf(ctx: ActionContext, session: Session, owner_id: int, invoice_id: int,
                today: date, lang: str, route: LegalRoute | None = None) -> bytes:
    """The evidence file as a PDF (facts, timeline, totals, situation, checklist)."""
    lang = language(lang)
    context = dossier_context(ctx, session, owner_id, invoice_id, today, lang, route)
    text = ctx.wording.render(f"documents/{lang}/dossier.txt.j2", lang, context)
    pdf = Document(text.splitlines()[0].lstrip("# "), context["invoice"]["number"])
    render_text(pdf, text, size=10)
    return bytes(pdf.output())


def dossier_csv(ctx: ActionContext, session: Session, owner_id: int, invoice_id: int,
                today: date, lang: str, route: LegalRoute | None = None) -> bytes:
    """The timeline as CSV rows (date, event, detail, amount, state), then the situation."""
    lang = language(lang)
    context = dossier_context(ctx, session, owner_id, invoice_id, today, lang, route)
    module = labels(ctx, lang)
    rows = [[day(date.fromisoformat(e["on"]), lang), module.events[e["kind"]],
             event_text(module, e, lang), number(e["amount"], lang),
             module.states.get(e["state"], "") if e["state"] else ""]
            for e in context["events"]]
    diag = context["diag"]
    situation = module.events["situation"]
    step = diag["next_step"]["step"]
    for key, value in (("days_late", str(max(diag["days_late"], 0))),
                       ("principal_due", number(Decimal(diag["principal_due"]), lang)),
                       ("penalties_due", number(Decimal(diag["penalties"]["due"]), lang)),
                       ("indemnity", number(Decimal(diag["indemnity"]), lang)),
                       ("total", number(Decimal(diag["total_claimable"]), lang))):
        rows.append([day(today, lang), situation, module.situation[key], value, ""])
    rows.append([day(today, lang), situation, module.situation["next_step"],
                 "", module.steps[step] if step else module.pauses[diag["next_step"]["pause"]]])
    return csv_bytes(module.dossier_columns, rows, lang)
