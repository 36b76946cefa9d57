"""Claimed nudges → Replies: the texts from `templates/nudges/<lang>/`, the buttons' payloads.

Rendering reads the invoice and client as they are now (the payload only says what was
planned), so a renamed client or a partial payment shows. Several nudges of one owner make
one message (coalesced); the digest always goes alone. A client's formal-notice nudges due
together make one item, as one letter demands all that client owes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from babel.dates import format_date
from markupsafe import Markup
from sqlmodel import Session, col, select

from actions.context import ActionContext
from actions.documents.letter import ALL_DEMANDED, other_overdue_of
from actions.wording import locale_of
from bot.nudges.digest import digest_context
from bot.nudges.sender import OwnerChat
from bot.replies import Button, Reply
from domain.errors import DomainError
from domain.ladder import LadderStep
from domain.ledger import LedgerError
from domain.ledger.enums import NudgeKind
from domain.ledger.models import Client, Invoice, Nudge
from domain.nudge_timing import local_day

#: ButtonCodec sends a payload inline as "p:" + payload in 64 bytes of callback_data.
MAX_PAYLOAD_BYTES = 62


def payload(intent: str, **slots: Any) -> str:
    """A Rasa-style button payload, `/intent{"slot":value}`, compact and short enough."""
    text = f"/{intent}{json.dumps(slots, separators=(',', ':'), ensure_ascii=False)}"
    if len(text.encode()) > MAX_PAYLOAD_BYTES:
        raise ValueError(f"button payload over {MAX_PAYLOAD_BYTES} bytes: {text}")
    return text


@dataclass(frozen=True)
class Notice:
    """A formal-notice nudge's letter: the client's other invoices it also demands, and
    the same client's formal-notice nudges sent with it."""

    also: list[str]
    carried: list[Nudge]


def _formal_notice(nudge: Nudge) -> bool:
    return (nudge.kind is NudgeKind.LADDER_STEP and nudge.invoice_id is not None
            and nudge.payload.get("step") == LadderStep.FORMAL_NOTICE.value)


@dataclass(frozen=True)
class Message:
    """One message to send and the nudges it carries (marked sent together)."""

    nudges: tuple[Nudge, ...]
    reply: Reply


