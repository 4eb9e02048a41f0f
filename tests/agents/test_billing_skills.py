"""Every billing skill over the NATS binding: the happy path and a refusal."""

from __future__ import annotations

from typing import Any

import pytest
from a2a.client import Client

from store import Store
from tests.agents.support import COMPLETED, REJECTED, call, result, text

AVA, LIAM, SARA = "ava_moreno_1001", "liam_chen_1002", "sara_okafor_1003"


@pytest.fixture
def billing(clients: dict[str, Client]) -> Client:
    return clients["billing"]


async def ok(client: Client, skill: str, args: dict[str, Any], customer: str | None) -> Any:
    task = await call(client, skill, args, customer=customer)
    assert task.status.state == COMPLETED, text(task)
    outcome = result(task)
    assert outcome.ok and outcome.data is not None
    return outcome.data, text(task)


async def refused(client: Client, skill: str, args: dict[str, Any], customer: str | None) -> str:
    task = await call(client, skill, args, customer=customer)
    assert task.status.state == REJECTED, text(task)
    outcome = result(task)
    assert outcome.ok is False and outcome.error_code
    return outcome.error_code


async def test_get_payment_methods(billing: Client, demo: Store) -> None:
    data, words = await ok(billing, "get_payment_methods", {}, AVA)
    assert [m["id"] for m in data["payment_methods"]] == [
        "credit_card_9648511",
        "paypal_8661210",
        "gift_card_7583025",
    ]
    assert words == (
        "Payment methods on file: Visa ending 1884; PayPal; gift card (balance 223.00)"
    )
    assert await refused(billing, "get_payment_methods", {}, None) == "customer_required"


async def test_get_payment_history(billing: Client, demo: Store) -> None:
    data, words = await ok(billing, "get_payment_history", {"order_id": "#W1000010"}, SARA)
    assert [(e["transaction_type"], e["amount"]) for e in data["payment_history"]] == [
        ("payment", 396.33),
        ("refund", 396.33),
    ]
    assert "refund 396.33 (PayPal)" in words
    everything, _ = await ok(billing, "get_payment_history", {}, SARA)
    assert {e["order_id"] for e in everything["payment_history"]} == {
        "#W1000008",
        "#W1000009",
        "#W1000010",
    }
    missing = {"order_id": "#W9999999"}
    assert await refused(billing, "get_payment_history", missing, SARA) == "order_not_found"


async def test_get_receipt(billing: Client, demo: Store) -> None:
    data, words = await ok(billing, "get_receipt", {"order_id": "#W1000010"}, SARA)
    receipt = data["receipt"]
    assert [line["name"] for line in receipt["lines"]] == ["Wireless Earbuds", "Smart Watch"]
    assert receipt["subtotal"] == 396.33
    assert (receipt["total_paid"], receipt["total_refunded"], receipt["net_paid"]) == (
        396.33,
        396.33,
        0.0,
    )
    assert words.endswith("refunded 396.33; net 0.00.")
    assert await refused(billing, "get_receipt", {"order_id": "W10"}, SARA) == "invalid_arguments"


async def test_modify_pending_order_payment(billing: Client, demo: Store) -> None:
    args = {"order_id": "#W1000001", "payment_method_id": "gift_card_7583025"}
    data, words = await ok(billing, "modify_pending_order_payment", args, AVA)
    assert [
        (e["transaction_type"], e["payment_method_id"]) for e in data["order"]["payment_history"]
    ] == [
        ("payment", "credit_card_9648511"),
        ("payment", "gift_card_7583025"),
        ("refund", "credit_card_9648511"),
    ]
    card = await demo.get_payment_method(AVA, "gift_card_7583025")
    assert card is not None and card["balance"] == 21.62
    assert words.startswith("Order #W1000001 is now paid by gift card")
    same = {"order_id": "#W1000004", "payment_method_id": "gift_card_7312081"}
    assert await refused(billing, "modify_pending_order_payment", same, LIAM) == (
        "same_payment_method"
    )
    unknown = {"order_id": "#W1000005", "payment_method_id": "paypal_0000001"}
    assert await refused(billing, "modify_pending_order_payment", unknown, LIAM) == (
        "payment_method_not_found"
    )


async def test_get_refund_status(billing: Client, clients: dict[str, Client], demo: Store) -> None:
    data, words = await ok(billing, "get_refund_status", {"order_id": "#W1000010"}, SARA)
    assert data["refund_status"]["refunded_total"] == 396.33
    assert words == "Refunded for #W1000010: 396.33 to PayPal."
    returned = {
        "order_id": "#W1000008",
        "item_ids": ["7727384337"],
        "payment_method_id": "credit_card_6001115",
    }
    task = await call(clients["orders"], "return_delivered_order_items", returned, customer=SARA)
    assert task.status.state == COMPLETED
    data, words = await ok(billing, "get_refund_status", {"order_id": "#W1000008"}, SARA)
    assert data["refund_status"]["pending_return"]["expected_refund"] == 82.85
    assert "82.85 will be refunded to Amex ending 2491" in words
    assert await refused(billing, "get_refund_status", {"order_id": "#W1000001"}, SARA) == (
        "not_owner"
    )


async def test_get_gift_card_balance(billing: Client, demo: Store) -> None:
    data, words = await ok(billing, "get_gift_card_balance", {}, AVA)
    assert [c["balance"] for c in data["gift_cards"]] == [223.0]
    assert words == "Gift card balance: gift_card_7583025: balance 223.00."
    one, _ = await ok(
        billing, "get_gift_card_balance", {"payment_method_id": "gift_card_7583025"}, AVA
    )
    assert one["gift_cards"][0]["id"] == "gift_card_7583025"
    none, words = await ok(billing, "get_gift_card_balance", {}, SARA)
    assert none["gift_cards"] == [] and "no gift card" in words
    card = {"payment_method_id": "credit_card_9648511"}
    assert await refused(billing, "get_gift_card_balance", card, AVA) == "not_a_gift_card"
    others = {"payment_method_id": "gift_card_7312081"}
    assert await refused(billing, "get_gift_card_balance", others, AVA) == (
        "payment_method_not_found"
    )
