"""A handoff's default priority, from urgency and sentiment words in its summary."""

from __future__ import annotations

import re

_URGENT = re.compile(
    r"\b(emergency|lawyer|legal action|lawsuit|sue|fraud\w*|stolen|unauthori[sz]ed|"
    r"chargeback|scam\w*|danger\w*|injur\w*|safety)\b",
    re.IGNORECASE,
)
_HIGH = re.compile(
    r"\b(urgent\w*|asap|immediately|right now|right away|today|furious|angry|outraged|"
    r"unacceptable|ridiculous|terrible|horrible|worst|disgusted|livid|fed up|"
    r"never again|third time|again and again|still waiting|complain\w*|manager|supervisor)\b",
    re.IGNORECASE,
)
_LOW = re.compile(
    r"\b(no rush|not urgent|whenever|no hurry|at your convenience|when you can|just curious)\b",
    re.IGNORECASE,
)


def derive_priority(summary: str) -> str:
    """'urgent' for safety, fraud or legal threats; 'high' for urgency or anger (two such
    signals, or shouting, make it 'urgent'); 'low' when the customer says there is no rush."""
    if _URGENT.search(summary):
        return "urgent"
    signals = len(_HIGH.findall(summary)) + summary.count("!") // 2
    if _shouting(summary):
        signals += 1
    if signals >= 3:
        return "urgent"
    if signals:
        return "high"
    if _LOW.search(summary):
        return "low"
    return "normal"


def _shouting(text: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z]{3,}", text)]
    loud = [w for w in words if w.isupper()]
    return len(words) >= 3 and len(loud) * 2 >= len(words)
