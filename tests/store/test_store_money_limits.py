"""Money limits in the write context: a write that would refund or charge more than its ticket's
capability allows is refused inside its transaction, logged, and changes nothing; at the limit
it runs."""

from __future__ import annotations

from typing import Any

from helpers import apply_checked, expect_failure, orders_where, swap_for

from store import Store, WriteContext
from store.errors import MoneyLimitExceeded


def _cents(amount: float) -> int:
    return round(amount * 100)


def _limits(refund: int | None = None, charge: int | None = None) -> WriteContext:
    return WriteContext(max_refund_cents=refund, max_charge_cents=charge)


async def _refused_then_allowed(
    store: Store,
    data: dict[str, Any],
    action: str,
    args: dict[str, Any],
    *,
    refund: int = 0,
    charge: int = 0,
) -> None:
    """One cent under the write's refund or charge is refused; exactly the amounts run."""
    too_tight = []
    if refund:
        too_tight.append(_limits(refund - 1, charge))
    if charge:
        too_tight.append(_limits(refund, charge - 1))
    assert too_tight, "a money write moves some money"
    for ctx in too_tight:
        await expect_failure(
            store,
            data,
            action,
            args,
            "capability_denied",
            ctx=ctx,
            error=MoneyLimitExceeded,
            oracle=False,
        )
    await apply_checked(store, data, action, args, _limits(refund, charge))


async def test_cancel_refund_is_limited(demo_store: Store, demo_data: dict[str, Any]) -> None:
    order = orders_where(demo_data, "pending")[0]
    paid = sum(_cents(entry["amount"]) for entry in order["payment_history"])
    args = {"order_id": order["order_id"], "reason": "no longer needed"}
    await _refused_then_allowed(demo_store, demo_data, "cancel_pending_order", args, refund=paid)


def _payment_change(data: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """A pending order paid once, and another method of its user that can pay for it."""
    for order in orders_where(data, "pending"):
        if len(order["payment_history"]) != 1:
            continue
        entry = order["payment_history"][0]
        for pm_id, pm in data["users"][order["user_id"]]["payment_methods"].items():
            if pm_id != entry["payment_method_id"] and pm.get("balance", 1e9) >= entry["amount"]:
                return order, pm_id
    raise AssertionError("the demo data has no pending order whose payment can change")


async def test_payment_change_is_limited(demo_store: Store, demo_data: dict[str, Any]) -> None:
    order, new = _payment_change(demo_data)
    cents = _cents(order["payment_history"][0]["amount"])
    args = {"order_id": order["order_id"], "payment_method_id": new}
    await _refused_then_allowed(
        demo_store, demo_data, "modify_pending_order_payment", args, refund=cents, charge=cents
    )


async def test_return_refund_is_limited(demo_store: Store, demo_data: dict[str, Any]) -> None:
    order = orders_where(demo_data, "delivered")[0]
    items = order["items"][:2]
    args = {
        "order_id": order["order_id"],
        "item_ids": [item["item_id"] for item in items],
        "payment_method_id": order["payment_history"][0]["payment_method_id"],
    }
    refund = sum(_cents(item["price"]) for item in items)
    await _refused_then_allowed(
        demo_store, demo_data, "return_delivered_order_items", args, refund=refund
    )


async def test_exchange_difference_is_limited(demo_store: Store, demo_data: dict) -> None:
    order, item, new_id = next(
        (o, item, new_id)
        for o in orders_where(demo_data, "delivered")
        for item in o["items"]
        if (new_id := swap_for(demo_data, item))
        and demo_data["products"][item["product_id"]]["variants"][new_id]["price"] != item["price"]
    )
    new_price = demo_data["products"][item["product_id"]]["variants"][new_id]["price"]
    difference = _cents(new_price) - _cents(item["price"])
    args = {
        "order_id": order["order_id"],
        "item_ids": [item["item_id"]],
        "new_item_ids": [new_id],
        "payment_method_id": order["payment_history"][0]["payment_method_id"],
    }
    await _refused_then_allowed(
        demo_store,
        demo_data,
        "exchange_delivered_order_items",
        args,
        refund=max(-difference, 0),
        charge=max(difference, 0),
    )
