"""Everyday phrasing on the demo data: misspellings, item changes named by a value, reasons
said before the request, preambles, and problem reports that need real evidence."""

from __future__ import annotations

from agents.triage.nlu.spelling import repaired
from tests.triage.test_planner_rules import _calls, _plan

CUSTOMER = "ava_moreno_1001"  # #W1000001 pending (yoga mat 4mm, boots 8), #W1000002 delivered


def test_misspelt_request_words_are_repaired_and_other_words_left_alone() -> None:
    assert repaired("cancle it, retrun evrything, new adress") == (
        "cancel it, return everything, new address"
    )
    # other word forms and five-letter swaps are words of their own
    assert repaired("I managed three things on my iphone") == "I managed three things on my iphone"
    # the customer's own words are never changed
    assert repaired("the Pinecrest Retrun road", lambda: {"retrun"}) == "the Pinecrest Retrun road"


def test_an_owned_item_named_with_a_value_it_lacks_is_an_item_change() -> None:
    plan = _plan(CUSTOMER, "#W1000001: the yoga mat in 6mm. same payment method")
    assert _calls(plan) == [
        (
            "modify_pending_order_items",
            {
                "order_id": "#W1000001",
                "item_ids": ["6358464899"],
                "new_item_ids": ["9037696176"],
                "payment_method_id": "credit_card_9648511",
            },
        )
    ]


def test_a_sentence_pointing_back_names_the_target_of_the_item_before() -> None:
    plan = _plan(
        CUSTOMER, "I picked the wrong hiking boots. I need them in size 9. Charge my PayPal."
    )
    (call,) = _calls(plan)
    assert call[0] == "modify_pending_order_items"
    assert (
        call[1]["item_ids"] == ["2703729684"] and call[1]["payment_method_id"] == "paypal_8661210"
    )


def test_a_reason_said_before_the_cancellation_is_its_reason() -> None:
    plan = _plan(CUSTOMER, "I never meant to buy this. Cancel W1000001 right now.")
    assert _calls(plan) == [
        ("cancel_pending_order", {"order_id": "#W1000001", "reason": "ordered by mistake"})
    ]


def test_a_preamble_does_not_turn_the_ticket_into_a_question() -> None:
    plan = _plan(CUSTOMER, "Hi, couple of things. Cancel #W1000001, I no longer need it.")
    assert plan.question is None
    assert ("cancel_pending_order", {"order_id": "#W1000001", "reason": "no longer needed"}) in (
        _calls(plan)
    )


def test_naming_an_item_in_an_answer_is_not_a_problem_report() -> None:
    plan = _plan(CUSTOMER, "where is my order?", "the sunglasses one, #W1000002")
    assert _calls(plan) == [("get_order_details", {"order_id": "#W1000002"})]


def test_a_cracked_item_is_a_handoff_with_no_other_write() -> None:
    plan = _plan(CUSTOMER, "the sunglasses from #W1000002 arrived with a cracked lens")
    writes = [skill for skill, _ in _calls(plan) if skill != "get_order_details"]
    assert writes == ["transfer_to_human_agents"]


def test_a_nudge_joins_the_write_before_it_but_a_short_request_is_asked_about() -> None:
    nudged = _plan(
        CUSTOMER,
        "For order W1000001 the address is now 12 Oak Street, Springfield, IL 62701. "
        "Please change.",
    )
    assert [skill for skill, _ in _calls(nudged)] == ["modify_pending_order_address"]
    # "Exchange too." names a request of its own: asked about, never silently dropped
    short = _plan(CUSTOMER, "Cancel #W1000001, I no longer need it. Exchange too.")
    assert short.question is not None and "change" in short.question


