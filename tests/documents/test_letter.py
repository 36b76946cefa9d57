"""The formal notice PDF: mentions, the diagnosis' amounts, B2B v. B2C, nothing court-like."""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal

import pytest

from actions.cases import case_view
from actions.context import ActionContext
from actions.documents import (
    DocumentError,
    formal_notice_pdf,
    formal_notice_text,
    invoice_by_number,
)
from actions.wording import money, percent
from domain.ledger import (
    NotFound,
    add_invoice,
    get_invoice,
    record_payment,
    set_invoice_status,
    unit_of_work,
    update_client,
)
from domain.ledger.enums import ClientKind, InvoiceStatus

from .conftest import NOW, TODAY, make_invoice, pdf_text

FORBIDDEN = ("République", "Republique", "huissier", "commissaire de justice", "jugement",
             "judgment", "bailiff", "tribunal de grande instance", "sceau", "seal")


def _flat(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def _letter(ctx: ActionContext, owner_id: int, lang: str, **invoice: object
            ) -> tuple[str, dict[str, object]]:
    with unit_of_work(ctx.engine) as session:
        row = make_invoice(session, owner_id, **invoice)  # type: ignore[arg-type]
        assert row.id is not None
        if invoice.get("number") == "F-PART":
            record_payment(session, owner_id, row.id, Decimal("200.00"), date(2026, 8, 1))
        started = time.perf_counter()
        data = formal_notice_pdf(ctx, session, owner_id, row.id, TODAY, lang)
        elapsed = time.perf_counter() - started
        diag = case_view(ctx, session, row, TODAY).diagnosis.to_json()
    assert data.startswith(b"%PDF-") and len(data) < 30_000
    print(f"formal notice PDF: {len(data)} bytes in {elapsed * 1000:.0f} ms")
    return _flat(pdf_text(data)), diag


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_professional_letter_states_what_the_diagnosis_says(
        ctx: ActionContext, owner_id: int, lang: str) -> None:
    text, diag = _letter(ctx, owner_id, lang, number="F-PART")
    penalties: dict[str, object] = diag["penalties"]  # type: ignore[assignment]
    assert ("Mise en demeure" if lang == "fr" else "Formal notice") in text
    assert "F-PART" in text
    assert ("8 jours" if lang == "fr" else "8 days") in text
    assert _flat(money(str(diag["total_claimable"]), lang)) in text
    assert _flat(money(str(penalties["due"]), lang)) in text
    for segment in penalties["segments"]:  # type: ignore[attr-defined]
        assert _flat(percent(segment["rate"], lang)) in text
        assert _flat(money(segment["amount"], lang)) in text
    assert diag["indemnity"] == "40.00" and _flat(money("40.00", lang)) in text
    assert "injonction de payer" in text
    assert ("tribunal de commerce") in text
    assert "FR76 3000" in text and "12345678900012" in text and "Lyon" in text
    for word in FORBIDDEN:
        assert word.lower() not in text.lower()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_consumer_letter_has_no_indemnity_nor_penalties(
        ctx: ActionContext, owner_id: int, lang: str) -> None:
    text, diag = _letter(ctx, owner_id, lang, client="Mme Claire Bernard",
                         kind=ClientKind.CONSUMER, number="2026-052", merchant=None)
    assert diag["indemnity"] == "0.00"
    assert "40,00" not in text and "€40.00" not in text
    assert "forfaitaire" not in text and "fixed compensation" not in text
    assert "L441-10" not in text
    assert ("taux légal" if lang == "fr" else "statutory interest") in text
    assert "tribunal judiciaire" in text
    assert _flat(money("1250.00", lang)) in text


def test_lookup_errors_and_owner_scope(ctx: ActionContext, owner_id: int) -> None:
    with unit_of_work(ctx.engine) as session:
        row = make_invoice(session, owner_id)
        make_invoice(session, owner_id, client="Autre SAS", number="F-2026-118")
        with pytest.raises(DocumentError) as ambiguous:
            invoice_by_number(session, owner_id, "F-2026-118")
        assert ambiguous.value.code == "invoice_ambiguous"
        assert invoice_by_number(session, owner_id, "F-2026-118", "autre sas").client_id != (
            row.client_id)
        with pytest.raises(DocumentError):
            invoice_by_number(session, owner_id, "F-404")
        assert row.id is not None
        with pytest.raises(NotFound):  # another owner's invoice is not found, not leaked
            formal_notice_pdf(ctx, session, owner_id + 1000, row.id, TODAY, "fr")


def test_no_letter_before_the_due_date_or_once_paid(ctx: ActionContext, owner_id: int) -> None:
    with unit_of_work(ctx.engine) as session:
        early = make_invoice(session, owner_id, number="F-EARLY", due=date(2026, 12, 15))
        paid = make_invoice(session, owner_id, client="Payeur SARL", number="F-PAID")
        assert early.id is not None and paid.id is not None
        record_payment(session, owner_id, paid.id, Decimal("1250.00"), date(2026, 6, 1))
        for invoice_id, code in ((early.id, "not_yet_due"), (paid.id, "nothing_due")):
            with pytest.raises(DocumentError) as refused:
                formal_notice_pdf(ctx, session, owner_id, invoice_id, TODAY, "fr")
            assert refused.value.code == code


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_letter_is_addressed_to_the_client_when_the_address_is_known(
        ctx: ActionContext, owner_id: int, lang: str) -> None:
    placeholder = "[adresse du destinataire]" if lang == "fr" else "[recipient's address]"
    with unit_of_work(ctx.engine) as session:
        row = make_invoice(session, owner_id, number=f"F-ADR-{lang}")
        assert row.id is not None
        before = formal_notice_text(ctx, session, owner_id, row.id, TODAY, lang)
        update_client(session, owner_id, row.client_id,
                      address="12 rue des Lilas\nBâtiment B\n69003 Lyon")
        after = formal_notice_text(ctx, session, owner_id, row.id, TODAY, lang)
        pdf = _flat(pdf_text(formal_notice_pdf(ctx, session, owner_id, row.id, TODAY, lang)))
    assert placeholder in before
    assert placeholder not in after
    indent = " " * 40
    assert (f"{indent}SARL Dupont Bâtiment\n{indent}12 rue des Lilas\n{indent}Bâtiment B\n"
            f"{indent}69003 Lyon\n") in after
    assert "12 rue des Lilas Bâtiment B 69003 Lyon" in pdf


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_one_letter_for_all_the_client_owes(ctx: ActionContext, owner_id: int, lang: str) -> None:
    with unit_of_work(ctx.engine) as session:
        first = make_invoice(session, owner_id, number="F-A")
        client_id = first.client_id

        def more(number: str, due: date) -> int:
            row = add_invoice(session, owner_id, client_id, number, Decimal("400.00"),
                              date(2026, 9, 1), due, now=NOW)
            assert row.id is not None
            return row.id

        second = more("F-B", date(2026, 10, 1))
        more("F-C", date(2026, 12, 31))  # not yet due
        set_invoice_status(session, owner_id, more("F-D", date(2026, 10, 1)),
                           InvoiceStatus.DISPUTED)  # paused: not demanded
        make_invoice(session, owner_id, client="Autre Client", number="F-E")  # another client
        assert first.id is not None
        data = formal_notice_pdf(ctx, session, owner_id, first.id, TODAY, lang)
        a = case_view(ctx, session, first, TODAY).diagnosis
        b = case_view(ctx, session, get_invoice(session, owner_id, second), TODAY).diagnosis
    text = _flat(pdf_text(data))
    assert text.count("F-A, F-B") == 2  # the subject and the payment references
    assert "F-C" not in text and "F-D" not in text and "F-E" not in text
    assert _flat(money(str(b.total_claimable), lang)) in text  # 400 € + penalties + 40 €
    assert b.indemnity == Decimal("40") and b.total_claimable > Decimal("440")
    assert _flat(money(str(a.total_claimable + b.total_claimable), lang)) in text
