"""A small pure-Python text classifier for injection attempts: multinomial naive Bayes over
word unigrams and bigrams, trained on the project's own examples (``examples.py``) at first use.

It scores one sentence; the screener only trusts it above a high posterior, so the rules stay the
first line and the model catches their paraphrases.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

from agents.triage.screening.examples import BENIGN, INJECTION

_WORD = re.compile(r"[a-z][a-z']+")
_STOP = frozenset({"the", "a", "an", "to", "of", "and", "is", "it", "in", "on", "for", "my"})


def features(text: str) -> list[str]:
    words = [w for w in _WORD.findall(text.lower()) if w not in _STOP]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


class NaiveBayes:
    """Two classes (injection, benign), Laplace smoothing, equal priors."""

    def __init__(self, positive: Iterable[str], negative: Iterable[str], alpha: float = 0.5):
        self._alpha = alpha
        self._pos = Counter(f for t in positive for f in features(t))
        self._neg = Counter(f for t in negative for f in features(t))
        self._vocab = len(set(self._pos) | set(self._neg))
        self._pos_total = sum(self._pos.values())
        self._neg_total = sum(self._neg.values())

    def _log_likelihood(self, counts: Counter[str], total: int, feature: str) -> float:
        return math.log((counts[feature] + self._alpha) / (total + self._alpha * self._vocab))

    def probability(self, text: str) -> float:
        """P(injection | text); 0.5 when the text shares no feature with the training set."""
        known = [f for f in features(text) if f in self._pos or f in self._neg]
        if not known:
            return 0.5
        log_odds = sum(
            self._log_likelihood(self._pos, self._pos_total, f)
            - self._log_likelihood(self._neg, self._neg_total, f)
            for f in known
        )
        log_odds = max(-50.0, min(50.0, log_odds))
        return 1.0 / (1.0 + math.exp(-log_odds))

    def coverage(self, text: str) -> float:
        """Share of the text's features the model has seen (unseen text is not judged)."""
        feats = features(text)
        if not feats:
            return 0.0
        return sum(1 for f in feats if f in self._pos or f in self._neg) / len(feats)


@lru_cache(maxsize=1)
def default_model() -> NaiveBayes:
    return NaiveBayes(INJECTION, BENIGN)


def train(positive: Sequence[str], negative: Sequence[str]) -> NaiveBayes:
    return NaiveBayes(positive, negative)
