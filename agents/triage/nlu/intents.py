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
from typing import NamedTuple

from agents.triage.nlu.text import features, features_of, token_features, tokens

Postings = tuple[tuple[int, float], ...]
"""(doc or label number, weight) pairs."""

_TOKEN_CACHE = 50_000
"""Words whose posting lists are kept (a bound: ticket text is open vocabulary)."""


class IntentScore(NamedTuple):
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
        self._by_token: dict[str, tuple[Postings, Postings]] = {}
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
        stems = tokens(text)
        found = features_of(stems)
        idf = self._idf
        squared = sum((v * idf[k]) ** 2 for k, v in found.items() if k in idf)
        if not squared:
            return []
        per_doc = [0.0] * len(self._docs)
        per_centroid = [0.0] * len(self._labels)
        # Scores are linear in the features: a word and its character n-grams are added as one
        # precomputed posting list per word, bigrams key by key.
        counts: dict[str, int] = {}
        for t in stems:
            counts[t] = counts.get(t, 0) + 1
        for token, count in counts.items():
            docs, centroids = self._token_postings(token)
            for i, v in docs:
                per_doc[i] += count * v
            for n, v in centroids:
                per_centroid[n] += count * v
        bigrams = [(k, v) for k, v in found.items() if k[0] == "b" and k in idf]
        for key, weight in bigrams:
            w = weight * idf[key]
            for i, v in self._index[key]:
                per_doc[i] += w * v
            for n, v in self._centroid_index[key]:
                per_centroid[n] += w * v
        scale = 1.0 / math.sqrt(squared)
        # One slice per label, in label order (every label has examples).
        best_doc = [max(per_doc[lo:hi]) for _, lo, hi in self._slices]
        scores = [
            IntentScore(label, scale * (0.6 * best + 0.4 * centroid))
            for label, best, centroid in zip(self._labels, best_doc, per_centroid, strict=True)
            if best > 0.0 or centroid > 0.0
        ]
        scores.sort(key=lambda s: (-s.score, s.label))
        return scores

    def _token_postings(self, token: str) -> tuple[Postings, Postings]:
        """(doc, weight) and (label number, weight) of one stemmed word with its n-grams, the
        query-side idf included; cached (the vocabulary of tickets repeats)."""
        cached = self._by_token.get(token)
        if cached is not None:
            return cached
        docs: dict[int, float] = {}
        centroids: dict[int, float] = {}
        for key, weight in token_features(token):
            idf = self._idf.get(key)
            if idf is None:
                continue
            w = weight * idf
            for i, v in self._index[key]:
                docs[i] = docs.get(i, 0.0) + w * v
            for n, v in self._centroid_index[key]:
                centroids[n] = centroids.get(n, 0.0) + w * v
        cached = (tuple(docs.items()), tuple(centroids.items()))
        if len(self._by_token) < _TOKEN_CACHE:
            self._by_token[token] = cached
        return cached
