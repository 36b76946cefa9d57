"""action_list_overdue: the overdue invoices with days late, penalties and totals."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.account import attachment
from actions.base import say
from actions.context import current, language
from actions.documents import ageing_png
from actions.invoices import entity
from actions.open_cases import OpenCase, OpenCases, open_cases

SHOWN = 15


def totals(cases: Sequence[OpenCase]) -> dict[str, str]:
    zero = Decimal("0.00")
    return {"total_due": str(sum((c.summary.principal_due for c in cases), zero)),
            "total_penalties": str(sum((c.summary.penalties_due for c in cases), zero)),
            "total_claimable": str(sum((c.summary.total_claimable for c in cases), zero))}


def overdue_totals(cases: OpenCases) -> dict[str, str]:
    """`totals`, kept with the list (worked out once per list)."""
    return cases.derive("overdue_totals", totals)


class ActionListOverdue(Action):
    def name(self) -> str:
        return "action_list_overdue"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        ctx = current()
        owner_id, today = await ctx.owner_id(tracker), ctx.today(tracker)

        cases = await ctx.db(lambda s: open_cases(ctx, s, owner_id, today, overdue_only=True),
                             write=False)
        chart = None
        if entity(tracker, "chart") and cases:
            chart = await ctx.db(lambda s: ageing_png(ctx, s, owner_id, today,
                                                      language(tracker)), write=False)
        say(dispatcher, tracker, "overdue_list", {
            "items": [c.list_context() for c in cases[:SHOWN]],
            "more": max(0, len(cases) - SHOWN),
            **overdue_totals(cases)},
            buttons=[("chart", '/list_overdue{"chart":"yes"}')] if cases and not chart else [])
        if chart is not None:
            dispatcher.utter_message(attachment=attachment("retards.png", "image/png", chart))
        return []
