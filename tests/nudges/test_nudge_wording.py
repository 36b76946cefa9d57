"""Every nudge template renders in both languages, user text escaped, payloads ≤ 62 bytes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine

from actions.context import ActionContext
from bot.nudges.compose import MAX_PAYLOAD_BYTES, Composer, payload
from bot.nudges.sender import OwnerChat
from domain.ledger import unit_of_work
from domain.ledger.enums import NudgeKind
from domain.ledger.models import Nudge
from tests.nudges.helpers import TUESDAY_10H, due_nudge, make_invoice, make_owner

EXTRA = {
    NudgeKind.BEFORE_DUE: {"step": "courtesy_reminder"},
    NudgeKind.LADDER_STEP: {"step": "order_for_payment"},
    NudgeKind.PROMISE_CHECK: {"promise": 99_999_999, "amount": "500.00", "date": "2026-11-20"},
    NudgeKind.INSTALMENT_DUE: {"instalment": 7, "amount": "300.00", "date": "2026-11-20"},
    NudgeKind.NOTICE_DEADLINE: {"deadline": "2026-11-20", "step": "third_party"},
    NudgeKind.PRESCRIPTION: {"milestone": "1m", "end_safe": "2027-01-31"},
    NudgeKind.DIGEST: {},
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_kind_renders_alone_and_coalesced(ctx: ActionContext, engine: Engine,
                                                lang: str) -> None:
    with unit_of_work(engine) as s:
        owner = make_owner(s, f"77{lang}")
        invoice = make_invoice(s, owner, "F-<117>", due=date(2026, 3, 6),
                               client="Dupont & <b>Fils</b>")
        ids = [due_nudge(s, owner, None if kind is NudgeKind.DIGEST else invoice, kind,
                         TUESDAY_10H - timedelta(hours=1), kind.value, **extra)
               for kind, extra in EXTRA.items()]
        nudges = [s.get(Nudge, i) for i in ids]
        chat = OwnerChat(owner, "telegram", f"77{lang}", 77, lang)
        alone = [m for n in nudges for m in Composer(ctx, 1).messages(s, chat, [n], TUESDAY_10H)]  # type: ignore[list-item]
        together = Composer(ctx, 10).messages(s, chat, nudges, TUESDAY_10H)  # type: ignore[arg-type]
    assert len(alone) == 7 and len(together) == 2  # the digest always goes alone
    for message in alone + together:
        text = message.reply.text
        assert text and "<b>Fils</b>" not in text and "F-<117>" not in text
        for button in message.reply.buttons:
            assert len(button.payload.encode()) <= MAX_PAYLOAD_BYTES
            assert button.title and "&amp;" not in button.title
    before = alone[0].reply.text
    expected = ("arrive à échéance vendredi" if lang == "fr" else "falls due on Friday")
    assert expected in before and "Dupont &amp; &lt;b&gt;Fils&lt;/b&gt;" in before


def test_payloads_stay_short_or_fail_loudly() -> None:
    assert payload("nudge_done", nudge=12) == '/nudge_done{"nudge":12}'
    longest = payload("ask_wording", invoice=2_147_483_647, step="order_for_payment")
    assert len(longest.encode()) <= MAX_PAYLOAD_BYTES
    with pytest.raises(ValueError, match="over 62 bytes"):
        payload("ask_wording", invoice=1, step="é" * 40)
