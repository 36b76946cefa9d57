"""Calendar vocabulary (French and English, accent-free) and date arithmetic by direction.

`direction` is "future" (promises: the next such date), "past" (invoice dates: the most
recent such date) or "any" (weekdays and lone days read as future, day+month as the
occurrence closest to today).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Literal

Direction = Literal["future", "past", "any"]
DIRECTIONS: tuple[Direction, ...] = ("future", "past", "any")

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "janvier janv jan january",
        "fevrier fevr fev feb february",
        "mars mar march",
        "avril avr apr april",
        "mai may",
        "juin jun june",
        "juillet juil jul july",
        "aout aou aug august",
        "septembre sept sep september",
        "octobre oct october",
        "novembre nov november",
        "decembre dec december",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number

WEEKDAYS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "lundi monday",
        "mardi tuesday",
        "mercredi wednesday",
        "jeudi thursday",
        "vendredi friday",
        "samedi saturday",
        "dimanche sunday",
    )
):
    for _name in _names.split():
        WEEKDAYS[_name] = _number

COUNTS: dict[str, int] = {
    "un": 1, "une": 1, "a": 1, "an": 1, "one": 1, "deux": 2, "two": 2, "trois": 3,
    "three": 3, "quatre": 4, "four": 4, "cinq": 5, "five": 5, "six": 6, "sept": 7,
    "seven": 7, "huit": 8, "eight": 8, "neuf": 9, "nine": 9, "dix": 10, "ten": 10,
    "quinze": 15, "fifteen": 15, "vingt": 20, "twenty": 20, "trente": 30, "thirty": 30,
}  # fmt: skip


def alternation(words: dict[str, int]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


def count_of(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return COUNTS.get(word)


def add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def pick(candidates: list[date], today: date, direction: Direction, closest: bool) -> date | None:
    """The candidate matching `direction`; `closest` makes "any" pick the nearest one."""
    future = [c for c in candidates if c >= today]
    past = [c for c in candidates if c <= today]
    if direction == "past":
        return max(past, default=None)
    if direction == "any" and closest and candidates:
        return min(candidates, key=lambda c: (abs((c - today).days), c < today))
    return min(future, default=None)


def day_and_month(
    day: int, month: int, year: int | None, today: date, direction: Direction
) -> date | None:
    if year is not None:
        return safe_date(year, month, day)
    years = range(today.year - 4, today.year + 5)
    candidates = [d for y in years if (d := safe_date(y, month, day)) is not None]
    return pick(candidates, today, direction, closest=True)


def day_of_month(day: int, today: date, direction: Direction) -> date | None:
    first = today.replace(day=1)
    months = [add_months(first, k) for k in range(-12, 13)]
    candidates = [d for m in months if (d := safe_date(m.year, m.month, day)) is not None]
    return pick(candidates, today, direction, closest=False)


def weekday(target: int, today: date, direction: Direction) -> date:
    if direction == "past":
        return today - timedelta(days=(today.weekday() - target - 1) % 7 + 1)
    return today + timedelta(days=(target - today.weekday() - 1) % 7 + 1)


def named_month_day(
    month: int, year: int | None, today: date, direction: Direction, which: str
) -> date | None:
    """'fin novembre' / 'debut janvier' / 'mi-mars': a day in a named month."""
    candidates = []
    for y in (year,) if year is not None else range(today.year - 1, today.year + 2):
        end = month_end(y, month)
        candidates.append(end if which == "end" else end.replace(day=1 if which == "start" else 15))
    if year is not None:
        return candidates[0]
    return pick(candidates, today, direction, closest=True)
