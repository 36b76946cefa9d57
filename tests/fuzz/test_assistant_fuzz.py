"""The real assistant (NLU, runner, actions, SQLite ledger) under hostile input: every message
answered with valid Telegram HTML, no exception, no template evaluated, nothing wrong stored."""

from __future__ import annotations

import json
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.dialogue.assistant import Assistant
from tests.fuzz.conftest import check_replies, say, stored_problems
from tests.fuzz.corpus import FORM_STARTS, NASTY

INTENTS = ["add_invoice", "log_promise", "report_payment", "what_now", "list_overdue",
           "invoice_status", "ask_wording", "report_dispute", "payment_plan", "ask_penalties",
           "snooze", "settings", "nudge_done", "nudge_snooze", "invoice_paid", "promise_check",
           "import_confirm", "cancel", "affirm", "deny", "log_call", "greet"]
ENTITIES = ["amount", "date", "client", "invoice_number", "debtor_kind", "step", "call_outcome",
            "invoice", "nudge", "promise", "result", "token"]
VALUES = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70), st.floats(allow_nan=True),
    st.sampled_from(["1e308", "-0", "NaN", "inf", "31/02/2026", "01/01/1900", "{{7*7}}",
                     "<b>", "'; DROP TABLE invoice; --", "", "professional", "none", "yes"]),
    st.text(max_size=40), st.none(), st.booleans(), st.lists(st.integers(), max_size=3))


@pytest.mark.parametrize("line", NASTY, ids=range(len(NASTY)))
def test_first_message(assistant: Assistant, line: str) -> None:
    who = f"first-{NASTY.index(line)}"
    check_replies(line, say(assistant, who, line))
    check_replies("quoi faire ?", say(assistant, who, "quoi faire ?"))  # still alive


@pytest.mark.parametrize("start", FORM_STARTS)
def test_every_form_question_gets_nasty_answers(assistant: Assistant, start: str) -> None:
    who = f"form-{FORM_STARTS.index(start)}"
    if start != "nouvelle facture":  # the other forms need an invoice to talk about
        for answer in ("facture F-1 Dupont SARL 1 250 € échue le 15/10", "15/09/2026",
                       '/add_invoice{"debtor_kind":"professional"}',
                       '/add_invoice{"merchant":"yes"}', '/add_invoice{"step":"none"}'):
            say(assistant, who, answer)
    lines = NASTY if start == "nouvelle facture" else NASTY[::3]
    for line in lines:
        check_replies(start, say(assistant, who, start))
        for _ in range(4):  # the same nasty answer to each question in turn
            check_replies(line, say(assistant, who, line))
        check_replies("annuler", say(assistant, who, "annuler"))
    assert stored_problems(assistant) == []


@st.composite
def payloads(draw: st.DrawFn) -> str:
    intent = draw(st.sampled_from(INTENTS))
    body = draw(st.dictionaries(st.sampled_from(ENTITIES), VALUES, max_size=4))
    raw = json.dumps(body, allow_nan=True)
    cut = draw(st.integers(min_value=0, max_value=len(raw)))
    return f"/{intent}{raw if draw(st.booleans()) else raw[:cut]}"


MESSAGES = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=string.printable + "€éèàçù«»’ ", max_size=120),
    st.builds(lambda a, b: f"{a} {b}", st.sampled_from(["facture", "Dupont a payé",
                                                        "m a promis", "échue le"]),
              st.text(max_size=60)),
    payloads(),
)


@settings(max_examples=120, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(lines=st.lists(MESSAGES, min_size=1, max_size=4))
def test_random_conversations(assistant: Assistant, lines: list[str]) -> None:
    for line in lines:
        check_replies(line, say(assistant, "hypo", line))
