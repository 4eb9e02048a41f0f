"""The understanding pipeline's recognisers and closed-world resolution, on the τ-bench data.

Written with development phrasing (the held-out sets in tests/triage/heldout/ are measured
separately and never used here).
"""

from __future__ import annotations

from typing import Any

from agents.triage.customer import CustomerData, customer_from_json
from agents.triage.nlu import meaning
from agents.triage.nlu.entities import extract
from agents.triage.nlu.order_ids import order_ids
from agents.triage.nlu.tau_template import literal
from router.plan import Plan
from tests.triage.support import tau_data, tau_planner

BLACK_FLEECE = "9385662952"
"""L/black/full: the only available black fleece jacket."""


def _customer(user_id: str) -> CustomerData:
    return customer_from_json(tau_data(), user_id)


def _plan(user_id: str, *turns: str) -> Plan:
    return tau_planner().plan(list(turns), _customer(user_id))


def _writes(plan: Plan) -> list[tuple[str, dict[str, Any]]]:
    return [(s.skill, dict(s.arguments)) for s in plan.steps if s.kind == "write"]


def test_order_numbers_in_any_case_with_or_without_the_w() -> None:
    own = {"#W4633848"}
    assert order_ids("is w4633848 shipped", own) == ["#W4633848"]
    assert order_ids("order number 1234567 please", own) == ["#W1234567"]
    assert order_ids("it's 4633848", own) == ["#W4633848"]
    # seven digits that are none of the customer's orders and not called an order
    assert order_ids("call me on 5551234", own) == []


def test_template_literals_are_read_in_their_own_module() -> None:
    assert literal("{'color': 'red', 'size': 'XL'}") == {"color": "red", "size": "XL"}
    assert literal("{'weight': 2}") == {"weight": "2"}
    assert literal("not a literal") is None


def test_reasons_from_meaning_not_phrases() -> None:
    assert meaning.cancel_reason("we got one at the mall instead") == "no longer needed"
    assert meaning.cancel_reason("my son bought it without asking me") == "ordered by mistake"
    assert meaning.cancel_reason("ich habe es aus Versehen gekauft") == "ordered by mistake"
    assert meaning.cancel_reason("please cancel order #W4633848") is None
    assert meaning.cancel_reason("what's my gift card balance") is None


def test_delivery_problems_from_meaning() -> None:
    assert meaning.delivery_problem("the handle snapped off when I unpacked it") == "damaged"
    assert meaning.delivery_problem("it shows delivered yet there's no box anywhere") == (
        "not_received"
    )
    assert meaning.delivery_problem("when will my parcel arrive") is None


def test_payment_methods_by_brand_last_four_and_as_the_original() -> None:
    customer = _customer("amelia_nguyen_5209")
    by_brand = extract("refund it to my visa", customer, ()).payments
    assert [p.method_id for p in by_brand] == ["credit_card_1413281"]
    by_digits = extract("the card ending in 8055", customer, ()).payments
    assert [p.method_id for p in by_digits] == ["credit_card_1413281"]
    assert any(p.original for p in extract("same card as before", customer, ()).payments)


def test_a_product_is_named_by_an_everyday_word_the_customer_owns_one_of() -> None:
    customer = _customer("lucas_santos_6600")  # owns an Action Camera, no other camera
    names = sorted({p["name"] for p in tau_data()["products"].values()})
    assert [m.name for m in extract("the camera is great", customer, names).items] == [
        "Action Camera"
    ]


def test_status_of_an_owned_product_is_an_order_question() -> None:
    plan = _plan("chen_taylor_6919", "what's the news with the tablet I bought?")
    assert not plan.writes and plan.question is not None  # two orders hold a tablet: which?
    plan = _plan("liam_li_6251", "has the t-shirt gone out yet")
    assert [(s.skill, s.arguments.get("order_id")) for s in plan.steps] == [
        ("get_order_details", "#W7554786")
    ]


