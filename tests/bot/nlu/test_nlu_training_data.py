from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import yaml

from bot.nlu.classifier import IntentClassifier, normalise_for_classifier
from bot.nlu.text import fold, guess_language
from bot.nlu.training_data import (
    EntitySpan,
    TrainingDataError,
    load_training_data,
    parse_training_yaml,
    strip_annotations,
)

NLU_FILE = Path(__file__).resolve().parents[3] / "data" / "rasa" / "nlu.yml"
REQUIRED = set(
    "greet goodbye thanks help affirm deny cancel add_invoice log_promise log_call report_payment "
    "what_now list_overdue invoice_status ask_wording report_dispute payment_plan ask_penalties "
    "snooze out_of_scope settings export_data forget_me".split()
)
MAIN = set(
    "add_invoice log_promise log_call report_payment what_now list_overdue invoice_status "
    "ask_wording report_dispute payment_plan ask_penalties".split()
)
ENTITIES = {"amount", "date", "client", "invoice_number"}


def test_nlu_file_is_rasa_3_structure() -> None:
    document = yaml.safe_load(NLU_FILE.read_text(encoding="utf-8"))
    assert set(document) == {"version", "nlu"}
    assert document["version"] == "3.1"
    for item in document["nlu"]:
        assert set(item) == {"intent", "examples"}
        assert isinstance(item["examples"], str)
        for line in item["examples"].splitlines():
            assert re.fullmatch(r"- \S.*", line.strip()), line
    intents = [item["intent"] for item in document["nlu"]]
    assert len(intents) == len(set(intents))
    assert set(intents) >= REQUIRED


def test_examples_and_annotations() -> None:
    examples = load_training_data(NLU_FILE)
    assert {s.entity for e in examples for s in e.entities} == ENTITIES
    for intent in MAIN:
        texts = [e.text for e in examples if e.intent == intent]
        languages = Counter(guess_language(fold(t)) for t in texts)
        assert languages["fr"] >= 25 and languages["en"] >= 10, (intent, languages)


def test_strip_annotations() -> None:
    text, spans = strip_annotations(
        '[Dupont](client) doit [1 250 €](amount) [x]{"entity": "client", "value": "X SA"}'
    )
    assert text == "Dupont doit 1 250 € x"
    assert spans == (
        EntitySpan("client", 0, 6, "Dupont"),
        EntitySpan("amount", 12, 19, "1 250 €"),
        EntitySpan("client", 20, 21, "X SA"),
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("nlu: [", "not valid YAML"),
        ("- a", "mapping"),
        ("version: 3.1\nnlu: []", "version"),
        ('version: "3.1"\nnlu: []', "non-empty"),
        ('version: "3.1"\nnlu:\n- examples: "- a"', "intent"),
        ('version: "3.1"\nnlu:\n- intent: a\n  examples: "a"', "must start with"),
        ('version: "3.1"\nnlu:\n- intent: a\n  examples: "- [x](client"', "malformed"),
        ('version: "3.1"\nnlu:\n- intent: a\n  examples: "- [x]{bad}"', "entity JSON"),
        (
            'version: "3.1"\nnlu:\n- intent: a\n  examples: "- hi"\n- intent: b\n  examples: "- hi"',
            "also an example",
        ),
    ],
)
def test_malformed_file_is_a_clear_error(content: str, message: str) -> None:
    with pytest.raises(TrainingDataError, match=message):
        parse_training_yaml(content)


def test_missing_file() -> None:
    with pytest.raises(TrainingDataError, match="cannot read"):
        load_training_data(NLU_FILE.with_name("nope.yml"))


def test_fast_scoring_matches_scikit_learn() -> None:
    examples = load_training_data(NLU_FILE)
    classifier = IntentClassifier.train([e.text for e in examples], [e.intent for e in examples])
    texts = [e.text for e in examples[::7]] + ["", "zzz", "😂"]
    expected = classifier.pipeline.decision_function([normalise_for_classifier(t) for t in texts])
    actual = np.array([classifier.margins(t) for t in texts])
    assert np.allclose(actual, expected)


def test_fold_keeps_offsets() -> None:
    text = "Échue le 15 DÉC\u00a0— ﬁn\x00"
    assert len(fold(text)) == len(text)
    assert fold("Après-demain") == "apres-demain"
