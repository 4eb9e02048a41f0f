"""Meaning classifiers: why a customer cancels, and what went wrong with a delivery.

Both are naive Bayes models (``naive_bayes``) trained once, at import, on the tables of
``meaning_examples``; a clause gives a label only when it says something (``MAX_NONE``), says
one thing (``MIN_SHARE``) and is near an example of it (``MIN_SUPPORT``), so a sentence that
says neither thing yields None and the planner asks.
"""

from __future__ import annotations

import functools
import re

from agents.triage.nlu.examples import EXAMPLES
from agents.triage.nlu.meaning_examples import CANCEL_REASONS, DELIVERY_PROBLEMS
from agents.triage.nlu.naive_bayes import NaiveBayes
from agents.triage.nlu.text import STOPWORDS, words

MAX_NONE = 0.5
"""A clause says something (some reason, some problem) when ``none`` is less likely than this."""
MIN_SHARE = 0.8
"""…and it says one thing: the best label's share of the probability the labels other than
``none`` hold (a clause between "no longer needed" and "by mistake" says neither for sure)."""
MIN_SUPPORT = 0.2
"""The least cosine similarity to a training example of the label (see ``NaiveBayes.support``)."""
PROBLEM_MAX_NONE = 0.2
PROBLEM_MIN_SUPPORT = 0.25
"""A problem report needs more: a reason is only read for a request already a cancellation (one
of two), while a problem turns a statement into a handoff ("the sunglasses one" is no damage)."""
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


_CLAUSE = re.compile(
    r"[.,;:!?()\u2600-\u27bf\U0001f300-\U0001faff]+|\s[-\u2013\u2014]+\s|"
    r"\b(?:because|since|as|but|so)\b",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=8192)
def _scores(model: NaiveBayes, clause: str) -> dict[str, float]:
    return model.scores(clause)


_NO_NEED = re.compile(r"\b(?:not|no|don'?t|dont|do not|never)\b[^.!?]{0,20}\bneed", re.IGNORECASE)
"""Stop words that still say something together: "not needed", "I don't need it"."""


_REFERS_TO_A_REASON = re.compile(r"\bsame reason\b", re.IGNORECASE)
"""A clause pointing at a reason given elsewhere ("for the same reason") states none."""


def _says_something(clause: str) -> bool:
    """A clause with a word beyond stop words, ids and numbers ("it's 5918442" says nothing)."""
    if _NO_NEED.search(clause):
        return True
    return any(w not in STOPWORDS and not w.isdigit() for w in words(clause))


def _confident(
    model: NaiveBayes, text: str, max_none: float = MAX_NONE, min_support: float = MIN_SUPPORT
) -> str | None:
    """The label the most confident clause of ``text`` carries (clauses are read one by one:
    "cancel #W… with the lamp, I got it by accident" gives its reason in one of them)."""
    best: tuple[float, str] | None = None
    for clause in _CLAUSE.split(text):
        if not _says_something(clause) or _REFERS_TO_A_REASON.search(clause):
            continue
        scores = _scores(model, clause)
        if scores[NONE] >= max_none:
            continue
        said = sum(p for label, p in scores.items() if label != NONE)
        label = max((lab for lab in scores if lab != NONE), key=lambda lab: scores[lab])
        share = scores[label] / said
        if share >= MIN_SHARE and model.support(clause, label) >= min_support:
            if best is None or share > best[0]:
                best = (share, label)
    return best[1] if best else None


@functools.lru_cache(maxsize=4096)
def cancel_reason(text: str) -> str | None:
    """ "no longer needed", "ordered by mistake", or None when the text gives no reason."""
    return _confident(_reasons(), text)


@functools.lru_cache(maxsize=4096)
def delivery_problem(text: str) -> str | None:
    """ "damaged", "not_received", or None."""
    return _confident(_problems(), text, PROBLEM_MAX_NONE, PROBLEM_MIN_SUPPORT)