class Composer:
    def __init__(self, ctx: ActionContext, coalesce_max: int = 5) -> None:
        self.ctx = ctx
        self.coalesce_max = max(1, coalesce_max)

    def messages(self, session: Session, owner: OwnerChat, nudges: Sequence[Nudge],
                 now: datetime) -> list[Message]:
        lang = owner.language if owner.language in ("fr", "en") else "fr"
        today = local_day(now, owner.timezone)
        invoices = _invoices(session, owner.owner_id, nudges)
        out: list[Message] = []
        items = [n for n in nudges if n.kind is not NudgeKind.DIGEST]
        items, notices = self._one_notice_per_client(session, owner.owner_id, items, today)
        for start in range(0, len(items), self.coalesce_max):
            chunk = items[start:start + self.coalesce_max]
            out.append(self._message(chunk, invoices, notices, lang, today))
        for nudge in nudges:
            if nudge.kind is NudgeKind.DIGEST:
                context = digest_context(self.ctx, session, owner.owner_id, today, lang)
                text = self._render("digest", lang, context)
                buttons = (Button(self._title("what_now", lang), "/what_now"),)
                out.append(Message((nudge,), Reply(text, buttons)))
        return out

    def _one_notice_per_client(self, session: Session, owner_id: int, items: list[Nudge],
                               today: date) -> tuple[list[Nudge], dict[int, Notice]]:
        """One formal notice demands all the client owes (actions.documents.letter): of a
        client's formal-notice nudges due together, the first says so and carries the others
        (sent, and so marked, with it)."""
        notices: dict[int, Notice] = {}
        by_invoice: dict[int, Notice] = {}
        kept: list[Nudge] = []
        for nudge in items:
            if not _formal_notice(nudge):
                kept.append(nudge)
                continue
            assert nudge.invoice_id is not None and nudge.id is not None
            first = by_invoice.get(nudge.invoice_id)
            if first is not None:
                first.carried.append(nudge)
                continue
            try:
                others = other_overdue_of(self.ctx, session, owner_id, nudge.invoice_id,
                                          today)["others"]
            except (DomainError, LedgerError):
                others = []
            notice = Notice([o["invoice"]["number"] for o in others], [])
            notices[nudge.id] = notice
            by_invoice.update((o["invoice"]["id"], notice) for o in others)
            kept.append(nudge)
        return kept, notices

    def _message(self, chunk: Sequence[Nudge], invoices: dict[int, tuple[Invoice, Client]],
                 notices: dict[int, Notice], lang: str, today: date) -> Message:
        single = len(chunk) == 1
        texts, buttons, carried = [], [], []
        for nudge in chunk:
            item = _item(nudge, invoices, lang, today)
            notice = notices.get(nudge.id or 0)
            if notice is not None:
                item["also"] = notice.also
                carried += notice.carried
            texts.append(Markup(self._render(nudge.kind.value, lang, {"item": item})))
            buttons += self._buttons(nudge, item, lang, "" if single else item["number"])
        text = texts[0] if single else self._render("coalesced", lang, {"items": texts})
        return Message((*chunk, *carried), Reply(str(text), tuple(buttons)))

    def _buttons(self, nudge: Nudge, item: dict[str, Any], lang: str, prefix: str
                 ) -> list[Button]:
        nid, kind = nudge.id, nudge.kind
        done = Button(self._title("done", lang, prefix), payload(
            "nudge_done", nudge=nid, **({"also": ALL_DEMANDED} if item.get("also") else {})))
        later = Button(self._title("snooze", lang, prefix), payload("nudge_snooze", nudge=nid))
        if kind is NudgeKind.PROMISE_CHECK:
            promise = item["promise_id"]
            answers = [Button(self._title(f"promise_{r}", lang, prefix),
                              payload("promise_check", promise=promise, result=r))
                       for r in ("yes", "partial", "no")]
            return answers if prefix else [*answers, later]
        write_step = {NudgeKind.PRESCRIPTION: "order_for_payment"}.get(kind, item.get("step"))
        buttons: list[Button] = []
        if write_step and item.get("invoice_id") is not None:
            buttons.append(Button(self._title("write", lang, prefix), payload(
                "ask_wording", invoice=item["invoice_id"], step=write_step)))
        if prefix:
            return [*buttons, later]
        if kind is NudgeKind.INSTALMENT_DUE and item.get("instalment_id") is not None:
            buttons.append(Button(self._title("instalment_yes", lang, prefix), payload(
                "instalment_paid", instalment=item["instalment_id"])))
        if kind in (NudgeKind.BEFORE_DUE, NudgeKind.LADDER_STEP) and item.get(
                "invoice_id") is not None:
            buttons.append(Button(self._title("paid", lang, prefix),
                                  payload("invoice_paid", invoice=item["invoice_id"])))
        if item.get("step"):  # "done" records that step (the dialogue's action_nudge_done)
            buttons.append(done)
        return [*buttons, later]

    def _render(self, name: str, lang: str, context: dict[str, Any]) -> str:
        return self.ctx.wording.render(f"nudges/{lang}/{name}.html.j2", lang, context)

    def _title(self, key: str, lang: str, prefix: str = "") -> str:
        module = self.ctx.wording.env.get_template(f"nudges/{lang}/buttons.txt.j2").module
        return str(getattr(module, key)(prefix)).strip()


def _invoices(session: Session, owner_id: int, nudges: Sequence[Nudge]
              ) -> dict[int, tuple[Invoice, Client]]:
    ids = {n.invoice_id for n in nudges if n.invoice_id is not None}
    if not ids:
        return {}
    query = (select(Invoice, Client).join(Client, col(Client.id) == col(Invoice.client_id))
             .where(Invoice.owner_id == owner_id, col(Invoice.id).in_(ids)))
    return {invoice.id: (invoice, client) for invoice, client in session.exec(query)
            if invoice.id is not None}


def _item(nudge: Nudge, invoices: dict[int, tuple[Invoice, Client]], lang: str, today: date
          ) -> dict[str, Any]:
    """What a nudge template reads: the invoice as it is now, and the nudge's payload."""
    data = dict(nudge.payload)
    found = invoices.get(nudge.invoice_id) if nudge.invoice_id is not None else None
    item: dict[str, Any] = {"nudge_id": nudge.id, "kind": nudge.kind.value,
                            "invoice_id": nudge.invoice_id, "number": "", "client": "",
                            "amount_due": None, "due_date": None, "due_weekday": "",
                            "due_in_days": None, "step": data.get("step"),
                            "promise_id": data.get("promise"), "amount": data.get("amount"),
                            "date": data.get("date"), "deadline": data.get("deadline"),
                            "milestone": data.get("milestone"),
                            "instalment_id": data.get("instalment"),
                            "end_safe": data.get("end_safe"), "also": []}
    if found is not None:
        invoice, client = found
        item.update(number=invoice.number, client=client.name,
                    amount_due=str(invoice.amount - invoice.paid_amount),
                    due_date=invoice.due_date.isoformat(),
                    due_weekday=str(format_date(invoice.due_date, "EEEE", locale=locale_of(lang))),
                    due_in_days=(invoice.due_date - today).days)
    return item


__all__ = ["MAX_PAYLOAD_BYTES", "Composer", "Message", "payload"]
