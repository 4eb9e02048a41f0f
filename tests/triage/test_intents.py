"""The intent model's scores: the indexed ranking equals the plain cosine computation."""

from __future__ import annotations

import math

from agents.triage.nlu.examples import EXAMPLES
from agents.triage.nlu.intents import IntentModel
from agents.triage.nlu.text import features


def _cosine_scores(examples: dict[str, tuple[str, ...]], text: str) -> dict[str, float]:
    """0.6 × best example cosine + 0.4 × centroid cosine, with TF-IDF weights, done naively."""
    docs = [(label, features(t)) for label, texts in examples.items() for t in texts]
    docs = [(label, vector) for label, vector in docs if vector]
    frequency: dict[str, int] = {}
    for _, vector in docs:
        for key in vector:
            frequency[key] = frequency.get(key, 0) + 1
    idf = {k: math.log((len(docs) + 1) / (1 + df)) + 1.0 for k, df in frequency.items()}

    def unit(vector: dict[str, float]) -> dict[str, float]:
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {k: v / norm for k, v in vector.items()}

    def weigh(vector: dict[str, float]) -> dict[str, float]:
        return unit({k: v * idf[k] for k, v in vector.items() if k in idf})

    def dot(a: dict[str, float], b: dict[str, float]) -> float:
        return sum(v * b.get(k, 0.0) for k, v in a.items())

    weighted = [(label, weigh(vector)) for label, vector in docs]
    query = weigh(features(text))
    scores: dict[str, float] = {}
    for label in {label for label, _ in weighted}:
        own = [vector for name, vector in weighted if name == label]
        centroid: dict[str, float] = {}
        for vector in own:
            for k, v in vector.items():
                centroid[k] = centroid.get(k, 0.0) + v
        best = max(dot(query, vector) for vector in own)
        score = 0.6 * best + 0.4 * dot(query, unit(centroid))
        if score > 0.0:
            scores[label] = score
    return scores


def test_ranking_equals_the_plain_cosine_scores() -> None:
    model = IntentModel(EXAMPLES)
    for text in (
        "where is my order, it has not arrived",
        "I'd like to return the backpack and get a refund on my gift card",
        "cancel cancel cancel the order please",
        "what is the weather like",
        "zzzz qqqq",
    ):
        want = _cosine_scores(EXAMPLES, text)
        got = model.rank(text)
        assert {s.label for s in got} == set(want)
        for s in got:
            assert math.isclose(s.score, want[s.label], rel_tol=1e-9, abs_tol=1e-12)
        assert [s.score for s in got] == sorted((s.score for s in got), reverse=True)
