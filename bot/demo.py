"""Sample invoices for `relance chat --demo`: a newcomer sees the assistant at work at once."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.engine import Engine

from domain.ledger import add_client, add_invoice, get_or_create_owner, list_invoices, unit_of_work
from domain.ledger.enums import Channel, ClientKind, Language

# (client, kind, merchant, number, amount, days since invoice, term in days)
SAMPLES = (
    ("Dupont SARL", ClientKind.PROFESSIONAL, True, "F-117", "1250.00", 69, 30),
    ("Martin Électricité", ClientKind.PROFESSIONAL, False, "F-121", "3400.00", 50, 45),
    ("Mme Leroy", ClientKind.CONSUMER, None, "F-124", "480.00", 40, 0),
    ("Boulangerie Petit", ClientKind.PROFESSIONAL, True, "F-130", "860.00", 26, 30),
)


def seed_demo(engine: Engine, user: str, today: date, lang: str = "fr") -> int:
    """Add the sample invoices to a console owner who has none; returns how many were added."""
    with unit_of_work(engine) as session:
        owner = get_or_create_owner(session, Channel.CONSOLE, user, Language(lang))
        assert owner.id is not None
        if list_invoices(session, owner.id):
            return 0
        for name, kind, merchant, number, amount, age, term in SAMPLES:
            client = add_client(session, owner.id, name, kind, is_merchant=merchant)
            assert client.id is not None
            invoice_date = today - timedelta(days=age)
            add_invoice(session, owner.id, client.id, number, Decimal(amount), invoice_date,
                        invoice_date + timedelta(days=term),
                        terms=f"{term} jours" if term else "à réception")
        return len(SAMPLES)
