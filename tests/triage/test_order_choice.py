"""Answering "which order?" by naming its items picks the order that holds the most of them."""

from __future__ import annotations

from agents.triage.customer import customer_from_json
from agents.triage.planner import OfflinePlanner
from agents.triage.understanding import Understander
from store import generate_demo
from tests.triage.support import catalog


def test_items_named_in_the_answer_pick_the_order() -> None:
    data = generate_demo()
    names = sorted({p["name"] for p in data["products"].values()})
    planner = OfflinePlanner(Understander(catalog(), names))
    customer = customer_from_json(data, "liam_chen_1002")
    first = planner.plan(["cancel my order"], customer)
    assert first.question is not None and not first.steps
    second = planner.plan(
        ["cancel my order", "the water bottle and desk lamp one, no longer needed"], customer
    )
    assert [(s.skill, dict(s.arguments)) for s in second.writes] == [
        ("cancel_pending_order", {"order_id": "#W1000005", "reason": "no longer needed"})
    ]
