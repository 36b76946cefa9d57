"""Dates in French and English, resolved against a given `today` (the clock is never read).

A hand-written matcher covers the forms owners type ("vendredi", "demain", "le 15",
"15/12", "15 décembre", "fin du mois", "dans 10 jours", "next Monday", "Dec 15",
"2026-12-15", ...). dateparser is not used: measured here, its first call costs ~150 ms
and each later one 1-13 ms, and it cannot find a date inside a sentence ("vendredi
prochain" -> None); these patterns take a few microseconds.

A date that names an impossible day ("31/02/2026") gives a `DateMatch` with `value=None`
and `invalid=True`, so the caller can answer "date invalide" instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.nlu.entities import Entity
from bot.nlu.entities.calendar_words import (
    COUNTS,
    DIRECTIONS,
    MONTHS,
    WEEKDAYS,
    Direction,
    add_months,
    alternation,
    count_of,
    day_and_month,
    day_of_month,
    month_end,
    named_month_day,
    safe_date,
    weekday,
)
from bot.nlu.text import fold

EXTRACTOR = "RegexDateExtractor"


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    value: date | None
    invalid: bool = False


_M = alternation(MONTHS)
_W = alternation(WEEKDAYS)
_N = alternation(COUNTS)
_DAY = r"(?P<day>1er|premier|\d{1,2})(?:er|st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>\d{4}))?"
_UNIT_AFTER = (
    r"(?!\s*(?:[/.,:h%€]|\d|euros?\b|eur\b|e\b|k\b|balles?|jours?|fois|ans?\b|mois|semaines?|"
    r"versements?|clients?|factures?|min|heures?|days?|weeks?|months?|times))"
)

Resolver = Callable[[re.Match[str], date, Direction], date | None]


def _day(match: re.Match[str]) -> int:
    raw = match["day"]
    return 1 if raw in ("1er", "premier") else int(raw)


def _year(raw: str | None) -> int | None:
    if not raw:
        return None
    return int(raw) + 2000 if len(raw) == 2 else int(raw)


def _iso(m: re.Match[str], today: date, direction: Direction) -> date | None:
    return safe_date(int(m["y"]), int(m["m"]), int(m["d"]))


def _numeric(m: re.Match[str], today: date, direction: Direction) -> date | None:
    return day_and_month(int(m["d"]), int(m["m"]), _year(m["y"]), today, direction)


def _day_month(m: re.Match[str], today: date, direction: Direction) -> date | None:
    return day_and_month(_day(m), MONTHS[m["month"]], _year(m["year"]), today, direction)


def _month_edge(m: re.Match[str], today: date, direction: Direction) -> date | None:
    which = (
        "end"
        if m["edge"] in ("fin", "end")
        else "start"
        if m["edge"] in ("debut", "start", "beginning")
        else "mid"
    )
    return named_month_day(MONTHS[m["month"]], _year(m["year"]), today, direction, which)


def _this_month_end(m: re.Match[str], today: date, direction: Direction) -> date | None:
    end = month_end(today.year, today.month)
    if direction == "past" and end > today:
        return today.replace(day=1) - timedelta(days=1)
    return end


def _week_end(m: re.Match[str], today: date, direction: Direction) -> date | None:
    return weekday(4, today - timedelta(days=1), "future")


def _relative(m: re.Match[str], today: date, direction: Direction) -> date | None:
    word = m["word"].replace(" ", "").replace("-", "").replace("'", "")
    offsets = {"apresdemain": 2, "dayaftertomorrow": 2, "avanthier": -2, "hier": -1,
               "yesterday": -1, "demain": 1, "dmain": 1, "tomorrow": 1, "tmrw": 1}  # fmt: skip
    return today + timedelta(days=offsets.get(word, 0))


def _in_count(m: re.Match[str], today: date, direction: Direction) -> date | None:
    count = count_of(m["n"])
    if count is None or count > 3660:
        return None
    sign = -1 if m["ago"] or m["ily"] else 1
    unit = m["unit"]
    if unit.startswith(("mois", "month")):
        return add_months(today, sign * count)
    days = count * 7 if unit.startswith(("sem", "week")) else count
    return today + timedelta(days=sign * days)


def _next_period(m: re.Match[str], today: date, direction: Direction) -> date | None:
    if (m["period"] or m["period2"]).startswith(("mois", "month")):
        return add_months(today.replace(day=1), 1)
    return today + timedelta(days=7 - today.weekday())


def _weekday(m: re.Match[str], today: date, direction: Direction) -> date | None:
    modifier = (m["pre"] or "") + (m["post"] or "")
    if any(word in modifier for word in ("dernier", "passe", "last")):
        direction = "past"
    elif any(word in modifier for word in ("prochain", "next", "apres", "this", "ce")):
        direction = "future"
    return weekday(WEEKDAYS[m["weekday"]], today, direction)


def _lone_day(m: re.Match[str], today: date, direction: Direction) -> date | None:
    return day_of_month(_day(m), today, direction)


_PATTERNS: tuple[tuple[re.Pattern[str], Resolver], ...] = tuple(
    (re.compile(pattern), resolver)
    for pattern, resolver in (
        (r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b", _iso),
        (
            r"(?<![\d/.,-])(?P<d>\d{1,2})(?P<s>[/.-])(?P<m>\d{1,2})(?P=s)(?P<y>\d{4}|\d{2})(?![\d/.-]\d)",
            _numeric,
        ),
        (r"(?<![\d/.,-])(?P<d>\d{1,2})/(?P<m>\d{1,2})(?P<y>)(?![\d/]|[.,]\d)", _numeric),
        (
            rf"\b(?:(?:{_W})\s+)?(?:the\s+)?{_DAY}\s+(?:of\s+)?(?P<month>{_M})\b\.?{_YEAR}",
            _day_month,
        ),
        (rf"\b(?P<month>{_M})\b\.?\s+(?:the\s+)?{_DAY}\b{_YEAR}", _day_month),
        (
            rf"\b(?P<edge>fin|debut|mi|end|start|beginning|mid)(?:\s+|-)(?:d'|de\s+|du\s+mois\s+de\s+|of\s+)?(?P<month>{_M})\b{_YEAR}",
            _month_edge,
        ),
        (
            r"\b(?:fin\s+(?:du|de|d'un|ce)\s+mois|fin\s+de\s+ce\s+mois|end\s+of\s+(?:the\s+|this\s+)?month)\b",
            _this_month_end,
        ),
        (r"\b(?:fin\s+de\s+(?:la\s+)?semaine|end\s+of\s+(?:the\s+|this\s+)?week)\b", _week_end),
        (
            r"\b(?P<word>apres[- ]?demain|day\s+after\s+tomorrow|avant[- ]?hier|aujourd'?hui|auj|today|tonight|ce\s+soir|demain|dmain|tomorrow|tmrw|hier|yesterday)\b",
            _relative,
        ),
        (
            rf"\b(?:(?P<ily>il\s+y\s+a)|dans|sous|d'ici|in|within)\s+(?P<n>\d{{1,4}}|{_N})\s+(?P<unit>jours?|j\b|semaines?|sem\b|mois|days?|weeks?|months?)(?P<ago>\s+ago)?",
            _in_count,
        ),
        (rf"\b(?P<n>\d{{1,4}}|{_N})\s+(?P<unit>days?|weeks?|months?)\s+(?P<ago>ago)", _in_count),
        (
            r"\b(?:la\s+|le\s+)?(?:(?P<period>semaine|mois)\s+(?:prochaine?|pro)\b|next\s+(?P<period2>week|month))",
            _next_period,
        ),
        (rf"\b(?:{_W})\s+{_DAY}\b{_UNIT_AFTER}", _lone_day),
        (
            rf"\b(?P<pre>ce\s+|this\s+|next\s+|last\s+)?(?P<weekday>{_W})\b(?P<post>\s+(?:prochain|d'apres|dernier|passe)\b)?",
            _weekday,
        ),
        (rf"\b(?:le|au|du|the|on\s+the|on)\s+{_DAY}\b{_UNIT_AFTER}", _lone_day),
    )
)


def find_dates(text: str, today: date, direction: Direction = "any") -> list[DateMatch]:
    """Every date expression in `text` (valid or not), in order, without overlaps."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, got {direction!r}")
    folded = fold(text)
    found: list[DateMatch] = []
    for pattern, resolver in _PATTERNS:
        for match in pattern.finditer(folded):
            if any(d.start < match.end() and match.start() < d.end for d in found):
                continue
            value = _resolve(resolver, match, today, direction)
            found.append(DateMatch(match.start(), match.end(), value, invalid=value is None))
    return sorted(found, key=lambda d: d.start)


def _resolve(
    resolver: Resolver, match: re.Match[str], today: date, direction: Direction
) -> date | None:
    try:
        return resolver(match, today, direction)
    except (ValueError, OverflowError):
        return None


def extract_dates(text: str, today: date, direction: Direction = "any") -> list[Entity]:
    """Valid dates as entities with ISO values (invalid ones are left out: see find_dates)."""
    return [
        Entity("date", d.start, d.end, d.value.isoformat(), EXTRACTOR)
        for d in find_dates(text, today, direction)
        if d.value is not None
    ]
