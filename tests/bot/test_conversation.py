"""Whole conversations through the embedded runner, actions and ledger (SQLite file)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from bot.dialogue.rasa_files import BUTTON_ONLY_INTENTS

if TYPE_CHECKING:
    from conftest import Chat

ROOT = Path(__file__).resolve().parents[2]


def test_diagnose_an_invoice_with_an_interruption(chat: Chat) -> None:
    out = chat.talk("alice", "j ai une facture impayee", "Dupont SARL", "1 250 €",
               "quoi faire ?", "F-117", "15/09/2026", "30 jours",
               '/add_invoice{"debtor_kind":"professional"}', "oui",
               '/add_invoice{"step":"none"}')
    assert "numéro" in out[3]
    assert "commerçant" in out[-3]  # answered "quoi faire", then asked the number again
    card = out[-1]
    assert "F-117" in card and "39 jours" in card
    assert "16,56" in card  # 1 250 € × 39 days × 12.40 % / 365, as domain/ computes it
    assert "40,00" in card and "1\u202f306,56" in card
    assert "moyenne" in card  # the MEDIUM 2026-S2 rate is shown as such


def test_promise_payment_and_overdue_list(chat: Chat) -> None:
    out = chat.talk("alice", "Dupont SARL m a promis 500 € vendredi", "mes retards",
               "Dupont SARL a payé 200 €")
    assert "vendredi 27 novembre 2026" in out[0]
    assert "F-117" in out[1]
    assert "1\u202f050,00" in out[2]


def test_one_liner_consumer_gets_no_indemnity(chat: Chat) -> None:
    out = chat.talk("bob", "facture F-118 Martin 3 400 € echue le 15/10", "01/09/2026",
               '/add_invoice{"debtor_kind":"consumer"}', '/add_invoice{"step":"none"}')
    assert "date de la facture" in out[0]
    assert "Intérêts au taux légal" in out[-1] and "Indemnité forfaitaire" not in out[-1]
    assert out[-1].count("40 €") == 1  # said once, with its article (CPCE L111-8)


def test_owners_never_see_each_other(chat: Chat) -> None:
    out = chat.talk("carol", "mes retards", "Dupont SARL a payé 10 €")
    assert "Dupont" not in out[0]
    assert "n'ai pas de facture" in out[1]


def test_cancel_leaves_the_form_and_bad_answers_are_named(chat: Chat) -> None:
    out = chat.talk("dave", "nouvelle facture impayée", "Durand", "beaucoup", "annuler")
    assert "beaucoup" in out[2] and "montant" in out[2]
    assert "annulé" in out[3]


def test_rasa_files_are_consistent() -> None:
    domain = yaml.safe_load((ROOT / "data/rasa/domain.yml").read_text(encoding="utf-8"))
    nlu = yaml.safe_load((ROOT / "data/rasa/nlu.yml").read_text(encoding="utf-8"))
    rules = yaml.safe_load((ROOT / "data/rasa/rules.yml").read_text(encoding="utf-8"))
    with_examples = {item["intent"] for item in nlu["nlu"] if item.get("examples")}
    assert set(domain["intents"]) - BUTTON_ONLY_INTENTS <= with_examples
    assert not BUTTON_ONLY_INTENTS & with_examples
    ruled = {s.get("intent") for r in rules["rules"] for s in r["steps"]} | {
        o["intent"] for r in rules["rules"] for s in r["steps"] for o in s.get("or", [])}
    assert set(domain["intents"]) <= ruled
    for form in domain["forms"].values():
        for slot in form["required_slots"]:
            assert f"utter_ask_{slot}" in domain["responses"]
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    assert set(domain["actions"]) <= set(executor.actions)


def test_the_overdue_list_follows_a_payment_the_same_day(chat: Chat) -> None:
    out = chat.talk("erin", "facture F-9 Lemoine 1 000 € echue le 01/10", "01/09/2026",
                    '/add_invoice{"debtor_kind":"professional"}', "oui",
                    '/add_invoice{"step":"none"}', "mes retards", "Lemoine a payé 300 €",
                    "mes retards")
    assert "réclamable : 1\u202f058,01" in out[5]
    assert "Il reste 700,00 € sur la facture ; en tout, 758,01 € réclamables" in (
        out[6].replace("\u202f", " ").replace("\xa0", " "))
    # 300 € paid: 18,01 € of penalties first (C. civ. 1343-1), then principal
    assert "réclamable : 758,01" in out[7] and "pénalités : 0,00" in out[7]


def test_relance_said_to_the_bot_gives_the_wording(chat: Chat) -> None:
    """« relance Lebrun » asks the bot for the chase (the next step's wording); « j'ai relancé
    Lebrun ce matin » reports one. Both read the same once accents are gone."""
    chat.talk("fanny", "facture F-31 Lebrun 800 € echue le 15/10", "15/09/2026",
              '/add_invoice{"debtor_kind":"professional"}', "oui", '/add_invoice{"step":"none"}')
    asked = chat.talk("fanny", "relance Lebrun")[0]
    assert "Comment s'est passé" not in asked
    assert "Lebrun" in asked and "F-31" in asked and "Bonjour" in asked  # the script to say
    told = chat.talk("fanny", "j'ai relancé Lebrun ce matin")[0]
    assert "Comment s'est passé" in told
    english = chat.talk("fanny-en", "new unpaid invoice F-32 for Lebrun €800 overdue since 15/10",
                        "15/09/2026", '/add_invoice{"debtor_kind":"professional"}',
                        '/add_invoice{"merchant":"yes"}', '/add_invoice{"step":"none"}',
                        "chase Lebrun", lang="en")[-1]
    assert "How did the call go" not in english and "F-32" in english
