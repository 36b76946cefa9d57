"""Document fixtures: a real SQLite ledger in a temp folder, the real templates and rate tables."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import Session

from actions.context import ActionContext
from bot.services import build_context, console_owner_id
from bot.settings import Settings
from domain.ledger import add_client, add_invoice, unit_of_work, update_owner_profile
from domain.ledger.enums import ClientKind
from domain.ledger.models import Invoice

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
OWNER = {"business_name": "Menuiserie Leroy", "signature": "Paul Leroy",
         "address": "3 rue des Lilas, 69003 Lyon", "email": "paul@leroy.fr",
         "phone": "06 12 34 56 78", "iban": "FR76 3000 1007 9412 3456 7890 185",
         "siret": "12345678900012"}


def pdf_text(data: bytes) -> str:
    """All pages' text, with the narrow and normal no-break spaces read as spaces."""
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return text.replace("\u202f", " ").replace("\xa0", " ")


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[ActionContext]:
    context = build_context(Settings(database_url=f"sqlite:///{tmp_path / 'docs.db'}"))
    yield context
    context.engine.dispose()


@pytest.fixture
def owner_id(ctx: ActionContext) -> int:
    owner = console_owner_id(ctx, "local")
    with unit_of_work(ctx.engine) as session:
        update_owner_profile(session, owner, OWNER)
    return owner


def make_invoice(session: Session, owner_id: int, *, client: str = "SARL Dupont Bâtiment",
                 kind: ClientKind = ClientKind.PROFESSIONAL, number: str = "F-2026-118",
                 amount: str = "1250.00", invoice_date: date = date(2026, 5, 15),
                 due: date = date(2026, 6, 15), merchant: bool | None = True) -> Invoice:
    row = add_client(session, owner_id, client, kind, is_merchant=merchant)
    assert row.id is not None
    invoice = add_invoice(session, owner_id, row.id, number, Decimal(amount), invoice_date, due,
                          now=NOW)
    session.flush()
    return invoice
