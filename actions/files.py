"""Files in the conversation: the formal-notice letter and the evidence file as PDF, the
ageing chart, and a CSV of invoices sent by the owner (previewed, then imported on "yes")."""

from __future__ import annotations

import base64
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlmodel import Session

from actions.account import attachment
from actions.base import say
from actions.context import current, language
from actions.documents import (
    DocumentError,
    ImportResult,
    apply_import,
    dossier_pdf,
    formal_notice_pdf,
    preview_import,
)
from actions.nudge_planner import replan_owner
from domain.csv_import import MAX_BYTES, ImportPreview

PREVIEW_ROWS = 5
LETTER_STEPS = {"formal_notice": "mise-en-demeure", "third_party": "dossier",
                "order_for_payment": "dossier"}


def document_for_step(session: Session, owner_id: int, invoice_id: int, number: str,
                      step: str, tracker: Tracker) -> dict[str, str] | None:
    """The PDF that goes with a step's text: the letter, or the evidence file."""
    ctx, lang = current(), language(tracker)
    today = ctx.today(tracker)
    try:
        if step == "formal_notice":
            content = formal_notice_pdf(ctx, session, owner_id, invoice_id, today, lang)
        elif step in LETTER_STEPS:
            content = dossier_pdf(ctx, session, owner_id, invoice_id, today, lang)
        else:
            return None
    except DocumentError:
        return None  # e.g. nothing is due any more: the text alone says what to do
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in number)[:40]
    return attachment(f"{LETTER_STEPS[step]}-{safe}.pdf", "application/pdf", content)


def pending_file(tracker: Tracker) -> tuple[bytes, int] | None:
    value = tracker.get_slot("pending_import")
    if not isinstance(value, dict):
        return None
    return base64.b64decode(str(value.get("base64", ""))), int(value.get("size", 0))


def preview_of(tracker: Tracker) -> ImportPreview | None:
    found = pending_file(tracker)
    if found is None:
        return None
    content, size = found
    # Over the limit only the first bytes were kept: the preview refuses by the real size.
    return preview_import(content if size <= MAX_BYTES else b"x" * (MAX_BYTES + 1))


class ActionImportPreview(Action):
    """A CSV arrived: what would be imported, and every refused line with its reason."""

    def name(self) -> str:
        return "action_import_preview"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        preview, lang = preview_of(tracker), language(tracker)
        if preview is None:
            say(dispatcher, tracker, "import_nothing")
            return []
        module = current().wording.env.get_template(f"documents/{lang}/messages.txt.j2").module
        text = str(module.preview(preview, preview.rows[:PREVIEW_ROWS])).strip()  # type: ignore[attr-defined]
        say(dispatcher, tracker, "import_preview", {"text": text, "ok": preview.ok},
            buttons=[("import_yes", "/import_confirm"), ("forget_no", "/cancel")]
            if preview.ok else [])
        return [] if preview.ok else [SlotSet("pending_import", None)]


class ActionImportConfirm(Action):
    """[Importer]: the previewed invoices are stored (the same number and client: skipped)."""

    def name(self) -> str:
        return "action_import_confirm"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        ctx = current()
        preview = preview_of(tracker)
        if preview is None or not preview.ok:
            say(dispatcher, tracker, "import_nothing")
            return [SlotSet("pending_import", None)]
        owner_id = await ctx.owner_id(tracker)
        def store(session: Session) -> ImportResult:
            result = apply_import(session, owner_id, preview)
            replan_owner(ctx, session, owner_id, ctx.now(tracker))  # their nudges, at once
            return result

        result = await ctx.db(store)
        say(dispatcher, tracker, "import_done", {
            "created": result.created, "skipped": result.skipped_existing,
            "clients": result.clients_created},
            buttons=[("what_now", "/what_now"), ("overdue", "/list_overdue")])
        return [SlotSet("pending_import", None)]
