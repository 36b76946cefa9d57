"""What every document says about one stored invoice: the owner, the client, the invoice and
its diagnosis on a day, as the plain values templates read. The diagnosis comes from
`actions.cases.case_view` — the same one the chat shows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from actions.cases import CaseView, case_view
from actions.context import ActionContext
from domain.ledger import get_invoice, get_owner
from domain.ledger.models import Owner

_TOWN = re.compile(r"\b\d{5}\s+([^\d,\n]+?)\s*(?:,|$)")  # "…, 69003 Lyon" → "Lyon"


@dataclass(frozen=True)
class InvoiceFacts:
    owner: Owner
    view: CaseView

    def context(self, ctx: ActionContext, today: date, lang: str) -> dict[str, Any]:
        invoice, client, diag = self.view.invoice, self.view.client, self.view.diagnosis
        data = diag.to_json()
        data["warnings"] = [ctx.wording.notice(n, lang) for n in data["notices"]]
        return {
            "today": today.isoformat(),
            "owner": owner_context(self.owner),
            "place": town(self.owner.address),
            "client": {"name": client.name, "kind": client.kind.value,
                       "tone": client.tone.value, "email": client.email or "",
                       "phone": client.phone or "", "address": client.address or ""},
            "invoice": {"id": invoice.id, "number": invoice.number,
                        "amount": str(invoice.amount), "paid": str(invoice.paid_amount),
                        "invoice_date": invoice.invoice_date.isoformat(),
                        "due_date": invoice.due_date.isoformat(), "terms": invoice.terms or "",
                        "status": invoice.status.value,
                        "formal_notice_date": (invoice.formal_notice_date.isoformat()
                                               if invoice.formal_notice_date else "")},
            "diag": data,
            "deadline_days": ctx.ladder.notice_deadline_days,
        }


def owner_context(owner: Owner) -> dict[str, str]:
    fields = ("business_name", "signature", "email", "phone", "address", "iban", "siret")
    return {name: str(getattr(owner, name) or "") for name in fields}


def town(address: str | None) -> str:
    """The town of a French postal address, when it ends with "<postcode> <town>"."""
    if not address:
        return ""
    matches = list(_TOWN.finditer(address.replace("\n", ", ")))
    return matches[-1].group(1).strip() if matches else ""


def invoice_facts(ctx: ActionContext, session: Session, owner_id: int, invoice_id: int,
                  today: date) -> InvoiceFacts:
    """The invoice (owner-scoped: another owner's id raises NotFound) and its diagnosis."""
    invoice = get_invoice(session, owner_id, invoice_id)
    return InvoiceFacts(get_owner(session, owner_id), case_view(ctx, session, invoice, today))
