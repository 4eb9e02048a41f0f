"""Every write action: happy path and every precondition failure, checked against the oracle."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from helpers import (
    ADDRESS,
    apply_checked,
    expect_failure,
    method_of,
    orders_where,
    other_product_variant,
    swap_for,
)

from store import NotFound, OwnershipError, Store, WriteContext
from store.money import round_money


# ----------------------------------------------------------------------------- cancel
async def test_cancel_refunds_gift_card(demo_store: Store, demo_data: dict[str, Any]) -> None:
    order = orders_where(demo_data, "pending", "gift_card")[0]
    pm_id = order["payment_history"][0]["payment_method_id"]
    user_id = order["user_id"]
    balance = demo_data["users"][user_id]["payment_methods"][pm_id]["balance"]
    args = {"order_id": order["order_id"], "reason": "no longer needed"}
    result, after = await apply_checked(demo_store, demo_data, "cancel_pending_order", args)
    assert result["status"] == "cancelled"
    assert result["cancel_reason"] == "no longer needed"
    assert result["payment_history"][-1] == {
        "transaction_type": "refund",
        "amount": order["payment_history"][0]["amount"],
        "payment_method_id": pm_id,
    }
    new_balance = (await demo_store.get_payment_method(user_id, pm_id))["balance"]
    assert new_balance == round_money(balance + order["payment_history"][0]["amount"])
    assert after["users"][user_id]["payment_methods"][pm_id]["balance"] == new_balance
    log = await demo_store.action_log()
    assert [(row["action"], row["outcome"]) for row in log] == [("cancel_pending_order", "ok")]
    assert log[0]["arguments"] == args and log[0]["result"] == result


async def test_cancel_card_order_moves_no_balance(demo_store: Store, demo_data: dict) -> None:
    order = orders_where(demo_data, "pending", "credit_card")[0]
    args = {"order_id": order["order_id"], "reason": "ordered by mistake"}
    result, _ = await apply_checked(demo_store, demo_data, "cancel_pending_order", args)
    assert len(result["payment_history"]) == 2


async def test_cancel_failures(demo_store: Store, demo_data: dict[str, Any]) -> None:
    pending = orders_where(demo_data, "pending")[0]["order_id"]
    delivered = orders_where(demo_data, "delivered")[0]["order_id"]
    await expect_failure(
        demo_store,
        demo_data,
        "cancel_pending_order",
        {"order_id": "#W0000000", "reason": "no longer needed"},
        "order_not_found",
        error=NotFound,
    )
    await expect_failure(
        demo_store,
        demo_data,
        "cancel_pending_order",
        {"order_id": delivered, "reason": "no longer needed"},
        "order_not_pending",
    )
    await expect_failure(
        demo_store,
        demo_data,
        "cancel_pending_order",
        {"order_id": pending, "reason": "changed my mind"},
        "invalid_reason",
    )


# ----------------------------------------------------------------------------- modify items
async def test_modify_items_with_gift_card(demo_store: Store, demo_data: dict[str, Any]) -> None:
    for order in orders_where(demo_data, "pending"):
        gift = method_of(demo_data, order["user_id"], "gift_card")
        new_id = swap_for(demo_data, order["items"][0])
        if gift and new_id:
            break
    else:
        pytest.fail("demo data lacks a pending order with a swappable item and a gift card")
    item = order["items"][0]
    new_price = demo_data["products"][item["product_id"]]["variants"][new_id]["price"]
    diff = round_money(new_price - item["price"])
    balance = demo_data["users"][order["user_id"]]["payment_methods"][gift]["balance"]
    args = {
        "order_id": order["order_id"],
        "item_ids": [item["item_id"]],
        "new_item_ids": [new_id],
        "payment_method_id": gift,
    }
    result, _ = await apply_checked(demo_store, demo_data, "modify_pending_order_items", args)
    assert result["status"] == "pending (item modified)"
    assert result["items"][0]["item_id"] == new_id and result["items"][0]["price"] == new_price
    entry = result["payment_history"][-1]
    assert entry["amount"] == abs(diff)
    assert entry["transaction_type"] == ("payment" if diff > 0 else "refund")
    pm = await demo_store.get_payment_method(order["user_id"], gift)
    assert pm["balance"] == round_money(balance - diff)
    # the exact status check: a modified order cannot be modified or cancelled again
    await expect_failure(
        demo_store,
        demo_data | {"orders": {**demo_data["orders"], order["order_id"]: result}},
        "modify_pending_order_items",
        args | {"item_ids": [new_id], "new_item_ids": [item["item_id"]]},
        "order_not_pending",
    )


async def test_modify_items_failures(demo_store: Store, demo_data: dict[str, Any]) -> None:
    order = next(
        o
        for o in orders_where(demo_data, "pending")
        if swap_for(demo_data, o["items"][0], available=False)
        and swap_for(demo_data, o["items"][0])
    )
    item = order["items"][0]
    card = method_of(demo_data, order["user_id"], "credit_card")
    good = {
        "order_id": order["order_id"],
        "item_ids": [item["item_id"]],
        "new_item_ids": [swap_for(demo_data, item)],
        "payment_method_id": card,
    }
    action = "modify_pending_order_items"
    delivered = orders_where(demo_data, "delivered")[0]
    cases = [
        (
            good
            | {"order_id": delivered["order_id"], "item_ids": [delivered["items"][0]["item_id"]]},
            "order_not_pending",
        ),
        (good | {"item_ids": ["0000000000"]}, "item_not_found"),
        (
            good
            | {
                "item_ids": [item["item_id"], item["item_id"]],
                "new_item_ids": good["new_item_ids"] * 2,
            },
            "item_not_found",
        ),
        (good | {"new_item_ids": good["new_item_ids"] * 2}, "item_count_mismatch"),
        (good | {"new_item_ids": [other_product_variant(demo_data, item)]}, "new_item_not_found"),
        (
            good | {"new_item_ids": [swap_for(demo_data, item, available=False)]},
            "new_item_unavailable",
        ),
        (good | {"payment_method_id": "credit_card_0000000"}, "payment_method_not_found"),
    ]
    for args, code in cases:
        await expect_failure(demo_store, demo_data, action, args, code)


async def test_modify_items_insufficient_gift_card(demo_store: Store, demo_data: dict) -> None:
    data = copy.deepcopy(demo_data)
    for order in orders_where(data, "pending"):
        gift = method_of(data, order["user_id"], "gift_card")
        item = order["items"][0]
        variants = data["products"][item["product_id"]]["variants"]
        dearer = [i for i, v in variants.items() if v["available"] and v["price"] > item["price"]]
        if gift and dearer:
            break
    else:
        pytest.fail("demo data lacks a pending order with a dearer variant and a gift card")
    data["users"][order["user_id"]]["payment_methods"][gift]["balance"] = 0.0
    await demo_store.reset(data)
    args = {
        "order_id": order["order_id"],
        "item_ids": [item["item_id"]],
        "new_item_ids": dearer[:1],
        "payment_method_id": gift,
    }
    await expect_failure(
        demo_store, data, "modify_pending_order_items", args, "insufficient_gift_card_balance"
    )


# ----------------------------------------------------------------------------- modify address
async def test_modify_order_address(demo_store: Store, demo_data: dict[str, Any]) -> None:
    order = orders_where(demo_data, "pending")[0]
    args = {"order_id": order["order_id"], **ADDRESS}
    result, _ = await apply_checked(demo_store, demo_data, "modify_pending_order_address", args)
    assert result["address"] == {k: ADDRESS[k] for k in result["address"]}
    assert result["status"] == "pending"
    processed = orders_where(demo_data, "processed")[0]
    await expect_failure(
        demo_store,
        demo_data,
        "modify_pending_order_address",
        {"order_id": processed["order_id"], **ADDRESS},
        "order_not_pending",
    )


# ----------------------------------------------------------------------------- modify payment
async def test_modify_payment_card_to_gift_card(demo_store: Store, demo_data: dict) -> None:
    for order in orders_where(demo_data, "pending", "credit_card"):
        gift = method_of(demo_data, order["user_id"], "gift_card")
        amount = order["payment_history"][0]["amount"]
        pms = demo_data["users"][order["user_id"]]["payment_methods"]
        if gift and pms[gift]["balance"] >= amount:
            break
    else:
        pytest.fail("no card-paid pending order whose user has a big enough gift card")
    old = order["payment_history"][0]["payment_method_id"]
    args = {"order_id": order["order_id"], "payment_method_id": gift}
    result, _ = await apply_checked(demo_store, demo_data, "modify_pending_order_payment", args)
    assert result["payment_history"][1:] == [
        {"transaction_type": "payment", "amount": amount, "payment_method_id": gift},
        {"transaction_type": "refund", "amount": amount, "payment_method_id": old},
    ]
    pm = await demo_store.get_payment_method(order["user_id"], gift)
    assert pm["balance"] == round_money(pms[gift]["balance"] - amount)


async def test_modify_payment_gift_card_refunded(demo_store: Store, demo_data: dict) -> None:
    order = orders_where(demo_data, "pending", "gift_card")[0]
    card = method_of(demo_data, order["user_id"], "credit_card")
    gift = order["payment_history"][0]["payment_method_id"]
    before = demo_data["users"][order["user_id"]]["payment_methods"][gift]["balance"]
    args = {"order_id": order["order_id"], "payment_method_id": card}
    await apply_checked(demo_store, demo_data, "modify_pending_order_payment", args)
    pm = await demo_store.get_payment_method(order["user_id"], gift)
    assert pm["balance"] == round_money(before + order["payment_history"][0]["amount"])


async def test_modify_payment_failures(demo_store: Store, demo_data: dict[str, Any]) -> None:
    data = copy.deepcopy(demo_data)
    order = orders_where(data, "pending", "credit_card")[0]
    user_id, old = order["user_id"], order["payment_history"][0]["payment_method_id"]
    gift = method_of(data, user_id, "gift_card")
    assert gift is not None
    data["users"][user_id]["payment_methods"][gift]["balance"] = 1.0
    twice = orders_where(data, "pending")[1]
    twice["payment_history"].append(
        {
            "transaction_type": "refund",
            "amount": 1.0,
            "payment_method_id": twice["payment_history"][0]["payment_method_id"],
        }
    )
    other = next(
        pm
        for pm in data["users"][twice["user_id"]]["payment_methods"]
        if pm != twice["payment_history"][0]["payment_method_id"]
    )
    await demo_store.reset(data)
    action = "modify_pending_order_payment"
    delivered = orders_where(data, "delivered")[0]
    cases = [
        ({"order_id": delivered["order_id"], "payment_method_id": old}, "order_not_pending"),
        (
            {"order_id": order["order_id"], "payment_method_id": "paypal_0000000"},
            "payment_method_not_found",
        ),
        ({"order_id": order["order_id"], "payment_method_id": old}, "same_payment_method"),
        (
            {"order_id": order["order_id"], "payment_method_id": gift},
            "insufficient_gift_card_balance",
        ),
        (
            {"order_id": twice["order_id"], "payment_method_id": other},
            "payment_history_not_single_payment",
        ),
    ]
    for args, code in cases:
        await expect_failure(demo_store, data, action, args, code)


# ----------------------------------------------------------------------------- return
async def test_return_to_original_and_gift_card(demo_store: Store, demo_data: dict) -> None:
    orders = orders_where(demo_data, "delivered")
    first = orders[0]
    items = [item["item_id"] for item in first["items"]][::-1]
    args = {
        "order_id": first["order_id"],
        "item_ids": items,
        "payment_method_id": first["payment_history"][0]["payment_method_id"],
    }
    result, data = await apply_checked(demo_store, demo_data, "return_delivered_order_items", args)
    assert result["status"] == "return requested"
    assert result["return_items"] == sorted(items)
    assert result["payment_history"] == first["payment_history"]  # no money moves yet
    second = next(o for o in orders[1:] if method_of(demo_data, o["user_id"], "gift_card"))
    args = {
        "order_id": second["order_id"],
        "item_ids": [second["items"][0]["item_id"]],
        "payment_method_id": method_of(demo_data, second["user_id"], "gift_card"),
    }
    await apply_checked(demo_store, data, "return_delivered_order_items", args)


async def test_return_failures(demo_store: Store, demo_data: dict[str, Any]) -> None:
    order = next(
        o
        for o in orders_where(demo_data, "delivered", "credit_card")
        if method_of(demo_data, o["user_id"], "paypal")
    )
    original = order["payment_history"][0]["payment_method_id"]
    good = {
        "order_id": order["order_id"],
        "item_ids": [order["items"][0]["item_id"]],
        "payment_method_id": original,
    }
    pending = orders_where(demo_data, "pending")[0]
    cases = [
        (good | {"order_id": pending["order_id"]}, "order_not_delivered"),
        (
            good | {"payment_method_id": method_of(demo_data, order["user_id"], "paypal")},
            "refund_method_not_allowed",
        ),
        (good | {"item_ids": ["0000000000"]}, "item_not_found"),
        (good | {"payment_method_id": "gift_card_0000000"}, "payment_method_not_found"),
    ]
    for args, code in cases:
        await expect_failure(demo_store, demo_data, "return_delivered_order_items", args, code)


# ----------------------------------------------------------------------------- exchange
async def test_exchange(demo_store: Store, demo_data: dict[str, Any]) -> None:
    order = next(
        o for o in orders_where(demo_data, "delivered") if swap_for(demo_data, o["items"][0])
    )
    item = order["items"][0]
    new_id = swap_for(demo_data, item)
    pm_id = order["payment_history"][0]["payment_method_id"]
    args = {
        "order_id": order["order_id"],
        "item_ids": [item["item_id"]],
        "new_item_ids": [new_id],
        "payment_method_id": pm_id,
    }
    result, _ = await apply_checked(demo_store, demo_data, "exchange_delivered_order_items", args)
    new_price = demo_data["products"][item["product_id"]]["variants"][new_id]["price"]
    assert result["status"] == "exchange requested"
    assert result["exchange_items"] == [item["item_id"]]
    assert result["exchange_new_items"] == [new_id]
    assert result["exchange_payment_method_id"] == pm_id
    assert result["exchange_price_difference"] == round_money(new_price - item["price"])
    assert result["items"] == order["items"]  # nothing changes until the exchange happens


async def test_exchange_failures(demo_store: Store, demo_data: dict[str, Any]) -> None:
    data = copy.deepcopy(demo_data)
    for order in orders_where(data, "delivered"):
        item = order["items"][0]
        variants = data["products"][item["product_id"]]["variants"]
        dearer = [i for i, v in variants.items() if v["available"] and v["price"] > item["price"]]
        gift = method_of(data, order["user_id"], "gift_card")
        if dearer and gift and swap_for(data, item, available=False):
            break
    else:
        pytest.fail("demo data lacks a suitable delivered order")
    data["users"][order["user_id"]]["payment_methods"][gift]["balance"] = 0.0
    await demo_store.reset(data)
    good = {
        "order_id": order["order_id"],
        "item_ids": [item["item_id"]],
        "new_item_ids": dearer[:1],
        "payment_method_id": order["payment_history"][0]["payment_method_id"],
    }
    pending = orders_where(data, "pending")[0]
    cases = [
        (good | {"order_id": pending["order_id"]}, "order_not_delivered"),
        (good | {"item_ids": ["0000000000"]}, "item_not_found"),
        (good | {"new_item_ids": dearer[:1] * 2}, "item_count_mismatch"),
        (good | {"new_item_ids": [other_product_variant(data, item)]}, "new_item_not_found"),
        (good | {"new_item_ids": [swap_for(data, item, available=False)]}, "new_item_unavailable"),
        (good | {"payment_method_id": "paypal_0000000"}, "payment_method_not_found"),
        (good | {"payment_method_id": gift}, "insufficient_gift_card_balance"),
    ]
    for args, code in cases:
        await expect_failure(demo_store, data, "exchange_delivered_order_items", args, code)


# ----------------------------------------------------------------------------- user address
async def test_modify_user_address(demo_store: Store, demo_data: dict[str, Any]) -> None:
    args = {"user_id": "ava_moreno_1001", **ADDRESS}
    result, _ = await apply_checked(demo_store, demo_data, "modify_user_address", args)
    assert result["user_id"] == "ava_moreno_1001"
    assert result["address"] == {k: ADDRESS[k] for k in result["address"]}
    await expect_failure(
        demo_store,
        demo_data,
        "modify_user_address",
        {"user_id": "nobody_0000", **ADDRESS},
        "user_not_found",
        error=NotFound,
    )


# ----------------------------------------------------------------------------- handoff
async def test_transfer_records_handoff(demo_store: Store, demo_data: dict[str, Any]) -> None:
    ctx = WriteContext(customer_id="ava_moreno_1001", ticket_id="T-1", task_id="task-9")
    args = {
        "summary": "Customer wants a refund outside policy",
        "priority": "high",
        "reason": "out_of_policy",
    }
    handoff, _ = await apply_checked(demo_store, demo_data, "transfer_to_human_agents", args, ctx)
    assert handoff["user_id"] == "ava_moreno_1001" and handoff["ticket_id"] == "T-1"
    assert handoff["priority"] == "high" and handoff["status"] == "open"
    assert await demo_store.get_handoff(handoff["id"]) == handoff
    assert await demo_store.list_handoffs(status="open") == [handoff]
    claimed = await demo_store.set_handoff_status(handoff["id"], "claimed")
    assert claimed["status"] == "claimed"
    assert await demo_store.list_handoffs(status="open") == []
    await expect_failure(
        demo_store,
        demo_data,
        "transfer_to_human_agents",
        {"summary": "x", "priority": "asap"},
        "invalid_priority",
        oracle=False,
    )
    log = await demo_store.action_log(ticket_id="T-1")
    assert [row["outcome"] for row in log] == ["ok"]


async def test_unknown_action_and_bad_arguments(demo_store: Store, demo_data: dict) -> None:
    await expect_failure(demo_store, demo_data, "delete_everything", {}, "unknown_action")
    await expect_failure(
        demo_store,
        demo_data,
        "cancel_pending_order",
        {"order_id": "#W1000001"},
        "invalid_arguments",
    )
    await expect_failure(
        demo_store,
        demo_data,
        "return_delivered_order_items",
        {"order_id": "#W1000002", "item_ids": "123", "payment_method_id": "x"},
        "invalid_arguments",
    )


# ----------------------------------------------------------------------------- ownership
async def test_ownership_refusals_are_logged(demo_store: Store, demo_data: dict) -> None:
    ava = WriteContext(customer_id="ava_moreno_1001", ticket_id="T-own")
    liam_order = demo_data["orders"]["#W1000004"]
    assert liam_order["user_id"] == "liam_chen_1002"
    await expect_failure(
        demo_store,
        demo_data,
        "cancel_pending_order",
        {"order_id": "#W1000004", "reason": "no longer needed"},
        "order_not_owned",
        ctx=ava,
        error=OwnershipError,
        oracle=False,
    )
    liam_pm = next(iter(demo_data["users"]["liam_chen_1002"]["payment_methods"]))
    await expect_failure(
        demo_store,
        demo_data,
        "modify_pending_order_payment",
        {"order_id": "#W1000001", "payment_method_id": liam_pm},
        "payment_method_not_owned",
        ctx=ava,
        error=OwnershipError,
        oracle=False,
    )
    await expect_failure(
        demo_store,
        demo_data,
        "modify_user_address",
        {"user_id": "liam_chen_1002", **ADDRESS},
        "user_not_owned",
        ctx=ava,
        error=OwnershipError,
        oracle=False,
    )
    log = await demo_store.action_log(ticket_id="T-own")
    assert [row["outcome"] for row in log] == ["refused"] * 3
    assert all(row["customer_id"] == "ava_moreno_1001" for row in log)
    # without a customer the other user's method is simply not the order's user's method
    await expect_failure(
        demo_store,
        demo_data,
        "modify_pending_order_payment",
        {"order_id": "#W1000001", "payment_method_id": liam_pm},
        "payment_method_not_found",
    )
    # the owner may act
    await apply_checked(
        demo_store,
        demo_data,
        "cancel_pending_order",
        {"order_id": "#W1000001", "reason": "no longer needed"},
        ava,
    )
