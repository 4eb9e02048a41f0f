"""Meaning classifiers: why a customer cancels, and what went wrong with a delivery.

Both are naive Bayes models (``naive_bayes``) trained once, at import, on the tables of
``meaning_examples``; a label is returned only when its posterior clears ``MIN_PROBABILITY``,
so a sentence that says neither thing yields None and the planner asks.
"""

from __future__ import annotations

import functools
import re

from agents.triage.nlu.examples import EXAMPLES
from agents.triage.nlu.meaning_examples import CANCEL_REASONS, DELIVERY_PROBLEMS
from agents.triage.nlu.naive_bayes import Guess, NaiveBayes

MIN_PROBABILITY = 0.8
MIN_SUPPORT = 0.25
"""The least cosine similarity to a training example of the label (see ``NaiveBayes.support``)."""
NONE = "none"


_MAY_STATE_IT = frozenset({"cancel_pending_order", "get_order_details", "transfer_to_human_agents"})
"""Intent labels whose examples may give a reason or report a problem (not used as ``none``)."""


def _with_other_requests(table: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """``table`` whose ``none`` class also holds the intent examples of other requests: many
    ordinary sentences that give no reason and report no problem."""
    others = tuple(
        t for label, texts in EXAMPLES.items() if label not in _MAY_STATE_IT for t in texts
    )
    return {**table, NONE: (*table[NONE], *others)}


@functools.lru_cache(maxsize=1)
def _reasons() -> NaiveBayes:
    return NaiveBayes(_with_other_requests(CANCEL_REASONS))


@functools.lru_cache(maxsize=1)
def _problems() -> NaiveBayes:
    return NaiveBayes(_with_other_requests(DELIVERY_PROBLEMS))


_CLAUSE = re.compile(r"[.,;:!?()]+|\b(?:because|since|as|but|so)\b", re.IGNORECASE)


@functools.lru_cache(maxsize=8192)
def _classify(model: NaiveBayes, clause: str) -> Guess:
    return model.classify(clause)


def _confident(model: NaiveBayes, text: str) -> str | None:
    """The label the most confident clause of ``text`` carries (clauses are read one by one:
    "cancel #W… with the lamp, I got it by accident" gives its reason in one of them)."""
    best: tuple[float, str] | None = None
    for clause in _CLAUSE.split(text):
        if len(clause.split()) < 1:
            continue
        guess = _classify(model, clause)
        if (
            guess.label != NONE
            and guess.probability >= MIN_PROBABILITY
            and model.support(clause, guess.label) >= MIN_SUPPORT
        ):
            if best is None or guess.probability > best[0]:
                best = (guess.probability, guess.label)
    return best[1] if best else None


@functools.lru_cache(maxsize=4096)
def cancel_reason(text: str) -> str | None:
    """ "no longer needed", "ordered by mistake", or None when the text gives no reason."""
    return _confident(_reasons(), text)


@functools.lru_cache(maxsize=4096)
def delivery_problem(text: str) -> str | None:
    """ "damaged", "not_received", or None."""
    return _confident(_problems(), text)
