"""domain/csv_import.py: the formats people's spreadsheets really have, and hostile files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.csv_import import MAX_BYTES, MAX_ROWS, preview_import
from domain.parties import DebtorKind

FR_HEADER = "N° facture;Client;Montant TTC;Date facture;Échéance;Type client;Email;Téléphone"
FR_ROW = "F-1;Dupont SARL;1 250,50;15/09/2026;15/10/2026;professionnel;a@dupont.fr;06 12 34 56 78"
EN_HEADER = "Invoice number,Client,Amount,Invoice date,Due date,Client type,Email,Phone"
EN_ROW = 'F-1,Dupont SARL,"1,250.50",2026-09-15,2026-10-15,professional,a@dupont.fr,+33 6 12 34 56 78'


@pytest.mark.parametrize(("label", "data"), [
    ("fr utf-8 ;", f"{FR_HEADER}\n{FR_ROW}\n".encode()),
    ("fr utf-8 bom crlf", f"\ufeff{FR_HEADER}\r\n{FR_ROW}\r\n".encode()),
    ("fr cp1252 (Excel)", f"{FR_HEADER}\r\n{FR_ROW}\r\n".encode("cp1252")),
    ("fr utf-16 (Excel unicode text)", f"{FR_HEADER}\n{FR_ROW}\n".replace(";", "\t").encode("utf-16")),
    ("en ,", f"{EN_HEADER}\n{EN_ROW}\n".encode()),
    ("en , with bom", f"\ufeff{EN_HEADER}\n{EN_ROW}\n".encode()),
    ("fr headers in english words, ;", (
        "numero;client;montant;date facture;conditions\n"
        "F-1;Dupont SARL;1250,50 €;15.09.2026;30 jours\n").encode()),
    ("nbsp thousands", (FR_HEADER + "\n" + FR_ROW.replace("1 250,50", "1\u202f250,50")).encode()),
    ("dotted thousands", f"{FR_HEADER}\n{FR_ROW.replace('1 250,50', '1.250,50')}\n".encode()),
])
def test_accepted_formats(label: str, data: bytes) -> None:
    preview = preview_import(data)
    assert preview.file_error is None, label
    assert preview.errors == (), label
    (row,) = preview.rows
    assert row.number == "F-1" and row.client == "Dupont SARL" and row.line == 2
    assert row.amount == Decimal("1250.50")
    assert row.invoice_date == date(2026, 9, 15)
    assert row.due_date == date(2026, 10, 15)
    assert row.client_kind is DebtorKind.PROFESSIONAL


def test_terms_give_the_due_date_and_consumers_are_read() -> None:
    data = ("invoice number,client,amount,invoice date,terms,client type\n"
            "A-1,Mme Martin,99,2026-01-31,45 jours fin de mois,particulier\n"
            "A-2,Foo SAS,10,2026-01-05,à réception,\n").encode()
    first, second = preview_import(data).rows
    assert first.client_kind is DebtorKind.CONSUMER and not first.kind_assumed
    assert first.due_date == date(2026, 3, 17)  # domain.terms: the nearer of the two readings
    assert second.due_date == date(2026, 1, 5) and second.kind_assumed


@pytest.mark.parametrize(("cells", "code"), [
    ("F-9;Dupont;-100;15/09/2026;15/10/2026", "negative_amount"),
    ("F-9;Dupont;(100);15/09/2026;15/10/2026", "negative_amount"),
    ("F-9;Dupont;0;15/09/2026;15/10/2026", "zero_amount"),
    ("F-9;Dupont;12,345;15/09/2026;15/10/2026", "too_many_decimals"),
    ("F-9;Dupont;abc;15/09/2026;15/10/2026", "invalid_amount"),
    ("F-9;Dupont;$100;15/09/2026;15/10/2026", "unsupported_currency"),
    ("F-9;Dupont;100 USD;15/09/2026;15/10/2026", "unsupported_currency"),
    ("F-9;Dupont;=SUM(A1:A9);15/09/2026;15/10/2026", "formula_not_allowed"),
    ("F-9;=HYPERLINK(\"http://x\");100;15/09/2026;15/10/2026", "formula_not_allowed"),
    ("F-9;@SUM(1);100;15/09/2026;15/10/2026", "formula_not_allowed"),
    ("F-9;Dupont;100;31/02/2026;15/10/2026", "invalid_date"),
    ("F-9;Dupont;100;2026-02-30;15/10/2026", "invalid_date"),
    ("F-9;Dupont;100;15/09/1999;15/10/2026", "date_out_of_range"),
    ("F-9;Dupont;100;15/09/2026;15/08/2026", "due_before_invoice"),
    ("F-9;Dupont;100;15/09/2026;", "missing_due_date"),
    (";Dupont;100;15/09/2026;15/10/2026", "missing_number"),
    ("F-9;;100;15/09/2026;15/10/2026", "missing_client"),
    ("F-9;Dupont;;15/09/2026;15/10/2026", "missing_amount"),
    ("F-9;Dupont;100;hier;15/10/2026", "invalid_date"),
    ("F-9;Dupont;100;15/09/2026;15/10/2026;martien", "unknown_client_kind"),
    ("F-9;Dupont;100;15/09/2026;15/10/2026;pro;pas-un-mail", "invalid_email"),
    ("F-9;Dupont;100;15/09/2026;15/10/2026;pro;;12", "invalid_phone"),
    (f"{'X' * 65};Dupont;100;15/09/2026;15/10/2026", "invalid_number"),
])
def test_bad_lines_are_reported_and_good_ones_kept(cells: str, code: str) -> None:
    header = "N° facture;Client;Montant TTC;Date facture;Échéance;Type client;Email;Téléphone"
    data = f"{header}\nF-1;Dupont;100;15/09/2026;15/10/2026\n{cells}\n\nF-2;Dupont;5;01/10/2026;31/10/2026\n"
    preview = preview_import(data.encode())
    assert [r.number for r in preview.rows] == ["F-1", "F-2"]
    assert len(preview.errors) == 1 and preview.error_count == 1
    assert preview.errors[0].line == 3 and preview.errors[0].code == code


def test_currency_column_and_duplicates_within_the_file() -> None:
    data = ("numero;client;montant;devise;date facture;échéance\n"
            "F-1;Dupont;100;EUR;01/09/2026;01/10/2026\n"
            "F-2;Dupont;100;GBP;01/09/2026;01/10/2026\n"
            "F-1;dupont;100;€;01/09/2026;01/10/2026\n").encode()
    preview = preview_import(data)
    assert [r.number for r in preview.rows] == ["F-1"]
    assert [(e.line, e.code) for e in preview.errors] == [(3, "unsupported_currency"),
                                                           (4, "duplicate_in_file")]


def test_quoted_multiline_cell_keeps_line_numbers() -> None:
    data = ('numero;client;montant;date;échéance\n'
            'F-1;"Dupont\net fils";100;01/09/2026;01/10/2026\n'
            'F-2;Martin;x;01/09/2026;01/10/2026\n').encode()
    preview = preview_import(data)
    assert preview.rows[0].client == "Dupont et fils"
    assert preview.errors[0].line == 4


@pytest.mark.parametrize(("data", "code"), [
    (b"", "empty"),
    (b"   \r\n\r\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 4, "binary"),  # an .xlsx
    (bytes(range(256)) * 10, "binary"),
    (b"x" * (MAX_BYTES + 1), "too_large"),
    (b"a" * (10 * 1024 * 1024), "too_large"),
    (b"nom;prix;quand\nDupont;100;hier\n", "missing_columns"),
    (b"numero;client;montant;date facture\nF-1;A;1;01/01/2026\n", "missing_columns"),
    ("numero;client;montant;montant ttc;date;échéance\n".encode(), "duplicate_column"),
    ("numero;client;montant;date;échéance\n".encode(), "no_rows"),
    (("numero;client;montant;date;échéance\n"
      + "F;A;1;01/01/2026;01/02/2026\n" * (MAX_ROWS + 1)).encode(), "too_many_rows"),
])
def test_hostile_files_are_refused_with_a_reason(data: bytes, code: str) -> None:
    preview = preview_import(data)
    assert preview.file_error is not None and preview.file_error.code == code
    assert preview.rows == () and not preview.ok


def test_missing_columns_names_them() -> None:
    preview = preview_import(b"nom;prix\nDupont;100\n")
    assert preview.file_error is not None
    assert preview.file_error.params["missing"] == "number,client,amount,invoice_date,due_date|terms"


def test_export_neutralisation_is_undone() -> None:
    data = ("numero;client;montant;date;échéance;téléphone\n"
            "'-12;'+Plus SARL;100;01/09/2026;01/10/2026;'+33 6 12 34 56 78\n").encode()
    (row,) = preview_import(data).rows
    assert (row.number, row.client, row.phone) == ("-12", "+Plus SARL", "+33 6 12 34 56 78")


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600))
def test_any_bytes_give_a_preview_never_an_exception(data: bytes) -> None:
    preview = preview_import(data)
    assert preview.file_error is not None or all(r.amount > 0 for r in preview.rows)


@settings(max_examples=100, deadline=None)
@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2))
def test_french_amounts_round_trip(amount: Decimal) -> None:
    whole, cents = f"{amount:.2f}".split(".")
    french = f"{int(whole):,}".replace(",", "\u202f") + "," + cents
    data = f"numero;client;montant;date;échéance\nF;A;{french};01/01/2026;01/02/2026\n".encode()
    assert preview_import(data).rows[0].amount == amount


def test_address_columns_make_one_address_and_a_bad_one_is_named() -> None:
    data = ("N° facture;Client;Montant;Date facture;Échéance;Adresse;CP;Ville\n"
            "F-1;Dupont;100;01/09/2026;01/10/2026;12 rue des Lilas;69003;Lyon\n"
            "F-2;Martin;100;01/09/2026;01/10/2026;la place;;\n").encode()
    preview = preview_import(data)
    [row] = preview.rows
    assert row.address == "12 rue des Lilas\n69003 Lyon"
    [error] = preview.errors
    assert (error.line, error.code, error.column) == (3, "invalid_address", "address")
