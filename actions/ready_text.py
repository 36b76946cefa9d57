"""action_wording: the ready-to-send text of a step — call script, email, letter, recap,
reply to a dispute — for one invoice, in the owner's name."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlmodel import Session

from actions.answers import as_json, offer_clients_named
from actions.base import say
from actions.cases import case_view
from actions.context import current, language
from actions.documents.facts import town
from actions.documents.letter import other_overdue_of
from actions.files import document_for_step
from actions.invoices import entity, resolve_invoice
from actions.parsing import pick
from domain.ladder import LadderStep
from domain.ledger import get_owner, list_promises
from domain.ledger.enums import PromiseState

EXTRA_TEXTS = ("recap_email", "dispute_reply")
TEXTS = tuple(step.value for step in LadderStep) + EXTRA_TEXTS
# What the owner asked for in words ("un mail pour Dupont", "la lettre de mise en demeure").
ASKED = {
    "recap_email": ("récap", "recap", "récapitulatif", "recapitulatif"),
    "dispute_reply": ("contestation", "conteste", "litige", "dispute", "réponse", "reply"),
    "formal_notice": ("mise en demeure", "lettre", "recommandé", "recommande", "letter", "notice"),
    "friendly_call": ("script", "appel", "appeler", "téléphone", "call", "phone"),
    "email": ("mail", "email", "e-mail", "courriel", "relance écrite"),
}
WRITTEN = ("first_reminder", "firm_reminder", "final_demand")


def chosen_text(asked: str | None, button_step: object, next_step: str | None) -> str:
    """The text to write: a button's step, else what the words ask, else the next step.
    An email asked while the next step is a call gives the first written reminder."""
    if button_step in TEXTS:
        return str(button_step)
    step = next_step or "first_reminder"
    if asked == "email":
        return step if step in WRITTEN else "first_reminder"
    return asked or step


def wording_context(session: Session, owner_id: int, tracker: Tracker, lang: str
                    ) -> dict[str, Any] | None:
    """Everything templates/wording/* receive, or None when no invoice is meant."""
    ctx = current()
    invoice = resolve_invoice(session, owner_id, tracker)
    if invoice is None or invoice.id is None:
        return None
    today = ctx.today(tracker)
    view = case_view(ctx, session, invoice, today)
    owner = get_owner(session, owner_id)
    pending = [p for p in list_promises(session, owner_id, invoice.id)
               if p.state is PromiseState.PENDING]
    context = view.template_context(lang)
    context["client"] = {**context["client"], "address": view.client.address or ""}
    return {
        **context, "today": today.isoformat(),
        "owner": {name: getattr(owner, name) or "" for name in (
            "business_name", "signature", "email", "phone", "address", "iban")},
        "place": town(owner.address),
        "promise": {"amount": str(pending[-1].amount),
                    "date": pending[-1].promised_date.isoformat()} if pending else None,
        "dispute_reason": invoice.dispute_reason,
        "deadline_days": ctx.ladder.notice_deadline_days,
    }


class ActionWording(Action):
    def name(self) -> str:
        return "action_wording"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        ctx = current()
        owner_id, lang = await ctx.owner_id(tracker), language(tracker)
        context = await ctx.db(lambda s: wording_context(s, owner_id, tracker, lang),
                               write=False)
        asked = pick(tracker.latest_message.get("text"), ASKED)
        if context is None:
            kept = {"step": asked} if asked in TEXTS else {}  # "la mise en demeure pour …"
            if await offer_clients_named(dispatcher, tracker, owner_id, lambda name: (
                    f"/ask_wording{as_json({'client': name, **kept})}")):
                return []
            say(dispatcher, tracker, "which_invoice", {},
                buttons=[("overdue", "/list_overdue")])
            return []
        step = chosen_text(asked, entity(tracker, "step"), context["diag"]["next_step"]["step"])
        invoice_id = context["invoice"]["id"]
        number = context["invoice"]["number"]
        done: dict[str, Any] = {"invoice": invoice_id, "step": step}
        if step == LadderStep.FORMAL_NOTICE.value:  # one letter for all the client owes
            today = ctx.today(tracker)
            context |= await ctx.db(lambda s: other_overdue_of(ctx, s, owner_id, invoice_id,
                                                               today), write=False)
            if context["others"]:
                done["also"] = ",".join(str(o["invoice"]["id"]) for o in context["others"])
        text = ctx.wording.render(f"wording/{lang}/{step}.txt.j2", lang, context)
        pdf = await ctx.db(lambda s: document_for_step(s, owner_id, invoice_id, number, step,
                                                       tracker), write=False)
        buttons = [("step_done", f"/nudge_done{as_json(done)}")] \
            if step in {s.value for s in LadderStep} else []
        if step == LadderStep.FORMAL_NOTICE.value and not context["client"]["address"]:
            buttons.append(("add_address", f'/set_address{{"invoice":{invoice_id}}}'))
        if step == LadderStep.FORMAL_NOTICE.value and not context["owner"]["address"]:
            buttons.append(("add_my_address", f'/set_my_address{{"invoice":{invoice_id}}}'))
        say(dispatcher, tracker, "ready_text", {"step": step, "text": text,
                                                "number": context["invoice"]["number"],
                                                "also": [o["invoice"]["number"] for o in
                                                         context.get("others", [])],
                                                "client": context["client"]["name"]},
            buttons=buttons)
        if pdf is not None:
            dispatcher.utter_message(attachment=pdf)
        return [SlotSet("invoice_id", float(invoice_id))]
