"""Which rules can fire on a sentence, from the literal text each rule's matches must begin with.

Screening runs some fifty patterns over every sentence, and most never match a customer's words.
``leading_literals`` reads a pattern's parse tree (the ``re`` module's own parser) and returns
the literal prefixes one of which starts every match ("ignore", "disregard" for
``\\b(ignore|disregard) …``), or None when it cannot tell (a character class, an optional
start): such a rule always runs. A rule whose prefixes are all absent from the folded sentence
cannot match it, so skipping it changes no result (``tests/guardrails`` compares both ways).
"""

from __future__ import annotations

import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

MAX_PREFIX = 4
"""Prefixes are cut to this many characters (enough to rule a pattern out)."""


def leading_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Lower-case literal prefixes one of which starts every match of ``pattern``, or None."""
    if not pattern.flags & re.IGNORECASE:
        return None  # the sentence is folded to lower case before the check
    try:
        found = _first(list(sre_parse.parse(pattern.pattern, pattern.flags)))
    except (TypeError, ValueError, IndexError):
        return None
    if not found or "" in found:
        return None
    return frozenset(p.lower() for p in found)


def _first(items: list[tuple[Any, Any]]) -> set[str] | None:
    """The literal prefixes a match of this sequence starts with, or None when unknown."""
    i = 0
    while i < len(items) and items[i][0] is sre.AT:
        i += 1  # \b, ^: zero-width
    if i == len(items):
        return None
    op, arg = items[i]
    if op is sre.LITERAL:
        text = ""
        while i < len(items) and items[i][0] is sre.LITERAL and len(text) < MAX_PREFIX:
            text += chr(items[i][1])
            i += 1
        return {text}
    if op is sre.SUBPATTERN:
        return _first(list(arg[-1]))
    if op is sre.BRANCH:
        out: set[str] = set()
        for branch in arg[1]:
            found = _first(list(branch))
            if found is None:
                return None
            out |= found
        return out
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and arg[0] >= 1:
        return _first(list(arg[2]))
    return None


def prefix_pattern(prefixes: frozenset[str] | None) -> re.Pattern[str] | None:
    """One search for any of ``prefixes`` (None: the rule always runs)."""
    if prefixes is None:
        return None
    return re.compile("|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True)))


def may_match(prefix: re.Pattern[str] | None, folded: str) -> bool:
    """Whether a rule whose prefixes ``prefix`` finds can match the lower-cased ``folded``."""
    return prefix is None or prefix.search(folded) is not None