def test_damage_is_a_handoff_with_the_facts_and_no_other_write() -> None:
    plan = _plan("anya_kovacs_9542", "my office chair turned up with a snapped armrest")
    (handoff,) = plan.writes
    assert handoff.skill == "transfer_to_human_agents"
    assert "#W6821773" in handoff.arguments["reason"]
    assert "Office Chair" in handoff.arguments["reason"]


def test_not_received_for_an_order_still_on_its_way_is_its_status() -> None:
    plan = _plan("liam_li_6251", "my running shoes never arrived")
    assert not plan.writes
    assert [s.arguments.get("order_id") for s in plan.steps] == ["#W4503264"]


def test_return_everything_takes_every_item() -> None:
    plan = _plan("fatima_moore_8152", "send all of it back please, refund to paypal")
    ((skill, args),) = _writes(plan)
    assert skill == "return_delivered_order_items"
    assert sorted(args["item_ids"]) == ["6501071631", "7159180318", "9747045638"]


def test_an_item_change_keeps_every_option_not_named() -> None:
    plan = _plan("liam_li_6251", "could I swap the t-shirt for a purple one")
    ((skill, args),) = _writes(plan)
    # blue/S/polyester/v-neck → purple/S/polyester/v-neck: size, material and style kept
    assert (skill, args["new_item_ids"]) == ("exchange_delivered_order_items", ["9647292434"])


def test_without_an_exact_variant_the_closest_available_one_is_taken() -> None:
    # Fleece jacket XL/navy/half → "black": no XL/black/half exists; the one available black
    # jacket (L/black/full) is the only candidate.
    plan = _plan("anya_kovacs_9542", "exchange my fleece jacket for a black one")
    ((_, args),) = _writes(plan)
    assert args["new_item_ids"] == [BLACK_FLEECE]
    # Desk lamp black/medium/USB → "white": white/medium/USB exists but is sold out: said so,
    # and the orders agent lists what is available (no silent change of another option).
    plan = _plan("ava_johnson_5052", "change the desk lamp to white please")
    assert not plan.writes and any("out of stock" in n for n in plan.notes)


def test_cancel_which_order_answered_with_an_item_and_the_reason_kept() -> None:
    first = _plan("chen_taylor_6919", "cancel my order, we ended up not needing it")
    assert first.question is not None and "#W4111999" in first.question
    plan = _plan(
        "chen_taylor_6919", "cancel my order, we ended up not needing it", "the dumbbell one"
    )
    assert _writes(plan) == [
        ("cancel_pending_order", {"order_id": "#W4111999", "reason": "no longer needed"})
    ]


def test_all_of_them_answers_which_order() -> None:
    turns = ("please cancel my pending order, I ordered by mistake", "all of them")
    plan = _plan("chen_taylor_6919", *turns)
    assert sorted(a["order_id"] for _, a in _writes(plan)) == ["#W4111999", "#W4633848"]


def test_same_but_in_another_colour_and_values_the_customer_does_not_own_are_targets() -> None:
    for text in ("can I get the same t-shirt but in purple", "I'd like my t-shirt in purple"):
        ((skill, args),) = _writes(_plan("liam_li_6251", text))
        assert (skill, args["new_item_ids"]) == ("exchange_delivered_order_items", ["9647292434"])


def test_a_value_several_options_share_goes_to_the_option_named_with_it() -> None:
    # Sunglasses black frame / green lens: "brown lens" changes the lens, not the frame.
    ((_, args),) = _writes(_plan("sofia_kovacs_7075", "change the sunglasses to a brown lens"))
    assert args["new_item_ids"] == ["4358482460"]  # black/brown/polarized/plastic


def test_a_misspelt_product_of_the_customer_is_still_named() -> None:
    customer = _customer("mei_wilson_1792")  # owns a Skateboard and a Smartphone
    names = sorted({p["name"] for p in tau_data()["products"].values()})
    assert [m.name for m in extract("cancel the smartphnoe order", customer, names).items] == [
        "Smartphone"
    ]
    assert extract("a lovely afternoon", customer, names).items == ()
