"""Dated legal rate tables: the ECB main refinancing rate and the taux de l'intérêt légal.

The tables are data (`data/rates/*.csv`, see its README); this module reads them and answers
"which rate applies to this half-year?" — and says so when the table does not know.

- Default B2B penalty rate: ECB MRO rate in force on 1 January (S1) / 1 July (S2)
  + 10 points (C. com. L441-10 II; +7 points before 2009, loi LME n° 2008-776).
- Taux de l'intérêt légal: C. mon. fin. L313-2 and D313-1-A, one rate per half-year and per
  creditor category since 2015 ("particuliers" / "autres cas").
- Contract-rate floor: 3 × taux légal "autres cas" (L441-10 II).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from domain.calendar import Semester
from domain.notices import Confidence, Notice, weakest

DEFAULT_RATE_MARGIN = Decimal("10")  # points over the ECB rate since 1 Jan 2009 (loi LME)
PRE_2009_MARGIN = Decimal("7")
LME_START = date(2009, 1, 1)
SEMESTER_ANCHORING_START = date(2013, 1, 1)  # loi n° 2012-387: rate on 1 Jan / 1 Jul
CONTRACT_FLOOR_MULTIPLIER = Decimal("3")


class RateTableError(ValueError):
    """A rate file that cannot be read: the message names the file and line."""


@dataclass(frozen=True)
class EcbChange:
    effective: date
    rate: Decimal
    confidence: Confidence
    source: str


@dataclass(frozen=True)
class LegalRate:
    semester: Semester
    particuliers: Decimal
    autres_cas: Decimal
    confidence: Confidence
    source: str


@dataclass(frozen=True)
class RateLookup:
    """A rate with how sure it is and anything the user must be told about it."""

    rate: Decimal
    confidence: Confidence
    notices: tuple[Notice, ...] = ()


@dataclass(frozen=True)
class RateTable:
    ecb: tuple[EcbChange, ...]
    legal: dict[Semester, LegalRate]
    # Lookups are pure functions of the (immutable) table: computed once per half-year.
    _memo: dict[tuple[str, Semester, bool], RateLookup] = field(
        default_factory=dict, compare=False, repr=False)

    def _remember(self, key: tuple[str, Semester, bool], compute: Callable[[], RateLookup]
                  ) -> RateLookup:
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = compute()
        return found

    @property
    def last_legal_semester(self) -> Semester:
        return max(self.legal)

    def ecb_rate_on(self, day: date) -> RateLookup:
        """The ECB MRO rate in force on `day` (last change effective on or before it)."""
        known = [c for c in self.ecb if c.effective <= day]
        if not known:
            first = self.ecb[0]
            return RateLookup(first.rate, Confidence.LOW, (Notice(
                "rate_table_too_old", Confidence.LOW,
                {"table": "ecb", "day": day.isoformat(), "assumed": str(first.rate)}),))
        change = known[-1]
        return RateLookup(change.rate, change.confidence)

    def default_penalty_rate(self, semester: Semester) -> RateLookup:
        """BCE + 10 points for the half-year (L441-10 II), anchored on 1 Jan / 1 Jul."""
        return self._remember(("default", semester, False),
                              lambda: self._default_penalty_rate(semester))

    def _default_penalty_rate(self, semester: Semester) -> RateLookup:
        ecb = self.ecb_rate_on(semester.start)
        margin = DEFAULT_RATE_MARGIN if semester.start >= LME_START else PRE_2009_MARGIN
        notices = list(ecb.notices)
        if semester.start < SEMESTER_ANCHORING_START:
            notices.append(Notice("pre_2013_rate_rule", Confidence.MEDIUM,
                                  {"semester": semester.label}))
        if self.is_future_half_year(semester):
            notices.append(Notice("rate_missing", Confidence.LOW, {
                "table": "ecb", "semester": semester.label,
                "used_semester": self.last_legal_semester.label,
                "assumed": str(ecb.rate + margin)}))
            return RateLookup(ecb.rate + margin, Confidence.LOW, tuple(notices))
        if ecb.confidence is not Confidence.HIGH:
            notices.append(Notice("rate_unconfirmed", ecb.confidence, {
                "table": "ecb", "semester": semester.label, "rate": str(ecb.rate + margin)}))
        return RateLookup(ecb.rate + margin, ecb.confidence, tuple(notices))

    def is_future_half_year(self, semester: Semester) -> bool:
        """True for a half-year after the newest one the tables cover (both tables are
        updated together each half-year: the taux légal table sets the horizon)."""
        return semester > self.last_legal_semester

    def legal_rate(self, semester: Semester, *, creditor_is_consumer: bool = False) -> RateLookup:
        """Taux de l'intérêt légal of the half-year (see `_legal_rate`)."""
        return self._remember(("legal", semester, creditor_is_consumer),
                              lambda: self._legal_rate(semester, creditor_is_consumer))

    def _legal_rate(self, semester: Semester, creditor_is_consumer: bool) -> RateLookup:
        """Taux de l'intérêt légal of the half-year; the creditor's column (a business creditor
        uses "autres cas"). A half-year missing from the table uses the latest known one and
        says so: no silent extrapolation."""
        row = self.legal.get(semester)
        notices: list[Notice] = []
        confidence = Confidence.HIGH
        if row is None:
            row = self._nearest_legal(semester)
            confidence = Confidence.LOW
            notices.append(Notice("rate_missing", Confidence.LOW, {
                "table": "taux_legal", "semester": semester.label,
                "used_semester": row.semester.label,
                "assumed": str(row.particuliers if creditor_is_consumer else row.autres_cas)}))
        elif row.confidence is not Confidence.HIGH:
            notices.append(Notice("rate_unconfirmed", row.confidence, {
                "table": "taux_legal", "semester": semester.label,
                "rate": str(row.particuliers if creditor_is_consumer else row.autres_cas)}))
        rate = row.particuliers if creditor_is_consumer else row.autres_cas
        return RateLookup(rate, weakest(confidence, row.confidence), tuple(notices))

    def contract_floor(self, semester: Semester) -> RateLookup:
        """Lowest contract rate allowed: 3 × taux légal "autres cas" (L441-10 II)."""
        legal = self.legal_rate(semester)
        return RateLookup(legal.rate * CONTRACT_FLOOR_MULTIPLIER, legal.confidence, legal.notices)

    def _nearest_legal(self, semester: Semester) -> LegalRate:
        earlier = [s for s in self.legal if s <= semester]
        return self.legal[max(earlier)] if earlier else self.legal[min(self.legal)]


