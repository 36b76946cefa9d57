"""Intent classifier: TF-IDF word 1-2-grams + char_wb 2-5-grams, linear SVM.

Trained at start-up from the NLU examples (about 0.1 s for ~900 examples). Scoring one
message bypasses scikit-learn's per-call validation: the fitted analyzers, IDF weights
and SVM coefficients are applied directly (same numbers, ~20x faster on one message).
Confidences are a softmax of the SVM margins with a fixed temperature (see TEMPERATURE).
Deterministic: LinearSVC with a fixed random_state.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from bot.nlu.text import fold

MAX_CLASSIFIER_CHARS = 400
"""Only the start of a message is classified: bounds time on pasted walls of text."""

RANDOM_STATE = 0
SVM_C = 0.3
TEMPERATURE = 0.2
"""Softmax temperature on SVM margins, chosen on held-out data so that a confidence of
0.4 separates mostly-right from mostly-wrong answers (see FALLBACK_THRESHOLD in parser)."""

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class IntentScore:
    name: str
    confidence: float


def normalise_for_classifier(text: str) -> str:
    return " ".join(fold(text[:MAX_CLASSIFIER_CHARS]).split())


def build_pipeline() -> Pipeline:
    """The scikit-learn pipeline (also usable as-is, e.g. for cross-validation)."""
    words = TfidfVectorizer(
        analyzer="word", ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b", sublinear_tf=True
    )
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
    return Pipeline(
        [
            ("features", FeatureUnion([("words", words), ("chars", chars)])),
            ("model", LinearSVC(C=SVM_C, random_state=RANDOM_STATE)),
        ]
    )


@dataclass(frozen=True)
class _Block:
    """One fitted TF-IDF vectorizer, flattened for fast single-message scoring."""

    analyze: Callable[[str], list[str]]
    vocabulary: dict[str, int]
    idf: Floats
    offset: int

    @classmethod
    def of(cls, vectorizer: TfidfVectorizer, offset: int) -> _Block:
        vocabulary = {str(k): int(v) for k, v in vectorizer.vocabulary_.items()}
        return cls(vectorizer.build_analyzer(), vocabulary, vectorizer.idf_, offset)

    def features(self, text: str) -> tuple[list[int], list[float]]:
        counts = Counter(t for t in self.analyze(text) if t in self.vocabulary)
        indices = [self.vocabulary[t] for t in counts]
        values = [
            (1.0 + math.log(n)) * float(self.idf[i])
            for i, n in zip(indices, counts.values(), strict=True)
        ]
        norm = math.sqrt(sum(v * v for v in values)) or 1.0
        return [i + self.offset for i in indices], [v / norm for v in values]


class IntentClassifier:
    """A trained intent model; `rank` returns every intent, most likely first."""

    def __init__(self, pipeline: Pipeline, train_seconds: float) -> None:
        union: FeatureUnion = pipeline.named_steps["features"]
        model: LinearSVC = pipeline.named_steps["model"]
        self._blocks: list[_Block] = []
        offset = 0
        for _, vectorizer in union.transformer_list:
            self._blocks.append(_Block.of(vectorizer, offset))
            offset += len(vectorizer.vocabulary_)
        self._weights: Floats = np.ascontiguousarray(np.asarray(model.coef_, dtype=np.float64).T)
        self._bias: Floats = np.asarray(model.intercept_, dtype=np.float64)
        self._labels: list[str] = [str(label) for label in model.classes_]
        self.pipeline = pipeline
        self.train_seconds = train_seconds

    @classmethod
    def train(cls, texts: Sequence[str], intents: Sequence[str]) -> IntentClassifier:
        if len(texts) != len(intents) or len(set(intents)) < 3:
            raise ValueError("need as many intents as texts and at least three intents")
        started = time.perf_counter()
        pipeline = build_pipeline()
        pipeline.fit([normalise_for_classifier(t) for t in texts], list(intents))
        return cls(pipeline, time.perf_counter() - started)

    @property
    def intents(self) -> list[str]:
        return list(self._labels)

    def margins(self, text: str) -> Floats:
        """SVM decision values per intent (same as the pipeline's decision_function)."""
        normalised = normalise_for_classifier(text)
        indices: list[int] = []
        values: list[float] = []
        for block in self._blocks:
            block_indices, block_values = block.features(normalised)
            indices += block_indices
            values += block_values
        if not indices:
            return self._bias.copy()
        rows = self._weights[np.asarray(indices, dtype=np.intp)]
        result: Floats = np.asarray(values, dtype=np.float64) @ rows + self._bias
        return result

    def rank(self, text: str) -> list[IntentScore]:
        scaled = self.margins(text) / TEMPERATURE
        exp = np.exp(scaled - scaled.max())
        probabilities = exp / exp.sum()
        order = np.argsort(-probabilities, kind="stable")
        return [IntentScore(self._labels[i], float(probabilities[i])) for i in order]
