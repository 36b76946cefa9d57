from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.nlu.entities.dates import extract_dates, find_dates

TODAY = date(2026, 11, 23)  # a Monday


@pytest.mark.parametrize(
    ("text", "direction", "expected"),
    [
        ("vendredi", "future", "2026-11-27"),
        ("vendredi", "past", "2026-11-20"),
        ("il paie lundi", "future", "2026-11-30"),
        ("lundi prochain", "any", "2026-11-30"),
        ("next Monday", "any", "2026-11-30"),
        ("vendredi dernier", "any", "2026-11-20"),
        ("last Friday", "any", "2026-11-20"),
        ("demain", "any", "2026-11-24"),
        ("tomorrow", "any", "2026-11-24"),
        ("après-demain", "any", "2026-11-25"),
        ("apres demain", "any", "2026-11-25"),
        ("aujourd'hui", "any", "2026-11-23"),
        ("auj", "any", "2026-11-23"),
        ("hier", "any", "2026-11-22"),
        ("le 15", "future", "2026-12-15"),
        ("le 15", "past", "2026-11-15"),
        ("le 23", "future", "2026-11-23"),
        ("avant le 30", "future", "2026-11-30"),
        ("le 31", "future", "2026-12-31"),
        ("le 1er", "future", "2026-12-01"),
        ("on the 15th", "future", "2026-12-15"),
        ("vendredi 27", "future", "2026-11-27"),
        ("15/12", "future", "2026-12-15"),
        ("15/12", "past", "2025-12-15"),
        ("échue le 15/10", "past", "2026-10-15"),
        ("échue le 15/10", "any", "2026-10-15"),
        ("15/01", "any", "2027-01-15"),
        ("15/12/2026", "any", "2026-12-15"),
        ("15/12/26", "any", "2026-12-15"),
        ("15.12.2026", "any", "2026-12-15"),
        ("15-12-2026", "any", "2026-12-15"),
        ("2026-12-15", "any", "2026-12-15"),
        ("15 décembre", "future", "2026-12-15"),
        ("15 decembre", "past", "2025-12-15"),
        ("1er décembre", "any", "2026-12-01"),
        ("15 déc. 2027", "any", "2027-12-15"),
        ("Dec 15", "future", "2026-12-15"),
        ("December 15th, 2026", "any", "2026-12-15"),
        ("15 December", "any", "2026-12-15"),
        ("fin du mois", "future", "2026-11-30"),
        ("fin de mois", "past", "2026-10-31"),
        ("end of the month", "any", "2026-11-30"),
        ("fin novembre", "any", "2026-11-30"),
        ("fin decembre", "any", "2026-12-31"),
        ("fin février 2028", "any", "2028-02-29"),
        ("début janvier", "future", "2027-01-01"),
        ("dans 10 jours", "any", "2026-12-03"),
        ("dans 2 semaines", "any", "2026-12-07"),
        ("dans un mois", "any", "2026-12-23"),
        ("in 3 days", "any", "2026-11-26"),
        ("il y a 3 jours", "any", "2026-11-20"),
        ("3 days ago", "any", "2026-11-20"),
        ("la semaine prochaine", "any", "2026-11-30"),
        ("next week", "any", "2026-11-30"),
        ("le mois prochain", "any", "2026-12-01"),
        ("fin de semaine", "any", "2026-11-27"),
        ("29/02", "future", "2028-02-29"),
    ],
)
def test_dates(text: str, direction: str, expected: str) -> None:
    assert [e.value for e in extract_dates(text, TODAY, direction)] == [expected]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "1 250,50 €",
        "12.5 €",
        "3,4k€",
        "le 2e versement",
        "en 3 fois",
        "le 15 €",
        "facture F-117",
        "mon devis",
    ],
)
def test_not_dates(text: str) -> None:
    assert extract_dates(text, TODAY) == []


@pytest.mark.parametrize("text", ["31/02/2026", "le 31/02", "2026-02-30", "30/02/2026", "le 45/13"])
def test_invalid_dates_are_flagged_not_extracted(text: str) -> None:
    assert extract_dates(text, TODAY) == []
    assert [d.invalid for d in find_dates(text, TODAY)] == [True]


def test_span_points_into_text() -> None:
    text = "Il paiera après-demain"
    [entity] = extract_dates(text, TODAY)
    assert text[entity.start : entity.end] == "après-demain"


def test_bad_direction() -> None:
    with pytest.raises(ValueError):
        extract_dates("demain", TODAY, "later")  # type: ignore[arg-type]


@given(st.text(max_size=300), st.dates(), st.sampled_from(["future", "past", "any"]))
def test_never_raises(text: str, today: date, direction: str) -> None:
    for entity in extract_dates(text, today, direction):  # type: ignore[arg-type]
        date.fromisoformat(entity.value)
