"""Hand-built trajectories and runs, shaped like the runner's, for the pure-logic tests."""

from __future__ import annotations

from typing import Any

from evaluation.checks import score
from evaluation.scenario import Scenario, parse_scenario


def scenario(**raw: Any) -> Scenario:
    base: dict[str, Any] = {"id": "s", "turns": ["ticket"], "expect": {}}
    return parse_scenario({**base, **raw}, suite=raw.pop("suite", "suite"))


def delegation(hop: int, agent: str, skill: str, turn: int = 1, **arguments: Any) -> dict[str, Any]:
    return {
        "hop": hop,
        "turn": turn,
        "step": f"s{hop}",
        "agent": agent,
        "skill": skill,
        "arguments": arguments,
        "state": "completed",
        "ok": True,
        "data": None,
    }


def write(hop: int | None, name: str, outcome: str = "ok", **args: Any) -> dict[str, Any]:
    return {
        "name": name,
        "args": args,
        "outcome": outcome,
        "error_code": None if outcome == "ok" else "order_not_pending",
        "hop": hop,
        "step": None if hop is None else f"s{hop}",
    }


def trajectory(
    states: list[str] | None = None,
    delegations: list[dict[str, Any]] | None = None,
    actions: list[dict[str, Any]] | None = None,
    reply: str = "done",
) -> dict[str, Any]:
    states = states or ["completed"]
    turns = [
        {"turn": i, "state": s, "message": "Which order?" if s == "input-required" else reply}
        for i, s in enumerate(states, start=1)
    ]
    return {
        "turns": turns,
        "plan": None,
        "delegations": delegations or [],
        "actions": actions or [],
        "clarifications": [t["message"] for t in turns if t["state"] == "input-required"],
        "final_state": states[-1],
        "reply": reply,
        "error": None,
    }


def run(
    s: Scenario,
    t: dict[str, Any],
    *,
    trial: int = 1,
    latency: float = 0.1,
    state: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "key": s.key,
        "suite": s.suite,
        "id": s.id,
        "tags": list(s.tags),
        "trial": trial,
        **score(s, t, state),
        "state": state,
        "trajectory": t,
        "latency_s": latency,
        "turn_latency_s": [latency],
    }
