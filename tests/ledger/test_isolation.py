"""No public function lets one owner read, change or delete another owner's rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

import domain.ledger as ledger
from domain.ledger import db
from domain.ledger.enums import (
    ContactChannel,
    InstalmentState,
    InvoiceStatus,
    NudgeKind,
    Outcome,
    PromiseState,
    Tone,
)

from .conftest import NOW, TODAY, make_invoice, make_owner


def _victim(s: Session) -> dict[str, int]:
    alice = make_owner(s, "alice")
    client, invoice = make_invoice(s, alice)
    interaction = ledger.log_interaction(s, alice, invoice, TODAY, ContactChannel.CALL,
                                         Outcome.PROMISE)  # fmt: skip
    promise = ledger.log_promise(s, alice, invoice, Decimal("100"), TODAY)
    plan, [instalment] = ledger.create_payment_plan(s, alice, invoice, [(TODAY, Decimal("50"))])
    nudge = ledger.schedule_nudge(s, alice, NudgeKind.LADDER_STEP, NOW, invoice_id=invoice,
                                  dedupe_key="k")  # fmt: skip
    ledger.save_conversation(s, alice, [{"event": "user", "text": "secret"}], {"a": 1}, None)
    return {
        "alice": alice, "client": client, "invoice": invoice, "interaction": interaction.id or 0,
        "promise": promise.id or 0, "plan": plan.id or 0, "instalment": instalment.id or 0,
        "nudge": nudge.id or 0,
    }  # fmt: skip


# Each call is made by "mallory" (m) with alice's ids (v); every one must raise NotFound.
WRITES: dict[str, Callable[[Session, int, dict[str, int]], Any]] = {
    "get_client": lambda s, m, v: ledger.get_client(s, m, v["client"]),
    "update_client": lambda s, m, v: ledger.update_client(s, m, v["client"], tone=Tone.BAD_PAYER),
    "client_promise_record": lambda s, m, v: ledger.client_promise_record(s, m, v["client"]),
    "add_invoice": lambda s, m, v: ledger.add_invoice(
        s, m, v["client"], "X", Decimal("1"), TODAY, TODAY),
    "get_invoice": lambda s, m, v: ledger.get_invoice(s, m, v["invoice"]),
    "set_invoice_status": lambda s, m, v: ledger.set_invoice_status(
        s, m, v["invoice"], InvoiceStatus.WRITTEN_OFF),
    "record_dispute": lambda s, m, v: ledger.record_dispute(s, m, v["invoice"], "no"),
    "record_insolvency": lambda s, m, v: ledger.record_insolvency(s, m, v["invoice"], TODAY),
    "log_interaction": lambda s, m, v: ledger.log_interaction(
        s, m, v["invoice"], TODAY, ContactChannel.SMS, Outcome.OTHER),
    "log_promise": lambda s, m, v: ledger.log_promise(s, m, v["invoice"], Decimal("1"), TODAY),
    "log_promise_foreign_interaction": lambda s, m, v: ledger.log_promise(
        s, m, v["invoice"], Decimal("1"), TODAY, interaction_id=v["interaction"]),
    "resolve_promise": lambda s, m, v: ledger.resolve_promise(
        s, m, v["promise"], PromiseState.BROKEN),
    "list_promises": lambda s, m, v: ledger.list_promises(s, m, v["invoice"]),
    "record_payment": lambda s, m, v: ledger.record_payment(
        s, m, v["invoice"], Decimal("1"), TODAY),
    "list_payments": lambda s, m, v: ledger.list_payments(s, m, v["invoice"]),
    "create_payment_plan": lambda s, m, v: ledger.create_payment_plan(
        s, m, v["invoice"], [(TODAY, Decimal("1"))]),
    "list_instalments": lambda s, m, v: ledger.list_instalments(s, m, v["plan"]),
    "set_instalment_state": lambda s, m, v: ledger.set_instalment_state(
        s, m, v["instalment"], InstalmentState.MISSED),
    "invoice_history": lambda s, m, v: ledger.invoice_history(s, m, v["invoice"]),
    "schedule_nudge": lambda s, m, v: ledger.schedule_nudge(
        s, m, NudgeKind.LADDER_STEP, NOW, invoice_id=v["invoice"]),
    "get_nudge": lambda s, m, v: ledger.get_nudge(s, m, v["nudge"]),
    "snooze": lambda s, m, v: ledger.snooze(s, m, v["nudge"], NOW + timedelta(days=9)),
    "cancel_pending_for_invoice": lambda s, m, v: ledger.cancel_pending_for_invoice(
        s, m, v["invoice"]),
    "mark_sent": lambda s, m, v: ledger.mark_sent(s, m, v["nudge"], "w", NOW),
    "mark_failed": lambda s, m, v: ledger.mark_failed(s, m, v["nudge"], "w", "x", None),
    "release": lambda s, m, v: ledger.release(s, m, v["nudge"], "w"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(WRITES))
def test_other_owner_gets_not_found(engine: Engine, name: str) -> None:
    with db.unit_of_work(engine) as s:
        victim = _victim(s)
        mallory = make_owner(s, "mallory")
        before = ledger.export_owner(s, victim["alice"])
    with pytest.raises(ledger.NotFound), db.unit_of_work(engine) as s:
        WRITES[name](s, mallory, victim)
    with db.unit_of_work(engine, write=False) as s:
        assert ledger.export_owner(s, victim["alice"]) == before


def test_other_owner_sees_nothing_in_lists(engine: Engine) -> None:
    with db.unit_of_work(engine) as s:
        victim = _victim(s)
        mallory = make_owner(s, "mallory")
    with db.unit_of_work(engine) as s:
        assert ledger.find_client_by_name(s, mallory, "Dupont SARL") is None
        assert ledger.list_clients(s, mallory) == []
        assert ledger.find_invoice_by_number(s, mallory, "F-1") == []
        assert ledger.list_invoices(s, mallory) == []
        assert ledger.open_invoices(s, mallory, TODAY + timedelta(days=30)) == []
        assert ledger.overdue_invoices(s, mallory, TODAY + timedelta(days=30)) == []
        assert ledger.promises_to_check(s, mallory, TODAY + timedelta(days=30)) == []
        assert ledger.pending_for_owner(s, mallory) == []
        assert ledger.load_conversation(s, mallory) == ledger.Conversation()
        exported = ledger.export_owner(s, mallory)
        assert all(exported[k] == [] for k in exported if k != "owner")
        ledger.erase_owner(s, mallory)
    with db.unit_of_work(engine, write=False) as s:
        assert len(ledger.export_owner(s, victim["alice"])["invoices"]) == 1
        # the owner-less sweep tags each row with its owner
        [due] = ledger.promises_to_check_all_owners(s, TODAY + timedelta(days=1))
        assert due.owner_id == victim["alice"]


def test_owner_functions_need_an_existing_owner(engine: Engine) -> None:
    with pytest.raises(ledger.NotFound), db.unit_of_work(engine) as s:
        ledger.update_owner_profile(s, 999_999, {"business_name": "x"})
    with pytest.raises(ledger.NotFound), db.unit_of_work(engine) as s:
        ledger.erase_owner(s, 999_999)
    with pytest.raises(ledger.NotFound), db.unit_of_work(engine) as s:
        ledger.export_owner(s, 999_999)
    assert date(2026, 3, 2) == TODAY
