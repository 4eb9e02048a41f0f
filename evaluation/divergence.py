"""The first place where a failing run left the expected path, and the hop where it happened.

The trajectory is walked in the order things happen: the first turn (did triage ask when it
should, or ask when it should not), then every delegation in hop order (wrong agent, a write with
wrong arguments, an extra write, a refused subtask), then what never happened (a missing subtask),
and finally the end state (wrong final state, data that differs from gold, missing reply text).
"""

from __future__ import annotations

from typing import Any

from evaluation.matching import (
    ActionMatch,
    args_differences,
    delegated_agents,
    executed_writes,
    match_actions,
)
from evaluation.scenario import Scenario

Divergence = dict[str, Any]


def first_divergence(
    scenario: Scenario, trajectory: dict[str, Any], state: dict[str, Any] | None
) -> Divergence:
    for found in (
        _at_first_turn(scenario, trajectory),
        _in_delegations(scenario, trajectory),
        _missing(scenario, trajectory),
        _at_end(scenario, trajectory, state),
    ):
        if found is not None:
            return found
    return _divergence("unexplained", "the run failed a check no rule explains", hop="-")


def _divergence(kind: str, detail: str, *, hop: str, **extra: Any) -> Divergence:
    return {"kind": kind, "hop": hop, "detail": detail, **extra}


def _turn_hop(turn: int) -> str:
    return f"turn {turn}: customer → triage"


def _delegation_hop(d: dict[str, Any]) -> str:
    return (
        f"hop {d['hop']}: triage → {d.get('agent')}.{d.get('skill')} "
        f"(turn {d.get('turn')}, step {d.get('step')})"
    )


def _at_first_turn(scenario: Scenario, t: dict[str, Any]) -> Divergence | None:
    turns = t["turns"]
    if not turns:
        return _divergence("no answer", t.get("error") or "triage never answered", hop=_turn_hop(1))
    expected, actual = scenario.expect.first_turn_state, turns[0]["state"]
    if expected is None or expected == actual:
        return None
    if expected == "input-required":
        detail = f"expected a clarifying question, triage ended the turn {actual}"
        return _divergence("missed clarification", detail, hop=_turn_hop(1), turn=1)
    if actual == "input-required":
        detail = f"triage asked {turns[0]['message']!r} but the ticket needed no question"
        return _divergence("unexpected clarification", detail, hop=_turn_hop(1), turn=1)
    detail = f"turn 1 ended {actual}, expected {expected}"
    return _divergence("wrong state", detail, hop=_turn_hop(1), turn=1)


def _in_delegations(scenario: Scenario, t: dict[str, Any]) -> Divergence | None:
    e = scenario.expect
    executed = executed_writes(t)
    match = match_actions(e.actions, executed, e.actions_allowed) if e.actions is not None else None
    allowed = (e.agents or frozenset()) | e.agents_allowed
    for d in t["delegations"]:
        if "error" in d:
            detail = f"a delegation failed in transport: {d['error']}"
            return _divergence("failed delegation", detail, hop=f"hop {d['hop']}", turn=d["turn"])
        if e.agents is not None and d["agent"] not in allowed:
            detail = (
                f"triage sent {d['skill']} to {d['agent']}; expected only "
                f"{sorted(allowed) or 'no delegation'}"
            )
            return _divergence("wrong agent", detail, hop=_delegation_hop(d), turn=d["turn"])
        if match is not None:
            found = _write_divergence(scenario, d, executed, match, t)
            if found is not None:
                return found
    return None