def _confidence(raw: str, where: str) -> Confidence:
    try:
        return Confidence(raw.strip())
    except ValueError:
        raise RateTableError(f"{where}: unknown confidence {raw!r}") from None


def _decimal(raw: str, where: str) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise RateTableError(f"{where}: not a number {raw!r}") from None
    if not value.is_finite() or value < -5 or value > 50:
        raise RateTableError(f"{where}: rate out of range {raw!r}")
    return value


def _rows(path: Path, columns: list[str]) -> list[tuple[str, dict[str, str]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise RateTableError(f"{path}: cannot read ({exc.strerror})") from None
    reader = csv.DictReader(text.splitlines())
    if reader.fieldnames is None or [f.strip() for f in reader.fieldnames] != columns:
        raise RateTableError(f"{path}: expected columns {','.join(columns)}")
    return [(f"{path.name} line {n}", row) for n, row in enumerate(reader, start=2)]


def load_rate_table(folder: Path) -> RateTable:
    """Read `ecb_mro.csv` and `taux_legal.csv` from `folder` (format in its README)."""
    ecb: list[EcbChange] = []
    for where, row in _rows(folder / "ecb_mro.csv",
                            ["effective_date", "rate", "confidence", "source"]):
        try:
            effective = date.fromisoformat(row["effective_date"].strip())
        except ValueError:
            raise RateTableError(f"{where}: bad date {row['effective_date']!r}") from None
        ecb.append(EcbChange(effective, _decimal(row["rate"], where),
                             _confidence(row["confidence"], where), row["source"].strip()))
    legal: dict[Semester, LegalRate] = {}
    for where, row in _rows(folder / "taux_legal.csv",
                            ["semester", "particuliers", "autres_cas", "confidence", "source"]):
        try:
            semester = Semester.parse(row["semester"].strip())
        except ValueError:
            raise RateTableError(f"{where}: bad half-year {row['semester']!r}") from None
        if semester in legal:
            raise RateTableError(f"{where}: half-year {semester.label} given twice")
        legal[semester] = LegalRate(semester, _decimal(row["particuliers"], where),
                                    _decimal(row["autres_cas"], where),
                                    _confidence(row["confidence"], where), row["source"].strip())
    if not ecb or not legal:
        raise RateTableError(f"{folder}: a rate table is empty")
    ecb.sort(key=lambda c: c.effective)
    return RateTable(tuple(ecb), legal)
