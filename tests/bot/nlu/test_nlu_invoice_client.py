from __future__ import annotations

from pathlib import Path

import pytest

from bot.nlu.entities.client import ClientPatterns, extract_clients
from bot.nlu.entities.invoice_number import extract_invoice_numbers
from bot.nlu.training_data import load_training_data

NLU_FILE = Path(__file__).resolve().parents[3] / "data" / "rasa" / "nlu.yml"

KNOWN = ["Dupont SARL", "Martin Électricité", "Boulangerie Petit", "Garage Leroy", "Moreau"]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("F-117", ["F-117"]),
        ("FA2024-003", ["FA2024-003"]),
        ("fa2024-003 payée", ["FA2024-003"]),
        ("la F-2024-118 c'est réglé", ["F-2024-118"]),
        ("F117", ["F117"]),
        ("facture 117", ["117"]),
        ("facture n°117 de 500 €", ["117"]),
        ("facture no 42", ["42"]),
        ("n°117", ["117"]),
        ("n° 117", ["117"]),
        ("#117", ["117"]),
        ("invoice INV-0042", ["INV-0042"]),
        ("invoice #117", ["117"]),
        ("facture de 430 €", []),
        ("facture du 15/10", []),
        ("facture 1250 €", []),
        ("3,4k€", []),
        ("rdv le 2026-12-15", []),
        ("mail à dupont-martin", []),
        ("la facture 2026-201 du 10/09", ["2026-201"]),
        ("facture 2026-", []),
        ("facture M-301 Martin 300 €", ["M-301"]),  # one letter, then digits
        ("relance à J-15 de l'échéance", []),  # a countdown, not a reference
    ],
)
def test_invoice_numbers(text: str, values: list[str]) -> None:
    assert [e.value for e in extract_invoice_numbers(text)] == values


@pytest.fixture(scope="module")
def patterns() -> ClientPatterns:
    return ClientPatterns.from_examples(load_training_data(NLU_FILE))


@pytest.mark.parametrize(
    ("text", "value", "said"),
    [
        ("Dupont a promis de payer vendredi", "Dupont SARL", "Dupont"),
        ("relancé dupont il repond pas", "Dupont SARL", "dupont"),
        ("Dupond a payé", "Dupont SARL", "Dupond"),
        ("dupont sarl conteste", "Dupont SARL", "dupont sarl"),
        ("j'ai appelé moreau", "Moreau", "moreau"),
        ("la boulangerie Petit a payé", "Boulangerie Petit", "boulangerie Petit"),
        ("Le garage leroy conteste", "Garage Leroy", "garage leroy"),
        ("chez martin electricite", "Martin Électricité", "martin electricite"),
    ],
)
def test_fuzzy_match_on_known_clients(
    patterns: ClientPatterns, text: str, value: str, said: str
) -> None:
    [entity] = extract_clients(text, KNOWN, patterns)
    assert (entity.value, text[entity.start : entity.end]) == (value, said)
    assert entity.extractor == "FuzzyClientExtractor" and entity.confidence >= 0.8


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("chez Martin", "Martin"),
        ("Renaud BTP me doit 5000 €", "Renaud BTP"),
        ("j'ai eu le gérant de Lambert SAS au tel", "Lambert SAS"),
        ("relance durand", "durand"),
        ("la boulangerie Petit a payé", "boulangerie Petit"),
        ("Smith Ltd owes me", "Smith Ltd"),
        ("SCI Les Tilleuls doit 5 200 €", "SCI Les Tilleuls"),
        ("la Boulangerie de la Gare a payé", "Boulangerie de la Gare"),
        ("Garage du Centre me doit 400 €", "Garage du Centre"),
        ("la boulangerie de la gare me doit 300 €", "boulangerie de la gare"),
        ("Relance Dupont la semaine prochaine", "Dupont"),
        ("SARL Les Jardins de Provence me doit 3 600 €", "SARL Les Jardins de Provence"),
    ],
)
def test_name_as_said_without_known_clients(patterns: ClientPatterns, text: str, said: str) -> None:
    [entity] = extract_clients(text, (), patterns)
    assert entity.value == said == text[entity.start : entity.end]
    assert entity.extractor == "PatternClientExtractor"


@pytest.mark.parametrize(
    "text",
    ["il peut payer petit a petit", "Il a payé", "Merci", "Vendredi il paie", "OK merci", "TVA ?"],
)
def test_no_client(patterns: ClientPatterns, text: str) -> None:
    assert extract_clients(text, KNOWN, patterns) == []


PARTS = ["Cabinet Dentaire Roussel", "Boulangerie de la Gare", "Garage du Centre", "Hôtel du Port",
         "Boulangerie Petit", "Martin Électricité", "Martin"]


@pytest.mark.parametrize(
    ("text", "value", "said"),
    [
        ("le cabinet roussel a payé 1 000 €", "Cabinet Dentaire Roussel", "cabinet roussel"),
        ("Roussel a payé", "Cabinet Dentaire Roussel", "Roussel"),
        ("roussel a payé 500", "Cabinet Dentaire Roussel", "roussel"),
        ("j'ai appelé Roussel", "Cabinet Dentaire Roussel", "Roussel"),
        ("Mme Roussel a promis lundi", "Cabinet Dentaire Roussel", "Roussel"),
        ("rousel a payé", "Cabinet Dentaire Roussel", "rousel"),
        ("le cabinet a payé", "Cabinet Dentaire Roussel", "cabinet"),
        ("l'hôtel a payé", "Hôtel du Port", "l'hôtel"),
        ("l'hôtel veut payer en 4 fois", "Hôtel du Port", "l'hôtel"),  # « veut »: no name
        ("Martin a payé", "Martin", "Martin"),  # a whole name beats a part of another
    ],
)
def test_known_client_named_by_a_part(
    patterns: ClientPatterns, text: str, value: str, said: str
) -> None:
    [entity] = extract_clients(text, PARTS, patterns)
    assert (entity.value, text[entity.start : entity.end]) == (value, said)
    assert entity.extractor == "FuzzyClientExtractor"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Garage Roussel me doit 500 €", "Garage Roussel"),  # another business
        ("Roussel SAS me doit 300 €", "Roussel SAS"),
        ("la boulangerie a payé 100 €", "boulangerie"),  # two boulangeries: which one?
        ("la boulangerie veut payer en 4 fois", "boulangerie"),  # not « boulangerie veut »
    ],
)
def test_a_part_that_names_another_business_or_several(
    patterns: ClientPatterns, text: str, said: str
) -> None:
    [entity] = extract_clients(text, PARTS, patterns)
    assert (entity.value, entity.extractor) == (said, "PatternClientExtractor")


@pytest.mark.parametrize("text", ["je suis à la gare", "la gare a payé", "le centre des impôts",
                                  "il peut payer petit a petit", "Petit a payé"])
def test_ordinary_words_of_a_name_alone_name_nobody(patterns: ClientPatterns, text: str) -> None:
    assert extract_clients(text, PARTS, patterns) == []
