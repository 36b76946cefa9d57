"""Commands used by the dialogue: owners, clients, invoices, payments, plans, trackers, GDPR."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, func, select

from domain.ledger import db
from domain.ledger import enums as e
from domain.ledger.activity import (
    create_payment_plan,
    log_interaction,
    log_promise,
    record_payment,
    resolve_promise,
)
from domain.ledger.clients import add_client, find_client_by_name, list_clients
from domain.ledger.conversation import (
    Conversation,
    load_conversation,
    owner_turn,
    record_update_processed,
    save_conversation,
)
from domain.ledger.errors import (
    DuplicateInvoice,
    InvalidAmount,
    InvalidField,
    UnsupportedCurrency,
)
from domain.ledger.gdpr import OWNED_TABLES, erase_owner, export_owner
from domain.ledger.invoices import (
    add_invoice,
    find_invoice_by_number,
    get_invoice,
    record_dispute,
    set_invoice_status,
)
from domain.ledger.models import Owner
from domain.ledger.nudges import schedule_nudge
from domain.ledger.owners import get_or_create_owner, get_owner, update_owner_profile

from .conftest import NOW, TODAY, make_invoice, make_owner


def test_owner_is_created_once_with_defaults(engine: Engine) -> None:
    with db.unit_of_work(engine) as s:
        owner = get_or_create_owner(s, e.Channel.TELEGRAM, "4242", e.Language.EN, chat_id=2**40)
        again = get_or_create_owner(s, e.Channel.TELEGRAM, "4242")
        console = get_or_create_owner(s, e.Channel.CONSOLE, "4242")
        assert owner.id == again.id != console.id
        assert owner.chat_id == 2**40 and owner.language is e.Language.EN
        assert (owner.quiet_start, owner.quiet_end, owner.timezone) == ("19:00", "08:30",
                                                                        "Europe/Paris")  # fmt: skip
        update_owner_profile(s, owner.id or 0, {"business_name": "Plomberie Martin",
                                                "ladder_settings": {"firm_reminder": 20}})  # fmt: skip
        with pytest.raises(InvalidField):
            update_owner_profile(s, owner.id or 0, {"quiet_start": "25:00"})
        with pytest.raises(InvalidField):
            update_owner_profile(s, owner.id or 0, {"id": 3})
    with db.unit_of_work(engine, write=False) as s:
        stored = get_owner(s, owner.id or 0)
        assert stored.business_name == "Plomberie Martin"
        assert stored.ladder_settings == {"firm_reminder": 20}


def test_clients_and_invoices(engine: Engine) -> None:
    with db.unit_of_work(engine) as s:
        owner = make_owner(s, "1")
        client = add_client(s, owner, "  Éric  Dupont ", e.ClientKind.CONSUMER)
        assert find_client_by_name(s, owner, "ÉRIC DUPONT") == client
        assert find_client_by_name(s, owner, "Eric") is None
        assert [c.name for c in list_clients(s, owner)] == ["Éric Dupont"]
        invoice = add_invoice(s, owner, client.id or 0, "F-7", Decimal("99.99"), TODAY, TODAY)
        with pytest.raises(UnsupportedCurrency, match="only handles invoices in EUR"):
            add_invoice(s, owner, client.id or 0, "F-8", Decimal("1"), TODAY, TODAY, currency="USD")
        with pytest.raises(InvalidAmount):
            add_invoice(s, owner, client.id or 0, "F-9", Decimal("0"), TODAY, TODAY)
        with pytest.raises(DuplicateInvoice):
            add_invoice(s, owner, client.id or 0, "F-7", Decimal("5"), TODAY, TODAY)
        assert find_invoice_by_number(s, owner, " F-7 ") == [invoice]
        set_invoice_status(s, owner, invoice.id or 0, e.InvoiceStatus.FORMAL_NOTICE_SENT, on=TODAY)
        assert get_invoice(s, owner, invoice.id or 0).formal_notice_date == TODAY
        record_dispute(s, owner, invoice.id or 0, "travaux non terminés")
        assert get_invoice(s, owner, invoice.id or 0).status is e.InvoiceStatus.DISPUTED


def test_promises_payments_and_plans(engine: Engine) -> None:
    with db.unit_of_work(engine) as s:
        owner = make_owner(s, "1")
        _, invoice = make_invoice(s, owner, amount="1000.00")
        call = log_interaction(s, owner, invoice, TODAY, e.ContactChannel.CALL, e.Outcome.PROMISE)
        promise = log_promise(s, owner, invoice, Decimal("400"), TODAY, interaction_id=call.id)
        assert get_invoice(s, owner, invoice).status is e.InvoiceStatus.PROMISED
        resolve_promise(s, owner, promise.id or 0, e.PromiseState.BROKEN)
        assert get_invoice(s, owner, invoice).status is e.InvoiceStatus.OPEN
        record_payment(s, owner, invoice, Decimal("400"), TODAY)
        with pytest.raises(InvalidAmount, match="exceeds the 600.00 EUR still due"):
            record_payment(s, owner, invoice, Decimal("600.01"), TODAY)
        with pytest.raises(InvalidAmount):
            record_payment(s, owner, invoice, Decimal("-1"), TODAY)
        with pytest.raises(InvalidAmount):
            create_payment_plan(s, owner, invoice, [(TODAY, Decimal("601"))])
        plan, parts = create_payment_plan(
            s, owner, invoice, [(TODAY + timedelta(days=30), Decimal("300")),
                                (TODAY, Decimal("300"))])  # fmt: skip
        assert [p.due_date for p in parts] == [TODAY, TODAY + timedelta(days=30)]
        assert get_invoice(s, owner, invoice).status is e.InvoiceStatus.PAYMENT_PLAN
        record_payment(s, owner, invoice, Decimal("600"), TODAY)
        paid = get_invoice(s, owner, invoice)
        assert paid.status is e.InvoiceStatus.PAID and paid.paid_amount == Decimal("1000.00")


def test_conversation_and_update_dedupe(engine: Engine) -> None:
    events = [{"event": "user", "text": "Martin a promis 1 250 €", "timestamp": 1.5}]
    with db.unit_of_work(engine) as s:
        owner = make_owner(s, "1")
        assert load_conversation(s, owner) == Conversation()
        save_conversation(s, owner, events, {"client": "Martin"}, "promise_form", now=NOW)
        save_conversation(s, owner, events * 2, {"client": None}, None, now=NOW)
        assert record_update_processed(s, 2**40 + 1, now=NOW) is True
        assert record_update_processed(s, 2**40 + 1, now=NOW) is False
    with db.unit_of_work(engine, write=False) as s:
        assert load_conversation(s, owner) == Conversation(events * 2, {"client": None}, None)


def test_owner_turn_reads_the_owner_and_their_own_conversation(engine: Engine) -> None:
    """What a turn starts from, in one statement: never another owner's conversation."""
    with db.unit_of_work(engine) as s:
        alice, bob = make_owner(s, "11"), make_owner(s, "12")
        save_conversation(s, bob, [{"event": "user", "text": "bob"}], {"client": "B"}, None,
                          now=NOW)
        update_owner_profile(s, alice, {"blocked": True})
    with db.unit_of_work(engine, write=False) as s:
        assert owner_turn(s, e.Channel.TELEGRAM, "13") is None
        brief, conversation = owner_turn(s, e.Channel.TELEGRAM, "11") or (None, None)
        assert brief is not None and (brief.id, brief.blocked) == (alice, True)
        assert conversation == Conversation()
        brief, conversation = owner_turn(s, e.Channel.TELEGRAM, "12") or (None, None)
        assert brief is not None and brief.id == bob and brief.language is e.Language.FR
        assert conversation == Conversation([{"event": "user", "text": "bob"}], {"client": "B"})


