"""Late-payment penalties and legal interest: hand-computed cases from LEGAL.md §2, §6, §12."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.case import InvoiceCase, case_from_json
from domain.diagnosis import diagnose
from domain.ladder import Ladder
from domain.parties import DebtorKind
from domain.penalties import Imputation, Payment, simple_interest
from domain.rates import RateTable

D = Decimal


def run(table: RateTable, ladder: Ladder, **fields: object) -> dict[str, object]:
    base: dict[str, object] = {"debtor": "professional"}
    return diagnose(case_from_json({**base, **fields}), table, ladder).to_json()


def test_simple_interest_act_365() -> None:
    # 10 000 € × 16 days × 14 % / 36 500 = 61.369… → 61.37
    assert simple_interest(D("10000"), 16, D("14.00")) == D("61.37")


def test_three_half_years_each_at_its_own_rate_leap_year(table: RateTable,
                                                         ladder: Ladder) -> None:
    out = run(table, ladder, today="2024-08-10", amount="10000.00", invoice_date="2023-11-15",
              due_date="2023-12-15")
    segments = out["penalties"]["segments"]  # type: ignore[index]
    assert [(s["semester"], s["days"], s["rate"], s["amount"]) for s in segments] == [
        ("2023-S2", 16, "14.00", "61.37"),  # 16–31 Dec 2023
        ("2024-S1", 182, "14.50", "723.01"),  # 2024 is a leap year: 182 days, still /365
        ("2024-S2", 41, "14.25", "160.07"),  # 1 Jul – 10 Aug
    ]
    assert out["penalties"]["total"] == "944.45"  # type: ignore[index]
    assert out["indemnity"] == "40.00"
    assert out["total_claimable"] == "10984.45"
    assert out["days_late"] == 239


def test_not_yet_due_has_no_penalty_and_no_indemnity(table: RateTable, ladder: Ladder) -> None:
    out = run(table, ladder, today="2026-11-23", amount="800.00", invoice_date="2026-11-10",
              terms="30 jours")
    assert out["penalties"]["total"] == "0.00"  # type: ignore[index]
    assert out["indemnity"] == "0.00"
    assert out["days_late"] == -17
    assert out["next_step"]["step"] == "courtesy_reminder"  # type: ignore[index]


def test_due_date_itself_bears_no_penalty(table: RateTable, ladder: Ladder) -> None:
    out = run(table, ladder, today="2026-03-10", amount="1000.00", invoice_date="2026-02-08",
              due_date="2026-03-10")
    assert out["penalties"]["total"] == "0.00"  # type: ignore[index]
    assert out["indemnity"] == "0.00"


@pytest.mark.parametrize(("contract_rate", "expected_rate", "warned"), [
    ("12", "14.50", True),  # 2024-S1 floor 15.21 %: 12 % is below → default 14.50 %
    ("16", "16", False),  # above the floor: the contract rate applies
])
def test_contract_rate_against_the_floor(table: RateTable, ladder: Ladder, contract_rate: str,
                                         expected_rate: str, warned: bool) -> None:
    out = run(table, ladder, today="2024-03-31", amount="1000.00", invoice_date="2024-01-01",
              due_date="2024-01-31", contract_rate=contract_rate)
    segment = out["penalties"]["segments"][0]  # type: ignore[index]
    assert segment["rate"] == expected_rate
    codes = [n["code"] for n in out["notices"]]  # type: ignore[attr-defined]
    assert ("contract_rate_below_floor" in codes) is warned
    if warned:
        notice = next(n for n in out["notices"] if n["code"] == "contract_rate_below_floor")  # type: ignore[attr-defined]
        assert notice["confidence"] == "MEDIUM"


def test_contract_rate_valid_in_one_half_year_not_in_another(table: RateTable,
                                                             ladder: Ladder) -> None:
    # 12 % ≥ 8.28 % floor in 2025-S2 but < 15.21 %... use 2025-S1 floor 11.13 %, 2025-S2 8.28 %.
    out = run(table, ladder, today="2025-08-30", amount="1000.00", invoice_date="2025-05-01",
              due_date="2025-05-31", contract_rate="10")
    rates = [(s["semester"], s["rate"], s["basis"]) for s in out["penalties"]["segments"]]  # type: ignore[index]
    assert rates == [("2025-S1", "13.15", "default_rate"), ("2025-S2", "10", "contract_rate")]


def test_consumer_without_formal_notice_owes_no_interest_and_no_indemnity(
        table: RateTable, ladder: Ladder) -> None:
    out = run(table, ladder, today="2026-11-23", amount="2000.00", invoice_date="2025-12-10",
              due_date="2026-01-10", debtor="consumer")
    assert out["penalties"]["total"] == "0.00"  # type: ignore[index]
    assert out["indemnity"] == "0.00"
    assert out["total_claimable"] == "2000.00"
    assert "consumer_interest_needs_notice" in [n["code"] for n in out["notices"]]  # type: ignore[attr-defined]


def test_consumer_legal_interest_from_formal_notice_per_half_year(table: RateTable,
                                                                 ladder: Ladder) -> None:
    out = run(table, ladder, today="2026-11-23", amount="2000.00", invoice_date="2025-12-10",
              due_date="2026-01-10", debtor="consumer", formal_notice_date="2026-03-01")
    segments = out["penalties"]["segments"]  # type: ignore[index]
    assert [(s["semester"], s["days"], s["rate"], s["amount"]) for s in segments] == [
        ("2026-S1", 121, "2.62", "17.37"),  # 2 Mar – 30 Jun, taux légal "autres cas"
        ("2026-S2", 146, "2.75", "22.00"),  # UNCONFIRMED rate, warned
    ]
    assert out["indemnity"] == "0.00"
    assert out["penalties"]["article"] == "C. civ. 1231-6, 1344-1"  # type: ignore[index]
    unconfirmed = [n for n in out["notices"] if n["code"] == "rate_unconfirmed"]  # type: ignore[attr-defined]
    assert unconfirmed and unconfirmed[0]["confidence"] == "UNCONFIRMED"


def test_partial_payment_imputed_first_on_penalties(table: RateTable, ladder: Ladder) -> None:
    out = run(table, ladder, today="2025-04-01", amount="1000.00", invoice_date="2025-01-01",
              due_date="2025-01-31", payments=[{"date": "2025-03-02", "amount": "500.00"}])
    penalties = out["penalties"]
    # 1 Feb – 2 Mar: 30 days on 1 000 € at 13.15 % = 10.81; the 500 € pays it, then 489.19 of
    # principal; 3 Mar – 1 Apr: 30 days on 510.81 € = 5.52.
    assert [s["amount"] for s in penalties["segments"]] == ["10.81", "5.52"]  # type: ignore[index]
    assert (penalties["total"], penalties["paid"], penalties["due"]) == ("16.33", "10.81", "5.52")  # type: ignore[index]
    assert out["principal_due"] == "510.81"
    assert out["total_claimable"] == "556.33"
    alt = out["alternative_imputation"]
    assert alt == {"imputation": "principal_first", "principal_due": "500.00",
                   "penalties_due": "16.21", "total_claimable": "556.21"}


def test_paid_late_in_full_still_owes_penalties_and_indemnity(table: RateTable,
                                                             ladder: Ladder) -> None:
    out = run(table, ladder, today="2025-06-01", amount="1000.00", invoice_date="2025-01-01",
              due_date="2025-01-31", payments=[{"date": "2025-03-02", "amount": "1000.00"}],
              imputation="principal_first")
    assert out["principal_due"] == "0.00"
    assert out["penalties"]["due"] == "10.81"  # type: ignore[index]
    assert out["indemnity"] == "40.00"
    assert out["total_claimable"] == "50.81"


def test_paid_on_time_owes_nothing(table: RateTable, ladder: Ladder) -> None:
    out = run(table, ladder, today="2025-06-01", amount="1000.00", invoice_date="2025-01-01",
              due_date="2025-01-31", payments=[{"date": "2025-01-30", "amount": "1000.00"}])
    assert (out["total_claimable"], out["indemnity"]) == ("0.00", "0.00")
    assert out["next_step"]["pause"] == "paid"  # type: ignore[index]


def test_overpayment_is_reported(table: RateTable, ladder: Ladder) -> None:
    out = run(table, ladder, today="2025-06-01", amount="1000.00", invoice_date="2025-01-01",
              due_date="2025-01-31", payments=[{"date": "2025-01-30", "amount": "1200.00"}])
    assert out["overpaid"] == "200.00"


def test_collective_proceedings_stop_penalties_and_the_indemnity(table: RateTable,
                                                                 ladder: Ladder) -> None:
    out = run(table, ladder, today="2025-11-23", amount="1000.00", invoice_date="2025-01-01",
              due_date="2025-01-31", insolvency_date="2025-03-01")
    # Penalties run to the day before the judgment: 1–28 Feb 2025, 28 days at 13.15 %.
    assert out["penalties"]["total"] == "10.09"  # type: ignore[index]
    assert out["indemnity"] == "0.00"
    codes = [n["code"] for n in out["notices"]]  # type: ignore[attr-defined]
    assert "insolvency_stops_interest" in codes
    assert "insolvency_indemnity_maybe_declarable" in codes


def test_payments_are_never_counted_twice() -> None:
    case = InvoiceCase(today=date(2025, 6, 1), amount=D("100.00"), invoice_date=date(2025, 1, 1),
                       debtor=DebtorKind.PROFESSIONAL, due_date=date(2025, 1, 31),
                       payments=(Payment(date(2025, 2, 1), D("40.00")),),
                       imputation=Imputation.PRINCIPAL_FIRST)
    assert case.payments[0].amount == D("40.00")
