"""Planner behaviour on the demo data: follow-up answers, closings, segmentation, entities."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from agents.triage.customer import CustomerData, customer_from_json
from agents.triage.planner import THANKS_NOTE, OfflinePlanner, Plan
from agents.triage.understanding import Understander
from store import generate_demo
from tests.triage.support import catalog


@lru_cache(maxsize=1)
def _demo() -> dict[str, Any]:
    return generate_demo()


@lru_cache(maxsize=1)
def _planner() -> OfflinePlanner:
    data = _demo()
    names = sorted({p["name"] for p in data["products"].values()})
    ids = {p["name"]: pid for pid, p in data["products"].items()}
    return OfflinePlanner(Understander(catalog(), names, ids))


def _customer(user_id: str) -> CustomerData:
    return customer_from_json(_demo(), user_id)


def _plan(user_id: str, *turns: str) -> Plan:
    return _planner().plan(list(turns), _customer(user_id))


def _calls(plan: Plan) -> list[tuple[str, dict[str, Any]]]:
    return [(s.skill, dict(s.arguments)) for s in plan.steps]


def test_a_closing_thanks_gets_a_welcome_and_no_delegation() -> None:
    plan = _plan("sara_okafor_1003", "Thanks, that's all I needed!")
    assert not plan.steps and plan.question is None
    assert plan.notes == (THANKS_NOTE,)


def test_an_answer_keeps_the_intent_of_the_request_that_asked() -> None:
    first = _plan("ava_moreno_1001", "I want to change how I pay for #W1000001.")
    assert first.question is not None and "payment method" in first.question
    second = _plan("ava_moreno_1001", "I want to change how I pay for #W1000001.", "PayPal")
    assert _calls(second) == [
        (
            "modify_pending_order_payment",
            {"order_id": "#W1000001", "payment_method_id": "paypal_8661210"},
        )
    ]


def test_an_answer_that_states_a_new_request_outright_replaces_the_vague_one() -> None:
    turns = ("I have a problem with my order.", "Cancel #W1000005, I ordered it by mistake.")
    plan = _plan("liam_chen_1002", *turns)
    assert _calls(plan) == [
        ("cancel_pending_order", {"order_id": "#W1000005", "reason": "ordered by mistake"})
    ]
