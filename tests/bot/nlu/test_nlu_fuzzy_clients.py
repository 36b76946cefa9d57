"""The known-client matcher scores every window against every name in one rapidfuzz call;
it must choose exactly what the plain loop over names and windows chose (kept here as the
reference), and stay fast for an owner with many clients."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from bot.nlu.entities import client as c
from bot.nlu.text import fold
from bot.nlu.training_data import load_training_data

NLU_FILE = Path(__file__).resolve().parents[3] / "data" / "rasa" / "nlu.yml"
PATTERNS = c.ClientPatterns.from_examples(load_training_data(NLU_FILE))
NAMES = ["Dupont SARL", "Dupond", "Martin Électricité", "Boulangerie Petit", "Garage Leroy",
         "Moreau", "SCI Les Tilleuls", "Boulangerie de la Gare", "Renaud BTP", "Martin",
         "Durand Frères", "Baker & Sons", "Acme Corp", "Petit", "Cabinet Dentaire Roussel",
         "Garage Roussel", "Hôtel du Port", "L'Atelier Bois"]
WORDS = ["dupont", "Dupond", "sarl", "a", "payé", "la", "boulangerie", "Petit", "garage",
         "leroy", "Martin", "électricité", "SCI", "les", "Tilleuls", "de", "Gare", "moreau",
         "promis", "vendredi", "chez", "Renaud", "BTP", "Baker", "&", "Sons", "facture", "€",
         "cabinet", "Roussel", "dentaire", "l'hôtel", "port", "du", "l'atelier", "Mme", "rousel"]


def reference(tokens: list[c._Token], known: list[str]) -> list[tuple[float, c._Token,
                                                                        c._Token, str]]:
    """The plain loop: one rapidfuzz call per name, form and window."""
    shapes = {name: c._variants(name) for name in known}
    words = {w for whole, parts, _ in shapes.values() for form in whole | parts for w in form.split()}
    matches = []
    for name, (whole, parts, size) in shapes.items():
        others = [form for other, (w, p, _) in shapes.items() if other != name for form in w | p]
        mine = [(form, 0.0) for form in whole]
        mine += [(form, c.PARTIAL_THRESHOLD) for form in parts if form not in others]
        best, best_key = None, (-1.0, 0)
        for i in range(len(tokens)):
            for j in range(i, min(i + size, len(tokens))):
                window = tokens[i : j + 1]
                if not c._plausible(window, tokens[i - 1] if i else None, PATTERNS,
                                    frozenset(words)):
                    continue
                said = c._window_text(window)
                scores = [fuzz.ratio(said, form) for form, _ in mine]
                key = (max(s if s >= floor else 0.0
                           for s, (_, floor) in zip(scores, mine, strict=True)), j - i)
                if key > best_key:
                    best, best_key = (key[0], window[0], window[-1], name), key
        if best is not None and best[0] >= c.FUZZY_THRESHOLD:
            matches.append(best)
    return sorted(matches, key=lambda m: -m[0])


def tokens_of(text: str) -> list[c._Token]:
    return c._tokens(text, fold(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=12),
       st.lists(st.sampled_from(NAMES), max_size=8, unique=True))
def test_same_choice_as_the_loop(words: list[str], known: list[str]) -> None:
    tokens = tokens_of(" ".join(words))
    assert c._fuzzy(tokens, known, PATTERNS) == reference(tokens, known)


@pytest.mark.parametrize("text", [
    "Dupont a promis de payer vendredi", "Dupond a payé", "la boulangerie Petit a payé",
    "SCI Les Tilleuls a payé 2 000 €", "Boulangerie de la Gare doit 300 €", "merci", "",
])
def test_same_choice_on_sentences(text: str) -> None:
    tokens = tokens_of(text)
    assert c._fuzzy(tokens, NAMES, PATTERNS) == reference(tokens, NAMES)


def test_many_clients_one_name_said() -> None:
    known = [f"Client {i:03d} SARL" for i in range(500)] + ["Boulangerie Petit"]
    tokens = tokens_of("la boulangerie petit a payé 500 €")
    [(score, first, last, name)] = c._fuzzy(tokens, known, PATTERNS)
    assert (name, first.raw, last.raw, score) == ("Boulangerie Petit", "boulangerie", "petit",
                                                  100.0)
    assert c._fuzzy(tokens, known, PATTERNS) == reference(tokens, known)
