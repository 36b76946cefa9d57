"""Reading a spreadsheet of invoices (CSV) into checked rows, before anything is stored.

Pure: bytes in, an `ImportPreview` out (parsed rows and one error per bad line, each with its
line number and a stable code; the wording lives in templates). No database, no clock.
What it accepts: French or English headers, `;`, `,` or tab separators (sniffed from the
header line), UTF-8 with or without BOM, UTF-16 with BOM, Excel's CP-1252, French decimals
("1 250,50"), dates as 31/12/2026, 31-12-2026, 31.12.2026 or 2026-12-31 (slashed dates are
read day first: this is a French tool).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from domain.address import postal_address
from domain.case import EARLIEST_DATE
from domain.csv_columns import HEADERS, REQUIRED, Column
from domain.errors import InvalidInput
from domain.money import parse_amount
from domain.parties import DebtorKind
from domain.terms import due_date, parse_terms

MAX_BYTES = 1_000_000  # a spreadsheet of 5 000 invoices is about 500 kB
MAX_ROWS = 5_000
MAX_NUMBER_LENGTH = 64  # the ledger's invoice.number column
MAX_NAME_LENGTH = 200
MAX_ERRORS_KEPT = 1_000  # beyond this the preview only counts them
#: A leading `'` that an export put before these characters (formula neutralisation) is removed.
NEUTRALISED = ("=", "+", "-", "@", "\t", "\r")


_PROFESSIONAL = {"professionnel", "professionnelle", "pro", "professional", "entreprise",
                 "societe", "business", "company", "b2b"}
_CONSUMER = {"particulier", "consommateur", "consumer", "individual", "private", "personne",
             "b2c"}
_EUROS = {"", "eur", "euro", "euros", "€"}
_EMAIL = re.compile(r"^[^@\s;,]+@[^@\s;,]+\.[^@\s;,]+$")
_PHONE = re.compile(r"^\+?[\d .\-()/]{6,25}$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_CURRENCY_MARK = re.compile(r"(€|eur(?:os?)?)$|^(€|eur)", re.IGNORECASE)


@dataclass(frozen=True)
class FileError:
    """Why the whole file is refused: a stable code and plain parameters for the template."""

    code: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RowError:
    line: int  # 1 is the header line
    code: str
    column: str | None = None
    value: str | None = None  # shortened, for the message


@dataclass(frozen=True)
class ImportRow:
    line: int
    number: str
    client: str
    amount: Decimal
    invoice_date: date
    due_date: date
    client_kind: DebtorKind
    kind_assumed: bool  # no type given: professional assumed (the user should confirm)
    terms: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None  # "street\npostcode town", as the formal notice prints it

    @property
    def key(self) -> tuple[str, str]:
        return self.number, " ".join(self.client.split()).casefold()


@dataclass(frozen=True)
class ImportPreview:
    rows: tuple[ImportRow, ...] = ()
    errors: tuple[RowError, ...] = ()
    file_error: FileError | None = None
    error_count: int = 0
    encoding: str | None = None
    delimiter: str | None = None
    columns: tuple[str, ...] = ()  # recognised columns, in file order
    ignored: tuple[str, ...] = ()  # headers not understood (ignored)

    @property
    def ok(self) -> bool:
        return self.file_error is None and bool(self.rows)


class _RowRejected(Exception):
    def __init__(self, code: str, column: Column | None = None, value: str | None = None) -> None:
        super().__init__(code)
        self.code, self.column, self.value = code, column, value


def preview_import(data: bytes) -> ImportPreview:
    """Parse and check a CSV file of invoices; never raises on bad content."""
    if len(data) > MAX_BYTES:
        return _refused("too_large", max_kb=str(MAX_BYTES // 1000), size_kb=str(len(data) // 1000))
    text, encoding = _decode(data)
    if text is None:
        return _refused(encoding)  # the reason code
    lines = text.splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return _refused("empty")
    delimiter = _sniff(lines[0])
    try:
        records = _records(text, delimiter)
    except csv.Error as exc:
        return _refused("malformed_csv", detail=str(exc)[:80])
    if not records:
        return _refused("empty")
    header = records[0][1]
    mapping, ignored, problem = _map_header(header)
    if problem is not None:
        return ImportPreview(file_error=problem, encoding=encoding, delimiter=delimiter)
    body = [(n, cells) for n, cells in records[1:] if any(c.strip() for c in cells)]
    if not body:
        return _refused("no_rows")
    if len(body) > MAX_ROWS:
        return _refused("too_many_rows", max_rows=str(MAX_ROWS), rows=str(len(body)))
    rows: list[ImportRow] = []
    errors: list[RowError] = []
    seen: set[tuple[str, str]] = set()
    for line, cells in body:
        try:
            row = _row(line, cells, mapping)
            if row.key in seen:
                raise _RowRejected("duplicate_in_file", Column.NUMBER, row.number)
        except _RowRejected as bad:
            errors.append(RowError(line, bad.code, bad.column.value if bad.column else None,
                                   None if bad.value is None else bad.value[:40]))
            continue
        seen.add(row.key)
        rows.append(row)
    return ImportPreview(tuple(rows), tuple(errors[:MAX_ERRORS_KEPT]), None, len(errors),
                         encoding, delimiter, tuple(c.value for c in mapping), tuple(ignored))


def _refused(code: str, **params: str) -> ImportPreview:
    return ImportPreview(file_error=FileError(code, params))


def _decode(data: bytes) -> tuple[str | None, str]:
    """(text, encoding) or (None, reason code)."""
    if not data.strip():
        return None, "empty"
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = [("utf-8-sig", data)]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = [("utf-16", data)]
    else:
        if b"\x00" in data:
            return None, "binary"
        candidates = [("utf-8", data), ("cp1252", data)]
    for encoding, raw in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\r\n\t")
        if "\x00" in text or controls > max(2, len(text) // 100):
            return None, "binary"
        return text, encoding.removesuffix("-sig")
    return None, "binary"


def _sniff(header: str) -> str:
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _records(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """(first line number, cells) of every record; the file is small (MAX_BYTES)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    start = 1
    for cells in reader:
        records.append((start, cells))
        start = reader.line_num + 1
    while records and not any(c.strip() for c in records[0][1]):
        records.pop(0)
    return records


