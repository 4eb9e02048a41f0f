"""Free-text requests from third-party agents: understood, or one question, then a follow-up."""

from __future__ import annotations

import pytest
from a2a.client import Client

from agents.orders.skills import SKILLS as ORDERS_SKILLS
from agents.runtime.free_text import choose_skill
from store import Store
from tests.agents.support import COMPLETED, INPUT_REQUIRED, pending, result, send, text
from tests.agents.support import text_request as ask

AVA, LIAM = "ava_moreno_1001", "liam_chen_1002"
SPECIALIST_SETTINGS = {"capabilities": "off"}
"""Understanding free text is under test here. With capabilities enforced a free-text write is
refused: it has no ticket envelope and no plan step for a capability to name
(tests/guardrails/test_capabilities.py)."""


@pytest.mark.parametrize(
    ("request_text", "skill"),
    [
        ("Where is my order #W1000001?", "get_order_details"),
        ("Please cancel #W1000004, I ordered it by mistake", "cancel_pending_order"),
        ("I want to return the sunglasses from #W1000002", "return_delivered_order_items"),
        (
            "can I exchange the coffee maker I got for the 8 cups one",
            "exchange_delivered_order_items",
        ),
        ("I moved, my address is now 5 Elm Road", "modify_user_address"),
        ("Ship #W1000004 to my office instead", "modify_pending_order_address"),
        ("Do you have the hiking boots in size 10?", "find_item"),
        ("What orders do I have?", "list_orders"),
    ],
)
def test_choose_skill(request_text: str, skill: str) -> None:
    chosen = choose_skill(request_text, ORDERS_SKILLS)
    assert chosen is not None and chosen.id == skill


async def test_missing_order_is_asked_for_then_the_follow_up_completes(
    clients: dict[str, Client], demo: Store
) -> None:
    orders = clients["orders"]
    first = await send(orders, ask("Please cancel my order, I ordered it by mistake.", LIAM))
    assert first.status.state == INPUT_REQUIRED
    question = text(first)
    assert question.startswith("To cancel the order I need the order id")
    assert all(f"#W100000{i}" in question for i in (4, 5, 6))
    assert "#W1000007" not in question  # delivered: not a candidate for a cancellation
    asked = pending(first)
    assert asked["skill"] == "cancel_pending_order" and asked["missing"] == ["order_id"]
    assert asked["arguments"] == {"reason": "ordered by mistake"}
    assert await demo.action_log(customer_id=LIAM) == []

    second = await send(orders, ask("It's #W1000005.", None, first))
    assert second.id == first.id
    assert second.status.state == COMPLETED, text(second)
    order = await demo.get_order("#W1000005")
    assert order is not None and order["status"] == "cancelled"
    assert order["cancel_reason"] == "ordered by mistake"
    log = await demo.action_log(customer_id=LIAM)
    assert [(e["action"], e["outcome"]) for e in log] == [("cancel_pending_order", "ok")]


async def test_a_complete_request_runs_at_once(clients: dict[str, Client], demo: Store) -> None:
    task = await send(clients["orders"], ask("Cancel #W1000004 please, no longer needed", LIAM))
    assert task.status.state == COMPLETED
    assert result(task).data["order"]["cancel_reason"] == "no longer needed"  # type: ignore[index]


async def test_a_write_never_runs_without_its_payment_method(
    clients: dict[str, Client], demo: Store
) -> None:
    orders = clients["orders"]
    first = await send(orders, ask("I want to return the sunglasses from #W1000002", AVA))
    assert first.status.state == INPUT_REQUIRED
    asked = pending(first)
    assert asked["arguments"] == {"order_id": "#W1000002", "item_ids": ["7727384337"]}
    assert asked["missing"] == ["payment_method_id"]
    ids = [c["payment_method_id"] for c in asked["candidates"]["payment_method_id"]]
    assert ids == ["credit_card_9648511", "paypal_8661210", "gift_card_7583025"]
    assert "Visa ending 1884" in text(first)
    assert (await demo.get_order("#W1000002"))["status"] == "delivered"  # type: ignore[index]
    assert await demo.action_log() == []

    second = await send(orders, ask("to my visa ending 1884 please", None, first))
    assert second.status.state == COMPLETED, text(second)
    order = await demo.get_order("#W1000002")
    assert order is not None and order["status"] == "return requested"
    assert order["return_payment_method_id"] == "credit_card_9648511"


