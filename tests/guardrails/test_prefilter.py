"""The screening prefilter skips only rules that cannot match (same reasons as without it)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from agents.triage.screening.examples import BENIGN, INJECTION
from agents.triage.screening.prefilter import leading_literals, may_match
from agents.triage.screening.rules import RULES

SCENARIOS = Path(__file__).resolve().parents[2] / "evals" / "scenarios"


@pytest.mark.parametrize(
    ("pattern", "prefixes"),
    [
        (r"\b(ignore|disregard)\s+all", {"igno", "disr"}),
        (r"\byou are now\b", {"you "}),
        (r"(?:pretend|act) as", {"pret", "act"}),
        (r"\b(the )?rules? changed", None),  # optional start: always run
        (r"[a-z]+_[a-z]+", None),  # a character class: always run
        (r"(?:sys|dev)+tem", {"sys", "dev"}),
    ],
)
def test_leading_literals_are_what_every_match_starts_with(
    pattern: str, prefixes: set[str] | None
) -> None:
    found = leading_literals(re.compile(pattern, re.IGNORECASE))
    assert found == (frozenset(prefixes) if prefixes is not None else None)


def test_a_case_sensitive_rule_is_never_skipped() -> None:
    assert leading_literals(re.compile(r"\bDAN\b")) is None


def _sentences() -> list[str]:
    texts = [*INJECTION, *BENIGN]
    for path in sorted(SCENARIOS.glob("*.jsonl")):
        for line in path.read_text().splitlines():
            if line.strip():
                texts += [t for t in json.loads(line).get("turns", []) if isinstance(t, str)]
    return [s for t in texts for s in re.split(r"(?<=[.!?])\s+", t)]


def test_the_prefilter_changes_no_rule_outcome() -> None:
    sentences = _sentences()
    fired = 0
    for sentence in sentences:
        folded = sentence.lower()
        for rule in RULES:
            plain = bool(rule.pattern.search(sentence))
            fired += plain
            assert (may_match(rule.prefix, folded) and plain) == plain, (rule.reason, sentence)
    assert fired > 50  # the corpus does reach the rules
    assert sum(rule.prefixes is not None for rule in RULES) > len(RULES) // 2
