"""CSV files for spreadsheets: Excel-friendly (UTF-8 with BOM; `;` and decimal commas in
French, `,` and decimal points in English) and safe to open (formula injection neutralised)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

#: A spreadsheet treats a cell starting with one of these as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Prefix a would-be formula with `'` so that spreadsheets show it as text."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def delimiter(lang: str) -> str:
    return ";" if lang == "fr" else ","


def number(value: Decimal | int | None, lang: str) -> str:
    """1250.5 → "1250,50" (fr) / "1250.50" (en): no thousands separator, spreadsheets parse it."""
    if value is None:
        return ""
    text = f"{value:.2f}" if isinstance(value, Decimal) else str(value)
    return text.replace(".", ",") if lang == "fr" else text


def day(value: date | None, lang: str) -> str:
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y") if lang == "fr" else value.isoformat()


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]], lang: str) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter(lang), lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")
