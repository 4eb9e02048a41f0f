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


def test_a_return_asks_where_the_refund_goes_unless_told() -> None:
    first = _plan("ava_moreno_1001", "Return the sunglasses from #W1000002.")
    assert first.question is not None and not first.steps
    assert "original payment method" in first.question and "gift_card_7583025" in first.question
    told = _plan("ava_moreno_1001", "Return the sunglasses from #W1000002.", "to my gift card")
    assert _calls(told) == [
        (
            "return_delivered_order_items",
            {
                "order_id": "#W1000002",
                "item_ids": ["7727384337"],
                "payment_method_id": "gift_card_7583025",
            },
        )
    ]
    original = _plan("ava_moreno_1001", "Return the sunglasses from #W1000002 to the card I used.")
    assert _calls(original)[0][1]["payment_method_id"] == "credit_card_9648511"


def test_a_yes_settles_a_refund_with_one_possible_destination() -> None:
    turns = ("Please return the backpack from #W1000008.", "yes, go ahead")
    plan = _plan("sara_okafor_1003", *turns)
    assert _calls(plan)[0][1]["payment_method_id"] == "credit_card_6001115"
    # With a gift card to choose from, a bare "yes" does not pick one.
    plan = _plan("ava_moreno_1001", "Return the sunglasses from #W1000002.", "yes")
    assert plan.question is not None and not plan.steps


def test_a_complaint_then_exchange_it_is_one_item_change() -> None:
    text = (
        "The backpack I got in #W1000008 is the wrong color. Please exchange it for the green "
        "one; charge or refund the difference on the original payment method."
    )
    plan = _plan("sara_okafor_1003", text)
    assert [s.skill for s in plan.steps] == ["exchange_delivered_order_items"]
    assert plan.steps[0].arguments["payment_method_id"] == "credit_card_6001115"


def test_a_complaint_without_a_remedy_asks_return_or_exchange() -> None:
    first = _plan("ava_moreno_1001", "The sunglasses from #W1000002 don't fit my face.")
    assert first.question is not None and "return" in first.question
    assert "exchange" in first.question and not first.steps
    second = _plan(
        "ava_moreno_1001",
        "The sunglasses from #W1000002 don't fit my face.",
        "I'll return them, refund my visa",
    )
    assert [s.skill for s in second.steps] == ["return_delivered_order_items"]


def test_an_answer_naming_options_picks_among_same_named_items() -> None:
    data = _demo()
    ava = _customer("ava_moreno_1001")
    order = {
        **data["orders"]["#W1000001"],
        "order_id": "#W1000099",
        "status": "delivered",
        "items": [
            {**data["orders"]["#W1000001"]["items"][0]},
            {
                **data["orders"]["#W1000001"]["items"][0],
                "item_id": "9037696176",
                "options": {"thickness": "6mm", "material": "rubber"},
            },
        ],
    }
    customer = CustomerData(ava.user_id, ava.user, {**ava.orders, "#W1000099": order}, ava.products)
    turns = ["Return the yoga mat from #W1000099 to my visa"]
    assert _planner().plan(turns, customer).question is not None
    plan = _planner().plan([*turns, "the 6mm one"], customer)
    assert _calls(plan)[0][1]["item_ids"] == ["9037696176"]


def test_an_item_change_to_what_the_item_already_is_asks() -> None:
    plan = _plan("ava_moreno_1001", "Change the yoga mat in #W1000001 to 4mm, use my visa")
    assert plan.question is not None and not plan.writes
