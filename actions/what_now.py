"""action_what_now: today's actions across all open invoices, ranked, then this week's."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import say
from actions.cases import CaseView, open_cases
from actions.context import current, language

TOP = 5
URGENT_PRESCRIPTION_DAYS = 183


def priority(view: CaseView, today_days: int) -> Decimal:
    """Higher first: money at stake, lateness, a broken promise, a legal deadline near."""
    diag = view.diagnosis
    score = diag.total_claimable * (1 + Decimal(max(diag.days_late, 0)) / 30)
    if diag.next.pause.value == "promise_broken":
        score *= 2
    if (diag.prescription.end_safe.toordinal() - today_days) < URGENT_PRESCRIPTION_DAYS:
        score *= 3
    return score


class ActionWhatNow(Action):
    def name(self) -> str:
        return "action_what_now"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        ctx = current()
        owner_id, today = await ctx.owner_id(tracker), ctx.today(tracker)

        cases = await ctx.db(lambda s: open_cases(ctx, s, owner_id, today), write=False)
        due = [c for c in cases if c.diagnosis.next.is_due(today)]
        due.sort(key=lambda c: priority(c, today.toordinal()), reverse=True)
        due_ids = {c.invoice.id for c in due}
        week = [c for c in cases if c.invoice.id not in due_ids
                and c.diagnosis.next.due_on is not None
                and c.diagnosis.next.due_on <= today + timedelta(days=7)]
        week.sort(key=lambda c: c.diagnosis.next.due_on or today)
        lang = language(tracker)
        say(dispatcher, tracker, "what_now", {
            "today_items": [c.template_context(lang) for c in due[:TOP]],
            "more": max(0, len(due) - TOP),
            "week_items": [c.template_context(lang) for c in week[:TOP]],
            "open_count": len(cases)},
            buttons=[("new_invoice", "/add_invoice")] if not cases else [
                (f"write_{i}", f'/ask_wording{{"invoice":{c.invoice.id},'
                               f'"step":"{c.diagnosis.next.step}"}}')
                for i, c in enumerate(due[:TOP], start=1) if c.diagnosis.next.step])
        return []
