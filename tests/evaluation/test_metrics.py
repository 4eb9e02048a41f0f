"""Metric computation on synthetic runs."""

from __future__ import annotations

import pytest

from evaluation.metrics import breakdown, compute, pass_hat_k, percentile
from tests.evaluation.synthetic import delegation, run, scenario, trajectory, write

CANCEL = {"order_id": "#W1", "reason": "no longer needed"}


def _runs() -> list[dict]:
    a = scenario(id="a", tags=["orders"], expect={"agents": ["orders"],
                 "actions": [{"name": "cancel_pending_order", "args": CANCEL}]})  # fmt: skip
    b = scenario(id="b", tags=["orders", "ambiguous"],
                 expect={"agents": ["orders"], "first_turn_state": "input-required"})  # fmt: skip
    c = scenario(id="c", tags=["billing"], expect={"agents": ["billing"], "actions": [],
                 "first_turn_state": "completed"})  # fmt: skip
    ta = trajectory(
        delegations=[delegation(1, "orders", "cancel_pending_order", **CANCEL)],
        actions=[write(1, "cancel_pending_order", **CANCEL)],
    )
    tb = trajectory(states=["input-required", "completed"],
                    delegations=[delegation(1, "orders", "get_order_details", turn=2)])  # fmt: skip
    tc = trajectory(
        states=["input-required"],
        delegations=[delegation(1, "orders", "cancel_pending_order", **CANCEL)],
        actions=[write(1, "cancel_pending_order", **CANCEL)],
    )
    return [run(a, ta, latency=0.1), run(b, tb, latency=0.2), run(c, tc, latency=0.4)]


def test_suite_metrics() -> None:
    m = compute(_runs())
    assert (m["runs"], m["passed"], m["pass_rate"]) == (3, 2, round(2 / 3, 4))
    assert m["routing_accuracy"] == round(2 / 3, 4)
    assert m["action_precision"] == 0.5 and m["action_recall"] == 1.0
    # b expected a question and got one; c got one it did not need
    assert m["clarification_precision"] == 0.5 and m["clarification_recall"] == 1.0
    assert m["delegations_per_ticket"] == 1.0
    assert m["hops_per_ticket"] == round((2 + 3 + 2) / 3, 4)
    assert m["latency_p50_s"] == 0.2 and m["state_match_rate"] is None


def test_breakdown_per_suite_and_tag() -> None:
    report = breakdown(_runs(), trials=1)
    assert report["tags"]["orders"]["runs"] == 2 and report["tags"]["billing"]["passed"] == 0
    assert report["suites"]["suite"]["tags"]["ambiguous"]["pass_rate"] == 1.0
    assert "pass^1" not in report["overall"]


def test_percentile_interpolates() -> None:
    assert percentile([], 50) is None
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile(list(map(float, range(101))), 99) == 99.0


def test_pass_hat_k() -> None:
    s = scenario(id="x", expect={"final_state": "completed"})
    ok, bad = trajectory(), trajectory(states=["failed"])
    runs = [run(s, ok, trial=1), run(s, ok, trial=2), run(s, ok, trial=3)]
    t_expect = scenario(id="y", expect={"final_state": "completed"})
    runs += [run(t_expect, ok, trial=1), run(t_expect, bad, trial=2), run(t_expect, ok, trial=3)]
    hat = pass_hat_k(runs, 3)
    assert hat["pass^1"] == pytest.approx((1 + 2 / 3) / 2, abs=1e-4)
    assert hat["pass^2"] == pytest.approx((1 + 1 / 3) / 2, abs=1e-4)
    assert hat["pass^3"] == 0.5
