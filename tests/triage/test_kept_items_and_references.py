"""Everyday phrasings on the τ-bench retail seed (skipped when absent): items the customer
keeps, where a refund goes, remarks between an item and the "it" that changes it, sizes said as
words, payment methods ruled out, and lists whose parts name their own orders. The tickets
are written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from agents.triage.customer import customer_from_json
from router.plan import Plan
from tests.triage.support import tau_data, tau_planner

pytestmark = pytest.mark.dataset


def _plan(user_id: str, *turns: str) -> Plan:
    return tau_planner().plan(list(turns), customer_from_json(tau_data(), user_id))


def _steps(plan: Plan) -> list[tuple[str, dict[str, Any]]]:
    return [(s.skill, dict(s.arguments)) for s in plan.steps]


def _return(order_id: str, items: list[str], payment: str) -> tuple[str, dict[str, Any]]:
    args = {"order_id": order_id, "item_ids": items, "payment_method_id": payment}
    return ("return_delivered_order_items", args)


def test_an_item_the_customer_is_content_with_is_neither_returned_nor_read() -> None:
    plan = _plan(
        "ethan_muller_6097",
        "Got my puzzle and perfume last week. The puzzle is fine but I want to return the "
        "perfume. Refund to my card.",
    )
    assert plan.question is None
    assert _steps(plan) == [_return("#W4398027", ["1725100896"], "credit_card_5721095")]


def test_keep_the_rest_is_not_everything_and_the_whole_thing_is() -> None:
    kept = _plan("aarav_davis_5411", "return the lamp and the t-shirt, keep the rest. paypal")
    assert _steps(kept) == [_return("#W6552785", ["4385534692", "9354168549"], "paypal_7357553")]
    whole = _plan(
        "ava_moore_2033",
        "Please take back order #W8951014, the whole thing: the two backpacks, the camera, "
        "the bookshelf and the bottle. Gift card refund.",
    )
    (write,) = _steps(whole)
    assert sorted(write[1]["item_ids"]) == sorted(
        ["7824298782", "9127591879", "9644439410", "2244749153", "2492465580"]
    )


def test_where_the_refund_should_go_is_an_instruction_not_a_refund_read() -> None:
    plan = _plan(
        "ethan_muller_6097",
        "I want to return the perfume from my last delivery. The refund should go to my "
        "credit card.",
    )
    assert _steps(plan) == [_return("#W4398027", ["1725100896"], "credit_card_5721095")]


def test_a_statement_about_other_items_does_not_make_a_cancellation_ask() -> None:
    plan = _plan(
        "fatima_muller_6713",
        "I have too many tea kettles coming lol. Cancel the order with the keyboard, I "
        "changed my mind about it.",
    )
    assert plan.question is None
    assert _steps(plan) == [
        ("cancel_pending_order", {"order_id": "#W9962383", "reason": "no longer needed"})
    ]


def test_a_size_said_as_a_word_and_same_otherwise_after_the_change() -> None:
    plan = _plan(
        "omar_johnson_2562",
        "Hi! The helmet I got is too small. Could I get it in a medium instead? Same color "
        "and vents. Use PayPal if there's a price difference.",
    )
    assert _steps(plan) == [
        (
            "exchange_delivered_order_items",
            {
                "order_id": "#W2809253",
                "item_ids": ["1596993217"],
                "new_item_ids": ["8591113813"],
                "payment_method_id": "paypal_6053880",
            },
        )
    ]


def test_methods_ruled_out_are_not_refunded_to_and_slips_are_repaired() -> None:
    ruled_out = _plan(
        "liam_muller_2272",
        "Return the cycling helmet from my last order please, the money goes on my gift "
        "card, not PayPal or the credit card.",
    )
    assert _steps(ruled_out) == [_return("#W6818211", ["9013366374"], "gift_card_5437583")]
    slips = _plan("liam_li_5260", "pls cancell W9653558, orderd it by mistak")
    assert _steps(slips) == [
        ("cancel_pending_order", {"order_id": "#W9653558", "reason": "ordered by mistake"})
    ]


def test_a_numbered_part_naming_its_own_order_is_a_request_of_its_own() -> None:
    plan = _plan(
        "ava_kovacs_3448",
        "Two things:\n1) Cancel W4184032, I ordered it by mistake.\n2) The skateboard I got in "
        "W6344370 is the 28 inch. I'd like the 31 inch one instead, otherwise the same. "
        "Mastercard for any difference.",
    )
    assert _steps(plan) == [
        ("cancel_pending_order", {"order_id": "#W4184032", "reason": "ordered by mistake"}),
        (
            "exchange_delivered_order_items",
            {
                "order_id": "#W6344370",
                "item_ids": ["4545791457"],
                "new_item_ids": ["3877188862"],
                "payment_method_id": "credit_card_9699699",
            },
        ),
    ]


def test_it_points_back_past_a_remark_and_a_sleeve_is_a_compartment() -> None:
    camera = _plan(
        "omar_johnson_2562",
        "So I ordered a security camera (the 2K one). Long day, sorry. Could you change it to "
        "the 4K version, same everything else? Gift card for the difference.",
    )
    assert _steps(camera) == [
        (
            "modify_pending_order_items",
            {
                "order_id": "#W8797321",
                "item_ids": ["8470360507"],
                "new_item_ids": ["6901578702"],
                "payment_method_id": "gift_card_9532915",
            },
        )
    ]
    backpack = _plan(
        "mohamed_santos_2427",
        "My green backpack from 4840405 is too small. Please exchange it for the large black "
        "one, still polyester with the laptop sleeve. Gift card for the difference.",
    )
    assert [skill for skill, _ in _steps(backpack)] == ["exchange_delivered_order_items"]
    assert _steps(backpack)[0][1]["new_item_ids"] == ["6906307980"]


def test_why_was_my_order_cancelled_reads_that_order_and_cancels_nothing() -> None:
    why = _plan("ava_silva_2543", "why was my order cancelled??")
    assert _steps(why) == [("get_order_details", {"order_id": "#W8074062"})]
    request = _plan("fatima_muller_6713", "Can W6851636 be cancelled? I don't need it anymore.")
    assert _steps(request) == [
        ("cancel_pending_order", {"order_id": "#W6851636", "reason": "no longer needed"})
    ]


def test_same_type_keeps_an_option_and_the_card_on_file_is_an_instruction() -> None:
    grill = _plan(
        "evelyn_hernandez_1701",
        "Can I get the grill in a portable size instead? Same type and side burner. Visa.",
    )
    assert _steps(grill) == [
        (
            "modify_pending_order_items",
            {
                "order_id": "#W3482034",
                "item_ids": ["5666020311"],
                "new_item_ids": ["3876764226"],
                "payment_method_id": "credit_card_3631888",
            },
        )
    ]
    watch = _plan(
        "juan_nguyen_7430",
        "the watch strap is silicone, can i swap it for the leather band version? same color "
        "and screen. card on file for any difference",
    )
    assert [skill for skill, _ in _steps(watch)] == ["exchange_delivered_order_items"]
