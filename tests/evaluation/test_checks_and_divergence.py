"""Scoring and first-divergence detection on synthetic trajectories."""

from __future__ import annotations

from evaluation.matching import args_differences, match_actions
from evaluation.scenario import ExpectedAction
from tests.evaluation.synthetic import delegation, run, scenario, trajectory, write

CANCEL = {"name": "cancel_pending_order", "args": {"order_id": "#W1", "reason": "no longer needed"}}


def test_item_id_lists_compare_as_multisets() -> None:
    expected = {"order_id": "#W1", "item_ids": ["a", "b", "a"], "payment_method_id": "p"}
    assert not args_differences(
        "return_delivered_order_items", expected, {**expected, "item_ids": ["a", "a", "b"]}
    )
    assert args_differences(
        "return_delivered_order_items", expected, {**expected, "item_ids": ["a", "b", "b"]}
    ) == ["item_ids"]
    assert args_differences("cancel_pending_order", {"order_id": "#W1"}, {"order_id": "#W2"}) == [
        "order_id"
    ]


def test_handoff_summary_is_prose_and_extra_arguments_are_free() -> None:
    want = ExpectedAction("transfer_to_human_agents", {"summary": "x", "priority": "urgent"})
    ok = {"name": "transfer_to_human_agents", "args": {"summary": "other", "priority": "urgent",
                                                       "user_id": "u", "reason": "r"}}  # fmt: skip
    low = {"name": "transfer_to_human_agents", "args": {"summary": "x", "priority": "normal"}}
    assert match_actions((want,), [ok]).pairs == ((0, 0),)
    assert match_actions((want,), [low]).missing == (0,)


def test_passing_run() -> None:
    s = scenario(expect={"agents": ["orders"], "actions": [CANCEL], "final_state": "completed",
                         "reply_contains": ["CANCELLED"]})  # fmt: skip
    t = trajectory(
        delegations=[delegation(1, "orders", "cancel_pending_order", **CANCEL["args"])],
        actions=[write(1, "cancel_pending_order", **CANCEL["args"])],
        reply="Order #W1 is cancelled.",
    )
    r = run(s, t)
    assert r["passed"] and r["divergence"] is None
    assert r["counts"]["action_tp"] == 1 and r["counts"]["hops"] == 2


def test_wrong_agent_is_the_first_divergence() -> None:
    s = scenario(expect={"agents": ["orders"], "actions": [CANCEL]})
    t = trajectory(delegations=[delegation(1, "billing", "get_payment_methods")])
    d = run(s, t)["divergence"]
    assert d["kind"] == "wrong agent"
    assert d["hop"].startswith("hop 1: triage → billing.get_payment_methods")


def test_allowed_agents_do_not_make_routing_wrong() -> None:
    s = scenario(expect={"agents": ["orders"], "agents_allowed": ["billing"], "actions": []})
    t = trajectory(
        delegations=[delegation(1, "billing", "get_payment_methods"), delegation(2, "orders", "x")]
    )
    assert run(s, t)["checks"]["routing"] is True


def test_wrong_argument_names_the_argument_and_hop() -> None:
    s = scenario(expect={"agents": ["orders"], "actions": [CANCEL]})
    args = {**CANCEL["args"], "reason": "ordered by mistake"}
    t = trajectory(
        delegations=[delegation(1, "orders", "get_order_details", order_id="#W1"),
                     delegation(2, "orders", "cancel_pending_order", **args)],
        actions=[write(2, "cancel_pending_order", **args)],
    )  # fmt: skip
    d = run(s, t)["divergence"]
    assert d["kind"] == "wrong argument"
    assert "reason" in d["detail"] and d["hop"].startswith("hop 2:")
    assert d["expected"] == CANCEL


def test_extra_write_when_no_write_was_allowed() -> None:
    s = scenario(expect={"actions": []})
    t = trajectory(
        delegations=[delegation(1, "orders", "cancel_pending_order", **CANCEL["args"])],
        actions=[write(1, "cancel_pending_order", **CANCEL["args"])],
    )
    r = run(s, t)
    assert r["divergence"]["kind"] == "extra write"
    assert r["counts"]["action_fp"] == 1


def test_refused_write_is_a_failed_subtask_not_an_extra_write() -> None:
    s = scenario(expect={"actions": [CANCEL]})
    d1 = {**delegation(1, "orders", "cancel_pending_order", **CANCEL["args"]), "state": "rejected"}
    t = trajectory(
        delegations=[d1], actions=[write(1, "cancel_pending_order", "error", **CANCEL["args"])]
    )
    d = run(s, t)["divergence"]
    assert d["kind"] == "subtask failed" and "order_not_pending" in d["detail"]


def test_missed_clarification_comes_before_anything_later() -> None:
    s = scenario(
        turns=["cancel my order", "the yoga mat one"],
        expect={"first_turn_state": "input-required", "actions": [CANCEL]},
    )
    t = trajectory(delegations=[delegation(1, "orders", "get_order_details", order_id="#W9")])
    r = run(s, t)
    assert r["divergence"]["kind"] == "missed clarification"
    assert r["divergence"]["hop"] == "turn 1: customer → triage"
    assert r["counts"]["clarification_expected"] is True
    assert r["counts"]["clarification_asked"] is False


def test_unexpected_clarification() -> None:
    s = scenario(expect={"first_turn_state": "completed"})
    d = run(s, trajectory(states=["input-required"]))["divergence"]
    assert d["kind"] == "unexpected clarification" and "Which order?" in d["detail"]


def test_missing_subtask_mentions_the_open_question() -> None:
    s = scenario(turns=["a", "b"], expect={"agents": ["orders"], "actions": [CANCEL]})
    d = run(s, trajectory(states=["input-required", "input-required"]))["divergence"]
    assert d["kind"] == "missing subtask" and d["hop"] == "after turn 2"
    assert "waiting for an answer" in d["detail"]


def test_too_few_clarifying_rounds() -> None:
    s = scenario(turns=["a", "b", "c"], expect={"clarifications": 2})
    d = run(s, trajectory(states=["input-required", "completed"]))["divergence"]
    assert d["kind"] == "missed clarification" and "1 question" in d["detail"]


def test_wrong_final_state_from_the_gold_data() -> None:
    s = scenario(seed="tau-retail", expect={"actions": []})
    r = run(s, trajectory(), state={"match": False, "diff": ["orders/#W1.status"]})
    assert r["checks"]["state_match"] is False
    assert r["divergence"]["kind"] == "wrong final state"
    assert "orders/#W1.status" in r["divergence"]["detail"]


def test_missing_reply_text() -> None:
    s = scenario(expect={"reply_contains": ["refund"]})
    d = run(s, trajectory(reply="Your order is pending."))["divergence"]
    assert d["kind"] == "missing reply text" and "refund" in d["detail"]


def test_allowed_actions_are_not_extra_writes() -> None:
    s = scenario(expect={"actions": [], "actions_allowed": ["transfer_to_human_agents"]})
    handoff = write(1, "transfer_to_human_agents", summary="refused, over to a human")
    t = trajectory(delegations=[delegation(1, "escalation", "transfer_to_human_agents")],
                   actions=[handoff])  # fmt: skip
    assert run(s, t)["passed"]
    t["actions"].append(write(1, "cancel_pending_order", **CANCEL["args"]))
    assert run(s, t)["divergence"]["kind"] == "extra write"
