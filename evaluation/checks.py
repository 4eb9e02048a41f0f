"""Scoring one scenario run against its expectations (pass/fail plus the counts metrics need)."""

from __future__ import annotations

from typing import Any

from evaluation.divergence import first_divergence
from evaluation.matching import delegated_agents, executed_writes, match_actions
from evaluation.scenario import Scenario


def score(
    scenario: Scenario, trajectory: dict[str, Any], state: dict[str, Any] | None
) -> dict[str, Any]:
    """Checks (True/False, None when not scored), metric counts and the first divergence."""
    e = scenario.expect
    turns = trajectory["turns"]
    first_state = turns[0]["state"] if turns else None
    questions = len(trajectory["clarifications"])
    checks: dict[str, bool | None] = {
        "routing": routing_correct(scenario, trajectory) if e.agents is not None else None,
        "actions": None,
        "first_turn_state": None
        if e.first_turn_state is None
        else first_state == e.first_turn_state,
        "final_state": None
        if e.final_state is None
        else trajectory["final_state"] == e.final_state,
        "reply_contains": _reply_contains(e.reply_contains, trajectory["reply"]),
        "state_match": None if state is None else bool(state["match"]),
        "clarifications": None if e.clarifications is None else questions == e.clarifications,
        "no_error": trajectory.get("error") is None,
    }
    counts = {"action_tp": 0, "action_fp": 0, "action_fn": 0}
    if e.actions is not None:
        match = match_actions(e.actions, executed_writes(trajectory), e.actions_allowed)
        checks["actions"] = not match.missing and not match.extra
        counts = {
            "action_tp": len(match.pairs),
            "action_fp": len(match.extra),
            "action_fn": len(match.missing),
        }
    passed = all(v is not False for v in checks.values())
    return {
        "passed": passed,
        "checks": checks,
        "counts": {
            **counts,
            "clarification_expected": expected_clarification(scenario),
            "clarification_asked": first_state == "input-required",
            "questions": questions,
            "delegations": len(trajectory["delegations"]),
            "hops": len(turns) + len(trajectory["delegations"]),
        },
        "divergence": None if passed else first_divergence(scenario, trajectory, state),
    }


def routing_correct(scenario: Scenario, trajectory: dict[str, Any]) -> bool:
    expected = scenario.expect.agents or frozenset()
    delegated = delegated_agents(trajectory)
    return expected <= delegated <= expected | scenario.expect.agents_allowed


def expected_clarification(scenario: Scenario) -> bool | None:
    e = scenario.expect
    if e.first_turn_state is not None:
        return e.first_turn_state == "input-required"
    if e.clarifications is not None:
        return e.clarifications > 0
    return None


def _reply_contains(needles: tuple[str, ...], reply: str) -> bool | None:
    if not needles:
        return None
    text = reply.casefold()
    return all(n.casefold() in text for n in needles)
