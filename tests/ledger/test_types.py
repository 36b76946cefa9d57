"""Money stays exact, instants stay aware, on both databases."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy.exc import StatementError
from sqlmodel import select

from domain.ledger import db
from domain.ledger.activity import record_payment
from domain.ledger.clients import add_client, find_client_by_name
from domain.ledger.invoices import add_invoice, get_invoice
from domain.ledger.models import Invoice, Owner
from domain.ledger.owners import touch_last_seen

from .conftest import NOW, make_invoice, make_owner


def test_cents_add_up_exactly(engine: Engine) -> None:
    with db.unit_of_work(engine) as s:
        owner = make_owner(s, "1")
        _, invoice_id = make_invoice(s, owner, amount="0.30")
        record_payment(s, owner, invoice_id, Decimal("0.10"), date(2026, 2, 1))
        record_payment(s, owner, invoice_id, Decimal("0.20"), date(2026, 2, 2))
    with db.unit_of_work(engine, write=False) as s:
        invoice = get_invoice(s, owner, invoice_id)
        assert invoice.paid_amount == Decimal("0.30")
        assert str(invoice.paid_amount) == "0.30"
        assert invoice.amount - invoice.paid_amount == Decimal("0.00")
        assert invoice.status == "paid"


def test_half_up_rounding_and_rate(engine: Engine) -> None:
    with db.unit_of_work(engine) as s:
        owner = make_owner(s, "1")
        client_id, _ = make_invoice(s, owner)
        invoice = add_invoice(
            s, owner, client_id, "F-2", Decimal("10.005"), date(2026, 1, 1), date(2026, 2, 1),
            contract_rate=Decimal("12.34565"),
        )  # fmt: skip
        invoice_id = invoice.id
    with db.unit_of_work(engine, write=False) as s:
        stored = get_invoice(s, owner, invoice_id or 0)
        assert stored.amount == Decimal("10.01")  # half up, not half even
        assert stored.contract_rate == Decimal("12.3457")


def test_float_money_is_refused(engine: Engine) -> None:
    with db.unit_of_work(engine) as s:
        owner = make_owner(s, "1")
        _, invoice_id = make_invoice(s, owner)
    with pytest.raises((TypeError, StatementError)), db.unit_of_work(engine) as s:
        invoice = get_invoice(s, owner, invoice_id)
        invoice.paid_amount = 0.1  # type: ignore[assignment]
        s.add(invoice)
        s.flush()


_amounts = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("999999999999.99"), places=2, allow_nan=False
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amount=_amounts)
def test_money_round_trip_property(engine: Engine, amount: Decimal) -> None:
    with db.unit_of_work(engine) as s:
        owner = make_owner(s, "prop")  # examples share the database: unique numbers
        client = find_client_by_name(s, owner, "Prop") or add_client(s, owner, "Prop")
        invoice = add_invoice(s, owner, client.id or 0, uuid.uuid4().hex, amount,
                              date(2026, 1, 1), date(2026, 2, 1))  # fmt: skip
        invoice_id = invoice.id
    with db.unit_of_work(engine, write=False) as s:
        back = s.exec(select(Invoice.amount).where(Invoice.id == invoice_id)).one()
    assert back == amount and back.as_tuple().exponent == -2


def test_aware_datetimes_round_trip_in_utc(engine: Engine) -> None:
    paris_winter = datetime(2026, 1, 15, 23, 30, 15, 123456, tzinfo=timezone(timedelta(hours=1)))
    with db.unit_of_work(engine) as s:
        owner = make_owner(s, "1")
        touch_last_seen(s, owner, paris_winter)
    with db.unit_of_work(engine, write=False) as s:
        seen = s.exec(select(Owner.last_seen_at).where(Owner.id == owner)).one()
    assert seen == paris_winter
    assert seen is not None and seen.tzinfo is not None and seen.utcoffset() == timedelta(0)
    assert seen.hour == 22


def test_naive_datetime_is_refused(engine: Engine) -> None:
    with db.unit_of_work(engine) as s:
        owner = make_owner(s, "1")
    naive = datetime(2026, 1, 15, 12, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(StatementError, match="naive datetime refused"), db.unit_of_work(engine) as s:
        touch_last_seen(s, owner, naive)
    with db.unit_of_work(engine, write=False) as s:
        assert s.exec(select(Owner.last_seen_at).where(Owner.id == owner)).one() is None
    assert NOW.tzinfo is UTC
