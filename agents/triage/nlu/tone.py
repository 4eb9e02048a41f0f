"""Urgency and sentiment from a small lexicon (negations flip the next sentiment word)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from agents.triage.nlu.text import words

_NEGATIVE = frozenset(
    "angry annoyed awful bad broken damn disappointed disgusted frustrated furious horrible "
    "hate issue lost missing never problem ridiculous scam terrible unacceptable upset useless "
    "worst wrong fucking bloody crap complaint".split()
)
_POSITIVE = frozenset("thanks thank great love happy good perfect appreciate excellent".split())
_NEGATIONS = frozenset("not no never don't isn't wasn't can't cannot".split())
_URGENT = re.compile(
    r"\b(urgent(ly)?|asap|immediately|right now|right away|emergency|today|now!|"
    r"unacceptable|furious|as soon as possible)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Tone:
    sentiment: float
    """-1 (angry) … +1 (happy)."""
    urgent: bool

    @property
    def priority(self) -> str:
        if self.urgent:
            return "urgent"
        return "high" if self.sentiment <= -0.5 else "normal"


def tone(text: str) -> Tone:
    score, negate = 0, False
    for token in words(text):
        if token in _NEGATIONS:
            negate = True
            continue
        polarity = (token in _POSITIVE) - (token in _NEGATIVE)
        if polarity:
            score += -polarity if negate else polarity
        negate = False
    exclaims = text.count("!")
    sentiment = max(-1.0, min(1.0, (score - 0.5 * max(0, exclaims - 1)) / 3))
    upper, lower = sum(map(str.isupper, text)), sum(map(str.islower, text))
    shouting = upper + lower >= 15 and upper >= 0.7 * (upper + lower)
    urgent = bool(_URGENT.search(text)) or (shouting and sentiment < 0)
    return Tone(sentiment=sentiment, urgent=urgent)
