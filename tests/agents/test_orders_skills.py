"""Every orders skill over the NATS binding: the happy path and a refusal."""

from __future__ import annotations

from typing import Any

import pytest
from a2a.client import Client

from store import Store
from tests.agents.support import COMPLETED, REJECTED, call, result, text

AVA, LIAM, SARA = "ava_moreno_1001", "liam_chen_1002", "sara_okafor_1003"
ADDRESS = {
    "address1": "12 Oak Street",
    "address2": "Apt 3",
    "city": "Austin",
    "state": "TX",
    "country": "USA",
    "zip": "78701",
}


@pytest.fixture
def orders(clients: dict[str, Client]) -> Client:
    return clients["orders"]


async def refused(client: Client, skill: str, args: dict[str, Any], customer: str | None) -> str:
    task = await call(client, skill, args, customer=customer)
    assert task.status.state == REJECTED, text(task)
    outcome = result(task)
    assert outcome.ok is False and outcome.skill == skill
    assert outcome.error_code is not None
    return outcome.error_code


# ----------------------------------------------------------------------------- reads
async def test_get_order_details(orders: Client, demo: Store) -> None:
    task = await call(orders, "get_order_details", {"order_id": "#W1000002"}, customer=AVA)
    assert task.status.state == COMPLETED
    data = result(task).data
    assert data is not None and data["order"]["status"] == "delivered"
    assert text(task) == "Order #W1000002 is delivered (Sunglasses). Tracking: 474134293241."
    code = await refused(orders, "get_order_details", {"order_id": "#W9999999"}, AVA)
    assert code == "order_not_found"


async def test_list_orders(orders: Client, demo: Store) -> None:
    task = await call(orders, "list_orders", customer=LIAM)
    assert task.status.state == COMPLETED
    listed = result(task).data["orders"]  # type: ignore[index]
    assert [o["order_id"] for o in listed] == [f"#W100000{i}" for i in (4, 5, 6, 7)]
    assert await refused(orders, "list_orders", {}, None) == "customer_required"


async def test_get_product_details(orders: Client, demo: Store) -> None:
    task = await call(orders, "get_product_details", {"product_id": "5070378921"}, customer=AVA)
    assert task.status.state == COMPLETED
    assert result(task).data["product"]["name"] == "Hiking Boots"  # type: ignore[index]
    assert text(task) == (
        "Hiking Boots: 3 of 4 variants available, 126.07 to 166.84; "
        "in stock: size 8, 9, 10; material leather."
    )
    assert await refused(orders, "get_product_details", {"product_id": "0000000000"}, AVA) == (
        "product_not_found"
    )
    assert await refused(orders, "get_product_details", {"product_id": "boots"}, AVA) == (
        "invalid_arguments"
    )


@pytest.mark.parametrize(
    ("arguments", "item_id", "candidates", "unavailable"),
    [
        (
            {"product": "Hiking Boots", "description": "the leather ones in size 10"},
            "6538829718",
            ["6538829718"],
            [],
        ),
        (
            {"product": "t-shirt", "description": "a white one"},
            None,
            ["3301595691", "9979544025"],
            [],
        ),
        ({"product": "5942859575", "description": "black, size L"}, None, [], ["7157461338"]),
        ({"product": "T-Shirt", "options": {"color": "blue"}}, "3179419893", ["3179419893"], []),
        (
            {"product": "3795742288", "description": "white", "order_id": "#W1000006"},
            "3301595691",
            ["3301595691"],
            [],
        ),
        (
            {"product": "Coffee Maker", "description": "the 8 cups one"},
            "7277933458",
            ["7277933458"],
            [],
        ),
    ],
    ids=["one", "several", "unavailable", "options-dict", "keeps-base-size", "multi-word"],
)
async def test_find_item(
    orders: Client,
    demo: Store,
    arguments: dict[str, Any],
    item_id: str | None,
    candidates: list[str],
    unavailable: list[str],
) -> None:
    task = await call(orders, "find_item", arguments, customer=LIAM)
    assert task.status.state == COMPLETED, text(task)
    data = result(task).data
    assert data is not None
    assert data["item_id"] == item_id
    assert sorted(c["item_id"] for c in data["candidates"]) == candidates
    assert [v["item_id"] for v in data["unavailable"]] == unavailable


async def test_find_item_refuses_unknown_product(orders: Client, demo: Store) -> None:
    args = {"product": "Spaceship", "description": "red"}
    assert await refused(orders, "find_item", args, AVA) == "product_not_found"


# ----------------------------------------------------------------------------- writes
async def test_cancel_pending_order(orders: Client, demo: Store) -> None:
    args = {"order_id": "#W1000001", "reason": "no longer needed"}
    task = await call(orders, "cancel_pending_order", args, customer=AVA)
    assert task.status.state == COMPLETED
    order = await demo.get_order("#W1000001")
    assert order is not None and order["status"] == "cancelled"
    assert order["payment_history"][-1] == {
        "transaction_type": "refund",
        "amount": 201.38,
        "payment_method_id": "credit_card_9648511",
    }
    assert result(task).data["refunds"] == order["payment_history"][1:]  # type: ignore[index]
    again = {"order_id": "#W1000001", "reason": "no longer needed"}
    assert await refused(orders, "cancel_pending_order", again, AVA) == "order_not_pending"
    bad_reason = {"order_id": "#W1000004", "reason": "changed my mind"}
    assert await refused(orders, "cancel_pending_order", bad_reason, LIAM) == "invalid_reason"
    assert (await demo.get_order("#W1000004"))["status"] == "pending"  # type: ignore[index]


