"""Every chat template, button and notice renders in fr and en with a sample context
(StrictUndefined: a missing variable fails here, not in front of a user)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from actions.wording import Wording
from domain.case import case_from_json
from domain.diagnosis import diagnose
from domain.ladder import load_ladder
from domain.rates import load_rate_table

ROOT = Path(__file__).resolve().parents[2]
WORDING = Wording(ROOT / "templates")
CHAT = sorted(p.name for p in (ROOT / "templates/chat/fr").glob("*.html.j2")
              if p.name != "buttons.html.j2")  # macros, rendered one by one below


def sample_context(debtor: str) -> dict[str, Any]:
    diag = diagnose(case_from_json({
        "today": "2026-11-23", "amount": "1250.00", "invoice_date": "2026-08-01",
        "terms": "45 jours fin de mois", "debtor": debtor}),
        load_rate_table(ROOT / "data/rates"), load_ladder(ROOT / "data/ladder.yml")).to_json()
    diag["warnings"] = ["<b>un avertissement</b>"]
    item = {"invoice": {"id": 1, "number": "F-117", "amount": "1250.00",
                        "invoice_date": "2026-08-01", "due_date": diag["due_date"],
                        "status": "paid" if debtor == "consumer" else "open"},
            "client": {"name": "Dupont & <Fils>", "kind": debtor, "tone": "normal"},
            "diag": diag}
    return {**item, "items": [item], "today_items": [item], "week_items": [item], "more": 2,
            "open_count": 1, "total_due": "1250.00", "total_penalties": "22.93",
            "total_claimable": "1312.93", "answer": "{{7*7}}", "number": "F-117",
            "amount": "500.00", "date": "2026-11-27",
            "remaining": "0.00" if debtor == "consumer" else "750.00",
            "claimable": "812.93",
            "was_in_form": True, "business_name": "Plomberie <Olga>", "outcome": "promise",
            "reason": "travaux <pas> finis", "instalments": [{"date": "2026-12-05",
                                                             "amount": "416.66"}],
            "step": "first_reminder", "text": "Objet : <rappel>", "when": "2026-11-24",
            "rows": 8, "invoices": 1, "max": 24, "language": "fr", "nudges_paused": False,
            "digest_time": "09:00", "timezone": "Europe/Paris", "changed": True,
            "ok": True, "created": 3, "skipped": 1, "clients": 2,
            "address": "12 rue <des> Lilas\n69003 Lyon", "paid_on": "2026-11-22",
            "said": "<des> {{7*7}}", "choices": ["Dupont & <Fils>", "Plomberie <Olga>"],
            "similar": debtor == "professional", "in_form": debtor == "consumer",
            "also": ["F-<118>"] if debtor == "consumer" else [], "form": "payment_form",
            "others": [{"number": "F-<118>", "remaining": "300.00"}],
            "open_numbers": ["F-<118>", "F-119"], "total": "2150.00",
            "unpaid": [{"number": "F-<118>", "remaining": "1250.00"},
                       {"number": "F-119", "remaining": "900.00"}],
            "payments": [{"number": "F-<118>", "amount": "1250.00"},
                         {"number": "F-119", "amount": "900.00"}],
            "changes": [{"field": "amount", "before": "1250.00", "after": "1350.00"},
                        {"field": "due", "before": "2026-10-15", "after": "2026-10-30"},
                        {"field": "issued", "before": "2026-09-15", "after": "2026-09-12"},
                        {"field": "new_number", "before": "F-117", "after": "F-<118>"}],
            "paid": "300.00" if debtor == "consumer" else "0.00",
            "problem": "below_paid" if debtor == "consumer" else "duplicate",
            "dates": ["31/02", "<des>"] if debtor == "consumer" else ["31/02"]}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("debtor", ["professional", "consumer"])
@pytest.mark.parametrize("name", CHAT)
def test_chat_template_renders(name: str, lang: str, debtor: str) -> None:
    text = WORDING.render(f"chat/{lang}/{name}", lang, {**sample_context(debtor),
                                                         "client": "Dupont & <Fils>"}
                          if "diagnosis" not in name and "what_now" not in name
                          and "overdue" not in name else sample_context(debtor))
    assert text.strip()
    assert "{{" not in text.replace("{{7*7}}", "") and "49" not in text
    assert "<Fils>" not in text and "<pas>" not in text and "<Olga>" not in text  # escaped
    assert "<des>" not in text and "<118>" not in text


def test_languages_have_the_same_templates_and_buttons() -> None:
    assert sorted(p.name for p in (ROOT / "templates/chat/fr").glob("*.html.j2")) == sorted(
        p.name for p in (ROOT / "templates/chat/en").glob("*.html.j2"))
    macros = {lang: set(re.findall(r"macro (\w+)\(", (ROOT / f"templates/chat/{lang}/buttons"
                                                       ".html.j2").read_text("utf-8")))
              for lang in ("fr", "en")}
    assert macros["fr"] == macros["en"]
    for key in macros["fr"]:
        assert WORDING.button(key, "fr") and WORDING.button(key, "en")


def test_every_notice_code_has_a_sentence_in_both_languages() -> None:
    codes = set()
    for path in (ROOT / "domain").glob("*.py"):
        codes |= set(re.findall(r'Notice\(\s*"([a-z0-9_]+)"', path.read_text("utf-8")))
    params = {k: "2026-11-23" for k in ("limit", "other_date", "day", "insolvency_date",
                                        "acknowledged_on", "end_safe")}
    params |= {"days": "45", "sector": "transport", "method": "eom_then_plus_45",
               "semester": "2026-S2", "rate": "12.40", "assumed": "12.40",
               "used_semester": "2026-S1", "contract_rate": "10", "floor": "15.21",
               "used": "14.50", "days_left": "30", "ceiling": "5000.00", "table": "ecb",
               "other_method": "invoice_plus_45_then_eom"}
    for lang in ("fr", "en"):
        module = WORDING.env.get_template(f"notices/{lang}.txt.j2").module
        for code in codes:
            assert hasattr(module, code), f"{lang}: no sentence for {code}"
            text = WORDING.notice({"code": code, "confidence": "MEDIUM", "params": params}, lang)
            assert text and "{{" not in text