def test_erase_owner_removes_everything_of_that_owner_only(engine: Engine) -> None:
    with db.unit_of_work(engine) as s:
        owners = [make_owner(s, "gone"), make_owner(s, "stays")]
        for owner in owners:
            _, invoice = make_invoice(s, owner)
            call = log_interaction(s, owner, invoice, TODAY, e.ContactChannel.CALL,
                                   e.Outcome.PROMISE)  # fmt: skip
            log_promise(s, owner, invoice, Decimal("10"), TODAY, interaction_id=call.id)
            record_payment(s, owner, invoice, Decimal("10"), TODAY)
            create_payment_plan(s, owner, invoice, [(TODAY, Decimal("5"))])
            schedule_nudge(s, owner, e.NudgeKind.DIGEST, NOW, dedupe_key="digest")
            save_conversation(s, owner, [{"event": "x"}], {}, None)
        kept_before = export_owner(s, owners[1])
    with db.unit_of_work(engine) as s:
        counts = erase_owner(s, owners[0])
    assert counts["owner"] == 1 and counts["invoices"] == 1 and counts["instalments"] == 1
    with db.unit_of_work(engine, write=False) as s:
        for model in OWNED_TABLES:
            column = model.owner_id  # type: ignore[attr-defined]
            left = s.execute(select(func.count()).where(column == owners[0])).scalar_one()
            assert left == 0, model.__name__
        assert s.get(Owner, owners[0]) is None
        assert export_owner(s, owners[1]) == kept_before


def test_export_is_json_serialisable(engine: Engine) -> None:
    with db.unit_of_work(engine) as s:
        owner = make_owner(s, "1")
        _, invoice = make_invoice(s, owner, amount="1250.10")
        record_payment(s, owner, invoice, Decimal("0.10"), date(2026, 2, 1), now=NOW)
        data = export_owner(s, owner)
    text = json.dumps(data)
    assert data["invoices"][0]["amount"] == "1250.10"
    assert data["payments"][0]["paid_on"] == "2026-02-01"
    assert data["payments"][0]["logged_at"] == "2026-03-02T09:00:00+00:00"
    assert "Dupont SARL" in text