async def test_modify_pending_order_items(orders: Client, demo: Store) -> None:
    args = {
        "order_id": "#W1000004",
        "item_ids": ["7157461338"],
        "new_item_ids": ["3795742288"],
        "payment_method_id": "gift_card_7312081",
    }
    task = await call(orders, "modify_pending_order_items", args, customer=LIAM)
    assert task.status.state == COMPLETED, text(task)
    order = await demo.get_order("#W1000004")
    assert order is not None and order["status"] == "pending (item modified)"
    assert order["items"][1]["item_id"] == "3795742288"
    assert order["payment_history"][-1]["amount"] == 0.02
    card = await demo.get_payment_method(LIAM, "gift_card_7312081")
    assert card is not None and card["balance"] == 95.98
    unavailable = {**args, "order_id": "#W1000005", "item_ids": ["2599435267"]}
    unavailable["new_item_ids"] = ["2795823848"]  # a desk lamp: another product
    assert await refused(orders, "modify_pending_order_items", unavailable, LIAM) == (
        "new_item_not_found"
    )
    lamp = {**args, "order_id": "#W1000006", "item_ids": ["2599435267"]}
    lamp["new_item_ids"] = ["2599435267", "9859611191"]
    assert await refused(orders, "modify_pending_order_items", lamp, LIAM) == (
        "item_count_mismatch"
    )
    not_a_list = {**args, "order_id": "#W1000006", "item_ids": "2599435267"}
    assert await refused(orders, "modify_pending_order_items", not_a_list, LIAM) == (
        "invalid_arguments"
    )


async def test_modify_pending_order_address(orders: Client, demo: Store) -> None:
    task = await call(
        orders, "modify_pending_order_address", {"order_id": "#W1000001", **ADDRESS}, customer=AVA
    )
    assert task.status.state == COMPLETED
    assert (await demo.get_order("#W1000001"))["address"] == ADDRESS  # type: ignore[index]
    processed = {"order_id": "#W1000003", **ADDRESS}
    assert await refused(orders, "modify_pending_order_address", processed, AVA) == (
        "order_not_pending"
    )


async def test_return_delivered_order_items(orders: Client, demo: Store) -> None:
    args = {
        "order_id": "#W1000002",
        "item_ids": ["7727384337"],
        "payment_method_id": "credit_card_9648511",
    }
    task = await call(orders, "return_delivered_order_items", args, customer=AVA)
    assert task.status.state == COMPLETED
    order = await demo.get_order("#W1000002")
    assert order is not None and order["status"] == "return requested"
    assert order["return_items"] == ["7727384337"]
    to_paypal = {**args, "order_id": "#W1000008", "payment_method_id": "paypal_5380786"}
    assert await refused(orders, "return_delivered_order_items", to_paypal, SARA) == (
        "refund_method_not_allowed"
    )


async def test_exchange_delivered_order_items(orders: Client, demo: Store) -> None:
    args = {
        "order_id": "#W1000007",
        "item_ids": ["8166808862"],
        "new_item_ids": ["7277933458"],
        "payment_method_id": "credit_card_2179699",
    }
    task = await call(orders, "exchange_delivered_order_items", args, customer=LIAM)
    assert task.status.state == COMPLETED
    order = await demo.get_order("#W1000007")
    assert order is not None and order["status"] == "exchange requested"
    assert order["exchange_price_difference"] == 4.84
    assert "you pay 4.84" in text(task)
    missing_item = {**args, "order_id": "#W1000008", "item_ids": ["8166808862"]}
    missing_item["payment_method_id"] = "credit_card_6001115"
    assert await refused(orders, "exchange_delivered_order_items", missing_item, SARA) == (
        "item_not_found"
    )


async def test_modify_user_address(orders: Client, demo: Store) -> None:
    task = await call(orders, "modify_user_address", {"user_id": AVA, **ADDRESS}, customer=AVA)
    assert task.status.state == COMPLETED
    assert (await demo.get_user(AVA))["address"] == ADDRESS  # type: ignore[index]
    missing_field = {"user_id": AVA, **ADDRESS, "zip": ""}
    assert await refused(orders, "modify_user_address", missing_field, AVA) == ("invalid_arguments")


async def test_malformed_ids_are_refused_before_the_store(orders: Client, demo: Store) -> None:
    no_hash = {"order_id": "W1000001", "reason": "no longer needed"}
    assert await refused(orders, "cancel_pending_order", no_hash, AVA) == "invalid_arguments"
    extra = {"order_id": "#W1000001", "reason": "no longer needed", "force": True}
    assert await refused(orders, "cancel_pending_order", extra, AVA) == "invalid_arguments"
    assert await demo.action_log(customer_id=AVA) == []
