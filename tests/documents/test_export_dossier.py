"""Invoices CSV export and import (round trip, no duplicates, formulas), the evidence file,
the ageing chart."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import select

from actions.cases import case_view
from actions.context import ActionContext
from actions.documents import (
    LegalRoute,
    ageing_png,
    apply_import,
    dossier_csv,
    dossier_pdf,
    invoices_csv,
    preview_import,
)
from actions.documents.chart import HEIGHT, WIDTH, ageing_buckets
from actions.documents.sheets import neutralise
from domain.ledger import (
    list_clients,
    list_invoices,
    log_interaction,
    log_promise,
    record_payment,
    unit_of_work,
)
from domain.ledger.enums import ClientKind, ContactChannel, LadderStep, Outcome
from domain.ledger.models import Invoice
from domain.routes import DOCUMENTS_ORDER_FOR_PAYMENT, DOCUMENTS_SMALL_CLAIMS

from .conftest import NOW, TODAY, make_invoice, pdf_text

SAMPLE = Path(__file__).with_name("sample_fr.csv")


def _import(ctx: ActionContext, owner_id: int, data: bytes) -> tuple[int, int, int]:
    preview = preview_import(data)
    with unit_of_work(ctx.engine) as session:
        result = apply_import(session, owner_id, preview)
    return result.created, result.skipped_existing, result.clients_created


def _facts(ctx: ActionContext, owner_id: int) -> list[tuple[object, ...]]:
    with unit_of_work(ctx.engine, write=False) as session:
        clients = {c.id: c for c in list_clients(session, owner_id)}
        return sorted((i.number, clients[i.client_id].name, clients[i.client_id].kind, i.amount,
                       i.invoice_date, i.due_date, clients[i.client_id].email,
                       clients[i.client_id].phone, clients[i.client_id].address)
                      for i in list_invoices(session, owner_id))


def test_import_then_reimport_creates_nothing_twice(ctx: ActionContext, owner_id: int) -> None:
    data = SAMPLE.read_bytes()
    assert _import(ctx, owner_id, data) == (4, 0, 3)
    addresses = {f[1]: f[-1] for f in _facts(ctx, owner_id)}
    assert addresses == {"SARL Dupont Bâtiment": "12 rue des Lilas\nBâtiment B\n69003 Lyon",
                         "Mme Claire Bernard": "3 place du Marché\n13002 Marseille",
                         "Café du Port": None}
    assert _import(ctx, owner_id, data) == (0, 4, 0)
    with unit_of_work(ctx.engine, write=False) as session:
        assert len(session.exec(select(Invoice)).all()) == 4


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_export_round_trip(ctx: ActionContext, owner_id: int, tmp_path: Path, lang: str) -> None:
    _import(ctx, owner_id, SAMPLE.read_bytes())
    with unit_of_work(ctx.engine, write=False) as session:
        exported = invoices_csv(ctx, session, owner_id, TODAY, lang)
    before = _facts(ctx, owner_id)
    other = ctx.__class__(**{**ctx.__dict__})  # same services, fresh owner below
    from bot.services import console_owner_id

    second = console_owner_id(other, "round-trip")
    preview = preview_import(exported)
    assert preview.errors == () and preview.file_error is None
    with unit_of_work(ctx.engine) as session:
        apply_import(session, second, preview)
    assert _facts(ctx, second) == before


def test_export_states_the_diagnosis_and_neutralises_formulas(
        ctx: ActionContext, owner_id: int) -> None:
    with unit_of_work(ctx.engine) as session:
        hostile = make_invoice(session, owner_id, client="=HYPERLINK(\"http://evil\",\"x\")",
                               number="@SUM(1+1)")
        diag = case_view(ctx, session, hostile, TODAY).diagnosis
        make_invoice(session, owner_id, client="-Moins SARL", number="+33", amount="99.99")
        exported = invoices_csv(ctx, session, owner_id, TODAY, "fr")
    text = exported.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, *body = rows
    assert header[:3] == ["N° facture", "Client", "Type client"]
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    first = dict(zip(header, body[0], strict=True))
    assert first["N° facture"] == "'@SUM(1+1)"
    assert first["Client"].startswith("'=HYPERLINK")
    assert first["Jours de retard"] == "161"
    assert first["Indemnité"] == "40,00"
    assert first["Total réclamable"] == str(diag.total_claimable).replace(".", ",")
    assert first["Pénalités dues"] == str(diag.interest.due).replace(".", ",")
    assert first["Prochaine étape"] == "appel cordial"
    assert neutralise("\tx") == "'\tx" and neutralise("a=b") == "a=b"


def _story(ctx: ActionContext, owner_id: int) -> int:
    with unit_of_work(ctx.engine) as session:
        invoice = make_invoice(session, owner_id)
        assert invoice.id is not None
        log_interaction(session, owner_id, invoice.id, date(2026, 7, 1), ContactChannel.CALL,
                        Outcome.PROMISE, ladder_step=LadderStep.FRIENDLY_CALL,
                        note="Il paiera | fin juillet\nsans faute", now=NOW)
        log_promise(session, owner_id, invoice.id, Decimal("500.00"), date(2026, 7, 31), now=NOW)
        record_payment(session, owner_id, invoice.id, Decimal("200.00"), date(2026, 8, 1),
                       now=NOW)
        log_interaction(session, owner_id, invoice.id, date(2026, 9, 20), ContactChannel.LETTER,
                        Outcome.OTHER, ladder_step=LadderStep.FORMAL_NOTICE, now=NOW)
        return invoice.id


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_dossier_pdf_tells_the_story_in_order(ctx: ActionContext, owner_id: int,
                                              lang: str) -> None:
    invoice_id = _story(ctx, owner_id)
    with unit_of_work(ctx.engine, write=False) as session:
        data = dossier_pdf(ctx, session, owner_id, invoice_id, TODAY, lang)
        plain = dossier_pdf(ctx, session, owner_id, invoice_id, TODAY, lang,
                            LegalRoute.ORDER_FOR_PAYMENT)
    text = pdf_text(data)
    assert "F-2026-118" in text and "SARL Dupont Bâtiment" in text
    dates = ["15/05/2026", "15/06/2026", "01/07/2026", "01/08/2026", "20/09/2026"] \
        if lang == "fr" else ["15 May 2026", "15 Jun 2026", "1 Jul 2026", "1 Aug 2026",
                              "20 Sept 2026"]
    positions = [text.index(d) for d in dates]
    assert positions == sorted(positions)
    assert ("fin juillet" in text) and ("Il paiera / fin" in " ".join(text.split()))
    checklist = ("Mise en demeure et preuve d'envoi" if lang == "fr"
                 else "Formal notice and proof of sending")
    assert checklist in " ".join(pdf_text(plain).split())
    assert text.count("[ ]") == len(DOCUMENTS_SMALL_CLAIMS)  # under 5 000 €: the suggested route
    assert pdf_text(plain).count("[ ]") == len(DOCUMENTS_ORDER_FOR_PAYMENT)
    for word in ("République", "huissier", "jugement"):
        assert word not in text


def test_dossier_csv_rows_and_situation(ctx: ActionContext, owner_id: int) -> None:
    invoice_id = _story(ctx, owner_id)
    with unit_of_work(ctx.engine, write=False) as session:
        data = dossier_csv(ctx, session, owner_id, invoice_id, TODAY, "en")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Date", "Event", "Detail", "Amount", "State"]
    events = [r[1] for r in rows[1:]]
    assert events[:6] == ["Invoice issued", "Due date", "Contact", "Payment", "Contact",
                          "Promise"]
    days = [r[0] for r in rows[1:]]
    assert days == sorted(days)
    situation = {r[2]: r[3] for r in rows if r[1] == "Situation"}
    assert situation["Fixed recovery compensation"] == "40.00"
    assert Decimal(situation["Total claimable"]) > Decimal("1000")


def test_ageing_buckets_and_png(ctx: ActionContext, owner_id: int) -> None:
    buckets = ageing_buckets([(1, Decimal("10")), (30, Decimal("5")), (31, Decimal("7")),
                              (90, Decimal("1")), (91, Decimal("2")), (400, Decimal("3"))])
    assert [(b.amount, b.count) for b in buckets] == [
        (Decimal("15"), 2), (Decimal("7"), 1), (Decimal("1"), 1), (Decimal("5"), 2)]
    with unit_of_work(ctx.engine) as session:
        make_invoice(session, owner_id, due=date(2026, 11, 1))
        make_invoice(session, owner_id, client="Mme X", kind=ClientKind.CONSUMER,
                     number="B", due=date(2026, 5, 1))
        for lang in ("fr", "en"):
            image = Image.open(io.BytesIO(ageing_png(ctx, session, owner_id, TODAY, lang)))
            image.load()
            assert image.format == "PNG" and image.size == (WIDTH, HEIGHT)
            colours = image.getcolors(maxcolors=1 << 16)
            assert colours is not None and len(colours) > 3  # bars and labels were drawn
        empty = Image.open(io.BytesIO(ageing_png(ctx, session, owner_id + 99, TODAY, "fr")))
        assert empty.size == (WIDTH, HEIGHT)
