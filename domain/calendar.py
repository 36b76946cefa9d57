"""Calendar arithmetic the rules share: half-years, month ends, anniversaries."""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache


@dataclass(frozen=True, order=True)
class Semester:
    """A calendar half-year: the unit of French late-payment rates (L441-10 II)."""

    year: int
    half: int  # 1 = January–June, 2 = July–December

    @classmethod
    def of(cls, day: date) -> Semester:
        return cls(day.year, 1 if day.month <= 6 else 2)

    @classmethod
    def parse(cls, label: str) -> Semester:
        """'2024-S1' → Semester(2024, 1)."""
        year, _, half = label.partition("-S")
        if not year.isdigit() or half not in {"1", "2"}:
            raise ValueError(f"not a half-year label: {label!r}")
        return cls(int(year), int(half))

    @property
    def label(self) -> str:
        return f"{self.year}-S{self.half}"

    @property
    def start(self) -> date:
        return date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    def next(self) -> Semester:
        return Semester(self.year, 2) if self.half == 1 else Semester(self.year + 1, 1)


def end_of_month(day: date) -> date:
    # The 28th + 4 days is always in the next month: its first day minus one.
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def add_years(day: date, years: int) -> date:
    """Same calendar date `years` later; 29 February becomes 28 February (LEGAL.md §12.7)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    """Same day `months` later, clamped to the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


@lru_cache(maxsize=8192)
def split_by_semester(first: date, last: date) -> tuple[tuple[Semester, date, date], ...]:
    """Cut the inclusive day range [first, last] at half-year boundaries (remembered: a list
    of invoices asks for the same few ranges again and again)."""
    pieces: list[tuple[Semester, date, date]] = []
    day = first
    while day <= last:
        semester = _semester(day.year, 1 if day.month <= 6 else 2)
        end = date(day.year, 6, 30) if semester.half == 1 else date(day.year, 12, 31)
        piece_end = end if end < last else last
        pieces.append((semester, day, piece_end))
        day = piece_end + timedelta(days=1)
    return tuple(pieces)


@lru_cache(maxsize=512)
def _semester(year: int, half: int) -> Semester:
    """Semesters are immutable: built once each (a long report splits thousands of periods)."""
    return Semester(year, half)
