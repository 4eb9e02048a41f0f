"""A compact multinomial naive Bayes text classifier over word and character n-grams.

Used where meaning, not a phrase, decides (why a customer cancels, what went wrong with a
delivery): trained on many varied examples, it reads "turns out I won't need it" and "ich brauche
sie nicht mehr" as the same reason. Features: folded words, word bigrams, and character 4-grams
of each word (so typos and inflections still share most features). Classifying a sentence costs
one dictionary lookup per feature per label (well under a millisecond).
"""

from __future__ import annotations

import functools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from agents.triage.nlu.text import words

_CHAR_WEIGHT = 0.5
"""A character 4-gram counts half a word (a word contributes several of them)."""
_ROW_CACHE = 8192
"""Words whose per-label row is kept (ticket vocabulary repeats; the bound keeps memory flat)."""


class Guess(NamedTuple):
    label: str
    probability: float


@functools.lru_cache(maxsize=8192)
def _word_features(word: str) -> tuple[tuple[str, float], ...]:
    keys: list[tuple[str, float]] = [("w:" + word, 1.0)]
    if len(word) > 3:
        padded = f"<{word}>"
        keys += [("c:" + padded[i : i + 4], _CHAR_WEIGHT) for i in range(len(padded) - 3)]
    return tuple(keys)


def featurize(text: str) -> dict[str, float]:
    tokens = words(text)
    found: dict[str, float] = defaultdict(float)
    for token in tokens:
        for key, weight in _word_features(token):
            found[key] += weight
    for a, b in zip(tokens, tokens[1:], strict=False):
        found[f"b:{a}_{b}"] += 1.0
    return found


def _unit(found: Mapping[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in found.values())) or 1.0
    return {k: v / norm for k, v in found.items()}


class NaiveBayes:
    """``NaiveBayes({label: examples}).classify(text)`` → the most probable label."""

    def __init__(self, examples: Mapping[str, Iterable[str]], *, alpha: float = 0.3) -> None:
        counts: dict[str, dict[str, float]] = {}
        docs: Counter[str] = Counter()
        self._examples: dict[str, list[dict[str, float]]] = {}
        for label, texts in examples.items():
            bag: dict[str, float] = defaultdict(float)
            for text in texts:
                found = featurize(text)
                for key, weight in found.items():
                    bag[key] += weight
                docs[label] += 1
                self._examples.setdefault(label, []).append(_unit(found))
            counts[label] = bag
        vocabulary = {k for bag in counts.values() for k in bag}
        total_docs = sum(docs.values())
        self.labels = tuple(sorted(counts))
        self._prior = {label: math.log(docs[label] / total_docs) for label in self.labels}
        unseen: list[float] = []
        per_label: list[dict[str, float]] = []
        for label in self.labels:
            bag = counts[label]
            denominator = sum(bag.values()) + alpha * len(vocabulary)
            per_label.append({k: math.log((v + alpha) / denominator) for k, v in bag.items()})
            unseen.append(math.log(alpha / denominator))
        # feature → its log probability under each label (labels in ``self.labels`` order)
        self._table: dict[str, tuple[float, ...]] = {
            k: tuple(table.get(k, u) for table, u in zip(per_label, unseen, strict=True))
            for k in vocabulary
        }
        self._priors = tuple(self._prior[label] for label in self.labels)
        self._rows: dict[str, tuple[float, ...] | None] = {}
        # label → feature → (example number, weight): nearest-example search by postings
        self._postings: dict[str, dict[str, list[tuple[int, float]]]] = {}
        for label, vectors in self._examples.items():
            index: dict[str, list[tuple[int, float]]] = {}
            for i, vector in enumerate(vectors):
                for k, w in vector.items():
                    index.setdefault(k, []).append((i, w))
            self._postings[label] = index

    def scores(self, text: str) -> dict[str, float]:
        """Posterior probability of each label (features never seen in training are ignored)."""
        log_scores = list(self._priors)
        n = len(log_scores)
        tokens = words(text)
        # The score is linear in the features: a word and its character n-grams add up to one
        # row per word, computed once; bigrams are looked up one by one.
        rows = [self._word_row(token) for token in tokens]
        table = self._table
        for a, b in zip(tokens, tokens[1:], strict=False):
            bigram = table.get(f"b:{a}_{b}")
            if bigram is not None:
                rows.append(bigram)
        for row in rows:
            if row is not None:
                for i in range(n):
                    log_scores[i] += row[i]
        top = max(log_scores)
        exp = [math.exp(s - top) for s in log_scores]
        total = sum(exp)
        return {label: e / total for label, e in zip(self.labels, exp, strict=True)}

    def _word_row(self, word: str) -> tuple[float, ...] | None:
        """The log probabilities one word adds under each label (its word and n-gram features)."""
        if word in self._rows:
            return self._rows[word]
        found: list[float] | None = None
        for key, weight in _word_features(word):
            row = self._table.get(key)
            if row is None:
                continue
            if found is None:
                found = [0.0] * len(row)
            for i, value in enumerate(row):
                found[i] += weight * value
        result = tuple(found) if found is not None else None
        if len(self._rows) < _ROW_CACHE:
            self._rows[word] = result
        return result

    def support(self, text: str, label: str) -> float:
        """The cosine similarity of ``text`` to its nearest training example of ``label``: a
        posterior can be confident on little evidence, a near example shows there is some."""
        postings = self._postings.get(label, {})
        dots: dict[int, float] = {}
        for k, v in _unit(featurize(text)).items():
            for i, w in postings.get(k, ()):
                dots[i] = dots.get(i, 0.0) + v * w
        return max(dots.values(), default=0.0)

    def classify(self, text: str) -> Guess:
        scores = self.scores(text)
        label = max(scores, key=lambda name: (scores[name], name))
        return Guess(label, scores[label])
