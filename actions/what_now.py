"""action_what_now: today's actions across all open invoices, ranked, then this week's."""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import say
from actions.context import current
from actions.open_cases import OpenCase, OpenCases, open_cases
from domain.ladder import Pause

TOP = 5
URGENT_PRESCRIPTION_DAYS = 183


def priority(view: OpenCase, today_days: int) -> Decimal:
    """Higher first: money at stake, lateness, a broken promise, a legal deadline near
    (amount × (1 + days late / 30), ×2 after a broken promise, ×3 within six months of
    prescription; computed without the division, which does not change the order)."""
    diag = view.summary
    factor = 30 + max(diag.days_late, 0)
    if diag.pause is Pause.PROMISE_BROKEN:
        factor *= 2
    if (diag.prescription_end.toordinal() - today_days) < URGENT_PRESCRIPTION_DAYS:
        factor *= 3
    return diag.total_claimable * factor


def rank(cases: Sequence[OpenCase], today: date
         ) -> tuple[list[OpenCase], int, list[OpenCase]]:
    """The cases whose next step is due today (the TOP first by priority, how many more)
    and those due within the week (the TOP soonest)."""
    horizon = today + timedelta(days=7)
    due: list[OpenCase] = []
    week: list[OpenCase] = []
    for case in cases:
        on = case.summary.step_due_on
        if on is not None and on <= horizon:
            (due if on <= today else week).append(case)
    ordinal = today.toordinal()
    # Each case's priority is kept with it: a list refreshed after a write keeps the cases
    # that did not change, so ranking 5 000 again computes one or two.
    shown = heapq.nlargest(TOP, due, key=lambda c: c.derive(  # stable
        "priority", lambda case: priority(case, ordinal)))
    soon = heapq.nsmallest(TOP, week, key=lambda c: c.summary.step_due_on or today)
    return shown, max(0, len(due) - TOP), soon


def ranked(cases: OpenCases, today: date) -> tuple[list[OpenCase], int, list[OpenCase]]:
    """`rank`, kept with the list (worked out once per list)."""
    return cases.derive("what_now", lambda all_: rank(all_, today))


class ActionWhatNow(Action):
    def name(self) -> str:
        return "action_what_now"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        ctx = current()
        owner_id, today = await ctx.owner_id(tracker), ctx.today(tracker)

        cases = await ctx.db(lambda s: open_cases(ctx, s, owner_id, today), write=False)
        shown, more, week = ranked(cases, today)
        # Nothing this week (a formal notice's deadline running, promises not yet due): the
        # next step all the same, so that "rien d'urgent" does not read as "nothing to do".
        later = None if shown or week else min(
            (c for c in cases if c.summary.step_due_on is not None),
            key=lambda c: c.summary.step_due_on or today, default=None)
        say(dispatcher, tracker, "what_now", {
            "today_items": [c.list_context() for c in shown],
            "more": more,
            "week_items": [c.list_context() for c in week],
            "later": later.list_context() if later is not None else None,
            "open_count": len(cases)},
            buttons=[("new_invoice", "/add_invoice")] if not cases else [
                (f"write_{i}", f'/ask_wording{{"invoice":{c.invoice_id},'
                               f'"step":"{c.summary.step}"}}')
                for i, c in enumerate(shown, start=1) if c.summary.step])
        return []
