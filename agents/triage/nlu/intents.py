"""Intent classification: TF-IDF nearest examples and label centroids over the examples.

The model is built from the triage's own examples plus every live skill's card examples (and
its name and description), so the label set follows the directory: a skill that disappears
stops being predicted, a new agent's skill becomes routable. Scoring uses an inverted index,
so classifying a sentence costs a few hundred dictionary operations.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from agents.triage.nlu.text import features


@dataclass(frozen=True, slots=True)
class IntentScore:
    label: str
    score: float


def _normalise(vector: Mapping[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {k: v / norm for k, v in vector.items()}


class IntentModel:
    def __init__(self, examples: Mapping[str, Iterable[str]]) -> None:
        raw: list[tuple[str, dict[str, float]]] = []
        for label, texts in examples.items():
            for text in texts:
                vector = features(text)
                if vector:
                    raw.append((label, vector))
        document_frequency: dict[str, int] = defaultdict(int)
        for _, vector in raw:
            for key in vector:
                document_frequency[key] += 1
        n = len(raw) + 1
        self._idf = {k: math.log(n / (1 + df)) + 1.0 for k, df in document_frequency.items()}
        self._labels = sorted({label for label, _ in raw})
        self._docs: list[tuple[str, dict[str, float]]] = [
            (label, self._weigh(vector)) for label, vector in raw
        ]
        centroids: dict[str, dict[str, float]] = defaultdict(dict)
        for label, vector in self._docs:
            c = centroids[label]
            for k, v in vector.items():
                c[k] = c.get(k, 0.0) + v
        self._centroids = {label: _normalise(c) for label, c in centroids.items()}
        # Docs sorted by label, so one label's docs are one slice of a score list.
        self._docs.sort(key=lambda doc: doc[0])
        self._slices: list[tuple[str, int, int]] = []
        for i, (label, _) in enumerate(self._docs):
            if self._slices and self._slices[-1][0] == label:
                self._slices[-1] = (label, self._slices[-1][1], i + 1)
            else:
                self._slices.append((label, i, i + 1))
        self._index: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, (_, vector) in enumerate(self._docs):
            for k, v in vector.items():
                self._index[k].append((i, v))
        label_number = {label: n for n, label in enumerate(self._labels)}
        self._centroid_index: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for label, vector in self._centroids.items():
            for k, v in vector.items():
                self._centroid_index[k].append((label_number[label], v))

    @property
    def labels(self) -> list[str]:
        return list(self._labels)

    def _weigh(self, vector: Mapping[str, float]) -> dict[str, float]:
        weighted = {k: v * self._idf[k] for k, v in vector.items() if k in self._idf}
        return _normalise(weighted)

    def rank(self, text: str) -> list[IntentScore]:
        """Labels by score (0..1), best first; empty when the text shares nothing with any."""
        query = self._weigh(features(text))
        if not query:
            return []
        per_doc = [0.0] * len(self._docs)
        per_centroid = [0.0] * len(self._labels)
        touched = False
        for k, q in query.items():
            postings = self._index.get(k)
            if postings is None:
                continue
            touched = True
            for i, v in postings:
                per_doc[i] += q * v
            for n, v in self._centroid_index[k]:
                per_centroid[n] += q * v
        if not touched:
            return []
        best_doc = {label: max(per_doc[lo:hi]) for label, lo, hi in self._slices}
        scores = [
            IntentScore(label, 0.6 * best_doc.get(label, 0.0) + 0.4 * per_centroid[n])
            for n, label in enumerate(self._labels)
            if best_doc.get(label, 0.0) > 0.0 or per_centroid[n] > 0.0
        ]
        scores.sort(key=lambda s: (-s.score, s.label))
        return scores
