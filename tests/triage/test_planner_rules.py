"""Planner behaviour on the demo data: follow-up answers, closings, segmentation, entities."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from agents.triage.customer import CustomerData, customer_from_json
from agents.triage.nlu.entities import extract
from agents.triage.nlu.segment import segments
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


def test_segments_split_at_new_requests_only() -> None:
    assert segments("Hi! 1) status of #W1000003 2) my balance 3) list my orders") == [
        "Hi!",
        "1) status of #W1000003",
        "2) my balance",
        "3) list my orders",
    ]
    assert segments("Change the boots (size 9) and the mat (6mm)") == [
        "Change the boots (size 9) and the mat (6mm)"
    ]
    assert segments("ship it to 22 Elm Street and pay with PayPal instead") == [
        "ship it to 22 Elm Street",
        "pay with PayPal instead",
    ]
    assert segments("Cancel #W1000005 and on #W1000004 change the earbuds") == [
        "Cancel #W1000005",
        "on #W1000004 change the earbuds",
    ]
    assert segments("switch the mat to 6mm, and after that show me the receipt") == [
        "switch the mat to 6mm",
        "show me the receipt",
    ]


def test_one_verb_with_two_objects_is_two_reads() -> None:
    plan = _plan("sara_okafor_1003", "List my orders and my saved payment methods.")
    assert sorted(s.skill for s in plan.steps) == ["get_payment_methods", "list_orders"]
    plan = _plan("sara_okafor_1003", "Show me the status and the tracking of #W1000008")
    assert _calls(plan) == [("get_order_details", {"order_id": "#W1000008"})]


def test_order_ids_make_a_status_question_an_order_question() -> None:
    plan = _plan("sara_okafor_1003", "What's the status of #W1000008 and #W1000009?")
    assert _calls(plan) == [
        ("get_order_details", {"order_id": "#W1000008"}),
        ("get_order_details", {"order_id": "#W1000009"}),
    ]


def test_a_named_status_picks_the_order() -> None:
    plan = _plan("ava_moreno_1001", "Where's my pending order?")
    assert _calls(plan) == [("get_order_details", {"order_id": "#W1000001"})]
    # A status the request can't act on is explained, never swapped for another order.
    plan = _plan("ava_moreno_1001", "Cancel my processed order, I no longer need it")
    assert "cancel_pending_order" not in {s.skill for s in plan.steps}
    assert any("#W1000003 is processed" in n for n in plan.notes)


def test_counted_option_values_and_singular_names_are_recognised() -> None:
    customer = _customer("liam_chen_1002")
    names = _planner().understander.product_names
    (coffee,) = extract("my 4 cup coffee maker for the 8-cup one", customer, names).items
    assert (coffee.values, coffee.target_values) == (("4 cups",), ("8 cups",))
    (boots,) = extract("is the leather hiking boot available?", customer, names).items
    assert boots.name == "Hiking Boots"
