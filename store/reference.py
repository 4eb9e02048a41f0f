"""Reference semantics of the write actions on τ-bench JSON dicts (the gold-state oracle).

``apply_action`` never mutates its input: it returns new data that shares every untouched
order, user and product with the input (copy-on-write), so replaying many tasks is cheap.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from typing import Any

from domain import (
    CANCEL,
    EXCHANGE,
    HANDOFF,
    MODIFY_ITEMS,
    MODIFY_PAYMENT,
    ORDER_ADDRESS,
    RETURN,
    USER_ADDRESS,
)
from domain.arguments import CANCEL_REASONS
from store.contract import (
    check_args,
    check_item_counts,
    check_same_length,
    require_status,
    status_after,
)
from store.errors import ActionError, NotFound
from store.money import round_money

Data = dict[str, Any]


def canonical(data: Any) -> str:
    """Canonical JSON: keys sorted, list order kept, every number a float rounded to cents."""
    return json.dumps(_normalise(data), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _normalise(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _normalise(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_normalise(item) for item in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return round(float(value), 2) + 0.0
    return value


def apply_actions(data: Data, actions: list[Mapping[str, Any]]) -> Data:
    """Apply ``[{"name": ..., "kwargs": {...}}, ...]`` in order; the first failure raises."""
    for action in actions:
        data = apply_action(data, action["name"], action.get("kwargs", {}))
    return data


def replay(data: Data, actions: list[Mapping[str, Any]]) -> tuple[Data, list[ActionError | None]]:
    """Replay gold actions the way τ-bench does: a failing action leaves the data unchanged
    and the replay continues. Returns the final data and, per action, its error or None."""
    errors: list[ActionError | None] = []
    for action in actions:
        try:
            data = apply_action(data, action["name"], action.get("kwargs", {}))
        except ActionError as exc:
            errors.append(exc)
        else:
            errors.append(None)
    return data, errors


def apply_action(data: Data, name: str, kwargs: Mapping[str, Any]) -> Data:
    """Return the data after ``name(**kwargs)``; raise ActionError if a precondition fails."""
    args = check_args(name, kwargs)
    if name == HANDOFF:
        return data
    cow = _CopyOnWrite(data)
    _HANDLERS[name](cow, **args)
    return cow.result()


class _CopyOnWrite:
    def __init__(self, data: Data) -> None:
        self.data = data
        self.orders: dict[str, Any] = {}
        self.users: dict[str, Any] = {}

    def order(self, order_id: str) -> dict[str, Any]:
        if order_id not in self.orders:
            if order_id not in self.data["orders"]:
                raise NotFound("order_not_found", f"order {order_id} not found")
            self.orders[order_id] = copy.deepcopy(self.data["orders"][order_id])
        return self.orders[order_id]

    def user(self, user_id: str) -> dict[str, Any]:
        if user_id not in self.users:
            if user_id not in self.data["users"]:
                raise NotFound("user_not_found", f"user {user_id} not found")
            self.users[user_id] = copy.deepcopy(self.data["users"][user_id])
        return self.users[user_id]

    def variants(self, product_id: str) -> dict[str, Any]:
        product = self.data["products"].get(product_id)
        return product["variants"] if product else {}

    def result(self) -> Data:
        out = dict(self.data)
        if self.orders:
            out["orders"] = {**self.data["orders"], **self.orders}
        if self.users:
            out["users"] = {**self.data["users"], **self.users}
        return out


def _payment_method(cow: _CopyOnWrite, user_id: str, pm_id: str) -> dict[str, Any]:
    methods = cow.user(user_id)["payment_methods"]
    if pm_id not in methods:
        raise ActionError("payment_method_not_found", f"payment method {pm_id} not found")
    return methods[pm_id]


def _add_balance(pm: dict[str, Any], amount: float) -> None:
    pm["balance"] = round_money(pm["balance"] + amount)


def _price_difference(
    cow: _CopyOnWrite, order: dict[str, Any], item_ids: list[str], new_item_ids: list[str]
) -> float:
    diff = 0.0
    for item_id, new_item_id in zip(item_ids, new_item_ids, strict=True):
        item = next(item for item in order["items"] if item["item_id"] == item_id)
        variants = cow.variants(item["product_id"])
        if new_item_id not in variants:
            raise ActionError("new_item_not_found", f"{new_item_id} is not a variant of the item")
        if not variants[new_item_id]["available"]:
            raise ActionError("new_item_unavailable", f"{new_item_id} is not available")
        diff += variants[new_item_id]["price"] - item["price"]
    return round_money(diff)


def _cancel(cow: _CopyOnWrite, order_id: str, reason: str) -> None:
    order = cow.order(order_id)
    require_status(order["status"], CANCEL)
    if reason not in CANCEL_REASONS:
        raise ActionError("invalid_reason", f"reason must be one of {CANCEL_REASONS}")
    refunds = []
    for entry in order["payment_history"]:
        pm_id = entry["payment_method_id"]
        refunds.append(
            {"transaction_type": "refund", "amount": entry["amount"], "payment_method_id": pm_id}
        )
        pm = cow.user(order["user_id"])["payment_methods"].get(pm_id)
        if pm is not None and pm["source"] == "gift_card":
            _add_balance(pm, entry["amount"])
    order["status"] = status_after(CANCEL)
    order["cancel_reason"] = reason
    order["payment_history"].extend(refunds)


def _item_swap(
    cow: _CopyOnWrite,
    order_id: str,
    action: str,
    item_ids: list[str],
    new_item_ids: list[str],
    payment_method_id: str,
) -> tuple[dict[str, Any], dict[str, Any], float]:
    """The checks shared by item modifications and exchanges: (order, method, difference)."""
    order = cow.order(order_id)
    require_status(order["status"], action)
    check_item_counts([item["item_id"] for item in order["items"]], item_ids)
    check_same_length(item_ids, new_item_ids)
    diff = _price_difference(cow, order, item_ids, new_item_ids)
    pm = _payment_method(cow, order["user_id"], payment_method_id)
    if pm["source"] == "gift_card" and pm["balance"] < diff:
        raise ActionError("insufficient_gift_card_balance", "gift card balance is too low")
    return order, pm, diff


def _modify_items(
    cow: _CopyOnWrite,
    order_id: str,
    item_ids: list[str],
    new_item_ids: list[str],
    payment_method_id: str,
) -> None:
    order, pm, diff = _item_swap(
        cow, order_id, MODIFY_ITEMS, item_ids, new_item_ids, payment_method_id
    )
    order["payment_history"].append(
        {
            "transaction_type": "payment" if diff > 0 else "refund",
            "amount": abs(diff),
            "payment_method_id": payment_method_id,
        }
    )
    if pm["source"] == "gift_card":
        _add_balance(pm, -diff)
    for item_id, new_item_id in zip(item_ids, new_item_ids, strict=True):
        item = next(item for item in order["items"] if item["item_id"] == item_id)
        variant = cow.variants(item["product_id"])[new_item_id]
        item["item_id"] = new_item_id
        item["price"] = variant["price"]
        item["options"] = copy.deepcopy(variant["options"])
    order["status"] = status_after(MODIFY_ITEMS)


def _address(args: Mapping[str, str]) -> dict[str, str]:
    keys = ("address1", "address2", "city", "country", "state", "zip")
    return {key: args[key] for key in keys}


def _modify_order_address(cow: _CopyOnWrite, order_id: str, **address: str) -> None:
    order = cow.order(order_id)
    require_status(order["status"], ORDER_ADDRESS)
    order["address"] = _address(address)


def _modify_payment(cow: _CopyOnWrite, order_id: str, payment_method_id: str) -> None:
    order = cow.order(order_id)
    require_status(order["status"], MODIFY_PAYMENT)
    pm = _payment_method(cow, order["user_id"], payment_method_id)
    history = order["payment_history"]
    if len(history) != 1 or history[0]["transaction_type"] != "payment":
        raise ActionError("payment_history_not_single_payment", "order must have one payment")
    old_id = history[0]["payment_method_id"]
    if old_id == payment_method_id:
        raise ActionError("same_payment_method", "the new payment method is the current one")
    amount = history[0]["amount"]
    if pm["source"] == "gift_card" and pm["balance"] < amount:
        raise ActionError("insufficient_gift_card_balance", "gift card balance is too low")
    history.append(
        {"transaction_type": "payment", "amount": amount, "payment_method_id": payment_method_id}
    )
    history.append({"transaction_type": "refund", "amount": amount, "payment_method_id": old_id})
    if pm["source"] == "gift_card":
        _add_balance(pm, -amount)
    old = cow.user(order["user_id"])["payment_methods"].get(old_id)
    if old is not None and old["source"] == "gift_card":
        _add_balance(old, amount)


def _return(cow: _CopyOnWrite, order_id: str, item_ids: list[str], payment_method_id: str) -> None:
    order = cow.order(order_id)
    require_status(order["status"], RETURN)
    pm = _payment_method(cow, order["user_id"], payment_method_id)
    original = (
        order["payment_history"][0]["payment_method_id"] if order["payment_history"] else None
    )
    if pm["source"] != "gift_card" and payment_method_id != original:
        raise ActionError(
            "refund_method_not_allowed", "refunds go to the original method or a gift card"
        )
    check_item_counts([item["item_id"] for item in order["items"]], item_ids)
    order["status"] = status_after(RETURN)
    order["return_items"] = sorted(item_ids)
    order["return_payment_method_id"] = payment_method_id


def _exchange(
    cow: _CopyOnWrite,
    order_id: str,
    item_ids: list[str],
    new_item_ids: list[str],
    payment_method_id: str,
) -> None:
    order, pm, diff = _item_swap(cow, order_id, EXCHANGE, item_ids, new_item_ids, payment_method_id)
    order["status"] = status_after(EXCHANGE)
    order["exchange_items"] = sorted(item_ids)
    order["exchange_new_items"] = sorted(new_item_ids)
    order["exchange_payment_method_id"] = payment_method_id
    order["exchange_price_difference"] = diff


def _modify_account_address(cow: _CopyOnWrite, user_id: str, **address: str) -> None:
    cow.user(user_id)["address"] = _address(address)


_HANDLERS: dict[str, Callable[..., None]] = {
    CANCEL: _cancel,
    MODIFY_ITEMS: _modify_items,
    ORDER_ADDRESS: _modify_order_address,
    MODIFY_PAYMENT: _modify_payment,
    RETURN: _return,
    EXCHANGE: _exchange,
    USER_ADDRESS: _modify_account_address,
}