async def test_gift_card_is_resolved_against_the_customers_methods(
    clients: dict[str, Client], demo: Store
) -> None:
    task = await send(
        clients["billing"], ask("Can I pay for #W1000001 with my gift card instead?", AVA)
    )
    assert task.status.state == COMPLETED, text(task)
    history = (await demo.get_order("#W1000001"))["payment_history"]  # type: ignore[index]
    assert history[1]["payment_method_id"] == "gift_card_7583025"


async def test_an_exchange_in_words(clients: dict[str, Client], demo: Store) -> None:
    request = (
        "I'd like to exchange the coffee maker from #W1000007 for the 8 cups one, "
        "charge the difference to my mastercard"
    )
    task = await send(clients["orders"], ask(request, LIAM))
    assert task.status.state == COMPLETED, text(task)
    order = await demo.get_order("#W1000007")
    assert order is not None and order["exchange_new_items"] == ["7277933458"]
    assert order["exchange_payment_method_id"] == "credit_card_2179699"


async def test_an_unclear_new_item_lists_the_variants(
    clients: dict[str, Client], demo: Store
) -> None:
    request = "Please change the desk lamp in #W1000005, charge my gift card"
    first = await send(clients["orders"], ask(request, LIAM))
    assert first.status.state == INPUT_REQUIRED
    asked = pending(first)
    assert asked["skill"] == "modify_pending_order_items"
    assert asked["missing"] == ["new_item_ids"]
    offered = {c["item_id"] for c in asked["candidates"]["new_item_ids"]}
    assert offered == {"7762098351", "9053654215", "5209818936", "7395047810"}
    second = await send(clients["orders"], ask("the white one with high brightness", None, first))
    assert second.status.state == COMPLETED, text(second)
    order = await demo.get_order("#W1000005")
    assert order is not None and order["items"][1]["item_id"] == "7395047810"


async def test_a_structured_call_missing_an_argument_is_completed_in_words(
    clients: dict[str, Client], demo: Store
) -> None:
    from tests.helpers import skill_message

    message = skill_message(
        "cancel_pending_order", {"order_id": "#W1000006"}, ticket_id="tk-ft", customer_id=LIAM
    )
    first = await send(clients["orders"], message)
    assert first.status.state == INPUT_REQUIRED
    assert "no longer needed" in text(first) and "ordered by mistake" in text(first)
    second = await send(clients["orders"], ask("no longer needed", None, first))
    assert second.status.state == COMPLETED, text(second)
    assert (await demo.get_order("#W1000006"))["status"] == "cancelled"  # type: ignore[index]


async def test_unknown_customer_is_asked_without_candidates(
    clients: dict[str, Client], demo: Store
) -> None:
    task = await send(clients["billing"], ask("change the card for #W1000001 to my paypal", None))
    assert task.status.state == INPUT_REQUIRED
    assert pending(task)["missing"] == ["payment_method_id"]
    assert "Which one" not in text(task)


async def test_find_item_and_handoff_in_words(clients: dict[str, Client], demo: Store) -> None:
    found = await send(clients["orders"], ask("Do you have the hiking boots in size 10?", AVA))
    assert found.status.state == COMPLETED
    assert result(found).data["item_id"] == "6538829718"  # type: ignore[index]
    handoff = await send(
        clients["escalation"], ask("This is unacceptable, I want a manager right now!", AVA)
    )
    assert handoff.status.state == COMPLETED
    assert result(handoff).data["handoff"]["priority"] == "urgent"  # type: ignore[index]


async def test_nothing_understood_gives_the_menu(clients: dict[str, Client], demo: Store) -> None:
    task = await send(clients["billing"], ask("hello there", AVA))
    assert task.status.state == INPUT_REQUIRED
    assert "Receipt" in text(task) and "Refund status" in text(task)
