"""Everyday phrasings on the τ-bench retail seed (skipped when absent): items named only to say
which order, orders listed under an announcement, writes the customer refuses, the other
order of a two-part ticket, "the same one in medium", sizes of products without a size option,
misspelt option values and "both pairs". The tickets are written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from agents.triage.customer import customer_from_json
from router.plan import Plan
from tests.triage.support import tau_data, tau_planner

pytestmark = pytest.mark.dataset


def _plan(user_id: str, *turns: str) -> Plan:
    return tau_planner().plan(list(turns), customer_from_json(tau_data(), user_id))


def _writes(plan: Plan) -> list[tuple[str, dict[str, Any]]]:
    return [(s.skill, dict(s.arguments)) for s in plan.writes]


def _change(
    skill: str, order_id: str, old: list[str], new: list[str], payment: str
) -> tuple[str, dict[str, Any]]:
    args = {"order_id": order_id, "item_ids": old, "new_item_ids": new}
    return (skill, {**args, "payment_method_id": payment})


def test_an_item_that_only_says_which_order_is_not_the_one_changed() -> None:
    plan = _plan(
        "fatima_muller_6713",
        "In the order with the vacuum, could the espresso machine be the capsule kind "
        "instead? Same pressure and size. PayPal.",
    )
    assert plan.question is None
    assert _writes(plan) == [
        _change(
            "modify_pending_order_items",
            "#W4160705",
            ["3379843752"],
            ["1157853815"],
            "paypal_5541158",
        )
    ]
    came_with = _plan(
        "mia_moore_8366",
        "Exchange the toothbrush that came with my bookshelf (W5544629): I'd like the white "
        "rechargeable one, same speed. PayPal.",
    )
    assert _writes(came_with) == [
        _change(
            "exchange_delivered_order_items",
            "#W5544629",
            ["1583904702"],
            ["6164262152"],
            "paypal_5181300",
        )
    ]


def test_products_in_brackets_after_the_order_describe_it() -> None:
    plan = _plan(
        "sofia_kovacs_7075",
        "In order W5765741 (toothbrush, charger) please change the charger to the black "
        "20000mAh wireless one. PayPal.",
    )
    assert _writes(plan) == [
        _change(
            "modify_pending_order_items",
            "#W5765741",
            ["7903094618"],
            ["8349903180"],
            "paypal_6840891",
        )
    ]


def test_some_things_from_the_order_with_an_item_asks_which_items() -> None:
    plan = _plan(
        "anya_muller_4683",
        "I want to send back a few things from the order with the robot vacuum in it.",
    )
    assert plan.writes == ()
    assert plan.question is not None and "#W3248320" in plan.question
    assert "Perfume" in plan.question  # the question lists the order's items, not the vacuum only


def test_a_refused_write_is_never_planned() -> None:
    plan = _plan(
        "omar_silva_9907",
        "Where is my order with the running shoes? I don't want to cancel anything, just want "
        "to know.",
    )
    assert plan.writes == () and plan.question is None
    assert [s.skill for s in plan.steps] == ["get_order_details"]
    french = _plan(
        "omar_silva_9907",
        "Je ne veux rien annuler, dites-moi seulement où en est ma commande avec les "
        "chaussures de course.",
    )
    assert french.writes == ()


def test_an_announcement_of_how_many_requests_asks_for_nothing() -> None:
    plan = _plan("omar_kim_3528", "Hello. Three quick questions. Has my t-shirt order shipped?")
    assert plan.question is None
    assert [s.skill for s in plan.steps] == ["get_order_details"]


def test_orders_listed_under_an_announcement_each_take_its_write_and_their_reason() -> None:
    plan = _plan(
        "evelyn_ahmed_3960",
        "Two cancellations please:\n1. #W1416704. I ordered it by accident.\n"
        "2. #W3746173. Don't need it any more.",
    )
    assert _writes(plan) == [
        ("cancel_pending_order", {"order_id": "#W1416704", "reason": "ordered by mistake"}),
        ("cancel_pending_order", {"order_id": "#W3746173", "reason": "no longer needed"}),
    ]


def test_the_order_that_already_came_is_not_the_one_named_before() -> None:
    plan = _plan(
        "liam_moore_4057",
        "Please cancel W3169501, no longer needed. And from the order that already came, "
        "return the keyboard, refund to paypal.",
    )
    assert _writes(plan) == [
        ("cancel_pending_order", {"order_id": "#W3169501", "reason": "no longer needed"}),
        (
            "return_delivered_order_items",
            {
                "order_id": "#W6908222",
                "item_ids": ["4843487907"],
                "payment_method_id": "paypal_4518393",
            },
        ),
    ]


def test_a_return_reads_for_as_a_description_not_a_target() -> None:
    plan = _plan(
        "harper_silva_8534",
        "From #W1578930 I'd like to send back the makeup kit for light skin, keeping the "
        "other one.",
    )
    assert _writes(plan) == [
        (
            "return_delivered_order_items",
            {
                "order_id": "#W1578930",
                "item_ids": ["7902309762"],
                "payment_method_id": "credit_card_7453883",
            },
        )
    ]


def test_the_bigger_size_of_a_kettle_is_its_capacity() -> None:
    plan = _plan("harper_moore_3210", "For #W3942868, can the kettle be the bigger size? Thanks")
    assert _writes(plan) == [
        _change(
            "modify_pending_order_items",
            "#W3942868",
            ["6454334990"],
            ["7292993796"],  # glass, induction: 1.5 → 2 liters
            "credit_card_7665260",
        )
    ]


def test_the_same_one_in_a_size_changes_only_the_size() -> None:
    plan = _plan(
        "daiki_moore_8567",
        "The cycling helmet I got is too large. Can I have the same one in medium?",
    )
    # no black size M helmet with high ventilation is available: the question offers the size M
    # ones that keep the most of the rest, instead of a list of every variant
    assert plan.writes == ()
    assert plan.question is not None and "size M" in plan.question
    assert "size S" not in plan.question


def test_a_misspelt_option_value_names_one_of_the_products_values() -> None:
    plan = _plan(
        "yusuf_garcia_5427",
        "I'd like to exchange my black cycling helmet for a whtie one, keeping the size and "
        "ventilation. Gift card for any difference.",
    )
    assert _writes(plan) == [
        _change(
            "exchange_delivered_order_items",
            "#W5763385",
            ["5537798301"],
            ["7811981098"],
            "gift_card_6337815",
        )
    ]


def test_both_pairs_are_every_item_of_the_product() -> None:
    plan = _plan(
        "noah_sanchez_2690", "Please return both pairs of earbuds from W4864669 to my gift card."
    )
    [(skill, args)] = _writes(plan)
    assert skill == "return_delivered_order_items"
    assert sorted(args["item_ids"]) == ["5565631513", "9580569596"]


def test_an_item_named_again_without_new_words_is_the_same_item() -> None:
    plan = _plan(
        "mason_li_6934",
        "the boots from my last delivery are a size too big, I'd need an 11. same boots "
        "otherwise. gift card for any difference",
    )
    assert _writes(plan) == [
        _change(
            "exchange_delivered_order_items",
            "#W8998368",
            ["8277474082"],
            ["6159919747"],  # leather, waterproof: size 12 → 11
            "gift_card_6486968",
        )
    ]


def test_could_it_be_switched_from_one_variant_to_another() -> None:
    plan = _plan(
        "raj_lopez_5873",
        "For #W5107138 could the grill be switched from the electric one with a side burner "
        "to the charcoal one with a rotisserie, still medium? Mastercard ending 3803.",
    )
    assert _writes(plan) == [
        _change(
            "modify_pending_order_items",
            "#W5107138",
            ["5666020311"],
            ["7082455361"],
            "credit_card_6731308",
        )
    ]


def test_an_address_sentence_that_also_changes_an_item_is_two_writes() -> None:
    plan = _plan(
        "lei_anderson_8271",
        "Order 6002467 hasn't shipped yet, so change the delivery address to 544 Sunset Drive, "
        "Suite 337, Jacksonville, FL 32205, and the blue helmet in there is size L, I need a "
        "small.",
    )
    assert [skill for skill, _ in _writes(plan)] == [
        "modify_pending_order_address",
        "modify_pending_order_items",
    ]
    assert _writes(plan)[1][1]["new_item_ids"] == ["5886093635"]


def test_why_orders_got_cancelled_reads_them_and_reports_no_delivery_problem() -> None:
    plan = _plan(
        "yusuf_hernandez_5411", "why did both my orders get cancelled?? i never asked for that"
    )
    assert plan.writes == () and plan.question is None
    assert [s.skill for s in plan.steps] == ["get_order_details", "get_order_details"]


def test_refund_an_item_is_a_return_and_which_of_my_orders_reads_them_all() -> None:
    refund = _plan(
        "yusuf_patel_7767", "plz refund the boots i got, they dont fit. put money on gift card thx"
    )
    assert _writes(refund) == [
        (
            "return_delivered_order_items",
            {
                "order_id": "#W2274128",
                "item_ids": ["2185126308"],
                "payment_method_id": "gift_card_3372949",
            },
        )
    ]
    shipped = _plan("ivan_khan_7475", "Hi! Which of my orders have shipped already?")
    assert shipped.question is None
    assert [s.skill for s in shipped.steps] == ["get_order_details"] * 4


def test_an_item_that_leaks_is_a_damaged_delivery_for_a_colleague() -> None:
    plan = _plan("ivan_khan_7475", "The kettle I received leaks. What can you do about it?")
    [(skill, args)] = _writes(plan)
    assert skill == "transfer_to_human_agents"
    assert "#W1519594" in args["reason"] and "damaged" in args["reason"]


def test_a_write_taken_back_as_it_is_written_is_not_planned() -> None:
    bullets = _plan(
        "olivia_jackson_1219",
        "Hi team,\n- cancel the order with the luggage set (don't need it)\n- change the "
        "sneakers in my other order to size 10 grey leather... actually leave those\n",
    )
    assert _writes(bullets) == [
        ("cancel_pending_order", {"order_id": "#W6116680", "reason": "no longer needed"})
    ]
    corrected = _plan(
        "liam_thomas_8833",
        "I have two cameras coming in #W3761872. Keep the 30MP one, cancel... I mean return? "
        "no, it's not delivered. Just change the other camera to 20MP with 10x zoom.",
    )
    # neither a cancellation nor a return of a pending order (for a colleague): the change
    # asked for, which is out of stock
    assert _writes(corrected) == []
    assert any("out of stock" in note for note in corrected.notes)
    never_mind = _plan(
        "olivia_jackson_1219",
        "Never mind the sneakers, just cancel the luggage order, not needed.",
    )
    assert _writes(never_mind) == [
        ("cancel_pending_order", {"order_id": "#W6116680", "reason": "no longer needed"})
    ]


def test_an_address_taken_from_the_order_of_a_product() -> None:
    plan = _plan("liam_li_8526", "please send my dumbbells order to where my smart watch went")
    # the smart watch of the delivered order (707 Maple Drive), not of the processed one
    assert [(s, a["order_id"], a["address1"]) for s, a in _writes(plan)] == [
        ("modify_pending_order_address", "#W1130240", "707 Maple Drive")
    ]
    status = _plan("liam_li_8526", "Can you tell me where my smart watch was shipped to?")
    assert status.writes == ()  # a question about the watch, not an address to copy


def test_a_product_order_beside_another_item_only_says_which_order() -> None:
    plan = _plan(
        "juan_garcia_9528",
        "And the tea kettle order, can you change the water bottle to a stainless steel one?",
    )
    [(skill, args)] = _writes(plan)
    assert skill == "modify_pending_order_items"
    assert args["order_id"] == "#W1013897" and args["item_ids"] == ["3229676465"]  # the bottle


def test_a_shared_word_is_told_apart_by_the_products_own_name_words() -> None:
    plan = _plan("mason_lopez_8519", "cancel the kettle order. the electric one. not needed")
    assert _writes(plan) == [
        ("cancel_pending_order", {"order_id": "#W7752859", "reason": "no longer needed"})
    ]


def test_a_write_of_nothing_is_refused() -> None:
    plan = _plan("olivia_jackson_1219", "Return nothing yet. Switch my luggage order to PayPal.")
    assert [skill for skill, _ in _writes(plan)] == ["modify_pending_order_payment"]


def test_orders_described_one_by_one_are_each_cancelled() -> None:
    plan = _plan(
        "aarav_gonzalez_5113",
        "Oops, I placed two orders by accident: the one with the toothbrush, camera, helmet "
        "and smart watch, and the one with the umbrella and fleece jacket. Please cancel both.",
    )
    assert _writes(plan) == [
        ("cancel_pending_order", {"order_id": "#W6979932", "reason": "ordered by mistake"}),
        ("cancel_pending_order", {"order_id": "#W9160732", "reason": "ordered by mistake"}),
    ]
    by_product = _plan(
        "emma_santos_9753",
        "I no longer need the tablet order or the one with the luggage set, kettle and "
        "bookshelf. Please cancel them both.",
    )
    assert sorted(args["order_id"] for _, args in _writes(by_product)) == ["#W1620235", "#W2918688"]


def test_not_knowing_how_to_write_and_no_rush_still_ask_for_the_write() -> None:
    how = _plan(
        "olivia_jackson_1219", "I dont know how to return the smart watch, can you do it? PayPal."
    )
    assert [skill for skill, _ in _writes(how)] == ["return_delivered_order_items"]
    rush = _plan(
        "olivia_jackson_1219",
        "Could you cancel the luggage order? No rush. I do not need it anymore.",
    )
    assert _writes(rush) == [
        ("cancel_pending_order", {"order_id": "#W6116680", "reason": "no longer needed"})
    ]