def fold(text: str) -> str:
    """Lower case, no accents, punctuation as single spaces: "N° Facture" → "n facture"."""
    plain = unicodedata.normalize("NFKD", text.replace("°", " ").replace("º", " "))
    plain = plain.encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def _map_header(header: list[str]) -> tuple[dict[Column, int], list[str], FileError | None]:
    mapping: dict[Column, int] = {}
    ignored: list[str] = []
    for index, name in enumerate(header):
        column = HEADERS.get(fold(name.lstrip("\ufeff")))
        if column is None:
            if name.strip():
                ignored.append(name.strip()[:40])
            continue
        if column in mapping:
            return mapping, ignored, FileError("duplicate_column", {"column": column.value})
        mapping[column] = index
    missing = [c.value for c in REQUIRED if c not in mapping]
    if Column.DUE_DATE not in mapping and Column.TERMS not in mapping:
        missing.append(f"{Column.DUE_DATE.value}|{Column.TERMS.value}")
    if missing:
        return mapping, ignored, FileError("missing_columns", {
            "missing": ",".join(missing), "found": ",".join(h.strip()[:30] for h in header[:12])})
    return mapping, ignored, None


def _cell(cells: list[str], mapping: dict[Column, int], column: Column) -> str:
    index = mapping.get(column)
    if index is None or index >= len(cells):
        return ""
    value = cells[index].strip()
    if value.startswith("'") and value[1:2] in NEUTRALISED:
        value = value[1:]  # undo an export's formula neutralisation
    return value


def _text(value: str, column: Column, limit: int) -> str:
    clean = " ".join(value.split())
    if not clean:
        raise _RowRejected(f"missing_{column.value}", column)
    if clean.startswith(("=", "@")):
        raise _RowRejected("formula_not_allowed", column, clean)
    if len(clean) > limit or any(unicodedata.category(ch) == "Cc" for ch in clean):
        raise _RowRejected(f"invalid_{column.value}", column, clean)
    return clean


def _row(line: int, cells: list[str], mapping: dict[Column, int]) -> ImportRow:
    def get(column: Column) -> str:
        return _cell(cells, mapping, column)

    number = _text(get(Column.NUMBER), Column.NUMBER, MAX_NUMBER_LENGTH)
    client = _text(get(Column.CLIENT), Column.CLIENT, MAX_NAME_LENGTH)
    if fold(get(Column.CURRENCY)) not in _EUROS and get(Column.CURRENCY) != "€":
        raise _RowRejected("unsupported_currency", Column.CURRENCY, get(Column.CURRENCY))
    amount = parse_money(get(Column.AMOUNT))
    invoice_date = parse_day(get(Column.INVOICE_DATE), Column.INVOICE_DATE)
    kind, assumed = _kind(get(Column.CLIENT_KIND))
    terms = get(Column.TERMS) or None
    due = _due(get(Column.DUE_DATE), terms, invoice_date, kind)
    return ImportRow(line, number, client, amount, invoice_date, due, kind, assumed,
                     terms=terms, email=_email(get(Column.EMAIL)), phone=_phone(get(Column.PHONE)),
                     address=_address(get(Column.ADDRESS), get(Column.POSTCODE), get(Column.CITY)))