def _write_divergence(
    scenario: Scenario,
    d: dict[str, Any],
    executed: list[dict[str, Any]],
    match: ActionMatch,
    t: dict[str, Any],
) -> Divergence | None:
    assert scenario.expect.actions is not None
    missing = [scenario.expect.actions[i] for i in match.missing]
    hop, turn = _delegation_hop(d), d["turn"]
    for j in match.extra:
        if executed[j]["hop"] != d["hop"]:
            continue
        write = executed[j]
        same = next((m for m in missing if m.name == write["name"]), None)
        if same is not None:
            diffs = args_differences(same.name, same.args, write["args"])
            detail = f"{write['name']} ran with wrong {', '.join(diffs)}"
            return _divergence(
                "wrong argument", detail, hop=hop, turn=turn,
                expected=same.to_json(), actual={"name": write["name"], "args": write["args"]},
            )  # fmt: skip
        detail = f"{write['name']} was written but not expected"
        return _divergence(
            "extra write", detail, hop=hop, turn=turn,
            actual={"name": write["name"], "args": write["args"]},
        )  # fmt: skip
    wrote = any(a["hop"] == d["hop"] for a in executed)
    same = next((m for m in missing if m.name == d["skill"]), None)
    if same is None or wrote:
        return None
    diffs = args_differences(same.name, same.args, d.get("arguments") or {})
    if diffs:
        detail = f"{d['skill']} was called with wrong {', '.join(diffs)}"
        kind = "wrong argument"
    else:
        errors = [a for a in t["actions"] if a["hop"] == d["hop"] and a["outcome"] != "ok"]
        code = errors[0]["error_code"] if errors else None
        detail = f"{d['agent']} ended {d['state']}" + (f" ({code})" if code else "")
        kind = "subtask failed"
    return _divergence(
        kind, detail, hop=hop, turn=turn,
        expected=same.to_json(), actual={"name": d["skill"], "args": d.get("arguments")},
    )  # fmt: skip


def _missing(scenario: Scenario, t: dict[str, Any]) -> Divergence | None:
    e = scenario.expect
    last = len(t["turns"])
    waiting = ""
    if t["final_state"] == "input-required" and t["clarifications"]:
        waiting = f"; the ticket ended waiting for an answer to {t['clarifications'][-1]!r}"
    hop = f"after turn {last}"
    if e.agents is not None:
        absent = sorted(e.agents - delegated_agents(t))
        if absent:
            detail = f"no delegation to {', '.join(absent)}{waiting}"
            return _divergence("missing subtask", detail, hop=hop, turn=last)
    if e.actions is not None:
        match = match_actions(e.actions, executed_writes(t), e.actions_allowed)
        if match.missing:
            want = e.actions[match.missing[0]]
            detail = f"{want.name} {want.args} never executed{waiting}"
            return _divergence(
                "missing subtask", detail, hop=hop, turn=last, expected=want.to_json()
            )
        if match.extra:
            write = executed_writes(t)[match.extra[0]]
            detail = f"{write['name']} was written outside any reported delegation"
            actual = {"name": write["name"], "args": write["args"]}
            return _divergence("extra write", detail, hop=hop, turn=last, actual=actual)
    return None


def _at_end(
    scenario: Scenario, t: dict[str, Any], state: dict[str, Any] | None
) -> Divergence | None:
    e = scenario.expect
    last = len(t["turns"])
    hop = _turn_hop(last)
    if t.get("error"):
        return _divergence("transport error", str(t["error"]), hop=hop, turn=last)
    asked = len(t["clarifications"])
    if e.clarifications is not None and asked != e.clarifications:
        kind = "missed clarification" if asked < e.clarifications else "extra clarification"
        detail = f"triage asked {asked} question(s), expected {e.clarifications}"
        return _divergence(kind, detail, hop=hop, turn=last)
    if e.final_state is not None and t["final_state"] != e.final_state:
        detail = f"the ticket ended {t['final_state']}, expected {e.final_state}"
        return _divergence("wrong final state", detail, hop=hop, turn=last)
    if state is not None and not state["match"]:
        differing = ", ".join(state.get("diff", [])[:5]) or "the data"
        detail = f"the final data differs from the gold replay in {differing}"
        return _divergence("wrong final state", detail, hop=hop, turn=last)
    text = t["reply"].casefold()
    absent = [n for n in e.reply_contains if n.casefold() not in text]
    if absent:
        detail = f"the reply lacks {absent}: {t['reply'][:200]!r}"
        return _divergence("missing reply text", detail, hop=hop, turn=last)
    return None
