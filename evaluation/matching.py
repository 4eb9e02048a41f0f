"""Matching what the mesh did with what a scenario expected: writes and delegated agents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain import HANDOFF
from evaluation.scenario import ExpectedAction

FREE_TEXT_ARGS = {HANDOFF: frozenset({"summary"})}
"""Arguments that are prose, never compared; the other arguments of these actions compare
only when the expectation states them (the mesh adds user_id, reason, priority itself)."""


def args_equal(name: str, expected: dict[str, Any], actual: dict[str, Any]) -> bool:
    return not args_differences(name, expected, actual)


def args_differences(name: str, expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """Argument names whose values differ (item-id lists compare as multisets)."""
    if name in FREE_TEXT_ARGS:
        keys = set(expected) - FREE_TEXT_ARGS[name]
    else:
        keys = set(expected) | set(actual)
    return sorted(k for k in keys if not _value_equal(k, expected.get(k), actual.get(k)))


def _value_equal(key: str, expected: Any, actual: Any) -> bool:
    if key.endswith("item_ids") and isinstance(expected, list) and isinstance(actual, list):
        return sorted(map(str, expected)) == sorted(map(str, actual))
    return bool(expected == actual)


@dataclass(frozen=True, slots=True)
class ActionMatch:
    """How the writes the mesh made match the writes a scenario expected."""

    pairs: tuple[tuple[int, int], ...]
    """(expected index, executed index) of every match."""
    missing: tuple[int, ...]
    """Expected actions that did not execute."""
    extra: tuple[int, ...]
    """Executed writes that were not expected."""


def match_actions(
    expected: tuple[ExpectedAction, ...],
    executed: list[dict[str, Any]],
    allowed: frozenset[str] = frozenset(),
) -> ActionMatch:
    """Multiset matching of executed writes to expected ones (greedy; equality is exact)."""
    free = list(range(len(executed)))
    pairs, missing = [], []
    for i, want in enumerate(expected):
        hit = next(
            (
                j
                for j in free
                if executed[j]["name"] == want.name
                and args_equal(want.name, want.args, executed[j]["args"])
            ),
            None,
        )
        if hit is None:
            missing.append(i)
        else:
            free.remove(hit)
            pairs.append((i, hit))
    extra = tuple(j for j in free if executed[j]["name"] not in allowed)
    return ActionMatch(tuple(pairs), tuple(missing), extra)


def executed_writes(trajectory: dict[str, Any]) -> list[dict[str, Any]]:
    return [a for a in trajectory["actions"] if a.get("outcome") == "ok"]


def delegated_agents(trajectory: dict[str, Any]) -> set[str]:
    return {d["agent"] for d in trajectory["delegations"] if d.get("agent")}