def test_an_address_for_my_orders_goes_to_every_order_that_can_still_move() -> None:
    # lucas_haddad_2005: #W1000022 and #W1000024 pending, #W1000023 cancelled
    plan = _plan(
        "lucas_haddad_2005",
        "i need to change the address for my orders to 45 Elm Street, Apt 3, Denver, CO 80203",
    )
    assert plan.question is None
    calls = _calls(plan)
    assert [(skill, args["order_id"]) for skill, args in calls] == [
        ("modify_pending_order_address", "#W1000022"),
        ("modify_pending_order_address", "#W1000024"),
    ]
    assert all(args["zip"] == "80203" and args["address2"] == "Apt 3" for _, args in calls)


def test_one_of_my_orders_is_still_a_question() -> None:
    plan = _plan(
        "lucas_haddad_2005", "Please ship one of my orders to 45 Elm Street, Denver, CO 80203"
    )
    assert not plan.writes
    assert plan.question is not None and "#W1000022" in plan.question


def test_a_refund_with_one_place_to_go_is_not_asked_about() -> None:
    # ethan_schmidt_2003 has one card and no gift card: the refund can only go back to it
    plan = _plan("ethan_schmidt_2003", "I'd like to return the smart watch I received")
    assert plan.question is None
    assert _calls(plan)[-1][0] == "return_delivered_order_items"
    assert _calls(plan)[-1][1]["payment_method_id"] == "credit_card_3452397"
    # with a gift card beside the original card, where the money goes is the customer's call
    plan = _plan(CUSTOMER, "I'd like to return the sunglasses")
    assert not plan.writes and plan.question is not None and "refund" in plan.question


def test_a_different_size_asks_which_keeping_the_other_options() -> None:
    plan = _plan(
        CUSTOMER, "My hiking boots haven't shipped yet. Can I get them in a different size?"
    )
    assert not plan.writes
    assert plan.question is not None
    assert plan.question.startswith("Which size would you like for the Hiking Boots (now size 8)?")
    plan = _plan(
        CUSTOMER,
        "My hiking boots haven't shipped yet. Can I get them in a different size?",
        "size 9 please",
    )
    (call,) = _calls(plan)
    assert call[0] == "modify_pending_order_items" and call[1]["order_id"] == "#W1000001"


def test_what_the_customer_received_tells_two_orders_apart() -> None:
    # mia_tanaka_2002: hiking boots in #W1000013 (delivered) and #W1000014 (processed)
    plan = _plan(
        "mia_tanaka_2002", "The hiking boots I received are too tight, I want to return them"
    )
    assert plan.question is None or "#W1000014" not in plan.question
    assert all(args.get("order_id") != "#W1000014" for _, args in _calls(plan))


def test_send_it_to_a_new_address_is_about_the_order() -> None:
    plan = _plan(
        "ethan_schmidt_2003",
        "My order is going to the wrong place. Please send it to my home address instead: "
        "12 Oak Street, Denver, CO 80203.",
    )
    (call,) = [c for c in _calls(plan) if c[0].startswith("modify")]
    assert call[0] == "modify_pending_order_address" and call[1]["order_id"] == "#W1000018"


def test_a_sentence_we_do_not_serve_beside_a_request_is_not_refused() -> None:
    plan = _plan("ethan_schmidt_2003", "I moved! My new address is 12 Oak Street, Denver, CO 80203")
    assert [c[0] for c in _calls(plan)] == ["modify_user_address"]
    assert not any("not something I can help with" in n for n in plan.notes)


def test_what_the_item_is_now_is_not_what_it_should_become() -> None:
    # "to X instead of Y" and "(now it is Y)": Y is the item as it is
    for ticket in (
        "Please change the hiking boots in #W1000001 to size 9 instead of size 8.",
        "Please change the hiking boots in #W1000001 to size 9 (now it is size 8).",
    ):
        (call,) = _calls(_plan(CUSTOMER, ticket, "the visa please"))[-1:]
        assert call[0] == "modify_pending_order_items", ticket
        assert call[1]["item_ids"] == ["2703729684"], ticket


