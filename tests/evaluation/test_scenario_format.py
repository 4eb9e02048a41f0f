"""Scenario files: the format is read leniently, malformed lines are reported with file:line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluation.scenario import ScenarioError, load_file, parse_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "evals" / "scenarios"


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n")
    return path


def test_malformed_lines_are_reported_and_skipped(tmp_path: Path) -> None:
    good = {"id": "ok", "turns": ["hi"], "expect": {"agents": []}, "surprise": {"x": 1}}
    path = _write(
        tmp_path / "mixed.jsonl",
        [
            json.dumps(good),
            "{not json",
            json.dumps({"id": "no-turns"}),
            "",
            json.dumps({"id": "bad-seed", "seed": "mars", "turns": ["x"]}),
            json.dumps({**good, "id": "bad-state", "expect": {"final_state": "done"}}),
            json.dumps(good),
            json.dumps({**good, "id": "last"}),
        ],
    )
    loaded = load_file(path)
    assert [s.id for s in loaded.scenarios] == ["ok", "last"]
    assert [e.source for e in loaded.errors] == [f"{path}:{n}" for n in (2, 3, 5, 6, 7)]
    assert "not JSON" in loaded.errors[0].message
    assert "turns" in loaded.errors[1].message
    assert "duplicate id" in loaded.errors[4].message


def test_full_scenario_is_parsed() -> None:
    raw = {
        "id": "cancel-one-of-three",
        "tags": ["ambiguous", "orders", "orders"],
        "seed": "tau-retail",
        "customer": {"user_id": "omar_anderson_3203"},
        "turns": ["I want to cancel my order", "the one with the yoga mat"],
        "expect": {
            "agents": ["orders"],
            "actions": [
                {"name": "cancel_pending_order", "args": {"order_id": "#W1", "reason": "r"}}
            ],
            "first_turn_state": "input-required",
            "final_state": "completed",
            "reply_contains": ["cancelled"],
        },
    }
    s = parse_scenario(raw, suite="x")
    assert s.key == "x/cancel-one-of-three"
    assert s.tags == ("ambiguous", "orders")
    assert s.expect.agents == frozenset({"orders"})
    assert s.expect.actions is not None and s.expect.actions[0].args["order_id"] == "#W1"
    assert s.scores_state  # tau-retail with actions: state compared by default
    assert parse_scenario(s.to_json(), suite="x") == s  # the worker's round trip


def test_state_matching_defaults() -> None:
    demo = parse_scenario({"id": "d", "turns": ["x"], "expect": {"actions": []}}, suite="s")
    assert not demo.scores_state
    off = {"id": "t", "seed": "tau-retail", "turns": ["x"], "expect": {"actions": []}}
    off["expect"]["state_matches_gold"] = False
    assert not parse_scenario(off, suite="s").scores_state
    no_actions = {"id": "n", "seed": "tau-retail", "turns": ["x"], "expect": {"agents": []}}
    assert not parse_scenario(no_actions, suite="s").scores_state


@pytest.mark.parametrize(
    "raw",
    [
        [],
        {"id": "", "turns": ["x"]},
        {"id": "a", "turns": []},
        {"id": "a", "turns": ["x"], "customer": {"name": "x"}},
        {"id": "a", "turns": ["x"], "expect": {"actions": [{"args": {}}]}},
        {"id": "a", "turns": ["x"], "expect": {"clarifications": -1}},
    ],
)
def test_invalid_scenarios_raise(raw: object) -> None:
    with pytest.raises(ScenarioError):
        parse_scenario(raw, suite="s")


def test_our_suite_loads_cleanly_and_is_large_enough() -> None:
    files = sorted(SCENARIOS.glob("*.jsonl"))
    scenarios = []
    for path in files:
        loaded = load_file(path)
        assert loaded.errors == [], loaded.errors
        scenarios += loaded.scenarios
    assert len(scenarios) >= 160
    tags = {t for s in scenarios for t in s.tags}
    for needed in (
        "multi-intent",
        "ambiguous",
        "missing-details",
        "out-of-scope",
        "out-of-policy",
        "other-customer",
        "angry",
        "non-english",
        "injection",
        "tau-user",
        "two-rounds",
    ):
        assert needed in tags, needed
    skills = {
        "get_order_details", "list_orders", "get_product_details", "find_item",
        "cancel_pending_order", "modify_pending_order_items", "modify_pending_order_address",
        "return_delivered_order_items", "exchange_delivered_order_items", "modify_user_address",
        "get_payment_methods", "get_payment_history", "get_receipt",
        "modify_pending_order_payment", "get_refund_status", "get_gift_card_balance",
        "transfer_to_human_agents", "get_handoff_status",
    }  # fmt: skip
    assert skills <= tags, skills - tags


@pytest.mark.parametrize(
    "expect",
    [None, {}, {"reply_contains": []}, {"agents_allowed": ["orders"], "state_matches_gold": True}],
)
def test_a_scenario_without_expectations_is_refused_with_its_line(
    tmp_path: Path, expect: dict | None
) -> None:
    raw = {"id": "empty", "turns": ["hi"], **({"expect": expect} if expect is not None else {})}
    path = tmp_path / "suite.jsonl"
    path.write_text(
        json.dumps({"id": "ok", "turns": ["hi"], "expect": {"actions": []}})
        + "\n"
        + json.dumps(raw)
        + "\n"
    )
    loaded = load_file(path)
    assert [s.id for s in loaded.scenarios] == ["ok"]
    assert len(loaded.errors) == 1 and loaded.errors[0].source == f"{path}:2"
    assert "no expectations" in loaded.errors[0].message
