"""What a write touches and how much money it may move: one function for minting and checking.

Triage computes it over the customer's data when it mints a capability (and a specialist over the
store when a holder narrowed the money limits). The store computes the same amounts inside the
write's transaction and refuses a write over ``MoneyLimits``. Amounts are upper bounds in integer
cents (a return's refund is the returned items' prices, a cancellation's the order's payment
history).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

VariantPrice = Callable[[str, str], float | None]
"""(product_id, item_id) → the variant's price, or None when unknown."""


@dataclass(frozen=True, slots=True)
class Scope:
    orders: tuple[str, ...] = ()
    payment_methods: tuple[str, ...] = ()
    refund_cents: int = 0
    charge_cents: int = 0


@dataclass(frozen=True, slots=True)
class MoneyLimits:
    """The most one write may refund and charge; the store enforces them in the write's
    transaction (``WriteContext``), where the amounts are computed anyway."""

    max_refund_cents: int
    max_charge_cents: int


def _cents(amount: float) -> int:
    return round(amount * 100)


def write_scope(
    skill: str,
    arguments: Mapping[str, Any],
    order: Mapping[str, Any] | None,
    variant_price: VariantPrice,
) -> Scope:
    """The orders, payment methods and money of one write (``order``: its order, if any)."""
    order_id = arguments.get("order_id")
    method = arguments.get("payment_method_id")
    orders = (order_id,) if isinstance(order_id, str) else ()
    methods = (method,) if isinstance(method, str) else ()
    refund = charge = 0
    if order is not None:
        refund, charge = _money(skill, arguments, order, variant_price)
    return Scope(orders, methods, refund, charge)


def _money(
    skill: str, arguments: Mapping[str, Any], order: Mapping[str, Any], price: VariantPrice
) -> tuple[int, int]:
    history = order.get("payment_history") or []
    paid = sum(_cents(float(e.get("amount", 0))) for e in history)
    if skill == "cancel_pending_order":
        return paid, 0
    if skill == "modify_pending_order_payment":
        return paid, paid
    if skill not in (
        "return_delivered_order_items",
        "exchange_delivered_order_items",
        "modify_pending_order_items",
    ):
        return 0, 0
    old = _picked(order, arguments.get("item_ids") or [])
    old_total = sum(_cents(float(item.get("price", 0))) for item in old)
    if skill == "return_delivered_order_items":
        return old_total, 0
    new_total = 0
    for item, new_id in zip(old, arguments.get("new_item_ids") or [], strict=False):
        new_price = price(str(item.get("product_id")), str(new_id))
        new_total += _cents(new_price) if new_price is not None else 0
    difference = new_total - old_total
    return (max(-difference, 0), max(difference, 0))


def _picked(order: Mapping[str, Any], item_ids: list[Any]) -> list[Mapping[str, Any]]:
    """The order's items named by ``item_ids`` (a repeated id picks a further copy)."""
    remaining = list(order.get("items") or [])
    picked = []
    for item_id in item_ids:
        for index, item in enumerate(remaining):
            if item.get("item_id") == item_id:
                picked.append(remaining.pop(index))
                break
    return picked


def price_in(products: Mapping[str, Mapping[str, Any]]) -> VariantPrice:
    """A VariantPrice over τ-bench ``products`` dicts."""

    def price(product_id: str, item_id: str) -> float | None:
        variant = (products.get(product_id) or {}).get("variants", {}).get(item_id)
        return None if variant is None else float(variant["price"])

    return price