def test_an_item_the_customer_keeps_is_left_out() -> None:
    # sara_okafor_1003: #W1000008 delivered with sunglasses (7727384337) and a backpack
    for ticket in (
        "Return everything from #W1000008, I'm keeping the backpack.",
        "Return the sunglasses from #W1000008 but not the backpack",
    ):
        assert _calls(_plan("sara_okafor_1003", ticket)) == [
            (
                "return_delivered_order_items",
                {
                    "order_id": "#W1000008",
                    "item_ids": ["7727384337"],
                    "payment_method_id": "credit_card_6001115",
                },
            )
        ], ticket


def test_a_sentence_naming_only_how_to_pay_goes_to_the_writes() -> None:
    plan = _plan(
        CUSTOMER,
        "All on my PayPal please. Change the hiking boots in #W1000001 to size 9.",
    )
    assert [c[0] for c in _calls(plan)] == ["modify_pending_order_items"]
    assert _calls(plan)[0][1]["payment_method_id"] == "paypal_8661210"


def test_a_complaint_without_thanks_gets_no_welcome() -> None:
    plan = _plan(
        CUSTOMER,
        "I've been trying to sort this out for days. Cancel #W1000001, I no longer need it.",
    )
    assert not any("welcome" in n for n in plan.notes)


def test_no_in_a_sentence_is_no_option_value() -> None:
    # liam_chen_1002 has three pending orders; "no longer needed" must not pick an item whose
    # option is "no"
    plan = _plan("liam_chen_1002", "Cancel the order with the office chair, no longer needed")
    assert _calls(plan) == [
        ("cancel_pending_order", {"order_id": "#W1000006", "reason": "no longer needed"})
    ]


def test_several_changes_each_with_instead_of() -> None:
    from agents.triage.nlu.item_targets import current_in_target

    own, target = current_in_target(
        "", " mesh instead of leather, blue instead of red, fixed armrests"
    )
    assert "leather" in own and "red" in own
    assert "leather" not in target and "red" not in target and "mesh" in target


def test_product_and_option_names_in_other_languages_are_read() -> None:
    from agents.triage.nlu.glossary import to_english

    assert to_english("el de la cámara de acción, talla 11 de cuero, no impermeables") == (
        "el de la action camera, size 11 de leather, no waterproof"
    )


def test_the_smaller_one_answers_which_order() -> None:
    # liam_chen_1002: #W1000004 (3 items), #W1000005 (2 items), #W1000006 (3 items), pending
    turns = ("Cancel my order please, I no longer need it.", "the smaller one")
    assert _calls(_plan("liam_chen_1002", *turns)) == [
        ("cancel_pending_order", {"order_id": "#W1000005", "reason": "no longer needed"})
    ]
    # two orders tie for the bigger one: still a question
    plan = _plan("liam_chen_1002", "Cancel my order please, I no longer need it.", "the bigger one")
    assert not plan.writes and plan.question is not None


def test_a_comment_between_a_complaint_and_its_remedy_changes_nothing() -> None:
    plan = _plan(
        "sara_okafor_1003",
        "The sunglasses from #W1000009 don't fit. I'm so disappointed. Just return them.",
    )
    (call,) = _calls(plan)
    assert call[0] == "return_delivered_order_items" and call[1]["order_id"] == "#W1000009"


def test_keep_the_other_one_is_no_value_of_the_item_meant() -> None:
    from agents.triage.nlu.item_targets import current_in_target

    own, _ = current_in_target(" the 17-inch laptop. keep the 13-inch.", "")
    assert "17-inch" in own and "13-inch" not in own
    own, _ = current_in_target(" the 34 inch skateboard (not the 28 inch one)", "")
    assert "34 inch" in own and "28 inch" not in own


def test_a_payment_sentence_after_a_carried_order_keeps_the_order() -> None:
    # the exchange names no order itself: it has #W1000013 from the complaint before it
    plan = _plan(
        "mia_tanaka_2002",
        "The office chair from #W1000013 is too big. I'd like to exchange it for the black "
        "mesh one. Use my gift card for any difference.",
    )
    assert [(c[0], c[1]["order_id"]) for c in _calls(plan)] == [
        ("exchange_delivered_order_items", "#W1000013")
    ]
