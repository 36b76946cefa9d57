"""Rate tables (LEGAL.md §3–4): the default rate per half-year is derived from the ECB table
and must equal the published column; floors equal 3 × taux légal "autres cas"."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from domain.calendar import Semester
from domain.notices import Confidence
from domain.rates import RateTable, RateTableError, load_rate_table

# "Default B2B penalty rate" and "Floor 3×TIL" columns of LEGAL.md §4.
PUBLISHED = {
    "2015-S1": ("10.05", "2.79"), "2015-S2": ("10.05", "2.97"), "2016-S1": ("10.05", "3.03"),
    "2016-S2": ("10.00", "2.79"), "2017-S1": ("10.00", "2.70"), "2017-S2": ("10.00", "2.70"),
    "2018-S1": ("10.00", "2.67"), "2018-S2": ("10.00", "2.64"), "2019-S1": ("10.00", "2.58"),
    "2019-S2": ("10.00", "2.61"), "2020-S1": ("10.00", "2.61"), "2020-S2": ("10.00", "2.52"),
    "2021-S1": ("10.00", "2.37"), "2021-S2": ("10.00", "2.28"), "2022-S1": ("10.00", "2.28"),
    "2022-S2": ("10.00", "2.31"), "2023-S1": ("12.50", "6.18"), "2023-S2": ("14.00", "12.66"),
    "2024-S1": ("14.50", "15.21"), "2024-S2": ("14.25", "14.76"), "2025-S1": ("13.15", "11.13"),
    "2025-S2": ("12.15", "8.28"), "2026-S1": ("12.15", "7.86"), "2026-S2": ("12.40", "8.25"),
}


@pytest.mark.parametrize(("label", "default", "floor"),
                         [(k, *v) for k, v in PUBLISHED.items()])
def test_default_rate_and_floor_match_the_published_table(table: RateTable, label: str,
                                                          default: str, floor: str) -> None:
    semester = Semester.parse(label)
    assert table.default_penalty_rate(semester).rate == Decimal(default)
    assert table.contract_floor(semester).rate == Decimal(floor)


def test_2013_s2_uses_the_rate_in_force_on_1_july() -> None:
    table = load_rate_table(Path(__file__).resolve().parents[2] / "data" / "rates")
    assert table.default_penalty_rate(Semester(2013, 2)).rate == Decimal("10.50")


def test_june_2026_hike_is_shown_as_medium(table: RateTable) -> None:
    lookup = table.default_penalty_rate(Semester(2026, 2))
    assert lookup.confidence is Confidence.MEDIUM
    assert [n.code for n in lookup.notices] == ["rate_unconfirmed"]


def test_unconfirmed_legal_rate_says_so(table: RateTable) -> None:
    lookup = table.legal_rate(Semester(2026, 2))
    assert lookup.rate == Decimal("2.75")
    assert lookup.confidence is Confidence.UNCONFIRMED
    assert lookup.notices[0].code == "rate_unconfirmed"


def test_missing_half_year_is_never_silently_extrapolated(table: RateTable) -> None:
    legal = table.legal_rate(Semester(2027, 1))
    default = table.default_penalty_rate(Semester(2027, 1))
    assert legal.rate == Decimal("2.75") and legal.confidence is Confidence.UNCONFIRMED
    assert legal.notices[0].code == "rate_missing"
    assert legal.notices[0].params["used_semester"] == "2026-S2"
    assert default.confidence is Confidence.LOW
    assert "rate_missing" in [n.code for n in default.notices]


def test_a_new_half_year_is_added_by_editing_the_csv(tmp_path: Path) -> None:
    source = Path(__file__).resolve().parents[2] / "data" / "rates"
    for name in ("ecb_mro.csv", "taux_legal.csv"):
        (tmp_path / name).write_text((source / name).read_text(encoding="utf-8"),
                                     encoding="utf-8")
    with (tmp_path / "taux_legal.csv").open("a", encoding="utf-8") as f:
        f.write("2027-S1,6.90,2.80,HIGH,arrêté test\n")
    table = load_rate_table(tmp_path)
    lookup = table.legal_rate(Semester(2027, 1))
    assert lookup.rate == Decimal("2.80") and not lookup.notices


@pytest.mark.parametrize(("content", "message"), [
    ("semester,particuliers,autres_cas,confidence,source\n2027-S3,1,1,HIGH,x\n", "half-year"),
    ("semester,particuliers,autres_cas,confidence,source\n2027-S1,abc,1,HIGH,x\n", "number"),
    ("semester,particuliers,autres_cas,confidence,source\n2027-S1,1,1,SURE,x\n", "confidence"),
    ("wrong,header\n", "columns"),
])
def test_bad_rate_files_are_refused_with_the_line(tmp_path: Path, content: str,
                                                 message: str) -> None:
    source = Path(__file__).resolve().parents[2] / "data" / "rates"
    (tmp_path / "ecb_mro.csv").write_text((source / "ecb_mro.csv").read_text(encoding="utf-8"),
                                          encoding="utf-8")
    (tmp_path / "taux_legal.csv").write_text(content, encoding="utf-8")
    with pytest.raises(RateTableError, match=message):
        load_rate_table(tmp_path)
