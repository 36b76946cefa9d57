"""Every wording template (fr, en) renders for a professional and a consumer debtor."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from actions.wording import Wording

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
WORDING = TEMPLATES / "wording"
NAMES = sorted(p.name.removesuffix(".txt.j2") for p in (WORDING / "fr").glob("*.txt.j2"))
EXPECTED = {
    "courtesy_reminder", "friendly_call", "first_reminder", "firm_reminder", "final_demand",
    "formal_notice", "recap_email", "dispute_reply", "third_party", "order_for_payment",
}
EMAILS = {"courtesy_reminder", "first_reminder", "firm_reminder", "final_demand",
          "recap_email", "dispute_reply"}
INDEMNITY_STEPS = ("firm_reminder", "final_demand", "formal_notice")

OWNER = {"business_name": "Menuiserie Leroy", "signature": "Paul Leroy — Menuiserie Leroy",
         "email": "paul@leroy.fr", "phone": "06 12 34 56 78",
         "address": "3 rue des Lilas, 69003 Lyon", "iban": "FR76 3000 1007 9412 3456 7890 185"}

PROFESSIONAL: dict[str, Any] = {
    "today": "2026-11-23",
    "owner": OWNER,
    "client": {"name": "SARL Dupont Bâtiment", "kind": "professional", "tone": "normal"},
    "invoice": {"number": "F-2026-118", "amount": "1250.00", "invoice_date": "2026-09-15",
                "due_date": "2026-10-15"},
    "diag": {
        "days_late": 39, "principal_due": "1250.00",
        "penalties": {"total": "16.56", "due": "16.56", "segments": [
            {"semester": "2026-S2", "from": "2026-10-16", "to": "2026-11-23", "days": 39,
             "rate": "12.40", "amount": "16.56"}]},
        "indemnity": "40.00", "total_claimable": "1306.56",
        "order_for_payment_court": "tribunal de commerce",
        "small_claims": {"eligible": False, "reason": "merchants_excluded"},
        "uncontested_commercial_claim": True,
    },
    "promise": {"amount": "1250.00", "date": "2026-11-27"},
    "dispute_reason": "Les finitions de l'escalier ne sont pas terminées",
    "deadline_days": 8,
}

CONSUMER: dict[str, Any] = {
    "today": "2026-11-23",
    "owner": {"business_name": "Plomberie Martin", "signature": "", "email": "", "phone": "",
              "address": "", "iban": ""},
    "client": {"name": "Mme Claire Bernard", "kind": "consumer", "tone": "strategic"},
    "invoice": {"number": "2026-052", "amount": "1250.00", "invoice_date": "2026-10-02",
                "due_date": "2026-11-02"},
    "diag": {
        "days_late": 21, "principal_due": "1250.00",
        "penalties": {"total": "0.00", "due": "0.00", "segments": []},
        "indemnity": "0.00", "total_claimable": "1250.00",
        "order_for_payment_court": "tribunal judiciaire",
        "small_claims": {"eligible": True, "reason": "below_ceiling"},
        "uncontested_commercial_claim": False,
    },
    "promise": None,
    "dispute_reason": None,
    "deadline_days": 8,
}


def _variants() -> list[tuple[str, dict[str, Any]]]:
    bad_payer = copy.deepcopy(PROFESSIONAL)
    bad_payer["client"]["tone"] = "bad_payer"
    bad_payer["diag"]["principal_due"] = "750.00"
    bad_payer["diag"]["order_for_payment_court"] = "choice"
    bad_payer["diag"]["small_claims"] = {"eligible": "borderline", "reason": "at_ceiling"}
    bad_payer["promise"] = {"amount": "500.00", "date": "2026-12-04"}
    bad_payer["owner"] = {k: "" for k in OWNER}
    return [("professional", PROFESSIONAL), ("consumer", CONSUMER), ("bad_payer", bad_payer)]


@pytest.fixture(scope="module")
def wording() -> Wording:
    return Wording(TEMPLATES)


def test_every_step_exists_in_both_languages() -> None:
    assert set(NAMES) == EXPECTED
    en = {p.name.removesuffix(".txt.j2") for p in (WORDING / "en").glob("*.txt.j2")}
    assert en == EXPECTED


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("label,ctx", _variants(), ids=lambda v: v if isinstance(v, str) else "")
def test_renders(wording: Wording, lang: str, name: str, label: str, ctx: dict[str, Any]) -> None:
    text = wording.render(f"wording/{lang}/{name}.txt.j2", lang, ctx)
    assert text.strip()
    assert "{{" not in text and "{%" not in text and "None" not in text
    assert "\n\n\n" not in text
    if lang == "fr":
        assert "250,00" in text and "€" in text
    else:
        assert "1,250.00" in text and "€" in text
    if name in EMAILS:
        first, blank = text.splitlines()[:2]
        assert first.startswith("Objet : " if lang == "fr" else "Subject: ")
        assert blank == ""
    if name in INDEMNITY_STEPS:
        indemnity = ("40,00" in text) or ("€40.00" in text)
        if label == "consumer":
            assert not indemnity
            assert "forfaitaire" not in text and "fixed compensation" not in text
            assert "pénalités" not in text.lower() and "penalt" not in text.lower()
        else:
            assert indemnity


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("label,ctx", _variants()[:2], ids=lambda v: v if isinstance(v, str) else "")
def test_formal_notice(wording: Wording, lang: str, label: str, ctx: dict[str, Any]) -> None:
    text = wording.render(f"wording/{lang}/formal_notice.txt.j2", lang, ctx)
    if lang == "fr":
        assert "Mise en demeure" in text and "8 jours" in text
        assert "injonction de payer" in text
    else:
        assert "Formal notice" in text and "8 days" in text
        assert "order for payment" in text
    for forbidden in ("huissier", "République", "bailiff", "jugement", "judgment"):
        assert forbidden not in text
    if label == "professional":
        assert ("12,40" in text) or ("12.40" in text)
        assert ("1 306,56" in text.replace("\u202f", " ")) or ("1,306.56" in text)
    else:
        assert "taux légal" in text or "statutory interest" in text


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_recap_states_promise(wording: Wording, lang: str) -> None:
    text = wording.render(f"wording/{lang}/recap_email.txt.j2", lang, PROFESSIONAL)
    assert ("27 novembre 2026" in text) if lang == "fr" else ("27 November 2026" in text)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_dispute_reason_is_data(wording: Wording, lang: str) -> None:
    ctx = copy.deepcopy(PROFESSIONAL)
    ctx["dispute_reason"] = "{{ owner.iban }} <b>faux</b>"
    text = wording.render(f"wording/{lang}/dispute_reply.txt.j2", lang, ctx)
    assert "{{ owner.iban }} <b>faux</b>" in text