def parse_money(raw: str) -> Decimal:
    """ "1 250,50", "1.250,50 €", "1,250.50", "EUR 99" → Decimal; other currencies refused."""
    if not raw:
        raise _RowRejected("missing_amount", Column.AMOUNT)
    if raw.startswith(("=", "@")):
        raise _RowRejected("formula_not_allowed", Column.AMOUNT, raw)
    text = raw.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    text = _CURRENCY_MARK.sub("", text)
    if re.search(r"[$£¥₹]|usd|gbp|chf|jpy", text, re.IGNORECASE):
        raise _RowRejected("unsupported_currency", Column.AMOUNT, raw)
    if text.startswith("(") and text.endswith(")"):
        text = "-" + text[1:-1]  # accounting notation for a negative number
    if "," in text and "." in text:
        text = (text.replace(".", "").replace(",", ".") if text.rfind(",") > text.rfind(".")
                else text.replace(",", ""))
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    if not re.fullmatch(r"[+-]?\d+(\.\d+)?", text):
        raise _RowRejected("invalid_amount", Column.AMOUNT, raw)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise _RowRejected("invalid_amount", Column.AMOUNT, raw) from None
    if value < 0:
        raise _RowRejected("negative_amount", Column.AMOUNT, raw)
    try:
        return parse_amount(str(value), Column.AMOUNT.value)
    except InvalidInput as exc:
        code = {"not_positive": "zero_amount", "too_large": "amount_too_large",
                "more_than_two_decimals": "too_many_decimals"}.get(exc.code, "invalid_amount")
        raise _RowRejected(code, Column.AMOUNT, raw) from None


def parse_day(raw: str, column: Column) -> date:
    """31/12/2026, 31-12-2026, 31.12.2026 or 2026-12-31 (a time part after a space is dropped)."""
    if not raw:
        raise _RowRejected(f"missing_{column.value}", column)
    text = raw.split(" ")[0].split("T")[0]
    if match := _DAY_FIRST.match(text):
        day_, month, year = (int(g) for g in match.groups())
    elif match := _ISO.match(text):
        year, month, day_ = (int(g) for g in match.groups())
    else:
        raise _RowRejected("invalid_date", column, raw)
    try:
        value = date(year, month, day_)
    except ValueError:
        raise _RowRejected("invalid_date", column, raw) from None
    if value < EARLIEST_DATE or year > 2200:
        raise _RowRejected("date_out_of_range", column, raw)
    return value


def _kind(raw: str) -> tuple[DebtorKind, bool]:
    folded = fold(raw)
    if not folded:
        return DebtorKind.PROFESSIONAL, True
    if folded in _PROFESSIONAL:
        return DebtorKind.PROFESSIONAL, False
    if folded in _CONSUMER:
        return DebtorKind.CONSUMER, False
    raise _RowRejected("unknown_client_kind", Column.CLIENT_KIND, raw)


def _due(raw: str, terms: str | None, invoice_date: date, kind: DebtorKind) -> date:
    if raw:
        due = parse_day(raw, Column.DUE_DATE)
        if due < invoice_date:
            raise _RowRejected("due_before_invoice", Column.DUE_DATE, raw)
        return due
    if not terms:
        raise _RowRejected("missing_due_date", Column.DUE_DATE)
    try:
        parsed = parse_terms(terms)
        return due_date(invoice_date, terms=parsed,
                        professional_debtor=kind is DebtorKind.PROFESSIONAL).due
    except InvalidInput:
        raise _RowRejected("unknown_terms", Column.TERMS, terms) from None


def _email(raw: str) -> str | None:
    if not raw:
        return None
    if not _EMAIL.match(raw) or len(raw) > 254:
        raise _RowRejected("invalid_email", Column.EMAIL, raw)
    return raw


def _address(street: str, postcode: str, town: str) -> str | None:
    try:
        return postal_address(street, postcode, town)
    except InvalidInput:
        raise _RowRejected("invalid_address", Column.ADDRESS, street or town) from None


def _phone(raw: str) -> str | None:
    if not raw:
        return None
    digits = sum(ch.isdigit() for ch in raw)
    if not _PHONE.match(raw) or not 6 <= digits <= 15:
        raise _RowRejected("invalid_phone", Column.PHONE, raw)
    return raw
